"""The attendance screens at scale (issue 10, item 7), on PostgreSQL. Prints figures; asserts nothing about time.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/pamong_bench_att_screens
    uv run python bench/attendance_screens.py --size 20000 [--reuse]

Steps, each in its own process:
  1. prepare: `pamong demo --size N --no-serve --yes --tanpa-kinerja`, unless --reuse and the database already holds
     N employees; then VACUUM ANALYZE.
  2. seed (not timed): a MonthRecap for every active employee for each of the last 12 months (COPY), and today's
     punches (two for four employees in five, COPY); then VACUUM ANALYZE.
  3. pages: Django's test Client: "Presensi hari ini" (the city as admin BKPSDM, the biggest OPD's operator),
     "Rekap bulanan" (city, biggest OPD), its XLSX export (the biggest OPD, and the city once), "Presensi saya".
     p50/p95 per page.
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
import time
from pathlib import Path

HERE = Path(__file__).resolve()
MONTHS = 12


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pamong.settings")
    os.environ.setdefault("PAMONG_ENV", "demo")
    import django

    django.setup()


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _vacuum() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")


def _percentiles(samples: list[float]) -> dict:
    s = sorted(samples)
    return {"n": len(s), "p50_ms": round(s[len(s) // 2] * 1000, 1),
            "p95_ms": round(s[int(0.95 * (len(s) - 1))] * 1000, 1)}  # fmt: skip


def _copy(table: str, columns: tuple[str, ...], rows: object) -> int:
    from django.db import connection

    n = 0
    with connection.cursor() as c, c.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
        for row in rows:  # type: ignore[attr-defined]
            cp.write_row(row)
            n += 1
    return n


def _months() -> list[dt.date]:
    first = dt.date.today().replace(day=1)
    out = []
    for i in range(1, MONTHS + 1):
        k = first.year * 12 + first.month - 1 - i
        out.append(dt.date(k // 12, k % 12 + 1, 1))
    return out


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

    t = time.perf_counter()
    call_command("demo", size=size, no_serve=True, yes=True, tanpa_kinerja=True, verbosity=0)
    took = time.perf_counter() - t
    _vacuum()
    return {"demo_s": round(took, 1)}


def step_seed() -> dict:
    _django()
    from django.db import transaction
    from django.utils import timezone

    from pamong.attendance.models import MonthRecap, Punch
    from pamong.people.models import ACTIVE_STATUSES, Employee

    rnd = random.Random(10)
    emps = list(Employee.objects.filter(status__in=ACTIVE_STATUSES).values_list("id", "unit_id"))
    today = dt.date.today()
    now = timezone.now().isoformat()
    with transaction.atomic():
        MonthRecap.objects.all().delete()
        Punch.objects.filter(date=today).delete()

        def recaps():
            for period in _months():
                for emp, unit in emps:
                    tk = rnd.choice((0, 0, 0, 0, 1, 2))
                    sah = rnd.choice((0, 0, 0, 1, 3))
                    tl = rnd.randint(0, 5)
                    bands = json.dumps({k: v for k, v in (("TL1", tl), ("TL2", tl // 3), ("PSW1", rnd.randint(0, 2)))
                                        if v})  # fmt: skip
                    days = "".join(rnd.choice("HHHHHHT-") for _ in range(30))
                    yield (emp, period, unit, 21, 21 - tk - sah, sah, tk, bands, tl * 14, rnd.randint(0, 40), days,
                           now)  # fmt: skip

        n = _copy("attendance_monthrecap", ("employee_id", "period", "unit_id", "hari_kerja", "hadir",
                  "tidak_hadir_sah", "tk", "bands", "terlambat_menit", "psw_menit", "days", "computed_at"),
                  recaps())  # fmt: skip

        def punches():
            for emp, _unit in emps:
                if rnd.random() < 0.8:
                    yield (emp, today, 7 * 3600 + rnd.randint(0, 3600), 2, "")
                    yield (emp, today, 16 * 3600 + rnd.randint(0, 3600), 2, "")

        p = _copy("attendance_punch", ("employee_id", "date", "seconds", "source", "machine_user_id"), punches())
    _vacuum()
    return {"employees": len(emps), "recaps": n, "punches_today": p}


def step_pages(n: int) -> dict:
    _django()
    from django.conf import settings
    from django.db.models import Count
    from django.test import Client

    from pamong.accounts.models import Role, RoleGrant, User
    from pamong.people.models import Employee

    settings.ALLOWED_HOSTS = ["*"]
    admin = User.objects.get(username="admin")
    biggest = Employee.objects.values("unit__opd_id").annotate(n=Count("id")).order_by("-n").first()
    operator = (RoleGrant.objects.filter(role=Role.OPERATOR_OPD, unit_id=biggest["unit__opd_id"])
                .select_related("user").first())  # fmt: skip
    someone = Employee.objects.filter(user__isnull=False).select_related("user").first()
    last = _months()[0].strftime("%Y-%m")
    cases = [
        ("hari ini, kota (admin BKPSDM)", admin, "/presensi/hari-ini/", n),
        ("hari ini, belum presensi, kota", admin, "/presensi/hari-ini/?tampil=belum", n),
        ("rekap bulanan, kota", admin, f"/presensi/bulanan/?bulan={last}", n),
        (f"rekap bulanan, OPD terbesar ({biggest['n']:,})", admin,
         f"/presensi/bulanan/?bulan={last}&unit={biggest['unit__opd_id']}", n),
        ("XLSX, OPD terbesar", admin, f"/presensi/bulanan/unduh.xlsx?bulan={last}&unit={biggest['unit__opd_id']}", 3),
        ("XLSX, kota", admin, f"/presensi/bulanan/unduh.xlsx?bulan={last}", 1),
    ]  # fmt: skip
    if operator:
        cases.insert(2, ("hari ini, operator OPD terbesar", operator.user, "/presensi/hari-ini/", n))
        cases.append(("rekap bulanan, operator OPD terbesar", operator.user, f"/presensi/bulanan/?bulan={last}", n))
    if someone:
        cases.append(("presensi saya", someone.user, f"/presensi/saya/?bulan={last}", n))
    out = {}
    for name, user, url, k in cases:
        client = Client()
        client.force_login(user)
        first = client.get(url)
        if first.status_code != 200:
            out[name] = {"url": url, "status": first.status_code}
            continue
        samples = []
        for _ in range(k):
            t = time.perf_counter()
            r = client.get(url)
            samples.append(time.perf_counter() - t)
            assert r.status_code == 200
        out[name] = {"url": url, "bytes": len(r.content), **_percentiles(samples)}
    out["peak_mib"] = round(_peak_mib())
    return out


def _step(name: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, str(HERE), "--step", name, *args], capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"step {name} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=20_000)
    ap.add_argument("--reuse", action="store_true", help="keep the database if it already holds --size employees")
    ap.add_argument("--requests", type=int, default=10, help="requests per page")
    ap.add_argument("--step")
    a, _rest = ap.parse_known_args()
    if a.step:
        steps = {"count": step_count, "prepare": lambda: step_prepare(a.size), "seed": step_seed,
                 "pages": lambda: step_pages(a.requests)}  # fmt: skip
        print(json.dumps(steps[a.step]()))
        return
    have = _step("count")["employees"]
    if a.reuse and have == a.size:
        print(f"1/3 reusing the database ({have:,} employees)", flush=True)
    else:
        print(f"1/3 building the city ({a.size:,} employees; the database is emptied) ...", flush=True)
        print("   ", _step("prepare", "--size", str(a.size)), flush=True)
    print("2/3 seeding 12 months of recaps and today's punches ...", flush=True)
    print("   ", _step("seed"), flush=True)
    print(f"3/3 pages ({a.requests} requests each) ...", flush=True)
    pages = _step("pages", "--requests", str(a.requests))
    for name, r in pages.items():
        if name == "peak_mib":
            continue
        if "p95_ms" in r:
            print(f"    {name:42} p50 {r['p50_ms']:8.1f} ms  p95 {r['p95_ms']:8.1f} ms  ({r['bytes']:,} B)", flush=True)
        else:
            print(f"    {name:42} HTTP {r['status']}", flush=True)
    print(f"    peak RSS {pages['peak_mib']} MiB", flush=True)


if __name__ == "__main__":
    main()
