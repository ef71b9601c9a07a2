"""Who may rate whom, the pool, the value, locking."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pamong.audit.models import AuditEvent
from pamong.core.errors import Forbidden, TransitionRefused, ValidationFailed
from pamong.performance import calibration_sessions as sessions
from pamong.performance.models import Rating
from pamong.performance.ratings import job_level, peer_assign, pool_label, pool_of, rating_submit
from tests import factories as f

P = dt.date(2026, 1, 1)
FULL = {"hasil_kerja": 80, "kualitas": 81, "kerja_sama": 80, "pelayanan": 80, "integritas": "80.5"}


def submit(user, ratee, scores=FULL, **kw):
    return rating_submit(actor=user, ratee_id=ratee.pk, scores=scores, period_start=P, **kw)


def test_penilai_rates_staff_as_supervisor_with_the_mean_of_the_criteria(perf):
    r = submit(perf.users["kabid"], perf.city.staff)
    assert r.rater_role == "supervisor" and r.rater_key == f"u{perf.users['kabid'].pk}"
    assert r.value == Decimal("80.30")
    assert r.pool == "A/pelaksana" == pool_of(perf.city.staff, P)
    assert pool_label(r.pool) == "Dinas A · Pelaksana"
    ev = AuditEvent.objects.filter(action="rating.created", object_id=str(r.pk)).get()
    assert ev.changes["value"] == [None, "80.30"]


def test_value_rounds_half_up_to_two_decimals(perf):
    scores = {"hasil_kerja": "70.01", "kualitas": 70, "kerja_sama": 70, "pelayanan": 70, "integritas": "70.02"}
    r = submit(perf.users["kabid"], perf.city.staff, scores)
    assert r.value == Decimal("70.01")  # 350.03 / 5 = 70.006


def test_assigned_assessor_rates_the_assigned_ratee_only(perf):
    r = submit(perf.users["assessor"], perf.city.staff2)
    assert r.rater_role == "assessor"
    with pytest.raises(Forbidden):
        submit(perf.users["assessor"], perf.city.staff)


def test_other_opd_staff_and_self_may_not_rate(perf):
    with pytest.raises(Forbidden):
        submit(perf.users["other"], perf.city.staff)
    with pytest.raises(Forbidden, match="diri sendiri"):
        submit(perf.users["staff"], perf.city.staff)
    with pytest.raises(Forbidden):
        submit(perf.users["staff"], perf.city.staff2)  # a colleague without a peer assignment
    with pytest.raises(Forbidden):
        submit(perf.users["kabid"], perf.city.head)  # the kabid is not the head's penilai
    assert not Rating.objects.exists()


def test_an_assessor_assigned_to_themself_still_cannot_rate_themself(perf):
    emp = perf.city.staff2
    perf.users["assessor"].employee = None
    emp.user = perf.users["assessor"]
    emp.save(update_fields=["user"])
    from pamong.accounts.models import User

    u = User.objects.get(pk=perf.users["assessor"].pk)
    with pytest.raises(Forbidden, match="diri sendiri"):
        submit(u, emp)


def test_admin_enters_the_citizen_figure_with_a_unit_key(perf):
    r = submit(perf.users["admin"], perf.city.staff, role="citizen")
    assert r.rater is None and r.rater_key == "warga:A1" and r.rater_role == "citizen"
    with pytest.raises(Forbidden):
        submit(perf.users["kabid"], perf.city.staff, role="citizen")
    with pytest.raises(Forbidden):
        submit(perf.users["admin"], perf.city.staff)  # admin is nobody's rater otherwise


def test_peer_assigned_in_the_same_opd_rates_as_peer(perf):
    admin = perf.users["admin"]
    with pytest.raises(Forbidden):
        peer_assign(actor=perf.users["kabid"], rater_employee_id=perf.city.staff.pk, ratee_id=perf.city.staff2.pk,
                    year=2026)  # fmt: skip
    with pytest.raises(ValidationFailed):
        peer_assign(actor=admin, rater_employee_id=perf.city.other.pk, ratee_id=perf.city.staff2.pk, year=2026)
    peer_assign(actor=admin, rater_employee_id=perf.city.staff.pk, ratee_id=perf.city.staff2.pk, year=2026)
    r = submit(perf.users["staff"], perf.city.staff2)
    assert r.rater_role == "peer"
    assert AuditEvent.objects.filter(action="peer_assignment.created").exists()


def test_scores_must_cover_every_criterion_within_0_100(perf):
    kabid, staff = perf.users["kabid"], perf.city.staff
    with pytest.raises(ValidationFailed):
        submit(kabid, staff, {**FULL, "kualitas": 101})
    with pytest.raises(ValidationFailed):
        submit(kabid, staff, {k: v for k, v in FULL.items() if k != "integritas"})
    with pytest.raises(ValidationFailed):
        submit(kabid, staff, {**FULL, "lain": 50})
    with pytest.raises(ValidationFailed):
        submit(kabid, staff, {**FULL, "kualitas": "80.123"})


def test_rating_again_replaces_until_locked(perf):
    kabid, staff, admin = perf.users["kabid"], perf.city.staff, perf.users["admin"]
    first = submit(kabid, staff)
    again = submit(kabid, staff, {**FULL, "hasil_kerja": 90})
    assert again.pk == first.pk and again.value == Decimal("82.30")
    assert AuditEvent.objects.filter(action="rating.changed", object_id=str(first.pk)).exists()
    submit(perf.users["assessor"], perf.city.staff2)
    s = sessions.session_compute(actor=admin, period_start=P, pool="A/pelaksana")
    sessions.session_close(actor=admin, session_id=s.pk)
    assert set(Rating.objects.values_list("locked", flat=True)) == {True}
    with pytest.raises(TransitionRefused):
        submit(kabid, staff)
    with pytest.raises(TransitionRefused):  # a new rater in a closed pool
        submit(admin, staff2 := perf.city.staff2, role="citizen")
    assert not Rating.objects.filter(ratee=staff2, rater_role="citizen").exists()


@pytest.mark.parametrize(
    ("kind", "jenjang", "kelas", "level"),
    [
        ("jpt", "", 14, "jpt"),
        ("administrator", "", 11, "administrator"),
        ("pengawas", "", 9, "pengawas"),
        ("fungsional", "ahli_muda", 9, "fungsional_ahli"),
        ("fungsional", "terampil", 7, "fungsional_terampil"),
        ("fungsional", "", 8, "fungsional_ahli"),
        ("fungsional", "", 6, "fungsional_terampil"),
        ("pelaksana", "", 6, "pelaksana"),
    ],
)
def test_job_level(kind, jenjang, kelas, level):
    assert job_level(kind, jenjang, kelas) == level


def test_pool_follows_the_pack_mode(perf, monkeypatch):
    from pamong.performance import ratings

    monkeypatch.setattr(ratings, "pool_mode", lambda on: "opd")
    assert pool_of(perf.city.staff, P) == "A"
    monkeypatch.setattr(ratings, "pool_mode", lambda on: "kota_jenjang")
    assert pool_of(perf.city.staff, P) == "kota/pelaksana" == pool_of(perf.city.other, P)
    assert pool_label("kota/pelaksana") == "Seluruh kota · Pelaksana"
    other_pos = f.position(perf.city.opd_b, "Kepala B", kind="jpt", kelas=14)
    assert pool_of(f.employee(other_pos), P) == "kota/jpt"
