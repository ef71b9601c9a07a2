"""Builders for the attendance screens' tests: stored month recaps, punches, approved leave and travel."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from pamong.attendance.models import LeaveRequest, MonthRecap, Punch, PunchSource, RequestState, TravelOrder
from pamong.people.models import Employee


def recap(emp: Employee, period: dt.date, *, hari_kerja: int = 20, hadir: int | None = None, sah: int = 0,
          tk: int = 0, bands: dict[str, int] | None = None, late: int = 0, early: int = 0, days: str = "",
          unit: Any = None) -> MonthRecap:  # fmt: skip
    return MonthRecap.objects.create(
        employee=emp, period=period, unit=unit or emp.unit, hari_kerja=hari_kerja,
        hadir=hari_kerja - sah - tk if hadir is None else hadir, tidak_hadir_sah=sah, tk=tk, bands=bands or {},
        terlambat_menit=late, psw_menit=early, days=days, computed_at=timezone.now(),
    )  # fmt: skip


def punch(emp: Employee, date: dt.date, hhmm: str, source: int = PunchSource.CHECKIN) -> Punch:
    h, m = (int(x) for x in hhmm.split(":"))
    return Punch.objects.create(employee=emp, date=date, seconds=h * 3600 + m * 60, source=source)


def leave(emp: Employee, start: dt.date, end: dt.date, user: Any, kind: str = "tahunan",
          state: str = RequestState.APPROVED) -> LeaveRequest:  # fmt: skip
    return LeaveRequest.objects.create(employee=emp, kind=kind, start=start, end=end, days=(end - start).days + 1,
                                       reason="keperluan keluarga", state=state, created_by=user)  # fmt: skip


def travel(emps: list[Employee], start: dt.date, end: dt.date, user: Any, cancelled: bool = False) -> TravelOrder:
    t = TravelOrder.objects.create(number="ST/1", date=start, start=start, end=end, destination="Padang",
                                   purpose="rapat koordinasi", signed_by="Sekda", unit=emps[0].unit,
                                   cancelled=cancelled, created_by=user)  # fmt: skip
    t.employees.set(emps)
    return t


def month_letters(first: dt.date, letters: dict[int, str], default_work: str = "H") -> str:
    """The `days` string of a month: weekends '-', other days `default_work`, day number → letter overrides."""
    out = []
    d = first
    while d.month == first.month:
        out.append(letters.get(d.day, "-" if d.isoweekday() > 5 else default_work))
        d += dt.timedelta(days=1)
    return "".join(out)
