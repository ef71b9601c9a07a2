"""The monthly TPP slip: kinerja and disiplin parts with the discipline and sanction cuts, the TPP share of BPJS
Kesehatan, and PPh 21 — TER in January–November, the annual recomputation in December (spec rules 4, 6, 8 and 9) —
withheld at the marginal rate, borne by the region, or grossed up (payroll-rules.md §5.3). The TPP slip is not
rounded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from pamong.engine.facts import Facts, Ytd
from pamong.engine.gaji import GajiSlip, bpjs_share
from pamong.engine.params import DISIPLIN_PART, DITANGGUNG, GROSS_UP, EngineParams
from pamong.engine.pph21 import annual_tax, ter_tax
from pamong.engine.rounding import BP, Amount, as_amount, pct_floor
from pamong.engine.trace import NullTracer, Tracer

GROSS_UP_MAX_ROUNDS = 100


class GrossUpDiverged(ArithmeticError):
    pass


@dataclass(frozen=True)
class TppSlip:
    lines: dict[str, Amount]
    bruto: Amount
    potongan: Amount
    bersih: Amount
    bpjs_pemberi_kerja: Amount  # the TPP share of the employer's BPJS Kesehatan
    tpp: Amount  # kinerja + disiplin − sanction cut: what the region pays before any tunjangan PPh
    bruto_pph21_total: Amount  # the month's PPh bruto of gaji and TPP together (THR and rapel are taxed on top)


def tpp_parts(f: Facts, p: EngineParams, t: Tracer) -> tuple[Amount, Amount]:
    """Rule 8 with the region's cut choices. Kinerja = (weight_kinerja % × pagu) × capaian %; disiplin = weight_disiplin
    % × pagu. The percentage cut Σ count × cut % (capped) falls on the disiplin part, or on both parts when the
    region cuts the whole TPP; a fixed-rupiah cut per occurrence comes off the disiplin part first, then kinerja.
    Each percentage is floored to Rp1 on its own."""
    bagian_kinerja = pct_floor(f.tpp_pagu, p.tpp_weight_kinerja_bp.value)
    bagian_disiplin = pct_floor(f.tpp_pagu, p.tpp_weight_disiplin_bp.value)
    kinerja = pct_floor(bagian_kinerja, f.capaian_bp)
    cut_bp = np.minimum(f.discipline @ p.discipline_cut_vector, p.discipline_cut_max_bp.value)
    cut_rp = as_amount(f.discipline @ p.discipline_cut_rp_vector)
    whole = p.discipline_cut_applies_to.value != DISIPLIN_PART
    if whole:
        kinerja = pct_floor(kinerja, BP - cut_bp)
    disiplin = pct_floor(bagian_disiplin, BP - cut_bp)
    rest = np.maximum(cut_rp - disiplin, 0)  # what the disiplin part cannot carry of the rupiah cut
    disiplin = np.maximum(disiplin - cut_rp, 0)
    if whole:
        kinerja = np.maximum(kinerja - rest, 0)
    cut_params = [p.discipline_cut_bp, p.discipline_cut_rp, p.discipline_cut_max_bp, p.discipline_cut_applies_to]
    kinerja = t.line(
        "tpp.tpp_kinerja",
        as_amount(kinerja),
        inputs={"tpp_pagu": f.tpp_pagu, "bagian_kinerja": bagian_kinerja, "capaian_bp": f.capaian_bp}
        | ({"potongan_bp": cut_bp, "potongan_rupiah_sisa": rest} if whole else {}),
        params=[p.tpp_weight_kinerja_bp, *(cut_params if whole else [])],
    )
    disiplin = t.line(
        "tpp.tpp_disiplin",
        as_amount(disiplin),
        inputs={
            "tpp_pagu": f.tpp_pagu,
            "bagian_disiplin": bagian_disiplin,
            "potongan_bp": cut_bp,
            "potongan_rupiah": cut_rp,
        },
        params=[p.tpp_weight_disiplin_bp, *cut_params],
    )
    return kinerja, disiplin


def sanction_cut(f: Facts, t: Tracer, tpp: Amount) -> Amount:
    """The running disciplinary sanction's cut (PP 94/2021: pemotongan tunjangan kinerja) on the TPP after the
    discipline cuts, floored to Rp1. The percentage comes with the facts, from the region's sanction table."""
    sanction = as_amount(f.sanction_cut_bp if f.sanction_cut_bp is not None else 0)
    return t.line(
        "tpp.potongan_hukuman_disiplin",
        pct_floor(tpp, sanction),
        inputs={"tpp_setelah_potongan_disiplin": tpp, "potongan_hukuman_disiplin_bp": sanction},
    )


def december_tpp_tax(f: Facts, p: EngineParams, t: Tracer, ytd: Ytd, gaji: GajiSlip, total: Amount) -> Amount:
    """Rule 9: annual tax on all income − annual tax on gaji-only income − TPP tax withheld Jan–Nov (negative =
    refund)."""
    if gaji.pph21_setahun is None or gaji.iuran_pensiun_setahun is None:
        raise ValueError("tpp_slip: Desember memerlukan slip gaji yang dihitung dengan ytd yang sama")
    bruto = t.line(
        "tpp.bruto_pph21_setahun",
        ytd.bruto_total + total,
        inputs={"ytd_bruto_total": ytd.bruto_total, "bruto_pph21_total_desember": total},
    )
    annual = annual_tax(f, p, t, "tpp", bruto, gaji.iuran_pensiun_setahun, ytd.months + 1)
    return t.line(
        "tpp.pph21",
        annual - gaji.pph21_setahun - ytd.pph21_tpp_withheld,
        inputs={
            "pph21_setahun_total": annual,
            "pph21_setahun_gaji": gaji.pph21_setahun,
            "ytd_pph21_tpp_withheld": ytd.pph21_tpp_withheld,
        },
        params=[p.pph21_tpp_method],
    )


def tpp_tax(
    f: Facts, p: EngineParams, t: Tracer, gaji: GajiSlip, ytd: Ytd | None, base: Amount, tunjangan: Amount
) -> Amount:
    """The TPP's PPh 21 when the PPh bruto is `base` (gaji + TPP + premiums) plus a tunjangan PPh: TER on the total
    minus the gaji tax (January–November), or the December recomputation."""
    total = t.line(
        "tpp.bruto_pph21_total",
        as_amount(base + tunjangan),
        inputs={"bruto_pph21_tanpa_tunjangan_pph": base, "tunjangan_pph": tunjangan},
    )
    if ytd is not None:
        return december_tpp_tax(f, p, t, ytd, gaji, total)
    tax_total, used = ter_tax(total, gaji.ter_category, p)
    return t.line(
        "tpp.pph21",
        tax_total - gaji.lines["pph21"],
        inputs={"bruto_pph21_total": total, "pph21_total": tax_total, "pph21_gaji": gaji.lines["pph21"]},
        params=[*used, p.pph21_tpp_method],
    )


def gross_up(tax: Callable[[Amount, Tracer], Amount], start: Amount) -> Amount:
    """The tunjangan PPh T with T = tax(T): iterate from 0. tax() is non-decreasing in T and grows by less than T
    does (rates < 100 %), so the sequence is monotone and bounded and stops at the least fixed point."""
    current = start
    for _ in range(GROSS_UP_MAX_ROUNDS):
        nxt = tax(current, NullTracer())
        if np.array_equal(nxt, current):
            return current
        current = nxt
    raise GrossUpDiverged(f"gross-up PPh TPP tidak konvergen dalam {GROSS_UP_MAX_ROUNDS} putaran")


def tpp_slip(f: Facts, p: EngineParams, t: Tracer, gaji: GajiSlip, ytd: Ytd | None = None) -> TppSlip:
    """The TPP slip; with `ytd` (December) the PPh 21 is the annual recomputation instead of TER."""
    kinerja, disiplin = tpp_parts(f, p, t)
    hukdis = sanction_cut(f, t, kinerja + disiplin)
    tpp = kinerja + disiplin - hukdis  # what the region pays before any tunjangan PPh: the BPJS wage part
    # an award by decree: income of the month (taxed with the TPP) but not part of the BPJS wage base
    award = t.line("tpp.penghargaan", as_amount(f.penghargaan if f.penghargaan is not None else np.zeros_like(tpp)))

    # Rule 4: the TPP share = the share of min(gaji base + TPP, cap) minus the gaji slip's share
    base = gaji.bpjs_base + tpp
    inputs = {"dasar_gaji": gaji.bpjs_base, "tpp": tpp}
    bpjs = t.line(
        "tpp.iuran_bpjs_kesehatan",
        bpjs_share(base, p, p.bpjs_peserta_bp) - gaji.lines["iuran_bpjs_kesehatan"],
        inputs=inputs,
        params=[p.bpjs_peserta_bp, p.bpjs_cap],
    )
    bpjs_er = t.line(
        "tpp.bpjs_kesehatan_pemberi_kerja",
        bpjs_share(base, p, p.bpjs_pemberi_kerja_bp) - gaji.bpjs_pemberi_kerja,
        inputs=inputs,
        params=[p.bpjs_pemberi_kerja_bp, p.bpjs_cap],
    )

    # Rule 6: PPh bruto = gaji bruto + TPP (+ TPP share of employer BPJS when premiums are income)
    premium = np.where(p.pph21_includes_premiums.value, bpjs_er, 0)
    pph_base = t.line(
        "tpp.bruto_pph21_tanpa_tunjangan_pph",
        as_amount(gaji.bruto_pph21 + tpp + award + premium),
        inputs={"bruto_pph21_gaji": gaji.bruto_pph21, "tpp": tpp, "penghargaan": award, "premi_pemberi_kerja": premium},
        params=[p.pph21_includes_premiums],
    )
    zero = np.zeros_like(tpp)
    method = p.pph21_tpp_method.value
    taxed = gross_up(lambda x, tr: tpp_tax(f, p, tr, gaji, ytd, pph_base, x), zero) if method == GROSS_UP else zero
    pph = tpp_tax(f, p, t, gaji, ytd, pph_base, taxed)
    tunjangan = t.line(
        "tpp.tunjangan_pph",
        as_amount(pph if method in (DITANGGUNG, GROSS_UP) else zero),
        inputs={"pph21": pph},
        params=[p.pph21_tpp_method],
    )
    bruto = tpp + award + tunjangan
    potongan = bpjs + pph
    lines = {
        "tpp_kinerja": kinerja,
        "tpp_disiplin": disiplin,
        "potongan_hukuman_disiplin": hukdis,
        "penghargaan": award,
        "tunjangan_pph": tunjangan,
        "iuran_bpjs_kesehatan": bpjs,
        "pph21": pph,
    }
    return TppSlip(lines, bruto, potongan, bruto - potongan, bpjs_er, tpp, pph_base + taxed)
