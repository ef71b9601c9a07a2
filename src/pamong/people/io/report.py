"""What an import reports back: counts and every error with its row, column, value and reason (Indonesian)."""

from __future__ import annotations

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

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Outcome:
    """An importer's result before the caller decides to keep or roll back the transaction."""

    rows_total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)


@dataclass
class Context:
    """Who imports, why, and where: `scope_paths` limits employee rows to these unit subtrees (OPD operator);
    None means no limit (BKPSDM admin, or the system itself from the command line). `filename`: the uploaded
    file's name (the payroll's monthly inputs record it as their source)."""

    actor: Any
    reason: str
    scope_paths: tuple[str, ...] | None = None
    filename: str = ""
