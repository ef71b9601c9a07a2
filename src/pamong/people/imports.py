"""Import of units, positions, employees and the payroll's monthly inputs and disciplinary sanctions from CSV or
XLSX — the one entry point for the web UI, the API and the `pamong import` command.

    report = import_file(actor=user, kind="employees", filename="pegawai.xlsx", content=data, dry_run=True)

Every row is parsed and validated first and every error is reported (row, column, value, reason in Indonesian).
The whole import runs in one transaction: if any row is invalid nothing is written, also when it is not a dry run.
A dry run does the same work and then rolls back, so its counts are exactly what a real run would do. With
errors the counts are 0: nothing is written.
Re-importing a file that matches the database writes nothing and records no audit event.

Who may import: units and positions need `org.change_structure` (BKPSDM); employees need
`people.import_records` (BKPSDM: every unit; OPD operator: rows in, and employees currently in, their OPD only);
monthly inputs and sanctions need `payroll.import_inputs` (BKPSDM: everyone; OPD operator: employees currently in
their OPD only).
`actor=None` is the system itself (the command line without --as) and is not limited.
Layouts: docs/import-format.md.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

from pamong.accounts.access import access_for
from pamong.accounts.models import Role
from pamong.audit.history import row_history
from pamong.core.errors import Forbidden, ValidationFailed
from pamong.payroll.inputs import import_monthly, import_sanctions

from .io.employees import import_employees
from .io.org import import_positions, import_units
from .io.report import Context, ImportReport, Outcome, RowError
from .io.table import FileUnreadable, Table, open_table

__all__ = ["ImportReport", "RowError", "import_file", "KINDS"]

Importer = Callable[[Context, Table], Outcome]
_IMPORTERS: dict[str, tuple[Importer, str]] = {
    "units": (import_units, "org.change_structure"),
    "positions": (import_positions, "org.change_structure"),
    "employees": (import_employees, "people.import_records"),
    "monthly": (import_monthly, "payroll.import_inputs"),
    "sanctions": (import_sanctions, "payroll.import_inputs"),
}
KINDS = tuple(_IMPORTERS)
_LABEL = {
    "units": "unit kerja",
    "positions": "jabatan",
    "employees": "pegawai",
    "monthly": "masukan bulanan (capaian kinerja dan disiplin)",
    "sanctions": "hukuman disiplin",
}
_SCOPED = frozenset({"employees", "monthly", "sanctions"})  # an OPD operator: rows of their OPD's employees only


class _Rollback(Exception):
    def __init__(self, outcome: Outcome) -> None:
        super().__init__("rollback")
        self.outcome = outcome


def _scope(actor: Any, kind: str, perm: str) -> tuple[str, ...] | None:
    if actor is None:
        return None
    if not actor.has_perm(perm):
        raise Forbidden(f"Anda tidak berhak mengimpor data {_LABEL[kind]}.")
    if getattr(actor, "is_superuser", False):
        return None
    access = access_for(actor)
    if access.has(Role.ADMIN_BKPSDM) or kind not in _SCOPED:
        return None
    return access.operator_paths


def import_file(
    *, actor: Any, kind: str, filename: str, content: bytes, dry_run: bool, reason: str = ""
) -> ImportReport:
    if kind not in _IMPORTERS:
        raise ValidationFailed(
            f"Jenis impor tidak dikenal: {kind!r}; gunakan {', '.join(KINDS[:-1])} atau {KINDS[-1]}.",
            details={"field": "kind"},
        )
    importer, perm = _IMPORTERS[kind]
    ctx = Context(
        actor=actor,
        reason=reason.strip() or f"Impor {_LABEL[kind]} dari berkas {filename}",
        scope_paths=_scope(actor, kind, perm),
        filename=filename,
    )
    try:
        table = open_table(filename, content)
    except FileUnreadable as exc:
        return ImportReport(kind, 0, 0, 0, 0, [RowError(0, "", filename, exc.message)], applied=False)
    try:
        history = {"user": getattr(actor, "pk", None), "import": kind, "file": filename[:200], "reason": ctx.reason}
        with transaction.atomic(), row_history(**history):
            try:
                outcome = importer(ctx, table)
            except FileUnreadable as exc:  # a CSV or XLSX that breaks half-way
                outcome = Outcome(errors=[RowError(0, "", filename, exc.message)])
            if outcome.errors or dry_run:
                raise _Rollback(outcome)
    except _Rollback as rb:
        outcome = rb.outcome
    finally:
        table.close()
    errors = sorted(outcome.errors, key=lambda e: e.row)  # stable: columns keep their order within a row
    if errors:  # nothing is written, so nothing is created, updated or left unchanged
        return ImportReport(kind, outcome.rows_total, 0, 0, 0, errors, applied=False)
    return ImportReport(
        kind=kind,
        rows_total=outcome.rows_total,
        created=outcome.created,
        updated=outcome.updated,
        unchanged=outcome.unchanged,
        errors=[],
        applied=not dry_run,
    )
