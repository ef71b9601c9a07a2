"""The monthly TPP slip: kinerja and disiplin parts, the TPP share of BPJS Kesehatan, and PPh 21 by the marginal
method — TER in January–November, the annual recomputation in December (spec rules 4, 6, 8 and 9). The TPP slip is
not rounded."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pamong.engine.facts import Facts, Ytd
from pamong.engine.gaji import GajiSlip, bpjs_share
from pamong.engine.params import EngineParams
from pamong.engine.pph21 import annual_tax, ter_tax
from pamong.engine.rounding import BP, Amount, as_amount, pct_floor
from pamong.engine.trace import Tracer


@dataclass(frozen=True)
class TppSlip:
    lines: dict[str, Amount]
    bruto: Amount
    potongan: Amount
    bersih: Amount
    bpjs_pemberi_kerja: Amount  # the TPP share of the employer's BPJS Kesehatan


def tpp_kinerja(f: Facts, p: EngineParams, t: Tracer) -> Amount:
    """(weight_kinerja % × pagu) × capaian %, each percentage floored to Rp1."""
    part = pct_floor(f.tpp_pagu, p.tpp_weight_kinerja_bp.value)
    return t.line(
        "tpp.tpp_kinerja",
        pct_floor(part, f.capaian_bp),
        inputs={"tpp_pagu": f.tpp_pagu, "bagian_kinerja": part, "capaian_bp": f.capaian_bp},
        params=[p.tpp_weight_kinerja_bp],
    )


def tpp_disiplin(f: Facts, p: EngineParams, t: Tracer) -> Amount:
    """(weight_disiplin % × pagu) × (100 − Σ count × cut %) %, the cut capped at 100 %."""
    part = pct_floor(f.tpp_pagu, p.tpp_weight_disiplin_bp.value)
    cut = np.minimum(f.discipline @ p.discipline_cut_vector, BP)
    return t.line(
        "tpp.tpp_disiplin",
        pct_floor(part, BP - cut),
        inputs={"tpp_pagu": f.tpp_pagu, "bagian_disiplin": part, "potongan_bp": cut},
        params=[p.tpp_weight_disiplin_bp, p.discipline_cut_bp],
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


def tpp_slip(f: Facts, p: EngineParams, t: Tracer, gaji: GajiSlip, ytd: Ytd | None = None) -> TppSlip:
    """The TPP slip; with `ytd` (December) the PPh 21 is the annual recomputation instead of TER."""
    kinerja = tpp_kinerja(f, p, t)
    disiplin = tpp_disiplin(f, p, t)
    bruto = kinerja + disiplin

    # Rule 4: the TPP share = the share of min(gaji base + TPP, cap) minus the gaji slip's share
    base = gaji.bpjs_base + bruto
    inputs = {"dasar_gaji": gaji.bpjs_base, "tpp_bruto": bruto}
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

    # Rule 6 (marginal): TER on gaji bruto + TPP bruto (+ TPP share of employer BPJS) minus the gaji tax
    premium = np.where(p.pph21_includes_premiums.value, bpjs_er, 0)
    total = t.line(
        "tpp.bruto_pph21_total",
        as_amount(gaji.bruto_pph21 + bruto + premium),
        inputs={"bruto_pph21_gaji": gaji.bruto_pph21, "tpp_bruto": bruto, "premi_pemberi_kerja": premium},
        params=[p.pph21_includes_premiums],
    )
    if ytd is None:
        tax_total, used = ter_tax(total, gaji.ter_category, p)
        pph = t.line(
            "tpp.pph21",
            tax_total - gaji.lines["pph21"],
            inputs={"bruto_pph21_total": total, "pph21_total": tax_total, "pph21_gaji": gaji.lines["pph21"]},
            params=[*used, p.pph21_tpp_method],
        )
    else:
        pph = december_tpp_tax(f, p, t, ytd, gaji, total)
    potongan = bpjs + pph
    lines = {"tpp_kinerja": kinerja, "tpp_disiplin": disiplin, "iuran_bpjs_kesehatan": bpjs, "pph21": pph}
    return TppSlip(lines, bruto, potongan, bruto - potongan, bpjs_er)
