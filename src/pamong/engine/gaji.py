"""The monthly gaji slip: income lines, Taspen, BPJS Kesehatan (gaji share), employer premiums, PPh 21 (TER in
January–November, the annual recomputation in December) with the DTP tunjangan PPh for PNS/CPNS, and the Rp100
pembulatan. Spec rules 1–7 and 9."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pamong.engine.facts import CPNS, FUNGSIONAL, PELAKSANA, PNS, PPPK, STRUKTURAL, Facts, Ytd
from pamong.engine.params import EngineParams, Unsupported
from pamong.engine.pph21 import annual_tax, lookup, ter_category, ter_tax
from pamong.engine.rounding import Amount, as_amount, pct_floor, round_up_100
from pamong.engine.trace import ParamUse, Tracer

# PPh 21 on the gaji of these statuses is borne by the government (DTP): tunjangan_pph = pph21 (spec rule 6).
DTP_STATUSES = (PNS, CPNS)
TASPEN_STATUSES = (PNS, CPNS)

INCOME = (
    "gaji_pokok",
    "tunjangan_istri_suami",
    "tunjangan_anak",
    "tunjangan_umum",
    "tunjangan_jabatan_struktural",
    "tunjangan_jabatan_fungsional",
    "tunjangan_beras",
    "tunjangan_pph",
)
DEDUCTIONS = ("iuran_taspen", "iuran_bpjs_kesehatan", "pph21")


class FactsOutOfTable(ValueError):
    pass


@dataclass(frozen=True)
class GajiSlip:
    lines: dict[str, Amount]  # INCOME + ("pembulatan",) + DEDUCTIONS
    bruto: Amount  # penghasilan kotor: income lines without pembulatan
    potongan: Amount
    bersih: Amount  # rounded up to Rp100
    bpjs_base: Amount  # the gaji part of the BPJS Kesehatan wage base (before the cap)
    bpjs_pemberi_kerja: Amount
    jkk: Amount
    jkm: Amount
    bruto_pph21: Amount
    ter_category: np.ndarray
    # December only (spec rule 9): the annual tax on gaji-only income and the year's iuran pensiun
    pph21_setahun: Amount | None = None
    iuran_pensiun_setahun: Amount | None = None


def gaji_tax_borne(f: Facts, p: EngineParams) -> np.ndarray:
    """Whose PPh 21 on gaji the government bears (DTP): PNS and CPNS, and PPPK when the region's flag says so."""
    return np.isin(f.status, DTP_STATUSES) | ((f.status == PPPK) & p.pph21_pppk_gaji_dtp.value)


def only(mask: np.ndarray, value: object) -> np.ndarray:
    """A per-person parameter value where `mask` holds, None elsewhere (the trace leaves None out)."""
    out = np.full(mask.shape, None, dtype=object)
    out[mask] = np.broadcast_to(np.asarray(value, dtype=object), mask.shape)[mask]
    return out


def gaji_pokok(f: Facts, p: EngineParams, t: Tracer) -> Amount:
    """Rule 1: table value at the largest table MKG ≤ mkg_years; CPNS 80 %."""
    scheme = np.where(f.status == PPPK, "PPPK:", "PNS:")
    row = lookup(np.char.add(scheme, f.golongan), p.gaji_table.keys, "golongan").astype(np.int64)
    table = p.gaji_table.values
    full = table[row, np.minimum(f.mkg_years, table.shape[1] - 1)]
    if (full < 0).any():
        bad = np.flatnonzero(full < 0)
        raise FactsOutOfTable(f"mkg_years: di bawah langkah pertama tabel gaji pokok (baris {bad.tolist()})")
    cpns = f.status == CPNS
    result = np.where(cpns, pct_floor(full, p.cpns_bp.value), full)
    pppk = f.status == PPPK
    return t.line(
        "gaji.gaji_pokok",
        result,
        inputs={"status": f.status, "golongan": f.golongan, "mkg_years": f.mkg_years},
        params=[
            p.gaji_pokok_pns.at(only(~pppk, full)),
            p.gaji_pokok_pppk.at(only(pppk, full)),
            p.cpns_bp.at(only(cpns, p.cpns_bp.value)),
        ],
    )


def tunjangan_istri_suami(f: Facts, p: EngineParams, t: Tracer, gp: Amount) -> Amount:
    result = np.where(f.spouse_here, pct_floor(gp, p.istri_suami_bp.value), 0)
    return t.line(
        "gaji.tunjangan_istri_suami",
        as_amount(result),
        inputs={"gaji_pokok": gp, "spouse_here": f.spouse_here},
        params=[p.istri_suami_bp],
    )


def children_paid(f: Facts, p: EngineParams) -> Amount:
    return np.minimum(f.children_eligible, p.anak_max.value)


def tunjangan_anak(f: Facts, p: EngineParams, t: Tracer, gp: Amount) -> Amount:
    paid = children_paid(f, p)
    per_child = pct_floor(gp, p.anak_bp.value)  # 2 % floored, then × children
    return t.line(
        "gaji.tunjangan_anak",
        paid * per_child,
        inputs={"gaji_pokok": gp, "children_eligible": f.children_eligible, "children_paid": paid},
        params=[p.anak_bp, p.anak_max],
    )


def tunjangan_umum(f: Facts, p: EngineParams, t: Tracer) -> Amount:
    """Perpres 12/2006 by golongan group, for a pelaksana. A PPPK pelaksana takes the group the region's pack maps
    its PPPK golongan to (Perpres 98/2020 Pasal 4 gives PPPK the PNS tunjangan; no national table maps the
    golongan), and is refused where the pack has no mapping."""
    pelaksana = f.jabatan == PELAKSANA
    pppk = pelaksana & (f.status == PPPK)
    mapping = p.pppk_umum_group.value
    if pppk.any():
        unmapped = sorted({str(g) for g in f.golongan[pppk]} - set(mapping))
        if unmapped:
            raise Unsupported(
                f"employee.jabatan: tunjangan umum PPPK pelaksana golongan {', '.join(unmapped)} belum didukung "
                "(paket daerah tidak memetakan golongan PPPK ke golongan tunjangan umum)"
            )
    group = np.char.partition(f.golongan, "/")[..., 0]  # "III/b" → "III"
    if pppk.any():
        group = np.where(pppk, lookup(np.where(pppk, f.golongan, next(iter(mapping))), mapping, "golongan"), group)
    amounts = {str(k): int(v) for k, v in p.umum.value.items()}
    per_group = lookup(np.where(pelaksana, group, next(iter(amounts))), amounts, "golongan").astype(np.int64)
    result = np.where(pelaksana, per_group, 0)
    return t.line(
        "gaji.tunjangan_umum",
        as_amount(result),
        inputs={"golongan": f.golongan, "jabatan": f.jabatan},
        params=[p.umum.at(only(pelaksana, result)), p.pppk_umum_group.at(only(pppk, group))],
    )


def tunjangan_jabatan_struktural(f: Facts, p: EngineParams, t: Tracer) -> Amount:
    struktural = f.jabatan == STRUKTURAL
    amounts = {str(k): int(v) for k, v in p.struktural.value.items()}
    per_eselon = lookup(np.where(struktural, f.eselon, next(iter(amounts))), amounts, "eselon").astype(np.int64)
    result = np.where(struktural, per_eselon, 0)
    return t.line(
        "gaji.tunjangan_jabatan_struktural",
        as_amount(result),
        inputs={"eselon": f.eselon, "jabatan": f.jabatan},
        params=[p.struktural.at(only(struktural, result))],
    )


def tunjangan_jabatan_fungsional(f: Facts, p: EngineParams, t: Tracer) -> Amount:
    result = np.where(f.jabatan == FUNGSIONAL, f.tunjangan_fungsional, 0)
    return t.line(
        "gaji.tunjangan_jabatan_fungsional",
        as_amount(result),
        inputs={"tunjangan_fungsional": f.tunjangan_fungsional, "jabatan": f.jabatan},
        params=[
            ParamUse(
                "jabatan.tunjangan_fungsional",
                f.tunjangan_fungsional,
                None,
                ({"title": "Jumlah menurut Perpres tunjangan JF yang berlaku (diberikan kasus)"},),
                "kasus",
            )
        ],
    )


def tunjangan_beras(f: Facts, p: EngineParams, t: Tracer) -> Amount:
    persons = 1 + f.spouse_here.astype(np.int64) + children_paid(f, p)
    return t.line(
        "gaji.tunjangan_beras",
        persons * p.beras_per_jiwa.value,
        inputs={"jiwa": persons},
        params=[p.beras_per_jiwa, p.anak_max],
    )


def iuran_taspen(f: Facts, p: EngineParams, t: Tracer, gp: Amount, keluarga: Amount) -> Amount:
    """Rule 3: 8 % (pensiun 4,75 + THT 3,25) of gaji pokok + family allowances, floored once; PNS/CPNS only."""
    base = gp + keluarga
    result = np.where(np.isin(f.status, TASPEN_STATUSES), pct_floor(base, p.taspen_bp.value), 0)
    return t.line(
        "gaji.iuran_taspen", as_amount(result), inputs={"dasar": base, "status": f.status}, params=[p.taspen_bp]
    )


def bpjs_share(base: Amount, p: EngineParams, rate: ParamUse) -> Amount:
    """A share of BPJS Kesehatan on min(base, cap)."""
    return pct_floor(np.minimum(base, p.bpjs_cap.value), rate.value)


def december_gaji_tax(
    f: Facts, p: EngineParams, t: Tracer, ytd: Ytd, bruto_pph: Amount, taspen: Amount
) -> tuple[Amount, Amount, Amount]:
    """Rule 9: (December PPh = annual tax on gaji-only income − gaji tax withheld Jan–Nov, the annual tax, the
    year's iuran pensiun). A negative amount is a refund."""
    bruto = t.line(
        "gaji.bruto_pph21_setahun",
        ytd.bruto_gaji + bruto_pph,
        inputs={"ytd_bruto_gaji": ytd.bruto_gaji, "bruto_pph21_desember": bruto_pph},
    )
    pensiun = t.line(
        "gaji.iuran_pensiun_setahun",
        ytd.iuran_pensiun + taspen,
        inputs={"ytd_iuran_pensiun": ytd.iuran_pensiun, "iuran_taspen_desember": taspen},
    )
    annual = annual_tax(f, p, t, "gaji", bruto, pensiun, ytd.months + 1)
    pph = t.line(
        "gaji.pph21",
        annual - ytd.pph21_gaji_withheld,
        inputs={"pph21_setahun": annual, "ytd_pph21_gaji_withheld": ytd.pph21_gaji_withheld},
    )
    return pph, annual, pensiun


def gaji_slip(f: Facts, p: EngineParams, t: Tracer, ytd: Ytd | None = None) -> GajiSlip:
    """The gaji slip; with `ytd` (December) the PPh 21 is the annual recomputation instead of TER."""
    gp = gaji_pokok(f, p, t)
    istri = tunjangan_istri_suami(f, p, t, gp)
    anak = tunjangan_anak(f, p, t, gp)
    umum = tunjangan_umum(f, p, t)
    struktural = tunjangan_jabatan_struktural(f, p, t)
    fungsional = tunjangan_jabatan_fungsional(f, p, t)
    beras = tunjangan_beras(f, p, t)
    keluarga = istri + anak
    taspen = iuran_taspen(f, p, t, gp, keluarga)

    # Rule 4: wage base = gaji pokok + family + (tunjangan jabatan or tunjangan umum)
    bpjs_base = gp + keluarga + umum + struktural + fungsional
    capped = {"dasar": bpjs_base}
    bpjs = t.line(
        "gaji.iuran_bpjs_kesehatan",
        bpjs_share(bpjs_base, p, p.bpjs_peserta_bp),
        inputs=capped,
        params=[p.bpjs_peserta_bp, p.bpjs_cap],
    )
    bpjs_er = t.line(
        "gaji.bpjs_kesehatan_pemberi_kerja",
        bpjs_share(bpjs_base, p, p.bpjs_pemberi_kerja_bp),
        inputs=capped,
        params=[p.bpjs_pemberi_kerja_bp, p.bpjs_cap],
    )
    # Rule 5
    jkk = t.line("pemberi_kerja.jkk", pct_floor(gp, p.jkk_bp.value), inputs={"gaji_pokok": gp}, params=[p.jkk_bp])
    jkm = t.line("pemberi_kerja.jkm", pct_floor(gp, p.jkm_bp.value), inputs={"gaji_pokok": gp}, params=[p.jkm_bp])

    # Rule 6: bruto for PPh = income without tunjangan_pph/pembulatan (+ employer premiums if the policy says so)
    income = gp + istri + anak + umum + struktural + fungsional + beras
    premiums = np.where(p.pph21_includes_premiums.value, bpjs_er + jkk + jkm, 0)
    bruto_pph = t.line(
        "gaji.bruto_pph21",
        as_amount(income + premiums),
        inputs={"penghasilan": income, "premi_pemberi_kerja": premiums},
        params=[p.pph21_includes_premiums],
    )
    category = ter_category(f, p)
    annual: Amount | None = None
    pensiun: Amount | None = None
    if ytd is None:
        tax, used = ter_tax(bruto_pph, category, p)
        pph = t.line("gaji.pph21", tax, inputs={"bruto_pph21": bruto_pph, "ptkp": f.ptkp}, params=used)
    else:
        pph, annual, pensiun = december_gaji_tax(f, p, t, ytd, bruto_pph, taspen)
    tunj_pph = t.line(
        "gaji.tunjangan_pph",
        as_amount(np.where(gaji_tax_borne(f, p), pph, 0)),
        inputs={"pph21": pph, "status": f.status},
        params=[p.pph21_pppk_gaji_dtp.at(only(f.status == PPPK, p.pph21_pppk_gaji_dtp.value))],
    )

    bruto = income + tunj_pph
    potongan = taspen + bpjs + pph
    net = bruto - potongan
    bersih = round_up_100(net)
    pembulatan = t.line("gaji.pembulatan", bersih - net, inputs={"bersih_sebelum_pembulatan": net})
    lines = {
        "gaji_pokok": gp,
        "tunjangan_istri_suami": istri,
        "tunjangan_anak": anak,
        "tunjangan_umum": umum,
        "tunjangan_jabatan_struktural": struktural,
        "tunjangan_jabatan_fungsional": fungsional,
        "tunjangan_beras": beras,
        "tunjangan_pph": tunj_pph,
        "pembulatan": pembulatan,
        "iuran_taspen": taspen,
        "iuran_bpjs_kesehatan": bpjs,
        "pph21": pph,
    }
    return GajiSlip(lines, bruto, potongan, bersih, bpjs_base, bpjs_er, jkk, jkm, bruto_pph, category, annual, pensiun)
