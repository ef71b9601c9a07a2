"""Who rates whom: the pejabat penilai and the atasan pejabat penilai from the position tree
(staffing-rules.md §1.6: an employee is rated by the holder of the nearest superior position that has one, and
that rater's own rater is the atasan). Derived in bulk with three queries, whatever the number of employees.

A position with no holder is passed over (a vacant Kepala Seksi: the Kepala Bidang rates). At the top of the tree the
rater is the head of the region (Wali Kota), who is not an employee here: None."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from pamong.org.models import Position
from pamong.people.models import ACTIVE_STATUSES, Employee, PositionHistory


@dataclass(frozen=True)
class Chain:
    penilai_id: int | None
    atasan_penilai_id: int | None


def _holders(on: dt.date) -> dict[int, int]:
    """position id → the employee holding it (definitif first, then a running Plt/Plh; the lowest id on a tie)."""
    holders: dict[int, int] = {}
    for pos_id, emp_id in (
        Employee.objects.filter(status__in=ACTIVE_STATUSES, position__subordinates__isnull=False)
        .order_by("id")
        .values_list("position_id", "id")
        .distinct()
    ):
        holders.setdefault(pos_id, emp_id)
    acting = (
        PositionHistory.objects.filter(mode__in=["plt", "plh"], tmt__lte=on, employee__status__in=ACTIVE_STATUSES)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .order_by("employee_id")
        .values_list("position_id", "employee_id")
    )
    for pos_id, emp_id in acting:
        holders.setdefault(pos_id, emp_id)
    return holders


def chains_for(employee_ids: list[int], on: dt.date | None = None) -> dict[int, Chain]:
    """The rater chain of each employee on a date (default today)."""
    on = on or dt.date.today()
    superior = dict(Position.objects.values_list("id", "superior_id"))
    holders = _holders(on)
    own = dict(Employee.objects.filter(pk__in=employee_ids).values_list("id", "position_id"))

    def rater_of(position_id: int | None, exclude: int) -> tuple[int | None, int | None]:
        """(the rater, the position they hold) above position_id, skipping vacancies and the person themself."""
        seen = 0
        pos = superior.get(position_id) if position_id is not None else None
        while pos is not None and seen < 64:  # a tree is never deeper; guards a corrupt cycle
            holder = holders.get(pos)
            if holder is not None and holder != exclude:
                return holder, pos
            pos = superior.get(pos)
            seen += 1
        return None, None

    out: dict[int, Chain] = {}
    for emp_id in employee_ids:
        penilai, penilai_pos = rater_of(own.get(emp_id), emp_id)
        atasan = rater_of(penilai_pos, penilai)[0] if penilai is not None else None
        out[emp_id] = Chain(penilai, atasan)
    return out


def unit_head_position(unit_id: int) -> int | None:
    """The unit's top position: the one whose superior lies outside the unit (or that has none)."""
    rows = Position.objects.filter(unit_id=unit_id, active=True).values_list("id", "superior__unit_id", "kelas_jabatan")
    tops = [(-kelas, pid) for pid, sup_unit, kelas in rows if sup_unit != unit_id]
    return min(tops)[1] if tops else None  # several: the highest kelas jabatan (a JF reporting outside is no head)
