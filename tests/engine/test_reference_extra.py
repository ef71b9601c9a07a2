"""THR, gaji-13 and rapel (docs/payroll-engine.md §5–§6): `simulate(case)` equals the scalar reference
(tests/engine/reference.py) line by line, for random employees, policies (all three TPP methods) and, for rapel,
random months before the period and random `paid` overrides of mkg_years / golongan / tpp_pagu."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pamong.engine.simulate import simulate
from tests.engine import reference
from tests.engine.test_reference_property import PNS_TABLE, PPPK_TABLE, employees, pct_text, policies

EXTRA = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
jan_nov = st.builds(lambda y, m: f"{y}-{m:02d}", st.sampled_from([2024, 2025]), st.integers(1, 11))


def compare(case: dict[str, Any]) -> dict[str, Any]:
    want = reference.simulate(case)
    got = simulate(case)
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


@EXTRA
@given(case=thr_cases())
def test_thr_and_gaji13_equal_reference(case):
    compare(case)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=thr_cases(), pagu=st.integers(20_000_000, 300_000_000))
def test_thr_gross_up_with_large_tpp(case, pagu):
    case["policy"]["pph21_tpp_method"] = "gross_up"
    case["employee"]["tpp_pagu"] = pagu
    compare(case)


@st.composite
def rapel_cases(draw: st.DrawFn) -> dict[str, Any]:
    # rapel months back to 2024-01 at most (the national tables start there)
    period = draw(st.builds(lambda y, m: f"{y}-{m:02d}", st.sampled_from([2024, 2025]), st.integers(1, 11)))
    earliest = reference.shift(period, -1) if period == "2024-01" else period
    back = draw(st.lists(st.integers(1, 4), min_size=1, max_size=4, unique=True))
    months = [reference.shift(period, -k) for k in back]
    assume(period != "2024-01" and earliest and all(m >= "2024-01" for m in months))
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
    if emp["jabatan"]["jenis"] == "pelaksana" and "golongan" in paid:
        # tunjangan umum by the golongan group: keep PNS/CPNS pelaksana
        pass
    return {
        "name": "property",
        "kind": "rapel",
        "period": period,
        "policy": draw(policies()),
        **person,
        "rapel": {"months": months, "paid": paid},
    }


@EXTRA
@given(case=rapel_cases())
def test_rapel_equals_reference(case):
    compare(case)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
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
