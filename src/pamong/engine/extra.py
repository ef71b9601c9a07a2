"""Payments on top of a month: THR and gaji-13 (docs/payroll-engine.md §5), and the PPh 21 they and a rapel bear —
TER on the month's bruto plus the extra payment, minus the month's own tax (PMK 168/2023: income of the month it is
paid). The gaji elements' tax is DTP where the gaji tax is; the TPP element follows the region's TPP method."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pamong.engine.facts import Facts
from pamong.engine.gaji import INCOME, gaji_tax_borne
from pamong.engine.month import Month, YearShare
from pamong.engine.params import DITANGGUNG, GROSS_UP, EngineParams, Unsupported
from pamong.engine.pph21 import ter_tax
from pamong.engine.rounding import Amount, as_amount, pct_floor, round_up_100
from pamong.engine.tpp import gross_up
from pamong.engine.trace import Tracer

THR, GAJI13 = "thr", "gaji13"
KINDS = (THR, GAJI13)
# the gaji lines THR and gaji-13 may carry, in slip order (which of them do is the national thr/komponen file):
# the gaji slip's income without its tunjangan PPh, which each payment computes for itself
GAJI_ELEMENTS = tuple(code for code in INCOME if code != "tunjangan_pph")


@dataclass(frozen=True)
class TaxOnTop:
    pph21: Amount
    tunjangan_pph: Amount
    pph_gaji: Amount
    pph_tpp: Amount
    taxed_tunjangan: Amount  # the grossed-up tunjangan, itself income (0 unless the TPP method is gross-up)


@dataclass(frozen=True)
class ExtraSlip:
    lines: dict[str, Amount]
    bruto: Amount
    potongan: Amount
    bersih: Amount
    year: YearShare


def ter_on_top(month: Month, p: EngineParams, below: Amount, added: Amount) -> Amount:
    """TER(M + below + added) − TER(M + below), M = the month's total PPh bruto: the tax `added` bears."""
    base = month.tpp.bruto_pph21_total + below
    category = month.gaji.ter_category
    return ter_tax(base + added, category, p)[0] - ter_tax(base, category, p)[0]


def tax_on_top(
    f: Facts, p: EngineParams, t: Tracer, prefix: str, month: Month, gaji_part: Amount, tpp_part: Amount
) -> TaxOnTop:
    """The PPh 21 of an extra payment whose PPh bruto is `gaji_part` + `tpp_part`, taxed on top of the month: the
    gaji part first, then the TPP part (grossed up when that is the region's TPP method)."""
    zero = np.zeros_like(gaji_part)
    pph_gaji = t.line(
        f"{prefix}.pph21_unsur_gaji",
        ter_on_top(month, p, zero, gaji_part),
        inputs={"bruto_pph21_bulan_ini": month.tpp.bruto_pph21_total, "bruto_pph21_unsur_gaji": gaji_part},
        params=[p.ter_kategori.at(month.gaji.ter_category), p.ter_bulanan],
    )
    method = p.pph21_tpp_method.value
    borne_tpp = method in (DITANGGUNG, GROSS_UP)

    def tpp_tax(extra: Amount, tr: Tracer) -> Amount:
        return ter_on_top(month, p, gaji_part, tpp_part + extra)

    taxed = gross_up(tpp_tax, zero) if method == GROSS_UP else zero
    pph_tpp = t.line(
        f"{prefix}.pph21_unsur_tpp",
        tpp_tax(taxed, t),
        inputs={"bruto_pph21_unsur_tpp": tpp_part, "tunjangan_pph_gross_up": taxed},
        params=[p.ter_bulanan, p.pph21_tpp_method],
    )
    pph = t.line(f"{prefix}.pph21", pph_gaji + pph_tpp, inputs={"unsur_gaji": pph_gaji, "unsur_tpp": pph_tpp})
    borne = gaji_tax_borne(f, p)
    tunjangan = t.line(
        f"{prefix}.tunjangan_pph",
        as_amount(np.where(borne, pph_gaji, 0) + (pph_tpp if borne_tpp else zero)),
        inputs={"pph21_unsur_gaji": pph_gaji, "pph21_unsur_tpp": pph_tpp, "gaji_ditanggung": borne},
        params=[p.pph21_tpp_method, p.pph21_pppk_gaji_dtp],
    )
    return TaxOnTop(pph, tunjangan, pph_gaji, pph_tpp, taxed)


def tpp_share_bp(p: EngineParams, kind: str) -> int:
    share = p.thr_tpp_bp.value[kind]
    if share is None:
        raise Unsupported(f"policy.{kind}_tpp_pct: bagian TPP dalam {kind} wajib ditetapkan daerah")
    ceiling = int(p.thr_komponen.value["tpp_maks"])
    if share > ceiling:
        raise Unsupported(f"policy.{kind}_tpp_pct: {share / 100:g} % melebihi batas {ceiling / 100:g} % (thr/komponen)")
    return int(share)


def extra_slip(kind: str, f: Facts, p: EngineParams, t: Tracer, month: Month) -> ExtraSlip:
    """THR or gaji-13 paid in the month `month` was computed for (same facts, same parameters)."""
    if kind not in KINDS:
        raise Unsupported(f"kind: '{kind}' bukan THR atau gaji-13")
    if p.on.month == 12:
        raise Unsupported(f"kind: {kind} di bulan Desember belum didukung (masukkan ke ytd perhitungan Desember)")
    komponen = set(p.thr_komponen.value["komponen"])
    zero = np.zeros(f.size, dtype=np.int64)
    lines: dict[str, Amount] = {}
    for code in GAJI_ELEMENTS:
        lines[code] = t.line(
            f"{kind}.{code}",
            month.gaji.lines[code] if code in komponen else zero,
            inputs={f"{code}_bulan_ini": month.gaji.lines[code]},
            params=[p.thr_komponen],
        )
    share = tpp_share_bp(p, kind)
    basis = f.tpp_pagu if p.thr_tpp_basis.value == "pagu" else month.tpp.tpp
    lines["tpp"] = t.line(
        f"{kind}.tpp",
        pct_floor(basis, share),
        inputs={"dasar_tpp": basis},
        params=[p.thr_tpp_bp.at(share), p.thr_tpp_basis, p.thr_komponen],
    )
    gaji_part = as_amount(sum(lines[c] for c in GAJI_ELEMENTS))
    tax = tax_on_top(f, p, t, kind, month, gaji_part, lines["tpp"])
    pph, tunjangan = tax.pph21, tax.tunjangan_pph
    lines["tunjangan_pph"] = tunjangan
    bruto = gaji_part + lines["tpp"] + tunjangan
    net = bruto - pph
    bersih = round_up_100(net)
    lines["pembulatan"] = t.line(f"{kind}.pembulatan", bersih - net, inputs={"bersih_sebelum_pembulatan": net})
    lines["pph21"] = pph
    year = YearShare(gaji_part, lines["tpp"] + tax.taxed_tunjangan, tax.pph_gaji, tax.pph_tpp, gaji_part * 0)
    return ExtraSlip(lines, bruto, pph, bersih, year)
