"""Builders for the leave and travel tests: ledger rows, evidence bytes, a locked month, the 2027 calendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pamong.accounts.models import User
from pamong.attendance import calendar as work_calendar
from pamong.attendance.models import LeaveLedger
from pamong.payroll.models import PayrollRun, RunKind, RunState
from tests import factories as f

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
NOT_A_PDF = b"MZ\x90\x00 this is an executable renamed .pdf"


def ledger(emp: Any, year: int, days: int, by: Any, entry: str = "grant", kind: str = "tahunan") -> LeaveLedger:
    return LeaveLedger.objects.create(employee=emp, kind=kind, year=year, entry=entry, days=days, created_by=by)


@dataclass
class LeaveCity:
    """The shared `city` with logins for the head of Dinas A and the PPPK staff member too."""

    city: Any
    users: dict[str, User]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.city, name)


def leave_city(city: Any) -> LeaveCity:
    users = dict(city.users)
    users["head"] = f.user("head", employee=city.head)
    users["staff2"] = f.user("staff2", employee=city.staff2)
    users["other"] = f.user("other", employee=city.other)
    users["operator_b"] = f.user("operator_b", role=f.Role.OPERATOR_OPD, unit=city.opd_b)
    return LeaveCity(city, users)


def lock_month(period: dt.date, by: Any) -> PayrollRun:
    """An approved TPP run for the month: its attendance may no longer change."""
    return PayrollRun.objects.create(
        period=period.replace(day=1), kind=RunKind.TPP, state=RunState.APPROVED, region="sawahlunto", created_by=by
    )


def with_2027_calendar(monkeypatch: Any) -> None:
    """Pretend the pack has a 2027 calendar with New Year only (the shipped pack stops at 2026)."""
    real = work_calendar._year_holidays

    def fake(year: int, region: str) -> dict[dt.date, str]:
        if year == 2027:
            return {dt.date(2027, 1, 1): "Tahun Baru 2027 Masehi"}
        return real(year, region)

    monkeypatch.setattr(work_calendar, "_year_holidays", fake)
