"""Building the recap's MonthGrid from weekly schedules, special periods (Ramadan), holidays and approved absences.

The case file (cases.py) and the application's bulk recap share this: a month has a handful of distinct schedules,
so each is laid out over the month's day slots once and every employee row takes its schedule's row by index
(per employee, or per employee and day when someone changes unit or schedule mid-month). Absences arrive as date
ranges and are spread over the slots without a loop over rows. Pure numpy, no Django.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .recap import MonthGrid

_TIME = re.compile(r"(\d{2}):(\d{2})(?::(\d{2}))?")


def parse_time(text: Any, where: str) -> int:
    """ "HH:MM" or "HH:MM:SS" (00:00–23:59:59) → seconds after midnight; a ValueError naming `where`."""
    m = _TIME.fullmatch(text) if isinstance(text, str) else None
    if m is None or int(m[1]) > 23 or int(m[2]) > 59 or int(m[3] or 0) > 59:
        raise ValueError(f'{where}: jam {text!r} tidak dapat dibaca; tulis JJ:MM, misalnya "07:30"')
    return int(m[1]) * 3600 + int(m[2]) * 60 + int(m[3] or 0)


@dataclass(frozen=True)
class WeeklyTimes:
    """A weekly schedule: index = ISO weekday (1 = Monday .. 7 = Sunday; 0 unused), seconds after midnight, −1 = no
    work that weekday. An end not later than the start ends on the next date (night shift)."""

    start: np.ndarray  # int32 [8]
    end: np.ndarray  # int32 [8]

    @classmethod
    def none(cls) -> WeeklyTimes:
        return cls(np.full(8, -1, dtype=np.int32), np.full(8, -1, dtype=np.int32))


def weekly_times(jadwal: Any, where: str = "jadwal") -> WeeklyTimes:
    """{"1": ["07:30", "16:00"], ...} (ISO weekday → [start, end]; a weekday left out has no work) → WeeklyTimes."""
    if not isinstance(jadwal, Mapping):
        raise ValueError(f'{where}: harus berupa objek {{"1": ["07:30", "16:00"], ...}} (hari ISO 1–7)')
    out = WeeklyTimes.none()
    for key, times in jadwal.items():
        if key not in {"1", "2", "3", "4", "5", "6", "7"}:
            raise ValueError(f'{where}.{key}: hari harus "1" (Senin) sampai "7" (Minggu)')
        if not isinstance(times, Sequence) or isinstance(times, str) or len(times) != 2:
            raise ValueError(f"{where}.{key}: harus berupa [jam masuk, jam pulang]")
        out.start[int(key)] = parse_time(times[0], f"{where}.{key}[0]")
        out.end[int(key)] = parse_time(times[1], f"{where}.{key}[1]")
    return out


@dataclass(frozen=True)
class Schedule:
    """A unit's working hours: the weekly schedule and the periods with their own (e.g. Ramadan), inclusive dates.
    Where periods overlap, the later in the list wins."""

    weekly: WeeklyTimes
    periods: tuple[tuple[dt.date, dt.date, WeeklyTimes], ...] = field(default=())

    def lay_out(self, dates: Sequence[dt.date]) -> tuple[np.ndarray, np.ndarray]:
        """(start, end) int32 [len(dates)] for these dates, before holidays."""
        weekday = np.array([d.isoweekday() for d in dates], dtype=np.int64)
        start = self.weekly.start[weekday].copy()
        end = self.weekly.end[weekday].copy()
        day = np.array(dates, dtype="datetime64[D]")
        for dari, sampai, weekly in self.periods:
            inside = (day >= np.datetime64(dari, "D")) & (day <= np.datetime64(sampai, "D"))
            start[inside] = weekly.start[weekday[inside]]
            end[inside] = weekly.end[weekday[inside]]
        return start, end


@dataclass(frozen=True)
class Absences:
    """Approved absences as rows: grid row, first and last date (inclusive), kind index into the kinds tuple.
    Where two overlap for one employee, the later row wins."""

    row: np.ndarray  # int64 [A]
    dari: np.ndarray  # datetime64[D] [A]
    sampai: np.ndarray  # datetime64[D] [A]
    kind: np.ndarray  # int64 [A], index into kinds
    kinds: tuple[str, ...]

    @classmethod
    def empty(cls) -> Absences:
        no = np.zeros(0, dtype=np.int64)
        return cls(no, no.astype("datetime64[D]"), no.astype("datetime64[D]"), no, ())


def slot_dates(first_day: dt.date, days: int) -> list[dt.date]:
    """The D + 1 slot dates: the day before `first_day`, then the month's days."""
    return [first_day + dt.timedelta(days=j - 1) for j in range(days + 1)]


def month_days(bulan: str) -> tuple[dt.date, int]:
    """ "YYYY-MM" → (first day, number of days); a ValueError otherwise."""
    m = re.fullmatch(r"(\d{4})-(\d{2})", bulan) if isinstance(bulan, str) else None
    if m is None or not 1 <= int(m[2]) <= 12 or int(m[1]) < 1:
        raise ValueError(f'bulan: {bulan!r} bukan bulan YYYY-MM, misalnya "2026-11"')
    first = dt.date(int(m[1]), int(m[2]), 1)
    nxt = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, (nxt - first).days


def grid_for_schedules(
    first_day: dt.date,
    days: int,
    schedules: Sequence[Schedule],
    schedule_of: np.ndarray,
    holidays: Iterable[dt.date] = (),
    absences: Absences | None = None,
) -> MonthGrid:
    """The MonthGrid of E employees for the month of `days` days starting `first_day`.

    schedule_of: int [E] (one schedule for the whole month) or [E, D+1] (per slot, slot 0 = the day before the
    month), an index into `schedules`, −1 = no work (e.g. before joining). Holidays apply to every row."""
    dates = slot_dates(first_day, days)
    n_slot = days + 1
    table_start = np.full((len(schedules) + 1, n_slot), -1, dtype=np.int32)  # the last row: −1 = no schedule
    table_end = np.full((len(schedules) + 1, n_slot), -1, dtype=np.int32)
    for k, schedule in enumerate(schedules):
        table_start[k], table_end[k] = schedule.lay_out(dates)
    off = np.isin(np.array(dates, dtype="datetime64[D]"), np.array(list(holidays), dtype="datetime64[D]"))
    table_start[:, off] = -1
    which = np.asarray(schedule_of, dtype=np.int64)
    if which.size and (which.min() < -1 or which.max() >= len(schedules)):
        raise ValueError("schedule_of: indeks di luar daftar jadwal")
    which = np.where(which < 0, len(schedules), which)
    if which.ndim == 1:
        start = table_start[which]
        end = table_end[which]
    elif which.ndim == 2 and which.shape[1] == n_slot:
        col = np.arange(n_slot)
        start = table_start[which, col]
        end = table_end[which, col]
    else:
        raise ValueError(f"schedule_of: bentuk {which.shape}, harus [E] atau [E, {n_slot}]")
    end = np.where(start < 0, -1, end).astype(np.int32)
    a = absences if absences is not None else Absences.empty()
    return MonthGrid(
        first_day=first_day,
        start=start,
        end=end,
        absence=absence_slots(dates[0], n_slot, len(which), a),
        absence_kinds=a.kinds,
    )


def absence_slots(slot0: dt.date, n_slot: int, n_emp: int, a: Absences) -> np.ndarray:
    """int16 [E, D+1]: 0 = none, k = kinds[k − 1]; later rows win where they overlap."""
    out = np.zeros((n_emp, n_slot), dtype=np.int16)
    if not a.row.size:
        return out
    origin = np.datetime64(slot0, "D")
    lo = np.maximum((np.asarray(a.dari, dtype="datetime64[D]") - origin).astype(np.int64), 0)
    hi = np.minimum((np.asarray(a.sampai, dtype="datetime64[D]") - origin).astype(np.int64), n_slot - 1)
    row = np.asarray(a.row, dtype=np.int64)
    kind = np.asarray(a.kind, dtype=np.int64)
    use = hi >= lo
    lo, hi, row, kind = lo[use], hi[use], row[use], kind[use]
    length = hi - lo + 1
    # spread each range over its slots: row-major cell numbers, one entry per absence day
    order = np.repeat(np.arange(lo.size), length)
    offset = np.arange(order.size) - np.repeat(np.cumsum(length) - length, length)
    cells = row[order] * n_slot + lo[order] + offset
    # the later row wins: keep each cell's last entry
    rev_cells = cells[::-1]
    _, pick = np.unique(rev_cells, return_index=True)
    flat = out.ravel()
    flat[rev_cells[pick]] = (kind[order][::-1][pick] + 1).astype(np.int16)
    return out
