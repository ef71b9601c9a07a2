"""Appeals (PP 30/2019 Pasal 59): the filing deadline, who may act at each step, the final decision and its
correcting evaluation, withdrawal, notifications and the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from pamong.audit.models import AuditEvent
from pamong.core.errors import Forbidden, NotVisible, TransitionRefused, ValidationFailed
from pamong.core.models import Notification
from pamong.performance import appeals as svc
from pamong.performance.evaluations import capaian_for, current
from pamong.performance.models import Appeal, AppealState, Evaluation

from .appeal_setup import NOV, examining, filed, final_periodic


@pytest.fixture
def ev(perf):
    perf.chain()
    return final_periodic(perf)


# ---- filing -------------------------------------------------------------------------------------------------------


def test_filing_on_the_last_allowed_day_works(perf, ev):
    last = svc.received_on(ev) + dt.timedelta(days=14)
    assert svc.file_deadline(ev) == last
    a = svc.appeal_file(actor=perf.users["staff"], evaluation_id=ev.pk, reasons="Alasan saya.", today=last)
    assert a.state == AppealState.FILED
    assert a.atasan_id == perf.city.head.pk  # the SKP's atasan pejabat penilai
    assert a.decide_by == last + dt.timedelta(days=14)


def test_filing_the_day_after_is_refused_naming_the_deadline(perf, ev):
    late = svc.received_on(ev) + dt.timedelta(days=15)
    with pytest.raises(TransitionRefused) as exc:
        svc.appeal_file(actor=perf.users["staff"], evaluation_id=ev.pk, reasons="Alasan saya.", today=late)
    assert "paling lambat" in exc.value.message
    assert str((late - dt.timedelta(days=1)).year) in exc.value.message
    assert not Appeal.objects.exists()


def test_reasons_are_required(perf, ev):
    with pytest.raises(ValidationFailed):
        svc.appeal_file(actor=perf.users["staff"], evaluation_id=ev.pk, reasons="  ", today=svc.received_on(ev))


@pytest.mark.parametrize("who", ["kabid", "head", "admin", "operator_a"])
def test_only_the_employee_files(perf, ev, who):
    with pytest.raises(Forbidden):
        svc.appeal_file(actor=perf.users[who], evaluation_id=ev.pk, reasons="x", today=svc.received_on(ev))


@pytest.mark.parametrize("who", ["other", "staff2", "assessor"])
def test_someone_who_cannot_see_the_evaluation_gets_not_found(perf, ev, who):
    with pytest.raises(NotVisible):
        svc.appeal_file(actor=perf.users[who], evaluation_id=ev.pk, reasons="x", today=svc.received_on(ev))


def test_a_draft_evaluation_cannot_be_appealed(perf):
    from pamong.performance.evaluations import evaluation_rate

    perf.chain()
    draft = evaluation_rate(actor=perf.users["kabid"], employee_id=perf.city.staff.pk, month=NOV, hasil="sesuai",
                            perilaku="sesuai")  # fmt: skip
    with pytest.raises(TransitionRefused, match="sudah final"):
        svc.appeal_file(actor=perf.users["staff"], evaluation_id=draft.pk, reasons="x")


def test_one_live_appeal_per_evaluation(perf, ev):
    filed(perf, ev)
    with pytest.raises(TransitionRefused, match="sedang diproses"):
        filed(perf, ev)
    with pytest.raises(IntegrityError), transaction.atomic():  # the database holds it too
        Appeal.objects.create(evaluation=ev, employee=ev.employee, reasons="x", decide_by=NOV)


# ---- examination --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["kabid", "staff", "staff2", "admin", "other", "inspector"])
def test_only_the_atasan_requests_explanations(perf, ev, who):
    a = filed(perf, ev)
    with pytest.raises(Forbidden):
        svc.appeal_request_explanations(actor=perf.users[who], appeal_id=a.pk)
    a.refresh_from_db()
    assert a.state == AppealState.FILED


def test_statements_only_by_their_parties_and_only_while_examining(perf, ev):
    a = filed(perf, ev)
    with pytest.raises(TransitionRefused, match="setelah atasan"):
        svc.appeal_statement(actor=perf.users["kabid"], appeal_id=a.pk, text="Penjelasan penilai.")
    svc.appeal_request_explanations(actor=perf.users["head"], appeal_id=a.pk)
    for who in ("head", "staff2", "admin", "other"):
        with pytest.raises(Forbidden):
            svc.appeal_statement(actor=perf.users[who], appeal_id=a.pk, text="Bukan urusan saya.")
    svc.appeal_statement(actor=perf.users["kabid"], appeal_id=a.pk, text="Penjelasan penilai.")
    svc.appeal_statement(actor=perf.users["staff"], appeal_id=a.pk, text="Penjelasan pegawai.")
    a.refresh_from_db()
    assert (a.penilai_statement, a.employee_statement) == ("Penjelasan penilai.", "Penjelasan pegawai.")
    assert a.penilai_statement_at and a.employee_statement_at and a.examining_at
    with pytest.raises(TransitionRefused, match="sudah tercatat"):  # once each
        svc.appeal_statement(actor=perf.users["staff"], appeal_id=a.pk, text="Lagi.")
    svc.appeal_decide(actor=perf.users["head"], appeal_id=a.pk, outcome="upheld", reason="Penilaian sudah tepat.")
    with pytest.raises(TransitionRefused, match="final"):
        svc.appeal_statement(actor=perf.users["kabid"], appeal_id=a.pk, text="Terlambat.")


# ---- decision -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["kabid", "staff", "staff2", "admin", "other", "inspector", "operator_a"])
def test_only_the_atasan_decides(perf, ev, who):
    a = examining(perf, ev)
    with pytest.raises(Forbidden):
        svc.appeal_decide(actor=perf.users[who], appeal_id=a.pk, outcome="upheld", reason="x")
    a.refresh_from_db()
    assert a.state == AppealState.EXAMINING


def test_admin_decides_when_there_is_no_atasan(perf):
    perf.chain()
    ev = final_periodic(perf, "kabid")  # rated by Kepala A, whose own rater is the Wali Kota
    a = filed(perf, ev, "kabid")
    assert a.atasan_id is None
    with pytest.raises(Forbidden):
        svc.appeal_request_explanations(actor=perf.users["head"], appeal_id=a.pk)
    svc.appeal_request_explanations(actor=perf.users["admin"], appeal_id=a.pk)
    svc.appeal_statement(actor=perf.users["head"], appeal_id=a.pk, text="Penjelasan Kepala A.")
    a = svc.appeal_decide(actor=perf.users["admin"], appeal_id=a.pk, outcome="upheld", reason="Tepat.")
    assert a.state == AppealState.UPHELD


def test_decision_needs_the_examination_and_a_reason(perf, ev):
    a = filed(perf, ev)
    with pytest.raises(TransitionRefused, match="Mintalah penjelasan"):
        svc.appeal_decide(actor=perf.users["head"], appeal_id=a.pk, outcome="upheld", reason="Tepat.")
    svc.appeal_request_explanations(actor=perf.users["head"], appeal_id=a.pk)
    with pytest.raises(ValidationFailed):
        svc.appeal_decide(actor=perf.users["head"], appeal_id=a.pk, outcome="upheld", reason="")
    with pytest.raises(ValidationFailed):
        svc.appeal_decide(actor=perf.users["head"], appeal_id=a.pk, outcome="changed", reason="Sama saja.")


def test_changed_writes_a_correcting_evaluation_and_payroll_takes_it(perf, ev):
    before = {f.attname: getattr(ev, f.attname) for f in Evaluation._meta.concrete_fields}
    assert capaian_for([ev.employee_id], NOV)[ev.employee_id].bp == 9000  # baik
    a = examining(perf, ev)
    a = svc.appeal_decide(actor=perf.users["head"], appeal_id=a.pk, outcome="changed", new_hasil="di_atas",
                          new_perilaku="di_atas", reason="Bukti capaian melampaui target.")  # fmt: skip
    assert a.state == AppealState.CHANGED
    new = a.correction
    assert new.corrects_id == ev.pk and new.state == "final" and new.finalised_at
    assert (new.kind, new.period_start, new.period_end, new.skp_id) == (ev.kind, ev.period_start, ev.period_end,
                                                                        ev.skp_id)  # fmt: skip
    assert new.predikat == "sangat_baik" and new.capaian_bp == 10000
    ev.refresh_from_db()
    assert {f.attname: getattr(ev, f.attname) for f in Evaluation._meta.concrete_fields} == before  # untouched
    got = capaian_for([ev.employee_id], NOV)[ev.employee_id]
    assert (got.evaluation_id, got.bp, got.predikat) == (new.pk, 10000, "sangat_baik")
    assert list(current(Evaluation.objects.filter(employee=ev.employee))) == [new]
    assert svc.in_force(ev) == new


def test_upheld_leaves_the_evaluation(perf, ev):
    a = examining(perf, ev)
    a = svc.appeal_decide(actor=perf.users["head"], appeal_id=a.pk, outcome="upheld", reason="Sudah tepat.")
    assert a.state == AppealState.UPHELD and a.correction is None
    assert capaian_for([ev.employee_id], NOV)[ev.employee_id].evaluation_id == ev.pk
    assert not Evaluation.objects.filter(corrects=ev).exists()


def test_the_decision_is_final(perf, ev):
    a = examining(perf, ev)
    a = svc.appeal_decide(actor=perf.users["head"], appeal_id=a.pk, outcome="changed", new_hasil="di_atas",
                          reason="Dikabulkan.")  # fmt: skip
    with pytest.raises(TransitionRefused, match="final"):  # no second decision
        svc.appeal_decide(actor=perf.users["head"], appeal_id=a.pk, outcome="upheld", reason="Berubah pikiran.")
    with pytest.raises(TransitionRefused, match="final"):  # no withdrawal after it
        svc.appeal_withdraw(actor=perf.users["staff"], appeal_id=a.pk)
    with pytest.raises(TransitionRefused):  # no re-appeal of the appealed evaluation
        filed(perf, ev)
    with pytest.raises(TransitionRefused, match="bersifat final"):  # nor of the correction: PP 30 — it is final
        svc.appeal_file(actor=perf.users["staff"], evaluation_id=a.correction.pk, reasons="Lagi.",
                        today=svc.received_on(a.correction))  # fmt: skip


def test_an_upheld_evaluation_cannot_be_appealed_again(perf, ev):
    a = examining(perf, ev)
    svc.appeal_decide(actor=perf.users["head"], appeal_id=a.pk, outcome="upheld", reason="Tepat.")
    with pytest.raises(TransitionRefused, match="sudah diputus"):
        filed(perf, ev)


def test_withdrawn_by_the_employee_only_before_a_decision(perf, ev):
    a = examining(perf, ev)
    for who in ("head", "kabid", "admin"):
        with pytest.raises(Forbidden):
            svc.appeal_withdraw(actor=perf.users[who], appeal_id=a.pk)
    a = svc.appeal_withdraw(actor=perf.users["staff"], appeal_id=a.pk)
    assert a.state == AppealState.WITHDRAWN
    with pytest.raises(TransitionRefused, match="ditarik"):
        svc.appeal_decide(actor=perf.users["head"], appeal_id=a.pk, outcome="upheld", reason="x")
    assert filed(perf, ev).state == AppealState.FILED  # within the window, a new appeal may be filed


def test_every_party_is_notified_with_a_link_and_every_step_audited(perf, ev):
    users = perf.users
    a = filed(perf, ev)
    link = f"/kinerja/keberatan/{a.pk}/"

    def got(key):
        return Notification.objects.filter(user=users[key], link=link).count()

    assert (got("staff"), got("kabid"), got("head")) == (0, 1, 1)  # the actor is not told what they did
    svc.appeal_request_explanations(actor=users["head"], appeal_id=a.pk)
    assert (got("staff"), got("kabid"), got("head")) == (1, 2, 1)
    svc.appeal_statement(actor=users["kabid"], appeal_id=a.pk, text="Penjelasan.")
    svc.appeal_decide(actor=users["head"], appeal_id=a.pk, outcome="changed", new_perilaku="di_atas", reason="Ok.")
    assert (got("staff"), got("kabid"), got("head")) == (3, 3, 2)
    assert "Baik" in Notification.objects.filter(user=users["staff"], link=link).order_by("-id").first().text
    actions = list(AuditEvent.objects.filter(object_id=str(a.pk), object_type="performance.appeal")
                   .order_by("seq").values_list("action", flat=True))  # fmt: skip
    assert actions == ["appeal.filed", "appeal.examining", "appeal.penilai_statement", "appeal.changed"]
    decided = AuditEvent.objects.get(action="appeal.changed")
    assert decided.changes["predikat"] == ["baik", "baik"] and decided.reason == "Ok."
    a.refresh_from_db()
    assert AuditEvent.objects.filter(action="evaluation.corrected", object_id=str(a.correction_id)).exists()


def test_admin_is_notified_for_the_head_of_regions_seat(perf):
    perf.chain()
    ev = final_periodic(perf, "kabid")
    a = filed(perf, ev, "kabid")
    assert Notification.objects.filter(user=perf.users["admin"], link=f"/kinerja/keberatan/{a.pk}/").exists()


def test_overdue_undecided_appeals_are_listed_for_the_atasan_and_bkpsdm(perf, ev):
    a = filed(perf, ev)
    after = a.decide_by + dt.timedelta(days=1)
    assert not svc.appeals_overdue(perf.users["head"], a.decide_by).exists()  # the last day is not late
    for who in ("head", "admin"):
        assert list(svc.appeals_overdue(perf.users[who], after)) == [a]
    for who in ("kabid", "staff", "other"):
        assert not svc.appeals_overdue(perf.users[who], after).exists()
    assert svc.is_overdue(a, after)
    svc.appeal_request_explanations(actor=perf.users["head"], appeal_id=a.pk)
    svc.appeal_decide(actor=perf.users["head"], appeal_id=a.pk, outcome="upheld", reason="Tepat.")
    assert not svc.appeals_overdue(perf.users["admin"], after).exists()  # decided late, but decided


def test_an_annual_correction_becomes_the_predikat_in_force(perf):
    from pamong.performance.evaluations import annual_rate, unit_year_finalise, unit_year_set
    from pamong.performance.models import UnitYear

    perf.chain()
    admin, head, bidang = perf.users["admin"], perf.users["head"], perf.city.bidang_a
    unit_year_set(actor=admin, unit_id=bidang.pk, year=2026, organisasi="baik", basis="Capaian renstra.")
    annual_rate(actor=head, employee_id=perf.city.kabid.pk, year=2026, perilaku="sesuai")
    for key in ("staff", "staff2"):
        annual_rate(actor=perf.users["kabid"], employee_id=getattr(perf.city, key).pk, year=2026, hasil="sesuai",
                    perilaku="sesuai")  # fmt: skip
    uy = unit_year_finalise(actor=admin, unit_id=bidang.pk, year=2026, reason="Unit kecil.")
    ev = Evaluation.objects.get(employee=perf.city.staff, kind="annual")
    a = examining(perf, ev)
    svc.appeal_decide(actor=head, appeal_id=a.pk, outcome="changed", new_hasil="di_atas", new_perilaku="di_atas",
                      reason="Dikabulkan.")  # fmt: skip
    now = current(Evaluation.objects.filter(employee=perf.city.staff, kind="annual")).get()
    assert now.predikat == "sangat_baik" and now.corrects_id == ev.pk and now.capaian_bp is None
    assert UnitYear.objects.get(pk=uy.pk).distribution == uy.distribution  # history stays as finalised


def test_a_unit_heads_annual_hasil_follows_the_organisation_even_on_appeal(perf):
    from .appeal_setup import finalise_year

    perf.chain()
    finalise_year(perf, {})
    ev = Evaluation.objects.get(employee=perf.city.kabid, kind="annual")  # Kabid A1 heads Bidang A1
    a = examining(perf, ev, "kabid", atasan="admin")
    with pytest.raises(ValidationFailed, match="pimpinan unit"):
        svc.appeal_decide(actor=perf.users["admin"], appeal_id=a.pk, outcome="changed", new_hasil="sesuai",
                          reason="Turunkan.")  # fmt: skip
    a = svc.appeal_decide(actor=perf.users["admin"], appeal_id=a.pk, outcome="changed", new_perilaku="di_atas",
                          reason="Perilaku kerja di atas ekspektasi.")  # fmt: skip
    assert (a.correction.hasil, a.correction.predikat) == ("di_atas", "sangat_baik")
