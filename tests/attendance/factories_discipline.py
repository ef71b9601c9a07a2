"""Builders for the discipline tests: MonthRecap rows as the recap would store them."""

from __future__ import annotations

import calendar
import datetime as dt

from django.utils import timezone

from pamong.attendance.models import MonthRecap
from pamong.people.models import Employee


def recap(emp: Employee, period: dt.date, *, tk: int = 0, late: int = 0, early: int = 0, days: str = "") -> MonthRecap:
    """One month: `days` (one letter per day) defaults to Monday–Friday working, the first `tk` working days TK."""
    n = calendar.monthrange(period.year, period.month)[1]
    if not days:
        letters, left = [], tk
        for d in range(1, n + 1):
            if dt.date(period.year, period.month, d).isoweekday() > 5:
                letters.append("-")
            elif left:
                letters.append("T")
                left -= 1
            else:
                letters.append("H")
        days = "".join(letters)
    assert len(days) == n, "one letter per day of the month"
    work = sum(ch != "-" for ch in days)
    return MonthRecap.objects.create(
        employee=emp, period=period, unit_id=emp.unit_id, hari_kerja=work, hadir=days.count("H"),
        tidak_hadir_sah=days.count("A"), tk=days.count("T") if tk == 0 else tk, bands={}, terlambat_menit=late,
        psw_menit=early, days=days, computed_at=timezone.now(),
    )  # fmt: skip


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
