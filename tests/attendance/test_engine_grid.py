"""grid.py: weekly schedules, special periods, holidays and absences laid out over a month's day slots, as the
application's bulk recap will call it (many employees sharing a few schedules)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from pamong.attendance.engine.grid import (
    Absences,
    Schedule,
    absence_slots,
    grid_for_schedules,
    month_days,
    parse_time,
    slot_dates,
    weekly_times,
)

OFFICE = weekly_times({"1": ["07:30", "16:00"], "2": ["07:30", "16:00"], "5": ["07:30", "16:30"]})
NIGHT = weekly_times({"6": ["22:00", "06:00"]})
RAMADAN = weekly_times({"1": ["08:00", "15:00"], "5": ["08:00", "15:30"]})
NOV = dt.date(2026, 11, 1)  # a Sunday; slot 0 is Saturday 31 October


def h(text: str) -> int:
    return parse_time(text, "t")


def test_parse_time_reads_minutes_and_seconds() -> None:
    assert (h("00:00"), h("07:30"), h("23:59:59")) == (0, 27_000, 86_399)
    for bad in ("7:30", "24:00", "12:60", "12:00:60", "", "12.00", None):
        with pytest.raises(ValueError, match="jadwal.1"):
            parse_time(bad, "jadwal.1")


def test_weekly_times_indexes_by_iso_weekday() -> None:
    assert OFFICE.start.tolist() == [-1, h("07:30"), h("07:30"), -1, -1, h("07:30"), -1, -1]
    assert OFFICE.end[5] == h("16:30")
    assert weekly_times({}).start.tolist() == [-1] * 8


def test_month_days_and_slot_dates() -> None:
    assert month_days("2028-02") == (dt.date(2028, 2, 1), 29)
    assert month_days("2026-12") == (dt.date(2026, 12, 1), 31)
    assert slot_dates(NOV, 30)[:2] == [dt.date(2026, 10, 31), NOV]
    assert len(slot_dates(NOV, 30)) == 31
    for bad in ("2026-1", "2026-13", "0000-01", "2026/11", None):
        with pytest.raises(ValueError, match="bulan"):
            month_days(bad)  # type: ignore[arg-type]


def test_a_period_overrides_its_days_and_the_later_period_wins() -> None:
    dates = slot_dates(NOV, 30)
    s = Schedule(
        OFFICE,
        (
            (dt.date(2026, 11, 9), dt.date(2026, 12, 31), RAMADAN),
            (dt.date(2026, 11, 16), dt.date(2026, 11, 16), weekly_times({})),
        ),
    )
    start, end = s.lay_out(dates)
    assert start[2] == h("07:30")  # Monday 2 November: the ordinary schedule
    assert start[9] == h("08:00")  # Monday 9 November: the period's
    assert start[10] == -1  # Tuesday 10 November: the period has no Tuesday
    assert start[16] == -1  # the later period takes 16 November off
    assert end[13] == h("15:30")


def test_grid_for_schedules_by_employee_with_holidays() -> None:
    g = grid_for_schedules(NOV, 30, [Schedule(OFFICE), Schedule(NIGHT)], np.array([0, 1, -1]), [dt.date(2026, 11, 2)])
    assert g.start.shape == (3, 31) and g.start.dtype == np.int32 and g.end.dtype == np.int32
    assert g.first_day == NOV and g.days == 30 and g.dates()[-1] == dt.date(2026, 11, 30)
    assert g.start[0, 2] == -1 and g.end[0, 2] == -1  # the holiday: no work, no end either
    assert g.start[0, 3] == h("07:30")
    assert g.start[1, 0] == h("22:00") and g.end[1, 0] == h("06:00")  # Saturday 31 October, slot 0
    assert (g.start[2] == -1).all()  # −1: no schedule
    assert (g.absence == 0).all() and g.absence_kinds == ()


def test_grid_for_schedules_by_employee_and_day() -> None:
    which = np.zeros((2, 31), dtype=np.int64)
    which[1, 16:] = 1  # the second employee moves to night duty from 16 November
    g = grid_for_schedules(NOV, 30, [Schedule(OFFICE), Schedule(NIGHT)], which)
    assert g.start[1, 2] == h("07:30")
    assert g.start[1, 21] == h("22:00")  # Saturday 21 November
    assert g.start[1, 23] == -1  # Monday 23 November: night duty has no Monday
    assert g.start[0, 23] == h("07:30")


def test_grid_for_schedules_refuses_bad_indexes() -> None:
    with pytest.raises(ValueError, match="schedule_of"):
        grid_for_schedules(NOV, 30, [Schedule(OFFICE)], np.array([1]))
    with pytest.raises(ValueError, match="schedule_of"):
        grid_for_schedules(NOV, 30, [Schedule(OFFICE)], np.zeros((1, 30), dtype=np.int64))


def test_absences_are_clipped_to_the_grid_and_the_later_row_wins() -> None:
    d = np.datetime64
    a = Absences(
        row=np.array([0, 0, 1, 1, 2]),
        dari=np.array([d("2026-10-20"), d("2026-11-03"), d("2026-11-29"), d("2026-12-01"), d("2026-11-05")]),
        sampai=np.array([d("2026-11-04"), d("2026-11-03"), d("2026-12-05"), d("2026-12-03"), d("2026-11-04")]),
        kind=np.array([0, 1, 2, 0, 0]),
        kinds=("cuti_tahunan", "sakit", "dinas_luar"),
    )
    out = absence_slots(dt.date(2026, 10, 31), 31, 3, a)
    assert out.dtype == np.int16
    assert out[0, :6].tolist() == [1, 1, 1, 2, 1, 0]  # from slot 0 (31 October); the 3rd overridden by row 1
    assert out[1, 29:].tolist() == [3, 3]  # to the month's end; the December row falls outside
    assert (out[2] == 0).all()  # an empty range does nothing
    g = grid_for_schedules(NOV, 30, [Schedule(OFFICE)], np.zeros(3, dtype=np.int64), absences=a)
    assert (g.absence == out).all() and g.absence_kinds == a.kinds
