"""The page layout of the daftar gaji PDF: which columns, how wide, which rows on which page.

A real Indonesian daftar gaji stacks several amounts in one column (gaji pokok over tunjangan suami/istri, Taspen
over BPJS...) so that every line of the slip fits across one landscape sheet, carries the running total from page
to page ("jumlah dipindahkan") and ends with the grand total and the signatures. This module decides that layout:
columns with stacked lines and widths sized to the largest amount they hold (the font size steps down until the
columns fit the page width), rows packed into pages by their measured height (names are measured with the font's
own glyph widths and wrapped here, so the drawing in register_pdf never overflows a page).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..labels import label, section_of

# A4 landscape, in millimetres
PAGE_W, PAGE_H = 297.0, 210.0
MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 8.0, 8.0, 8.0
CONTENT_W = PAGE_W - 2 * MARGIN_X
CONTENT_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM

PT = 25.4 / 72  # mm per point
LINE_HEIGHT = 1.2  # em
CELL_PAD_X, CELL_PAD_Y = 0.7, 0.45  # mm
STACKS = (2, 3)  # amounts stacked in one column: two if the columns then fit, else three
FONT_SIZES = (6.5, 6.0, 5.5, 5.0)  # pt, tried in turn until the columns fit the page width
NO_W = 7.0  # the "No" column
MIN_NAME_W, MIN_GOL_W = 38.0, 30.0  # Nama/NIP and golongan/jabatan need at least this
HEADING_H = 16.0  # government, title, month; page number
SIGNATURE_H = 44.0  # after the last row: the total in words, then the two signatures
CARRY_TO_SIGNATURES = 3  # rows moved to a new page when the signatures do not fit below the last one

SHORT_LABELS = {
    "tunjangan_istri_suami": "Tunj. suami/istri",
    "tunjangan_anak": "Tunj. anak",
    "tunjangan_umum": "Tunj. umum",
    "tunjangan_jabatan_struktural": "Tunj. jab. struktural",
    "tunjangan_jabatan_fungsional": "Tunj. jab. fungsional",
    "tunjangan_beras": "Tunj. beras",
    "tunjangan_pph": "Tunj. PPh",
    "penghargaan": "Penghargaan",
    "potongan_hukuman_disiplin": "Pot. hukuman disiplin (−)",
    "iuran_taspen": "Iuran Taspen 8%",
    "iuran_bpjs_kesehatan": "BPJS Kesehatan",
    "pph21": "PPh 21",
    "potongan_lain": "Potongan lain",
    "pemberi_kerja_bpjs_kesehatan": "BPJS Kesehatan",
    "pemberi_kerja_jkk": "JKK",
    "pemberi_kerja_jkm": "JKM",
}
GROUP_TITLES = {"penghasilan": "Penghasilan", "potongan": "Potongan", "pemberi_kerja": "Ditanggung pemberi kerja"}

FONT_FILES = {
    "Pamong-Sans": ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans.ttf"),
    "Pamong-Sans-Bold": ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
                         "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
}  # fmt: skip


def short_label(code: str) -> str:
    return SHORT_LABELS.get(code) or label(code)


def amount(value: int) -> str:
    """1234567 → "1.234.567", -5 → "−5": the page heading says the unit (rupiah)."""
    text = f"{abs(value):,}".replace(",", ".")
    return "\u2212" + text if value < 0 else text


@lru_cache(maxsize=1)
def fonts() -> tuple[str, str]:
    """(regular, bold) font names registered with ReportLab: DejaVu Sans (Debian's fonts-dejavu-core, which ./dev
    installs) so that every Indonesian name and the minus sign print; Helvetica if the files are not there."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    names = []
    for name, paths in FONT_FILES.items():
        path = next((p for p in paths if Path(p).exists()), None)
        if path is None:
            return "Helvetica", "Helvetica-Bold"
        pdfmetrics.registerFont(TTFont(name, path))
        names.append(name)
    return names[0], names[1]


def text_width_mm(text: str, size_pt: float, bold: bool = False) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    regular, heavy = fonts()
    return float(stringWidth(text, heavy if bold else regular, size_pt)) * PT


def wrap(text: str, width_mm: float, size_pt: float, bold: bool = False) -> list[str]:
    """`text` broken at spaces into lines of at most `width_mm` (a single word wider than that keeps its line)."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}" if current else word
        if current and text_width_mm(trial, size_pt, bold) > width_mm:
            lines.append(current)
            current = word
        else:
            current = trial
    return [*lines, current] if current or not lines else lines


def lines_needed(text: str, width_mm: float, size_pt: float, bold: bool = False) -> int:
    return max(len(wrap(text, width_mm, size_pt, bold)), 1)


@dataclass
class Column:
    group: str  # penghasilan, potongan, pemberi_kerja or "" (a column of its own)
    keys: list[str]  # slip line codes, or bruto/potongan/pembulatan/bersih
    titles: list[str]
    width_mm: float = 0.0
    strong: bool = False  # a total: shaded


@dataclass
class Row:
    no: int
    name: list[str]  # the name (wrapped), then the NIP
    who: list[str]  # golongan · status · PTKP, then the position (wrapped)
    values: list[list[int]]  # per amount column, its stacked amounts
    lines: int


@dataclass
class Page:
    number: int
    rows: list[Row]
    carried: list[list[int]]  # running totals up to and including this page, per amount column
    final: bool = False  # the page with the last rows: its running total is the grand total
    signatures: bool = False  # the total in words and the signatures follow the table


@dataclass
class Layout:
    font_pt: float
    depth: int  # lines per amount cell
    columns: list[Column]
    name_w: float
    gol_w: float
    head_lines: list[list[str]]  # per amount column, its title lines (wrapped)
    head_depth: int
    group_lines: dict[int, list[str]] = field(default_factory=dict)  # a group's title (wrapped), by first column
    pages: list[Page] = field(default_factory=list)

    @property
    def group_depth(self) -> int:
        return max([1, *(len(v) for v in self.group_lines.values())])

    @property
    def line_mm(self) -> float:
        return self.font_pt * LINE_HEIGHT * PT

    def height_mm(self, lines: int) -> float:
        return lines * self.line_mm + 2 * CELL_PAD_Y

    @property
    def groups(self) -> list[tuple[str, int, int]]:
        """(title, first column, span) over the amount columns; a column of its own has no title here."""
        out: list[tuple[str, int, int]] = []
        for i, col in enumerate(self.columns):
            title = GROUP_TITLES.get(col.group, "")
            if out and title and out[-1][0] == title:
                out[-1] = (title, out[-1][1], out[-1][2] + 1)
            else:
                out.append((title, i, 1))
        return out


def _balanced(codes: Sequence[str], size: int) -> list[list[str]]:
    """Codes in stacks of at most `size`, as even as possible (4 in threes → 2 + 2, not 3 + 1)."""
    if not codes:
        return []
    n = math.ceil(len(codes) / size)
    per, extra = divmod(len(codes), n)
    out, i = [], 0
    for k in range(n):
        take = per + (1 if k < extra else 0)
        out.append(list(codes[i : i + take]))
        i += take
    return out


def columns_for(codes: Iterable[str], depth: int) -> list[Column]:
    """The amount columns in slip order: income (with its reductions) stacked, gross, deductions stacked, total
    deductions, rounding, employer contributions stacked, and "Dibayar" last."""
    by_section: dict[str, list[str]] = {}
    for code in codes:
        by_section.setdefault(section_of(code), []).append(code)

    def stacked(group: str, codes: list[str]) -> list[Column]:
        return [Column(group, s, [short_label(c) for c in s]) for s in _balanced(codes, depth)]

    cols = stacked("penghasilan", by_section.get("penghasilan", []) + by_section.get("pengurang", []))
    cols.append(Column("", ["bruto"], ["Penghasilan kotor"], strong=True))
    cols += stacked("potongan", by_section.get("potongan", []))
    cols.append(Column("", ["potongan"], ["Jumlah potongan"], strong=True))
    if by_section.get("pembulatan"):
        cols.append(Column("", ["pembulatan"], ["Pembulatan"]))
    cols += stacked("pemberi_kerja", by_section.get("pemberi_kerja", []))
    cols.append(Column("", ["bersih"], ["Dibayar"], strong=True))
    return cols


def _amount_width(col: Column, rows: Sequence[dict[str, Any]], totals: dict[str, int], size: float) -> float:
    """Wide enough for the longest amount of the column, its total in bold, and the longest word of its titles."""
    longest = max((amount(int(r["values"].get(k, 0))) for r in rows for k in col.keys), key=len, default="0")
    total = max((amount(int(totals.get(k, 0))) for k in col.keys), key=len, default="0")
    word = max((w for t in col.titles for w in t.split()), key=len, default="")
    inner = max(text_width_mm(longest, size), text_width_mm(total, size, bold=True), text_width_mm(word, size, True))
    return inner + 2 * CELL_PAD_X + 0.5


def _fit(
    codes: Sequence[str], rows: Sequence[dict[str, Any]], totals: dict[str, int]
) -> tuple[float, int, list[Column]]:
    """The shallowest stacking, then the largest font size, whose columns leave room for the name columns (two
    lines per employee at 6 pt rather than three at 6.5 pt: a third fewer pages)."""
    for depth in STACKS:
        for size in FONT_SIZES:
            columns = columns_for(codes, depth)
            for col in columns:
                col.width_mm = _amount_width(col, rows, totals, size)
            if CONTENT_W - NO_W - sum(c.width_mm for c in columns) >= MIN_NAME_W + MIN_GOL_W:
                return size, depth, columns
    return size, depth, columns  # the smallest type, three deep: the name columns get their minimum


def plan(codes: Sequence[str], rows: Sequence[dict[str, Any]], totals: dict[str, int]) -> Layout:
    """Columns, widths and pages for a register's rows (each row: nama, nip, golongan, status, ptkp, jabatan and
    `values` by line code and bruto/potongan/pembulatan/bersih)."""
    size, depth, columns = _fit(codes, rows, totals)
    rest = CONTENT_W - NO_W - sum(c.width_mm for c in columns)
    name_w = max(rest * 0.5, MIN_NAME_W)
    gol_w = max(rest - name_w, MIN_GOL_W)
    inner = 2 * CELL_PAD_X
    head_lines = [[ln for t in c.titles for ln in wrap(t, c.width_mm - inner, size, bold=True)] for c in columns]
    head_depth = max([3, *(len(h) for h in head_lines)])  # "Gol. · status · PTKP / Jabatan" takes three lines
    layout = Layout(size, depth, columns, name_w, gol_w, head_lines, head_depth)

    for title, first, span in layout.groups:
        if title:
            width = sum(c.width_mm for c in columns[first : first + span]) - inner
            layout.group_lines[first] = wrap(title, width, size, bold=True)
    head_h = layout.height_mm(layout.group_depth) + layout.height_mm(head_depth)  # the group row, then the titles
    sum_h = layout.height_mm(depth)
    budget = CONTENT_H - HEADING_H - head_h - sum_h
    running = [[0] * len(c.keys) for c in columns]
    pages: list[Page] = []
    page_rows: list[Row] = []
    used = 0.0
    for no, r in enumerate(rows, 1):
        name = [*wrap(r["nama"], name_w - inner, size), r["nip"]]
        who = [" · ".join(x for x in (r["golongan"], r["status"], r["ptkp"]) if x), *wrap(r["jabatan"], gol_w - inner,
                                                                                             size)]  # fmt: skip
        values = [[int(r["values"].get(k, 0)) for k in c.keys] for c in columns]
        row = Row(no, name, who, values, max(depth, len(name), len(who)))
        h = layout.height_mm(row.lines)
        if page_rows and used + h > budget:
            pages.append(Page(len(pages) + 1, page_rows, [list(v) for v in running]))
            page_rows, used = [], 0.0
        page_rows.append(row)
        used += h
        for acc, vals in zip(running, values, strict=True):
            for i, v in enumerate(vals):
                acc[i] += v
    if used + SIGNATURE_H <= budget or len(page_rows) <= CARRY_TO_SIGNATURES:
        pages.append(Page(len(pages) + 1, page_rows, running, final=True, signatures=used + SIGNATURE_H <= budget))
    else:  # the signatures never stand on a page without rows: the last rows go over with them
        kept, moved = page_rows[:-CARRY_TO_SIGNATURES], page_rows[-CARRY_TO_SIGNATURES:]
        before = [[t - sum(r.values[k][i] for r in moved) for i, t in enumerate(acc)] for k, acc in enumerate(running)]
        pages.append(Page(len(pages) + 1, kept, before))
        pages.append(Page(len(pages) + 1, moved, running, final=True, signatures=True))
    if not pages[-1].signatures:
        pages.append(Page(len(pages) + 1, [], running, signatures=True))  # a page too short for both (never here)
    layout.pages = pages
    return layout
