"""The streaming XLSX reader gives the same values as openpyxl's read-only mode (its fallback and reference)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import xlsxwriter
from openpyxl import Workbook, load_workbook

from pamong.people.imports import import_file
from pamong.people.io import table as table_mod
from pamong.people.io.xlsx import Unsupported, read_first_sheet
from pamong.people.models import Employee
from tests import factories as f
from tests.people.test_import_helpers import employee_row, to_xlsx


def _trim(rows):
    out = []
    for n, r in rows:
        r = list(r)
        while r and r[-1] is None:
            r.pop()
        if r:
            out.append((n, r))
    return out


def by_openpyxl(content: bytes):
    wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    ws = wb.worksheets[0]
    ws.reset_dimensions()
    rows = _trim(enumerate(ws.iter_rows(values_only=True), start=1))
    wb.close()
    return rows


def by_fast_reader(content: bytes):
    return _trim(read_first_sheet(content))


def xlsxwriter_book(options: dict) -> bytes:
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, options)
    ws = wb.add_worksheet("Data")
    wb.add_worksheet("Kedua").write_string(0, 0, "bukan lembar pertama")
    date = wb.add_format({"num_format": "dd-mm-yyyy"})
    bold = wb.add_format({"bold": True})
    ws.write_row(0, 0, ["NIP", "NAMA", "TANGGAL", "ANGKA", "PECAHAN", "BENAR", "RUMUS", "KAYA"])
    ws.write_string(1, 0, "198609262012031001")
    ws.write_string(1, 1, "Siti Nurbaya")
    ws.write_datetime(1, 2, dt.date(1986, 9, 26), date)
    ws.write_number(1, 3, 198609262012031001)
    ws.write_number(1, 4, 3.25)
    ws.write_boolean(1, 5, True)
    ws.write_formula(1, 6, "=D2+1", None, 7)
    ws.write_rich_string(1, 7, "Jl. ", bold, "Merdeka", " 1")
    ws.write_string(4, 1, "setelah baris kosong")  # rows 3-4 empty
    ws.write_string(4, 5, "  spasi  ")
    ws.write_datetime(5, 2, dt.datetime(2024, 2, 29, 0, 0), date)
    wb.close()
    return out.getvalue()


@pytest.mark.parametrize(
    "options", [{"constant_memory": True}, {}, {"date_1904": True}], ids=["inline-strings", "shared-strings", "1904"]
)
def test_same_values_as_openpyxl_for_xlsxwriter_files(options):
    content = xlsxwriter_book(options)
    fast = by_fast_reader(content)
    assert fast == by_openpyxl(content)
    assert fast[1][1][:4] == ["198609262012031001", "Siti Nurbaya", dt.datetime(1986, 9, 26), 1.98609262012031e17]
    assert fast[1][1][5:] == [True, 7, "Jl. Merdeka 1"]
    assert [n for n, _ in fast] == [1, 2, 5, 6]


def test_same_values_as_openpyxl_for_openpyxl_files():
    wb = Workbook()
    ws = wb.active
    ws.append(["NIP", "TANGGAL", "ANGKA", "KOSONG", "TEKS"])
    ws.append(["198609262012031001", dt.date(2020, 1, 2), 12, None, "Padang"])
    ws.append([None, None, None, None, None])
    ws.append(["x", dt.datetime(2021, 5, 6, 7, 8), -1.5, None, "=A2"])
    out = io.BytesIO()
    wb.save(out)
    content = out.getvalue()
    assert by_fast_reader(content) == by_openpyxl(content)


def test_not_a_zip_is_unsupported():
    with pytest.raises(Unsupported):
        read_first_sheet(b"PK\x03\x04 bukan zip")


def test_import_falls_back_to_openpyxl_when_the_fast_reader_declines(city, monkeypatch):
    def decline(content):
        raise Unsupported("test")

    monkeypatch.setattr(table_mod, "read_first_sheet", decline)
    rec = f.record(city.staff_pos)
    report = import_file(
        actor=None, kind="employees", filename="p.xlsx", content=to_xlsx([employee_row(rec)]), dry_run=False
    )
    assert report.errors == [] and Employee.objects.filter(nip=rec.nip).exists()
