"""The demo city's performance year: agreed SKPs cascading down the position tree, realisations and final periodic
evaluations January–November, ratings calibrated with the planted lenient and severe supervisors showing, appeals in
every state, and November's TPP taking its capaian from the evaluations. One small city built once for the module
(on 6 December 2026) and rolled back afterwards."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction

from pamong.accounts.models import AssessorAssignment, User
from pamong.demo.build import DEMO_PASSWORD
from pamong.payroll.models import PayrollRun, Payslip
from pamong.people.models import ACTIVE_STATUSES, Employee
from pamong.performance.engine.predikat import predikat_of
from pamong.performance.models import (
    Appeal,
    CalibrationSession,
    Evaluation,
    Feedback,
    Rating,
    Realisation,
    Skp,
    SkpIndicator,
    SkpResult,
)

SIZE, SEED, TODAY = 300, 5, dt.date(2026, 12, 6)
NOV = dt.date(2026, 11, 1)


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.conf import settings

    before, settings.AUDIT_CHECKPOINT_FILE = settings.AUDIT_CHECKPOINT_FILE, tmp_path_factory.mktemp("demo") / "cp"
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            call_command("demo", size=SIZE, seed=SEED, today=TODAY, no_serve=True, keep_db=True, verbosity=0)
            yield
            transaction.set_rollback(True)
    finally:
        settings.AUDIT_CHECKPOINT_FILE = before


@pytest.fixture
def demo(demo_city, db):
    return None


def test_everyone_active_has_an_agreed_skp_with_results_and_indicators(demo):
    active = Employee.objects.filter(status__in=ACTIVE_STATUSES).count()
    skps = Skp.objects.filter(year=2026, state="agreed")
    assert skps.count() >= active - 2  # (a chain broken by a vacancy loop would leave someone out)
    per_skp = Counter(SkpResult.objects.filter(skp__in=skps).values_list("skp_id", flat=True))
    assert set(per_skp.values()) <= {2, 3} and len(per_skp) == skps.count()
    assert not SkpResult.objects.filter(skp__in=skps, indicators__isnull=True).exists()
    months = sorted(set(Realisation.objects.values_list("period", flat=True)))
    assert months == [dt.date(2026, m, 1) for m in range(1, 12)]
    assert Realisation.objects.count() == SkpIndicator.objects.count() * 11


def test_every_agreed_skp_cascades_except_the_heads(demo):
    for skp in Skp.objects.filter(year=2026, state="agreed").select_related("position"):
        results = list(skp.results.select_related("supports__skp"))
        if skp.penilai_id is None:  # rated by the Wali Kota: delivers the Perjanjian Kinerja
            assert skp.position.superior_id is None or skp.position.kind == "jpt"
            assert all(r.pk_reference and r.supports_id is None for r in results)
        else:
            assert all(r.supports is not None and r.supports.skp.employee_id == skp.penilai_id for r in results)
    assert Skp.objects.filter(year=2026, state="agreed", penilai__isnull=True).count() >= 20  # the OPD heads


def test_periodic_evaluations_follow_the_kuadran_and_are_final(demo):
    evs = Evaluation.objects.filter(kind="periodic", corrects__isnull=True)
    assert evs.count() == Skp.objects.filter(year=2026, state="agreed").count() * 11
    assert not evs.exclude(state="final").exists()
    for hasil, perilaku, predikat in evs.values_list("hasil", "perilaku", "predikat").distinct():
        assert predikat_of(hasil, perilaku) == predikat
    assert len(set(evs.values_list("predikat", flat=True))) >= 3
    # rated by the pejabat penilai's own login
    skp = Skp.objects.filter(year=2026, state="agreed", penilai__isnull=False).select_related("penilai").first()
    ev = evs.filter(employee_id=skp.employee_id).first()
    assert ev.rated_by_id == skp.penilai.user_id


def test_november_tpp_takes_capaian_from_the_evaluations(demo):
    run = PayrollRun.objects.get(period=NOV, kind="tpp")
    assert run.state == "approved"
    sources = Counter(
        f["capaian_sumber"]["jenis"] for f in Payslip.objects.filter(run=run).values_list("facts", flat=True)
    )
    assert sources["evaluasi"] > 0 and set(sources) == {"evaluasi"}
    slip = Payslip.objects.filter(run=run).first()
    ev = Evaluation.objects.get(pk=slip.facts["capaian_sumber"]["evaluasi"])
    assert ev.period_start == NOV and slip.facts["capaian_bp"] == ev.capaian_bp


def test_calibration_shows_the_planted_supervisors(demo):
    sessions = list(CalibrationSession.objects.filter(period_start=dt.date(2026, 1, 1)))
    assert len(sessions) == len(set(Rating.objects.values_list("pool", flat=True)))
    assert all(s.result["terhubung"] for s in sessions)
    effects: dict[str, list[float]] = {}
    for s in sessions:
        for key, r in s.result["penilai"].items():
            effects.setdefault(key, []).append(r["efek"])
    logins = {u.username: u.pk for u in User.objects.filter(username__in=["penilai01"])}
    assert f"u{logins['penilai01']}" in effects
    by_rater = {k: sum(v) / len(v) for k, v in effects.items()}
    planted = _planted()
    assert planted["lenient"] and planted["severe"]
    for uid in planted["lenient"]:
        assert by_rater[f"u{uid}"] > 5
    for uid in planted["severe"]:
        assert by_rater[f"u{uid}"] < -5
    others = [v for k, v in by_rater.items() if int(k[1:]) not in planted["lenient"] + planted["severe"]]
    assert sum(abs(v) for v in others) / len(others) < 5  # the rest are close to zero


def _planted() -> dict[str, list[int]]:
    """The supervisors whose ratings are 10 points off (the demo prints one of each)."""
    from pamong.demo.performance import LENIENT, SEVERE

    agreed = Skp.objects.filter(year=2026, state="agreed", penilai__isnull=False)
    staff = Counter(agreed.values_list("penilai_id", flat=True))
    big = sorted((p for p, n in staff.items() if n >= 4), key=lambda p: (-staff[p], p))
    users = dict(Employee.objects.filter(pk__in=big).values_list("id", "user_id"))
    return {"lenient": [users[p] for p in big[0 : 2 * LENIENT : 2]],
            "severe": [users[p] for p in big[1 : 2 * SEVERE : 2]]}  # fmt: skip


def test_assessors_appeals_and_feedback(demo):
    assessors = User.objects.filter(username__startswith="penilai0") | User.objects.filter(
        username__startswith="penilai1"
    )
    assert assessors.count() == 12
    assert AssessorAssignment.objects.filter(assessor__in=assessors).count() == Rating.objects.filter(
        rater_role="assessor").count()  # fmt: skip
    states = Counter(Appeal.objects.values_list("state", flat=True))
    assert set(states) == {"filed", "examining", "upheld", "changed", "withdrawn"}
    for ap in Appeal.objects.filter(state="changed").select_related("correction", "evaluation"):
        assert ap.correction.corrects_id == ap.evaluation_id and ap.correction.state == "final"
    assert Appeal.objects.filter(employee__user__username="pegawai").exists()
    assert Feedback.objects.filter(employee__user__username="pegawai").count() == 2


def test_performance_logins_work(demo, client):
    for username in ("penilai01", "atasan", "pegawai"):
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD)
    client.force_login(User.objects.get(username="atasan"))
    assert client.get("/kinerja/ringkasan/").status_code == 200
    client.force_login(User.objects.get(username="admin"))
    page = client.get("/kinerja/ringkasan/")
    assert page.status_code == 200 and "Per OPD" in page.content.decode()
