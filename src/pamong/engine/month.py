"""One month (January–November) for a batch: the gaji slip, the TPP slip and the employer's premiums."""

from __future__ import annotations

from dataclasses import dataclass

from pamong.engine.facts import Facts
from pamong.engine.gaji import GajiSlip, gaji_slip
from pamong.engine.params import EngineParams
from pamong.engine.rounding import Amount
from pamong.engine.tpp import TppSlip, tpp_slip
from pamong.engine.trace import NullTracer, Tracer


@dataclass(frozen=True)
class Month:
    gaji: GajiSlip
    tpp: TppSlip
    pemberi_kerja: dict[str, Amount]  # bpjs_kesehatan (gaji + TPP), jkk, jkm


def compute_month(facts: Facts, params: EngineParams, tracer: Tracer | None = None) -> Month:
    t = tracer if tracer is not None else NullTracer()
    gaji = gaji_slip(facts, params, t)
    tpp = tpp_slip(facts, params, t, gaji)
    bpjs = t.line(
        "pemberi_kerja.bpjs_kesehatan",
        gaji.bpjs_pemberi_kerja + tpp.bpjs_pemberi_kerja,
        inputs={"gaji": gaji.bpjs_pemberi_kerja, "tpp": tpp.bpjs_pemberi_kerja},
    )
    return Month(gaji, tpp, {"bpjs_kesehatan": bpjs, "jkk": gaji.jkk, "jkm": gaji.jkm})
