"""Export of the employee register (daftar pegawai) to XLSX, in the employee import layout.

An export can be edited and imported again: same columns, same order (docs/import-format.md). NIP, NIK, account
and phone numbers are text cells (and their columns are formatted as Text, so numbers typed in later stay text);
dates are real Excel dates shown dd-mm-yyyy. Rows are the caller's `employee_search`, so visibility is the
selector's; columns the user may not see for an employee (Detail level) are left empty.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import xlsxwriter
from django.db.models import OuterRef, QuerySet, Subquery

from pamong.accounts.access import Access, access_for
from pamong.core.errors import Forbidden
from pamong.core.text import TextCells

from .io.employees import COLUMN_NAMES, DATE_COLUMNS, INT_COLUMNS, TEXT_ID_COLUMNS
from .models import Employee, PositionHistory, RankHistory
from .selectors import Detail, EmployeeFilter, employee_search, granted_level

__all__ = ["export_register_xlsx", "COLUMN_NAMES"]

# columns shown only from this detail level up (the rest is WORK level: name, NIP, rank, position, status)
_LEVEL_OF = {
    "NIK": Detail.FULL,
    "TEMPAT_LAHIR": Detail.FULL,
    "TANGGAL_LAHIR": Detail.FULL,
    "ALAMAT": Detail.FULL,
    "TELEPON": Detail.FULL,
    "EMAIL": Detail.FULL,
    "BANK": Detail.PAYROLL,
    "NOMOR_REKENING": Detail.PAYROLL,
    "NAMA_REKENING": Detail.PAYROLL,
}
_WIDTH = {"NIP": 21, "NIK": 19, "NAMA": 30, "ALAMAT": 40, "EMAIL": 28, "NAMA_REKENING": 28, "TEMPAT_LAHIR": 16}


def _level(a: Access, emp: Employee) -> Detail:
    """Rows come from the visibility selector, so anything not granted more is at least WORK (no query per row)."""
    return granted_level(a, emp) or Detail.WORK


def _with_decrees(qs: QuerySet[Employee]) -> QuerySet[Employee]:
    """The latest rank decree and the latest definitive position decree of each employee, as subqueries."""
    rank = RankHistory.objects.filter(employee=OuterRef("pk")).order_by("-tmt", "-id")
    post = PositionHistory.objects.filter(employee=OuterRef("pk"), mode=PositionHistory.Mode.DEFINITIF).order_by(
        "-tmt", "-id"
    )
    return qs.annotate(
        x_rank_sk_number=Subquery(rank.values("sk_number")[:1]),
        x_rank_sk_date=Subquery(rank.values("sk_date")[:1]),
        x_rank_tmt=Subquery(rank.values("tmt")[:1]),
        x_position_sk_number=Subquery(post.values("sk_number")[:1]),
        x_position_sk_date=Subquery(post.values("sk_date")[:1]),
        x_position_tmt=Subquery(post.values("tmt")[:1]),
    )


def _values(e: Any) -> dict[str, Any]:
    return {
        "NIP": e.nip,
        "NIK": e.nik,
        "NAMA": e.name,
        "GELAR_DEPAN": e.front_title,
        "GELAR_BELAKANG": e.back_title,
        "TEMPAT_LAHIR": e.birth_place,
        "TANGGAL_LAHIR": e.birth_date,
        "JENIS_KELAMIN": e.gender,
        "JENIS_PEGAWAI": e.employee_type,
        "TMT_CPNS": e.tmt_cpns,
        "TMT_PNS": e.tmt_pns,
        "GOLONGAN": e.golongan,
        "MKG_TAHUN": e.mkg_years,
        "MKG_BULAN": e.mkg_months,
        "TMT_GOLONGAN": e.x_rank_tmt or e.mkg_set_on,
        "NOMOR_SK_PANGKAT": e.x_rank_sk_number,
        "TANGGAL_SK_PANGKAT": e.x_rank_sk_date,
        "TMT_MKG": e.mkg_set_on,
        "KODE_JABATAN": e.position.code,
        "KODE_UNIT": e.unit.code,
        "TMT_JABATAN": e.x_position_tmt,
        "NOMOR_SK_JABATAN": e.x_position_sk_number,
        "TANGGAL_SK_JABATAN": e.x_position_sk_date,
        "STATUS": e.status,
        "TMT_STATUS": e.status_since,
        "PENDIDIKAN": e.education_level,
        "BANK": e.bank_name,
        "NOMOR_REKENING": e.bank_account_number,
        "NAMA_REKENING": e.bank_account_name,
        "ALAMAT": e.address,
        "TELEPON": e.phone,
        "EMAIL": e.email,
    }


def _as_date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))  # SQLite returns subquery dates as text


def export_register_xlsx(*, user: Any, f: EmployeeFilter) -> bytes:
    """The employees `user` may see that match `f`, one row each, as an .xlsx file (bytes)."""
    if user is None or not user.has_perm("people.export_register"):
        raise Forbidden("Anda tidak berhak mengunduh daftar pegawai.")
    access = access_for(user)
    rows = _with_decrees(employee_search(user, f))

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"constant_memory": True})
    ws = wb.add_worksheet("Pegawai")
    header = wb.add_format({"bold": True, "bg_color": "#DDE7F0", "border": 1})
    as_text = wb.add_format({"num_format": "@"})
    as_date = wb.add_format({"num_format": "dd-mm-yyyy"})
    cells = TextCells(wb)  # text one line and never read as a formula (the value itself is kept for re-import)
    for i, name in enumerate(COLUMN_NAMES):
        if name in DATE_COLUMNS:
            ws.set_column(i, i, 12, as_date)
        elif name in TEXT_ID_COLUMNS:
            ws.set_column(i, i, _WIDTH.get(name, 16), as_text)
        else:
            ws.set_column(i, i, _WIDTH.get(name, max(10, len(name) + 2)))
    for i, name in enumerate(COLUMN_NAMES):
        ws.write_string(0, i, name, header)

    r = 0
    for e in rows.iterator(chunk_size=2000):
        r += 1
        level = _level(access, e)
        values = _values(e)
        for i, name in enumerate(COLUMN_NAMES):
            value = values[name]
            if value is None or value == "" or _LEVEL_OF.get(name, Detail.WORK) > level:
                continue
            if name in DATE_COLUMNS:
                ws.write_datetime(r, i, _as_date(value), as_date)
            elif name in INT_COLUMNS:
                ws.write_number(r, i, value)
            elif name in TEXT_ID_COLUMNS:
                cells.write(ws, r, i, value, {"num_format": "@"})
            else:
                cells.write(ws, r, i, value)
    ws.freeze_panes(1, 1)
    ws.autofilter(0, 0, max(r, 1), len(COLUMN_NAMES) - 1)
    wb.close()
    return out.getvalue()
