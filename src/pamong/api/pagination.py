"""Bounded page-number pagination with a fixed number of queries: one COUNT, the page's ids, their rows.

Selectors return querysets with their joins (select_related) already made, so a page costs the same number of
queries whatever its size. A page past the end gives empty items, never an error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import QuerySet

from .schemas import PageQuery

M = TypeVar("M")


def _stable(qs: QuerySet[Any]) -> QuerySet[Any]:
    """Append the primary key to the ordering so rows with equal sort keys do not move between pages."""
    order = list(qs.query.order_by) or list(qs.model._meta.ordering or [])
    if not any(str(o).lstrip("-") in ("pk", "id") for o in order):
        qs = qs.order_by(*order, "pk")
    return qs


def paginate(qs: QuerySet[Any], params: PageQuery, present: Callable[[Any], Any]) -> dict[str, Any]:
    count = qs.order_by().count()  # counting needs no sort
    offset = (params.page - 1) * params.page_size
    rows: list[Any] = []
    if offset < count:
        # The page's ids first (an index walk over the sort key), then those rows with their joins: in one query
        # PostgreSQL ran the joins for every skipped row too, so deep pages cost several times more.
        ordered = _stable(qs)
        ids = list(ordered.values_list("pk", flat=True)[offset : offset + params.page_size])
        rows = list(ordered.filter(pk__in=ids))
    return {"items": [present(r) for r in rows], "count": count, "page": params.page, "page_size": params.page_size}
