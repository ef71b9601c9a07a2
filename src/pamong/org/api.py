"""API: units and positions. Not personal data: every authenticated user may read them (org/selectors.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from pamong.api.pagination import paginate
from pamong.api.schemas import (
    Page,
    PositionOut,
    PositionQuery,
    UnitNodeOut,
    UnitOut,
    UnitQuery,
    errors,
)
from pamong.core.errors import NotVisible
from pamong.core.tree import depth_of

from . import selectors
from .models import Position, Unit

router = Router(tags=["organisasi"])


def unit_out(u: Unit) -> dict[str, Any]:
    return {
        "id": u.pk,
        "code": u.code,
        "name": u.name,
        "kind": u.kind,
        "parent_id": u.parent_id,
        "opd_id": u.opd_id,
        "depth": depth_of(u.path) - 1,
        "active": u.active,
    }


def unit_ref(u: Unit) -> dict[str, Any]:
    return {"id": u.pk, "code": u.code, "name": u.name}


def position_ref(p: Position) -> dict[str, Any]:
    return {"id": p.pk, "code": p.code, "name": p.name, "kind": p.kind, "kelas_jabatan": p.kelas_jabatan}


def position_out(p: Position) -> dict[str, Any]:
    return {
        "id": p.pk,
        "code": p.code,
        "name": p.name,
        "kind": p.kind,
        "eselon": p.eselon,
        "jf_family": p.jf_family,
        "jf_jenjang": p.jf_jenjang,
        "kelas_jabatan": p.kelas_jabatan,
        "unit": unit_ref(p.unit),
        "superior": position_ref(p.superior) if p.superior_id else None,
        "seats_abk": p.seats_abk,
        "filled": p.filled,
    }


@router.get("/units", response={200: list[UnitNodeOut], **errors(404)}, summary="Pohon unit kerja")
def unit_list(request: HttpRequest, filters: Query[UnitQuery]) -> Any:
    """Active units in tree order (depth-first by path), with depth and active headcount.
    `parent_id` gives that unit's direct children; `kind` keeps one kind of unit."""
    root = None
    if filters.parent_id is not None:
        root = selectors.unit_get(filters.parent_id)
        if root is None:
            raise NotVisible("Unit kerja tidak ditemukan.")
    return [
        unit_out(u) | {"headcount": u.headcount}
        for u, _depth in selectors.unit_tree(root=root)
        if (root is None or u.parent_id == root.pk) and (not filters.kind or u.kind == filters.kind)
    ]


@router.get("/units/{unit_id}", response={200: UnitOut, **errors(404)}, summary="Satu unit kerja")
def unit_detail(request: HttpRequest, unit_id: int) -> Any:
    unit = selectors.unit_get(unit_id)
    if unit is None:
        raise NotVisible("Unit kerja tidak ditemukan.")
    return unit_out(unit)


@router.get("/positions", response={200: Page[PositionOut], **errors(422)}, summary="Daftar jabatan")
def position_list(request: HttpRequest, filters: Query[PositionQuery]) -> Any:
    """Active positions ordered by unit (tree order), class (high first), name; `unit_id` includes sub-units."""
    qs = selectors.position_list(q=filters.q.strip(), unit_id=filters.unit_id, kind=filters.kind or "")
    return paginate(qs, filters, position_out)
