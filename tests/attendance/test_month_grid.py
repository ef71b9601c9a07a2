"""Schedule resolution into the engine's grid: employee assignment > deepest unit assignment > standard; roster days
override (even a holiday); the Ramadan period of the pack; holidays; working_dates_of."""

from __future__ import annotations

import datetime as dt

import pytest

from pamong.attendance.models import Schedule, ScheduleSpecialPeriod
from pamong.attendance.schedules import STANDARD_CODE, month_grid, schedule_standard_ensure, working_dates_of
from tests.attendance.factories_month import assign, roster, schedule, secs

NOV = dt.date(2026, 11, 1)


def cell(grid, row: int, day: dt.date) -> tuple[int, int]:
    j = (day - grid.first_day).days + 1
    return int(grid.start[row, j]), int(grid.end[row, j])


def test_standard_schedule_comes_from_the_pack_once(db):
    s = schedule_standard_ensure()
    again = schedule_standard_ensure()
    assert s.pk == again.pk and Schedule.objects.filter(code=STANDARD_CODE).count() == 1
    assert s.weekly["1"] == ["07:30", "16:00"] and s.weekly["5"] == ["07:30", "16:30"] and "6" not in s.weekly
    assert s.break_minutes["5"] == 90
    ramadan = ScheduleSpecialPeriod.objects.get(schedule=s)
    assert (ramadan.start, ramadan.end) == (dt.date(2026, 2, 19), dt.date(2026, 3, 19))
    assert ramadan.weekly["5"] == ["08:00", "15:30"]
    assert "CONTOH, bukan Perwali Sawahlunto" in s.reference


def test_pack_hours_add_up_to_perpres_21_2023(db):
    s = schedule_standard_ensure()
    ramadan = s.special_periods.get()

    def weekly_minutes(weekly, breaks):
        return sum((secs(b) - secs(a)) // 60 - breaks[d] for d, (a, b) in weekly.items())

    assert weekly_minutes(s.weekly, s.break_minutes) == 37 * 60 + 30
    assert weekly_minutes(ramadan.weekly, {d: 60 if d == "5" else 30 for d in ramadan.weekly}) == 32 * 60 + 30


def test_standard_week_holidays_and_weekend(city):
    grid = month_grid([city.staff.id], NOV, 30)
    assert cell(grid, 0, dt.date(2026, 11, 2)) == (secs("07:30"), secs("16:00"))  # Monday
    assert cell(grid, 0, dt.date(2026, 11, 6)) == (secs("07:30"), secs("16:30"))  # Friday
    assert cell(grid, 0, dt.date(2026, 11, 7))[0] == -1  # Saturday
    dec = month_grid([city.staff.id], dt.date(2026, 12, 1), 31)
    assert cell(dec, 0, dt.date(2026, 12, 25))[0] == -1  # Christmas, a Friday
    assert cell(dec, 0, dt.date(2026, 12, 24))[0] == -1  # cuti bersama
    assert cell(dec, 0, dt.date(2026, 12, 23))[0] == secs("07:30")


def test_ramadan_period_from_the_pack(city):
    grid = month_grid([city.staff.id], dt.date(2026, 2, 1), 28)
    assert cell(grid, 0, dt.date(2026, 2, 18)) == (secs("07:30"), secs("16:00"))  # Wednesday before
    assert cell(grid, 0, dt.date(2026, 2, 19)) == (secs("08:00"), secs("15:00"))  # Thursday, first day
    assert cell(grid, 0, dt.date(2026, 2, 20)) == (secs("08:00"), secs("15:30"))  # Friday
    assert cell(grid, 0, dt.date(2026, 2, 16))[0] == -1  # cuti bersama Imlek


def test_assignment_precedence_employee_over_deep_unit_over_parent_over_standard(city):
    admin = city.users["admin"]
    opd_sched = schedule(weekly={"1": ["07:00", "15:00"]})
    bidang_sched = schedule(weekly={"1": ["08:00", "16:00"]})
    own_sched = schedule(weekly={"1": ["09:00", "17:00"]})
    assign(opd_sched, admin, unit=city.opd_a)
    assign(bidang_sched, admin, unit=city.bidang_a, start=dt.date(2026, 11, 10))
    assign(own_sched, admin, employee=city.staff2, start=dt.date(2026, 11, 16), until=dt.date(2026, 11, 20))
    ids = [city.head.id, city.staff.id, city.staff2.id, city.other.id]
    grid = month_grid(ids, NOV, 30)
    mon1, mon2, mon3, mon4 = (dt.date(2026, 11, d) for d in (2, 9 + 7, 16, 23))
    assert cell(grid, 0, mon1)[0] == secs("07:00")  # head: in Dinas A itself
    assert cell(grid, 1, mon1)[0] == secs("07:00")  # bidang's own assignment starts on the 10th
    assert cell(grid, 1, mon3)[0] == secs("08:00")  # the deeper unit wins
    assert cell(grid, 2, mon3)[0] == secs("09:00")  # the employee's own, 16–20 Nov
    assert cell(grid, 2, mon4)[0] == secs("08:00")  # and back to the unit's after it ended
    assert cell(grid, 0, dt.date(2026, 11, 3))[0] == -1  # opd schedule has only Mondays
    assert cell(grid, 3, mon1) == (secs("07:30"), secs("16:00"))  # Dinas B: the standard
    del mon2


def test_roster_days_override_the_week_and_holidays(city):
    roster(city.staff, dt.date(2026, 12, 25), "20:00", "08:00")  # night shift on Christmas
    roster(city.staff, dt.date(2026, 12, 1), None, None)  # off on a Tuesday
    grid = month_grid([city.staff.id, city.staff2.id], dt.date(2026, 12, 1), 31)
    assert cell(grid, 0, dt.date(2026, 12, 25)) == (secs("20:00"), secs("08:00"))
    assert cell(grid, 0, dt.date(2026, 12, 1))[0] == -1
    assert cell(grid, 1, dt.date(2026, 12, 1))[0] == secs("07:30")  # others untouched


def test_working_dates_of_follows_the_employee_schedule(city):
    start, end = dt.date(2026, 11, 2), dt.date(2026, 11, 8)
    assert len(working_dates_of(city.staff.id, start, end)) == 5
    assign(schedule(), city.users["admin"], employee=city.staff)  # Monday–Saturday
    assert working_dates_of(city.staff.id, start, end)[-1] == dt.date(2026, 11, 7)
    assert len(working_dates_of(city.staff.id, start, end)) == 6
    assert working_dates_of(city.staff.id, end, start) == []


@pytest.mark.parametrize("size", [0, 3])
def test_grid_rows_follow_the_given_order(city, size):
    ids = [city.other.id, city.staff.id, city.head.id][:size]
    grid = month_grid(ids, NOV, 30)
    assert grid.start.shape == (size, 31)
