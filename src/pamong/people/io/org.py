"""Importing units (unit kerja) and positions (jabatan) from a sheet.

Every row is parsed and checked first: codes unique in the file, the parent unit / superior position defined
earlier or later in the same file or already in the database, no cycles, kelas 1..17, eselon only for structural
positions, and the services' field validation (read-only). Then rows are written, in bounded steps, parents
first (by depth in the resulting tree) through pamong.org.services, so paths, the OPD link and the audit events
are exactly those of a manual edit. Rows whose values equal the
database are not touched (no write, no audit event), which makes re-importing a file a no-op.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError

from pamong.core.errors import DomainError, ValidationFailed
from pamong.org import services as org_services
from pamong.org.models import (
    STRUCTURAL_KINDS,
    Eselon,
    JenjangFungsional,
    Position,
    PositionKind,
    Unit,
    UnitKind,
)

from .report import Context, Outcome, RowError, Step
from .table import Column, Table, check_header, choice, choices_of, integer, parse_rows, text

UNIT_COLUMNS = [
    Column("KODE_UNIT", text(30, required=True), required=True),
    Column("NAMA_UNIT", text(200, required=True), required=True),
    Column("JENIS", choice(choices_of(UnitKind), "jenis unit", required=True), required=True),
    Column("KODE_INDUK", text(30)),
]

_KIND_ALIASES = {"JPT Pratama": "jpt", "JPT Madya": "jpt", "JF": "fungsional", "JFT": "fungsional", "JFU": "pelaksana"}
POSITION_COLUMNS = [
    Column("KODE_JABATAN", text(40, required=True), required=True),
    Column("NAMA_JABATAN", text(200, required=True), required=True),
    Column(
        "JENIS_JABATAN",
        choice(
            choices_of(PositionKind) | _KIND_ALIASES,
            "jenis jabatan",
            required=True,
            allowed=", ".join(PositionKind.values),
        ),
        required=True,
    ),
    Column("ESELON", choice(choices_of(Eselon), "eselon")),
    Column("RUMPUN_JF", text(80, lower=True)),
    Column("JENJANG_JF", choice(choices_of(JenjangFungsional), "jenjang JF")),
    Column("KELAS_JABATAN", integer(lo=1, hi=17, required=True), required=True),
    Column("KODE_UNIT", text(30, required=True), required=True),
    Column("KODE_ATASAN", text(40)),
    Column("KEBUTUHAN_ABK", integer(lo=0, hi=100_000, default=1)),
]

_ESELON_LEVEL = {"jpt": "II.", "administrator": "III.", "pengawas": "IV."}


@dataclass
class _Node:
    row: int
    code: str
    parent: str  # parent unit / superior position code, "" for a root
    values: dict[str, Any]  # model field -> value, only for columns present in the file (plus resolved links)
    existing_pk: int | None = None
    changes: dict[str, Any] = field(default_factory=dict)


def _check_tree(
    nodes: dict[str, _Node],
    db_parent: dict[str, str],
    file_codes: set[str],
    column: str,
    errors: list[RowError],
) -> dict[str, int]:
    """Resolve every node's parent in the tree as it will be after the import (file rows override the database);
    report unknown parents, self-parents and cycles. Returns each node's depth (roots 0) for write ordering."""

    def parent_of(code: str) -> str:
        node = nodes.get(code)
        return node.parent if node is not None else db_parent.get(code, "")

    bad: set[str] = set()
    for code, node in nodes.items():
        p = node.parent
        if not p:
            continue
        if p == code:
            errors.append(RowError(node.row, column, p, "tidak boleh menunjuk dirinya sendiri"))
            bad.add(code)
        elif p not in nodes and p not in db_parent and p not in file_codes:
            errors.append(RowError(node.row, column, p, "kode tidak ditemukan, baik di berkas ini maupun di database"))
            bad.add(code)
    depth: dict[str, int] = {}
    for code, node in nodes.items():
        if code in bad:
            continue
        chain = [code]
        cur = parent_of(code)
        while cur and cur not in depth and cur not in chain and len(chain) <= len(nodes) + len(db_parent):
            chain.append(cur)
            cur = parent_of(cur)
        if cur in chain:
            loop = chain[chain.index(cur) :] + [cur]
            errors.append(RowError(node.row, column, node.parent, "membentuk siklus: " + " → ".join(loop)))
            bad.add(code)
            continue
        base = depth[cur] + 1 if cur in depth else 0
        for i, c in enumerate(reversed(chain)):
            depth.setdefault(c, base + i)
    return {c: d for c, d in depth.items() if c in nodes and c not in bad}


def _service_errors(exc: Exception, row: int, columns: dict[str, str], values: dict[str, Any]) -> list[RowError]:
    if isinstance(exc, DjangoValidationError) and hasattr(exc, "error_dict"):
        out = []
        for fname, msgs in exc.message_dict.items():
            col = columns.get(fname, "" if fname == NON_FIELD_ERRORS else fname)
            value = values.get(fname, "")
            out += [RowError(row, col, str(getattr(value, "code", value)), m) for m in msgs]
        return out
    message = getattr(exc, "message", None) or "; ".join(getattr(exc, "messages", [])) or str(exc)
    return [RowError(row, "", "", str(message))]


def _read(
    table: Table, spec: list[Column], code_column: str, outcome: Outcome
) -> tuple[list[tuple[int, dict[str, Any], bool]], set[str]] | None:
    header_errors = check_header(table.columns, spec)
    if header_errors:
        outcome.errors += header_errors
        return None
    rows = []
    for n, parsed, ok in parse_rows(table, spec, outcome.errors):
        outcome.rows_total += 1
        rows.append((n, parsed, ok))
    return rows, {p[code_column] for _, p, _ in rows if p.get(code_column)}


def _dedupe(
    rows: list[tuple[int, dict[str, Any], bool]], code_column: str, what: str, errors: list[RowError]
) -> list[tuple[int, dict[str, Any]]]:
    """Rows with a readable code, first occurrence only (a repeat is an error). Rows with other unreadable cells
    are kept, flagged, so their references are still checked; they are never written (the file has errors)."""
    first: dict[str, int] = {}
    out = []
    for n, parsed, _ in rows:
        code = parsed.get(code_column)
        if not code:
            continue
        if code in first:
            errors.append(RowError(n, code_column, code, f"{what} ganda dalam berkas (juga di baris {first[code]})"))
            continue
        first[code] = n
        out.append((n, parsed))
    return out


def _plan_writes(
    nodes: dict[str, _Node],
    depth: dict[str, int],
    outcome: Outcome,
    ctx: Context,
    model: type[Unit] | type[Position],
    build: Callable[[_Node, dict[str, Any]], Any],
    create_bulk: Callable[[list[Any]], Any],
    update: Callable[[_Node], None],
    columns: dict[str, str],
) -> None:
    """Check what the services would refuse (field validation, read-only), count, and plan the writes: new rows in
    bulk inserts, parents first (`build` makes each unsaved object, seeing those built before; a later step's
    objects refer to the saved ones of earlier steps), then changed rows one by one through the update service (a
    move rewrites the subtree, new rows included). Each step is at most `ctx.batch_rows` rows."""
    exclude = ["parent", "opd", "path"] if model is Unit else ["unit", "superior", "path"]
    ordered = sorted(nodes.values(), key=lambda nd: (depth[nd.code], nd.row))
    new = [nd for nd in ordered if nd.existing_pk is None]
    changed = [nd for nd in ordered if nd.existing_pk is not None and nd.changes]
    built: dict[str, Any] = {}
    for nd in new:
        built[nd.code] = build(nd, built)
    for nd in new + changed:
        obj = built.get(nd.code) or model(code=nd.code, **{k: v for k, v in nd.values.items() if k not in exclude})
        try:
            obj.clean_fields(exclude=exclude)
        except DjangoValidationError as exc:
            outcome.errors += _service_errors(exc, nd.row, columns, nd.values)
    if outcome.errors:
        return
    outcome.created, outcome.updated = len(new), len(changed)
    outcome.unchanged = len(nodes) - len(new) - len(changed)
    size = ctx.batch_rows

    def create(chunk: list[_Node]) -> list[RowError]:
        try:
            create_bulk([built[nd.code] for nd in chunk])
        except ValidationFailed as exc:
            return [
                RowError(
                    chunk[d["index"]].row,
                    columns.get(d["field"], d["field"]),
                    str(chunk[d["index"]].values.get(d["field"], "")),
                    d["message"],
                )
                for d in exc.details
            ]
        return []

    def change(chunk: list[_Node]) -> list[RowError]:
        errors: list[RowError] = []
        for node in chunk:
            try:
                update(node)
            except (DjangoValidationError, DomainError) as exc:
                errors += _service_errors(exc, node.row, columns, node.values)
        return errors

    outcome.steps = [Step(len(c), partial(create, c)) for c in _chunks(new, size)]
    outcome.steps += [Step(len(c), partial(change, c)) for c in _chunks(changed, size)]


def _chunks(items: list[_Node], size: int) -> list[list[_Node]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


# --- units ------------------------------------------------------------------------------------------------

_UNIT_COLUMN_OF = {"code": "KODE_UNIT", "name": "NAMA_UNIT", "kind": "JENIS", "parent": "KODE_INDUK"}


def import_units(ctx: Context, table: Table) -> Outcome:
    outcome = Outcome()
    read = _read(table, UNIT_COLUMNS, "KODE_UNIT", outcome)
    if read is None:
        return outcome
    rows, file_codes = read
    errors = outcome.errors
    db = {
        code: (pk, name, kind, parent or "")
        for code, pk, name, kind, parent in Unit.objects.values_list("code", "pk", "name", "kind", "parent__code")
    }
    has_parent_col = "KODE_INDUK" in table.columns
    nodes: dict[str, _Node] = {}
    for n, p in _dedupe(rows, "KODE_UNIT", "kode unit", errors):
        code = p["KODE_UNIT"]
        old = db.get(code)
        parent = p.get("KODE_INDUK", "") if has_parent_col else (old[3] if old else "")
        node = _Node(n, code, parent, {"name": p.get("NAMA_UNIT"), "kind": p.get("JENIS")})
        if has_parent_col:
            node.values["parent"] = parent
        if old is not None:
            node.existing_pk = old[0]
            current = {"name": old[1], "kind": old[2], "parent": old[3]}
            node.changes = {k: v for k, v in node.values.items() if current[k] != v}
        nodes[code] = node
    depth = _check_tree(nodes, {c: v[3] for c, v in db.items()}, file_codes, "KODE_INDUK", errors)
    if errors:
        return outcome

    parents = {nd.values.get("parent") for nd in nodes.values() if nd.existing_pk is None} - {None, ""}
    existing = {u.code: u for u in Unit.objects.filter(code__in=parents)}

    def build(node: _Node, built: dict[str, Unit]) -> Unit:
        parent = node.values.get("parent") or ""
        return Unit(
            code=node.code,
            name=node.values["name"],
            kind=node.values["kind"],
            parent=(built.get(parent) or existing[parent]) if parent else None,
        )

    def fields(node: _Node) -> dict[str, Any]:
        out = dict(node.values)
        if "parent" in out:  # fresh from the database: an earlier row may have moved the parent's subtree
            out["parent"] = Unit.objects.get(code=out["parent"]) if out["parent"] else None
        return out

    def update(node: _Node) -> None:
        assert node.existing_pk is not None
        org_services.unit_update(actor=ctx.actor, unit=Unit(pk=node.existing_pk), reason=ctx.reason, **fields(node))

    def create_bulk(objs: list[Unit]) -> None:
        org_services.units_create_bulk(actor=ctx.actor, units=objs, reason=ctx.reason)

    _plan_writes(nodes, depth, outcome, ctx, Unit, build, create_bulk, update, _UNIT_COLUMN_OF)
    return outcome


# --- positions --------------------------------------------------------------------------------------------

_POSITION_FIELD_OF = {
    "NAMA_JABATAN": "name",
    "JENIS_JABATAN": "kind",
    "ESELON": "eselon",
    "RUMPUN_JF": "jf_family",
    "JENJANG_JF": "jf_jenjang",
    "KELAS_JABATAN": "kelas_jabatan",
    "KODE_UNIT": "unit",
    "KODE_ATASAN": "superior",
    "KEBUTUHAN_ABK": "seats_abk",
}
_POSITION_COLUMN_OF = {v: k for k, v in _POSITION_FIELD_OF.items()} | {"code": "KODE_JABATAN"}
_RULE_COLUMNS = ("JENIS_JABATAN", "ESELON", "RUMPUN_JF", "JENJANG_JF")
_POSITION_DEFAULTS: dict[str, Any] = {"eselon": "", "jf_family": "", "jf_jenjang": "", "superior": "", "seats_abk": 1}


def _position_rules(n: int, v: dict[str, Any], errors: list[RowError]) -> None:
    kind, eselon = v["kind"], v["eselon"]
    if eselon and kind not in STRUCTURAL_KINDS:
        errors.append(
            RowError(n, "ESELON", eselon, "eselon hanya untuk jabatan struktural (jpt, administrator, pengawas)")
        )
    elif eselon and not eselon.startswith(_ESELON_LEVEL[kind]):
        errors.append(RowError(n, "ESELON", eselon, f"eselon {eselon} tidak sesuai dengan jenis jabatan {kind}"))
    if kind == PositionKind.FUNGSIONAL:
        if not v["jf_jenjang"]:
            errors.append(RowError(n, "JENJANG_JF", "", "wajib diisi untuk jabatan fungsional"))
    else:
        if v["jf_jenjang"]:
            errors.append(RowError(n, "JENJANG_JF", v["jf_jenjang"], "jenjang JF hanya untuk jabatan fungsional"))
        if v["jf_family"]:
            errors.append(RowError(n, "RUMPUN_JF", v["jf_family"], "rumpun JF hanya untuk jabatan fungsional"))


def import_positions(ctx: Context, table: Table) -> Outcome:
    outcome = Outcome()
    read = _read(table, POSITION_COLUMNS, "KODE_JABATAN", outcome)
    if read is None:
        return outcome
    rows, file_codes = read
    errors = outcome.errors
    fields = ("name", "kind", "eselon", "jf_family", "jf_jenjang", "kelas_jabatan", "unit", "superior", "seats_abk")
    db: dict[str, dict[str, Any]] = {}
    for code, pk, *vals in Position.objects.values_list(
        "code",
        "pk",
        "name",
        "kind",
        "eselon",
        "jf_family",
        "jf_jenjang",
        "kelas_jabatan",
        "unit__code",
        "superior__code",
        "seats_abk",
    ):
        db[code] = {"pk": pk} | dict(zip(fields, vals, strict=True))
        db[code]["superior"] = db[code]["superior"] or ""
    unit_codes = set(Unit.objects.values_list("code", flat=True))
    present = [(col, fname) for col, fname in _POSITION_FIELD_OF.items() if col in table.columns]
    nodes: dict[str, _Node] = {}
    for n, p in _dedupe(rows, "KODE_JABATAN", "kode jabatan", errors):
        code = p["KODE_JABATAN"]
        old = db.get(code)
        given = {fname: p[col] for col, fname in present if col in p}
        effective = ({k: old[k] for k in fields} if old else dict(_POSITION_DEFAULTS)) | given
        before = len(errors)
        if "KODE_UNIT" in p and effective["unit"] not in unit_codes:
            errors.append(RowError(n, "KODE_UNIT", effective["unit"], "kode unit tidak ditemukan di database"))
        if all(col in p for col in _RULE_COLUMNS if col in table.columns):  # else their own errors say enough
            _position_rules(n, effective, errors)
        if len(errors) > before:
            continue
        node = _Node(n, code, effective["superior"], effective)
        if old is not None:
            node.existing_pk = old["pk"]
            node.changes = {k: v for k, v in effective.items() if old[k] != v}
        nodes[code] = node
    depth = _check_tree(nodes, {c: v["superior"] for c, v in db.items()}, file_codes, "KODE_ATASAN", errors)
    if errors:
        return outcome
    units = {u.code: u for u in Unit.objects.filter(code__in={nd.values["unit"] for nd in nodes.values()})}

    def model_fields(node: _Node) -> dict[str, Any]:
        out = dict(node.values)
        out["unit"] = units[out["unit"]]
        out["superior"] = Position.objects.get(code=out["superior"]) if out["superior"] else None
        return out

    superiors = {nd.values["superior"] for nd in nodes.values() if nd.existing_pk is None} - {""}
    existing = {p.code: p for p in Position.objects.filter(code__in=superiors)}

    def build(node: _Node, built: dict[str, Position]) -> Position:
        values = dict(node.values)
        sup = values.pop("superior")
        values["unit"] = units[values["unit"]]
        return Position(code=node.code, superior=(built.get(sup) or existing[sup]) if sup else None, **values)

    def create_bulk(objs: list[Position]) -> None:
        org_services.positions_create_bulk(actor=ctx.actor, positions=objs, reason=ctx.reason)

    def update(node: _Node) -> None:
        assert node.existing_pk is not None
        org_services.position_update(
            actor=ctx.actor, position=Position(pk=node.existing_pk), reason=ctx.reason, **model_fields(node)
        )

    _plan_writes(nodes, depth, outcome, ctx, Position, build, create_bulk, update, _POSITION_COLUMN_OF)
    return outcome
