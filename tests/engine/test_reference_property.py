"""The vectorised engine equals the scalar reference (tests/engine/reference.py) line by line, for random employees
and random regional policies, one person at a time and a whole random batch at once (spec rules 1–8)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pamong.engine import Facts, Month, NullTracer, Policy, Tracer, build_params, compute_month
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


SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


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
    }


@st.composite
def policies(draw: st.DrawFn) -> dict[str, Any]:
    kinerja = draw(st.integers(0, 10_000))
    return {
        "tpp_weight_kinerja_pct": pct_text(kinerja),
        "tpp_weight_disiplin_pct": pct_text(10_000 - kinerja),
        "discipline_cut_pct": {b: pct_text(draw(st.integers(0, 1_000))) for b in BANDS},
        "discipline_cut_applies_to": "disiplin_part",
        "tunjangan_anak_max_children": draw(st.integers(1, 3)),
        "pph21_bruto_includes_employer_premiums": draw(st.booleans()),
        "pph21_tpp_method": "marginal",
    }


periods = st.builds(lambda y, m: f"{y}-{m:02d}", st.sampled_from([2024, 2025]), st.integers(1, 11))


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
    )


def engine_facts(people: list[dict[str, Any]]) -> Facts:
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
    )


def row(m: Month, i: int) -> dict[str, Any]:
    def ints(lines: dict[str, np.ndarray]) -> dict[str, int]:
        return {k: int(v[i]) for k, v in lines.items()}

    return {
        "gaji": {"lines": ints(m.gaji.lines), "bersih": int(m.gaji.bersih[i])},
        "tpp": {"lines": ints(m.tpp.lines), "bruto": int(m.tpp.bruto[i]), "bersih": int(m.tpp.bersih[i])},
        "pemberi_kerja": ints(m.pemberi_kerja),
    }


def check(period: str, policy: dict[str, Any], people: list[dict[str, Any]], *, traced: bool) -> None:
    on = reference.period_date(period)
    month = compute_month(
        engine_facts(people), build_params(on, engine_policy(policy)), Tracer() if traced else NullTracer()
    )
    for i, person in enumerate(people):
        want = reference.month({"period": period, "policy": policy, **person})
        assert row(month, i) == want, (i, person)


@SETTINGS
@given(period=periods, policy=policies(), person=employees())
def test_engine_equals_reference_for_one_employee(period: str, policy: dict[str, Any], person: dict[str, Any]):
    check(period, policy, [person], traced=False)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(period=periods, policy=policies(), people=st.lists(employees(), min_size=1, max_size=40), traced=st.booleans())
def test_engine_batch_equals_reference_row_by_row(
    period: str, policy: dict[str, Any], people: list[dict[str, Any]], traced: bool
):
    check(period, policy, people, traced=traced)


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


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(period=periods, person=employees(), bound=st.sampled_from(TER_BOUNDS), offset=st.sampled_from([-1, 0, 1]))
def test_engine_equals_reference_at_ter_band_bounds(period: str, person: dict[str, Any], bound: int, offset: int):
    """TPP chosen so the PPh 21 bruto (gaji + TPP) lands on a TER band's upper bound, or Rp1 either side of it."""
    policy = {
        "tpp_weight_kinerja_pct": "100",
        "tpp_weight_disiplin_pct": "0",
        "discipline_cut_pct": {},
        "discipline_cut_applies_to": "disiplin_part",
        "tunjangan_anak_max_children": 2,
        "pph21_bruto_includes_employer_premiums": False,
        "pph21_tpp_method": "marginal",
    }
    alone = {"period": period, "policy": policy, **person, "performance": {"capaian_pct": "100"}, "discipline": {}}
    lines = reference.month({**alone, "employee": {**person["employee"], "tpp_pagu": 0}})["gaji"]["lines"]
    gaji_bruto = sum(v for k, v in lines.items() if k in reference.GAJI_INCOME and k != "tunjangan_pph")
    pagu = max(bound + offset - gaji_bruto, 0)
    check(period, policy, [{**alone, "employee": {**person["employee"], "tpp_pagu": pagu}}], traced=False)
