"""A month is locked once its TPP is decided: when a payroll TPP run of the period is approved or later, the
attendance that fed it may no longer change (no recompute, no correction for a date in it)."""

from __future__ import annotations

import datetime as dt

from pamong.core.errors import Conflict
from pamong.payroll.models import FROZEN_STATES, PayrollRun, RunKind


class MonthLocked(Conflict):
    code = "month_locked"


def month_locked(period: dt.date) -> bool:
    """True when a TPP run for the month of `period` is approved, paid or closed."""
    first = period.replace(day=1)
    return PayrollRun.objects.filter(period=first, kind=RunKind.TPP, state__in=FROZEN_STATES).exists()


def refuse_locked(period: dt.date) -> None:
    if month_locked(period):
        raise MonthLocked(
            f"Presensi bulan {period:%m/%Y} sudah dikunci: TPP bulan itu sudah disetujui.",
            details={"bulan": f"{period:%Y-%m}"},
        )
