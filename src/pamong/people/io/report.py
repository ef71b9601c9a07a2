"""What an import reports back: counts and every error with its row, column, value and reason (Indonesian)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class RowError:
    row: int  # spreadsheet row number: the header is row 1, the first data row is 2; 0 = the file itself
    column: str  # normalised column name ("NIP"), several joined by ", " for header errors, "" for the file
    value: str  # the cell as read, shown back to the user
    message: str  # why, in Indonesian

    def __str__(self) -> str:
        if self.row == 0:
            return f"berkas: {self.message}"
        return f"baris {self.row}, kolom {self.column or '-'}, nilai '{self.value}': {self.message}"


@dataclass
class ImportReport:
    kind: str  # "units" | "positions" | "employees" | "monthly" | "sanctions"
    rows_total: int  # non-blank data rows read
    created: int
    updated: int
    unchanged: int
    errors: list[RowError]
    applied: bool  # True only when written (not a dry run, no errors)
    saved: int = 0  # rows already committed when a later write step was refused (0 otherwise; see imports.py)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def stopped(self) -> bool:
        """Some rows were saved, then a write step was refused: the import is incomplete (re-run it)."""
        return bool(self.errors) and self.saved > 0


@dataclass
class Step:
    """One bounded write: `write` runs inside its own transaction and returns the errors that refuse it (then
    that transaction is rolled back; earlier steps stay). `rows`: how many data rows it writes (progress)."""

    rows: int
    write: Callable[[], list[RowError]]


@dataclass
class Outcome:
    """An importer's result after reading and checking every row, before anything is written: the counts a
    write would give, every error, and the writes themselves as bounded steps (run only without errors)."""

    rows_total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)


@dataclass
class Context:
    """Who imports, why, and where: `scope_paths` limits employee rows to these unit subtrees (OPD operator);
    None means no limit (BKPSDM admin, or the system itself from the command line). `filename`: the uploaded
    file's name (the payroll's monthly inputs record it as their source)."""

    actor: Any
    reason: str
    scope_paths: tuple[str, ...] | None = None
    filename: str = ""
    batch_rows: int = 500  # rows per write step (pamong.people.imports.BATCH_ROWS)
