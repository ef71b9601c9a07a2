"""Engine parameters: the national parameters in force on a date (pamong.rules.params) and the region's policy,
turned into integers, basis points and lookup arrays. Each carries its name, the date it took effect and its legal
reference, so the trace can name it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from pamong.engine.facts import DISCIPLINE_BANDS
from pamong.engine.rounding import Amount
from pamong.engine.trace import ParamUse
from pamong.rules.params import InForce, ParameterError, params_in_force

# PPh 21 on TPP (payroll-rules.md §5.3): withheld from the employee at the marginal rate; borne by the region as a
# tunjangan PPh equal to the tax (like DTP on gaji, no gross-up); or grossed up (the tunjangan is itself taxed).
MARGINAL, DITANGGUNG, GROSS_UP = "marginal", "ditanggung_pemda", "gross_up"
SUPPORTED_TPP_METHODS = (MARGINAL, DITANGGUNG, GROSS_UP)
# Where the discipline cuts fall (§6.4): on the disiplin part only, or on the whole TPP (both parts).
DISIPLIN_PART, WHOLE_TPP = "disiplin_part", "whole_tpp"
SUPPORTED_CUT_APPLIES_TO = (DISIPLIN_PART, WHOLE_TPP)
THR_TPP_BASES = ("pagu", "tpp_bulan")


class Unsupported(ValueError):
    """A rule or policy the engine does not implement yet."""


@dataclass(frozen=True)
class Policy:
    """The regional choices a case (or a Perwali pack) gives; percentages in basis points."""

    tpp_weight_kinerja_bp: int
    tpp_weight_disiplin_bp: int
    discipline_cut_bp: dict[str, int]  # per band in DISCIPLINE_BANDS
    discipline_cut_applies_to: str
    tunjangan_anak_max_children: int
    pph21_bruto_includes_employer_premiums: bool
    pph21_tpp_method: str
    # optional choices (defaults = the spec's rules)
    discipline_cut_rp: dict[str, int] = field(default_factory=dict)  # fixed rupiah per occurrence/day, per band
    discipline_cut_max_bp: int = 10000  # the percentage cut is capped here
    pph21_pppk_gaji_dtp: bool = False  # PPh on PPPK gaji borne by the government like PNS (§5.3: unconfirmed)
    # THR / gaji-13: the share of one month's TPP paid with them (None = not set: such a run is refused)
    thr_tpp_bp: int | None = None
    gaji13_tpp_bp: int | None = None
    thr_tpp_basis: str = "pagu"  # "pagu" or "tpp_bulan" (the month's TPP after cuts)
    pppk_umum_group: dict[str, str] = field(default_factory=dict)  # PPPK golongan → tunjangan umum group I..IV
    # where each choice came from (policy field → the pack parameter, its date and reference) for the trace; a
    # choice without an entry came from the case file
    provenance: dict[str, ParamUse] = field(default_factory=dict)


@dataclass(frozen=True)
class GajiTable:
    """Gaji pokok as a dense array: rows = scheme:golongan keys, columns = MKG years 0..max (value of the largest
    table MKG ≤ the year; -1 where the golongan has no step yet)."""

    keys: dict[str, int]  # "PNS:III/b" / "PPPK:IX" → row
    values: Amount  # shape (rows, max_mkg + 1)


@dataclass(frozen=True)
class EngineParams:
    on: dt.date
    gaji_pokok_pns: ParamUse
    gaji_pokok_pppk: ParamUse
    gaji_table: GajiTable
    cpns_bp: ParamUse
    istri_suami_bp: ParamUse
    anak_bp: ParamUse
    anak_max: ParamUse
    umum: ParamUse  # {"I": 175000, ...}
    struktural: ParamUse  # {"III.a": 1260000, ...}
    beras_per_jiwa: ParamUse  # rupiah = kg × harga
    taspen_bp: ParamUse  # pensiun + tht
    bpjs_peserta_bp: ParamUse
    bpjs_pemberi_kerja_bp: ParamUse
    bpjs_cap: ParamUse
    jkk_bp: ParamUse
    jkm_bp: ParamUse
    ter_kategori: ParamUse  # {"K/2": "B", ...}
    ter_bulanan: ParamUse  # {"A": [{upto, rate_bp}, ...]}
    ter_bands: dict[str, tuple[Amount, Amount]]  # category → (inclusive upper bounds, rates bp)
    tpp_weight_kinerja_bp: ParamUse
    tpp_weight_disiplin_bp: ParamUse
    discipline_cut_bp: ParamUse  # value: {band: bp}
    discipline_cut_vector: Amount  # the same, int64 in DISCIPLINE_BANDS order
    discipline_cut_rp: ParamUse  # value: {band: rupiah}
    discipline_cut_rp_vector: Amount
    discipline_cut_max_bp: ParamUse
    discipline_cut_applies_to: ParamUse
    pph21_pppk_gaji_dtp: ParamUse
    thr_komponen: ParamUse  # {komponen: [gaji line codes], tpp_maks: bp}
    thr_tpp_bp: ParamUse  # {"thr": bp | None, "gaji13": bp | None}
    thr_tpp_basis: ParamUse
    pppk_umum_group: ParamUse  # {"IX": "III", ...}
    pph21_includes_premiums: ParamUse
    pph21_tpp_method: ParamUse
    # December (spec rule 9): the annual recomputation
    pasal17: ParamUse  # [{upto, rate_bp}, ...], upper bounds inclusive
    pasal17_bands: tuple[Amount, Amount]  # (lower, upper) bound per band; no upper limit = int64 max
    pasal17_rates: Amount  # rate bp per band
    biaya_jabatan: ParamUse  # {tarif, maks_per_bulan, maks_per_tahun}
    ptkp: ParamUse  # {wajib_pajak, kawin, tanggungan, ...}
    ptkp_tanggungan: ParamUse  # {max_dependants}
    ptkp_amounts: dict[str, int]  # "K/2" → 67 500 000


_NO_LIMIT = np.iinfo(np.int64).max


def _use(found: dict[str, InForce], name: str, value: Any = None) -> ParamUse:
    if name not in found:
        raise ParameterError(f"parameter '{name}' tidak berlaku pada tanggal ini")
    f = found[name]
    return ParamUse(name, f.value if value is None else value, f.since, f.parameter.reference, unit=f.parameter.unit)


def _policy_unit(name: str) -> str | None:
    return "basis_points" if name.endswith("_bp") else "rupiah" if name.endswith("_rp") else None


def _policy_use(policy: Policy, name: str, value: Any) -> ParamUse:
    """A regional choice as a parameter: from the pack it came from, or from the case."""
    unit = _policy_unit(name)
    if name in policy.provenance:
        return replace(policy.provenance[name], value=value, unit=unit)
    reference = ({"title": "Kebijakan daerah (policy kasus / Perwali)"},)
    return ParamUse(f"kebijakan.{name}", value, None, reference, "kasus", unit)


def _gaji_table(pns: dict[str, dict[int, int]], pppk: dict[str, dict[int, int]]) -> GajiTable:
    rows = [(f"PNS:{g}", steps) for g, steps in pns.items()] + [(f"PPPK:{g}", steps) for g, steps in pppk.items()]
    max_mkg = max(int(m) for _, steps in rows for m in steps)
    values = np.full((len(rows), max_mkg + 1), -1, dtype=np.int64)
    for r, (_, steps) in enumerate(rows):
        for mkg, amount in sorted((int(m), int(a)) for m, a in steps.items()):
            values[r, mkg:] = amount  # later (larger) steps overwrite from their first year on
    return GajiTable({key: r for r, (key, _) in enumerate(rows)}, values)


def _ter_bands(table: dict[str, list[dict[str, int | None]]]) -> dict[str, tuple[Amount, Amount]]:
    bands = {}
    for cat, rows in table.items():
        upto = np.array([_NO_LIMIT if r["upto"] is None else r["upto"] for r in rows], dtype=np.int64)
        rate = np.array([r["rate_bp"] for r in rows], dtype=np.int64)
        bands[cat] = (upto, rate)
    return bands


def _pasal17_bands(rows: list[dict[str, int | None]]) -> tuple[tuple[Amount, Amount], Amount]:
    upper = np.array([_NO_LIMIT if r["upto"] is None else r["upto"] for r in rows], dtype=np.int64)
    lower = np.concatenate([np.zeros(1, dtype=np.int64), upper[:-1]])
    return (lower, upper), np.array([r["rate_bp"] for r in rows], dtype=np.int64)


def _ptkp_amounts(ptkp: dict[str, int], max_dependants: int) -> dict[str, int]:
    """PTKP setahun per status code: wajib pajak + kawin (K) + tanggungan × dependants (at most the maximum)."""
    amounts = {}
    for status in ("TK", "K"):
        for n in range(max_dependants + 1):
            kawin = int(ptkp["kawin"]) if status == "K" else 0
            amounts[f"{status}/{n}"] = int(ptkp["wajib_pajak"]) + kawin + int(ptkp["tanggungan"]) * n
    return amounts


def build_params(on: dt.date, policy: Policy) -> EngineParams:
    """The parameters for a month whose payment date is `on`."""
    if policy.pph21_tpp_method not in SUPPORTED_TPP_METHODS:
        raise Unsupported(
            f"policy.pph21_tpp_method: metode '{policy.pph21_tpp_method}' belum didukung "
            f"(yang didukung: {', '.join(SUPPORTED_TPP_METHODS)})"
        )
    if policy.discipline_cut_applies_to not in SUPPORTED_CUT_APPLIES_TO:
        raise Unsupported(
            f"policy.discipline_cut_applies_to: '{policy.discipline_cut_applies_to}' belum didukung "
            f"(yang didukung: {', '.join(SUPPORTED_CUT_APPLIES_TO)})"
        )
    if policy.thr_tpp_basis not in THR_TPP_BASES:
        raise Unsupported(
            f"policy.thr_tpp_basis: '{policy.thr_tpp_basis}' tidak dikenal (pilih: {', '.join(THR_TPP_BASES)})"
        )
    found = params_in_force(on)

    def _policy(name: str, value: Any) -> ParamUse:
        return _policy_use(policy, name, value)

    cuts = {b: policy.discipline_cut_bp.get(b, 0) for b in DISCIPLINE_BANDS}
    cuts_rp = {b: policy.discipline_cut_rp.get(b, 0) for b in DISCIPLINE_BANDS}
    pns = _use(found, "gaji/pokok_pns")
    pppk = _use(found, "gaji/pokok_pppk")
    beras = _use(found, "tunjangan/beras")
    taspen = _use(found, "iuran/taspen")
    bpjs = _use(found, "iuran/bpjs_kesehatan")
    ter = _use(found, "pph21/ter_bulanan")
    pasal17 = _use(found, "pph21/pasal17")
    pasal17_bands, pasal17_rates = _pasal17_bands(pasal17.value)
    ptkp = _use(found, "pph21/ptkp")
    tanggungan = _use(found, "pph21/ptkp_tanggungan")
    return EngineParams(
        on=on,
        gaji_pokok_pns=pns,
        gaji_pokok_pppk=pppk,
        gaji_table=_gaji_table(pns.value["table"], pppk.value["table"]),
        cpns_bp=_use(found, "gaji/cpns_persen"),
        istri_suami_bp=_use(found, "tunjangan/istri_suami"),
        anak_bp=_use(found, "tunjangan/anak"),
        anak_max=_policy("tunjangan_anak_max_children", policy.tunjangan_anak_max_children),
        umum=_use(found, "tunjangan/umum"),
        struktural=_use(found, "tunjangan/jabatan_struktural"),
        beras_per_jiwa=beras.at(int(beras.value["kg_per_jiwa"]) * int(beras.value["harga_per_kg"])),
        taspen_bp=taspen.at(sum(int(v) for v in taspen.value.values())),
        bpjs_peserta_bp=bpjs.at(int(bpjs.value["peserta"])),
        bpjs_pemberi_kerja_bp=bpjs.at(int(bpjs.value["pemberi_kerja"])),
        bpjs_cap=bpjs.at(int(bpjs.value["batas_atas_upah"])),
        jkk_bp=_use(found, "iuran/jkk"),
        jkm_bp=_use(found, "iuran/jkm"),
        ter_kategori=_use(found, "pph21/ter_kategori"),
        ter_bulanan=ter,
        ter_bands=_ter_bands(ter.value),
        tpp_weight_kinerja_bp=_policy("tpp_weight_kinerja_bp", policy.tpp_weight_kinerja_bp),
        tpp_weight_disiplin_bp=_policy("tpp_weight_disiplin_bp", policy.tpp_weight_disiplin_bp),
        discipline_cut_bp=_policy("discipline_cut_bp", cuts),
        discipline_cut_vector=np.array([cuts[b] for b in DISCIPLINE_BANDS], dtype=np.int64),
        discipline_cut_rp=_policy("discipline_cut_rp", cuts_rp),
        discipline_cut_rp_vector=np.array([cuts_rp[b] for b in DISCIPLINE_BANDS], dtype=np.int64),
        discipline_cut_max_bp=_policy("discipline_cut_max_bp", policy.discipline_cut_max_bp),
        discipline_cut_applies_to=_policy("discipline_cut_applies_to", policy.discipline_cut_applies_to),
        pph21_pppk_gaji_dtp=_policy("pph21_pppk_gaji_dtp", policy.pph21_pppk_gaji_dtp),
        thr_komponen=_use(found, "thr/komponen"),
        thr_tpp_bp=_policy("thr_tpp_bp", {"thr": policy.thr_tpp_bp, "gaji13": policy.gaji13_tpp_bp}),
        thr_tpp_basis=_policy("thr_tpp_basis", policy.thr_tpp_basis),
        pppk_umum_group=_policy("pppk_umum_group", policy.pppk_umum_group),
        pph21_includes_premiums=_policy(
            "pph21_bruto_includes_employer_premiums", policy.pph21_bruto_includes_employer_premiums
        ),
        pph21_tpp_method=_policy("pph21_tpp_method", policy.pph21_tpp_method),
        pasal17=pasal17,
        pasal17_bands=pasal17_bands,
        pasal17_rates=pasal17_rates,
        biaya_jabatan=_use(found, "pph21/biaya_jabatan"),
        ptkp=ptkp,
        ptkp_tanggungan=tanggungan,
        ptkp_amounts=_ptkp_amounts(ptkp.value, int(tanggungan.value["max_dependants"])),
    )
