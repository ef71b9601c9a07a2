"""Reads of performance data, with visibility built in.

Who sees an employee's SKP, realisations, feedback and evaluations: the employee; their pejabat penilai and atasan
pejabat penilai (by the SKP) and everyone above them in the position tree; the operator of their OPD (to follow
progress); admin BKPSDM and the inspectorate (everything). An assessor sees only the employees assigned to them
(accounts.AssessorAssignment). The treasurer and the BPKAD head see performance only as the capaian on a payslip.
A row the user may not see is a 404 (NotVisible), never a 403."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from pamong.accounts.access import Access, access_for, path_q
from pamong.accounts.models import Role
from pamong.core.errors import NotVisible
from pamong.people.models import Employee

from .models import Appeal, Evaluation, Feedback, Realisation, Skp


def sees_all(a: Access) -> bool:
    return a.has(Role.ADMIN_BKPSDM) or a.has(Role.INSPECTORATE)


def _employee_q(a: Access, prefix: str = "") -> Q | None:
    """Q over Employee (or over a model's `prefix`employee); None: every row."""
    if sees_all(a):
        return None
    q = Q(pk__in=[])
    if a.employee_id is not None:
        q |= Q(**{f"{prefix}pk": a.employee_id})
        rated = Skp.objects.filter(Q(penilai_id=a.employee_id) | Q(atasan_penilai_id=a.employee_id))
        q |= Q(**{f"{prefix}pk__in": rated.values("employee_id")})
    q |= path_q(f"{prefix}unit__path", a.operator_paths)
    if a.supervised_paths:
        q |= path_q(f"{prefix}position__path", a.supervised_paths) & ~Q(
            **{f"{prefix}position_id__in": a.own_position_ids}
        )
    if a.assessed_employee_ids:
        q |= Q(**{f"{prefix}pk__in": a.assessed_employee_ids})
    return q


def employees_in_scope(user: Any) -> QuerySet[Employee]:
    """The employees whose performance the user may read."""
    a = access_for(user)
    if not a.authenticated:
        return Employee.objects.none()
    q = _employee_q(a)
    return Employee.objects.all() if q is None else Employee.objects.filter(q)


def _scoped(user: Any, qs: QuerySet, prefix: str) -> QuerySet:
    a = access_for(user)
    if not a.authenticated:
        return qs.none()
    q = _employee_q(a, prefix)
    return qs if q is None else qs.filter(q)


def skps_visible_to(user: Any) -> QuerySet[Skp]:
    return _scoped(user, Skp.objects.select_related("employee", "position", "unit", "penilai"), "employee__")


def evaluations_visible_to(user: Any) -> QuerySet[Evaluation]:
    return _scoped(user, Evaluation.objects.select_related("employee"), "employee__")


def realisations_visible_to(user: Any) -> QuerySet[Realisation]:
    return _scoped(user, Realisation.objects.all(), "indicator__result__skp__employee__")


def feedback_visible_to(user: Any) -> QuerySet[Feedback]:
    return _scoped(user, Feedback.objects.select_related("author"), "employee__")


def appeals_visible_to(user: Any) -> QuerySet[Appeal]:
    return _scoped(user, Appeal.objects.select_related("employee", "evaluation"), "employee__")


def skp_get(user: Any, skp_id: int) -> Skp:
    skp = skps_visible_to(user).filter(pk=skp_id).first()
    if skp is None:
        raise NotVisible(gettext("SKP tidak ditemukan."))
    return skp


def employee_in_scope(user: Any, employee_id: int) -> Employee:
    emp = employees_in_scope(user).select_related("unit", "position").filter(pk=employee_id).first()
    if emp is None:
        raise NotVisible(gettext("Pegawai tidak ditemukan."))
    return emp


def current_skp(employee_id: int, year: int) -> Skp | None:
    """The SKP in force for the year: the agreed version (None before the first is agreed)."""
    return Skp.objects.filter(employee_id=employee_id, year=year, state="agreed").first()


def open_skp(employee_id: int, year: int) -> Skp | None:
    """The version being drafted or awaiting agreement, if any."""
    return Skp.objects.filter(employee_id=employee_id, year=year, state__in=["draft", "submitted"]).first()


def skp_tree(skp: Skp) -> list[dict[str, Any]]:
    """The SKP's results with their indicators, each with the superior's result it supports (for the cascade view):
    two queries."""
    results = list(skp.results.select_related("supports__skp__employee").prefetch_related("indicators"))
    return [
        {
            "result": r,
            "indicators": list(r.indicators.all()),
            "supports": r.supports,
            "supports_owner": r.supports.skp.employee if r.supports else None,
        }
        for r in results
    ]


def cascade_below(skp: Skp) -> list[dict[str, Any]]:
    """The agreed or open SKPs of the same year whose results support this SKP's results: the tree one level
    down (the view recurses on demand)."""
    rows = (
        Skp.objects.filter(year=skp.year, results__supports__skp=skp)
        .exclude(state="superseded")
        .select_related("employee", "position")
        .distinct()
    )
    return [{"skp": s, "employee": s.employee} for s in rows]
