"""Reads of the organisation. Units and positions are not personal data: every logged-in user may read them."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from pamong.accounts.access import access_for, path_q
from pamong.people.models import ACTIVE_STATUSES

from .models import Position, Unit


def unit_tree(*, root: Unit | None = None) -> list[tuple[Unit, int]]:
    """Units in tree order with their depth and active headcount (one query)."""
    qs = Unit.objects.filter(active=True)
    if root is not None:
        qs = qs.filter(path__startswith=root.path)
    qs = qs.annotate(headcount=Count("employees", filter=Q(employees__status__in=ACTIVE_STATUSES))).order_by("path")
    return [(u, u.path.count("/") - 1) for u in qs]


def position_list(*, q: str = "", unit_id: int | None = None, kind: str = "") -> QuerySet[Position]:
    qs = (
        Position.objects.filter(active=True)
        .select_related("unit", "superior")
        .annotate(filled=Count("holders", filter=Q(holders__status__in=ACTIVE_STATUSES)))
    )
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    if unit_id:
        path = Unit.objects.filter(pk=unit_id).values_list("path", flat=True).first() or "-"
        qs = qs.filter(unit__path__startswith=path)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("unit__path", "-kelas_jabatan", "name")


def unit_get(unit_id: int) -> Unit | None:
    return Unit.objects.filter(pk=unit_id).first()


def units_for_choice(user: Any) -> QuerySet[Unit]:
    """Units offered in filters: a scoped role (operator, treasurer) gets its own subtrees only."""
    a = access_for(user)
    qs = Unit.objects.filter(active=True).order_by("path")
    if a.sees_all_employees or not a.unit_paths:
        return qs
    return qs.filter(path_q("path", a.unit_paths))
