"""The attendance issue's bench: a province month on PostgreSQL — machine exports imported, then every employee's
monthly recap computed. Prints figures; asserts nothing about time. Its last line reads
`attendance month <employees>: <import + recap> s`.

    uv run python bench/attendance.py                 # 100,000 employees, one machine per 50, ~6 million punches
    uv run python bench/attendance.py --size 2500     # the city

Build, files and import are bench/attendance_import.py's steps (see its docstring: a fresh database, attlog files
from the demo's habits, punch_file_import in --workers processes); then, in its own process (its peak RSS is its
own), month_recompute for the month: chunks of 10,000 employees, each one query for punches, the grid from the
schedules and holidays, the engine (engine/recap.py), one upsert of MonthRecap rows.
Target (issue 10): import + recap under 60 s at 100,000, memory under 2 GiB; the city month under 3 s.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parents[1]))

import attendance_import as ai  # noqa: E402  (the import bench's steps)


def step_recap() -> dict:
    ai._django()
    from pamong.attendance.models import MonthRecap
    from pamong.attendance.month import month_recompute

    t0 = time.perf_counter()
    report = month_recompute(period=ai.MONTH, actor=None)
    secs = time.perf_counter() - t0
    tk = sum(MonthRecap.objects.filter(period=ai.MONTH).values_list("tk", flat=True))
    return {"employees": report.employees, "chunks": report.chunks, "written": report.written, "tk_days": tk,
            "seconds": round(secs, 1), "peak_rss_mib": round(ai._rss_mib())}  # fmt: skip


def _run(step: str, env: dict, *extra: str) -> dict:
    import subprocess

    proc = subprocess.run([sys.executable, str(HERE), "--step", step, *extra], env=env, capture_output=True, text=True)
    if proc.returncode:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"step {step} failed")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    ap.add_argument("--workers", type=int, default=2, help="import processes (as db_worker processes; 2 cores here)")
    ap.add_argument("--keep", action="store_true", help="keep the database")
    ap.add_argument("--step", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.step == "recap":
        print(json.dumps(step_recap()))
        return
    devices = max(1, a.size // 50)
    db = f"pamong_bench_attm_{a.size}"
    ai._psql(a.pg, f"DROP DATABASE IF EXISTS {db}")
    ai._psql(a.pg, f"CREATE DATABASE {db}")
    env = {**os.environ, "DATABASE_URL": f"{a.pg}/{db}", "PAMONG_ENV": "demo", "PYTHONPATH": str(HERE.parents[1])}
    load = os.getloadavg()[0]
    try:
        with tempfile.TemporaryDirectory(prefix="att-bench-") as out:
            build = ai._run("build", env, "--size", str(a.size), "--devices", str(devices))
            print("build:", build, flush=True)
            files = ai._run("files", env, "--out", out)
            print("files:", files, flush=True)
            imp = ai._run_parallel(env, a.workers, "--out", out)
            print("import:", imp, flush=True)
            rec = _run("recap", env)
            print("recap:", rec, flush=True)
    finally:
        if not a.keep:
            ai._psql(a.pg, f"DROP DATABASE IF EXISTS {db}")
    peak = max(imp["peak_rss_mib"], rec["peak_rss_mib"])
    print(f"load average at start {load:.1f}, at end {os.getloadavg()[0]:.1f} (2 cores, shared)")
    print(f"import {imp['seconds']} s ({imp['rows']:,} punches, {imp['files']:,} files, {a.workers} processes); "
          f"recap {rec['seconds']} s ({rec['written']:,} recaps, {rec['chunks']} chunks); peak RSS {peak} MiB")
    print(f"attendance month {build['employees']}: {round(imp['seconds'] + rec['seconds'], 1)} s")


if __name__ == "__main__":
    main()
