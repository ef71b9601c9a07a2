"""Rater calibration (spec/performance-calibration.md) against the worked example of
reference/anchors-civic-fairness.md B.7, plus malformed input and properties of the least-squares fit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pamong.performance.engine.calibration import (
    CalibrationError,
    Rating,
    calibrate,
    calibrate_case,
    calibrate_pool,
)

# B.7: rows A, B, C (C lenient by +10); columns P1..P6
TABLE = {"A": [60, 66, 69, 75, 81, 84], "B": [61, 64, 71, 74, 79, 86], "C": [71, 74, 80, 86, 89, 95]}
INCOMPLETE = {"P1": "AB", "P2": "AC", "P3": "BC", "P4": "AB", "P5": "AC", "P6": "BC"}  # B.7.2


def crossed(table=TABLE):
    rows = [(r, f"P{i + 1}", v) for r, values in table.items() for i, v in enumerate(values)]
    return [r for r, _, _ in rows], [d for _, d, _ in rows], [v for _, _, v in rows]


def incomplete():
    rows = [(r, p, TABLE[r][int(p[1]) - 1]) for p, raters in INCOMPLETE.items() for r in raters]
    return [r for r, _, _ in rows], [d for _, d, _ in rows], [v for _, _, v in rows]


def test_crossed_design_b71_effects_reliability_and_fair_equals_raw():
    pool = calibrate_pool("semua", *crossed())
    assert pool.terhubung and pool.komponen == 1
    assert {k: round(v.efek, 6) for k, v in pool.penilai.items()} == {"A": -3.333333, "B": -3.333333, "C": 6.666667}
    for score in pool.dinilai.values():
        assert score.adil == pytest.approx(score.mentah, abs=1e-9)  # crossed: adjustment changes nothing
        assert score.n == 3
    assert pool.df_residu == 10
    assert pool.sd_residu == pytest.approx(1.095445, abs=1e-6)
    assert pool.tanda == []
    rel = pool.reliabilitas
    assert rel is not None
    assert rel.icc_a1 == pytest.approx(0.7096, abs=1e-4)  # pingouin 0.7.0 in B.7.1
    assert rel.icc_c1 == pytest.approx(0.9859, abs=1e-4)
    assert rel.alpha_interval == pytest.approx(0.6519, abs=1e-4)  # krippendorff 0.9.0 in B.7.1
    # standard error of a sum-to-zero effect in a crossed design: sd * sqrt((1 - 1/J) / n_j)
    assert pool.penilai["C"].galat_baku == pytest.approx(1.095445 * np.sqrt((2 / 3) / 6), abs=1e-6)
    assert pool.penilai["C"].efek_disusutkan == pytest.approx(6.666667 * 6 / 11, abs=1e-6)


def test_favouritism_b71_is_flagged_alone():
    table = {k: list(v) for k, v in TABLE.items()}
    table["A"][1] = 81  # A gives P2 +15
    pool = calibrate_pool("semua", *crossed(table))
    assert [(f.penilai, f.dinilai) for f in pool.tanda] == [("A", "P2")]
    assert pool.tanda[0].residu == pytest.approx(9.666667, abs=1e-6)
    assert pool.tanda[0].z == pytest.approx(2.30, abs=5e-3)
    assert pool.sd_residu == pytest.approx(4.207, abs=1e-3)
    assert pool.residu is not None and sorted(np.abs(pool.residu / pool.sd_residu))[-2] <= 1.15


def test_incomplete_connected_design_b72_restores_the_order():
    pool = calibrate_pool("semua", *incomplete())
    efek = {k: v.efek for k, v in pool.penilai.items()}
    assert efek == pytest.approx({"A": -2.666667, "B": -3.0, "C": 5.666667}, abs=1e-6)
    assert abs(efek["C"] - 5.6667) < 1e-4
    assert abs(sum(efek.values())) < 1e-12
    fair = {k: v.adil for k, v in pool.dinilai.items()}
    raw = {k: v.mentah for k, v in pool.dinilai.items()}
    assert fair == pytest.approx(
        {"P1": 63.333, "P2": 68.5, "P3": 74.167, "P4": 77.333, "P5": 83.5, "P6": 89.167}, abs=1e-3
    )
    assert raw["P3"] > raw["P4"] and fair["P4"] > fair["P3"]
    naive_c = np.mean([v for r, d, v in zip(*incomplete(), strict=True) if r == "C"]) - np.mean(incomplete()[2])
    assert naive_c == pytest.approx(8.5) and abs(naive_c - efek["C"]) > 2  # B.7.2: the naive offset over-corrects
    assert pool.df_residu == 4 and pool.sd_residu == pytest.approx(0.57735, abs=1e-5)
    assert pool.reliabilitas is not None
    assert pool.reliabilitas.icc_a1 is None and pool.reliabilitas.icc_c1 is None  # not fully crossed
    assert pool.reliabilitas.alpha_interval == pytest.approx(0.791861, abs=1e-6)


def test_disconnected_pool_is_not_adjusted():
    pool = calibrate_pool("puskesmas", ["D", "D", "E", "E"], ["Q1", "Q2", "Q3", "Q4"], [70, 75, 80, 85])
    assert not pool.terhubung and pool.komponen == 2
    assert pool.penilai == {} and pool.dinilai == {} and pool.reliabilitas is None
    out = calibrate_case({"penilaian": [{"penilai": r, "dinilai": d, "nilai": 1} for r, d in ("AX", "BY", "CZ")]})
    assert set(out["kelompok"]["semua"]) == {"terhubung", "komponen", "keterangan"}
    assert out["kelompok"]["semua"]["komponen"] == 3


def test_pools_are_computed_apart_and_a_pair_may_repeat_across_pools():
    rows = [Rating(r, d, v, "x") for r, d, v in zip(*incomplete(), strict=True)]
    rows += [Rating(r, d, v + 1, "y") for r, d, v in zip(*crossed(), strict=True)]
    pools = calibrate(rows)
    assert list(pools) == ["x", "y"]
    assert pools["x"].penilai["C"].efek == pytest.approx(5.666667, abs=1e-6)
    assert pools["y"].penilai["C"].efek == pytest.approx(6.666667, abs=1e-6)
    assert pools["y"].dinilai["P1"].adil == pytest.approx(65.0)


def test_flags_ordered_by_abs_z_then_rater_then_ratee():
    raters, ratees, values = [], [], []
    for j, r in enumerate("DCBA"):  # input order is not the output order
        for i in range(12):
            bump = 20 if (r, i) in {("A", 1), ("B", 2)} else 0
            bump -= 25 if (r, i) == ("C", 5) else 0
            raters.append(r)
            ratees.append(f"P{i + 1}")
            values.append(50 + 3 * i + [0, -2, 4, 1][j] + bump)
    pool = calibrate_pool("x", raters, ratees, values)
    got = [(f.penilai, f.dinilai) for f in pool.tanda]
    assert got == [("C", "P6"), ("A", "P2"), ("B", "P3")]
    assert pool.tanda[1].z == pytest.approx(pool.tanda[2].z)  # a tie, broken by penilai
    assert all(abs(f.z) > 2 for f in pool.tanda)
    assert pool.residu is not None and pool.sd_residu is not None
    assert int((np.abs(pool.residu / pool.sd_residu) > 2).sum()) == 3


def test_no_residual_degrees_of_freedom_means_no_sd_and_no_flags():
    pool = calibrate_pool("x", ["A", "B", "A", "B"], ["P1", "P1", "P2", "P3"], [60, 70, 10, 90])
    assert pool.terhubung and pool.df_residu == 0
    assert pool.sd_residu is None and pool.tanda == []
    assert pool.penilai["A"].galat_baku is None
    assert pool.penilai["A"].efek == pytest.approx(-5.0) and pool.dinilai["P2"].adil == pytest.approx(15.0)
    single = calibrate_pool("y", ["A", "A"], ["P1", "P2"], [60, 70])
    assert single.df_residu == 0 and single.penilai["A"].efek == 0.0
    assert single.reliabilitas is not None and single.reliabilitas.alpha_interval is None  # nobody rated twice


def test_exact_additive_data_has_zero_sd_and_no_spurious_flags():
    raters, ratees, values = [], [], []
    for j, r in enumerate("ABC"):
        for i in range(5):
            raters.append(r)
            ratees.append(f"P{i}")
            values.append(60.1 + 3.7 * i + [0.3, -1.9, 7.7][j])
    pool = calibrate_pool("x", raters, ratees, values)
    assert pool.sd_residu == 0.0 and pool.tanda == []


def test_case_output_keys():
    case = {"penilaian": [{"penilai": r, "dinilai": d, "nilai": v} for r, d, v in zip(*incomplete(), strict=True)]}
    pool = calibrate_case(case)["kelompok"]["semua"]
    assert pool["reliabilitas"] == {"icc_a1": None, "icc_c1": None, "alpha_interval": pytest.approx(0.791861)}
    assert pool["penilai"]["C"]["n"] == 4 and pool["dinilai"]["P3"]["n"] == 2
    assert pool["tanda"] == [] and pool["df_residu"] == 4


def base() -> dict:
    return {
        "penilaian": [{"penilai": "A", "dinilai": "P1", "nilai": 60}, {"penilai": "B", "dinilai": "P1", "nilai": 70}]
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c.update(penilaian=[]), r"^penilaian: daftar kosong"),
        (lambda c: c.pop("penilaian"), r"^penilaian: wajib diisi"),
        (lambda c: c.update(penilaian={}), r"^penilaian: harus berupa daftar"),
        (lambda c: c["penilaian"][1].update(penilai="A"), r"^penilaian\[1\]: penilai 'A' sudah menilai 'P1'"),
        (lambda c: c["penilaian"][1].update(nilai=100.5), r"^penilaian\[1\]\.nilai: 100.5 di luar rentang 0..100"),
        (lambda c: c["penilaian"][0].update(nilai=-1), r"^penilaian\[0\]\.nilai: -1 di luar rentang"),
        (lambda c: c["penilaian"][0].update(nilai="60"), r"^penilaian\[0\]\.nilai: harus berupa angka"),
        (lambda c: c["penilaian"][0].update(nilai=True), r"^penilaian\[0\]\.nilai: harus berupa angka"),
        (lambda c: c["penilaian"][0].update(nilai=None), r"^penilaian\[0\]\.nilai: harus berupa angka"),
        (lambda c: c["penilaian"][0].pop("nilai"), r"^penilaian\[0\]\.nilai: wajib diisi"),
        (lambda c: c["penilaian"][1].pop("penilai"), r"^penilaian\[1\]\.penilai: wajib diisi"),
        (lambda c: c["penilaian"][1].update(dinilai=7), r"^penilaian\[1\]\.dinilai: harus berupa teks"),
        (lambda c: c["penilaian"][1].update(kelompok=""), r"^penilaian\[1\]\.kelompok: harus berupa teks"),
        (lambda c: c["penilaian"].append(3), r"^penilaian\[2\]: harus berupa objek"),
    ],
)
def test_malformed_cases_name_the_row(change, message):
    case = base()
    change(case)
    with pytest.raises(CalibrationError, match=message):
        calibrate_case(case)
    assert issubclass(CalibrationError, ValueError)


def test_same_pair_in_another_pool_is_not_a_duplicate():
    case = base()
    case["penilaian"].append({"penilai": "A", "dinilai": "P1", "nilai": 65, "kelompok": "lain"})
    assert set(calibrate_case(case)["kelompok"]) == {"semua", "lain"}


# ---- properties on random connected pools ----------------------------------------------------------------------


@st.composite
def connected_pools(draw):
    n_raters = draw(st.integers(2, 5))
    n_ratees = draw(st.integers(n_raters, 9))
    pairs = set()
    for i in range(n_ratees):  # a chain over the raters keeps the pool connected
        pairs.add((i % n_raters, i))
        pairs.add(((i + 1) % n_raters, i))
    extra = draw(st.lists(st.tuples(st.integers(0, n_raters - 1), st.integers(0, n_ratees - 1)), max_size=12))
    pairs |= set(extra)
    pairs = sorted(pairs)
    values = draw(st.lists(st.integers(20, 80), min_size=len(pairs), max_size=len(pairs)))
    raters = [f"R{j}" for j, _ in pairs]
    ratees = [f"P{i}" for _, i in pairs]
    return raters, ratees, [float(v) for v in values], n_raters


def reference_fit(raters, ratees, values):
    """Dense constrained least squares (the rater effects with a sum-to-zero row), for comparison."""
    rs, ds = sorted(set(raters)), sorted(set(ratees))
    X = np.zeros((len(values) + 1, len(ds) + len(rs)))
    for k, (r, d) in enumerate(zip(raters, ratees, strict=True)):
        X[k, ds.index(d)] = 1
        X[k, len(ds) + rs.index(r)] = 1
    X[-1, len(ds) :] = 1
    y = np.append(values, 0.0)
    beta = np.linalg.lstsq(X, y, rcond=None)[0]
    return dict(zip(ds, beta[: len(ds)], strict=True)), dict(zip(rs, beta[len(ds) :], strict=True))


@settings(max_examples=60, deadline=None)
@given(connected_pools())
def test_matches_dense_least_squares(pool_data):
    raters, ratees, values, _ = pool_data
    pool = calibrate_pool("x", raters, ratees, values)
    fair, effects = reference_fit(raters, ratees, values)
    assert pool.terhubung
    for name, value in effects.items():
        assert pool.penilai[name].efek == pytest.approx(value, abs=1e-6)
    for name, value in fair.items():
        assert pool.dinilai[name].adil == pytest.approx(value, abs=1e-6)
    assert abs(sum(r.efek for r in pool.penilai.values())) < 1e-9


@settings(max_examples=60, deadline=None)
@given(connected_pools(), st.integers(0, 4), st.floats(-15, 15, allow_nan=False))
def test_shifting_one_raters_ratings_moves_only_that_raters_effect(pool_data, who, shift):
    raters, ratees, values, n_raters = pool_data
    target = f"R{who % n_raters}"
    before = calibrate_pool("x", raters, ratees, values)
    moved = [v + shift if r == target else v for r, v in zip(raters, values, strict=True)]
    after = calibrate_pool("x", raters, ratees, moved)
    # relative to the other raters, the shifted rater's effect moves by exactly `shift`; with sum-to-zero effects
    # every effect moves by -shift/J besides, and every fair score by +shift/J: the ranking and gaps are unchanged
    J = len(before.penilai)
    for name in before.penilai:
        delta = after.penilai[name].efek - before.penilai[name].efek
        assert delta == pytest.approx((shift if name == target else 0) - shift / J, abs=1e-7)
    for name in before.dinilai:
        assert after.dinilai[name].adil - before.dinilai[name].adil == pytest.approx(shift / J, abs=1e-7)
    assert before.residu is not None and after.residu is not None
    assert np.allclose(before.residu, after.residu, atol=1e-7)
