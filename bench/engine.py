"""Payroll engine throughput: one month (gaji + TPP slips) for N random employees, with NullTracer and with Tracer.

    uv run python bench/engine.py [--n 100000] [--seed 20251101] [--runs 3]

The Facts arrays are built with a seeded numpy Generator and the parameters with build_params, both outside the timed
part. Each timing is the best of --runs runs of compute_month. Memory: tracemalloc peak of one compute_month call
(numpy reports its buffers to tracemalloc), and the process's peak RSS (ru_maxrss) at the end.
Target (issue): 100,000 payslips in < 1 s without tracing, < 1 GiB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import resource
import sys
import time
import tracemalloc

import numpy as np

from pamong.engine import Facts, NullTracer, Policy, Tracer, build_params, compute_month
from pamong.engine.facts import DISCIPLINE_BANDS, FUNGSIONAL, PELAKSANA, PPPK, STRUKTURAL
from pamong.engine.params import EngineParams

ON = dt.date(2025, 11, 1)
POLICY = Policy(
    tpp_weight_kinerja_bp=6000,
    tpp_weight_disiplin_bp=4000,
    discipline_cut_bp={"TL1": 50, "TL2": 100, "TL3": 125, "TL4": 150, "PSW1": 50, "PSW2": 100, "PSW3": 125,
                       "PSW4": 150, "TK": 400},
    discipline_cut_applies_to="disiplin_part",
    tunjangan_anak_max_children=2,
    pph21_bruto_includes_employer_premiums=True,
    pph21_tpp_method="marginal",
)  # fmt: skip


def random_facts(n: int, p: EngineParams, rng: np.random.Generator) -> Facts:
    status = rng.choice(np.array([0, 1, 2], dtype=np.int8), size=n, p=[0.75, 0.05, 0.20])
    pppk = status == PPPK
    # golongan: any row of the status's table; MKG from the row's first step to 40
    rows = {scheme: [k for k in p.gaji_table.keys if k.startswith(scheme + ":")] for scheme in ("PNS", "PPPK")}
    pns_pick = rng.integers(0, len(rows["PNS"]), n)
    pppk_pick = rng.integers(0, len(rows["PPPK"]), n)
    keys = np.where(pppk, np.array(rows["PPPK"])[pppk_pick], np.array(rows["PNS"])[pns_pick])
    golongan = np.char.partition(keys, ":")[..., 2]
    first_step = (p.gaji_table.values < 0).sum(axis=1)  # columns before the row's first step
    row_index = np.array([p.gaji_table.keys[str(k)] for k in np.unique(keys)])
    first = dict(zip(np.unique(keys).tolist(), first_step[row_index].tolist(), strict=True))
    lo = np.vectorize(first.__getitem__, otypes=[np.int64])(keys)
    mkg = lo + (rng.random(n) * (41 - lo)).astype(np.int64)

    jabatan = rng.choice(np.array([PELAKSANA, STRUKTURAL, FUNGSIONAL], dtype=np.int8), size=n, p=[0.5, 0.15, 0.35])
    jabatan = np.where(pppk & (jabatan == PELAKSANA), FUNGSIONAL, jabatan).astype(np.int8)  # no PPPK pelaksana
    eselons = np.array(sorted(p.struktural.value))
    eselon = np.where(jabatan == STRUKTURAL, eselons[rng.integers(0, len(eselons), n)], "")
    fungsional = np.where(jabatan == FUNGSIONAL, rng.integers(0, 60, n) * 100_000, 0).astype(np.int64)

    married = rng.random(n) < 0.7
    spouse_here = married & (rng.random(n) < 0.8)
    children = rng.integers(0, 6, n).astype(np.int64)
    ptkp = np.char.add(np.where(married, "K/", "TK/"), np.minimum(children, 3).astype(str))
    discipline = np.where(rng.random((n, len(DISCIPLINE_BANDS))) < 0.1, rng.integers(0, 11, (n, 9)), 0)
    return Facts(
        status=status,
        golongan=golongan,
        mkg_years=mkg,
        jabatan=jabatan,
        eselon=eselon,
        tunjangan_fungsional=fungsional,
        spouse_here=spouse_here,
        children_eligible=children,
        ptkp=ptkp,
        tpp_pagu=rng.integers(0, 30_000_001, n).astype(np.int64),
        capaian_bp=rng.integers(0, 12_001, n).astype(np.int64),
        discipline=discipline.astype(np.int64),
        sanction_cut_bp=np.where(rng.random(n) < 0.01, 2500, 0).astype(np.int64),  # ~1 % under a 25 % TPP cut
    )


def best_of(runs: int, facts: Facts, params: EngineParams, traced: bool) -> float:
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        tracer = Tracer() if traced else NullTracer()
        t0 = time.perf_counter()
        compute_month(facts, params, tracer)
        best = min(best, time.perf_counter() - t0)
        del tracer
    return best


def traced_peak(facts: Facts, params: EngineParams, traced: bool) -> int:
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    tracer = Tracer() if traced else NullTracer()
    month = compute_month(facts, params, tracer)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    del month, tracer
    return peak


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=20251101)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    params = build_params(ON, POLICY)
    t_params = time.perf_counter() - t0
    t0 = time.perf_counter()
    facts = random_facts(args.n, params, np.random.default_rng(args.seed))
    t_facts = time.perf_counter() - t0
    compute_month(facts, params)  # warm-up (imports, first-touch)

    mib = 1024 * 1024
    print(f"engine bench: {args.n:,} employees, period {ON:%Y-%m}, seed {args.seed}, best of {args.runs}")
    print(f"  build_params (not timed below)   {t_params * 1000:8.1f} ms")
    print(f"  random Facts (not timed below)   {t_facts * 1000:8.1f} ms")
    for label, traced in (("NullTracer", False), ("Tracer    ", True)):
        best = best_of(args.runs, facts, params, traced)
        peak = traced_peak(facts, params, traced)
        print(
            f"  {label}  {best * 1000:8.1f} ms  {args.n / best:12,.0f} payslips/s"
            f"  (gaji+TPP per employee)  compute peak {peak / mib:7.1f} MiB (tracemalloc)"
        )
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    rss_bytes = rss if sys.platform == "darwin" else rss * 1024
    print(f"  process peak RSS (ru_maxrss)     {rss_bytes / mib:8.1f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
