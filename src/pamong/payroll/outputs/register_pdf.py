"""Draw a planned daftar gaji (register_layout) on A4-landscape pages with ReportLab's canvas.

Why not WeasyPrint, which draws the payslips: its table layout costs 15–20 ms per row on this project's 2-core
machines even with empty cells (measured: 120 rows, 8 pages, 2.4 s of CPU; the old one-table register of an
853-employee OPD took 57–75 s). The register is a grid of numbers whose positions are known once the layout is
planned, and a canvas draws it in about a second for a thousand rows, with a real text layer.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from . import register_layout as rl
from .register_layout import CELL_PAD_X, CELL_PAD_Y, MARGIN_TOP, MARGIN_X, PAGE_H, Layout, Page, amount, fonts, wrap

GREY = Color(0.93, 0.93, 0.93)
SHADE = Color(0.965, 0.965, 0.965)
RULE = Color(0.4, 0.4, 0.4)
RED = Color(0.65, 0, 0)


@dataclass
class Heading:
    government: str
    title: str
    subtitle: str
    draft: str  # empty for an approved run
    total_words: str  # "Jumlah dibayar: Rp… (… rupiah)"
    signatures: Sequence[tuple[str, str]]  # (lead, role)


class _Page:
    """Coordinates in mm from the top-left corner of the content box, as the layout thinks of them."""

    def __init__(self, c: Canvas, layout: Layout) -> None:
        self.c, self.layout = c, layout
        self.regular, self.bold = fonts()
        self.xs = [0.0, rl.NO_W, rl.NO_W + layout.name_w, rl.NO_W + layout.name_w + layout.gol_w]
        for col in layout.columns:
            self.xs.append(self.xs[-1] + col.width_mm)

    def _x(self, x: float) -> float:
        return (MARGIN_X + x) * mm

    def _y(self, y: float) -> float:
        return (PAGE_H - MARGIN_TOP - y) * mm

    def text(self, x: float, y: float, s: str, *, size: float, bold: bool = False, align: str = "l",
             color: Color | None = None) -> None:  # fmt: skip
        """`y` is the top of the line box; the baseline sits at 80 % of the font size below it."""
        self.c.setFont(self.bold if bold else self.regular, size)
        if color is not None:
            self.c.setFillColor(color)
        base = self._y(y + (rl.LINE_HEIGHT - 1) / 2 * size * rl.PT + 0.8 * size * rl.PT)
        draw = {"l": self.c.drawString, "r": self.c.drawRightString, "c": self.c.drawCentredString}[align]
        draw(self._x(x), base, s)
        if color is not None:
            self.c.setFillColor(Color(0, 0, 0))

    def lines(self, x: float, y: float, items: Sequence[str], *, bold: bool = False, align: str = "l") -> None:
        size, step = self.layout.font_pt, self.layout.line_mm
        for i, s in enumerate(items):
            self.text(x, y + CELL_PAD_Y + i * step, s, size=size, bold=bold, align=align)

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: Color) -> None:
        self.c.setFillColor(fill)
        self.c.rect(self._x(x0), self._y(y1), (x1 - x0) * mm, (y1 - y0) * mm, stroke=0, fill=1)
        self.c.setFillColor(Color(0, 0, 0))

    def hline(self, x0: float, x1: float, y: float, width: float = 0.5) -> None:
        self.c.setLineWidth(width)
        self.c.line(self._x(x0), self._y(y), self._x(x1), self._y(y))

    def vline(self, x: float, y0: float, y1: float) -> None:
        self.c.setLineWidth(0.5)
        self.c.line(self._x(x), self._y(y0), self._x(x), self._y(y1))


def _heading(p: _Page, h: Heading, page: Page, count: int) -> float:
    mid = rl.CONTENT_W / 2
    p.text(mid, 0, h.government.upper(), size=9, bold=True, align="c")
    p.text(mid, 4.2, h.title, size=8.5, bold=True, align="c")
    p.text(mid, 8.4, h.subtitle, size=6.5, align="c")
    p.text(rl.CONTENT_W, 0, f"Halaman {page.number} dari {count}", size=6.5, align="r")
    if h.draft:
        p.text(0, 0, h.draft, size=7, bold=True, color=RED)
    return rl.HEADING_H


def _table_head(p: _Page, y: float) -> float:
    lay = p.layout
    g_h, t_h = lay.height_mm(lay.group_depth), lay.height_mm(lay.head_depth)
    xs, bottom = p.xs, y + g_h + t_h
    p.rect(0, y, xs[-1], bottom, GREY)
    step = lay.line_mm
    for i, label in enumerate(("No", "Nama / NIP")):
        p.text((xs[i] + xs[i + 1]) / 2, y + CELL_PAD_Y, label, size=lay.font_pt, bold=True, align="c")
    for i, label in enumerate(("Gol. · status · PTKP", "Jabatan")):
        p.text((xs[2] + xs[3]) / 2, y + CELL_PAD_Y + i * step, label, size=lay.font_pt, bold=True, align="c")
    for title, first, span in lay.groups:
        x0, x1 = xs[3 + first], xs[3 + first + span]
        if title:  # a group: its title over its columns, each column's titles below
            for i, s in enumerate(lay.group_lines[first]):
                p.text((x0 + x1) / 2, y + CELL_PAD_Y + i * step, s, size=lay.font_pt, bold=True, align="c")
            p.hline(x0, x1, y + g_h)
            for k in range(first, first + span):
                mid = (xs[3 + k] + xs[4 + k]) / 2
                for i, s in enumerate(lay.head_lines[k]):
                    p.text(mid, y + g_h + CELL_PAD_Y + i * step, s, size=lay.font_pt, bold=True, align="c")
        else:
            for i, s in enumerate(lay.head_lines[first]):
                p.text((x0 + x1) / 2, y + CELL_PAD_Y + i * step, s, size=lay.font_pt, bold=True, align="c")
    inner = {xs[3 + k] for title, first, span in lay.groups if title for k in range(first + 1, first + span)}
    for x in xs:  # a column inside a group starts below the group's title
        p.vline(x, y + g_h if x in inner else y, bottom)
    p.hline(0, xs[-1], y)
    p.hline(0, xs[-1], bottom, 0.8)
    return bottom


def _amounts(p: _Page, y: float, values: Sequence[Sequence[int]], *, bold: bool = False) -> None:
    for k, vals in enumerate(values):
        p.lines(p.xs[4 + k] - CELL_PAD_X, y, [amount(v) for v in vals], bold=bold, align="r")


def _draw_page(p: _Page, h: Heading, page: Page, count: int, employees: int) -> None:
    lay = p.layout
    y = _heading(p, h, page, count)
    if page.rows or page.final:
        y = _table_head(p, y)
        body_top = y
        for row in page.rows:
            bottom = y + lay.height_mm(row.lines)
            for k, col in enumerate(lay.columns):
                if col.strong:
                    p.rect(p.xs[3 + k], y, p.xs[4 + k], bottom, SHADE)
            p.lines(rl.NO_W - CELL_PAD_X, y, [str(row.no)], align="r")
            p.lines(p.xs[1] + CELL_PAD_X, y, row.name)
            p.lines(p.xs[2] + CELL_PAD_X, y, row.who)
            _amounts(p, y, row.values)
            p.hline(0, p.xs[-1], bottom, 0.3)
            y = bottom
        label = f"Jumlah ({employees} pegawai)" if page.final else f"Jumlah s.d. halaman {page.number} (dipindahkan)"
        bottom = y + lay.height_mm(lay.depth)
        p.hline(0, p.xs[-1], y, 1.0)
        for s_i, s in enumerate(wrap(label, p.xs[3] - p.xs[1] - 2 * CELL_PAD_X, lay.font_pt, bold=True)):
            p.text(p.xs[1] + CELL_PAD_X, y + CELL_PAD_Y + s_i * lay.line_mm, s, size=lay.font_pt, bold=True)
        _amounts(p, y, page.carried, bold=True)
        for i, x in enumerate(p.xs):  # the total's label spans Nama and Gol.
            p.vline(x, body_top, y if i == 2 else bottom)
        p.hline(0, p.xs[-1], bottom, 0.8)
        y = bottom
    if page.signatures:
        _signatures(p, h, y + 4)


def _signatures(p: _Page, h: Heading, y: float) -> None:
    for i, s in enumerate(wrap(h.total_words, rl.CONTENT_W, 7)):
        p.text(0, y + i * 3.2, s, size=7)
    y += 10
    for k, (lead, role) in enumerate(h.signatures):
        x = rl.CONTENT_W * (0.25 + 0.5 * k)
        p.text(x, y, lead, size=7.5, align="c")
        p.text(x, y + 3.6, role, size=7.5, align="c")
        p.text(x, y + 22, "(....................................)", size=7.5, align="c")
        p.text(x, y + 25.6, "NIP ....................................", size=7.5, align="c")


def draw(layout: Layout, heading: Heading, employees: int) -> bytes:
    buf = io.BytesIO()
    c = Canvas(buf, pagesize=landscape(A4), pageCompression=1)
    c.setTitle(f"{heading.title} — {heading.subtitle}")
    c.setAuthor(heading.government)
    c.setCreator("Pamong")
    page = _Page(c, layout)
    for pg in layout.pages:
        _draw_page(page, heading, pg, len(layout.pages), employees)
        c.showPage()
    c.save()
    return buf.getvalue()
