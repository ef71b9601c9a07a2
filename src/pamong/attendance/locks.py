"""When a month's attendance may no longer change: once its TPP run is approved (the TPP paid on that month's
discipline counts, staffing-rules.md §2), the punches, corrections, leave and recaps of the month are frozen. A
cancelled run does not lock; a later run of the month in approved or a later state does."""

from __future__ import annotations

import datetime as dt

from pamong.core.errors import Conflict
from pamong.payroll.models import FROZEN_STATES, PayrollRun, RunKind


class MonthLocked(Conflict):
    code = "month_locked"


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def locked_months(periods: set[dt.date]) -> set[dt.date]:
    """Of the given months (any day in each), those locked, as first days of the month: one query."""
    firsts = {month_start(p) for p in periods}
    if not firsts:
        return set()
    return set(
        PayrollRun.objects.filter(kind=RunKind.TPP, period__in=firsts, state__in=[str(s) for s in FROZEN_STATES])
        .values_list("period", flat=True)
        .distinct()
    )


def month_locked(period: dt.date) -> bool:
    """True when a TPP run for the month of `period` is approved, paid or closed."""
    return bool(locked_months({period}))


def refuse_locked(period: dt.date) -> None:
    if month_locked(period):
        raise MonthLocked(
            f"Presensi bulan {period:%m/%Y} sudah dikunci: TPP bulan itu sudah disetujui.",
            details={"bulan": f"{period:%Y-%m}"},
        )
