"""The daftar gaji of one OPD (xlsx: one row per employee, one column per slip line; A4-landscape PDF: the lines
stacked in columns as on a paper daftar gaji, laid out by register_layout; totals, signature blocks) and the run's
recap (per OPD, and per budget account from anggaran/kode_rekening)."""

from __future__ import annotations

import io
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import xlsxwriter
from django.db.models import QuerySet

from pamong.core.formats import rupiah, terbilang
from pamong.core.text import TextCells, flatten
from pamong.org.models import Unit
from pamong.rules.params import params_in_force

from ..labels import KIND_TITLES, POTONGAN, label, ordered_codes, section_of
from ..models import FROZEN_STATES, PayrollRun, Payslip
from . import register_layout as rl
from . import register_pdf as register_pdf_draw
from .pdf import CITY, month_label

REGISTER_TITLES = {
    "gaji": "Daftar Gaji",
    "tpp": "Daftar Pembayaran Tambahan Penghasilan Pegawai (TPP)",
    "thr": "Daftar Pembayaran Tunjangan Hari Raya (THR)",
    "gaji13": "Daftar Pembayaran Gaji Ke-13",
    "rapel": "Daftar Pembayaran Rapel",
}
SIGNATURES = (("Mengetahui,", "Kepala OPD"), ("", "Bendahara Pengeluaran"))
NO_ACCOUNT = "tanpa kode rekening (belum ada di parameter)"
DRAFT_MARK = "DRAF — proses gaji belum disetujui"


@dataclass
class Register:
    run: PayrollRun
    opd: Unit
    codes: list[str]
    rows: list[dict[str, Any]]
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return REGISTER_TITLES.get(self.run.kind, KIND_TITLES.get(self.run.kind, "Daftar"))


def build_register(run: PayrollRun, opd: Unit) -> Register:
    """The rows (slip order of columns; every line any payslip of the OPD has) and the column totals."""
    codes, rows, totals = register_rows(Payslip.objects.filter(run=run, opd=opd).order_by("employee__nip"))
    return Register(run, opd, codes, rows, totals)


def register_rows(slips: QuerySet[Payslip]) -> tuple[list[str], list[dict[str, Any]], dict[str, int]]:
    """The line codes (slip order), one row per payslip and the column totals, read in one query."""
    data = list(slips.values("facts", "lines", "bruto", "potongan", "bersih"))
    codes = ordered_codes(c for s in data for c in s["lines"])
    rows: list[dict[str, Any]] = []
    totals: dict[str, int] = defaultdict(int)
    for s in data:
        f = s["facts"]
        row = {
            "nama": f.get("nama", ""),
            "nip": f.get("nip", ""),
            "golongan": f.get("golongan", ""),
            "status": f.get("status", ""),
            "jabatan": (f.get("jabatan") or {}).get("nama", ""),
            "ptkp": f.get("ptkp", ""),
            "lines": [int(s["lines"].get(c, 0)) for c in codes],
            "bruto": int(s["bruto"]),
            "potongan": int(s["potongan"]),
            "bersih": int(s["bersih"]),
        }
        for c, v in zip(codes, row["lines"], strict=True):
            totals[c] += v
        for k in ("bruto", "potongan", "bersih"):
            totals[k] += row[k]
        row["values"] = {
            **dict(zip(codes, row["lines"], strict=True)),
            "bruto": row["bruto"],
            "potongan": row["potongan"],
            "bersih": row["bersih"],
        }  # fmt: skip  (for the PDF)
        rows.append(row)
    return codes, rows, dict(totals)


def _column_title(code: str) -> str:
    return label(code) + (" (−)" if section_of(code) == "pengurang" else "")


def register_xlsx(run: PayrollRun, opd: Unit) -> bytes:
    reg = build_register(run, opd)
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Daftar")
    bold = wb.add_format({"bold": True})
    title = wb.add_format({"bold": True, "font_size": 12})
    head = wb.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1, "bg_color": "#EEEEEE"})
    text = wb.add_format({"border": 1, "num_format": "@"})
    cell = wb.add_format({"border": 1})
    money = wb.add_format({"border": 1, "num_format": "#,##0"})
    money_bold = wb.add_format({"border": 1, "num_format": "#,##0", "bold": True})
    ws.write(0, 0, CITY.upper(), title)
    cells = TextCells(wb)  # names as typed, one line, never read as a formula
    ws.write_string(1, 0, f"{reg.title} — {flatten(opd.name)}", title)
    ws.write(2, 0, f"Bulan {month_label(run.period)}", bold)
    fixed = ["No", "Nama", "NIP", "Golongan", "Jabatan"]
    columns = [*fixed, *(_column_title(c) for c in reg.codes), "Penghasilan kotor", "Jumlah potongan", "Dibayar"]
    top = 4
    ws.set_row(top, 45)
    for j, name in enumerate(columns):
        ws.write(top, j, name, head)
    r = top
    for i, row in enumerate(reg.rows, 1):
        r = top + i
        ws.write_number(r, 0, i, cell)
        cells.write(ws, r, 1, row["nama"], {"border": 1})
        ws.write_string(r, 2, row["nip"], text)  # text: an 18-digit NIP would lose digits as a number
        ws.write_string(r, 3, f"{row['golongan']} ({row['status']})", cell)
        cells.write(ws, r, 4, row["jabatan"], {"border": 1})
        for j, v in enumerate([*row["lines"], row["bruto"], row["potongan"], row["bersih"]], len(fixed)):
            ws.write_number(r, j, v, money)
    r += 1
    ws.write(r, 0, "", money_bold)
    ws.write(r, 1, f"Jumlah ({len(reg.rows)} pegawai)", money_bold)
    for j in range(2, len(fixed)):
        ws.write(r, j, "", money_bold)
    for j, key in enumerate([*reg.codes, "bruto", "potongan", "bersih"], len(fixed)):
        ws.write_number(r, j, reg.totals.get(key, 0), money_bold)
    r += 3
    left, right = 1, max(len(columns) - 4, 5)
    for col, (lead, role) in zip((left, right), SIGNATURES, strict=True):
        ws.write(r, col, lead)
        ws.write(r + 1, col, role)
        ws.write(r + 5, col, "(....................................)")
        ws.write(r + 6, col, "NIP ....................................")
    ws.set_column(0, 0, 5)
    ws.set_column(1, 1, 28)
    ws.set_column(2, 2, 21)
    ws.set_column(3, 3, 12)
    ws.set_column(4, 4, 30)
    ws.set_column(len(fixed), len(columns) - 1, 14)
    ws.freeze_panes(top + 1, 3)
    ws.set_landscape()
    ws.set_paper(9)  # A4
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(top)
    wb.close()
    return buf.getvalue()


def register_pdf(run: PayrollRun, opd: Unit) -> bytes:
    """The OPD's daftar gaji as an A4-landscape PDF: every line of the slip in stacked columns, the running total
    carried from page to page, the total in words and the signatures (see register_layout and register_pdf)."""
    reg = build_register(run, opd)
    layout = rl.plan(reg.codes, reg.rows, reg.totals)
    bersih = reg.totals.get("bersih", 0)
    heading = register_pdf_draw.Heading(
        government=CITY,
        title=f"{reg.title} — {opd.name}",
        subtitle=f"Bulan {month_label(run.period)} · jumlah dalam rupiah",
        draft="" if run.state in FROZEN_STATES else DRAFT_MARK,
        total_words=f"Jumlah dibayar: {rupiah(bersih)} ({terbilang(bersih)})",
        signatures=SIGNATURES,
    )
    return register_pdf_draw.draw(layout, heading, employees=len(reg.rows))


# ---- recap of the whole run ---------------------------------------------------------------------------------------


def account_for(table: dict[str, Any], kind: str, code: str, status: str) -> str | None:
    """The budget account of a slip line for an employee status, or None when the parameter has none."""
    group = table.get("tpp" if kind == "tpp" else "gaji") or {}
    by_status = group.get(code) or (table.get("semua") or {}).get(code) or {}
    return by_status.get("PPPK" if status == "PPPK" else "PNS")


def recap_xlsx(run: PayrollRun) -> bytes:
    """Sheet "Per OPD": employees, each line summed, kotor, potongan, bersih; sheet "Per kode rekening": what the
    run spends per budget account (income lines, less reductions, plus pembulatan and employer premiums)."""
    table = params_in_force(run.period, run.region)["anggaran/kode_rekening"].value
    names: dict[str, str] = table.get("nama") or {}
    per_opd: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    per_account: dict[str, int] = defaultdict(int)
    unmapped: dict[str, int] = defaultdict(int)
    rows = Payslip.objects.filter(run=run).values_list("opd__name", "facts__status", "lines", "bruto", "potongan",
                                                       "bersih")  # fmt: skip
    for opd_name, status, lines, bruto, potongan, bersih in rows.iterator(chunk_size=2000):
        agg = per_opd[opd_name]
        agg["_pegawai"] += 1
        agg["bruto"] += bruto
        agg["potongan"] += potongan
        agg["bersih"] += bersih
        for code, amount in lines.items():
            agg[code] += amount
            if code in POTONGAN or not amount:
                continue  # a deduction is paid out of the gross, not a further spending
            spend = -amount if section_of(code) == "pengurang" else amount
            account = account_for(table, run.kind, code, status or "PNS")
            if account is None:
                unmapped[code] += spend
            else:
                per_account[account] += spend
    codes = ordered_codes(c for agg in per_opd.values() for c in agg if not c.startswith("_") and c not in
                          ("bruto", "potongan", "bersih"))  # fmt: skip
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    bold = wb.add_format({"bold": True})
    head = wb.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1, "bg_color": "#EEEEEE"})
    money = wb.add_format({"num_format": "#,##0", "border": 1})
    money_bold = wb.add_format({"num_format": "#,##0", "border": 1, "bold": True})
    cell = wb.add_format({"border": 1})
    text = wb.add_format({"border": 1, "num_format": "@"})
    cells = TextCells(wb)
    title = f"Rekapitulasi {REGISTER_TITLES.get(run.kind, run.kind)} — {month_label(run.period)}"

    ws = wb.add_worksheet("Per OPD")
    ws.write(0, 0, title, bold)
    columns = ["No", "OPD", "Jumlah pegawai", *(_column_title(c) for c in codes), "Penghasilan kotor",
               "Jumlah potongan", "Dibayar"]  # fmt: skip
    for j, name in enumerate(columns):
        ws.write(2, j, name, head)
    keys = ["_pegawai", *codes, "bruto", "potongan", "bersih"]
    r = 2
    for i, opd_name in enumerate(sorted(per_opd), 1):
        r = 2 + i
        ws.write_number(r, 0, i, cell)
        cells.write(ws, r, 1, opd_name, {"border": 1})
        for j, k in enumerate(keys, 2):
            ws.write_number(r, j, per_opd[opd_name].get(k, 0), money)
    r += 1
    ws.write(r, 1, "Jumlah", money_bold)
    for j, k in enumerate(keys, 2):
        ws.write_number(r, j, sum(agg.get(k, 0) for agg in per_opd.values()), money_bold)
    ws.set_column(1, 1, 40)
    ws.set_column(2, len(columns) - 1, 14)
    ws.freeze_panes(3, 2)

    ws2 = wb.add_worksheet("Per kode rekening")
    ws2.write(0, 0, title, bold)
    ws2.write(1, 0, "Belanja menurut kode rekening (parameter anggaran/kode_rekening); potongan tidak termasuk.")
    for j, name in enumerate(["Kode rekening", "Uraian", "Jumlah"]):
        ws2.write(3, j, name, head)
    r = 3
    for account in sorted(per_account):
        r += 1
        ws2.write_string(r, 0, account, text)
        ws2.write_string(r, 1, names.get(account, ""), cell)
        ws2.write_number(r, 2, per_account[account], money)
    for code in ordered_codes(unmapped):
        r += 1
        ws2.write_string(r, 0, "", text)
        ws2.write_string(r, 1, f"{NO_ACCOUNT}: {label(code)}", cell)
        ws2.write_number(r, 2, unmapped[code], money)
    r += 1
    ws2.write(r, 1, "Jumlah", money_bold)
    ws2.write_number(r, 2, sum(per_account.values()) + sum(unmapped.values()), money_bold)
    ws2.set_column(0, 0, 20)
    ws2.set_column(1, 1, 60)
    ws2.set_column(2, 2, 18)
    wb.close()
    return buf.getvalue()
