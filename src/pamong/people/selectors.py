"""Reads of employee data, with visibility built in. Every list, detail, export and API read goes through here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils.translation import gettext

from pamong.accounts.access import Access, access_for, path_q
from pamong.accounts.models import Role
from pamong.core.errors import NotVisible
from pamong.people import family
from pamong.people.grades import GOLONGAN_ORDER, golongan_group

from .models import ACTIVE_STATUSES, Employee, FamilyMember, PositionHistory


class Detail(IntEnum):
    """How much of an employee's record a viewer may see (higher includes lower)."""

    WORK = 1  # name, NIP, position, unit, rank, status (supervisor, assessor)
    PAYROLL = 2  # + bank account and the derived family facts (treasurer, BPKAD head)
    FULL = 3  # + NIK, birth, address, contacts, family members (self, BKPSDM, inspectorate, own-OPD operator)


def _visibility_q(a: Access) -> Q | None:
    """None means every employee; otherwise the rows this access may list."""
    if a.sees_all_employees:
        return None
    q = Q(pk__in=[])
    if a.employee_id is not None:
        q |= Q(pk=a.employee_id)
    q |= path_q("unit__path", a.unit_paths)
    if a.supervised_paths:
        q |= path_q("position__path", a.supervised_paths) & ~Q(position_id__in=a.own_position_ids)
    if a.assessed_employee_ids:
        q |= Q(pk__in=a.assessed_employee_ids)
    return q


def employees_visible_to(user: Any) -> QuerySet[Employee]:
    a = access_for(user)
    if not a.authenticated:
        return Employee.objects.none()
    qs = Employee.objects.all()
    q = _visibility_q(a)
    return qs if q is None else qs.filter(q)


def granted_level(a: Access, employee: Employee) -> Detail | None:
    """The level a role or self grants on this employee without a query (None: only what supervision or an
    assessor assignment gives, if anything)."""
    unit_path = employee.unit.path
    if (
        a.employee_id == employee.pk
        or a.has(Role.ADMIN_BKPSDM)
        or a.has(Role.INSPECTORATE)
        or any(unit_path.startswith(p) for p in a.operator_paths)
    ):
        return Detail.FULL
    if a.has(Role.BPKAD_HEAD) or any(unit_path.startswith(p) for p in a.treasurer_paths):
        return Detail.PAYROLL
    return None


def detail_level(user: Any, employee: Employee) -> Detail | None:
    a = access_for(user)
    if not a.authenticated:
        return None
    level = granted_level(a, employee)
    if level is not None:
        return level
    if employees_visible_to(user).filter(pk=employee.pk).exists():
        return Detail.WORK
    return None


def employee_get(user: Any, *, employee_id: int | None = None, nip: str | None = None) -> tuple[Employee, Detail]:
    """The employee and how much of it the user may see; NotVisible when absent or not visible (one 404).
    The related rows the level allows (family; histories) are prefetched, one query per table."""
    lookup = {"pk": employee_id} if employee_id is not None else {"nip": nip}
    employee = Employee.objects.select_related("unit", "position", "unit__opd").filter(**lookup).first()
    level = detail_level(user, employee) if employee is not None else None
    if employee is None or level is None:
        raise NotVisible(gettext("Pegawai tidak ditemukan atau tidak dapat Anda akses."))
    lookups: list[Any] = []
    if level >= Detail.PAYROLL:
        lookups.append("family")  # family_facts and the FULL family list share it
    if level >= Detail.FULL:
        lookups += [
            "rank_history",
            Prefetch("position_history", queryset=PositionHistory.objects.select_related("position", "unit")),
            "kgb_history",
            "status_history",
            "education_history",
        ]
    prefetch_related_objects([employee], *lookups)
    return employee, level


@dataclass(frozen=True)
class EmployeeFilter:
    q: str = ""  # name fragment or NIP (prefix)
    unit_id: int | None = None  # that unit and everything under it
    golongan: str = ""  # exact ("III/b") or group ("III")
    status: str = ""
    employee_type: str = ""


def employee_search(user: Any, f: EmployeeFilter) -> QuerySet[Employee]:
    qs = employees_visible_to(user).select_related("unit", "position")
    term = f.q.strip()
    if term.isdigit():
        qs = qs.filter(nip__startswith=term) if len(term) < 18 else qs.filter(nip=term)
    elif term:
        qs = qs.filter(name__icontains=term)
    if f.unit_id:
        from pamong.org.models import Unit

        unit = Unit.objects.filter(pk=f.unit_id).values_list("path", flat=True).first()
        qs = qs.filter(unit__path__startswith=unit) if unit else qs.none()
    if f.golongan:
        if "/" in f.golongan or f.golongan not in ("I", "II", "III", "IV"):
            qs = qs.filter(golongan=f.golongan)
        else:
            qs = qs.filter(golongan__startswith=f.golongan + "/")
    if f.status:
        qs = qs.filter(status=f.status)
    if f.employee_type:
        qs = qs.filter(employee_type=f.employee_type)
    return qs.order_by("name", "nip")


def family_facts(employee: Employee, on: dt.date | None = None) -> family.FamilyFacts:
    on = on or dt.date.today()
    members = list(employee.family.all())
    spouses = [
        family.Spouse(m.receives_spouse_allowance, m.spouse_has_income, m.ended_on)
        for m in members
        if m.relation == FamilyMember.Relation.SPOUSE
    ]
    children = [
        family.Child(m.birth_date, m.in_school, m.married, m.working, m.ended_on)
        for m in members
        if m.relation == FamilyMember.Relation.CHILD
    ]
    return family.derive(employee.gender, spouses, children, on)


def kgb_due(user: Any, *, within_days: int = 90, today: dt.date | None = None) -> QuerySet[Employee]:
    today = today or dt.date.today()
    return (
        employees_visible_to(user)
        .filter(status__in=ACTIVE_STATUSES, next_kgb_on__lte=today + dt.timedelta(days=within_days))
        .select_related("unit")
        .order_by("next_kgb_on", "name")
    )


def pensions_due(user: Any, *, within_days: int = 365, today: dt.date | None = None) -> QuerySet[Employee]:
    today = today or dt.date.today()
    return (
        employees_visible_to(user)
        .filter(status__in=ACTIVE_STATUSES, retirement_on__lte=today + dt.timedelta(days=within_days))
        .select_related("unit", "position")
        .order_by("retirement_on", "name")
    )


def headcount(user: Any) -> dict[str, list[tuple[str, int]]]:
    """Counts of active employees by OPD, golongan group and employment type, for the dashboard."""
    qs = employees_visible_to(user).filter(status__in=ACTIVE_STATUSES)
    by_opd = list(
        qs.values("unit__opd__name").annotate(n=Count("pk")).order_by("-n").values_list("unit__opd__name", "n")
    )
    by_gol: dict[str, int] = {}
    for gol, n in qs.values("golongan").annotate(n=Count("pk")).values_list("golongan", "n"):
        key = golongan_group(gol)
        by_gol[key] = by_gol.get(key, 0) + n
    order = {"I": 1, "II": 2, "III": 3, "IV": 4}
    gol_sorted = sorted(by_gol.items(), key=lambda kv: (order.get(kv[0], 9), GOLONGAN_ORDER.get(kv[0][5:], 0)))
    by_type = list(
        qs.values("employee_type").annotate(n=Count("pk")).order_by("employee_type").values_list("employee_type", "n")
    )
    by_status = list(
        employees_visible_to(user)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by("status")
        .values_list("status", "n")
    )
    return {
        "opd": [(name or "–", n) for name, n in by_opd],
        "golongan": gol_sorted,
        "type": by_type,
        "status": by_status,
    }
