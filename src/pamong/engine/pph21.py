"""PPh 21. January–November: TER (PP 58/2023) on the month's bruto, category by PTKP status, upper bounds inclusive.
December (spec rule 9): the annual tax by Pasal 17 on PKP = bruto setahun − biaya jabatan − iuran pensiun − PTKP."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from pamong.engine.facts import Codes, Facts
from pamong.engine.params import EngineParams
from pamong.engine.rounding import Amount, as_amount, floor_1000, pct_floor
from pamong.engine.trace import ParamUse, Tracer


class UnknownCode(ValueError):
    pass


def lookup(codes: Codes, mapping: Mapping[str, object], what: str) -> np.ndarray:
    """Map every code through `mapping` (once per distinct code, not per person)."""
    uniq, inverse = np.unique(codes, return_inverse=True)
    missing = [str(c) for c in uniq if str(c) not in mapping]
    if missing:
        raise UnknownCode(f"{what}: kode tidak dikenal: {', '.join(missing)} (dikenal: {', '.join(map(str, mapping))})")
    return np.array([mapping[str(c)] for c in uniq])[inverse.reshape(codes.shape)]


def ter_category(facts: Facts, p: EngineParams) -> Codes:
    return lookup(facts.ptkp, p.ter_kategori.value, "ptkp").astype(np.str_)


def ter_rate_bp(bruto: Amount, category: Codes, p: EngineParams) -> Amount:
    """The TER rate of the band whose inclusive upper bound is the first ≥ bruto, per person's category."""
    rate = np.zeros(bruto.shape, dtype=np.int64)
    for cat, (upto, rates) in p.ter_bands.items():
        band = np.searchsorted(upto, bruto, side="left")  # first upto ≥ bruto: inclusive upper bounds
        rate = np.where(category == cat, rates[np.minimum(band, len(rates) - 1)], rate)
    return as_amount(rate)


def ter_tax(bruto: Amount, category: Codes, p: EngineParams) -> tuple[Amount, list[ParamUse]]:
    """PPh 21 TER on `bruto` floored to Rp1, with the parameters used (per-person category and rate)."""
    rate = ter_rate_bp(bruto, category, p)
    return pct_floor(bruto, rate), [p.ter_kategori.at(category), p.ter_bulanan.at(rate)]


def ptkp_setahun(facts: Facts, p: EngineParams, t: Tracer, prefix: str) -> Amount:
    """PTKP setahun per person from the status code (wajib pajak + kawin + tanggungan × dependants)."""
    amount = lookup(facts.ptkp, p.ptkp_amounts, "ptkp").astype(np.int64)
    return t.line(
        f"{prefix}.ptkp_setahun", as_amount(amount), inputs={"ptkp": facts.ptkp}, params=[p.ptkp, p.ptkp_tanggungan]
    )


def pasal17_tax(pkp: Amount, p: EngineParams) -> Amount:
    """Pasal 17 ayat (1) huruf a on PKP, band by band (each band's percentage floored to Rp1 on its own)."""
    lower, upper = p.pasal17_bands
    in_band = np.clip(pkp[..., None] - lower, 0, upper - lower)  # shape (n, bands)
    return as_amount(pct_floor(in_band, p.pasal17_rates).sum(axis=-1))


def annual_tax(
    facts: Facts,
    p: EngineParams,
    t: Tracer,
    prefix: str,
    bruto: Amount,
    pensiun: Amount,
    months: Amount,
) -> Amount:
    """The annual PPh 21 on `bruto` setahun (spec rule 9). Biaya jabatan is 5 % of bruto, at most the monthly maximum
    × months worked in the year and at most the annual maximum; PKP is floored to Rp1.000 and never negative."""
    bj = p.biaya_jabatan.value
    cap = np.minimum(int(bj["maks_per_bulan"]) * months, int(bj["maks_per_tahun"]))
    biaya = t.line(
        f"{prefix}.biaya_jabatan_setahun",
        as_amount(np.minimum(pct_floor(bruto, int(bj["tarif"])), cap)),
        inputs={"bruto_setahun": bruto, "bulan": months, "batas": cap},
        params=[p.biaya_jabatan],
    )
    ptkp = ptkp_setahun(facts, p, t, prefix)
    neto = bruto - biaya - pensiun
    pkp = t.line(
        f"{prefix}.pkp_setahun",
        floor_1000(np.maximum(neto - ptkp, 0)),
        inputs={"neto_setahun": neto, "iuran_pensiun_setahun": pensiun, "ptkp_setahun": ptkp},
    )
    return t.line(f"{prefix}.pph21_setahun", pasal17_tax(pkp, p), inputs={"pkp_setahun": pkp}, params=[p.pasal17])
