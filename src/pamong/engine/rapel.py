"""Rapel: back pay for back-dated changes (a KGB or promotion with an earlier TMT), month by month
(docs/payroll-engine.md §6). Each earlier month is computed twice with the parameters in force then — as paid and as
due — and the slip pays the differences, taxed on top of the payment month."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pamong.engine.extra import GAJI_ELEMENTS, tax_on_top
from pamong.engine.facts import Facts
from pamong.engine.month import Month, YearShare, compute_month
from pamong.engine.params import EngineParams, Unsupported
from pamong.engine.rounding import Amount, as_amount, round_up_100
from pamong.engine.trace import Tracer

TPP_ELEMENTS = ("tpp_kinerja", "tpp_disiplin", "potongan_hukuman_disiplin")  # the last one reduces income
DEDUCTIONS = ("iuran_taspen", "iuran_bpjs_kesehatan")
EMPLOYER = ("bpjs_kesehatan", "jkk", "jkm")


@dataclass(frozen=True)
class RapelMonth:
    on: dt.date
    lines: dict[str, Amount]  # GAJI_ELEMENTS + TPP_ELEMENTS + DEDUCTIONS: due − paid
    pemberi_kerja: dict[str, Amount]
    premi_gaji: Amount  # employer BPJS (gaji part) + JKK + JKM difference: PPh bruto of the gaji part
    premi_tpp: Amount  # employer BPJS (TPP part) difference


@dataclass(frozen=True)
class RapelSlip:
    months: list[RapelMonth]
    lines: dict[str, Amount]
    bruto: Amount
    potongan: Amount
    bersih: Amount
    pemberi_kerja: dict[str, Amount]
    year: YearShare


@dataclass(frozen=True)
class Correction:
    """One earlier month to correct: its parameters, the facts as paid then and as due."""

    params: EngineParams
    paid: Facts
    due: Facts


def month_difference(c: Correction, t: Tracer) -> RapelMonth:
    paid, due = compute_month(c.paid, c.params), compute_month(c.due, c.params)
    prefix = f"rapel.{c.params.on:%Y-%m}"

    def diff(code: str, was: Amount, should: Amount) -> Amount:
        return t.line(f"{prefix}.{code}", should - was, inputs={"dibayar": was, "seharusnya": should})

    lines = {code: diff(code, paid.gaji.lines[code], due.gaji.lines[code]) for code in GAJI_ELEMENTS}
    lines |= {code: diff(code, paid.tpp.lines[code], due.tpp.lines[code]) for code in TPP_ELEMENTS}
    lines["iuran_taspen"] = diff("iuran_taspen", paid.gaji.lines["iuran_taspen"], due.gaji.lines["iuran_taspen"])
    bpjs = "iuran_bpjs_kesehatan"  # gaji and TPP together: the cap is per month
    lines[bpjs] = diff(bpjs, paid.gaji.lines[bpjs] + paid.tpp.lines[bpjs], due.gaji.lines[bpjs] + due.tpp.lines[bpjs])
    employer = {
        code: diff(f"pemberi_kerja.{code}", paid.pemberi_kerja[code], due.pemberi_kerja[code]) for code in EMPLOYER
    }
    premi_gaji = (due.gaji.bpjs_pemberi_kerja + due.gaji.jkk + due.gaji.jkm) - (
        paid.gaji.bpjs_pemberi_kerja + paid.gaji.jkk + paid.gaji.jkm
    )
    premi_tpp = due.tpp.bpjs_pemberi_kerja - paid.tpp.bpjs_pemberi_kerja
    return RapelMonth(c.params.on, lines, employer, premi_gaji, premi_tpp)


def rapel_slip(f: Facts, p: EngineParams, t: Tracer, pay_month: Month, corrections: list[Correction]) -> RapelSlip:
    """The rapel paid in the month `pay_month` was computed for (with the due facts `f` and parameters `p`)."""
    if not corrections:
        raise ValueError("rapel: tidak ada bulan yang dikoreksi")
    if p.on.month == 12:
        raise Unsupported("kind: rapel di bulan Desember belum didukung (masukkan ke ytd perhitungan Desember)")
    for c in corrections:
        if c.params.on >= p.on:
            raise ValueError(f"rapel: bulan {c.params.on:%Y-%m} tidak sebelum bulan pembayaran {p.on:%Y-%m}")
        if c.paid.size != f.size or c.due.size != f.size:
            raise ValueError("rapel: jumlah baris facts per bulan berbeda dengan facts bulan pembayaran")
    months = [month_difference(c, t) for c in sorted(corrections, key=lambda c: c.params.on)]

    def total(code: str) -> Amount:
        return t.line(f"rapel.{code}", as_amount(sum(m.lines[code] for m in months)), inputs={"bulan": len(months)})

    lines = {code: total(code) for code in (*GAJI_ELEMENTS, *TPP_ELEMENTS, *DEDUCTIONS)}
    employer = {code: as_amount(sum(m.pemberi_kerja[code] for m in months)) for code in EMPLOYER}
    gaji_income = as_amount(sum(lines[c] for c in GAJI_ELEMENTS))
    tpp_income = lines["tpp_kinerja"] + lines["tpp_disiplin"] - lines["potongan_hukuman_disiplin"]
    premiums = p.pph21_includes_premiums.value
    gaji_part = gaji_income + (as_amount(sum(m.premi_gaji for m in months)) if premiums else 0)
    tpp_part = tpp_income + (as_amount(sum(m.premi_tpp for m in months)) if premiums else 0)
    tax = tax_on_top(f, p, t, "rapel", pay_month, as_amount(gaji_part), as_amount(tpp_part))
    pph, tunjangan = tax.pph21, tax.tunjangan_pph
    bruto = gaji_income + tpp_income + tunjangan
    potongan = lines["iuran_taspen"] + lines["iuran_bpjs_kesehatan"] + pph
    net = bruto - potongan
    bersih = round_up_100(net)
    lines["tunjangan_pph"] = tunjangan
    lines["pembulatan"] = t.line("rapel.pembulatan", bersih - net, inputs={"bersih_sebelum_pembulatan": net})
    lines["pph21"] = pph
    year = YearShare(as_amount(gaji_part), as_amount(tpp_part) + tax.taxed_tunjangan, tax.pph_gaji, tax.pph_tpp,
                     lines["iuran_taspen"])  # fmt: skip
    return RapelSlip(months, lines, bruto, potongan, bersih, employer, year)
