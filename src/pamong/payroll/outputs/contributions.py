"""The month's contributions and tax per OPD, from approved, paid or closed runs of that month only: Taspen, BPJS
Kesehatan (employee share from gaji and TPP slips, employer share), JKK, JKM, PPh 21 withheld and the part of it the
government bears (tunjangan PPh)."""

from __future__ import annotations

import datetime as dt
import io
from collections import defaultdict

import xlsxwriter

from pamong.core.text import TextCells

from ..models import FROZEN_STATES, Payslip
from .pdf import CITY, month_label

# (key, column title, how to take it from a payslip: (line code, kinds or None for all))
COLUMNS: tuple[tuple[str, str, str, tuple[str, ...] | None], ...] = (
    ("taspen", "Iuran Taspen (pensiun + THT)", "iuran_taspen", None),
    ("bpjs_gaji", "BPJS Kesehatan peserta — gaji", "iuran_bpjs_kesehatan", ("gaji", "thr", "gaji13", "rapel")),
    ("bpjs_tpp", "BPJS Kesehatan peserta — TPP", "iuran_bpjs_kesehatan", ("tpp",)),
    ("bpjs_pemberi_kerja", "BPJS Kesehatan pemberi kerja", "pemberi_kerja_bpjs_kesehatan", None),
    ("jkk", "JKK (pemberi kerja)", "pemberi_kerja_jkk", None),
    ("jkm", "JKM (pemberi kerja)", "pemberi_kerja_jkm", None),
    ("pph21", "PPh 21 dipotong", "pph21", None),
    ("tunjangan_pph", "di antaranya ditanggung pemerintah (tunjangan PPh)", "tunjangan_pph", None),
)


def contributions(period: dt.date) -> dict[str, dict[str, int]]:
    """OPD name → column key → rupiah (plus "_pegawai": distinct employees paid in the month)."""
    month = period.replace(day=1)
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    employees: dict[str, set[int]] = defaultdict(set)
    rows = Payslip.objects.filter(period=month, run__state__in=FROZEN_STATES).values_list(
        "opd__name", "kind", "employee_id", "lines"
    )
    for opd_name, kind, employee_id, lines in rows.iterator(chunk_size=2000):
        employees[opd_name].add(employee_id)
        agg = out[opd_name]
        for key, _title, code, kinds in COLUMNS:
            if kinds is None or kind in kinds:
                agg[key] += int(lines.get(code, 0))
    for opd_name, ids in employees.items():
        out[opd_name]["_pegawai"] = len(ids)
    return {k: dict(v) for k, v in out.items()}


def contributions_xlsx(period: dt.date) -> bytes:
    data = contributions(period)
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Iuran dan PPh 21")
    bold = wb.add_format({"bold": True})
    head = wb.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1, "bg_color": "#EEEEEE"})
    cell = wb.add_format({"border": 1})
    money = wb.add_format({"num_format": "#,##0", "border": 1})
    money_bold = wb.add_format({"num_format": "#,##0", "border": 1, "bold": True})
    cells = TextCells(wb)  # OPD names as typed, one line, never read as a formula
    ws.write(0, 0, CITY.upper(), bold)
    ws.write(1, 0, f"Rekapitulasi iuran dan PPh 21 — {month_label(period)}", bold)
    ws.write(2, 0, "Dari proses penggajian yang disetujui, dibayar atau ditutup pada bulan ini.")
    columns = ["No", "OPD", "Jumlah pegawai", *(title for _k, title, _c, _kinds in COLUMNS)]
    top = 4
    ws.set_row(top, 45)
    for j, name in enumerate(columns):
        ws.write(top, j, name, head)
    keys = ["_pegawai", *(k for k, _t, _c, _kinds in COLUMNS)]
    r = top
    for i, opd_name in enumerate(sorted(data), 1):
        r = top + i
        ws.write_number(r, 0, i, cell)
        cells.write(ws, r, 1, opd_name, {"border": 1})
        for j, k in enumerate(keys, 2):
            ws.write_number(r, j, data[opd_name].get(k, 0), money)
    r += 1
    ws.write(r, 1, "Jumlah", money_bold)
    for j, k in enumerate(keys, 2):
        ws.write_number(r, j, sum(v.get(k, 0) for v in data.values()), money_bold)
    ws.set_column(0, 0, 5)
    ws.set_column(1, 1, 40)
    ws.set_column(2, len(columns) - 1, 16)
    ws.freeze_panes(top + 1, 2)
    wb.close()
    return buf.getvalue()
