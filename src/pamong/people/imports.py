"""Import of units, positions, employees and the payroll's monthly inputs and disciplinary sanctions from CSV or
XLSX — the one entry point for the web UI, the API and the `pamong import` command.

    report = import_file(actor=user, kind="employees", filename="pegawai.xlsx", content=data, dry_run=True)

Every row is parsed and validated first and every error is reported (row, column, value, reason in Indonesian);
if any row is invalid nothing is written. Reading and checking never opens a write transaction (on SQLite the
write lock is the whole database, and a 28,000-row file takes half a minute to check): a dry run only reads, and
its counts are what a real run would write. A real run then writes in bounded steps of about BATCH_ROWS rows,
each its own transaction, so other users' writes (a login, a payroll chunk) wait a fraction of a second, never the
whole import. If the process dies or a step is refused part-way (a concurrent change, the database), the steps
before it stay written and the report says how many rows were saved; imports are upserts by NIP or code, so
running the same file again writes only what is still missing. A file with a header and no data rows is refused.
Re-importing a file that matches the database writes nothing and records no audit event.

`progress(phase, done, total)`, when given, is called while reading ("check": rows read, total 0 = not known
yet) and after each write step ("write": rows saved of total).

Who may import: units and positions need `org.change_structure` (BKPSDM); employees need
`people.import_records` (BKPSDM: every unit; OPD operator: rows in, and employees currently in, their OPD only);
monthly inputs and sanctions need `payroll.import_inputs` (BKPSDM: everyone; OPD operator: employees currently in
their OPD only).
`actor=None` is the system itself (the command line without --as) and is not limited.
Layouts: docs/import-format.md.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, connection, transaction

from pamong.accounts.access import access_for
from pamong.accounts.models import Role
from pamong.audit.history import row_history
from pamong.core.errors import DomainError, Forbidden, ValidationFailed
from pamong.payroll.inputs import import_monthly, import_sanctions

from .io.employees import import_employees
from .io.org import import_positions, import_units
from .io.report import Context, ImportReport, Outcome, RowError
from .io.table import FileUnreadable, Table, open_table

__all__ = ["ImportReport", "RowError", "import_file", "check_access", "KINDS", "BATCH_ROWS", "Progress"]

BATCH_ROWS = 500  # rows per write transaction: long enough to write in bulk, short enough not to block others
# SQLite: a pause between write steps. A waiting writer (a login) polls the lock with growing sleeps of up to
# 100 ms; without a gap the next step takes the lock again first and the waiter starves across many steps
# (measured: 10 s behind 1.7 s steps). With the gap it waits at most about one step.
STEP_PAUSE = 0.12
Progress = Callable[[str, int, int], None]
NO_DATA_ROWS = "berkas tidak berisi baris data, hanya judul kolom; tidak ada yang diimpor"

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
    def __init__(self, errors: list[RowError]) -> None:
        super().__init__("rollback")
        self.errors = errors


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


def _counted(rows: Iterator[tuple[int, Sequence[Any]]], progress: Progress) -> Iterator[tuple[int, Sequence[Any]]]:
    n = 0
    for row in rows:
        n += 1
        if n % BATCH_ROWS == 0:
            progress("check", n, 0)
        yield row
    progress("check", n, 0)


def _refusal(exc: Exception) -> list[RowError]:
    """A write step's unexpected refusal (a concurrent change, the database) as a file-level error."""
    if isinstance(exc, DomainError):
        return [RowError(0, "", "", str(exc.message))]
    if isinstance(exc, DjangoValidationError):
        return [RowError(0, "", "", "; ".join(exc.messages))]
    return [RowError(0, "", "", f"data ditolak database: {str(exc)[:200]}")]


def check_access(*, actor: Any, kind: str) -> tuple[str, ...] | None:
    """Refuse an unknown kind (ValidationFailed) or an actor without the right to import it (Forbidden); else the
    unit subtrees the actor's rows are limited to (None: no limit)."""
    if kind not in _IMPORTERS:
        raise ValidationFailed(
            f"Jenis impor tidak dikenal: {kind!r}; gunakan {', '.join(KINDS[:-1])} atau {KINDS[-1]}.",
            details={"field": "kind"},
        )
    return _scope(actor, kind, _IMPORTERS[kind][1])


def import_file(
    *,
    actor: Any,
    kind: str,
    filename: str,
    content: bytes,
    dry_run: bool,
    reason: str = "",
    progress: Progress | None = None,
) -> ImportReport:
    scope_paths = check_access(actor=actor, kind=kind)
    importer = _IMPORTERS[kind][0]
    ctx = Context(
        actor=actor,
        reason=reason.strip() or f"Impor {_LABEL[kind]} dari berkas {filename}",
        scope_paths=scope_paths,
        filename=filename,
        batch_rows=BATCH_ROWS,
    )
    try:
        table = open_table(filename, content)
    except FileUnreadable as exc:
        return ImportReport(kind, 0, 0, 0, 0, [RowError(0, "", filename, exc.message)], applied=False)
    if progress is not None:
        table.rows = _counted(table.rows, progress)
    try:  # read and check only: no transaction, so no lock held
        outcome = importer(ctx, table)
    except FileUnreadable as exc:  # a CSV or XLSX that breaks half-way
        outcome = Outcome(errors=[RowError(0, "", filename, exc.message)])
    finally:
        table.close()
    if not outcome.errors and outcome.rows_total == 0:
        outcome.errors.append(RowError(0, "", "", NO_DATA_ROWS))
    if outcome.errors:  # nothing is written, so nothing is created, updated or left unchanged
        return ImportReport(kind, outcome.rows_total, 0, 0, 0, _sorted(outcome.errors), applied=False)
    if not dry_run:
        saved = _write(outcome, ctx, kind, filename, progress)
        if outcome.errors:
            return ImportReport(kind, outcome.rows_total, 0, 0, 0, _sorted(outcome.errors), False, saved=saved)
    return ImportReport(
        kind=kind,
        rows_total=outcome.rows_total,
        created=outcome.created,
        updated=outcome.updated,
        unchanged=outcome.unchanged,
        errors=[],
        applied=not dry_run,
    )


def _sorted(errors: list[RowError]) -> list[RowError]:
    return sorted(errors, key=lambda e: e.row)  # stable: columns keep their order within a row


def _write(outcome: Outcome, ctx: Context, kind: str, filename: str, progress: Progress | None) -> int:
    """Run the write steps in order, one transaction each; stop at the first refused step (its errors go into
    `outcome.errors`). Returns the rows saved by the steps that committed."""
    history = {"user": getattr(ctx.actor, "pk", None), "import": kind, "file": filename[:200], "reason": ctx.reason}
    total = sum(step.rows for step in outcome.steps)
    saved = 0
    for i, step in enumerate(outcome.steps):
        if i and connection.vendor == "sqlite":
            time.sleep(STEP_PAUSE)  # let a waiting writer in (see STEP_PAUSE)
        try:
            with transaction.atomic(), row_history(**history):
                errors = step.write()
                if errors:
                    raise _Rollback(errors)
        except _Rollback as rb:
            outcome.errors += rb.errors
        except (DomainError, DjangoValidationError, DatabaseError) as exc:
            outcome.errors += _refusal(exc)
        if outcome.errors:
            if saved:
                outcome.errors.append(
                    RowError(
                        0,
                        "",
                        "",
                        f"penyimpanan berhenti: {saved} dari {total} baris sudah tersimpan sebelum kesalahan ini. "
                        "Perbaiki penyebabnya lalu impor ulang berkas yang sama; baris yang sudah tersimpan "
                        "tidak akan diubah lagi",
                    )
                )
            return saved
        saved += step.rows
        if progress is not None:
            progress("write", saved, total)
    return saved
