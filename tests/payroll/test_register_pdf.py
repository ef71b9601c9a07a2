"""The daftar gaji PDF: every column inside the page (checked on the text layer and on the rasterised page), the
running total carried from page to page, the grand total and the signatures on a page with rows, and the draft
mark for a run that is not approved."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest

from pamong.core.formats import rupiah
from pamong.payroll.outputs import register, register_layout, register_pdf

GAJI_CODES = ["gaji_pokok", "tunjangan_istri_suami", "tunjangan_anak", "tunjangan_umum",
              "tunjangan_jabatan_struktural", "tunjangan_jabatan_fungsional", "tunjangan_beras", "tunjangan_pph",
              "potongan_hukuman_disiplin", "pembulatan", "iuran_taspen", "iuran_bpjs_kesehatan", "pph21",
              "potongan_lain", "pemberi_kerja_bpjs_kesehatan", "pemberi_kerja_jkk", "pemberi_kerja_jkm"]  # fmt: skip


def page_texts(data: bytes) -> list[str]:
    pdf = pdfium.PdfDocument(data)
    return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]


def boxes_of(data: bytes, needle: str) -> list[tuple[int, tuple[float, float, float, float], tuple[float, float]]]:
    """(page index, (left, bottom, right, top) of the match in points, (page width, page height)) for every match
    of `needle` in the text layer."""
    pdf = pdfium.PdfDocument(data)
    found = []
    for i in range(len(pdf)):
        page = pdf[i]
        text = page.get_textpage()
        searcher = text.search(needle, match_case=True)
        while (hit := searcher.get_next()) is not None:
            start, count = hit
            boxes = [text.get_charbox(k) for k in range(start, start + count)]
            box = (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
                   max(b[3] for b in boxes))  # fmt: skip
            found.append((i, box, page.get_size()))
    return found


def inside(box: tuple[float, float, float, float], size: tuple[float, float]) -> bool:
    left, bottom, right, top = box
    return 0 <= left < right <= size[0] and 0 <= bottom < top <= size[1]


def ink_in(data: bytes, page_index: int, box: tuple[float, float, float, float]) -> int:
    """Dark pixels of the rasterised page inside `box` (PDF points, origin bottom-left): the text is drawn there,
    not only listed in the text layer."""
    pdf = pdfium.PdfDocument(data)
    scale = 2.0
    image = pdf[page_index].render(scale=scale, grayscale=True).to_pil()
    height = pdf[page_index].get_height()
    left, bottom, right, top = box
    crop = image.crop((int(left * scale), int((height - top) * scale), int(right * scale) + 1,
                       int((height - bottom) * scale) + 1))  # fmt: skip
    return sum(crop.histogram()[:128])


def synthetic(n: int, long_names: bool = True) -> tuple[list[str], list[dict], dict[str, int]]:
    rows, totals = [], dict.fromkeys([*GAJI_CODES, "bruto", "potongan", "bersih"], 0)
    for i in range(n):
        name = f"Dr. Hj. Ni Luh Putu Ayu Kusumawardhani Pegawai Nomor {i + 1}, S.Kep., Ns., M.Kes." if long_names \
            and i % 7 == 0 else f"Pegawai {i + 1}"  # fmt: skip
        values = {c: 1_000_000 + i * 1000 + j for j, c in enumerate(GAJI_CODES)}
        values["bruto"] = sum(values[c] for c in GAJI_CODES[:8])
        values["potongan"] = sum(values[c] for c in GAJI_CODES[10:14])
        values["bersih"] = values["bruto"] - values["potongan"] + values["pembulatan"]
        for k, v in values.items():
            totals[k] += v
        rows.append({"nama": name, "nip": f"19800101200501{i:04d}", "golongan": "III/b", "status": "PNS",
                     "ptkp": "K/2", "jabatan": "Kepala Sub Bagian Umum dan Kepegawaian pada Sekretariat Daerah",
                     "values": values})  # fmt: skip
    return GAJI_CODES, rows, totals


def draw(n: int, draft: str = "") -> tuple[bytes, register_layout.Layout, dict[str, int]]:
    codes, rows, totals = synthetic(n)
    layout = register_layout.plan(codes, rows, totals)
    heading = register_pdf.Heading("Pemerintah Kota Uji", "Daftar Gaji — Dinas Uji", "Bulan November 2026", draft,
                                   f"Jumlah dibayar: {rupiah(totals['bersih'])}", register.SIGNATURES)  # fmt: skip
    return register_pdf.draw(layout, heading, employees=n), layout, totals


def test_every_column_of_a_gaji_register_is_inside_the_page():
    data, layout, totals = draw(40)
    last = register_layout.amount(totals["bersih"])
    assert layout.columns[-1].titles == ["Dibayar"]
    for needle in ("Dibayar", "PPh 21", "JKM", "Jumlah potongan", "Penghasilan kotor", last):
        hits = boxes_of(data, needle)
        assert hits, needle
        for page, box, size in hits:
            assert inside(box, size), (needle, page, box, size)
    page, box, _ = boxes_of(data, last)[-1]
    assert ink_in(data, page, box) > 20  # drawn, not only in the text layer


def test_long_register_carries_the_total_and_numbers_its_pages():
    data, layout, totals = draw(300)
    texts = page_texts(data)
    n = len(texts)
    assert n == len(layout.pages) > 5
    for i, text in enumerate(texts, 1):
        assert f"Halaman {i} dari {n}" in text
    assert "Jumlah s.d. halaman 1 (dipindahkan)" in texts[0]
    assert "Jumlah (300 pegawai)" in texts[-1] and register_layout.amount(totals["bersih"]) in texts[-1]
    assert "Bendahara Pengeluaran" in texts[-1] and "Kepala OPD" in texts[-1]
    assert "Bendahara Pengeluaran" not in "".join(texts[:-1])
    nips = [f"19800101200501{i:04d}" for i in range(300)]
    assert all(sum(t.count(nip) for t in texts) == 1 for nip in nips)  # every employee once, none lost
    assert layout.pages[-1].rows  # the signatures stand under rows, never alone


def test_a_page_too_full_for_the_signatures_moves_its_last_rows_over():
    codes, rows, totals = synthetic(120, long_names=False)
    for n in range(20, 60):  # one of these lengths leaves no room for the signatures under the last row
        layout = register_layout.plan(codes, rows[:n], totals)
        if len(layout.pages) > 1 and len(layout.pages[-1].rows) == register_layout.CARRY_TO_SIGNATURES:
            break
    else:
        pytest.fail("no length moved rows to the signature page")
    before, last = layout.pages[-2], layout.pages[-1]
    assert last.signatures and last.final and not before.final
    bersih = len(layout.columns) - 1
    assert before.carried[bersih][0] + sum(r.values[bersih][0] for r in last.rows) == last.carried[bersih][0]


@pytest.mark.parametrize("state_draft", [True, False])
def test_register_of_a_computed_month_fits_and_marks_a_draft(pay, state_draft):
    run = pay.compute("gaji")
    if not state_draft:
        run = pay.approve(run)
    opd = run.payslips.first().opd
    data = register.register_pdf(run, opd)
    text = "\n".join(page_texts(data))
    bersih = sum(p.bersih for p in run.payslips.filter(opd=opd))
    assert rupiah(bersih) in text and "Bendahara Pengeluaran" in text and "Kepala OPD" in text
    for _page, box, size in boxes_of(data, register_layout.amount(bersih)) + boxes_of(data, "Dibayar"):
        assert inside(box, size)
    assert (register.DRAFT_MARK in text) is state_draft
