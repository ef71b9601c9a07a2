"""The monthly recap as a file: XLSX (xlsxwriter, constant memory — the project's other exports' writer and its
TextCells) and CSV (RFC 4180, UTF-8 with BOM so spreadsheet programs read the names right).

Text is one line and never read as a formula (core/text.py): XLSX cells starting with = + - @ get the quote prefix,
CSV fields get a leading apostrophe, as the payroll's sheets do. Rows come from reports.export_rows, so the
visibility is the recap's."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import xlsxwriter

from pamong.core.text import TextCells, flatten, looks_like_formula

from .reports import EXPORT_COLUMNS, export_rows

TEXT_COLUMNS = 3  # NIP, name, unit


def filename(period: dt.date, ext: str) -> str:
    return f"rekap-presensi-{period:%Y-%m}.{ext}"


def recap_xlsx(user: Any, *, period: dt.date, unit_id: int | None = None) -> bytes:
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"constant_memory": True})  # rows streamed to a temporary file
    ws = wb.add_worksheet(f"Presensi {period:%m-%Y}")
    header = wb.add_format({"bold": True, "bg_color": "#DDE7F0", "border": 1})
    as_text = {"num_format": "@"}
    cells = TextCells(wb)
    ws.set_column(0, 0, 21, wb.add_format(as_text))
    ws.set_column(1, 2, 32)
    ws.set_column(3, len(EXPORT_COLUMNS) - 1, 10)
    for i, name in enumerate(EXPORT_COLUMNS):
        ws.write_string(0, i, name, header)
    for r, row in enumerate(export_rows(user, period=period, unit_id=unit_id), start=1):
        for i, value in enumerate(row):
            if i < TEXT_COLUMNS:
                cells.write(ws, r, i, value, as_text if i == 0 else None)
            else:
                ws.write_number(r, i, int(value or 0))
    wb.close()
    return out.getvalue()


def _csv_text(value: Any) -> str:
    text = flatten(value)
    return "'" + text if looks_like_formula(text) else text


def recap_csv(user: Any, *, period: dt.date, unit_id: int | None = None) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    for row in export_rows(user, period=period, unit_id=unit_id):
        writer.writerow(tuple(_csv_text(v) if i < TEXT_COLUMNS else int(v or 0) for i, v in enumerate(row)))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
