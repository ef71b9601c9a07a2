"""performance/evaluations.py: periodic ratings (who, predikat per kuadran cell, capaian from the pack, immutability,
quarterly periods) and the unit's year-end (unit head from the organisation, unrated, pattern reason, finalised)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction

from pamong.audit.models import AuditEvent
from pamong.core.errors import Forbidden, TransitionRefused, ValidationFailed
from pamong.core.models import Notification
from pamong.performance import evaluations as ev_services
from pamong.performance.engine.predikat import KUADRAN
from pamong.performance.models import Evaluation, EvaluationState, UnitYear
from pamong.rules.params import params_in_force

NOV = dt.date(2026, 11, 1)


@pytest.fixture
def skps(perf):
    return perf.chain()


def rate(perf, who="kabid", emp="staff", month=NOV, hasil="sesuai", perilaku="sesuai", **kw):
    return ev_services.evaluation_rate(actor=perf.users[who], employee_id=getattr(perf.city, emp).pk, month=month,
                                       hasil=hasil, perilaku=perilaku, **kw)  # fmt: skip


def pack_capaian(predikat: str) -> int:
    return int(params_in_force(NOV, region="sawahlunto")["kinerja/capaian_predikat"].value[predikat])


# ---- periodic: who rates ----------------------------------------------------------------------------------------


def test_the_penilai_rates_a_draft_with_predikat_and_capaian(perf, skps):
    ev = rate(perf, hasil="di_atas", perilaku="sesuai", note="Baik sekali")
    assert ev.state == EvaluationState.DRAFT and ev.predikat == "baik"
    assert (ev.period_start, ev.period_end) == (NOV, dt.date(2026, 11, 30))
    assert ev.capaian_bp == pack_capaian("baik") == 9000
    assert ev.capaian_source.startswith("kinerja/capaian_predikat sejak")
    assert AuditEvent.objects.filter(action="evaluation.rated", object_id=str(ev.pk)).exists()
    again = rate(perf, hasil="sesuai", perilaku="sesuai")  # the draft is replaced, not duplicated
    assert again.pk == ev.pk and Evaluation.objects.count() == 1


@pytest.mark.parametrize("who", ["staff", "staff2", "assessor", "admin", "head", "operator_a", "inspector", "other"])
def test_only_the_penilai_rates(perf, skps, who):
    with pytest.raises(Forbidden):
        rate(perf, who=who)
    assert not Evaluation.objects.exists()


def test_admin_rates_the_one_the_head_of_region_rates(perf, skps):
    ev = rate(perf, who="admin", emp="head")
    assert ev.employee == perf.city.head
    with pytest.raises(Forbidden):
        rate(perf, who="kabid", emp="head")


def test_no_agreed_skp_no_rating(perf):
    with pytest.raises(TransitionRefused):
        rate(perf)


def test_a_period_not_yet_begun_is_refused(perf, skps):
    with pytest.raises(ValidationFailed):
        rate(perf, month=dt.date(2099, 1, 1))


@pytest.mark.parametrize("hasil,perilaku", [("bagus", "sesuai"), ("sesuai", ""), ("sesuai", "DI_ATAS")])
def test_bad_ratings_write_nothing(perf, skps, hasil, perilaku):
    with pytest.raises(ValidationFailed):
        rate(perf, hasil=hasil, perilaku=perilaku)
    assert not Evaluation.objects.exists()


# ---- periodic: predikat per kuadran cell, capaian from the pack -------------------------------------------------


@pytest.mark.parametrize("cell", sorted(KUADRAN))
def test_each_kuadran_cell_gives_its_predikat_and_the_packs_capaian(perf, skps, cell):
    hasil, perilaku = cell
    ev = rate(perf, hasil=hasil, perilaku=perilaku)
    expected = {
        ("di_atas", "di_atas"): "sangat_baik", ("di_atas", "sesuai"): "baik", ("di_atas", "di_bawah"): "kurang",
        ("sesuai", "di_atas"): "baik", ("sesuai", "sesuai"): "baik", ("sesuai", "di_bawah"): "kurang",
        ("di_bawah", "di_atas"): "butuh_perbaikan", ("di_bawah", "sesuai"): "butuh_perbaikan",
        ("di_bawah", "di_bawah"): "sangat_kurang",
    }[cell]  # fmt: skip
    assert ev.predikat == expected
    assert ev.capaian_bp == pack_capaian(expected)


def test_a_pack_without_the_capaian_table_refuses(perf, skps, monkeypatch):
    real = ev_services._pack
    monkeypatch.setattr(ev_services, "_pack",
                        lambda on: {k: v for k, v in real(on).items() if k != "kinerja/capaian_predikat"})  # fmt: skip
    with pytest.raises(ValidationFailed):
        rate(perf)
    assert not Evaluation.objects.exists()


# ---- periodic: final is immutable -------------------------------------------------------------------------------


def test_finalise_notifies_and_then_nothing_changes_it(perf, skps):
    ev = rate(perf)
    done = ev_services.evaluation_finalise(actor=perf.users["kabid"], evaluation_id=ev.pk)
    assert done.state == EvaluationState.FINAL and done.finalised_at is not None
    assert Notification.objects.filter(user=perf.users["staff"], link=f"/kinerja/penilaian/{ev.pk}/").exists()
    with pytest.raises(TransitionRefused):
        rate(perf, hasil="di_bawah")
    with pytest.raises(TransitionRefused):
        ev_services.evaluation_finalise(actor=perf.users["kabid"], evaluation_id=ev.pk)
    ev.refresh_from_db()
    assert ev.hasil == "sesuai"


def test_finalise_by_someone_else_is_refused(perf, skps):
    ev = rate(perf)
    for who in ("staff", "head", "admin"):
        with pytest.raises(Forbidden):
            ev_services.evaluation_finalise(actor=perf.users[who], evaluation_id=ev.pk)
    ev.refresh_from_db()
    assert ev.state == EvaluationState.DRAFT


def test_rate_and_finalise_at_once(perf, skps):
    ev = rate(perf, finalise=True)
    assert ev.state == EvaluationState.FINAL
    assert AuditEvent.objects.filter(action="evaluation.finalised", object_id=str(ev.pk)).exists()


@pytest.mark.parametrize(
    "sql",
    ["UPDATE performance_evaluation SET hasil = 'di_atas' WHERE id = %s",
     "UPDATE performance_evaluation SET state = 'draft' WHERE id = %s",
     "DELETE FROM performance_evaluation WHERE id = %s"],
)  # fmt: skip
def test_the_database_refuses_a_raw_update_or_delete_of_a_final_row(perf, skps, sql):
    ev = rate(perf, finalise=True)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql, [ev.pk])
    ev.refresh_from_db()
    assert ev.state == EvaluationState.FINAL and ev.hasil == "sesuai"


def test_a_draft_may_still_be_changed_in_the_database(perf, skps):
    ev = rate(perf)
    with connection.cursor() as cur:
        cur.execute("UPDATE performance_evaluation SET note = 'x' WHERE id = %s", [ev.pk])
    ev.refresh_from_db()
    assert ev.note == "x"


# ---- periodic: quarterly by the region's pack -------------------------------------------------------------------


@pytest.fixture
def quarterly(monkeypatch):
    real = ev_services._pack

    def pack(on):
        found = dict(real(on))
        base = found["kinerja/periode_evaluasi"]
        found["kinerja/periode_evaluasi"] = dataclasses.replace(base, value="triwulanan")
        return found

    monkeypatch.setattr(ev_services, "_pack", pack)


def test_quarterly_periods_take_the_whole_quarter(perf, skps, quarterly):
    assert ev_services.period_of(dt.date(2026, 11, 15)) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert ev_services.period_of(dt.date(2026, 2, 1)) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    ev = rate(perf, month=dt.date(2026, 11, 20), finalise=True)
    assert (ev.period_start, ev.period_end) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    again = ev_services.capaian_for([perf.city.staff.pk], dt.date(2026, 10, 1))  # each month of the quarter
    assert again[perf.city.staff.pk].evaluation_id == ev.pk
    assert ev_services.capaian_for([perf.city.staff.pk], dt.date(2026, 12, 1))[perf.city.staff.pk].bp == ev.capaian_bp
    assert ev_services.capaian_for([perf.city.staff.pk], dt.date(2026, 9, 1)) == {}
    with pytest.raises(TransitionRefused):  # the same quarter through another month
        rate(perf, month=dt.date(2026, 10, 3))


def test_monthly_is_the_default(perf):
    assert ev_services.frequency(NOV) == ev_services.MONTHLY
    assert ev_services.period_of(dt.date(2026, 2, 10)) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))


def test_capaian_for_ignores_drafts_and_takes_the_correction(perf, skps):
    ev = rate(perf)
    assert ev_services.capaian_for([perf.city.staff.pk], NOV) == {}
    ev_services.evaluation_finalise(actor=perf.users["kabid"], evaluation_id=ev.pk)
    fix = Evaluation.objects.create(employee=perf.city.staff, skp=ev.skp, kind="periodic", period_start=NOV,
                                    period_end=ev.period_end, state="final", hasil="di_atas", perilaku="di_atas",
                                    predikat="sangat_baik", capaian_bp=10000, rated_by=perf.users["head"],
                                    corrects=ev)  # fmt: skip
    got = ev_services.capaian_for([perf.city.staff.pk], NOV)[perf.city.staff.pk]
    assert (got.evaluation_id, got.bp) == (fix.pk, 10000)


# ---- year end ---------------------------------------------------------------------------------------------------
# Bidang A1: Kabid A1 heads it (rated by Kepala A, who therefore decides its year-end); Staf Satu and Staf Dua are
# rated by the Kabid.


def unit(perf):
    return perf.city.bidang_a.pk


def org(perf, organisasi="baik", who="head"):
    return ev_services.unit_year_set(actor=perf.users[who], unit_id=unit(perf), year=2026, organisasi=organisasi,
                                     basis="Evaluasi SAKIP 2026")  # fmt: skip


def annual(perf, emp, perilaku="sesuai", hasil=None, who=None):
    who = who or ("head" if emp == "kabid" else "kabid")
    return ev_services.annual_rate(actor=perf.users[who], employee_id=getattr(perf.city, emp).pk, year=2026,
                                   perilaku=perilaku, hasil=hasil)  # fmt: skip


@pytest.mark.parametrize("who", ["kabid", "staff", "operator_a", "inspector"])
def test_only_the_decider_sets_the_organisations_capaian(perf, skps, who):
    with pytest.raises(Forbidden):
        org(perf, who=who)
    assert not UnitYear.objects.exists()


def test_admin_may_set_it_too_and_bad_values_are_refused(perf, skps):
    assert org(perf, who="admin").organisasi == "baik"
    with pytest.raises(ValidationFailed):
        org(perf, organisasi="luar_biasa")


def test_the_unit_heads_hasil_follows_the_organisation(perf, skps):
    with pytest.raises(TransitionRefused):  # no organisation capaian yet
        annual(perf, "kabid")
    org(perf, "istimewa")
    with pytest.raises(ValidationFailed):
        annual(perf, "kabid", hasil="di_bawah")
    ev = annual(perf, "kabid", perilaku="di_atas")
    assert (ev.hasil, ev.predikat) == ("di_atas", "sangat_baik")


def test_the_heads_hasil_is_taken_again_when_the_unit_is_finalised(perf, skps):
    org(perf, "baik")
    head_ev = annual(perf, "kabid", perilaku="di_atas")
    assert head_ev.hasil == "sesuai"
    annual(perf, "staff", hasil="di_atas", perilaku="di_atas")
    annual(perf, "staff2", hasil="sesuai", perilaku="sesuai")
    org(perf, "istimewa")  # changed before finalising
    ev_services.unit_year_finalise(actor=perf.users["head"], unit_id=unit(perf), year=2026, reason="")
    head_ev.refresh_from_db()
    assert (head_ev.hasil, head_ev.predikat, head_ev.state) == ("di_atas", "sangat_baik", "final")


def test_staff_need_a_hasil_and_only_their_penilai_rates_them(perf, skps):
    org(perf)
    with pytest.raises(ValidationFailed):
        annual(perf, "staff")
    with pytest.raises(Forbidden):
        annual(perf, "staff", hasil="sesuai", who="head")


def test_finalise_refused_while_someone_is_unrated(perf, skps):
    org(perf, "istimewa")
    annual(perf, "kabid", perilaku="di_atas")
    annual(perf, "staff", hasil="di_atas", perilaku="di_atas")
    with pytest.raises(ValidationFailed) as exc:
        ev_services.unit_year_finalise(actor=perf.users["head"], unit_id=unit(perf), year=2026, reason="x")
    assert exc.value.details["employees"] == [perf.city.staff2.pk]
    assert not Evaluation.objects.filter(state="final").exists()
    assert UnitYear.objects.get().finalised_at is None


def test_finalise_without_an_organisation_capaian_is_refused(perf, skps):
    with pytest.raises(TransitionRefused):
        ev_services.unit_year_finalise(actor=perf.users["head"], unit_id=unit(perf), year=2026)


def test_finalise_by_a_rater_who_does_not_decide_is_refused(perf, skps):
    org(perf)
    with pytest.raises(Forbidden):
        ev_services.unit_year_finalise(actor=perf.users["kabid"], unit_id=unit(perf), year=2026)


def test_a_pattern_that_holds_finalises_without_a_reason(perf, skps):
    org(perf, "istimewa")  # 2 of 3 Sangat Baik: the majority and not above 70 %
    annual(perf, "kabid", perilaku="di_atas")
    annual(perf, "staff", hasil="di_atas", perilaku="di_atas")
    annual(perf, "staff2", hasil="sesuai", perilaku="sesuai")
    preview = ev_services.unit_year_preview(unit(perf), 2026)
    assert preview.pelanggaran == [] and preview.distribusi["sangat_baik"] == 2
    uy = ev_services.unit_year_finalise(actor=perf.users["head"], unit_id=unit(perf), year=2026)
    assert uy.finalised_at is not None and uy.violations == [] and uy.violation_reason == ""
    assert set(Evaluation.objects.values_list("state", flat=True)) == {"final"}
    assert Notification.objects.filter(link__startswith="/kinerja/penilaian/").count() == 3


def test_a_broken_pattern_needs_a_reason_and_keeps_it(perf, skps):
    org(perf, "baik")  # everyone Baik: more than 70 % Baik and nobody Butuh Perbaikan/Kurang
    annual(perf, "kabid", perilaku="sesuai")
    annual(perf, "staff", hasil="sesuai", perilaku="sesuai")
    annual(perf, "staff2", hasil="sesuai", perilaku="di_atas")
    preview = ev_services.unit_year_preview(unit(perf), 2026)
    assert set(preview.pelanggaran) == {"B_MAKS_70", "BP_ATAU_K_ADA"}
    assert all(text and "BP_" not in text for text in preview.explanations)
    with pytest.raises(ValidationFailed) as exc:
        ev_services.unit_year_finalise(actor=perf.users["head"], unit_id=unit(perf), year=2026, reason="  ")
    assert exc.value.details["field"] == "reason"
    assert not Evaluation.objects.filter(state="final").exists()
    uy = ev_services.unit_year_finalise(actor=perf.users["head"], unit_id=unit(perf), year=2026,
                                        reason="Unit kecil: tiga pegawai, semuanya memenuhi target.")  # fmt: skip
    assert set(uy.violations) == {"B_MAKS_70", "BP_ATAU_K_ADA"}
    assert uy.violation_reason.startswith("Unit kecil")
    assert uy.distribution["baik"] == 3
    assert AuditEvent.objects.filter(action="unit_year.finalised").exists()


def test_a_finalised_unit_refuses_further_ratings(perf, skps):
    org(perf, "istimewa")
    annual(perf, "kabid", perilaku="di_atas")
    annual(perf, "staff", hasil="di_atas", perilaku="di_atas")
    annual(perf, "staff2", hasil="sesuai", perilaku="sesuai")
    ev_services.unit_year_finalise(actor=perf.users["head"], unit_id=unit(perf), year=2026)
    with pytest.raises(TransitionRefused):
        annual(perf, "staff2", hasil="di_atas", perilaku="di_atas")
    with pytest.raises(TransitionRefused):
        org(perf, "baik")
    with pytest.raises(TransitionRefused):
        ev_services.unit_year_finalise(actor=perf.users["head"], unit_id=unit(perf), year=2026)
    assert Evaluation.objects.get(employee=perf.city.staff2).predikat == "baik"


def test_annual_evaluations_cannot_be_finalised_one_by_one(perf, skps):
    org(perf)
    ev = annual(perf, "staff", hasil="sesuai", perilaku="sesuai")
    with pytest.raises(TransitionRefused):
        ev_services.evaluation_finalise(actor=perf.users["kabid"], evaluation_id=ev.pk)
