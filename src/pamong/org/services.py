"""Writes to the organisation tree. Paths are maintained here, so a subtree stays one prefix query."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connection, transaction

from pamong.audit import services as audit
from pamong.core.errors import ValidationFailed
from pamong.core.text import model_text_errors, require_plain_text
from pamong.core.tree import child_path

from .models import Position, Unit, UnitKind

UNIT_FIELDS = ("code", "name", "kind", "parent", "active")
NAMES = ("name",)  # unit and position names go into registers and reports: no leading formula character
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
        require_plain_text(unit, names=NAMES)
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
        require_plain_text(unit, names=NAMES)
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
        require_plain_text(pos, names=NAMES)
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
        require_plain_text(pos, names=NAMES)
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


# --- bulk creation (imports, the demo city): one INSERT per table, the same paths and audit events -------------


def _reserve_ids(model: type[Unit] | type[Position], n: int) -> list[int]:
    """Primary keys for `n` new rows, taken before the insert so each path (which holds the row's own id) is
    written with the row: one INSERT, no second UPDATE. Call inside the writing transaction: on SQLite it holds
    the write lock, so MAX(id) cannot move; on PostgreSQL the identity sequence hands them out."""
    table = model._meta.db_table
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, n])
            return [row[0] for row in cur.fetchall()]
        cur.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')
        start = cur.fetchone()[0] + 1
    return list(range(start, start + n))


def _clean_all(objs: list[Any], exclude: list[str]) -> None:
    errors = []
    for i, o in enumerate(objs):
        try:
            o.clean_fields(exclude=exclude)
        except DjangoValidationError as exc:
            errors += [{"index": i, "field": f, "message": " ".join(m)} for f, m in exc.message_dict.items()]
        text = model_text_errors(o, names=NAMES)
        errors += [{"index": i, "field": f, "message": " ".join(m)} for f, m in text.items()]
    if errors:
        raise ValidationFailed("Data struktur organisasi tidak valid; tidak ada yang disimpan.", details=errors)


def units_create_bulk(*, actor: Any, units: list[Unit], reason: str = "") -> list[Unit]:
    """Create unsaved units, parents before children (a parent may be earlier in the same list)."""
    with transaction.atomic():
        for u, pk in zip(units, _reserve_ids(Unit, len(units)), strict=True):
            u.pk = pk
            u.parent = u.parent  # re-assign: takes the id the parent got in this batch; keeps the cached object
            _place_unit(u)
        _clean_all(units, ["parent", "opd", "path"])
        Unit.objects.bulk_create(units, batch_size=1000)
        audit.record_many(
            actor,
            [
                audit.Change(
                    "unit.created", obj=u, changes=audit.diff({}, audit.snapshot(u, UNIT_FIELDS)), reason=reason
                )
                for u in units
            ],
        )
    return units


def positions_create_bulk(*, actor: Any, positions: list[Position], reason: str = "") -> list[Position]:
    """Create unsaved positions, superiors before subordinates (a superior may be earlier in the same list)."""
    with transaction.atomic():
        for p, pk in zip(positions, _reserve_ids(Position, len(positions)), strict=True):
            p.pk = pk
            p.superior = p.superior
            _place_position(p)
        _clean_all(positions, ["unit", "superior", "path"])
        Position.objects.bulk_create(positions, batch_size=1000)
        audit.record_many(
            actor,
            [
                audit.Change(
                    "position.created", obj=p, changes=audit.diff({}, audit.snapshot(p, POSITION_FIELDS)), reason=reason
                )
                for p in positions
            ],
        )
    return positions
