"""Foundation benchmark at province scale (issue 2). Prints figures; asserts nothing about time.

    uv run python bench/foundation.py [--size 100000] [--pg postgres://postgres@127.0.0.1:5432]

Steps, each in its own process with its own DATABASE_URL (fresh PostgreSQL databases, dropped at the end):
  1. seed   database A with `pamong demo --size N --no-serve --yes` (the seeded generator, through the services)
  2. export from A: units.csv, positions.csv (import layout) and the employee register XLSX (export_register_xlsx)
  3. import into an empty database B: units, positions, then the N-row employee XLSX (target < 120 s);
     then the same XLSX again (idempotent: nothing changes)
  (after each bulk load: VACUUM ANALYZE, as an operator would after loading a province)
  4. web on A through the Django test client: employee list pages and NIP search (p50/p95, targets
     < 150 ms and < 50 ms), and SQL queries per list page at several page sizes (must be constant)
"""

from __future__ import annotations

import argparse
import csv
import inspect
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).parent / "out"
HERE = Path(__file__).resolve()


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pamong.settings")
    import django

    django.setup()


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _admin():
    from pamong.accounts.models import Role, RoleGrant, User

    user, _ = User.objects.get_or_create(username="bench-admin")
    RoleGrant.objects.get_or_create(user=user, role=Role.ADMIN_BKPSDM, unit=None)
    return User.objects.get(pk=user.pk)


def step_seed(size: int) -> dict:
    _django()
    from django.core.management import call_command

    from pamong.people.models import Employee

    t = time.perf_counter()
    call_command("demo", size=size, no_serve=True, yes=True, verbosity=0)
    return {"seed_s": round(time.perf_counter() - t, 1), "employees": Employee.objects.count(),
            "seed_peak_mib": round(_peak_mib())}


def step_export() -> dict:
    _django()
    from pamong.org.models import Position, Unit
    from pamong.people.exports import export_register_xlsx
    from pamong.people.selectors import EmployeeFilter

    OUT.mkdir(exist_ok=True)
    with open(OUT / "units.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["KODE_UNIT", "NAMA_UNIT", "JENIS", "KODE_INDUK"])
        for u in Unit.objects.select_related("parent").order_by("path"):
            w.writerow([u.code, u.name, u.kind, u.parent.code if u.parent else ""])
    with open(OUT / "positions.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["KODE_JABATAN", "NAMA_JABATAN", "JENIS_JABATAN", "ESELON", "RUMPUN_JF", "JENJANG_JF",
                    "KELAS_JABATAN", "KODE_UNIT", "KODE_ATASAN", "KEBUTUHAN_ABK"])
        for p in Position.objects.select_related("unit", "superior").order_by("path"):
            w.writerow([p.code, p.name, p.kind, p.eselon, p.jf_family, p.jf_jenjang, p.kelas_jabatan, p.unit.code,
                        p.superior.code if p.superior else "", p.seats_abk])
    t = time.perf_counter()
    data = export_register_xlsx(user=_admin(), f=EmployeeFilter())
    took = time.perf_counter() - t
    (OUT / "employees.xlsx").write_bytes(data)
    return {"export_xlsx_s": round(took, 1), "export_xlsx_mib": round(len(data) / 2**20, 1)}


def step_import() -> dict:
    _django()
    from django.core.management import call_command

    from pamong.people.imports import import_file

    call_command("migrate", verbosity=0)
    out: dict = {}
    for kind, name in (("units", "units.csv"), ("positions", "positions.csv"), ("employees", "employees.xlsx"),
                       ("employees_again", "employees.xlsx")):
        t = time.perf_counter()
        rep = import_file(actor=None, kind=kind.split("_")[0], filename=name, content=(OUT / name).read_bytes(),
                          dry_run=False, reason="benchmark")
        took = time.perf_counter() - t
        if rep.errors:
            raise SystemExit(f"{kind}: {len(rep.errors)} errors, first: {rep.errors[:3]}")
        out[f"import_{kind}"] = {"rows": rep.rows_total, "created": rep.created, "updated": rep.updated,
                                 "unchanged": rep.unchanged, "seconds": round(took, 1)}
    out["import_peak_mib"] = round(_peak_mib())
    return out


def _percentiles(samples: list[float]) -> dict:
    s = sorted(samples)
    return {"n": len(s), "p50_ms": round(statistics.median(s) * 1000, 1),
            "p95_ms": round(s[int(0.95 * (len(s) - 1))] * 1000, 1), "max_ms": round(s[-1] * 1000, 1)}


def step_web(list_url: str, page_sizes: list[int]) -> dict:
    _django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from pamong.people.models import Employee

    client = Client()
    client.force_login(_admin())
    total = Employee.objects.count()
    rng = random.Random(7)
    client.get(list_url)  # warm caches
    pages = []
    for _ in range(60):
        page = rng.randint(1, max(1, min(400, total // 25)))  # the list pages at most 10,000 rows
        t = time.perf_counter()
        r = client.get(list_url, {"page": page})
        pages.append(time.perf_counter() - t)
        assert r.status_code == 200, r.status_code
    nips = list(Employee.objects.order_by("?").values_list("nip", flat=True)[:100])
    search = []
    for nip in nips:
        t = time.perf_counter()
        r = client.get(list_url, {"q": nip})
        search.append(time.perf_counter() - t)
        assert r.status_code == 200 and nip.encode() in r.content
    name_search = []
    for term in ("ahmad", "sari", "putri", "rahmat", "yulia", "budi", "dewi", "fitri", "hendra", "nur"):
        t = time.perf_counter()
        client.get(list_url, {"q": term})
        name_search.append(time.perf_counter() - t)
    queries = {}
    for size in page_sizes:
        with CaptureQueriesContext(connection) as ctx:
            client.get(list_url, {"page": 3, "per_page": size})
        queries[size] = len(ctx.captured_queries)
    api_pages = []
    for _ in range(30):
        t = time.perf_counter()
        r = client.get("/api/v1/employees", {"page": rng.randint(1, max(1, total // 100)), "page_size": 100})
        api_pages.append(time.perf_counter() - t)
        assert r.status_code == 200
    return {"employees": total, "list_page": _percentiles(pages), "nip_search": _percentiles(search),
            "name_search": _percentiles(name_search), "api_list_page_100": _percentiles(api_pages),
            "queries_per_list_page_by_page_size": queries}


def _run(step: str, db_url: str, *extra: str) -> dict:
    env = dict(os.environ, DATABASE_URL=db_url, PAMONG_DATA_DIR=str(OUT / "var"))
    proc = subprocess.run([sys.executable, str(HERE), "--step", step, *extra], env=env, capture_output=True,
                          text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-5000:])
        raise SystemExit(f"step {step} failed")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _psql(sql: str, base: str) -> None:
    subprocess.run(["psql", base + "/postgres", "-qc", sql], check=True, capture_output=True)


def _psql_db(sql: str, base: str, db: str) -> None:
    subprocess.run(["psql", f"{base}/{db}", "-qc", sql], check=True, capture_output=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    ap.add_argument("--list-url", default="/pegawai/")
    ap.add_argument("--step")
    ap.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    ap.add_argument("--register", action="store_true", help="only the daftar gaji PDF figure, on DATABASE_URL")
    a = ap.parse_args()
    if a.register:
        print(json.dumps(step_register_pdf(), indent=2))
        return
    if a.step:
        result = {"seed": lambda: step_seed(a.size), "export": step_export, "import": step_import,
                  "web": lambda: step_web(a.list_url, [25, 50, 100])}[a.step]()
        print(json.dumps(result))
        return
    OUT.mkdir(exist_ok=True)
    db_a, db_b = "pamong_bench_a", "pamong_bench_b"
    for db in (db_a, db_b):
        _psql(f"DROP DATABASE IF EXISTS {db}", a.pg)
        _psql(f"CREATE DATABASE {db}", a.pg)
    url_a, url_b = f"{a.pg}/{db_a}", f"{a.pg}/{db_b}"
    report: dict = {"size": a.size}
    try:
        print(f"1/4 seeding {a.size:,} employees ...", flush=True)
        report["seed"] = _run("seed", url_a, "--size", str(a.size))
        print("   ", report["seed"], flush=True)
        _psql_db("VACUUM ANALYZE", a.pg, db_a)  # as after any bulk load: planner statistics, visibility map
        print("2/4 exporting ...", flush=True)
        report["export"] = _run("export", url_a)
        print("   ", report["export"], flush=True)
        print("3/4 importing into an empty database ...", flush=True)
        report["import"] = _run("import", url_b)
        _psql_db("VACUUM ANALYZE", a.pg, db_b)
        print("   ", json.dumps(report["import"]), flush=True)
        print("4/4 list pages and searches ...", flush=True)
        report["web"] = _run("web", url_a, "--list-url", a.list_url)
        print("   ", json.dumps(report["web"]), flush=True)
    finally:
        if not a.keep:
            for db in (db_a, db_b):
                _psql(f"DROP DATABASE IF EXISTS {db}", a.pg)
    print(json.dumps(report, indent=2))




# --- imports on SQLite (issue 8): a large employee file, dry run and real import, and a concurrent writer ------------

IMPORTS_OUT = OUT / "imports"


def _probe_writer(db: Path, stop: Path, out: Path) -> None:
    """A concurrent writer (as a login is): a short write transaction every 0.1 s; records each wait for the lock."""
    import sqlite3

    con = sqlite3.connect(db, timeout=20, isolation_level=None)  # 20 s: the web's timeout (settings.py)
    con.execute("CREATE TABLE IF NOT EXISTS bench_probe (at REAL)")
    waits, locked = [], 0
    while not stop.exists():
        t = time.perf_counter()
        try:
            con.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:  # "database is locked": what a login got
            locked += 1
            continue
        con.execute("INSERT INTO bench_probe VALUES (?)", (t,))
        con.execute("COMMIT")
        waits.append(time.perf_counter() - t)
        time.sleep(0.1)
    result = {"writes": len(waits), "max_wait_s": round(max(waits, default=0), 2), "database_is_locked": locked}
    out.write_text(json.dumps(result))


def imports_step(step: str, size: int) -> dict:
    """One step of `--imports`, in its own process (its own peak RSS)."""
    _django()
    from django.core.management import call_command

    from pamong.people.imports import import_file

    if step == "seed":
        t = time.perf_counter()
        call_command("demo", size=size, no_serve=True, yes=True, verbosity=0)
        seeded = time.perf_counter() - t
        global OUT
        OUT = IMPORTS_OUT
        step_export()
        return {"seed_s": round(seeded, 1)}
    call_command("migrate", verbosity=0)
    if step == "org":
        for kind, name in (("units", "units.csv"), ("positions", "positions.csv")):
            rep = import_file(actor=None, kind=kind, filename=name, content=(IMPORTS_OUT / name).read_bytes(),
                              dry_run=False, reason="benchmark")
            assert not rep.errors, rep.errors[:3]
        return {}
    content = (IMPORTS_OUT / "employees.xlsx").read_bytes()
    steps: list[float] = []  # seconds between write steps (each one transaction), when import_file reports them
    last = [0.0]

    def progress(phase: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if phase == "write":
            steps.append(now - last[0])
        last[0] = now

    t = time.perf_counter()
    kwargs = {"progress": progress} if "progress" in inspect.signature(import_file).parameters else {}
    rep = import_file(actor=None, kind="employees", filename="employees.xlsx", content=content,
                      dry_run=step == "dry", reason="benchmark", **kwargs)
    took = time.perf_counter() - t
    assert not rep.errors, rep.errors[:3]
    out = {"rows": rep.rows_total, "created": rep.created, "seconds": round(took, 1), "peak_mib": round(_peak_mib()),
           "file_mib": round(len(content) / 2**20, 1)}
    if steps:  # the first also holds the whole file's check (no transaction): left out
        out["write_steps"] = len(steps)
        out["longest_steps_s"] = [round(x, 2) for x in sorted(steps[1:], reverse=True)[:3]]
    return out


def imports_main(size: int, reuse: bool) -> None:
    """`uv run python bench/foundation.py --imports [--size 28000] [--reuse]`: on SQLite files (where the write
    lock is the whole database), seed a city, export it, import units and positions into an empty database, then
    the employee XLSX as a dry run and for real, each while a concurrent writer measures how long it waits for the
    lock (and how often it gives up with "database is locked" after 20 s, the web's timeout)."""
    import shutil
    import threading

    src_db, dst_db = IMPORTS_OUT / "a.sqlite3", IMPORTS_OUT / "b.sqlite3"
    reuse = reuse and (IMPORTS_OUT / "employees.xlsx").exists()
    if not reuse:
        shutil.rmtree(IMPORTS_OUT, ignore_errors=True)
    IMPORTS_OUT.mkdir(parents=True, exist_ok=True)
    for p in IMPORTS_OUT.glob("b.sqlite3*"):
        p.unlink()

    def run(step: str, db: Path) -> dict:
        env = dict(os.environ, DATABASE_URL=f"sqlite:///{db}", PAMONG_DATA_DIR=str(IMPORTS_OUT / "var"))
        proc = subprocess.run([sys.executable, str(HERE), "--imports-step", step, "--size", str(size)], env=env,
                              capture_output=True, text=True)
        if proc.returncode != 0:
            sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-5000:])
            raise SystemExit(f"step {step} failed")
        return json.loads(proc.stdout.strip().splitlines()[-1])

    report: dict = {"size": size}
    if not reuse:
        print(f"seeding {size:,} employees on SQLite and exporting ...", flush=True)
        report["seed"] = run("seed", src_db)
    run("org", dst_db)
    for step in ("dry", "real"):
        stop, probe = IMPORTS_OUT / "stop", IMPORTS_OUT / f"probe-{step}.json"
        stop.unlink(missing_ok=True)
        writer = threading.Thread(target=_probe_writer, args=(dst_db, stop, probe))
        writer.start()
        try:
            report[step] = run(step, dst_db)
        finally:
            stop.touch()
            writer.join()
        report[step]["concurrent_writer"] = json.loads(probe.read_text())
        print(f"   {step}: {json.dumps(report[step])}", flush=True)
    print(json.dumps(report, indent=2))


def step_register_pdf() -> dict:
    """The daftar gaji PDF (issue 8, item 13) on the database in DATABASE_URL (a demo city with an approved month):
    1,000 payslips of the latest gaji run as one register, and the register of its largest OPD, as the treasurer
    downloads it. `uv run python bench/foundation.py --register` (after `pamong demo --no-serve`)."""
    _django()
    from django.db.models import Count

    from pamong.org.models import Unit
    from pamong.payroll.models import PayrollRun, Payslip
    from pamong.payroll.outputs import register, register_layout, register_pdf

    run = PayrollRun.objects.filter(kind="gaji").order_by("-period", "-id").first()
    if run is None:
        raise SystemExit("no gaji run: build the demo first (pamong demo --no-serve)")
    out: dict = {"run": f"{run.kind} {run.period:%m/%Y}"}
    t = time.perf_counter()
    codes, rows, totals = register.register_rows(Payslip.objects.filter(run=run).order_by("employee__nip")[:1000])
    layout = register_layout.plan(codes, rows, totals)
    heading = register_pdf.Heading("Pemerintah Kota", "Daftar Gaji — bench", "Bulan", "", "Jumlah dibayar",
                                   register.SIGNATURES)  # fmt: skip
    data = register_pdf.draw(layout, heading, employees=len(rows))
    out["rows_1000"] = {"rows": len(rows), "pages": len(layout.pages), "seconds": round(time.perf_counter() - t, 2),
                        "kib": len(data) // 1024}  # fmt: skip
    top = Payslip.objects.filter(run=run).values("opd").annotate(n=Count("id")).order_by("-n").first()
    if top:
        opd = Unit.objects.get(pk=top["opd"])
        t = time.perf_counter()
        data = register.register_pdf(run, opd)
        out["largest_opd"] = {"opd": opd.name, "rows": top["n"], "seconds": round(time.perf_counter() - t, 2),
                              "kib": len(data) // 1024}  # fmt: skip
    return out


if __name__ == "__main__":
    if "--imports" in sys.argv or "--imports-step" in sys.argv:
        ap = argparse.ArgumentParser()
        ap.add_argument("--imports", action="store_true")
        ap.add_argument("--imports-step")
        ap.add_argument("--size", type=int, default=28_000)
        ap.add_argument("--reuse", action="store_true", help="reuse the exported files of the last run")
        args = ap.parse_args()
        if args.imports_step:
            print(json.dumps(imports_step(args.imports_step, args.size)))
        else:
            imports_main(args.size, args.reuse)
    else:
        main()
