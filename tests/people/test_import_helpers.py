"""Builders for import files used by the import and export tests (this module holds no tests).

Rows are dicts {COLUMN: value}; values are written as they are (strings stay strings, so NIP stays text)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from pamong.org.models import Position, Unit
from pamong.people.io.employees import COLUMN_NAMES
from pamong.people.records import EmployeeRecord

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"


def ddmmyyyy(d: dt.date | None) -> str:
    return f"{d:%d-%m-%Y}" if d else ""


def employee_row(rec: EmployeeRecord, **overrides: Any) -> dict[str, Any]:
    """A row of the employee layout for a factory record (tests.factories.record)."""
    pos = Position.objects.get(pk=rec.position_id)
    row = {
        "NIP": rec.nip,
        "NIK": rec.nik,
        "NAMA": rec.name,
        "GELAR_DEPAN": rec.front_title,
        "GELAR_BELAKANG": rec.back_title,
        "TEMPAT_LAHIR": rec.birth_place,
        "TANGGAL_LAHIR": ddmmyyyy(rec.birth_date),
        "JENIS_KELAMIN": rec.gender,
        "JENIS_PEGAWAI": rec.employee_type,
        "TMT_CPNS": ddmmyyyy(rec.tmt_cpns),
        "TMT_PNS": ddmmyyyy(rec.tmt_pns),
        "GOLONGAN": rec.golongan,
        "MKG_TAHUN": str(rec.mkg_years),
        "MKG_BULAN": str(rec.mkg_months),
        "TMT_GOLONGAN": ddmmyyyy(rec.rank_tmt),
        "NOMOR_SK_PANGKAT": rec.rank_sk_number,
        "TANGGAL_SK_PANGKAT": ddmmyyyy(rec.rank_sk_date),
        "KODE_JABATAN": pos.code,
        "KODE_UNIT": Unit.objects.get(pk=rec.unit_id).code,
        "TMT_JABATAN": ddmmyyyy(rec.position_tmt),
        "NOMOR_SK_JABATAN": rec.position_sk_number,
        "TANGGAL_SK_JABATAN": ddmmyyyy(rec.position_sk_date),
        "STATUS": rec.status,
        "PENDIDIKAN": rec.education_level,
        "BANK": rec.bank_name,
        "NOMOR_REKENING": rec.bank_account_number,
        "NAMA_REKENING": rec.bank_account_name,
        "ALAMAT": rec.address,
        "TELEPON": rec.phone,
        "EMAIL": rec.email,
    }
    row.update(overrides)
    return row


def _columns(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None) -> list[str]:
    if columns is not None:
        return list(columns)
    names = list(dict.fromkeys(k for r in rows for k in r))
    order = {c: i for i, c in enumerate(COLUMN_NAMES)}
    return sorted(names, key=lambda c: order.get(c, len(order)))


def to_csv(
    rows: Sequence[dict[str, Any]], *, columns: Sequence[str] | None = None, delimiter: str = ",", bom: bool = False
) -> bytes:
    cols = _columns(rows, columns)
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=delimiter)
    w.writerow(cols)
    for r in rows:
        w.writerow(["" if r.get(c) is None else r.get(c) for c in cols])
    return ("\ufeff" if bom else "").encode() + buf.getvalue().encode("utf-8")


def to_xlsx(rows: Sequence[dict[str, Any]], *, columns: Sequence[str] | None = None) -> bytes:
    cols = _columns(rows, columns)
    wb = Workbook()
    ws = wb.active
    ws.append(cols)
    for r in rows:
        ws.append([None if r.get(c) in (None, "") else r.get(c) for c in cols])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def errors_of(report: Any) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.value) for e in report.errors]
