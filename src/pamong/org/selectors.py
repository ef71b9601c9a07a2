"""Reads of the organisation. Units and positions are not personal data: every logged-in user may read them."""

from __future__ import annotations

import contextlib
from typing import Any

from django.db.models import Count, F, Q, QuerySet

from pamong.accounts.access import access_for
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


def units_for_choice(user: Any, *, selected: Any = None) -> QuerySet[Unit]:
    """Units offered in filters: the OPD level (for a scoped role: its own units and one level below), plus the
    selected unit. A province has thousands of units: listing them all made every list page ~200 ms of template
    rendering; deeper units are reached from the unit tree, which links to the filtered list."""
    a = access_for(user)
    if a.sees_all_employees or not a.unit_paths:
        offered = Q(opd_id=F("pk"))
    else:
        offered = Q(path__in=a.unit_paths) | Q(parent__path__in=a.unit_paths)
    with contextlib.suppress(TypeError, ValueError):
        offered |= Q(pk=int(selected))
    return Unit.objects.filter(offered, active=True).order_by("path")
