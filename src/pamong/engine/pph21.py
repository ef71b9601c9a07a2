"""PPh 21 January–November: TER (PP 58/2023) on the month's bruto, category by PTKP status, upper bounds inclusive."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from pamong.engine.facts import Codes, Facts
from pamong.engine.params import EngineParams
from pamong.engine.rounding import Amount, as_amount, pct_floor
from pamong.engine.trace import ParamUse


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
