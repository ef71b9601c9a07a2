"""Payroll runs at city scale (issue 4): gaji + TPP for every employee, facts → stored payslips with lines, on
PostgreSQL, with 1 and 2 workers; SQL queries per chunk; payslip PDFs per second. Prints figures; asserts nothing
about time.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/pamong_bench
    uv run python bench/payroll_run.py --size 100000 [--reuse]

Steps, each in its own process (so each peak RSS belongs to one step):
  1. prepare: `pamong demo --size N --no-serve --yes` into DATABASE_URL (the seeded generator; it also approves gaji
     and TPP runs for its own month, which this bench leaves alone), unless --reuse and the database already holds
     N employees; then VACUUM ANALYZE.
  2. setup: the bench month (the month before the demo's, never December, or --month), its monthly inputs copied
     from the demo month's when missing.
  3. queries: SQL queries of one compute_chunk call (CaptureQueriesContext) at two chunk sizes, gaji and TPP.
  4. run, for workers in (1, 2): earlier bench runs of the bench month deleted (and the tables vacuumed), then
     timed: run_create + run_compute + computing every chunk, for a gaji run and then a TPP run, city-wide. The
     step process computes chunks itself and starts workers-1 helpers `python -m pamong.cli payroll work RUN_ID`
     (as `pamong payroll run --workers N` does); chunks are claimed with SELECT ... FOR UPDATE SKIP LOCKED.
     Peak RSS: the step process (ru_maxrss) and the largest helper (RUSAGE_CHILDREN).
  5. pdf: 1,000 payslips of the last bench TPP run in one `payslips_pdf` call, and `payslip_pdf` one by one.
Target (issue): the whole gaji + TPP for 100,000 employees in < 30 s on 2 cores, < 2 GiB, fixed queries per chunk.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve()
NOTE = "bench/payroll_run.py"
BENCH_USER = "kepala.bpkad"  # the demo's BPKAD head
MIB = 1024  # ru_maxrss is in KiB on Linux


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pamong.settings")
    import django

    django.setup()


def _self_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / MIB


def _children_mib() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / MIB


def _vacuum(*tables: str) -> None:
    from django.db import connection

    with connection.cursor() as cur:  # autocommit: VACUUM cannot run in a transaction
        cur.execute(f"VACUUM ANALYZE {', '.join(tables)}" if tables else "VACUUM ANALYZE")


# ---------------------------------------------------------------- steps (each in its own process)


def step_count() -> dict:
    _django()
    from django.db import connection

    from pamong.people.models import Employee

    if connection.vendor != "postgresql":
        raise SystemExit("this bench needs PostgreSQL (DATABASE_URL=postgres://...)")
    try:
        return {"employees": Employee.objects.count()}
    except Exception:  # not migrated yet
        return {"employees": -1}


def step_prepare(size: int) -> dict:
    _django()
    from django.core.management import call_command

    from pamong.people.models import Employee

    t = time.perf_counter()
    call_command("demo", size=size, no_serve=True, yes=True, verbosity=0)
    took = time.perf_counter() - t
    _vacuum()
    return {"demo_s": round(took, 1), "employees": Employee.objects.count(), "demo_peak_mib": round(_self_mib())}


def _bench_month(demo_month: dt.date) -> dt.date:
    month = (demo_month - dt.timedelta(days=1)).replace(day=1)
    if month.month == 12:  # December needs the yearly PPh 21 recomputation, refused by the engine for now
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return month


def step_setup(month: str | None) -> dict:
    _django()
    from django.db.models import Max

    from pamong.payroll.models import MonthlyInput

    demo_month = MonthlyInput.objects.exclude(source="").aggregate(m=Max("period"))["m"]
    if month:
        period = dt.datetime.strptime(month, "%Y-%m").date()
    else:
        if demo_month is None:
            raise SystemExit("no monthly inputs in the database: build it with the demo (without --reuse)")
        period = _bench_month(demo_month)
    created = 0
    if not MonthlyInput.objects.filter(period=period).exists():
        if demo_month is None:
            raise SystemExit(f"no monthly inputs to copy into {period:%Y-%m}")
        rows = [
            MonthlyInput(employee_id=e, period=period, capaian_bp=c, discipline=d, source=f"{NOTE}: {s}")
            for e, c, d, s in MonthlyInput.objects.filter(period=demo_month).values_list(
                "employee_id", "capaian_bp", "discipline", "source"
            )
        ]
        MonthlyInput.objects.bulk_create(rows, batch_size=5000)
        created = len(rows)
        _vacuum(MonthlyInput._meta.db_table)
    return {"period": period.isoformat(), "demo_month": demo_month.isoformat() if demo_month else None,
            "inputs_created": created, "inputs": MonthlyInput.objects.filter(period=period).count()}  # fmt: skip


def _drop_bench_runs(period: dt.date) -> int:
    from django.db import connection, transaction

    from pamong.payroll.models import PayrollRun, Payslip, PayslipError, RunChunk, RunTransition

    ids = list(PayrollRun.objects.filter(period=period, note=NOTE).values_list("id", flat=True))
    if not ids:
        return 0
    with transaction.atomic(), connection.cursor() as cur:
        for model in (Payslip, PayslipError, RunChunk, RunTransition):
            cur.execute(f"DELETE FROM {model._meta.db_table} WHERE run_id = ANY(%s)", [ids])
        PayrollRun.objects.filter(id__in=ids).delete()
    _vacuum(Payslip._meta.db_table, PayslipError._meta.db_table, RunChunk._meta.db_table)
    return len(ids)


def _one_run(user, period: dt.date, kind: str, workers: int) -> dict:
    from pamong.payroll.compute import work
    from pamong.payroll.models import PayrollRun, RunState
    from pamong.payroll.services import run_compute, run_create

    t0 = time.perf_counter()
    run = run_create(user, period=period, kind=kind, note=NOTE)
    run = run_compute(user, run, enqueue=False)
    t_plan = time.perf_counter() - t0
    helpers = [
        subprocess.Popen(
            [sys.executable, "-m", "pamong.cli", "payroll", "work", str(run.id)], stdout=subprocess.PIPE, text=True
        )  # fmt: skip
        for _ in range(workers - 1)
    ]
    try:
        mine = work(run.id, worker="bench-main")
    finally:
        outs = [p.communicate()[0].strip() for p in helpers]
    took = time.perf_counter() - t0
    if any(p.returncode for p in helpers):
        raise SystemExit(f"a helper failed: {[p.returncode for p in helpers]}")
    run = PayrollRun.objects.get(id=run.id)
    if run.state != RunState.COMPUTED:
        raise SystemExit(f"run {run.id} ended in state {run.state}")
    slips = run.payslips.count()
    return {"kind": kind, "run_id": run.id, "seconds": round(took, 2), "plan_s": round(t_plan, 2),
            "employees": run.employees_total, "payslips": slips, "errors": run.errors_total,
            "chunks": run.chunks_total, "chunks_by_main": mine,
            "chunks_by_helpers": [int(o.split()[0]) if o else 0 for o in outs]}  # fmt: skip


def step_run(period_text: str, workers: int) -> dict:
    _django()
    from pamong.accounts.models import User

    period = dt.date.fromisoformat(period_text)
    dropped = _drop_bench_runs(period)
    user = User.objects.get(username=BENCH_USER)
    runs = [_one_run(user, period, kind, workers) for kind in ("gaji", "tpp")]
    total = sum(r["seconds"] for r in runs)
    slips = sum(r["payslips"] for r in runs)
    return {"workers": workers, "dropped_runs": dropped, "runs": runs, "total_s": round(total, 2),
            "payslips_per_s": round(slips / total), "main_peak_mib": round(_self_mib()),
            "helper_peak_mib": round(_children_mib()) if workers > 1 else None}  # fmt: skip


def step_queries(period_text: str, sizes: list[int]) -> dict:
    _django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pamong.accounts.models import User
    from pamong.payroll import services
    from pamong.payroll.compute import compute_chunk

    period = dt.date.fromisoformat(period_text)
    _drop_bench_runs(period)
    user = User.objects.get(username=BENCH_USER)
    out: dict[str, dict[int, int]] = {}
    for kind in ("gaji", "tpp"):
        out[kind] = {}
        for size in sizes:
            services.CHUNK_SIZE = size
            run = services.run_create(user, period=period, kind=kind, note=NOTE)
            services.run_compute(user, run, enqueue=False)
            compute_chunk(run.id, 1)  # warm: parameter packs, region rules (cached per process)
            with CaptureQueriesContext(connection) as ctx:
                assert compute_chunk(run.id, 0)  # not the last chunk: no run state transition in it
            out[kind][size] = len(ctx.captured_queries)
            _drop_bench_runs(period)
    return {"queries_per_chunk": out}


def step_pdf(period_text: str, batch: int, single: int) -> dict:
    _django()
    from pamong.payroll.models import PayrollRun, Payslip
    from pamong.payroll.outputs.pdf import payslip_pdf, payslips_pdf

    period = dt.date.fromisoformat(period_text)
    run = PayrollRun.objects.filter(period=period, note=NOTE, kind="tpp").order_by("-id").first()
    if run is None:
        raise SystemExit("no bench TPP run to print")
    payslip_pdf(Payslip.objects.select_related("run", "opd").filter(run=run).first())  # warm: fonts, Pango
    qs = Payslip.objects.filter(run=run).order_by("opd", "employee")
    ids = list(qs.values_list("id", flat=True)[:batch])
    t = time.perf_counter()
    data = payslips_pdf(Payslip.objects.filter(id__in=ids).order_by("opd", "employee"))
    t_batch = time.perf_counter() - t
    one_ids = ids[:single]
    t = time.perf_counter()
    sizes = [payslip_pdf(p) for p in Payslip.objects.select_related("run", "opd").filter(id__in=one_ids)]
    t_single = time.perf_counter() - t
    return {"batch": len(ids), "batch_s": round(t_batch, 1), "batch_per_s": round(len(ids) / t_batch, 1),
            "batch_mib": round(len(data) / 2**20, 1), "single": len(sizes), "single_s": round(t_single, 1),
            "single_per_s": round(len(sizes) / t_single, 1), "pdf_peak_mib": round(_self_mib())}  # fmt: skip


# ---------------------------------------------------------------- driver


def _step(*args: str) -> dict:
    proc = subprocess.run([sys.executable, str(HERE), "--step", *args], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-6000:])
        raise SystemExit(f"step {args[0]} failed")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _summary(size: int, runs: list[dict], queries: dict, pdf: dict | None) -> None:
    print(f"\nSummary: {size:,} employees, PostgreSQL, {os.cpu_count()} cores")
    rows = [("what", "1 worker", "2 workers")]
    by = {r["workers"]: r for r in runs}
    get = [by.get(1), by.get(2)]
    for kind in ("gaji", "tpp"):
        cells = []
        for r in get:
            run = next((x for x in r["runs"] if x["kind"] == kind), None) if r else None
            cells.append(f"{run['seconds']:.1f} s ({run['payslips']:,} slips)" if run else "-")
        rows.append((f"{kind} run (create + compute)", *cells))
    rows.append(("gaji + TPP total", *[f"{r['total_s']:.1f} s" if r else "-" for r in get]))
    rows.append(("payslips/s", *[f"{r['payslips_per_s']:,}" if r else "-" for r in get]))
    rows.append(("peak RSS main process", *[f"{r['main_peak_mib']:,} MiB" if r else "-" for r in get]))
    rows.append(("peak RSS helper process", *[f"{r['helper_peak_mib']:,} MiB" if r and r["helper_peak_mib"]
                                                else "-" for r in get]))  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for i, row in enumerate(rows):
        print("  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
        if i == 0:
            print("  " + "  ".join("-" * w for w in widths))
    q = queries["queries_per_chunk"]
    print("  SQL queries per chunk: " + "; ".join(
        f"{kind} " + ", ".join(f"{n} at {int(size):,}" for size, n in v.items()) for kind, v in q.items()))  # fmt: skip
    if pdf:
        print(f"  PDF, payslips_pdf batch of {pdf['batch']:,}: {pdf['batch_s']} s = {pdf['batch_per_s']} PDFs/s "
              f"({pdf['batch_mib']} MiB); payslip_pdf one by one ({pdf['single']}): {pdf['single_s']} s = "
              f"{pdf['single_per_s']} PDFs/s; peak {pdf['pdf_peak_mib']:,} MiB")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--reuse", action="store_true", help="keep the database if it already holds --size employees")
    ap.add_argument("--month", help="bench month YYYY-MM (default: the month before the demo's)")
    ap.add_argument("--workers", default="1,2", help="worker counts to time (default 1,2)")
    ap.add_argument("--query-sizes", default="500,2000", help="chunk sizes for the query count")
    ap.add_argument("--pdf-batch", type=int, default=1000)
    ap.add_argument("--pdf-single", type=int, default=100, help="payslips rendered one by one")
    ap.add_argument("--no-pdf", action="store_true")
    ap.add_argument("--step")
    a, rest = ap.parse_known_args()
    if a.step:
        steps = {
            "count": lambda: step_count(),
            "prepare": lambda: step_prepare(a.size),
            "setup": lambda: step_setup(rest[0] if rest else None),
            "run": lambda: step_run(rest[0], int(rest[1])),
            "queries": lambda: step_queries(rest[0], [int(s) for s in rest[1].split(",")]),
            "pdf": lambda: step_pdf(rest[0], a.pdf_batch, a.pdf_single),
        }
        print(json.dumps(steps[a.step]()))
        return
    db = os.environ.get("DATABASE_URL", "")
    print(f"payroll run bench: {a.size:,} employees, {db.rsplit('/', 1)[-1] or '?'}", flush=True)
    have = _step("count")["employees"]
    if a.reuse and have == a.size:
        print(f"1/5 reusing the database ({have:,} employees)", flush=True)
    else:
        print(f"1/5 building the demo city ({a.size:,} employees; the database is emptied) ...", flush=True)
        print("   ", _step("prepare", "--size", str(a.size)), flush=True)
    setup = _step("setup", *([a.month] if a.month else []))
    print(f"2/5 bench month {setup['period'][:7]} (demo month {str(setup['demo_month'])[:7]}), "
          f"{setup['inputs']:,} monthly inputs ({setup['inputs_created']:,} created)", flush=True)  # fmt: skip
    print("3/5 SQL queries per chunk ...", flush=True)
    queries = _step("queries", setup["period"], a.query_sizes)
    print("   ", queries, flush=True)
    runs = []
    for workers in [int(w) for w in a.workers.split(",")]:
        print(f"4/5 gaji + TPP with {workers} worker(s) ...", flush=True)
        r = _step("run", setup["period"], str(workers))
        for run in r["runs"]:
            print(f"    {run['kind']:4}  {run['seconds']:6.2f} s  {run['payslips']:,} payslips, {run['errors']} "
                  f"errors, {run['chunks']} chunks (main {run['chunks_by_main']}, helpers "
                  f"{run['chunks_by_helpers']}), create+plan {run['plan_s']} s", flush=True)  # fmt: skip
        print(f"    total {r['total_s']:.2f} s, {r['payslips_per_s']:,} payslips/s, peak RSS main "
              f"{r['main_peak_mib']} MiB, helper {r['helper_peak_mib']} MiB", flush=True)  # fmt: skip
        runs.append(r)
    pdf = None
    if not a.no_pdf:
        print("5/5 payslip PDFs ...", flush=True)
        pdf = _step("pdf", setup["period"], "--pdf-batch", str(a.pdf_batch), "--pdf-single", str(a.pdf_single))
        print("   ", pdf, flush=True)
    _summary(a.size, runs, queries, pdf)


if __name__ == "__main__":
    main()
