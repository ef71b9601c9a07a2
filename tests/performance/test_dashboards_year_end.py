"""BKPSDM's year-end for the whole city at once (performance/year_end.py): every ready unit finalised by the
engine's predikat and pola check, the others reported; every pool calibrated into its session."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pamong.audit.models import AuditEvent
from pamong.core.errors import Forbidden, ValidationFailed
from pamong.core.models import Notification
from pamong.performance.models import CalibrationSession, Evaluation, Rating, UnitYear
from pamong.performance.year_end import calibration_compute_all, year_finalise

Y0, Y1 = dt.date(2026, 1, 1), dt.date(2026, 12, 31)


def _annual(skp, user, hasil, perilaku, predikat="baik"):
    return Evaluation.objects.create(employee=skp.employee, skp=skp, kind="annual", period_start=Y0, period_end=Y1,
                                     hasil=hasil, perilaku=perilaku, predikat=predikat, rated_by=user)  # fmt: skip


@pytest.fixture
def year(perf):
    skps = perf.chain()
    admin = perf.users["admin"]
    for unit in (perf.city.bidang_a, perf.city.opd_a):
        UnitYear.objects.create(unit=unit, year=2026, organisasi="baik", set_by=admin)
    _annual(skps["kabid"], admin, "di_atas", "di_atas", "sangat_baik")  # the head of Bidang A1: hasil follows
    _annual(skps["staff"], admin, "sesuai", "sesuai")
    _annual(skps["staff2"], admin, "di_atas", "di_atas", "sangat_baik")
    return skps


def test_a_broken_pattern_needs_a_reason_and_nothing_is_written(perf, year):
    with pytest.raises(ValidationFailed) as exc:
        year_finalise(actor=perf.users["admin"], year=2026)
    assert exc.value.details["units"] == [perf.city.bidang_a.pk]
    assert not Evaluation.objects.filter(state="final").exists()
    assert not UnitYear.objects.filter(finalised_at__isnull=False).exists()


def test_ready_units_are_finalised_by_the_engine(perf, year):
    out = year_finalise(actor=perf.users["admin"], year=2026, reason="Bidang baru dibentuk; sebaran wajar")
    assert [u.unit_id for u in out.finalised] == [perf.city.bidang_a.pk]
    assert out.not_ready == {perf.city.opd_a.pk: "1 pegawai belum dinilai."}  # the head of Dinas A is unrated
    evs = {e.employee_id: e for e in Evaluation.objects.filter(kind="annual")}
    assert all(e.state == "final" and e.finalised_at for e in evs.values())
    kabid = evs[perf.city.kabid.pk]
    assert (kabid.hasil, kabid.predikat) == ("sesuai", "baik")  # the organisation's Baik → sesuai
    uy = UnitYear.objects.get(unit=perf.city.bidang_a, year=2026)
    assert uy.finalised_at and uy.distribution == {"sangat_baik": 1, "baik": 2, "butuh_perbaikan": 0, "kurang": 0,
                                                   "sangat_kurang": 0}  # fmt: skip
    assert uy.violations == ["BP_ATAU_K_ADA"] and uy.violation_reason
    ev = AuditEvent.objects.get(action="unit_year.finalised")
    assert len(ev.changes["evaluasi_final"]) == 3
    assert Notification.objects.filter(user=perf.users["staff"], text__contains="tahun 2026").exists()
    # run again: nothing more to do
    again = year_finalise(actor=perf.users["admin"], year=2026, reason="x")
    assert again.finalised == [] and again.evaluations == 0


@pytest.mark.parametrize("user", ["inspector", "operator_a", "kabid"])
def test_only_bkpsdm_finalises_the_year(perf, year, user):
    with pytest.raises(Forbidden):
        year_finalise(actor=perf.users[user], year=2026, reason="x")
    with pytest.raises(Forbidden):
        calibration_compute_all(actor=perf.users[user], year=2026)


def test_every_pool_is_calibrated_into_its_session(perf):
    c = perf.city
    raters = [perf.users["kabid"], perf.users["assessor"], perf.users["head"]]
    values = {  # kabid is 10 points more lenient than the assessor on the same people
        (0, c.staff): 80, (1, c.staff): 70, (0, c.staff2): 75, (1, c.staff2): 65, (2, c.staff): 72,
        (2, c.other): 60, (1, c.other): 61,
    }  # fmt: skip
    for (k, emp), v in values.items():
        Rating.objects.create(period_start=Y0, pool="Dinas A", ratee=emp, rater=raters[k], rater_key=f"u{raters[k].pk}",
                              rater_role="supervisor" if k != 1 else "assessor", value=Decimal(v))  # fmt: skip
    Rating.objects.create(period_start=Y0, pool="Dinas B", ratee=c.other, rater=raters[0], rater_key="x",
                          rater_role="peer", value=Decimal(50))  # fmt: skip
    closed = CalibrationSession.objects.create(period_start=Y0, pool="Dinas B", state="closed", result={"kept": 1},
                                               created_by=perf.users["admin"])  # fmt: skip
    out = calibration_compute_all(actor=perf.users["admin"], year=2026)
    assert (out.pools, out.connected, out.skipped_closed, out.ratings) == (1, 1, 1, 8)
    s = CalibrationSession.objects.get(pool="Dinas A")
    effects = s.result["penilai"]
    assert effects[f"u{raters[0].pk}"]["efek"] - effects[f"u{raters[1].pk}"]["efek"] == pytest.approx(10, abs=1.5)
    closed.refresh_from_db()
    assert closed.result == {"kept": 1}
    assert AuditEvent.objects.filter(action="calibration.computed").count() == 1
