"""What the employee sees of their third-party ratings: per source, never who rated, hidden under 3 raters; the
fair score once the panel closed the pool, with any override and its reason. Also through the API and the include."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict

import pytest
from django.template.loader import render_to_string
from django.test import Client

from pamong.accounts.models import Role
from pamong.performance import calibration_sessions as sessions
from pamong.performance.calibration_selectors import my_scores
from pamong.performance.models import CalibrationSession
from pamong.performance.ratings import rating_submit
from tests import factories as f
from tests.api.conftest import Api, assert_error

P = dt.date(2026, 1, 1)
CRITERIA = ("hasil_kerja", "kualitas", "kerja_sama", "pelayanan", "integritas")


def give(user, ratee, value, **kw):
    return rating_submit(actor=user, ratee_id=ratee.pk, period_start=P, scores=dict.fromkeys(CRITERIA, value), **kw)


@pytest.fixture
def rated(perf):
    """Staf Dua: rated by the kabid (supervisor), three assessors (the fixture's one and two more), the citizen
    figure; the assessors also rate Staf Satu (so the pool is connected)."""
    c = perf.city
    assessors = [perf.users["assessor"], f.user("asesor2", role=Role.ASSESSOR), f.user("asesor3", role=Role.ASSESSOR)]
    for a in assessors[1:]:
        f.assign(a, c.staff2)
    for a in assessors:
        f.assign(a, c.staff)
    give(perf.users["kabid"], c.staff2, 90)
    give(perf.users["kabid"], c.staff, 88)
    for a, v in zip(assessors, (70, 72, 74), strict=True):
        give(a, c.staff2, v)
        give(a, c.staff, v - 4)
    give(perf.users["admin"], c.staff2, 80, role="citizen")
    return assessors


def test_sources_under_three_raters_are_hidden_and_no_rater_is_named(perf, rated):
    [item] = my_scores(perf.users["staff2"], 2026)
    by_role = {s.role: s for s in item.sources}
    assert by_role["assessor"].shown and by_role["assessor"].raters == 3 and by_role["assessor"].mentah == 72
    assert not by_role["supervisor"].shown and by_role["supervisor"].mentah is None
    assert not by_role["citizen"].shown and by_role["citizen"].mentah is None
    assert item.raters == 5 and item.mentah == round((90 + 70 + 72 + 74 + 80) / 5, 2)
    assert item.state == "none" and item.akhir is None and item.adil is None  # not calibrated yet
    text = repr(asdict(item))
    for u in rated + [perf.users["kabid"]]:
        assert f"'u{u.pk}'" not in text and f"': {u.pk}," not in text
    assert "asesor2" not in text and "asesor3" not in text and "Kabid" not in text and "kabid" not in text


def test_fair_score_adjustment_and_override_once_closed(perf, rated):
    admin = perf.users["admin"]
    s = sessions.session_compute(actor=admin, period_start=P, pool="A/pelaksana")
    assert s.result["terhubung"]
    [open_item] = my_scores(perf.users["staff2"], 2026)
    assert open_item.state == "open" and open_item.akhir is None  # the panel may still change it
    sessions.override_add(actor=admin, session_id=s.pk, ratee_id=perf.city.staff2.pk, new_value=83,
                          reason="Prestasi layanan terbukti")  # fmt: skip
    sessions.session_close(actor=admin, session_id=s.pk)
    [item] = my_scores(perf.users["staff2"], 2026)
    fair = s.result["dinilai"][str(perf.city.staff2.pk)]["adil"]
    assert item.state == "closed" and item.adil == round(fair, 2)
    assert item.penyesuaian == round(fair - item.mentah, 2)
    assert item.akhir == 83 and item.override_reason == "Prestasi layanan terbukti"
    assessor = next(x for x in item.sources if x.role == "assessor")
    effects = s.result["penilai"]
    mean_effect = sum(effects[f"u{a.pk}"]["efek"] for a in rated) / 3
    assert assessor.penyesuaian == round(-mean_effect, 2)
    html = render_to_string("performance/calibration/_my_scores.html", {"my_scores": [item], "my_scores_year": 2026})
    assert "Prestasi layanan terbukti" in html and "Rincian disembunyikan" in html and "Nilai adil" in html
    assert "<script" not in html and "style=" not in html


def test_others_see_only_their_own(perf, rated):
    assert my_scores(perf.users["kabid"], 2026) == []  # nobody rated the kabid
    assert my_scores(perf.users["admin"], 2026) == []  # no employee record


def api(user) -> Api:
    return Api(Client()).login(user)


def test_api_rating_rules_and_error_shape(perf):
    c, kabid = perf.city, perf.users["kabid"]
    body = {"ratee_id": c.staff.pk, "period_start": "2026-01-01", "scores": dict.fromkeys(CRITERIA, 80)}
    r = api(kabid).post("/performance/ratings", body)
    assert r.status_code == 201, r.content
    assert r.json()["rater_role"] == "supervisor" and r.json()["value"] == "80.00"
    assert_error(api(perf.users["staff"]).post("/performance/ratings", body), 403, "forbidden")  # self
    assert_error(api(perf.users["other"]).post("/performance/ratings", body), 403, "forbidden")  # other OPD
    assert_error(api(perf.users["assessor"]).post("/performance/ratings", body), 403, "forbidden")  # not assigned
    ok = api(perf.users["assessor"]).post("/performance/ratings", {**body, "ratee_id": c.staff2.pk})
    assert ok.status_code == 201 and ok.json()["rater_role"] == "assessor"
    assert_error(api(kabid).post("/performance/ratings", {**body, "ratee_id": 999999}), 404, "not_found")
    bad = assert_error(api(kabid).post("/performance/ratings", {**body, "scores": {"hasil_kerja": 80}}), 422)
    assert bad["details"]["field"].startswith("scores.")
    citizen = api(perf.users["admin"]).post("/performance/ratings", {**body, "role": "citizen"})
    assert citizen.status_code == 201 and citizen.json()["rater_role"] == "citizen"
    s = sessions.session_compute(actor=perf.users["admin"], period_start=P, pool="A/pelaksana")
    sessions.session_close(actor=perf.users["admin"], session_id=s.pk)
    assert_error(api(kabid).post("/performance/ratings", body), 409)


def test_api_session_panel_and_my_scores(perf, rated):
    s = sessions.session_compute(actor=perf.users["admin"], period_start=P, pool="A/pelaksana")
    panel = api(perf.users["admin"]).get(f"/performance/calibration/sessions/{s.pk}")
    assert panel.status_code == 200, panel.content
    data = panel.json()
    assert data["terhubung"] and len(data["penilai"]) == 5 and data["pool_label"] == "Dinas A · Pelaksana"
    assert {r["ratee_id"] for r in data["peringkat"]} == {perf.city.staff.pk, perf.city.staff2.pk}
    assert data["reliabilitas"]["icc_a1"] is None  # the citizen figure rated only Staf Dua: not fully crossed
    assert api(rated[1]).get(f"/performance/calibration/sessions/{s.pk}").status_code == 200  # rated in the pool
    for who in ("staff2", "kabid", "operator_a"):
        assert_error(api(perf.users[who]).get(f"/performance/calibration/sessions/{s.pk}"), 404, "not_found")
    mine = api(perf.users["staff2"]).get("/performance/my-scores", year=2026)
    assert mine.status_code == 200
    [item] = mine.json()
    assert {x["role"]: x["shown"] for x in item["sources"]} == {"supervisor": False, "assessor": True,
                                                                "citizen": False}  # fmt: skip
    assert_error(api(perf.users["staff2"]).get("/performance/my-scores", year=1999), 422)
    assert CalibrationSession.objects.count() == 1
