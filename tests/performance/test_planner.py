"""Assessor-assignment planner: after planning, every pool is connected and every supervisor overlaps with an
independent assessor; loads are respected; the plan is reproducible from its seed; impossible pools are reported."""

from __future__ import annotations

import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pamong.performance.engine.calibration import calibrate_pool
from pamong.performance.engine.planner import Assessor, plan_assessors, pool_report


def supervisor_ratings(pools):
    return [(pool, sup, ratee, False) for pool, members in pools.items() for ratee, sup in members if sup]


def with_plan(pools, plan):
    return supervisor_ratings(pools) + [(a.kelompok, a.penilai, a.dinilai, True) for a in plan.pasangan]


def province(n_pools=4, seed=3):
    rng = random.Random(seed)
    pools = {}
    for p in range(n_pools):
        members = []
        for s in range(rng.randint(1, 6)):
            members += [(f"{p}-{s}-{k}", f"S{p}-{s}") for k in range(rng.randint(1, 7))]
        pools[f"opd{p}"] = members
    return pools


def test_supervisor_only_pools_are_disconnected_and_lonely():
    pools = {"a": [("P1", "S1"), ("P2", "S1"), ("P3", "S2")]}
    report = pool_report(supervisor_ratings(pools))["a"]
    assert not report.terhubung and report.komponen == 2
    assert report.atasan_tanpa_irisan == ("S1", "S2") and report.penilai_independen == 0


@pytest.mark.parametrize("per_ratee", [0, 1, 2])
def test_every_pool_connected_and_every_supervisor_overlapping(per_ratee):
    pools = province()
    assessors = [Assessor(f"A{k}", 40) for k in range(5)]
    plan = plan_assessors(pools, assessors, per_ratee=per_ratee, seed=7)
    assert plan.masalah == []
    for report in pool_report(with_plan(pools, plan)).values():
        assert report.terhubung and report.atasan_tanpa_irisan == ()
    per = Counter((a.kelompok, a.dinilai) for a in plan.pasangan)
    for pool, members in pools.items():
        for ratee, _ in members:
            assert per[(pool, ratee)] >= per_ratee
    assert len(set(plan.pasangan)) == len(plan.pasangan)  # no pair twice


def test_planned_pools_can_be_calibrated():
    pools = province()
    plan = plan_assessors(pools, [Assessor("A", 100), Assessor("B", 100)], per_ratee=1, seed=1)
    rows = with_plan(pools, plan)
    for pool in pools:
        mine = [(r, d) for p, r, d, _ in rows if p == pool]
        result = calibrate_pool(pool, [r for r, _ in mine], [d for _, d in mine], [70.0] * len(mine))
        assert result.terhubung


def test_loads_respected_and_balanced_by_the_chain():
    pools = {"a": [(f"P{k}", f"S{k % 5}") for k in range(15)]}  # 5 teams of 3
    assessors = [Assessor("A1", 2), Assessor("A2", 2), Assessor("A3", 3), Assessor("A4", 9)]
    plan = plan_assessors(pools, assessors, per_ratee=0, seed=0)
    assert plan.masalah == []
    assert all(plan.beban[a.id] <= a.max_load for a in assessors)
    assert sum(plan.beban.values()) == 5  # one assessor can chain all five teams: no link rating needed
    tight = [Assessor("A1", 2), Assessor("A2", 2), Assessor("A3", 3)]
    plan = plan_assessors(pools, tight, per_ratee=0, seed=0)
    assert plan.masalah == [] and all(plan.beban[a.id] <= a.max_load for a in tight)
    # 3 + (2 - 1) + (2 - 1) teams: each further assessor spends one rating on the link
    assert sum(plan.beban.values()) == 5 + 2
    report = pool_report(with_plan(pools, plan))["a"]
    assert report.terhubung and report.atasan_tanpa_irisan == ()


def test_capacity_shortfall_is_reported_with_the_supervisors_left():
    pools = {"a": [(f"P{k}", f"S{k % 4}") for k in range(8)]}
    plan = plan_assessors(pools, [Assessor("A1", 2), Assessor("A2", 1)], per_ratee=0, seed=0)
    assert [p.alasan for p in plan.masalah] == ["kapasitas"]
    assert plan.masalah[0].atasan_tanpa_irisan == ("S2", "S3")
    assert "kapasitas penilai independen tidak cukup" in plan.masalah[0].pesan
    assert not plan.terhubung("a")


def test_a_team_only_its_own_supervisor_could_rate_is_a_conflict():
    pools = {"a": [("P1", "S1"), ("P2", "S2")]}
    plan = plan_assessors(pools, [Assessor("S2", 10)], per_ratee=0, seed=0)
    assert [(p.alasan, p.atasan_tanpa_irisan) for p in plan.masalah] == [("konflik", ("S2",))]
    assert "atasan atau anggota tim" in plan.masalah[0].pesan


def test_no_assessor_allowed_is_reported_and_restrictions_respected():
    pools = {"dinkes": [("P1", "S1")], "bkd": [("Q1", "T1"), ("Q2", "T2")]}
    assessors = [Assessor("A1", 10, excluded=frozenset({"dinkes"})), Assessor("A2", 10, pools=frozenset({"bkd"}))]
    plan = plan_assessors(pools, assessors, per_ratee=1, seed=0)
    assert [(p.kelompok, p.alasan) for p in plan.masalah] == [("dinkes", "tidak_ada_penilai")]
    assert plan.masalah[0].atasan_tanpa_irisan == ("S1",)
    assert all(a.kelompok == "bkd" for a in plan.pasangan)
    assert plan.terhubung("bkd") and not plan.terhubung("dinkes")


def test_coverage_shortfall_is_a_warning_after_connection():
    pools = {"a": [(f"P{k}", f"S{k % 2}") for k in range(6)]}
    plan = plan_assessors(pools, [Assessor("A1", 3)], per_ratee=1, seed=0)
    assert [p.alasan for p in plan.masalah] == ["cakupan"] and plan.masalah[0].kurang == 3
    assert plan.terhubung("a") and pool_report(with_plan(pools, plan))["a"].terhubung


def test_never_rates_self_or_own_team_and_unsupervised_ratees_are_linked():
    pools = {"a": [("S2", "S1"), ("P1", "S1"), ("P2", "S2"), ("P3", None), ("P4", None)]}
    assessors = [Assessor("S1", 10), Assessor("S2", 10), Assessor("P3", 10)]
    plan = plan_assessors(pools, assessors, per_ratee=1, seed=4)
    team = {ratee: sup for ratee, sup in pools["a"]}
    for a in plan.pasangan:
        assert a.penilai != a.dinilai and a.penilai != team[a.dinilai]
    report = pool_report(with_plan(pools, plan))["a"]
    assert plan.masalah == [] and report.terhubung and report.atasan_tanpa_irisan == ()


def test_deterministic_given_the_seed():
    pools = province(6, seed=11)
    assessors = [Assessor(f"A{k}", 25) for k in range(6)]
    one = plan_assessors(pools, assessors, per_ratee=1, seed=42)
    two = plan_assessors(pools, assessors, per_ratee=1, seed=42)
    assert one.pasangan == two.pasangan and one.beban == two.beban
    others = {tuple(plan_assessors(pools, assessors, per_ratee=1, seed=s).pasangan) for s in range(5)}
    assert len(others) > 1  # the seed does matter


def test_refuses_bad_input():
    with pytest.raises(ValueError, match="ganda"):
        plan_assessors({}, [Assessor("A", 1), Assessor("A", 2)])
    with pytest.raises(ValueError, match="dua kali"):
        plan_assessors({"a": [("P1", "S"), ("P1", "S")]}, [Assessor("A", 1)])
    with pytest.raises(ValueError, match="negatif"):
        plan_assessors({}, [Assessor("A", 1)], per_ratee=-1)


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 5), st.integers(0, 10_000), st.integers(0, 2))
def test_with_ample_capacity_every_pool_is_connected(n_pools, seed, per_ratee):
    pools = province(n_pools, seed=seed)
    assessors = [Assessor(f"A{k}", 60) for k in range(4)]
    plan = plan_assessors(pools, assessors, per_ratee=per_ratee, seed=seed)
    assert plan.masalah == []
    assert all(plan.beban[a.id] <= a.max_load for a in assessors)
    for report in pool_report(with_plan(pools, plan)).values():
        assert report.terhubung and report.atasan_tanpa_irisan == ()


def test_load_is_balanced_and_assessors_stay_in_few_pools():
    pools = {"a": [(f"P{k}", f"S{k % 5}") for k in range(40)], "b": [(f"Q{k}", f"T{k % 3}") for k in range(20)]}
    plan = plan_assessors(pools, [Assessor(f"A{k}", 100) for k in range(4)], per_ratee=1, seed=3)
    assert plan.masalah == [] and sorted(plan.beban.values()) == [15, 15, 15, 15]  # 60 ratings, an even share each
    assert (
        len({(x.kelompok, x.penilai) for x in plan.pasangan}) <= 6
    )  # an assessor keeps rating in the pool they started in, not in every pool
