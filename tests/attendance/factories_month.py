"""Builders for the month tests: punches, schedules, assignments, roster days, approved leave."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from pamong.attendance.models import (
    LeaveRequest,
    Punch,
    PunchSource,
    RequestState,
    RosterDay,
    Schedule,
    ScheduleAssignment,
    ScheduleKind,
)
from pamong.people.models import Employee

_seq = itertools.count(1)


def secs(hhmm: str) -> int:
    parts = [int(x) for x in hhmm.split(":")]
    return parts[0] * 3600 + parts[1] * 60 + (parts[2] if len(parts) > 2 else 0)


def punch(emp: Employee, day: dt.date, *times: str, source: int = PunchSource.CHECKIN) -> None:
    for t in times:
        Punch.objects.create(employee=emp, date=day, seconds=secs(t), source=source)


def schedule(code: str = "", weekly: dict[str, list[str]] | None = None, kind: str = ScheduleKind.SIX_DAY) -> Schedule:
    n = next(_seq)
    return Schedule.objects.create(
        code=code or f"j{n}",
        name=f"Jadwal {n}",
        kind=kind,
        weekly=weekly or {str(d): ["07:30", "14:00"] for d in range(1, 7)},
    )


def assign(s: Schedule, user: Any, *, unit=None, employee=None, start=dt.date(2026, 1, 1), until=None):
    return ScheduleAssignment.objects.create(
        schedule=s, unit=unit, employee=employee, valid_from=start, valid_until=until, created_by=user
    )


def roster(emp: Employee, day: dt.date, start: str | None, end: str | None) -> RosterDay:
    def t(s: str | None) -> dt.time | None:
        return dt.time.fromisoformat(s) if s else None

    return RosterDay.objects.create(employee=emp, date=day, start=t(start), end=t(end), shift="S")


def leave(emp: Employee, start: dt.date, end: dt.date, user: Any, kind: str = "tahunan") -> LeaveRequest:
    return LeaveRequest.objects.create(employee=emp, kind=kind, start=start, end=end, days=1, reason="uji",
                                       state=RequestState.APPROVED, created_by=user)  # fmt: skip
