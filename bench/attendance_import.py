"""Importing a month of attendance machine exports at province scale, on PostgreSQL. Prints figures; asserts nothing
about time.

    uv run python bench/attendance_import.py --size 100000 [--devices 2000] [--pg postgres://postgres@127.0.0.1:5432]
    uv run python bench/attendance_import.py --size 2500            # the city

A fresh database (pamong_bench_att_<size>) is created, migrated, filled and dropped at the end (--keep keeps it).
Steps, each in its own process (so each peak RSS belongs to one step):
  1. build (not timed): one OPD with `devices` bidang; one employee made by the services, cloned in SQL to `size`
     (as bench/skp_pages.py does); one machine per bidang; every employee enrolled on their bidang's machine (PIN =
     their number on it), except one in 50, left unmapped so the import stores and lists them (unmatched).
  2. files (not timed): each machine's October 2026 export as a ZKTeco attlog file under a temp directory, from the
     demo's habits (pamong.demo.attendance_files: 2 punches a day, forgotten punches, the odd double touch), plus an
     out-and-back at midday on 45 % of days (machines at the door record lunch too): ~2.9 punches a working day,
     ~6 million punches at 100,000 employees.
  3. import (timed, peak RSS): punch_file_import for every file, as BKPSDM, in --workers processes (default 2, as
     two db_worker processes would take the uploads) — parse, check, COPY + INSERT ... ON CONFLICT, PunchFile,
     audit: the same call the upload page's background job makes.
  4. reimport (timed): the first 200 files again: every punch a duplicate, nothing added.
Target (issue): import well under 45 s at 100,000 employees, memory < 2 GiB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parents[1]))
MONTH = dt.date(2026, 10, 1)
UNMAPPED_EVERY = 50
REIMPORT_FILES = 200


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pamong.settings")
    os.environ.setdefault("PAMONG_ENV", "demo")
    import django

    django.setup()


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def step_build(size: int, n_devices: int) -> dict:
    _django()
    from django.core.management import call_command
    from django.db import connection
    from tests import factories as f

    from pamong.accounts.models import Role
    from pamong.attendance.models import Device, DeviceUser
    from pamong.people.models import Employee

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    opd = f.unit("Dinas Bench", code="BENCH")
    head_pos = f.position(opd, "Kepala Dinas", kind="jpt", kelas=14)
    f.employee(head_pos, name="Kepala Bench")
    units = []
    for i in range(n_devices):
        b = f.unit(f"Bidang {i}", parent=opd, kind="bidang", code=f"BB{i:05d}")
        units.append((b, f.position(b, f"Pelaksana {i}", superior=head_pos, seats_abk=10_000)))
    template = f.employee(units[0][1], name="Contoh Pegawai")
    f.user("bench_admin", role=Role.ADMIN_BKPSDM)
    n = size - 2  # plus the head and the template
    per = -(-n // n_devices)
    with connection.cursor() as cur:
        cols = [c.column for c in Employee._meta.concrete_fields if c.column != "id"]
        repl = {
            "nip": "lpad((900000000000000000 + g)::text, 18, '0')",
            "nik": "lpad((3000000000000000 + g)::text, 16, '0')",
            "name": "'Pegawai ' || g",
            "bank_account_name": "'Pegawai ' || g",
            "user_id": "NULL",
            "unit_id": f"(SELECT unit_id FROM bench_map WHERE k = ((g - 1) / {per}))",
            "position_id": f"(SELECT position_id FROM bench_map WHERE k = ((g - 1) / {per}))",
        }
        cur.execute("CREATE TEMP TABLE bench_map (k int primary key, unit_id bigint, position_id bigint)")
        cur.executemany("INSERT INTO bench_map VALUES (%s, %s, %s)", [(i, b.pk, p.pk) for i, (b, p) in
                                                                       enumerate(units)])  # fmt: skip
        select = ", ".join(repl.get(c, f'e."{c}"') for c in cols)
        cur.execute(
            f"INSERT INTO people_employee ({', '.join(chr(34) + c + chr(34) for c in cols)}) "
            f"SELECT {select} FROM people_employee e, generate_series(1, %s) g WHERE e.id = %s",
            [n, template.pk],  # the head, the template and n clones: `size` employees
        )
    devices = Device.objects.bulk_create(
        [Device(code=f"SN{i:06d}", name=f"Mesin {i}", unit=b) for i, (b, _p) in enumerate(units)]
    )
    by_unit = {d.unit_id: d for d in devices}
    rows, seq = [], {}
    for emp_id, unit_id in Employee.objects.filter(unit_id__in=by_unit).order_by("pk").values_list("pk", "unit_id"):
        seq[unit_id] = seq.get(unit_id, 0) + 1
        if emp_id % UNMAPPED_EVERY:
            rows.append(DeviceUser(device=by_unit[unit_id], machine_user_id=str(seq[unit_id]), employee_id=emp_id))
    DeviceUser.objects.bulk_create(rows, batch_size=10_000)
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    return {"employees": Employee.objects.count(), "devices": len(devices), "mapped": len(rows),
            "build_s": round(time.perf_counter() - t0, 1)}  # fmt: skip


def step_files(out: str) -> dict:
    _django()
    from pamong.attendance.calendar import standard_working_dates
    from pamong.attendance.models import Device
    from pamong.demo.attendance_files import Enrolled, WorkDay, attlog, person_punches
    from pamong.people.models import Employee

    t0 = time.perf_counter()
    end = (MONTH + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
    days = [WorkDay(d, 7 * 3600 + 30 * 60, 16 * 3600) for d in standard_working_dates(MONTH, end)]
    rng = random.Random(2026)
    total = files = 0
    counts: dict[int, int] = {}
    for unit_id in Employee.objects.order_by("pk").values_list("unit_id", flat=True):
        counts[unit_id] = counts.get(unit_id, 0) + 1
    for dev_id, unit_id in Device.objects.order_by("pk").values_list("pk", "unit_id"):
        rows: list[tuple[str, dt.date, int]] = []
        for pin in range(1, counts.get(unit_id, 0) + 1):
            habit = rng.random() ** 3
            tk = frozenset(d.date for d in days if rng.random() < 0.004)
            who = Enrolled(str(pin), habit, frozenset(), tk)
            mine = person_punches(rng, who, days)
            for d in days:
                if d.date not in tk and rng.random() < 0.45:  # out for lunch and back
                    out_at = 12 * 3600 + rng.randint(0, 1800)
                    rows += [(who.pin, d.date, out_at), (who.pin, d.date, out_at + rng.randint(1800, 3600))]
            rows += mine
        Path(out, f"{dev_id}.dat").write_bytes(attlog(rows))
        total += len(rows)
        files += 1
    return {"files": files, "punches": total, "working_days": len(days), "files_s": round(time.perf_counter() - t0, 1)}


def step_import(out: str, limit: int, part: int, parts: int) -> dict:
    _django()
    from django.db import connection

    from pamong.accounts.models import User
    from pamong.attendance.models import Punch
    from pamong.attendance.punch_import import punch_file_import

    admin = User.objects.get(username="bench_admin")
    paths = sorted(Path(out).glob("*.dat"), key=lambda p: int(p.stem))[: limit or None][part::parts]
    rows = added = dups = unmatched = 0
    t0 = time.perf_counter()
    for p in paths:
        f = punch_file_import(device_id=int(p.stem), filename=p.name, data=p.read_bytes(), actor=admin)
        # a new session per file, as the worker has one per job (CONN_MAX_AGE 0): PostgreSQL caches the plans of a
        # session's foreign-key checks, and one planned while attendance_punchfile was empty scans it sequentially
        # for every punch ever after (measured: 345 s for the province month in one session per process)
        connection.close()
        rows, added, dups, unmatched = rows + f.rows, added + f.added, dups + f.duplicates, unmatched + len(f.unmatched)
    secs = time.perf_counter() - t0
    return {"files": len(paths), "rows": rows, "added": added, "duplicates": dups, "unmatched_ids": unmatched,
            "seconds": round(secs, 1), "rows_per_s": round(rows / secs), "peak_rss_mib": round(_rss_mib()),
            "punches_stored": Punch.objects.count()}  # fmt: skip


def _run(step: str, env: dict, *extra: str) -> dict:
    proc = subprocess.run([sys.executable, str(HERE), "--step", step, *extra], env=env, capture_output=True, text=True)
    if proc.returncode:
        sys.stderr.write(proc.stdout + proc.stderr)
        raise SystemExit(f"step {step} failed")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _run_parallel(env: dict, workers: int, *extra: str) -> dict:
    """`workers` import processes over disjoint files (as `workers` db_worker processes would take the uploads);
    wall-clock time over all, peak RSS of the largest."""
    t0 = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, str(HERE), "--step", "import", "--part", str(k), "--parts",
                               str(workers), *extra], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for k in range(workers)]  # fmt: skip
    results = []
    for p in procs:
        out, err = p.communicate()
        if p.returncode:
            sys.stderr.write(out + err)
            raise SystemExit("step import failed")
        results.append(json.loads(out.strip().splitlines()[-1]))
    secs = time.perf_counter() - t0
    total = {k: sum(r[k] for r in results) for k in ("files", "rows", "added", "duplicates", "unmatched_ids")}
    return {**total, "workers": workers, "seconds": round(secs, 1), "rows_per_s": round(total["rows"] / secs),
            "peak_rss_mib": max(r["peak_rss_mib"] for r in results),
            "punches_stored": max(r["punches_stored"] for r in results)}  # fmt: skip


def _psql(base: str, sql: str) -> None:
    subprocess.run(["psql", base + "/postgres", "-qc", sql], check=True, capture_output=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--devices", type=int, default=0, help="machines (default: one per 50 employees)")
    ap.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    ap.add_argument("--keep", action="store_true", help="keep the database")
    ap.add_argument("--step", help=argparse.SUPPRESS)
    ap.add_argument("--out", help=argparse.SUPPRESS)
    ap.add_argument("--limit", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--part", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--parts", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--workers", type=int, default=2, help="import processes (as db_worker processes; 2 cores here)")
    a = ap.parse_args()
    devices = a.devices or max(1, a.size // 50)
    if a.step == "build":
        print(json.dumps(step_build(a.size, devices)))
        return
    if a.step == "files":
        print(json.dumps(step_files(a.out)))
        return
    if a.step == "import":
        print(json.dumps(step_import(a.out, a.limit, a.part, a.parts)))
        return
    db = f"pamong_bench_att_{a.size}"
    _psql(a.pg, f"DROP DATABASE IF EXISTS {db}")
    _psql(a.pg, f"CREATE DATABASE {db}")
    env = {**os.environ, "DATABASE_URL": f"{a.pg}/{db}", "PAMONG_ENV": "demo", "PYTHONPATH": str(HERE.parents[1])}
    load = os.getloadavg()[0]
    try:
        with tempfile.TemporaryDirectory(prefix="att-bench-") as out:
            build = _run("build", env, "--size", str(a.size), "--devices", str(devices))
            print("build:", build, flush=True)
            files = _run("files", env, "--out", out)
            size_mb = sum(p.stat().st_size for p in Path(out).glob("*.dat")) / 2**20
            print("files:", files, f"{size_mb:.0f} MB", flush=True)
            imp = _run_parallel(env, a.workers, "--out", out)
            print("import:", imp, flush=True)
            again = _run_parallel(env, a.workers, "--out", out, "--limit", str(REIMPORT_FILES))
            print("reimport:", again, flush=True)
    finally:
        if not a.keep:
            _psql(a.pg, f"DROP DATABASE IF EXISTS {db}")
    print(f"load average at start {load:.1f}, at end {os.getloadavg()[0]:.1f} (2 cores, shared)")
    print(f"attendance import {build['employees']}: {imp['seconds']} s ({imp['rows']:,} punches in {imp['files']:,} "
          f"files, {a.workers} processes, {imp['rows_per_s']:,} rows/s, peak RSS {imp['peak_rss_mib']} MiB); "
          f"re-import of {again['files']} files: {again['seconds']} s, {again['added']} added")  # fmt: skip


if __name__ == "__main__":
    main()
