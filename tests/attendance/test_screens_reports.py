"""The read side's selectors (attendance/reports.py): rows and totals exact, scope per role, the TK trend, the
unit's today and one employee's month."""

from __future__ import annotations

import datetime as dt

import pytest

from pamong.attendance import reports
from pamong.attendance.models import Schedule
from pamong.core.errors import NotVisible
from tests.attendance import factories_screens as fs

AUG = dt.date(2026, 8, 1)
JUL = dt.date(2026, 7, 1)
DAY = dt.date(2026, 8, 12)  # a Wednesday


@pytest.fixture
def month(city):
    c = city
    fs.recap(c.head, AUG, tk=2, bands={"TL1": 3, "PSW2": 1}, late=46, early=40)
    fs.recap(c.kabid, AUG, sah=3, bands={"TL4": 1})
    fs.recap(c.staff, AUG, tk=1, bands={"TL2": 2}, late=80)
    fs.recap(c.staff2, AUG)
    fs.recap(c.other, AUG, tk=5, bands={"TL1": 10}, late=100)
    fs.recap(c.staff, JUL, hari_kerja=23, tk=4)
    fs.recap(c.other, JUL, hari_kerja=23, tk=1)
    return c


def test_city_recap_totals_per_opd(month):
    r = reports.month_recap(month.users["admin"], period=AUG)
    assert r.group_kind == "opd"
    groups = {u.name: f for u, f in r.groups}
    a, b = groups["Dinas A"], groups["Dinas B"]
    assert (a.employees, a.hari_kerja, a.hadir, a.tidak_hadir_sah, a.tk) == (4, 80, 74, 3, 3)
    assert a.bands == {"TL1": 3, "TL2": 2, "TL3": 0, "TL4": 1, "PSW1": 0, "PSW2": 1, "PSW3": 0, "PSW4": 0}
    assert (a.tl_days, a.psw_days, a.terlambat_menit, a.psw_menit) == (6, 1, 126, 40)
    assert (a.tl_share, a.late_avg) == (7.5, 31.5)
    assert (b.employees, b.tk, b.tl_days, b.tl_share, b.late_avg) == (1, 5, 10, 50.0, 100.0)
    t = r.total
    assert (t.employees, t.hari_kerja, t.tk, t.tl_days, t.terlambat_menit) == (5, 100, 8, 16, 226)


def test_recap_rows_page(month):
    r = reports.month_recap(month.users["admin"], period=AUG, page=1, per_page=25)
    rows = list(r.page.object_list)
    assert [m.employee.name for m in rows] == ["Kepala A", "Kabid A1", "Staf Dua", "Staf Satu", "Pegawai Dinas B"]
    staff = next(m for m in rows if m.employee_id == month.staff.pk)
    assert (staff.hari_kerja, staff.hadir, staff.tk, reports.band(staff, "TL2"), reports.band(staff, "TL1")) == (
        20, 19, 1, 2, 0)  # fmt: skip


def test_operator_sees_their_opd_per_unit(month):
    r = reports.month_recap(month.users["operator_a"], period=AUG, page=1)
    assert r.group_kind == "unit"
    assert {u.name: f.employees for u, f in r.groups} == {"Dinas A": 1, "Bidang A1": 3}
    assert r.total.employees == 4 and r.total.tk == 3
    assert month.other.pk not in {m.employee_id for m in r.page.object_list}


def test_unit_filter_is_the_subtree(month):
    r = reports.month_recap(month.users["admin"], period=AUG, unit_id=month.bidang_a.pk, page=1)
    assert r.group_kind == "unit" and r.total.employees == 3
    assert {m.employee_id for m in r.page.object_list} == {month.kabid.pk, month.staff.pk, month.staff2.pk}


def test_unit_out_of_scope_is_not_visible(month):
    with pytest.raises(NotVisible):
        reports.month_recap(month.users["operator_a"], period=AUG, unit_id=month.opd_b.pk)
    with pytest.raises(NotVisible):
        reports.month_recap(month.users["admin"], period=AUG, unit_id=999_999)


@pytest.mark.parametrize("role", ["kabid", "staff", "treasurer_a", "assessor"])
def test_recap_refused_without_the_role(month, role):
    with pytest.raises(NotVisible):
        reports.month_recap(month.users[role], period=AUG)


@pytest.mark.parametrize("role", ["inspector", "bpkad"])
def test_inspectorate_and_bpkad_see_the_city(month, role):
    assert reports.month_recap(month.users[role], period=AUG).total.employees == 5


def test_tk_trend_last_twelve_months(month):
    r = reports.month_recap(month.users["admin"], period=AUG)
    assert len(r.trend) == 12 and r.trend[0][0] == dt.date(2025, 9, 1) and r.trend[-1][0] == AUG
    by_month = {m: (tk, hk) for m, tk, hk in r.trend}
    assert by_month[AUG] == (8, 100) and by_month[JUL] == (5, 46) and by_month[dt.date(2026, 6, 1)] == (0, 0)
    op = reports.month_recap(month.users["operator_a"], period=AUG)
    assert {m: tk for m, tk, _hk in op.trend}[JUL] == 4  # Dinas B's July not counted


def test_export_rows(month):
    rows = list(reports.export_rows(month.users["operator_a"], period=AUG, unit_id=month.bidang_a.pk))
    assert [r[1] for r in rows] == ["Kabid A1", "Staf Dua", "Staf Satu"]
    staff = rows[2]
    assert staff == (month.staff.nip, "Staf Satu", "Bidang A1", 20, 19, 0, 1, 0, 2, 0, 0, 0, 0, 0, 0, 80, 0)


# ---- today ------------------------------------------------------------------------------------------------------


@pytest.fixture
def today(city):
    c = city
    fs.punch(c.staff, DAY, "07:25")
    fs.punch(c.staff, DAY, "12:01")
    fs.punch(c.staff, DAY - dt.timedelta(days=1), "07:00")  # yesterday: not today's
    fs.leave(c.staff2, DAY, DAY + dt.timedelta(days=2), c.users["admin"])
    fs.leave(c.head, DAY, DAY, c.users["admin"], state="submitted")  # not approved: not away
    fs.travel([c.kabid], DAY - dt.timedelta(days=1), DAY, c.users["admin"])
    fs.punch(c.other, DAY, "07:40")
    return c


def _statuses(t):
    return {e.name: (reports.today_status(e), e.x_in, e.x_out) for e in t.page.object_list}


def test_today_for_the_operator(today):
    t = reports.unit_today(today.users["operator_a"], today=DAY)
    assert (t.employees, t.hadir, t.absen, t.belum) == (4, 1, 2, 1)
    assert t.working and t.holiday == ""
    assert _statuses(t) == {
        "Kepala A": ("belum", None, None),
        "Kabid A1": ("dinas_luar", None, None),
        "Staf Satu": ("hadir", 7 * 3600 + 25 * 60, 12 * 3600 + 60),
        "Staf Dua": ("cuti", None, None),
    }


def test_today_for_the_atasan_is_their_subtree(today):
    t = reports.unit_today(today.users["kabid"], today=DAY)
    assert set(_statuses(t)) == {"Kabid A1", "Staf Satu", "Staf Dua"}


def test_today_filters(today):
    t = reports.unit_today(today.users["admin"], today=DAY, only="belum")
    assert set(_statuses(t)) == {"Kepala A"}
    assert (t.employees, t.hadir) == (5, 2)  # the counts stay the whole scope's
    t = reports.unit_today(today.users["admin"], today=DAY, only="absen")
    assert set(_statuses(t)) == {"Kabid A1", "Staf Dua"}
    t = reports.unit_today(today.users["admin"], today=DAY, unit_id=today.opd_b.pk)
    assert set(_statuses(t)) == {"Pegawai Dinas B"}


def test_today_refused_to_a_plain_employee(today):
    for role in ("staff", "assessor"):
        with pytest.raises(NotVisible):
            reports.unit_today(today.users[role], today=DAY)


def test_today_on_a_holiday(today):
    t = reports.unit_today(today.users["admin"], today=dt.date(2026, 8, 17))
    assert t.holiday == "Proklamasi Kemerdekaan" and not t.working


# ---- one employee's month ---------------------------------------------------------------------------------------


def test_day_rows_from_recap_punches_absences_and_holidays(city):
    c = city
    admin = c.users["admin"]
    letters = {17: "-", 4: "T", 10: "A", 11: "A", 20: "A", 26: "T"}
    fs.recap(c.staff, AUG, days=fs.month_letters(AUG, letters))
    fs.leave(c.staff, dt.date(2026, 8, 10), dt.date(2026, 8, 11), admin)
    fs.travel([c.staff], dt.date(2026, 8, 20), dt.date(2026, 8, 20), admin)
    for d, times in ((5, ("07:20", "16:05")), (6, ("07:45", "16:10")), (7, ("07:29", "15:40"))):
        for t in times:
            fs.punch(c.staff, dt.date(2026, 8, d), t)
    fs.punch(c.staff, dt.date(2026, 8, 3), "07:10")
    fs.punch(c.staff, dt.date(2026, 8, 3), "07:12")
    fs.punch(c.staff, dt.date(2026, 8, 3), "16:30")
    weekly = {str(i): ["07:30", "16:00"] for i in range(1, 5)} | {"5": ["07:30", "16:30"]}
    days = {d.date.day: d for d in reports.day_rows(c.staff.pk, AUG, today=dt.date(2026, 8, 25), weekly=weekly)}
    assert len(days) == 31
    assert days[1].status == "libur" and days[1].label == "Libur"  # a Saturday
    assert days[17].status == "libur" and days[17].holiday == "Proklamasi Kemerdekaan"
    assert days[3].status == "hadir" and (days[3].masuk_text, days[3].pulang_text) == ("07:10", "16:30")
    assert days[4].status == "tk" and days[4].label == "Tanpa keterangan"
    assert days[5].status == "hadir"
    assert days[6].status == "terlambat" and days[6].late_min == 15
    assert days[7].status == "pulang_cepat" and days[7].early_min == 50  # a Friday: until 16:30
    assert days[10].status == "cuti" and days[10].absence == "cuti_tahunan"
    assert days[20].status == "dinas_luar"
    assert days[26].status is None  # after today: nothing yet
    counts = reports.month_counts(list(days.values()))
    assert (counts["libur"], counts["cuti"], counts["dinas_luar"], counts["tk"]) == (11, 2, 1, 1)


def test_day_rows_without_recap_show_only_what_is_known(city):
    days = reports.day_rows(city.staff.pk, AUG, today=dt.date(2026, 9, 30))
    assert {d.status for d in days} == {None, "libur"}
    assert days[16].holiday == "Proklamasi Kemerdekaan"


def test_single_punch_after_the_midpoint_is_the_departure(city):
    fs.recap(city.staff, AUG, days=fs.month_letters(AUG, {}))
    fs.punch(city.staff, dt.date(2026, 8, 3), "15:00")
    weekly = {str(i): ["07:30", "16:00"] for i in range(1, 6)}
    d = reports.day_rows(city.staff.pk, AUG, today=dt.date(2026, 9, 1), weekly=weekly)[2]
    assert (d.masuk, d.pulang, d.status, d.early_min) == (None, 15 * 3600, "pulang_cepat", 60)


def test_standard_weekly_from_the_schedule_table(db):
    assert reports.standard_weekly() is None
    Schedule.objects.create(code="standar", name="Standar", weekly={"1": ["07:30", "16:00"]})
    assert reports.standard_weekly() == {"1": ["07:30", "16:00"]}


def test_calendar_weeks_start_on_monday(city):
    days = reports.day_rows(city.staff.pk, AUG, today=AUG)
    weeks = reports.calendar_weeks(days)
    assert weeks[0][:5] == [None] * 5 and weeks[0][5].date == AUG  # 1 August 2026 is a Saturday
    assert all(len(w) == 7 for w in weeks) and weeks[-1][0].date == dt.date(2026, 8, 31)


def test_month_employee_scope(city):
    assert reports.my_month_employee(city.users["staff"], None) == city.staff
    assert reports.my_month_employee(city.users["kabid"], city.staff.pk) == city.staff
    with pytest.raises(NotVisible):
        reports.my_month_employee(city.users["staff"], city.staff2.pk)
    with pytest.raises(NotVisible):
        reports.my_month_employee(city.users["kabid"], city.other.pk)
    with pytest.raises(NotVisible):
        reports.my_month_employee(city.users["admin"], None)  # no employee record


def _august(c):
    admin = c.users["admin"]
    fs.leave(c.staff, dt.date(2026, 8, 10), dt.date(2026, 8, 11), admin)
    fs.travel([c.staff], dt.date(2026, 8, 20), dt.date(2026, 8, 20), admin)
    for d, times in ((3, ("07:10", "16:30")), (6, ("07:48", "16:10")), (7, ("07:29", "15:40"))):
        for t in times:
            fs.punch(c.staff, dt.date(2026, 8, d), t)


def test_month_days_letters_decide_details_from_the_engine(city):
    _august(city)
    letters = {4: "T", 10: "A", 11: "A", 20: "A", 17: "-", 25: "-", 27: "T", 28: "T", 31: "T"}
    fs.recap(city.staff, AUG, days=fs.month_letters(AUG, letters))
    days = {d.date.day: d for d in reports.month_days(city.staff.pk, AUG, today=dt.date(2026, 8, 26))}
    assert (days[3].status, days[3].masuk_text, days[3].pulang_text) == ("hadir", "07:10", "16:30")
    assert days[4].status == "tk"
    assert (days[6].status, days[6].late_min) == ("terlambat", 18)  # the pack's standard 07:30–16:00
    assert (days[7].status, days[7].early_min) == ("pulang_cepat", 50)  # Friday until 16:30
    assert (days[10].status, days[10].absence) == ("cuti", "cuti_tahunan")
    assert (days[20].status, days[20].absence) == ("dinas_luar", "dinas_luar")
    assert (days[17].status, days[17].holiday) == ("libur", "Proklamasi Kemerdekaan")
    assert days[5].status == "hadir"  # the stored letter stands even without punches (what payroll took)
    assert days[27].status is None  # after today


def test_month_days_without_a_recap_use_the_engine(city):
    _august(city)
    days = {d.date.day: d for d in reports.month_days(city.staff.pk, AUG, today=dt.date(2026, 9, 30))}
    assert (days[3].status, days[4].status, days[6].status, days[10].status) == ("hadir", "tk", "terlambat", "cuti")
    assert days[1].status == "libur" and days[20].status == "dinas_luar"


def test_month_days_fall_back_without_a_calendar(city):
    days = reports.month_days(city.staff.pk, dt.date(2019, 3, 1), today=dt.date(2026, 1, 1))
    assert len(days) == 31 and days[1].status == "libur"  # 2 March 2019, a Saturday


def test_many_units_chart_and_table_show_the_worst_first(city, monkeypatch):
    monkeypatch.setattr(reports, "CHART_GROUPS", 2)
    monkeypatch.setattr(reports, "TABLE_GROUPS", 3)
    from tests import factories as f

    for i, tl in enumerate((1, 9, 4, 7)):
        u = f.unit(f"Sekolah {i}", parent=city.opd_b, kind="bidang", code=f"S{i}")
        fs.recap(f.employee(f.position(u)), AUG, bands={"TL1": tl})
    r = reports.month_recap(city.users["admin"], period=AUG, unit_id=city.opd_b.pk)
    assert len(r.groups) == 4 and r.groups_more == 1
    assert [u.name for u, _f in r.chart_groups] == ["Sekolah 1", "Sekolah 3"]
    assert [u.name for u, _f in r.table_groups] == ["Sekolah 1", "Sekolah 3", "Sekolah 2"]


def test_month_days_night_shift_departure_on_the_next_date(city):
    from tests.attendance.factories_month import roster

    roster(city.staff, dt.date(2026, 8, 3), "22:00", "06:00")
    fs.punch(city.staff, dt.date(2026, 8, 3), "21:50")
    fs.punch(city.staff, dt.date(2026, 8, 4), "06:05")
    d = reports.month_days(city.staff.pk, AUG, today=dt.date(2026, 9, 1))[2]
    assert (d.status, d.masuk_text, d.pulang_text, d.pulang_next) == ("hadir", "21:50", "06:05", True)
