"""Who sees whose attendance, leave and discipline: the employee their own; an atasan everyone below the positions
they hold (Plt/Plh included); an OPD operator and a treasurer their units' subtrees; BKPSDM, the inspectorate and
the BPKAD head everyone. Every list and detail of the module filters through here; a row out of scope is a 404."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from pamong.accounts.access import Access, access_for, path_q
from pamong.core.errors import NotVisible
from pamong.people.models import Employee


def sees_all(a: Access) -> bool:
    return a.sees_all_employees


def employee_q(a: Access, prefix: str = "") -> Q | None:
    """Q over Employee (or over a model's `prefix`employee); None: every row."""
    if sees_all(a):
        return None
    q = Q(pk__in=[])
    if a.employee_id is not None:
        q |= Q(**{f"{prefix}pk": a.employee_id})
    q |= path_q(f"{prefix}unit__path", a.unit_paths)
    if a.supervised_paths:
        q |= path_q(f"{prefix}position__path", a.supervised_paths) & ~Q(
            **{f"{prefix}position_id__in": a.own_position_ids}
        )
    return q


def employees_in_scope(user: Any) -> QuerySet[Employee]:
    a = access_for(user)
    if not a.authenticated:
        return Employee.objects.none()
    q = employee_q(a)
    return Employee.objects.all() if q is None else Employee.objects.filter(q)


def scoped(user: Any, qs: QuerySet, prefix: str = "employee__") -> QuerySet:
    """Rows of a model with an `employee` foreign key, limited to the employees in the user's scope."""
    a = access_for(user)
    if not a.authenticated:
        return qs.none()
    q = employee_q(a, prefix)
    return qs if q is None else qs.filter(q)


def employee_in_scope(user: Any, employee_id: int) -> Employee:
    emp = employees_in_scope(user).filter(pk=employee_id).first()
    if emp is None:
        raise NotVisible("Pegawai tidak ditemukan.")
    return emp
