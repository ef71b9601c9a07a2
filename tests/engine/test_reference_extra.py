"""THR, gaji-13 and rapel (docs/payroll-engine.md §5–§6): `simulate(case)` equals the scalar reference
(tests/engine/reference.py) line by line, for random employees, policies (all three TPP methods) and, for rapel,
random months before the period and random `paid` overrides of mkg_years / golongan / tpp_pagu / jabatan. Also: both
refuse what the doc refuses, and the reference reproduces the hand-computed cases."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pamong.engine.simulate import ERRORS, simulate
from tests.engine import reference
from tests.engine.conftest import BASE_CASE, GOLDEN, load, walk
from tests.engine.test_december import YTD_01
from tests.engine.test_reference_property import (
    ESELONS,
    PNS_TABLE,
    PPPK_TABLE,
    employees,
    examples,
    pct_text,
    policies,
)

jan_nov = st.builds(lambda y, m: f"{y}-{m:02d}", st.sampled_from([2024, 2025]), st.integers(1, 11))


def compare(case: dict[str, Any], traced: bool = False) -> dict[str, Any]:
    want = reference.simulate(case)
    got = simulate(case, trace=traced)
    assert {k: got.get(k) for k in want} == want
    return got


@st.composite
def thr_cases(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["thr", "gaji13"]))
    policy = draw(policies())
    policy[f"{kind}_tpp_pct"] = pct_text(draw(st.integers(0, 10_000)))
    basis = draw(st.sampled_from([None, "pagu", "tpp_bulan"]))
    if basis is not None:
        policy["thr_tpp_basis"] = basis
    return {"name": "property", "kind": kind, "period": draw(jan_nov), "policy": policy, **draw(employees())}


@examples(200)
@given(case=thr_cases(), traced=st.booleans())
def test_thr_and_gaji13_equal_reference(case, traced):
    compare(case, traced)


@examples(100)
@given(case=thr_cases(), pagu=st.integers(20_000_000, 300_000_000))
def test_thr_gross_up_with_large_tpp(case, pagu):
    case["policy"]["pph21_tpp_method"] = "gross_up"
    case["employee"]["tpp_pagu"] = pagu
    compare(case)


@st.composite
def rapel_cases(draw: st.DrawFn) -> dict[str, Any]:
    """A payment month in 2024-05..2025-11 (so the months corrected, 1–4 back, are in force from 2024-01 on), and
    what was paid then: another golongan, MKG, TPP pagu and now and then another jabatan (replaced whole)."""
    period = draw(st.sampled_from([p for k in range(19) if not (p := reference.shift("2024-05", k)).endswith("-12")]))
    back = draw(st.lists(st.integers(1, 4), min_size=1, max_size=4, unique=True))
    person = draw(employees())
    emp = person["employee"]
    table = PPPK_TABLE if emp["status"] == "PPPK" else PNS_TABLE
    paid: dict[str, Any] = {}
    if draw(st.booleans()):
        paid["golongan"] = draw(st.sampled_from(sorted(table)))
    golongan = paid.get("golongan", emp["golongan"])
    if draw(st.booleans()) or min(table[golongan]) > emp["mkg_years"]:
        paid["mkg_years"] = draw(st.integers(min(table[golongan]), 40))
    if draw(st.booleans()):
        paid["tpp_pagu"] = draw(st.integers(0, 30_000_000))
    if draw(st.integers(0, 3)) == 0:
        kinds = ["struktural", "fungsional"] if emp["status"] == "PPPK" else ["pelaksana", "struktural", "fungsional"]
        jenis = draw(st.sampled_from(kinds))
        paid["jabatan"] = {"jenis": jenis} | (
            {"eselon": draw(st.sampled_from(ESELONS))}
            if jenis == "struktural"
            else {"tunjangan_fungsional": draw(st.integers(0, 6_000_000))}
            if jenis == "fungsional"
            else {}
        )
    return {
        "name": "property",
        "kind": "rapel",
        "period": period,
        "policy": draw(policies()),
        **person,
        "rapel": {"months": [reference.shift(period, -k) for k in back], "paid": paid},
    }


@examples(200)
@given(case=rapel_cases(), traced=st.booleans())
def test_rapel_equals_reference(case, traced):
    compare(case, traced)


@examples(100)
@given(case=rapel_cases())
def test_rapel_gross_up(case):
    case["policy"]["pph21_tpp_method"] = "gross_up"
    compare(case)


def test_rapel_of_nothing_changed_is_zero():
    """Paid = due: every difference is 0 and so is the tax on it."""
    case = {
        "name": "no change",
        "kind": "rapel",
        "period": "2025-03",
        "policy": {
            "tpp_weight_kinerja_pct": "60",
            "tpp_weight_disiplin_pct": "40",
            "discipline_cut_pct": {},
            "discipline_cut_applies_to": "disiplin_part",
            "tunjangan_anak_max_children": 2,
            "pph21_bruto_includes_employer_premiums": True,
            "pph21_tpp_method": "gross_up",
        },
        "employee": {
            "status": "PNS",
            "golongan": "III/b",
            "mkg_years": 8,
            "jabatan": {"jenis": "pelaksana"},
            "spouse": None,
            "children_eligible": 0,
            "ptkp": "TK/0",
            "tpp_pagu": 3_000_000,
        },
        "performance": {"capaian_pct": "100"},
        "discipline": {},
        "rapel": {"months": ["2024-12", "2025-01"], "paid": {"mkg_years": 8}},
    }
    out = compare(case)
    assert set(out["rapel"]["lines"].values()) == {0}
    assert out["rapel"]["bersih"] == 0


def _base_case(**changes: Any) -> dict[str, Any]:
    case = copy.deepcopy(BASE_CASE)
    case.update(changes)
    return case


@pytest.mark.parametrize(
    "case",
    [
        # doc §5: THR and gaji-13 in December are refused
        _base_case(kind="thr", period="2025-12", ytd=dict(YTD_01), policy=BASE_CASE["policy"] | {"thr_tpp_pct": "50"}),
        _base_case(
            kind="gaji13", period="2025-12", ytd=dict(YTD_01), policy=BASE_CASE["policy"] | {"gaji13_tpp_pct": "1"}
        ),
        # doc §1: the TPP share is required for that kind
        _base_case(kind="thr", period="2025-03"),
        # doc §3: tunjangan umum for a PPPK pelaksana is refused
        _base_case(employee=BASE_CASE["employee"] | {"status": "PPPK", "golongan": "IX"}),
        # doc §6: rapel months are before the period
        _base_case(kind="rapel", period="2025-03", rapel={"months": ["2025-03"], "paid": {}}),
    ],
    ids=["thr-december", "gaji13-december", "thr-without-share", "pppk-pelaksana", "rapel-not-before"],
)
def test_both_refuse(case):
    with pytest.raises((ValueError, KeyError)):
        reference.simulate(case)
    with pytest.raises(ERRORS):
        simulate(case)


HAND_CASES = sorted(Path(__file__).parent.glob("cases/*.json")) + sorted(GOLDEN.glob("*.json"))


@pytest.mark.parametrize("path", HAND_CASES, ids=[p.name for p in HAND_CASES])
def test_reference_reproduces_the_hand_computed_cases(path):
    """A third reading: the reference gives every amount the hand-computed (tests/engine/cases) and golden cases
    expect."""
    case = load(path)
    assert list(walk(case.get("expected", {}), reference.simulate(case))) == []
