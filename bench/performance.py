"""The performance year-end for a whole province (issue 9) and the performance pages at that size, on PostgreSQL.
Prints figures; asserts nothing about time.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/pamong_bench_dash
    uv run python bench/performance.py --size 100000 [--reuse]

Steps, each in its own process (so each peak RSS belongs to one step):
  1. prepare: `pamong demo --size N --no-serve --yes --tanpa-kinerja` (the seeded city without the demo's own
     performance year), unless --reuse and the database already holds N employees; then VACUUM ANALYZE.
  2. seed (not timed): a performance year Y (this year, or the next one not finalised yet when re-run): an agreed
     SKP for every active employee with a result supporting the pejabat penilai's (one UPDATE ... FROM) and an
     indicator; this month's and last month's realisations and last month's final periodic evaluations (this
     year only: the dashboards' figures); a draft year-end evaluation for everyone; every unit's capaian kinerja
     organisasi; a login for every pejabat penilai, 400 independent assessors and three numeric ratings per
     employee (supervisor + two assessors; pool = the employee's unit; assessors rotate so every pool is
     connected). Then VACUUM ANALYZE.
  3. year-end (timed, peak RSS): performance.year_end.year_finalise (every unit's predikat by the engine, the pola
     check, evaluations final, UnitYear rows, audit, notifications) and calibration_compute_all (every pool through
     the calibration engine, CalibrationSession rows) — BKPSDM's "finalise the year".
  4. pages: Django's test Client against the built database: the dashboards (city as admin BKPSDM, an OPD as its
     operator, a supervisor with the most staff, one OPD's unit page), and the other performance pages when they
     exist in this checkout (/kinerja/ ...). p50/p95 per page.
Targets (issue): the year-end < 20 s and < 2 GiB; pages p95 < 200 ms.
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
MIB = 1024  # ru_maxrss is in KiB on Linux
ASSESSORS = 400
REASON = "bench/performance.py: tahun kinerja sintetis"


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pamong.settings")
    os.environ.setdefault("PAMONG_ENV", "demo")
    import django

    django.setup()


def _self_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / MIB


def _vacuum() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")


def _percentiles(samples: list[float]) -> dict:
    s = sorted(samples)
    return {"n": len(s), "p50_ms": round(s[len(s) // 2] * 1000, 1),
            "p95_ms": round(s[int(0.95 * (len(s) - 1))] * 1000, 1), "max_ms": round(s[-1] * 1000, 1)}  # fmt: skip


# ---------------------------------------------------------------- steps


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
    return {"demo_s": round(took, 1), "demo_peak_mib": round(_self_mib())}


def _year() -> int:
    """This year, or the first later year whose year-end is not final yet (final evaluations never change)."""
    from pamong.performance.models import Skp, UnitYear

    year = dt.date.today().year
    while UnitYear.objects.filter(year=year, finalised_at__isnull=False).exists():
        year += 1
    if Skp.objects.filter(year=year).exists():
        return -year  # seeded already, not finalised: reuse
    return year


def _copy(table: str, columns: tuple[str, ...], rows: object) -> int:
    """COPY rows into a table (PostgreSQL; the bench's synthetic year, not the timed path)."""
    from django.db import connection

    n = 0
    with connection.cursor() as c, c.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
        for row in rows:  # type: ignore[attr-defined]
            cp.write_row(row)
            n += 1
    return n


def step_seed() -> dict:
    _django()
    import random
    from collections import defaultdict
    from decimal import Decimal

    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from pamong.accounts.models import Role, RoleGrant, User
    from pamong.demo.performance import last_month
    from pamong.people.models import ACTIVE_STATUSES, Employee
    from pamong.performance.chain import chains_for
    from pamong.performance.engine.predikat import PREDIKAT, predikat_of
    from pamong.performance.evaluations import capaian_of, period_of
    from pamong.performance.models import Skp

    year = _year()
    if year < 0:
        return {"year": -year, "seeded": False}
    t0 = time.perf_counter()
    rng = random.Random(9)
    today = dt.date.today()
    now = timezone.now()
    this_month, prev = today.replace(day=1), last_month(today)
    admin = User.objects.get(username="admin")
    emps = {e[0]: e for e in Employee.objects.filter(status__in=ACTIVE_STATUSES).order_by("id").values_list(
        "id", "position_id", "unit_id", "user_id", "nip", "name", "unit__opd_id", "unit__code")}  # fmt: skip
    chains = chains_for(list(emps), on=today)
    out: dict = {"year": year, "seeded": True, "employees": len(emps)}
    password = make_password("pamong-bench")
    with transaction.atomic(), connection.cursor() as cur:
        # a login for every pejabat penilai (username = NIP), linked with one UPDATE ... FROM
        penilai = sorted(
            {c.penilai_id for c in chains.values() if c.penilai_id is not None and not emps[c.penilai_id][3]}
        )
        User.objects.bulk_create([User(username=emps[p][4], password=password, first_name=emps[p][5][:150])
                                  for p in penilai], batch_size=5000)  # fmt: skip
        cur.execute("""UPDATE people_employee e SET user_id = u.id FROM accounts_user u
                       WHERE u.username = e.nip AND e.user_id IS NULL AND e.id = ANY(%s)""", [penilai])  # fmt: skip
        user_of = dict(Employee.objects.filter(user__isnull=False).values_list("id", "user_id"))
        agreed = dt.datetime(year, 1, 20, 9, tzinfo=dt.UTC)
        _copy(
            "performance_skp",
            (
                "employee_id",
                "year",
                "version",
                "state",
                "position_id",
                "unit_id",
                "penilai_id",
                "atasan_penilai_id",
                "penilai_override_reason",
                "revision_reason",
                "return_note",
                "created_by_id",
                "created_at",
                "agreed_at",
                "agreed_by_id",
            ),
            (
                (
                    e,
                    year,
                    1,
                    "agreed",
                    row[1],
                    row[2],
                    chains[e].penilai_id,
                    chains[e].atasan_penilai_id,
                    "",
                    "",
                    "",
                    admin.pk,
                    now,
                    agreed,
                    user_of.get(chains[e].penilai_id) or admin.pk,
                )
                for e, row in emps.items()
            ),
        )
        cur.execute(
            """INSERT INTO performance_skpresult (skp_id, kind, text, pk_reference, "order")
                       SELECT id, 'utama', 'Terlaksananya layanan administrasi tepat waktu',
                              CASE WHEN penilai_id IS NULL THEN 'Sasaran PK: layanan prima' ELSE '' END, 0
                       FROM performance_skp WHERE year = %s""",
            [year],
        )
        cur.execute(
            """UPDATE performance_skpresult r SET supports_id = pr.id
                       FROM performance_skp s, performance_skp ps, performance_skpresult pr
                       WHERE r.skp_id = s.id AND s.year = %s AND ps.employee_id = s.penilai_id AND ps.year = s.year
                         AND ps.state = 'agreed' AND pr.skp_id = ps.id""",
            [year],
        )
        cur.execute(
            """INSERT INTO performance_skpindicator (result_id, text, aspect, target, unit_label, "order")
                       SELECT r.id, 'Jumlah dokumen yang diselesaikan', 'kuantitas', 12, 'dokumen', 0
                       FROM performance_skpresult r JOIN performance_skp s ON s.id = r.skp_id
                       WHERE s.year = %s""",
            [year],
        )
        skp_of = dict(Skp.objects.filter(year=year, state="agreed").values_list("employee_id", "id"))
        talent = {e: rng.gauss(0, 1) for e in emps}
        if year == today.year:
            cur.execute("""INSERT INTO performance_realisation (indicator_id, period, value, note, entered_by_id,
                                                                entered_at)
                           SELECT i.id, m.period, 1, '', %s, now() FROM performance_skpindicator i
                           JOIN performance_skpresult r ON r.id = i.result_id
                           JOIN performance_skp s ON s.id = r.skp_id AND s.year = %s
                           CROSS JOIN (VALUES (%s::date, 0.6), (%s::date, 0.9)) AS m(period, share)
                           WHERE random() < m.share""", [admin.pk, year, this_month, prev])  # fmt: skip
            start, end = period_of(prev)
            caps = {p: capaian_of(p, start) for p in PREDIKAT}

            def periodic():
                for e in emps:
                    if rng.random() < 0.95:
                        s = talent[e] + rng.gauss(0, 0.5)
                        hasil = "di_atas" if s > 1.1 else "di_bawah" if s < -1.5 else "sesuai"
                        p = predikat_of(hasil, "sesuai")
                        yield (
                            e,
                            skp_of[e],
                            "periodic",
                            start,
                            end,
                            "final",
                            hasil,
                            "sesuai",
                            p,
                            caps[p].bp,
                            caps[p].source,
                            "",
                            admin.pk,
                            now,
                            agreed,
                        )

            out["periodic"] = _copy("performance_evaluation", EV_COLUMNS, periodic())

        def annual():
            for e in emps:
                s = talent[e] + rng.gauss(0, 0.4)
                hasil = "di_atas" if s > 1.0 else "di_bawah" if s < -1.4 else "sesuai"
                perilaku = "di_atas" if s > 1.6 else "di_bawah" if s < -2.3 else "sesuai"
                yield (
                    e,
                    skp_of[e],
                    "annual",
                    dt.date(year, 1, 1),
                    dt.date(year, 12, 31),
                    "draft",
                    hasil,
                    perilaku,
                    predikat_of(hasil, perilaku),
                    None,
                    "",
                    "",
                    user_of.get(chains[e].penilai_id) or admin.pk,
                    now,
                    None,
                )

        out["annual"] = _copy("performance_evaluation", EV_COLUMNS, annual())
        units = sorted({row[2] for row in emps.values()})
        out["units"] = _copy(
            "performance_unityear",
            (
                "unit_id",
                "year",
                "organisasi",
                "organisasi_basis",
                "set_by_id",
                "set_at",
                "distribution",
                "violations",
                "violation_reason",
            ),
            (
                (
                    u,
                    year,
                    rng.choices(("istimewa", "baik", "butuh_perbaikan", "kurang"), weights=(15, 70, 10, 5))[0],
                    "Capaian IKU unit (sintetis)",
                    admin.pk,
                    now,
                    "{}",
                    "[]",
                    "",
                )
                for u in units
            ),
        )
        # assessors and three ratings per employee, pool = the employee's unit
        names = [f"bench.penilai{i:03d}" for i in range(ASSESSORS)]
        if not User.objects.filter(username__in=names).exists():
            User.objects.bulk_create([User(username=n, password=password, first_name=n) for n in names])
            RoleGrant.objects.bulk_create([RoleGrant(user=u, role=Role.ASSESSOR)
                                           for u in User.objects.filter(username__in=names)])  # fmt: skip
        assessors = list(User.objects.filter(username__in=names).order_by("username").values_list("id", flat=True))
        effect = {a: rng.gauss(0, 3) for a in assessors}
        by_unit: dict[int, list[int]] = defaultdict(list)
        for e, row in emps.items():
            by_unit[row[2]].append(e)

        def ratings():
            for k, (_unit_id, members) in enumerate(sorted(by_unit.items())):
                pool = emps[members[0]][7]
                trio = [assessors[(3 * k + j) % len(assessors)] for j in range(3)]
                for i, e in enumerate(members):
                    raters = [(trio[i % 3], "assessor"), (trio[(i + 1) % 3], "assessor")]
                    sup = user_of.get(chains[e].penilai_id)
                    raters.append((sup, "supervisor") if sup else (trio[(i + 2) % 3], "assessor"))
                    for uid, role in raters:
                        v = max(0.0, min(100.0, 75 + 8 * talent[e] + effect.get(uid, 0.0) + rng.gauss(0, 4)))
                        yield (
                            dt.date(year, 1, 1),
                            pool,
                            e,
                            uid,
                            f"u{uid}",
                            role,
                            json.dumps({"kinerja": round(v, 1)}),
                            round(Decimal(v), 2),
                            "",
                            now,
                            False,
                        )

        out["ratings"] = _copy("performance_rating", ("period_start", "pool", "ratee_id", "rater_id", "rater_key",
                                                      "rater_role", "scores", "value", "comment", "created_at",
                                                      "locked"), ratings())  # fmt: skip
        out |= {"skps": len(skp_of), "penilai_logins": len(penilai)}
    _vacuum()
    out["seed_s"] = round(time.perf_counter() - t0, 1)
    out["seed_peak_mib"] = round(_self_mib())
    return out


EV_COLUMNS = (
    "employee_id",
    "skp_id",
    "kind",
    "period_start",
    "period_end",
    "state",
    "hasil",
    "perilaku",
    "predikat",
    "capaian_bp",
    "capaian_source",
    "note",
    "rated_by_id",
    "rated_at",
    "finalised_at",
)


def step_yearend(year: int) -> dict:
    _django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pamong.accounts.models import User
    from pamong.performance.year_end import calibration_compute_all, year_finalise

    admin = User.objects.get(username="admin")
    admin = User.objects.get(pk=admin.pk)
    t0 = time.perf_counter()
    with CaptureQueriesContext(connection) as q1:
        fin = year_finalise(actor=admin, year=year, reason="Sebaran mengikuti capaian IKU unit (bench)")
    t1 = time.perf_counter()
    with CaptureQueriesContext(connection) as q2:
        cal = calibration_compute_all(actor=admin, year=year)
    t2 = time.perf_counter()
    off = sum(1 for u in fin.finalised if u.pelanggaran)
    return {"year": year, "finalise_s": round(t1 - t0, 2), "calibrate_s": round(t2 - t1, 2),
            "total_s": round(t2 - t0, 2), "units_finalised": len(fin.finalised), "units_off_pattern": off,
            "units_not_ready": len(fin.not_ready), "evaluations_final": fin.evaluations, "pools": cal.pools,
            "pools_connected": cal.connected, "ratings": cal.ratings, "sessions": len(cal.sessions),
            "queries_finalise": len(q1), "queries_calibrate": len(q2),
            "peak_mib": round(_self_mib())}  # fmt: skip


def step_pages(n: int) -> dict:
    _django()
    from django.conf import settings
    from django.db.models import Count
    from django.test import Client

    from pamong.accounts.models import Role, RoleGrant, User
    from pamong.org.models import Unit
    from pamong.people.models import Employee
    from pamong.performance.models import Skp

    settings.ALLOWED_HOSTS = ["*"]
    year = dt.date.today().year
    admin = User.objects.get(username="admin")
    operator = RoleGrant.objects.filter(role=Role.OPERATOR_OPD).select_related("user").first()
    top = (Skp.objects.filter(year=year, state="agreed", penilai__user__isnull=False).values("penilai_id")
           .annotate(n=Count("id")).order_by("-n").first())  # fmt: skip
    supervisor = Employee.objects.get(pk=top["penilai_id"]).user if top else None
    biggest = Employee.objects.values("unit__opd_id").annotate(n=Count("id")).order_by("-n").first()["unit__opd_id"]
    skp = Skp.objects.filter(year=year, state="agreed", employee__user=supervisor).first() if supervisor else None
    cases = [
        ("ringkasan kota (admin BKPSDM)", admin, "/kinerja/ringkasan/"),
        (f"ringkasan OPD terbesar ({Unit.objects.get(pk=biggest).code})", admin, f"/kinerja/ringkasan/unit/{biggest}/"),
    ]  # fmt: skip
    if operator:
        cases.append((f"ringkasan operator OPD ({operator.user.username})", operator.user, "/kinerja/ringkasan/"))
    if supervisor:
        cases.append((f"ringkasan atasan ({top['n']} bawahan)", supervisor, "/kinerja/ringkasan/"))
        cases.append(("/kinerja/ (atasan)", supervisor, "/kinerja/"))
        cases.append(("penilaian (atasan)", supervisor, "/kinerja/penilaian/"))
        if skp:
            cases.append(("halaman SKP", supervisor, f"/kinerja/skp/{skp.pk}/"))
    out = {}
    for name, user, url in cases:
        client = Client()
        client.force_login(user)
        first = client.get(url)
        if first.status_code != 200:
            out[name] = {"url": url, "status": first.status_code}
            continue
        samples = []
        for _ in range(n):
            t = time.perf_counter()
            r = client.get(url)
            samples.append(time.perf_counter() - t)
            assert r.status_code == 200
        out[name] = {"url": url, **_percentiles(samples)}
    return out


# ---------------------------------------------------------------- driver


def _step(name: str, *args: str) -> dict:
    cmd = [sys.executable, str(HERE), "--step", name, *args]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"step {name} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--reuse", action="store_true", help="keep the database if it already holds --size employees")
    ap.add_argument("--requests", type=int, default=40, help="requests per page")
    ap.add_argument("--step")
    a, rest = ap.parse_known_args()
    if a.step:
        steps = {
            "count": lambda: step_count(),
            "prepare": lambda: step_prepare(a.size),
            "seed": lambda: step_seed(),
            "yearend": lambda: step_yearend(int(rest[0])),
            "pages": lambda: step_pages(a.requests),
        }
        print(json.dumps(steps[a.step]()))
        return
    db = os.environ.get("DATABASE_URL", "")
    print(f"performance bench: {a.size:,} employees, {db.rsplit('/', 1)[-1] or '?'}", flush=True)
    have = _step("count")["employees"]
    if a.reuse and have == a.size:
        print(f"1/4 reusing the database ({have:,} employees)", flush=True)
    else:
        print(f"1/4 building the city ({a.size:,} employees; the database is emptied) ...", flush=True)
        print("   ", _step("prepare", "--size", str(a.size)), flush=True)
    print("2/4 seeding a performance year ...", flush=True)
    seed = _step("seed")
    print("   ", seed, flush=True)
    print(f"3/4 year-end {seed['year']}: finalise every unit, calibrate every pool ...", flush=True)
    ye = _step("yearend", str(seed["year"]))
    print(f"    finalise {ye['finalise_s']} s ({ye['units_finalised']:,} units, {ye['units_off_pattern']:,} off the "
          f"pattern, {ye['units_not_ready']:,} not ready; {ye['evaluations_final']:,} evaluations final; "
          f"{ye['queries_finalise']} queries)", flush=True)  # fmt: skip
    print(f"    calibrate {ye['calibrate_s']} s ({ye['pools']:,} pools, {ye['pools_connected']:,} connected, "
          f"{ye['ratings']:,} ratings, {ye['sessions']:,} sessions stored; {ye['queries_calibrate']} queries)",
          flush=True)  # fmt: skip
    print(f"    peak RSS {ye['peak_mib']} MiB", flush=True)
    print(f"4/4 pages ({a.requests} requests each) ...", flush=True)
    for name, r in _step("pages", "--requests", str(a.requests)).items():
        if "p95_ms" in r:
            print(f"    {name:45} {r['url']:40} p50 {r['p50_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms", flush=True)
        else:
            print(f"    {name:45} {r['url']:40} HTTP {r['status']} (not in this checkout)", flush=True)
    print(f"performance year-end {have if have > 0 else a.size}: {ye['total_s']} s", flush=True)


if __name__ == "__main__":
    main()
