"""The attendance recap engine: pure (no Django, no I/O), vectorised over every employee of a month (numpy).

grid.grid_for_schedules (schedules, holidays, absences → MonthGrid) + Punches + Policy (band tables) → recap.recap →
MonthResult (status, arrival, departure, TL/PSW per day; `rekap()` per employee). cases.py reads the CLI's case file.
"""

from pamong.attendance.engine.grid import Absences, Schedule, WeeklyTimes, grid_for_schedules, weekly_times
from pamong.attendance.engine.recap import (
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

__all__ = [
    "STATUS_ABSEN",
    "STATUS_HADIR",
    "STATUS_LIBUR",
    "STATUS_TK",
    "Absences",
    "Bands",
    "MonthGrid",
    "MonthResult",
    "Policy",
    "Punches",
    "Schedule",
    "WeeklyTimes",
    "grid_for_schedules",
    "recap",
    "weekly_times",
]
