"""SKP pages at province scale: 100,000 employees with a 2026 SKP each (cloned rows, not the demo generator), then
the pages of performance/views_skp.py through the Django test client: p50/p95 and SQL queries per page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pamong_skp_bench uv run python bench/skp_pages.py [--size N]

The database must be empty and migrated (`./dev pamong migrate`); the script fills it. Prints figures only."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--units", type=int, default=400)
    ap.add_argument("--reuse", action="store_true", help="the database is already filled: time the pages only")
    a = ap.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pamong.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.ALLOWED_HOSTS = ["*"]
    from tests import factories as f

    from pamong.accounts.models import Role
    from pamong.people.models import Employee
    from pamong.performance import skp as svc
    from pamong.performance.models import BerAkhlak, Skp, SkpBehaviour, SkpIndicator, SkpResult

    if a.reuse:
        from pamong.accounts.models import User
        from pamong.org.models import Unit

        admin, kabid_user, staff_user = (User.objects.get(username=u) for u in ("bench_admin", "bench_kabid",
                                                                                "bench_staff"))  # fmt: skip
        time_pages(admin, kabid_user, staff_user, Unit.objects.get(code="BIG0200"))
        return
    t0 = time.perf_counter()
    opd = f.unit("Dinas Besar", code="BIG")
    head_pos = f.position(opd, "Kepala Dinas", kind="jpt", kelas=14)
    head = f.employee(head_pos, name="Kepala Besar")
    units, kabids = [], []
    for i in range(a.units):
        b = f.unit(f"Bidang {i}", parent=opd, kind="bidang", code=f"BIG{i:04d}")
        kp = f.position(b, f"Kepala Bidang {i}", kind="administrator", superior=head_pos, kelas=11)
        sp = f.position(b, f"Pelaksana {i}", superior=kp, seats_abk=10_000)
        units.append((b, sp))
        kabids.append(f.employee(kp, name=f"Kabid {i}"))
    template = f.employee(units[0][1], name="Contoh Pegawai")
    admin = f.user("bench_admin", role=Role.ADMIN_BKPSDM)
    kabid_user = f.user("bench_kabid", employee=kabids[0])
    staff_user = f.user("bench_staff", employee=template)
    n_staff = a.size - len(kabids) - 2
    per_unit = n_staff // a.units + 1
    with connection.cursor() as cur:  # clone the template employee row n_staff times across the units
        cols = [c.column for c in Employee._meta.concrete_fields if c.column not in ("id",)]
        repl = {
            "nip": "lpad((900000000000000000 + g)::text, 18, '0')",
            "nik": "lpad((3000000000000000 + g)::text, 16, '0')",
            "name": "'Pegawai ' || g",
            "bank_account_name": "'Pegawai ' || g",
            "user_id": "NULL",
            "unit_id": f"(SELECT unit_id FROM bench_map WHERE k = (g / {per_unit}))",
            "position_id": f"(SELECT position_id FROM bench_map WHERE k = (g / {per_unit}))",
        }
        cur.execute("CREATE TEMP TABLE bench_map (k int primary key, unit_id bigint, position_id bigint)")
        cur.executemany("INSERT INTO bench_map VALUES (%s, %s, %s)", [(i, b.pk, sp.pk) for i, (b, sp) in
                                                                       enumerate(units)])  # fmt: skip
        select = ", ".join(repl.get(c, f'e."{c}"') for c in cols)
        cur.execute(
            f"INSERT INTO people_employee ({', '.join(chr(34) + c + chr(34) for c in cols)}) "
            f"SELECT {select} FROM people_employee e, generate_series(1, %s) g WHERE e.id = %s",
            [n_staff, template.pk],
        )
    print(f"employees: {Employee.objects.count()} in {time.perf_counter() - t0:.0f} s", flush=True)

    # real SKPs down one chain (head → kabid 0 → the template staff), the rest bulk-cloned as agreed/submitted
    head_skp = svc.skp_create(actor=admin, employee_id=head.pk, year=2026)
    r = svc.skp_result_add(actor=admin, skp_id=head_skp.pk, kind="utama", text="Sasaran dinas", pk_reference="PK")
    svc.skp_indicator_add(actor=admin, result_id=r.pk, text="I", aspect="kuantitas", target="1", unit_label="x")
    t1 = time.perf_counter()
    by_unit_kabid = {e.unit_id: e.pk for e in kabids}
    rows = []
    for i, (emp_id, unit_id, pos_id) in enumerate(
        Employee.objects.exclude(pk=head.pk).values_list("pk", "unit_id", "position_id").iterator(chunk_size=5000)
    ):
        penilai = head.pk if emp_id in by_unit_kabid.values() else by_unit_kabid.get(unit_id)
        rows.append(Skp(employee_id=emp_id, year=2026, position_id=pos_id, unit_id=unit_id, penilai_id=penilai,
                        atasan_penilai_id=head.pk, state="submitted" if i % 7 == 0 else "agreed",
                        created_by=admin))  # fmt: skip
    Skp.objects.bulk_create(rows, batch_size=5000)
    kabid_skps = {s.employee_id: s for s in Skp.objects.filter(employee_id__in=by_unit_kabid.values())}
    res = SkpResult.objects.bulk_create(
        [SkpResult(skp=s, kind="utama", text=f"Hasil {s.employee_id}", supports=r) for s in kabid_skps.values()]
    )
    kabid_result = {x.skp.employee_id: x for x in res}
    staff_results = []
    for s in (
        Skp.objects.exclude(employee_id__in=by_unit_kabid.values())
        .exclude(pk=head_skp.pk)
        .only("pk", "penilai_id")
        .iterator(chunk_size=5000)
    ):
        staff_results.append(SkpResult(skp_id=s.pk, kind="utama", text="Hasil staf",
                                       supports=kabid_result.get(s.penilai_id)))  # fmt: skip
    SkpResult.objects.bulk_create(staff_results, batch_size=5000)
    SkpIndicator.objects.bulk_create(
        [SkpIndicator(result_id=x.pk, text="I", aspect="kuantitas", target=1, unit_label="x")
         for x in SkpResult.objects.only("pk").iterator(chunk_size=5000)], batch_size=5000,
    )  # fmt: skip
    SkpBehaviour.objects.bulk_create(
        [SkpBehaviour(skp_id=pk, value=v) for pk in Skp.objects.values_list("pk", flat=True) for v in BerAkhlak.values],
        batch_size=10000, ignore_conflicts=True,
    )  # fmt: skip
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(f"skps: {Skp.objects.count()} in {time.perf_counter() - t1:.0f} s", flush=True)

    time_pages(admin, kabid_user, staff_user, units[200][0])


def time_pages(admin, kabid_user, staff_user, unit) -> None:  # type: ignore[no-untyped-def]
    import statistics

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from pamong.performance.models import Skp

    staff_skp = Skp.objects.get(employee=staff_user.employee, year=2026)
    kabid_skp = Skp.objects.get(employee=kabid_user.employee, year=2026)
    pages = [
        ("admin home 2026", admin, "/kinerja/?tahun=2026"),
        ("admin home page 150", admin, "/kinerja/?tahun=2026&page=150"),
        ("admin home unit+state", admin, f"/kinerja/?tahun=2026&unit={unit.pk}&status=submitted"),
        ("kabid home (perlu tindakan)", kabid_user, "/kinerja/"),
        ("staff home", staff_user, "/kinerja/"),
        ("staff SKP page", staff_user, f"/kinerja/skp/{staff_skp.pk}/"),
        ("kabid SKP page", kabid_user, f"/kinerja/skp/{kabid_skp.pk}/"),
        ("kabid cascade", kabid_user, f"/kinerja/skp/{kabid_skp.pk}/kaskade/"),
        ("staff cascade", staff_user, f"/kinerja/skp/{staff_skp.pk}/kaskade/"),
    ]
    c = Client()
    for label, user, url in pages:
        c.force_login(user)
        c.get(url)  # warm
        times, cpu = [], []
        for _ in range(15):
            t, tc = time.perf_counter(), time.process_time()
            with CaptureQueriesContext(connection) as q:
                resp = c.get(url)
            times.append(time.perf_counter() - t)
            cpu.append(time.process_time() - tc)
            assert resp.status_code == 200, (label, resp.status_code)
        times.sort()
        print(f"{label:30s} p50 {statistics.median(times) * 1000:6.1f} ms  p95 {times[int(0.95 * 14)] * 1000:6.1f} ms"
              f"  python cpu p50 {statistics.median(cpu) * 1000:5.1f} ms  queries {len(q.captured_queries)}",
              flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
