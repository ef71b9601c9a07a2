"""Calibration sessions: stored results equal the engine's on the same data, disconnected pools are not adjusted,
overrides need a reason and are audited, only admin BKPSDM computes, overrides and closes."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from pamong.audit.models import AuditEvent
from pamong.core.errors import Forbidden, NotVisible, TransitionRefused, ValidationFailed
from pamong.performance import calibration_selectors as sel
from pamong.performance import calibration_sessions as sessions
from pamong.performance.engine.calibration import calibrate_case
from pamong.performance.models import CalibrationSession, Rating

from ._calib import B7, PERIOD, make_pool


def compute(perf, pool):
    return sessions.session_compute(actor=perf.users["admin"], period_start=PERIOD, pool=pool)


def test_connected_pool_stores_the_engines_numbers(perf):
    p = make_pool(perf, B7)
    s = compute(perf, p["pool"])
    keys = {name: f"u{u.pk}" for name, u in p["raters"].items()}
    rows = [(keys[name], str(e.pk), v) for name, values in B7.items() for e, v in zip(p["ratees"], values, strict=True)]
    case = {"penilaian": [{"penilai": a, "dinilai": b, "nilai": v} for a, b, v in rows]}
    expected = calibrate_case(case)["kelompok"]["semua"]
    for key in ("terhubung", "komponen", "penilai", "dinilai", "df_residu", "sd_residu", "tanda", "reliabilitas"):
        assert s.result[key] == expected[key], key
    # the worked example's hand-checked values (anchors B.7.1)
    assert s.result["penilai"][keys["C"]]["efek"] == pytest.approx(6.6667, abs=1e-3)
    assert s.result["reliabilitas"]["icc_a1"] == pytest.approx(0.7096, abs=1e-3)
    assert s.result["reliabilitas"]["icc_c1"] == pytest.approx(0.9859, abs=1e-3)
    assert s.result["peran"][keys["A"]] == "assessor"
    assert "efek_disusutkan" in s.result["penilai"][keys["A"]]
    assert AuditEvent.objects.filter(action="calibration_session.opened", object_id=str(s.pk)).exists()
    json.dumps(s.result)  # storable as is


def test_incomplete_connected_pool_adjusts_for_the_lenient_rater(perf):
    # A rates P1-P3, B rates P3-P6, C (lenient) rates P4-P6: overlap through P3 (A,B) and P4-P6 (B,C)
    table = {"A": [60, 65, 70, None, None, None], "B": [None, None, 70, 75, 80, 85],
             "C": [None, None, None, 85, 90, 95]}  # fmt: skip
    p = make_pool(perf, table)
    s = compute(perf, p["pool"])
    assert s.result["terhubung"] is True
    fair = {e.name: s.result["dinilai"][str(e.pk)]["adil"] for e in p["ratees"]}
    raw = {e.name: s.result["dinilai"][str(e.pk)]["mentah"] for e in p["ratees"]}
    assert raw["P6"] == pytest.approx(90) and fair["P6"] < raw["P6"]
    assert fair["P6"] - fair["P1"] == pytest.approx(25, abs=1e-6)


def test_disconnected_pool_is_not_adjusted_and_lists_its_parts(perf):
    table = {"A": [60, 65, None, None], "B": [62, 66, None, None], "C": [None, None, 80, 90]}
    p = make_pool(perf, table)
    s = compute(perf, p["pool"])
    assert s.result["terhubung"] is False and s.result["komponen"] == 2
    assert "penilai" not in s.result and "dinilai" not in s.result and "tanda" not in s.result
    assert "tidak disesuaikan" in s.result["keterangan"]
    assert len(s.result["bagian"]) == 2
    panel = sel.session_panel(s)
    assert not panel["terhubung"] and {len(b["dinilai"]) for b in panel["bagian"]} == {2}
    # the fair score they end with is the raw mean: nothing adjusted
    assert sessions.current_fair(s, p["ratees"][2].pk) == pytest.approx(80)


def test_flags_possible_favouritism(perf):
    # anchors B.7 with A giving P2 81 instead of 66 (the public case 02-lengkap-favoritisme-a-p2)
    p = make_pool(perf, {**B7, "A": [60, 81, 69, 75, 81, 84]})
    panel = sel.session_panel(compute(perf, p["pool"]))
    assert len(panel["flags"]) == 1
    flag = panel["flags"][0]
    assert flag["rater_name"] == "rater_a" and flag["ratee_name"] == "P2"
    assert flag["residu"] == pytest.approx(9.666667, abs=1e-5) and flag["z"] == pytest.approx(2.297683, abs=1e-5)


def test_override_needs_a_reason_is_audited_and_counts(perf):
    p = make_pool(perf, B7)
    s = compute(perf, p["pool"])
    admin, p1 = perf.users["admin"], p["ratees"][0]
    with pytest.raises(ValidationFailed):
        sessions.override_add(actor=admin, session_id=s.pk, ratee_id=p1.pk, new_value=70, reason="  ")
    with pytest.raises(ValidationFailed):
        sessions.override_add(actor=admin, session_id=s.pk, ratee_id=p1.pk, new_value=101, reason="x")
    engine = s.result["dinilai"][str(p1.pk)]["adil"]
    o = sessions.override_add(actor=admin, session_id=s.pk, ratee_id=p1.pk, new_value="70.5", reason="Bukti baru")
    assert o.old_value == Decimal(str(round(engine, 4))) and o.new_value == Decimal("70.5")
    ev = AuditEvent.objects.get(action="calibration_override.added", object_id=str(o.pk))
    assert ev.reason == "Bukti baru" and ev.changes["nilai"] == [str(o.old_value), "70.5000"]
    assert sessions.current_fair(s, p1.pk) == 70.5
    o2 = sessions.override_add(actor=admin, session_id=s.pk, ratee_id=p1.pk, new_value=71, reason="Koreksi")
    assert o2.old_value == Decimal("70.5") and sessions.current_fair(s, p1.pk) == 71
    row = next(r for r in sel.session_panel(s)["ranking"] if r["ratee_id"] == p1.pk)
    assert row["akhir"] == 71 and row["override"].reason == "Koreksi"
    with pytest.raises(ValidationFailed):  # not in this pool
        sessions.override_add(actor=admin, session_id=s.pk, ratee_id=perf.city.other.pk, new_value=70, reason="x")


@pytest.mark.parametrize("who", ["assessor", "kabid", "staff", "operator_a", "inspector"])
def test_only_admin_computes_overrides_and_closes(perf, who):
    p = make_pool(perf, B7)
    s = compute(perf, p["pool"])
    u = perf.users[who]
    with pytest.raises(Forbidden):
        sessions.session_compute(actor=u, period_start=PERIOD, pool=p["pool"])
    with pytest.raises(Forbidden):
        sessions.override_add(actor=u, session_id=s.pk, ratee_id=p["ratees"][0].pk, new_value=70, reason="x")
    with pytest.raises(Forbidden):
        sessions.session_close(actor=u, session_id=s.pk)


def test_close_locks_ratings_and_refuses_stale_results(perf):
    p = make_pool(perf, B7)
    admin = perf.users["admin"]
    s = compute(perf, p["pool"])
    Rating.objects.filter(pool=p["pool"]).first().delete()
    with pytest.raises(TransitionRefused, match="hitung ulang"):
        sessions.session_close(actor=admin, session_id=s.pk)
    s = compute(perf, p["pool"])
    sessions.session_close(actor=admin, session_id=s.pk)
    assert not Rating.objects.filter(pool=p["pool"], locked=False).exists()
    with pytest.raises(TransitionRefused):
        compute(perf, p["pool"])
    with pytest.raises(TransitionRefused):
        sessions.override_add(actor=admin, session_id=s.pk, ratee_id=p["ratees"][0].pk, new_value=70, reason="x")


def test_session_visibility(perf):
    p = make_pool(perf, B7)
    s = compute(perf, p["pool"])
    rater_a = p["raters"]["A"]
    assert sel.session_get(rater_a, s.pk) == s  # an assessor who rated in the pool
    assert sel.session_get(perf.users["inspector"], s.pk) == s
    for who in ("assessor", "staff", "kabid", "operator_a", "treasurer_a"):
        with pytest.raises(NotVisible):
            sel.session_get(perf.users[who], s.pk)
    assert [r.pool for r in sel.pools_for_period(rater_a, PERIOD)] == [p["pool"]]
    assert sel.pools_for_period(perf.users["staff"], PERIOD) == []
    assert CalibrationSession.objects.count() == 1


def test_ranking_raw_vs_fair(perf):
    # truth P1..P4 = 70, 75, 65, 68; B neutral rates all, A severe (-5) P1-P2, C lenient (+15) P3-P4
    table = {"A": [65, 70, None, None], "B": [70, 75, 65, 68], "C": [None, None, 80, 83]}
    p = make_pool(perf, table)
    panel = sel.session_panel(compute(perf, p["pool"]))
    rows = {r["name"]: r for r in panel["ranking"]}
    assert {k: r["peringkat_mentah"] for k, r in rows.items()} == {"P4": 1, "P2": 2, "P3": 2, "P1": 4}
    assert {k: r["peringkat_adil"] for k, r in rows.items()} == {"P2": 1, "P1": 2, "P4": 3, "P3": 4}
    assert rows["P4"]["perubahan"] == -2 and rows["P2"]["perubahan"] == 1
    assert [r["name"] for r in panel["ranking"]] == ["P2", "P1", "P4", "P3"]
    assert panel["raters"][-1]["name"] == "rater_c" and panel["chart"]["labels"][0] == "rater_a"  # severest first
