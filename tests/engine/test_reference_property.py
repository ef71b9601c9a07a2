"""The vectorised engine equals the scalar reference (tests/engine/reference.py) line by line, for random employees
and random regional policies (spec rules 1–9 and docs/payroll-engine.md §1–§4): one person at a time through
`simulate()`, and a whole random batch at once through the engine API. THR / gaji-13 and rapel (doc §5–§6) are in
test_reference_extra.py."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pamong.engine import Facts, NullTracer, Policy, Tracer, Ytd, build_params, compute_month
from pamong.engine.simulate import month_output, simulate
from pamong.rules.params import params_in_force
from tests.engine import reference

BANDS = reference.BANDS
_ON = dt.date(2025, 1, 1)
_FOUND = params_in_force(_ON)
PNS_TABLE: dict[str, dict[int, int]] = {
    str(g): {int(m): int(a) for m, a in s.items()} for g, s in _FOUND["gaji/pokok_pns"].value["table"].items()
}
PPPK_TABLE: dict[str, dict[int, int]] = {
    str(g): {int(m): int(a) for m, a in s.items()} for g, s in _FOUND["gaji/pokok_pppk"].value["table"].items()
}
ESELONS = sorted(str(e) for e in _FOUND["tunjangan/jabatan_struktural"].value)
SANCTIONS = ("ringan", "sedang", "berat")
METHODS = reference.METHODS


# PAMONG_PROPERTY_SCALE=20 multiplies every example count, for a long hunt outside CI
SCALE = int(os.environ.get("PAMONG_PROPERTY_SCALE", "1"))


def examples(n: int) -> settings:
    return settings(max_examples=n * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def pct_text(bp: int) -> str:
    """Basis points as a decimal-string percent with at most two decimals ("0.5", "87.35", "100")."""
    return str(Decimal(bp) / 100)


@st.composite
def employees(draw: st.DrawFn) -> dict[str, Any]:
    status = draw(st.sampled_from(["PNS", "CPNS", "PPPK"]))
    table = PPPK_TABLE if status == "PPPK" else PNS_TABLE
    golongan = draw(st.sampled_from(sorted(table)))
    mkg = draw(st.integers(min(table[golongan]), 40))
    kinds = ["struktural", "fungsional"] if status == "PPPK" else ["pelaksana", "struktural", "fungsional"]
    jenis = draw(st.sampled_from(kinds))
    jabatan: dict[str, Any] = {"jenis": jenis}
    if jenis == "struktural":
        jabatan["eselon"] = draw(st.sampled_from(ESELONS))
    elif jenis == "fungsional":
        jabatan["tunjangan_fungsional"] = draw(st.integers(0, 6_000_000))
    spouse = draw(
        st.sampled_from([None, {"is_pns": False, "allowance_here": True}, {"is_pns": True, "allowance_here": False}])
    )
    children = draw(st.integers(0, 5))
    dependants = draw(st.integers(0, min(children, 3)))
    ptkp = f"{'TK' if spouse is None else 'K'}/{dependants}"
    return {
        "employee": {
            "status": status,
            "golongan": golongan,
            "mkg_years": mkg,
            "jabatan": jabatan,
            "spouse": spouse,
            "children_eligible": children,
            "ptkp": ptkp,
            "tpp_pagu": draw(st.integers(0, 30_000_000)),
        },
        "performance": {"capaian_pct": pct_text(draw(st.integers(0, 12_000)))},
        "discipline": {b: c for b in BANDS if (c := draw(st.integers(0, 10)))},
        "sanction": draw(st.sampled_from([None, None, *SANCTIONS])),
        "penghargaan": draw(st.sampled_from([0, 0, 0, 250_000, 1_000_000, draw(st.integers(0, 20_000_000))])),
    }


@st.composite
def policies(draw: st.DrawFn, methods: tuple[str, ...] = METHODS) -> dict[str, Any]:
    """A policy with the spec's keys and, each maybe absent (then the default applies), the doc §1 options."""
    kinerja = draw(st.integers(0, 10_000))
    pol: dict[str, Any] = {
        "tpp_weight_kinerja_pct": pct_text(kinerja),
        "tpp_weight_disiplin_pct": pct_text(10_000 - kinerja),
        "discipline_cut_pct": {b: pct_text(draw(st.integers(0, 1_000))) for b in BANDS},
        "discipline_cut_applies_to": draw(st.sampled_from(["disiplin_part", "whole_tpp"])),
        "tunjangan_anak_max_children": draw(st.integers(1, 3)),
        "pph21_bruto_includes_employer_premiums": draw(st.booleans()),
        "pph21_tpp_method": draw(st.sampled_from(methods)),
        # the sanction table is always there (a person's `sanction` picks from it)
        "sanction_cut_pct": {s: pct_text(draw(st.integers(0, 10_000))) for s in SANCTIONS},
    }
    if draw(st.booleans()):
        pol["discipline_cut_rp"] = {b: draw(st.sampled_from([0, 0, 50_000, 200_000, 1_234_567])) for b in BANDS}
    if draw(st.booleans()):
        pol["discipline_cut_max_pct"] = pct_text(draw(st.integers(0, 10_000)))
    if draw(st.booleans()):
        pol["pph21_pppk_gaji_dtp"] = draw(st.booleans())
    return pol


months_jan_nov = st.builds(lambda y, m: f"{y}-{m:02d}", st.sampled_from([2024, 2025]), st.integers(1, 11))
periods = st.one_of(months_jan_nov, st.sampled_from(["2024-12", "2025-12"]))


@st.composite
def ytds(draw: st.DrawFn) -> dict[str, int]:
    months = draw(st.integers(0, 11))
    bruto_gaji = draw(st.integers(0, months * 25_000_000))
    return {
        "months": months,
        "bruto_gaji": bruto_gaji,
        "bruto_total": bruto_gaji + draw(st.integers(0, months * 40_000_000)),
        "pph21_gaji_withheld": draw(st.integers(0, months * 1_500_000)),
        "pph21_tpp_withheld": draw(st.integers(0, months * 5_000_000)),
        "iuran_pensiun": draw(st.integers(0, months * 800_000)),
    }


def bp(text: str) -> int:
    return int(Decimal(text) * 100)


def engine_policy(pol: dict[str, Any]) -> Policy:
    return Policy(
        tpp_weight_kinerja_bp=bp(pol["tpp_weight_kinerja_pct"]),
        tpp_weight_disiplin_bp=bp(pol["tpp_weight_disiplin_pct"]),
        discipline_cut_bp={b: bp(v) for b, v in pol["discipline_cut_pct"].items()},
        discipline_cut_applies_to=pol["discipline_cut_applies_to"],
        tunjangan_anak_max_children=pol["tunjangan_anak_max_children"],
        pph21_bruto_includes_employer_premiums=pol["pph21_bruto_includes_employer_premiums"],
        pph21_tpp_method=pol["pph21_tpp_method"],
        discipline_cut_rp=dict(pol.get("discipline_cut_rp", {})),
        discipline_cut_max_bp=bp(pol.get("discipline_cut_max_pct", "100")),
        pph21_pppk_gaji_dtp=pol.get("pph21_pppk_gaji_dtp", False),
    )


def sanction_bp(person: dict[str, Any], pol: dict[str, Any]) -> int:
    code = person.get("sanction")
    return 0 if code is None else bp(pol["sanction_cut_pct"][code])


def engine_facts(people: list[dict[str, Any]], pol: dict[str, Any]) -> Facts:
    """Facts for a batch, built straight from the case dicts (not through the simulate command's parser)."""
    emps = [p["employee"] for p in people]
    jenis_code = {"pelaksana": 0, "struktural": 1, "fungsional": 2}

    def i64(values: list[int]) -> np.ndarray:
        return np.array(values, dtype=np.int64)

    return Facts(
        status=np.array([{"PNS": 0, "CPNS": 1, "PPPK": 2}[e["status"]] for e in emps], dtype=np.int8),
        golongan=np.array([e["golongan"] for e in emps]),
        mkg_years=i64([e["mkg_years"] for e in emps]),
        jabatan=np.array([jenis_code[e["jabatan"]["jenis"]] for e in emps], dtype=np.int8),
        eselon=np.array([e["jabatan"].get("eselon", "") for e in emps]),
        tunjangan_fungsional=i64([e["jabatan"].get("tunjangan_fungsional", 0) for e in emps]),
        spouse_here=np.array([e["spouse"] is not None and e["spouse"]["allowance_here"] for e in emps], dtype=bool),
        children_eligible=i64([e["children_eligible"] for e in emps]),
        ptkp=np.array([e["ptkp"] for e in emps]),
        tpp_pagu=i64([e["tpp_pagu"] for e in emps]),
        capaian_bp=i64([bp(p["performance"]["capaian_pct"]) for p in people]),
        discipline=np.array([[p["discipline"].get(b, 0) for b in BANDS] for p in people], dtype=np.int64).reshape(
            len(people), len(BANDS)
        ),
        sanction_cut_bp=i64([sanction_bp(p, pol) for p in people]),
        penghargaan=i64([p.get("penghargaan", 0) for p in people]),
    )


def engine_ytd(rows: list[dict[str, int]]) -> Ytd:
    return Ytd(**{k: np.array([r[k] for r in rows], dtype=np.int64) for k in rows[0]})


def check_batch(
    period: str, policy: dict[str, Any], people: list[dict[str, Any]], ytd: list[dict[str, int]] | None, *, traced
) -> None:
    on = reference.period_date(period)
    month = compute_month(
        engine_facts(people, policy),
        build_params(on, engine_policy(policy)),
        Tracer() if traced else NullTracer(),
        None if ytd is None else engine_ytd(ytd),
    )
    for i, person in enumerate(people):
        case = {"period": period, "policy": policy, **person, "ytd": None if ytd is None else ytd[i]}
        assert month_output(month, i) == reference.month(case), (i, person)


def case_of(period: str, policy: dict[str, Any], person: dict[str, Any], ytd: dict[str, int] | None):
    return {"name": "property", "period": period, "policy": policy, **person, "ytd": ytd}


@examples(300)
@given(period=periods, policy=policies(), person=employees(), ytd=ytds(), traced=st.booleans())
def test_simulate_equals_reference_for_one_employee(period, policy, person, ytd, traced):
    """Through `simulate()`: the case parser, the policy's optional keys and the case's `sanction` included."""
    case = case_of(period, policy, person, ytd if period.endswith("-12") else None)
    out = simulate(case, trace=traced)
    assert {k: out[k] for k in ("gaji", "tpp", "pemberi_kerja")} == reference.simulate(case)


@examples(80)
@given(
    period=periods,
    policy=policies(),
    people=st.lists(st.tuples(employees(), ytds()), min_size=1, max_size=30),
    traced=st.booleans(),
)
def test_engine_batch_equals_reference_row_by_row(period, policy, people, traced):
    december = period.endswith("-12")
    check_batch(period, policy, [p for p, _ in people], [y for _, y in people] if december else None, traced=traced)


@examples(100)
@given(
    period=periods,
    policy=policies(methods=("gross_up",)),
    person=employees(),
    ytd=ytds(),
    pagu=st.integers(20_000_000, 400_000_000),
)
def test_gross_up_with_large_tpp(period, policy, person, ytd, pagu):
    """Gross-up far up the TER and Pasal 17 bands (more rounds to the fixed point), January–December."""
    person = {**person, "employee": {**person["employee"], "tpp_pagu": pagu}}
    check_batch(period, policy, [person], [ytd] if period.endswith("-12") else None, traced=False)


def test_pct_text_has_at_most_two_decimals():
    assert [pct_text(b) for b in (0, 50, 100, 8735, 10_000, 12_000, 5)] == [
        "0",
        "0.5",
        "1",
        "87.35",
        "100",
        "120",
        "0.05",
    ]


TER_BOUNDS = sorted({int(r["upto"]) for rows in _FOUND["pph21/ter_bulanan"].value.values() for r in rows if r["upto"]})
MARGINAL_POLICY = {
    "tpp_weight_kinerja_pct": "100",
    "tpp_weight_disiplin_pct": "0",
    "discipline_cut_pct": {},
    "discipline_cut_applies_to": "disiplin_part",
    "tunjangan_anak_max_children": 2,
    "pph21_bruto_includes_employer_premiums": False,
    "pph21_tpp_method": "marginal",
}


@examples(150)
@given(
    period=months_jan_nov,
    person=employees(),
    bound=st.sampled_from(TER_BOUNDS),
    offset=st.sampled_from([-1, 0, 1]),
    method=st.sampled_from(METHODS),
)
def test_engine_equals_reference_at_ter_band_bounds(period, person, bound, offset, method):
    """TPP chosen so the PPh 21 bruto (gaji + TPP) lands on a TER band's upper bound, or Rp1 either side of it."""
    policy = {**MARGINAL_POLICY, "pph21_tpp_method": method}
    alone = {**person, "performance": {"capaian_pct": "100"}, "discipline": {}, "sanction": None}
    lines = reference.month(
        case_of(period, policy, {**alone, "employee": {**person["employee"], "tpp_pagu": 0}}, None)
    )["gaji"]["lines"]
    gaji_bruto = sum(lines[k] for k in reference.GAJI_EARNED)
    pagu = max(bound + offset - gaji_bruto, 0)
    check_batch(period, policy, [{**alone, "employee": {**person["employee"], "tpp_pagu": pagu}}], None, traced=False)
