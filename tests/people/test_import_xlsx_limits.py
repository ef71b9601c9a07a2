"""XLSX decompression bombs: every import kind refuses a workbook whose parts unpack too far, or whose
shared-string table is too large, with one Indonesian file error, before parsing it (both readers)."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest
import xlsxwriter
from django.core.management import CommandError, call_command

from pamong.org.models import Unit
from pamong.people.imports import KINDS, import_file
from pamong.people.io import table as table_mod
from pamong.people.io import xlsx
from pamong.people.models import Employee
from tests import factories as f
from tests.people.test_import_helpers import employee_row, to_xlsx

UNITS_HEADER = ["KODE_UNIT", "NAMA_UNIT", "JENIS", "KODE_INDUK"]


def workbook(rows: list[list[str]]) -> bytes:
    """A small workbook with a shared-string table (xlsxwriter's default)."""
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out)
    ws = wb.add_worksheet()
    for r, row in enumerate(rows):
        ws.write_row(r, 0, row)
    wb.close()
    return out.getvalue()


def replace_part(content: bytes, name: str, data: bytes | None = None, *, stream=None) -> bytes:
    """The same package with part `name` replaced by `data` (or written from the chunks of `stream`)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            if item.filename != name:
                dst.writestr(item, src.read(item.filename))
        if stream is None:
            dst.writestr(name, data or b"")
        else:
            info = zipfile.ZipInfo(name)
            info.compress_type = zipfile.ZIP_DEFLATED
            with dst.open(info, "w", force_zip64=True) as fh:
                for chunk in stream:
                    fh.write(chunk)
    return out.getvalue()


def shared_strings_bomb(mib: int) -> bytes:
    """A real bomb: one short header row, then `mib` MiB of repeated shared strings (a few hundred KB packed)."""
    base = workbook([UNITS_HEADER])
    entry = b"<si><t>" + b"A" * 1000 + b"</t></si>"
    block = entry * (2**20 // len(entry))
    head = b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    body = [head, *([block] * mib), b"</sst>"]
    return replace_part(base, "xl/sharedStrings.xml", stream=body)


def forged_size(content: bytes, name: str, size: int) -> bytes:
    """The central directory claims part `name` unpacks to `size` bytes (a forged header)."""
    data = bytearray(content)
    i = data.index(b"PK\x01\x02")
    while True:
        name_len = struct.unpack_from("<H", data, i + 28)[0]
        if data[i + 46 : i + 46 + name_len].decode() == name:
            struct.pack_into("<I", data, i + 24, size)
            return bytes(data)
        extra, comment = struct.unpack_from("<HH", data, i + 30)
        i = data.index(b"PK\x01\x02", i + 46 + name_len + extra + comment)


@pytest.fixture
def no_parsing(monkeypatch):
    """Fail if any XML of the workbook is parsed or openpyxl opens it: a bomb must be refused before."""

    def refuse(*args, **kwargs):
        raise AssertionError("the workbook was parsed")

    monkeypatch.setattr(xlsx.ET, "iterparse", refuse)
    monkeypatch.setattr(xlsx, "_stream", refuse)
    monkeypatch.setattr("openpyxl.load_workbook", refuse)


def test_a_shared_strings_bomb_is_refused_before_it_is_parsed(db, no_parsing):
    bomb = shared_strings_bomb(64)  # 64 MiB of text in less than 1 MB
    assert len(bomb) < 2**20
    report = import_file(actor=None, kind="units", filename="unit.xlsx", content=bomb, dry_run=True)
    [error] = report.errors
    assert error.row == 0 and "tidak wajar" in error.message and "memuai" in error.message
    assert report.rows_total == 0 and not report.applied


@pytest.mark.parametrize("kind", KINDS)
def test_every_import_kind_refuses_a_forged_size(db, kind, no_parsing):
    bomb = forged_size(workbook([UNITS_HEADER]), "xl/sharedStrings.xml", 0xFFFF0000)  # claims ~4 GB
    report = import_file(actor=None, kind=kind, filename="data.xlsx", content=bomb, dry_run=False)
    [error] = report.errors
    assert error.row == 0 and "terlalu besar setelah dibuka" in error.message
    assert not Unit.objects.exists() and not Employee.objects.exists()


def test_a_part_that_unpacks_beyond_its_declared_size_is_refused_as_damaged(db):
    content = workbook([UNITS_HEADER, ["A", "Dinas A", "opd", ""]])
    lying = forged_size(content, "xl/sharedStrings.xml", 10)  # zipfile stops at 10 bytes: CRC mismatch
    report = import_file(actor=None, kind="units", filename="unit.xlsx", content=lying, dry_run=True)
    assert report.errors and report.errors[0].row == 0
    assert not Unit.objects.exists()


def test_too_many_parts(db, monkeypatch, no_parsing):
    monkeypatch.setattr(xlsx, "MAX_PARTS", 5)
    report = import_file(
        actor=None, kind="units", filename="unit.xlsx", content=workbook([UNITS_HEADER]), dry_run=True
    )
    assert "bagian, paling banyak 5" in report.errors[0].message


@pytest.mark.parametrize("fallback", [False, True], ids=["fast-reader", "openpyxl"])
def test_the_shared_string_table_is_bounded_in_count_and_characters(db, monkeypatch, fallback):
    rows = [UNITS_HEADER] + [[f"U{i}", f"Unit nomor {i}", "opd", ""] for i in range(40)]
    content = workbook(rows)
    if fallback:  # as when the fast reader does not understand a package: openpyxl reads it

        def unsupported(content: bytes):
            raise xlsx.Unsupported("test")

        monkeypatch.setattr(table_mod, "read_first_sheet", unsupported)
    monkeypatch.setattr(xlsx, "MAX_SHARED_STRINGS", 50)
    report = import_file(actor=None, kind="units", filename="unit.xlsx", content=content, dry_run=True)
    assert [e.message for e in report.errors] == [
        "berkas XLSX memuat terlalu banyak teks (lebih dari 50 teks berbeda); pecah datanya menjadi beberapa berkas"
    ]
    monkeypatch.setattr(xlsx, "MAX_SHARED_STRINGS", 1000)
    monkeypatch.setattr(xlsx, "MAX_SHARED_CHARS", 300)
    report = import_file(actor=None, kind="units", filename="unit.xlsx", content=content, dry_run=True)
    assert "lebih dari 300 karakter teks" in report.errors[0].message
    monkeypatch.setattr(xlsx, "MAX_SHARED_CHARS", 10_000)
    report = import_file(actor=None, kind="units", filename="unit.xlsx", content=content, dry_run=False)
    assert not report.errors and Unit.objects.count() == 40


def test_a_normal_workbook_is_within_every_limit(city):
    recs = [f.record(city.staff_pos, name=f"Pegawai {i}") for i in range(300)]
    content = to_xlsx([employee_row(r) for r in recs])
    xlsx.check_package(zipfile.ZipFile(io.BytesIO(content)))
    report = import_file(
        actor=city.users["admin"], kind="employees", filename="p.xlsx", content=content, dry_run=False
    )
    assert not report.errors and report.created == 300


def test_the_command_line_refuses_a_bomb_with_the_message(db, tmp_path, no_parsing):
    path = tmp_path / "pegawai.xlsx"
    path.write_bytes(forged_size(workbook([UNITS_HEADER]), "xl/worksheets/sheet1.xml", 0xFFFF0000))
    out = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("import_data", "employees", str(path), "--dry-run", stdout=out)
    assert exc.value.returncode == 1
    assert "berkas: isi berkas XLSX terlalu besar setelah dibuka" in out.getvalue()
