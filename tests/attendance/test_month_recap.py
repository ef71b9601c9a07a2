"""The month's recap from the database equals the engine's contract output for the same data; chunks; the CLI;
the background job; the lock; one employee's calendar."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.core.management import CommandError, call_command

from pamong.attendance import calendar
from pamong.attendance.engine.cases import recap_case
from pamong.attendance.locks import MonthLocked, month_locked
from pamong.attendance.models import MonthJob, MonthRecap, TravelOrder
from pamong.attendance.month import (
    bands_from_bounds,
    employee_month,
    month_job_start,
    month_job_work,
    month_recompute,
    policy_for,
)
from pamong.payroll.models import PayrollRun, RunKind, RunState
from tests.attendance.factories_month import leave, punch

MAR = dt.date(2026, 3, 1)
KEBIJAKAN = {
    "tl": [[1, 30, "TL1"], [31, 60, "TL2"], [61, 90, "TL3"], [91, None, "TL4"]],
    "psw": [[1, 30, "PSW1"], [31, 60, "PSW2"], [61, 90, "PSW3"], [91, None, "PSW4"]],
    "tanpa_masuk": "TL4",
    "tanpa_pulang": "PSW4",
}
STANDARD = {"1": ["07:30", "16:00"], "2": ["07:30", "16:00"], "3": ["07:30", "16:00"], "4": ["07:30", "16:00"],
            "5": ["07:30", "16:30"]}  # fmt: skip
RAMADAN = {"1": ["08:00", "15:00"], "2": ["08:00", "15:00"], "3": ["08:00", "15:00"], "4": ["08:00", "15:00"],
           "5": ["08:00", "15:30"]}  # fmt: skip


def test_policy_bands_come_from_the_payroll_table():
    b = bands_from_bounds({"TL1": 1, "TL3": 61, "TL2": 31, "PSW1": 1}, "TL", "x")
    assert b.names == ("TL1", "TL2", "TL3") and b.lo.tolist() == [1, 31, 61] and b.hi.tolist() == [30, 60, -1]
    p = policy_for(MAR)
    assert p.tl.names == ("TL1", "TL2", "TL3", "TL4") and p.psw.hi.tolist() == [30, 60, 90, -1]
    assert (p.tanpa_masuk, p.tanpa_pulang) == ("TL4", "PSW4")


def _random_month(city, seed: int) -> dict[int, list[str]]:
    """Random punches over March 2026 (Ramadan, Nyepi, Idul Fitri) for three employees; leave and travel."""
    rng = random.Random(seed)
    out: dict[int, list[str]] = {}
    for emp in (city.staff, city.staff2, city.other):
        stamps = []
        for d in range(0, 33):  # the day before the month to the day after it
            day = MAR - dt.timedelta(1) + dt.timedelta(d)
            for _ in range(rng.choice([0, 0, 1, 2, 2, 3])):
                t = f"{rng.randint(6, 17):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
                punch(emp, day, t)
                stamps.append(f"{day.isoformat()}T{t}")
        out[emp.id] = stamps
    return out


def test_db_recap_equals_the_engine_contract_for_the_same_data(city):
    admin = city.users["admin"]
    stamps = _random_month(city, 7)
    leave(city.staff, dt.date(2026, 3, 9), dt.date(2026, 3, 11), admin)
    order = TravelOrder.objects.create(number="ST/1", date=MAR, start=dt.date(2026, 3, 26), end=dt.date(2026, 4, 2),
                                       destination="Padang", purpose="rapat", signed_by="Sekda", unit=city.opd_a,
                                       created_by=admin)  # fmt: skip
    order.employees.add(city.staff2)
    report = month_recompute(period="2026-03", actor=admin, chunk_size=2)
    assert report.chunks == 3 and report.written == report.employees == 5
    absences = {city.staff.id: [{"dari": "2026-03-09", "sampai": "2026-03-11", "jenis": "cuti_tahunan"}],
                city.staff2.id: [{"dari": "2026-03-26", "sampai": "2026-04-02", "jenis": "dinas_luar"}]}  # fmt: skip
    libur = [d.isoformat() for d in calendar.holidays(MAR, dt.date(2026, 3, 31))]
    for emp_id, presensi in stamps.items():
        case = {"bulan": "2026-03", "jadwal": STANDARD,
                "jadwal_khusus": [{"dari": "2026-02-19", "sampai": "2026-03-19", "jadwal": RAMADAN}],
                "libur": libur, "ketidakhadiran": absences.get(emp_id, []), "presensi": presensi,
                "kebijakan": KEBIJAKAN}  # fmt: skip
        want = recap_case(case)
        row = MonthRecap.objects.get(employee_id=emp_id, period=MAR)
        got = {"hari_kerja": row.hari_kerja, "hadir": row.hadir, "tidak_hadir_sah": row.tidak_hadir_sah,
               "TK": row.tk, "terlambat_menit": row.terlambat_menit, "psw_menit": row.psw_menit}  # fmt: skip
        got.update({b: row.bands.get(b, 0) for b in ("TL1", "TL2", "TL3", "TL4", "PSW1", "PSW2", "PSW3", "PSW4")})
        assert got == want["rekap"]
        letters = {"hadir": "H", "TK": "T"}
        for k, day in enumerate(row.days):
            date = (MAR + dt.timedelta(k)).isoformat()
            if date not in want["hari"]:
                assert day == "-"
            else:
                assert day == letters.get(want["hari"][date]["status"], "A")
        assert len(row.days) == 31


def test_recompute_updates_rows_in_place(city):
    month_recompute(period="2026-03", actor=None)
    first = MonthRecap.objects.get(employee=city.staff, period=MAR)
    assert first.hadir == 0 and first.tk == first.hari_kerja
    punch(city.staff, dt.date(2026, 3, 2), "07:59", "15:01")
    month_recompute(period="2026-03", employee_ids=[city.staff.id], actor=None)
    again = MonthRecap.objects.get(employee=city.staff, period=MAR)
    assert again.pk == first.pk and again.hadir == 1 and again.tk == first.tk - 1 and again.days[1] == "H"
    assert again.unit_id == city.staff.unit_id


def test_locked_month_refuses_recompute(city):
    assert not month_locked(MAR)
    PayrollRun.objects.create(period=MAR, kind=RunKind.TPP, state=RunState.COMPUTED, created_by=city.users["bpkad"])
    assert not month_locked(dt.date(2026, 3, 15))
    PayrollRun.objects.filter(period=MAR).update(state=RunState.APPROVED)
    assert month_locked(dt.date(2026, 3, 15))
    with pytest.raises(MonthLocked):
        month_recompute(period=MAR, actor=None)
    with pytest.raises(MonthLocked):
        month_job_start(period=MAR, actor=city.users["admin"], enqueue=False)
    assert not MonthRecap.objects.exists()


def test_background_job_counts_chunks_and_writes_every_employee(city):
    job = month_job_start(period="2026-03", actor=city.users["admin"], enqueue=False, chunk_size=2)
    assert (job.state, job.chunks_total, job.employees_total) == (MonthJob.State.RUNNING, 3, 5)
    assert month_job_start(period="2026-03", actor=city.users["admin"], enqueue=False).pk == job.pk  # one at a time
    assert month_job_work(job.id) == 3
    job.refresh_from_db()
    assert (job.state, job.chunks_done) == (MonthJob.State.DONE, 3) and job.finished_at is not None
    assert MonthRecap.objects.filter(period=MAR).count() == 5


def test_cli_recomputes_the_month(city, capsys):
    call_command("attendance_month", "2026-03", "--employee", city.staff.nip)
    assert "1 pegawai" in capsys.readouterr().out
    assert MonthRecap.objects.filter(period=MAR).count() == 1
    with pytest.raises(CommandError, match="bulan"):
        call_command("attendance_month", "2026-13")
    with pytest.raises(CommandError, match="NIP"):
        call_command("attendance_month", "2026-03", "--employee", "0000")


def test_employee_month_calendar(city):
    admin = city.users["admin"]
    punch(city.staff, dt.date(2026, 3, 2), "08:10:00")  # Ramadan: 08:00–15:00, one punch before the midpoint
    punch(city.staff, dt.date(2026, 3, 23), "07:00")  # cuti bersama: ignored
    leave(city.staff, dt.date(2026, 3, 4), dt.date(2026, 3, 4), admin)
    days = {d.date.day: d for d in employee_month(city.staff.id, "2026-03")}
    assert len(days) == 31
    d2 = days[2]
    assert (d2.status, d2.masuk, d2.pulang, d2.late_min, d2.tl, d2.psw) == (
        "hadir", dt.time(8, 10), None, 10, "TL1", "PSW4")  # fmt: skip
    assert days[3].status == "tk"
    assert (days[4].status, days[4].absence) == ("absen", "cuti_tahunan")
    assert (days[19].status, days[19].holiday) == ("libur", "Hari Suci Nyepi (Tahun Baru Saka 1948)")
    assert days[23].status == "libur" and days[23].masuk is None
    assert d2.masuk_on == dt.date(2026, 3, 2) and d2.pulang_on is None


def test_employee_month_night_shift_departure_is_on_the_next_date(city):
    from tests.attendance.factories_month import roster

    roster(city.staff, dt.date(2026, 11, 30), "20:00", "08:00")
    punch(city.staff, dt.date(2026, 11, 30), "19:55")
    punch(city.staff, dt.date(2026, 12, 1), "08:02")
    last = employee_month(city.staff.id, "2026-11")[-1]
    assert (last.masuk, last.masuk_on) == (dt.time(19, 55), dt.date(2026, 11, 30))
    assert (last.pulang, last.pulang_on) == (dt.time(8, 2), dt.date(2026, 12, 1))
    assert (last.status, last.tl, last.psw) == ("hadir", None, None)


def test_a_stalled_job_is_replaced_by_a_new_start(city):
    from django.utils import timezone

    from pamong.attendance.month import STALE_AFTER

    job = month_job_start(period="2026-03", actor=city.users["admin"], enqueue=False)
    MonthJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - STALE_AFTER - dt.timedelta(minutes=1))
    again = month_job_start(period="2026-03", actor=city.users["admin"], enqueue=False)
    assert again.pk != job.pk and again.state == MonthJob.State.RUNNING
    job.refresh_from_db()
    assert job.state == MonthJob.State.FAILED and "Tertahan" in job.error


def test_chunk_queries_do_not_grow_with_employees(city, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pamong.attendance.month import write_chunk

    policy = policy_for(MAR)
    for emp in (city.staff, city.other):
        punch(emp, dt.date(2026, 3, 2), "07:00", "16:00")
    write_chunk([city.staff.id], MAR, policy)  # warm the pack's caches
    with CaptureQueriesContext(connection) as one:
        write_chunk([city.staff.id], MAR, policy)
    ids = [city.staff.id, city.other.id, city.head.id, city.kabid.id, city.staff2.id]
    with CaptureQueriesContext(connection) as five:
        write_chunk(ids, MAR, policy)
    assert len(five) == len(one) and len(one) <= 20
