"""Long imports must not lock the database: checking a file (and a dry run) opens no transaction; a real import
writes in bounded steps after the whole file is checked (a file with an invalid row still writes nothing); a step
refused part-way keeps the steps before it and the same file can be imported again. A header-only file is refused."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from pamong.audit.models import AuditEvent
from pamong.org.models import Position, Unit
from pamong.people import imports
from pamong.people.imports import KINDS, NO_DATA_ROWS, import_file
from pamong.people.io.employees import COLUMN_NAMES
from pamong.people.models import Employee
from tests import factories as f
from tests.people.test_import_helpers import FIXTURES, employee_row, to_xlsx


@pytest.fixture
def transactions(monkeypatch):
    """Every outermost transaction.atomic() entered (on SQLite, each takes the write lock at BEGIN IMMEDIATE)."""
    entered: list[bool] = []
    original = transaction.Atomic.__enter__
    depth = [0]

    def enter(self):
        depth[0] += 1
        if depth[0] == 1:
            entered.append(True)
        return original(self)

    original_exit = transaction.Atomic.__exit__

    def exit_(self, *exc):
        depth[0] -= 1
        return original_exit(self, *exc)

    monkeypatch.setattr(transaction.Atomic, "__enter__", enter)
    monkeypatch.setattr(transaction.Atomic, "__exit__", exit_)
    return entered


def records(city, n: int):
    return [f.record(city.staff_pos, name=f"Pegawai Baru {i}") for i in range(n)]


def run(actor, content: bytes, *, kind: str = "employees", dry_run: bool = False, **kw):
    return import_file(actor=actor, kind=kind, filename="data.xlsx", content=content, dry_run=dry_run, **kw)


def test_a_dry_run_opens_no_transaction(city, transactions):
    content = to_xlsx([employee_row(r) for r in records(city, 60)])
    events = AuditEvent.objects.count()
    report = run(city.users["admin"], content, dry_run=True)
    assert not report.errors and report.created == 60 and not report.applied
    assert transactions == []  # nothing took the write lock, however long the file
    assert not Employee.objects.filter(name__startswith="Pegawai Baru").exists()
    assert AuditEvent.objects.count() == events


def test_a_real_import_writes_in_bounded_steps_one_transaction_each(city, transactions, monkeypatch):
    monkeypatch.setattr(imports, "BATCH_ROWS", 25)
    pauses: list[float] = []
    monkeypatch.setattr(imports.time, "sleep", pauses.append)
    seen: list[tuple[str, int, int]] = []
    content = to_xlsx([employee_row(r) for r in records(city, 60)])
    events = AuditEvent.objects.count()
    report = run(city.users["admin"], content, progress=lambda *a: seen.append(a))
    assert not report.errors and report.applied and report.created == 60
    assert len(transactions) == 3  # 25 + 25 + 10 rows
    if connection.vendor == "sqlite":  # a gap between steps lets waiting writers in
        assert pauses == [imports.STEP_PAUSE] * 2
    assert Employee.objects.filter(name__startswith="Pegawai Baru").count() == 60
    assert AuditEvent.objects.filter(action="employee.created", seq__gt=events).count() == 60
    assert [s for s in seen if s[0] == "write"] == [("write", 25, 60), ("write", 50, 60), ("write", 60, 60)]
    assert seen[0][0] == "check" and seen[[s[0] for s in seen].index("write") - 1] == ("check", 60, 0)


def test_one_invalid_row_at_the_end_still_writes_nothing(city, transactions, monkeypatch):
    monkeypatch.setattr(imports, "BATCH_ROWS", 10)
    recs = records(city, 40)
    rows = [employee_row(r) for r in recs[:-1]] + [employee_row(recs[-1], GOLONGAN="XX")]
    report = run(city.users["admin"], to_xlsx(rows))
    assert [(e.row, e.column) for e in report.errors] == [(41, "GOLONGAN")]
    assert transactions == [] and report.saved == 0 and not report.applied
    assert not Employee.objects.filter(name__startswith="Pegawai Baru").exists()


def test_a_step_refused_part_way_keeps_earlier_steps_and_a_rerun_completes(city, monkeypatch):
    monkeypatch.setattr(imports, "BATCH_ROWS", 2)
    recs = records(city, 5)
    content = to_xlsx([employee_row(r) for r in recs])
    intruder: list[Employee] = []

    def concurrent_change(phase: str, done: int, total: int) -> None:
        if phase == "write" and done == 2:  # someone else takes the NIK of row 5 (the third step) meanwhile
            intruder.append(f.employee(city.staff_pos, nik=recs[4].nik))

    report = run(city.users["admin"], content, progress=concurrent_change)
    assert not report.applied and report.saved == 4 and report.stopped
    assert (report.errors[0].row, report.errors[0].column) == (0, "")
    assert "4 dari 5 baris sudah tersimpan" in report.errors[0].message
    assert (report.errors[1].row, report.errors[1].column) == (6, "NIK")
    assert Employee.objects.filter(nip__in=[r.nip for r in recs]).count() == 4

    intruder[0].delete()  # the cause fixed: the same file again writes only what is missing
    again = run(city.users["admin"], content)
    assert not again.errors and (again.created, again.updated, again.unchanged) == (1, 0, 4)
    assert Employee.objects.filter(nip__in=[r.nip for r in recs]).count() == 5


def test_units_and_positions_are_written_parents_first_across_steps(db, transactions, monkeypatch):
    monkeypatch.setattr(imports, "BATCH_ROWS", 2)
    report = import_file(
        actor=None, kind="units", filename="u.csv", content=(FIXTURES / "units.csv").read_bytes(), dry_run=False
    )
    assert not report.errors and report.created == Unit.objects.count() == 7
    assert len(transactions) == 4
    for u in Unit.objects.exclude(parent=None):
        assert u.path.startswith(u.parent.path)
    transactions.clear()
    report = import_file(
        actor=None,
        kind="positions",
        filename="p.csv",
        content=(FIXTURES / "positions.csv").read_bytes(),
        dry_run=True,
    )
    assert not report.errors and report.created > 2 and transactions == []
    report = import_file(
        actor=None,
        kind="positions",
        filename="p.csv",
        content=(FIXTURES / "positions.csv").read_bytes(),
        dry_run=False,
    )
    assert Position.objects.count() == report.created and len(transactions) == (report.created + 1) // 2


HEADERS = {
    "units": "KODE_UNIT,NAMA_UNIT,JENIS,KODE_INDUK",
    "positions": "KODE_JABATAN,NAMA_JABATAN,JENIS_JABATAN,KELAS_JABATAN,KODE_UNIT",
    "employees": ",".join(COLUMN_NAMES),
    "monthly": "NIP,BULAN,CAPAIAN",
    "sanctions": "NIP,JENIS,TMT,NOMOR_SK,TANGGAL_SK",
}


@pytest.mark.parametrize("kind", KINDS)
def test_a_header_only_file_says_there_are_no_data_rows(db, kind):
    report = import_file(
        actor=None, kind=kind, filename="x.csv", content=f"{HEADERS[kind]}\n\n".encode(), dry_run=True
    )
    assert [(e.row, e.message) for e in report.errors] == [(0, NO_DATA_ROWS)]
    assert not report.applied and report.rows_total == 0


def test_the_command_line_refuses_a_header_only_file(db, tmp_path):
    path = tmp_path / "unit.csv"
    path.write_text(HEADERS["units"] + "\n", encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import_data", "units", str(path), stdout=out)
    assert exc.value.returncode == 1 and NO_DATA_ROWS in out.getvalue()
    assert "valid" not in out.getvalue()


def test_the_command_line_prints_progress(db, monkeypatch):
    from pamong.people.management.commands import import_data

    monkeypatch.setattr(imports, "BATCH_ROWS", 2)
    monkeypatch.setattr(import_data, "PROGRESS_EVERY", 4)
    out = io.StringIO()
    call_command("import_data", "units", str(FIXTURES / "units.csv"), stdout=out)
    lines = out.getvalue().splitlines()
    assert "disimpan: 4 dari 7 baris" in lines and "disimpan: 7 dari 7 baris" in lines
    assert lines.index("disimpan: 7 dari 7 baris") < lines.index("Selesai: data disimpan.")
