"""Approved absences (alasan yang sah) of many employees over a date range, for the month's recap: approved leave
and official travel (surat tugas). Two queries whatever the number of employees."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from .models import LeaveRequest, RequestState, TravelOrder

DINAS_LUAR = "dinas_luar"


class Absence(NamedTuple):
    start: dt.date
    end: dt.date
    kind: str  # cuti_<type> | dinas_luar


def approved_absences(employee_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[int, list[Absence]]:
    """employee id → the approved absences that touch [start, end] (unclipped)."""
    ids = list(employee_ids)
    out: dict[int, list[Absence]] = defaultdict(list)
    for emp, a, b, kind in LeaveRequest.objects.filter(
        employee_id__in=ids, state=RequestState.APPROVED, start__lte=end, end__gte=start
    ).values_list("employee_id", "start", "end", "kind"):
        out[emp].append(Absence(a, b, f"cuti_{kind}"))
    for emp, a, b in TravelOrder.objects.filter(
        employees__in=ids, cancelled=False, start__lte=end, end__gte=start
    ).values_list("employees", "start", "end"):
        out[emp].append(Absence(a, b, DINAS_LUAR))
    return dict(out)
