"""Writes to the organisation tree. Paths are maintained here, so a subtree stays one prefix query."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from pamong.audit import services as audit
from pamong.core.errors import ValidationFailed
from pamong.core.tree import child_path

from .models import Position, Unit, UnitKind

UNIT_FIELDS = ("code", "name", "kind", "parent", "active")
POSITION_FIELDS = (
    "code",
    "name",
    "kind",
    "eselon",
    "jf_family",
    "jf_jenjang",
    "kelas_jabatan",
    "unit",
    "superior",
    "seats_abk",
    "active",
)


def _place_unit(unit: Unit) -> None:
    parent = unit.parent
    unit.path = child_path(parent.path if parent else "", unit.pk)
    if unit.kind == UnitKind.OPD or parent is None:
        unit.opd_id = unit.pk
    else:
        unit.opd_id = parent.opd_id


def unit_create(*, actor: Any, reason: str = "", **fields: Any) -> Unit:
    with transaction.atomic():
        unit = Unit(**fields, path="")
        unit.full_clean(exclude=["path", "opd"])
        unit.save()
        _place_unit(unit)
        unit.save(update_fields=["path", "opd"])
        audit.record(
            actor=actor,
            action="unit.created",
            obj=unit,
            changes=audit.diff({}, audit.snapshot(unit, UNIT_FIELDS)),
            reason=reason,
        )
    return unit


def unit_update(*, actor: Any, unit: Unit, reason: str = "", **fields: Any) -> Unit:
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        before = audit.snapshot(unit, UNIT_FIELDS)
        for k, v in fields.items():
            setattr(unit, k, v)
        if unit.parent_id and unit.parent.path.startswith(unit.path):
            raise ValidationFailed("Unit tidak boleh menjadi bawahan dirinya sendiri.")
        unit.full_clean(exclude=["path", "opd"])
        old_path, old_opd = unit.path, unit.opd_id
        _place_unit(unit)
        unit.save()
        if (unit.path, unit.opd_id) != (old_path, old_opd):
            _replace_subtree(unit, old_path)
        changes = audit.diff(before, audit.snapshot(unit, UNIT_FIELDS))
        if changes:
            audit.record(actor=actor, action="unit.updated", obj=unit, changes=changes, reason=reason)
    return unit


def _replace_subtree(root: Unit, old_path: str) -> None:
    """After a unit moved or became/stopped being an OPD: rewrite its descendants' paths and OPD links,
    parents before children (path order), in one bulk update."""
    by_id: dict[int, Unit] = {root.pk: root}
    subtree = list(Unit.objects.filter(path__startswith=old_path).exclude(pk=root.pk).order_by("path"))
    for child in subtree:
        parent = by_id[child.parent_id]  # type: ignore[index]
        child.path = root.path + child.path[len(old_path) :]
        child.opd_id = child.pk if child.kind == UnitKind.OPD else parent.opd_id
        by_id[child.pk] = child
    Unit.objects.bulk_update(subtree, ["path", "opd"], batch_size=1000)


def _place_position(pos: Position) -> None:
    sup = pos.superior
    pos.path = child_path(sup.path if sup else "", pos.pk)


def position_create(*, actor: Any, reason: str = "", **fields: Any) -> Position:
    with transaction.atomic():
        pos = Position(**fields, path="")
        pos.full_clean(exclude=["path"])
        pos.save()
        _place_position(pos)
        pos.save(update_fields=["path"])
        audit.record(
            actor=actor,
            action="position.created",
            obj=pos,
            changes=audit.diff({}, audit.snapshot(pos, POSITION_FIELDS)),
            reason=reason,
        )
    return pos


def position_update(*, actor: Any, position: Position, reason: str = "", **fields: Any) -> Position:
    with transaction.atomic():
        pos = Position.objects.select_for_update().get(pk=position.pk)
        before = audit.snapshot(pos, POSITION_FIELDS)
        for k, v in fields.items():
            setattr(pos, k, v)
        if pos.superior_id and pos.superior.path.startswith(pos.path):
            raise ValidationFailed("Jabatan tidak boleh menjadi atasan dirinya sendiri.")
        pos.full_clean(exclude=["path"])
        old_path = pos.path
        _place_position(pos)
        pos.save()
        if pos.path != old_path:
            for sub in Position.objects.filter(path__startswith=old_path).exclude(pk=pos.pk):
                sub.path = pos.path + sub.path[len(old_path) :]
                sub.save(update_fields=["path"])
        changes = audit.diff(before, audit.snapshot(pos, POSITION_FIELDS))
        if changes:
            audit.record(actor=actor, action="position.updated", obj=pos, changes=changes, reason=reason)
    return pos
