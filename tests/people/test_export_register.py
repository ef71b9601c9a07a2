"""The employee register export: the import layout (round trip), text NIP cells, real dates, permissions,
visibility (an operator exports their OPD only) and detail levels."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from pamong.audit.models import AuditEvent
from pamong.core.errors import Forbidden
from pamong.people.exports import export_register_xlsx
from pamong.people.imports import import_file
from pamong.people.io.employees import COLUMN_NAMES
from pamong.people.models import Employee
from pamong.people.selectors import EmployeeFilter


def read(content: bytes):
    wb = load_workbook(io.BytesIO(content))
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    return ws, rows[0], [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_register_has_the_import_layout_with_text_nip_and_real_dates(city):
    content = export_register_xlsx(user=city.users["admin"], f=EmployeeFilter())
    ws, header, rows = read(content)

    assert list(header) == COLUMN_NAMES
    assert len(rows) == 5
    kabid = next(r for r in rows if r["NAMA"] == "Kabid A1")
    assert kabid["NIP"] == city.kabid.nip and kabid["NIK"] == city.kabid.nik
    assert kabid["TANGGAL_LAHIR"] == dt.datetime(1978, 5, 2)
    assert kabid["KODE_JABATAN"] == city.kabid_pos.code and kabid["KODE_UNIT"] == "A1"
    assert kabid["NOMOR_SK_PANGKAT"] == city.kabid.rank_history.get().sk_number
    nip_cell = ws.cell(row=2, column=1)
    assert nip_cell.data_type == "s"
    date_cell = ws.cell(row=2, column=COLUMN_NAMES.index("TANGGAL_LAHIR") + 1)
    assert date_cell.is_date and date_cell.number_format == "dd-mm-yyyy"
    assert ws.freeze_panes == "B2"
    assert ws.auto_filter.ref == "A1:AF6"


def test_export_then_reimport_changes_nothing(city):
    admin = city.users["admin"]
    content = export_register_xlsx(user=admin, f=EmployeeFilter())
    events, employees = AuditEvent.objects.count(), Employee.objects.count()

    report = import_file(actor=admin, kind="employees", filename="daftar.xlsx", content=content, dry_run=False)

    assert report.errors == []
    assert (report.rows_total, report.created, report.updated, report.unchanged) == (5, 0, 0, 5)
    assert (AuditEvent.objects.count(), Employee.objects.count()) == (events, employees)


def test_an_edited_export_reimports_as_an_update(city):
    admin = city.users["admin"]
    wb = load_workbook(io.BytesIO(export_register_xlsx(user=admin, f=EmployeeFilter(q=city.staff.nip))))
    ws = wb.worksheets[0]
    ws.cell(row=2, column=COLUMN_NAMES.index("ALAMAT") + 1, value="Jl. Diedit 9")
    out = io.BytesIO()
    wb.save(out)

    report = import_file(actor=admin, kind="employees", filename="x.xlsx", content=out.getvalue(), dry_run=False)

    assert (report.updated, report.unchanged, report.errors) == (1, 0, [])
    city.staff.refresh_from_db()
    assert city.staff.address == "Jl. Diedit 9"


@pytest.mark.parametrize("role", ["staff", "treasurer_a", "assessor", "kabid"])
def test_export_refuses_users_without_the_right(city, role):
    with pytest.raises(Forbidden):
        export_register_xlsx(user=city.users[role], f=EmployeeFilter())


def test_operator_exports_only_their_opd(city):
    _, _, rows = read(export_register_xlsx(user=city.users["operator_a"], f=EmployeeFilter()))
    assert {r["NIP"] for r in rows} == {city.head.nip, city.kabid.nip, city.staff.nip, city.staff2.nip}
    assert all(r["NIK"] for r in rows)  # full detail for their own OPD


def test_filter_applies(city):
    _, _, rows = read(export_register_xlsx(user=city.users["admin"], f=EmployeeFilter(unit_id=city.opd_b.pk)))
    assert [r["NIP"] for r in rows] == [city.other.nip]


def test_payroll_level_user_gets_no_nik_or_address_but_the_account(city):
    _, _, rows = read(export_register_xlsx(user=city.users["bpkad"], f=EmployeeFilter()))
    assert len(rows) == 5
    for r in rows:
        assert r["NIK"] is None and r["TANGGAL_LAHIR"] is None and r["ALAMAT"] is None
        assert r["NOMOR_REKENING"]
