"""Performance engine throughput on a synthetic province: assessor planning, calibration of every pool, predikat and
pola distribusi of every unit.

    uv run python bench/performance_engine.py [--n 100000] [--seed 20261206] [--per-ratee 2]

The province: N employees in pools (OPD x level) of 100-300 employees; in each pool, teams of 4-15 under one
supervisor. Every employee is rated by their supervisor; the planner adds `--per-ratee` independent assessor ratings
(default 2, so 3 ratings per employee) from a pool of assessors with a load limit, connecting every pool. Scores:
true performance ~ N(75, 8), rater effect ~ N(0, 4), noise ~ N(0, 2), clipped to 0..100. Units for the predikat are
the teams (the supervisor is the unit head). Target (task): calibrating every pool well under 20 s. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import time

import numpy as np

from pamong.performance.engine.calibration import Rating, calibrate, calibrate_pool
from pamong.performance.engine.planner import Assessor, plan_assessors, pool_report
from pamong.performance.engine.predikat import EKSPEKTASI, ORGANISASI, Entry, unit_predikat


def province(n: int, rng: random.Random) -> dict[str, list[tuple[str, str | None]]]:
    pools: dict[str, list[tuple[str, str | None]]] = {}
    made = 0
    opd = 0
    while made < n:
        for level in ("pelaksana", "fungsional", "struktural"):
            size = min(rng.randint(100, 300), n - made)
            if size <= 0:
                break
            members: list[tuple[str, str | None]] = []
            while len(members) < size:
                team = min(rng.randint(4, 15), size - len(members))
                sup = f"S{opd}-{level}-{len(members)}"
                members += [(f"E{made + len(members) + k}", sup) for k in range(team)]
            pools[f"opd{opd:03d}/{level}"] = members
            made += size
        opd += 1
    return pools


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=20261206)
    ap.add_argument("--per-ratee", type=int, default=2)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    nrng = np.random.default_rng(a.seed)
    pools = province(a.n, rng)
    n_assessors = max(10, a.n * a.per_ratee // 100)
    assessors = [Assessor(f"A{k}", 110) for k in range(n_assessors)]

    t = time.perf_counter()
    plan = plan_assessors(pools, assessors, per_ratee=a.per_ratee, seed=a.seed)
    t_plan = time.perf_counter() - t

    supervisor_rows = [(pool, sup, ratee) for pool, members in pools.items() for ratee, sup in members if sup]
    assessor_rows = [(x.kelompok, x.penilai, x.dinilai) for x in plan.pasangan]
    t = time.perf_counter()
    report = pool_report(
        [(p, r, d, False) for p, r, d in supervisor_rows] + [(p, r, d, True) for p, r, d in assessor_rows]
    )
    t_report = time.perf_counter() - t

    rows = supervisor_rows + assessor_rows
    truth = {ratee: nrng.normal(75, 8) for members in pools.values() for ratee, _ in members}
    raters = {r for _, r, _ in rows}
    effect = dict(zip(sorted(raters), nrng.normal(0, 4, len(raters)), strict=True))
    noise = nrng.normal(0, 2, len(rows))
    values = [float(np.clip(truth[d] + effect[r] + e, 0, 100)) for (_, r, d), e in zip(rows, noise, strict=True)]
    by_pool: dict[str, tuple[list[str], list[str], list[float]]] = {}
    for (pool, r, d), v in zip(rows, values, strict=True):
        pr, pd, pv = by_pool.setdefault(pool, ([], [], []))
        pr.append(r)
        pd.append(d)
        pv.append(v)

    t = time.perf_counter()
    results = {pool: calibrate_pool(pool, *cols) for pool, cols in by_pool.items()}
    t_pools = time.perf_counter() - t
    ratings = [Rating(r, d, v, pool) for (pool, r, d), v in zip(rows, values, strict=True)]
    t = time.perf_counter()
    checked = calibrate(ratings)
    t_checked = time.perf_counter() - t
    errors = [abs(checked[p].penilai[r].efek - res.penilai[r].efek) for p, res in results.items() for r in res.penilai]
    recovered = np.corrcoef(
        [effect[r] for res in results.values() for r in res.penilai],
        [res.penilai[r].efek for res in results.values() for r in res.penilai],
    )[0, 1]

    teams: dict[str, list[str]] = {}
    for members in pools.values():
        for ratee, sup in members:
            if sup:
                teams.setdefault(sup, []).append(ratee)
    units = [
        (
            rng.choice(ORGANISASI),
            [Entry(sup, rng.choice(EKSPEKTASI), pimpinan_unit=True)]
            + [Entry(r, rng.choice(EKSPEKTASI), rng.choice(EKSPEKTASI)) for r in team],
        )
        for sup, team in teams.items()
    ]
    t = time.perf_counter()
    outcomes = [unit_predikat(org, entries) for org, entries in units]
    t_predikat = time.perf_counter() - t

    print(
        json.dumps(
            {
                "employees": a.n,
                "pools": len(pools),
                "pool_size_min_max": [min(map(len, pools.values())), max(map(len, pools.values()))],
                "ratings": len(rows),
                "assessors": n_assessors,
                "plan_s": round(t_plan, 2),
                "plan_problems": len(plan.masalah),
                "pool_report_s": round(t_report, 2),
                "pools_connected": sum(r.terhubung for r in report.values()),
                "calibrate_every_pool_s": round(t_pools, 2),
                "calibrate_with_validation_s": round(t_checked, 2),
                "max_rater_effect_difference_between_paths": float(max(errors)),
                "corr_true_vs_estimated_rater_effect": round(float(recovered), 3),
                "flags": sum(len(r.tanda) for r in results.values()),
                "units": len(units),
                "predikat_all_units_s": round(t_predikat, 3),
                "units_breaking_pola": sum(not o.sesuai for o in outcomes),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
