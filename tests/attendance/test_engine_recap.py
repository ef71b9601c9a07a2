"""recap() on hand-built grids: which working day takes which punch (rule 6 and the decisions in
docs/attendance-engine.md), single punches against the midpoint, deduplication, absences, bands and the recap."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from pamong.attendance.engine.recap import (
    DAY,
    STATUS_ABSEN,
    STATUS_HADIR,
    STATUS_LIBUR,
    STATUS_TK,
    Bands,
    MonthGrid,
    MonthResult,
    Policy,
    Punches,
    recap,
)

POLICY = Policy.parse(
    {
        "tl": [[1, 30, "TL1"], [31, 60, "TL2"], [61, 90, "TL3"], [91, None, "TL4"]],
        "psw": [[1, 30, "PSW1"], [31, 60, "PSW2"], [61, 90, "PSW3"], [91, None, "PSW4"]],
        "tanpa_masuk": "TL4",
        "tanpa_pulang": "PSW4",
    }
)
TL4, PSW4 = 3, 3
NIGHT = ("20:00", "08:00")
DAYTIME = ("13:00", "21:00")
OFFICE = ("07:30", "16:00")


def sec(hms: str) -> int:
    parts = [int(x) for x in hms.split(":")] + [0]
    return parts[0] * 3600 + parts[1] * 60 + parts[2]


def grid(*rows: list[tuple[str, str] | None], absence: list[list[int]] | None = None) -> MonthGrid:
    """One row per employee: the (start, end) of each slot, slot 0 first; None = not a working day."""
    start = np.array([[-1 if s is None else sec(s[0]) for s in row] for row in rows], dtype=np.int32)
    end = np.array([[-1 if s is None else sec(s[1]) for s in row] for row in rows], dtype=np.int32)
    absent = np.zeros(start.shape, dtype=np.int16) if absence is None else np.array(absence, dtype=np.int16)
    return MonthGrid(dt.date(2026, 12, 1), start, end, absent, ("cuti_tahunan", "sakit"))


def at(slot: int, hms: str) -> int:
    return slot * DAY + sec(hms)


def punches(*pairs: tuple[int, int]) -> Punches:
    return Punches(np.array([e for e, _ in pairs], dtype=np.int32), np.array([t for _, t in pairs], dtype=np.int64))


def one(g: MonthGrid, *ts: int) -> MonthResult:
    return recap(g, punches(*((0, t) for t in ts)), POLICY)


def clock(result: MonthResult, day: int, emp: int = 0) -> tuple[int, int]:
    """(masuk, pulang) of month day `day` (slot number), −1 = none."""
    return int(result.masuk[emp, day - 1]), int(result.pulang[emp, day - 1])


def test_the_night_shift_before_the_month_takes_the_morning_of_the_1st() -> None:
    r = one(grid([NIGHT, DAYTIME]), at(1, "07:55"), at(1, "13:05"), at(1, "21:00"))
    assert clock(r, 1) == (at(1, "13:05"), at(1, "21:00"))
    assert int(r.late_min[0, 0]) == 5
    # without the night shift on slot 0 the morning punch is the 1st's own arrival
    r = one(grid([None, DAYTIME]), at(1, "07:55"), at(1, "13:05"), at(1, "21:00"))
    assert clock(r, 1) == (at(1, "07:55"), at(1, "21:00"))


def test_the_last_days_night_shift_takes_the_next_morning_and_nothing_later() -> None:
    g = grid([None, OFFICE, NIGHT])
    r = one(g, at(2, "19:58"), at(3, "07:01"), at(3, "12:00"), at(4, "07:00"))
    assert clock(r, 2) == (at(2, "19:58"), at(3, "07:01"))
    assert r.status[0].tolist() == [STATUS_TK, STATUS_HADIR]


def test_noon_belongs_to_the_later_date() -> None:
    g = grid([None, NIGHT, DAYTIME])
    r = one(g, at(1, "11:59:59"), at(1, "12:00:00"), at(2, "11:59:59"), at(2, "12:00:00"))
    assert clock(r, 1) == (at(1, "12:00:00"), at(2, "11:59:59"))  # 11:59:59 on the 1st belongs to nobody
    assert clock(r, 2) == (at(2, "12:00:00"), -1)  # its one punch, before the midpoint 17:00: an arrival


def test_an_ordinary_day_after_a_night_shift_keeps_its_afternoon_only() -> None:
    g = grid([None, NIGHT, DAYTIME])
    r = one(g, at(1, "20:00"), at(2, "08:00"), at(2, "11:50"), at(2, "13:00"), at(2, "21:00"))
    assert clock(r, 1) == (at(1, "20:00"), at(2, "11:50"))  # the latest punch of its window
    assert clock(r, 2) == (at(2, "13:00"), at(2, "21:00"))


def test_a_night_schedule_on_a_holiday_owns_no_window() -> None:
    g = grid([None, None, OFFICE])  # slot 1 would be a night shift but is a holiday: start −1
    g.end[0, 1] = sec("08:00")
    r = one(g, at(2, "07:25"), at(2, "16:00"))
    assert clock(r, 2) == (at(2, "07:25"), at(2, "16:00"))
    assert int(r.status[0, 0]) == STATUS_LIBUR


def test_an_absent_night_shift_still_owns_its_window() -> None:
    g = grid([None, NIGHT, DAYTIME], absence=[[0, 2, 0]])
    r = one(g, at(1, "20:00"), at(2, "09:00"), at(2, "13:20"), at(2, "21:00"))
    assert int(r.status[0, 0]) == STATUS_ABSEN
    assert clock(r, 1) == (-1, -1)  # its punches are not evaluated
    assert (int(r.tl[0, 0]), int(r.psw[0, 0]), int(r.late_min[0, 0])) == (-1, -1, 0)
    assert clock(r, 2) == (at(2, "13:20"), at(2, "21:00"))  # 09:00 is not the next day's arrival
    assert int(r.tl[0, 1]) == 0


def test_an_absent_night_shift_before_the_month_still_owns_the_morning_of_the_1st() -> None:
    g = grid([NIGHT, DAYTIME], absence=[[1, 0]])  # leave running into the month from the day before it
    r = one(g, at(1, "07:50"), at(1, "21:00"))
    assert clock(r, 1) == (-1, at(1, "21:00"))  # 07:50 is not the 1st's arrival


def test_an_absence_on_a_day_off_is_still_a_day_off() -> None:
    r = one(grid([None, None, OFFICE], absence=[[1, 1, 1]]))
    assert r.status[0].tolist() == [STATUS_LIBUR, STATUS_ABSEN]
    assert r.rekap()["hari_kerja"].tolist() == [1]
    assert r.rekap()["tidak_hadir_sah"].tolist() == [1]


@pytest.mark.parametrize(
    ("shift", "punch", "arrival"),
    [
        (OFFICE, "11:44:59", True),
        (OFFICE, "11:45:00", False),  # exactly the midpoint: a departure
        (("07:30", "16:01"), "11:45:29", True),  # the midpoint 11:45:30 has half a minute
        (("07:30", "16:01"), "11:45:30", False),
        (NIGHT, "01:59:59+", True),  # the night shift's midpoint is 02:00 the next date
        (NIGHT, "02:00:00+", False),
    ],
)
def test_a_single_punch_is_the_arrival_only_before_the_midpoint(
    shift: tuple[str, str], punch: str, arrival: bool
) -> None:
    t = at(2, punch.rstrip("+")) if punch.endswith("+") else at(1, punch)
    r = one(grid([None, shift]), t)
    assert clock(r, 1) == ((t, -1) if arrival else (-1, t))
    assert int(r.status[0, 0]) == STATUS_HADIR
    assert (int(r.late_min[0, 0]) > 0) is arrival  # about four hours late, or early, on the side that exists
    assert (int(r.psw_min[0, 0]) > 0) is not arrival


def test_a_24_hour_shift_crosses_midnight_and_takes_punches_from_noon() -> None:
    g = grid([None, ("08:00", "08:00"), None])
    r = one(g, at(1, "07:55"), at(1, "12:00"), at(2, "08:05"))
    assert clock(r, 1) == (at(1, "12:00"), at(2, "08:05"))  # rule 6's window: its 07:55 arrival is outside
    assert int(r.late_min[0, 0]) == 240


def test_duplicates_are_removed_per_employee() -> None:
    g = grid([None, OFFICE], [None, OFFICE])
    t = at(1, "07:20")
    r = recap(g, punches((0, t), (0, t), (1, t)), POLICY)
    for emp in (0, 1):  # one punch each: an arrival, no departure
        assert clock(r, 1, emp) == (t, -1)
        assert int(r.psw[emp, 0]) == PSW4


def test_punches_outside_the_grid_or_on_days_off_are_ignored() -> None:
    g = grid([OFFICE, None, OFFICE])
    r = recap(
        g,
        punches((0, -60), (0, at(1, "07:30")), (0, at(4, "07:30")), (1, at(2, "07:30")), (-1, at(2, "07:30"))),
        POLICY,
    )
    assert r.status[0].tolist() == [STATUS_LIBUR, STATUS_TK]
    assert r.rekap()["TK"].tolist() == [1]


def test_lateness_and_early_leave_are_whole_minutes_floored() -> None:
    r = one(grid([None, OFFICE, OFFICE]), at(1, "07:30:59"), at(1, "15:59:01"), at(2, "07:31:00"), at(2, "15:59:00"))
    assert r.late_min[0].tolist() == [0, 1]
    assert r.psw_min[0].tolist() == [0, 1]
    assert r.tl[0].tolist() == [-1, 0]
    assert r.psw[0].tolist() == [-1, 0]


def test_minutes_of_a_missing_side_are_zero_but_the_other_side_counts() -> None:
    r = one(grid([None, OFFICE]), at(1, "15:00"))  # a departure only, an hour early
    assert (int(r.late_min[0, 0]), int(r.psw_min[0, 0])) == (0, 60)
    assert (int(r.tl[0, 0]), int(r.psw[0, 0])) == (TL4, 1)
    totals = r.rekap()
    assert (int(totals["terlambat_menit"][0]), int(totals["psw_menit"][0])) == (0, 60)


def test_no_punch_at_all_is_tk_without_bands() -> None:
    r = one(grid([None, OFFICE, None]))
    assert r.status[0].tolist() == [STATUS_TK, STATUS_LIBUR]
    assert (int(r.tl[0, 0]), int(r.psw[0, 0])) == (-1, -1)


def test_rekap_has_the_spec_columns_in_order_per_employee() -> None:
    g = grid([None, OFFICE, OFFICE, None], [None, OFFICE, None, OFFICE], absence=[[0, 0, 0, 0], [0, 0, 0, 1]])
    r = recap(g, punches((0, at(1, "08:15")), (0, at(1, "16:00")), (1, at(1, "07:00"))), POLICY)
    totals = r.rekap()
    assert list(totals) == ["hari_kerja", "hadir", "tidak_hadir_sah", "TK", "TL1", "TL2", "TL3", "TL4", "PSW1",
                            "PSW2", "PSW3", "PSW4", "terlambat_menit", "psw_menit"]  # fmt: skip
    assert {k: v.tolist() for k, v in totals.items()} == {
        "hari_kerja": [2, 2], "hadir": [1, 1], "tidak_hadir_sah": [0, 1], "TK": [1, 0],
        "TL1": [0, 0], "TL2": [1, 0], "TL3": [0, 0], "TL4": [0, 0],
        "PSW1": [0, 0], "PSW2": [0, 0], "PSW3": [0, 0], "PSW4": [0, 1],
        "terlambat_menit": [45, 0], "psw_menit": [0, 0],
    }  # fmt: skip
    assert all(v.dtype == np.int64 for v in totals.values())


def test_no_punches_at_all_and_output_dtypes() -> None:
    g = grid([None, OFFICE], [None, None])
    r = recap(g, punches(), POLICY)
    assert r.status.tolist() == [[STATUS_TK], [STATUS_LIBUR]]
    assert (r.status.dtype, r.masuk.dtype, r.late_min.dtype, r.tl.dtype) == (np.int8, np.int64, np.int32, np.int16)


def test_mismatched_grid_is_refused() -> None:
    g = grid([None, OFFICE])
    bad = MonthGrid(g.first_day, g.start, g.end[:, :1], g.absence, g.absence_kinds)
    with pytest.raises(ValueError, match="grid.end"):
        recap(bad, punches(), POLICY)
    bad = MonthGrid(g.first_day, g.start, g.end, g.absence + 3, g.absence_kinds)
    with pytest.raises(ValueError, match="absence_kinds"):
        recap(bad, punches(), POLICY)


def test_bands_hold_inclusive_ranges_and_zero_is_no_band() -> None:
    closed = Bands.parse([[1, 15, "A"], [16, 60, "B"]], "tl")
    assert closed.band_of(np.array([0, 1, 15, 16, 60, 61, 5000])).tolist() == [-1, 0, 0, 1, 1, -1, -1]
    open_ = Bands.parse([[1, 1, "A"], [2, None, "B"]], "tl")
    assert open_.band_of(np.array([0, 1, 2, 10**6])).tolist() == [-1, 0, 1, 1]
    assert Bands.parse([[1, None, "X"]], "psw").band_of(np.array([[0, 7]])).tolist() == [[-1, 0]]


def test_policy_refuses_a_tanpa_band_from_the_other_table() -> None:
    tl = Bands.parse([[1, None, "TL1"]], "tl")
    psw = Bands.parse([[1, None, "PSW1"]], "psw")
    with pytest.raises(ValueError, match="tanpa_masuk"):
        Policy(tl, psw, "PSW1", "PSW1")
    assert Policy(tl, psw, "TL1", "PSW1").columns[4:6] == ("TL1", "PSW1")
