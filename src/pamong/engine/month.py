"""One month for a batch: the gaji slip, the TPP slip and the employer's premiums. December (spec rule 9) is the
same month with the year-to-date totals (`ytd`), which turn PPh 21 into the annual recomputation."""

from __future__ import annotations

from dataclasses import dataclass

from pamong.engine.facts import Facts, Ytd
from pamong.engine.gaji import GajiSlip, gaji_slip
from pamong.engine.params import EngineParams
from pamong.engine.rounding import Amount
from pamong.engine.tpp import TppSlip, tpp_slip
from pamong.engine.trace import NullTracer, Tracer


@dataclass(frozen=True)
class YearShare:
    """What one payment adds to the year's PPh 21 totals (the December recomputation's `ytd`): PPh bruto and tax
    withheld, on the gaji side and the TPP side, and the iuran pensiun paid (spec rule 9)."""

    bruto_gaji: Amount
    bruto_tpp: Amount
    pph_gaji: Amount
    pph_tpp: Amount
    iuran_pensiun: Amount


@dataclass(frozen=True)
class Month:
    gaji: GajiSlip
    tpp: TppSlip
    pemberi_kerja: dict[str, Amount]  # bpjs_kesehatan (gaji + TPP), jkk, jkm


def compute_month(facts: Facts, params: EngineParams, tracer: Tracer | None = None, ytd: Ytd | None = None) -> Month:
    """January–November without `ytd`; December with it (one row per person, the same order as `facts`)."""
    t = tracer if tracer is not None else NullTracer()
    if ytd is not None and ytd.size != facts.size:
        raise ValueError(f"ytd: {ytd.size} baris, facts {facts.size} baris")
    gaji = gaji_slip(facts, params, t, ytd)
    tpp = tpp_slip(facts, params, t, gaji, ytd)
    bpjs = t.line(
        "pemberi_kerja.bpjs_kesehatan",
        gaji.bpjs_pemberi_kerja + tpp.bpjs_pemberi_kerja,
        inputs={"gaji": gaji.bpjs_pemberi_kerja, "tpp": tpp.bpjs_pemberi_kerja},
    )
    return Month(gaji, tpp, {"bpjs_kesehatan": bpjs, "jkk": gaji.jkk, "jkm": gaji.jkm})


def gaji_year_share(m: Month) -> YearShare:
    zero = m.gaji.bruto_pph21 * 0
    return YearShare(m.gaji.bruto_pph21, zero, m.gaji.lines["pph21"], zero, m.gaji.lines["iuran_taspen"])


def tpp_year_share(m: Month) -> YearShare:
    zero = m.gaji.bruto_pph21 * 0
    return YearShare(zero, m.tpp.bruto_pph21_total - m.gaji.bruto_pph21, zero, m.tpp.lines["pph21"], zero)
