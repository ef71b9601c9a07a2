"""Discipline recommendations from MonthRecap and the case services: open → BAP → decide (→ payroll sanction) →
appeal → decision, drop; who may do what; a case out of scope is not visible."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from pamong.attendance import discipline_cases as svc
from pamong.attendance.discipline import case_get, case_timeline, discipline_recommendations, discipline_rules
from pamong.attendance.ladder import NO_CONVERSION
from pamong.attendance.models import DisciplineCase
from pamong.audit.models import AuditEvent
from pamong.core.errors import Forbidden, NotVisible, TransitionRefused, ValidationFailed
from pamong.core.models import Notification
from pamong.payroll.models import DisciplinarySanction

from .factories_discipline import PDF, recap

Y = 2026
AS_OF = dt.date(2026, 11, 30)
State = DisciplineCase.State


def recs(**kw):
    return {c.employee.pk: c for c in discipline_recommendations(Y, AS_OF, **kw)}


def test_recommendations_from_the_years_recaps(city):
    recap(city.staff, dt.date(Y, 3, 1), tk=5)
    recap(city.staff, dt.date(Y, 4, 1), tk=7)  # 12 days in the year
    recap(city.other, dt.date(Y, 3, 1), tk=2)  # below the first threshold
    # kabid: 5 + 5 TK around a holiday ('-') → a run of 10 consecutive working days
    days = "-" * 2 + "TTTTT" + "-" + "TTTTT" + "H" * 21
    recap(city.kabid, dt.date(Y, 6, 1), days=days[:30])
    # staff2: the same days but an approved absence ('A') in the middle → no run of 10
    recap(city.staff2, dt.date(Y, 6, 1), days=("--TTTTTATTTTT" + "H" * 17))
    found = recs()
    assert set(found) == {city.staff.pk, city.kabid.pk, city.staff2.pk}
    assert (found[city.staff.pk].rec.code, found[city.staff.pk].rec.tk_days) == ("potong_tpp_25_6_bulan", 12)
    kabid = found[city.kabid.pk].rec
    assert (kabid.code, kabid.longest_run, kabid.tk_days) == ("pemberhentian", 10, 10)
    staff2 = found[city.staff2.pk].rec
    assert (staff2.code, staff2.longest_run) == ("pernyataan_tidak_puas", 5)
    assert list(discipline_recommendations(Y, AS_OF))[0].employee == city.kabid  # heaviest first


def test_a_run_continues_across_months_and_a_missing_month_breaks_it(city):
    recap(city.staff, dt.date(Y, 1, 1), days="H" * 26 + "TTTTT")  # 27..31 Jan
    recap(city.staff, dt.date(Y, 2, 1), days="TTTTT" + "H" * 23)
    assert recs()[city.staff.pk].rec.longest_run == 10
    recap(city.other, dt.date(Y, 1, 1), days="H" * 26 + "TTTTT")
    recap(city.other, dt.date(Y, 3, 1), days="TTTTT" + "H" * 26)  # no February recap
    assert recs()[city.other.pk].rec.longest_run == 5


def test_lateness_converts_to_days_with_the_regions_pack_and_not_without(city):
    recap(city.staff, dt.date(Y, 5, 1), tk=2, late=300, early=150)  # 450 minutes = 1 day
    assert recs()[city.staff.pk].rec.code == "teguran_lisan"
    rules = discipline_rules(AS_OF)
    off = type(rules)(on=rules.on, ladder=rules.ladder, conversion=NO_CONVERSION, months=rules.months)
    assert city.staff.pk not in recs(rules=off)


def test_recommendations_are_not_repeated_for_an_existing_case(city):
    admin = city.users["admin"]
    recap(city.staff, dt.date(Y, 3, 1), tk=4)
    case = svc.discipline_case_open(actor=admin, employee_id=city.staff.pk, year=Y, as_of=AS_OF)
    assert (case.basis, case.recommended, case.tk_days, case.state) == ("tk_kumulatif", "teguran_tertulis", 4, "open")
    assert city.staff.pk not in recs()
    with pytest.raises(TransitionRefused):
        svc.discipline_case_open(actor=admin, employee_id=city.staff.pk, year=Y, as_of=AS_OF)
    svc.discipline_case_drop(actor=admin, case_id=case.pk, reason="Data mesin diperiksa ulang")
    assert city.staff.pk not in recs()  # a dropped case still covers its level
    recap(city.staff, dt.date(Y, 4, 1), tk=3)  # 7 days: a heavier step
    assert recs()[city.staff.pk].rec.code == "pernyataan_tidak_puas"
    assert recs()[city.staff.pk].covered == "teguran_tertulis"
    again = svc.discipline_case_open(actor=admin, employee_id=city.staff.pk, year=Y, as_of=AS_OF)
    assert again.recommended == "pernyataan_tidak_puas"
    assert recs() == {}


def test_a_run_case_is_opened_on_the_consecutive_basis(city):
    recap(city.kabid, dt.date(Y, 6, 1), days=("--TTTTT-TTTTT" + "H" * 17))
    case = svc.discipline_case_open(actor=city.users["admin"], employee_id=city.kabid.pk, year=Y, as_of=AS_OF)
    assert (case.basis, case.recommended) == ("tk_berturut", "pemberhentian")


def _decided(city, code="potong_tpp_25_6_bulan", tmt=dt.date(2026, 11, 1)) -> DisciplineCase:
    admin = city.users["admin"]
    recap(city.staff, dt.date(Y, 3, 1), tk=12)
    case = svc.discipline_case_open(actor=admin, employee_id=city.staff.pk, year=Y, as_of=AS_OF)
    svc.discipline_case_examine(actor=admin, case_id=case.pk, bap_date=timezone.localdate(),
                                summary="Pegawai mengakui tidak masuk.", filename="bap.pdf", content=PDF)  # fmt: skip
    return svc.discipline_case_decide(actor=admin, case_id=case.pk, code=code, sk_number="800/12/BKPSDM/2026",
                                      sk_date=dt.date(2026, 10, 20), tmt=tmt)  # fmt: skip


def test_the_whole_case_is_audited_and_the_decision_becomes_a_payroll_sanction(city):
    case = _decided(city)
    assert case.state == State.DECIDED
    assert case.bap_file.name.startswith("discipline/") and case.bap_file.name.endswith(".pdf")
    assert case.until == dt.date(2027, 4, 30)  # 6 months from 1 Nov 2026
    s = DisciplinarySanction.objects.get(employee=city.staff)
    assert (s.code, s.tmt, s.sk_number, s.sk_date) == ("potong_tpp_25_6_bulan", dt.date(2026, 11, 1),
                                                       "800/12/BKPSDM/2026", dt.date(2026, 10, 20))  # fmt: skip
    assert case.sanction == s
    actions = [e.action for e in case_timeline(case)]
    assert actions == ["attendance.discipline_case.opened", "attendance.discipline_case.examined",
                       "attendance.discipline_case.decided"]  # fmt: skip
    assert AuditEvent.objects.filter(action="sanction.created", object_id=str(s.pk)).exists()
    assert Notification.objects.filter(user=city.users["staff"]).count() == 3


def test_a_decided_sanction_cuts_the_tpp_of_the_payroll_run(city):
    from pamong.payroll.compute import work
    from pamong.payroll.services import run_compute, run_create
    from tests.payroll.conftest import PERIOD, monthly_inputs

    _decided(city, tmt=PERIOD)
    monthly_inputs(PERIOD)
    bpkad = city.users["bpkad"]
    run = run_create(bpkad, period=PERIOD, kind="tpp")
    run = run_compute(bpkad, run, enqueue=False)
    work(run.id)
    run.refresh_from_db()
    assert run.errors_total == 0
    slip = run.payslips.get(employee=city.staff)
    assert slip.facts["sanction"] == "potong_tpp_25_6_bulan"
    after_discipline = slip.lines["tpp_kinerja"] + slip.lines["tpp_disiplin"]
    assert slip.lines["potongan_hukuman_disiplin"] == after_discipline * 2500 // 10000
    assert run.payslips.get(employee=city.kabid).lines["potongan_hukuman_disiplin"] == 0


def test_an_appeal_that_changes_the_sanction_replaces_the_payroll_row(city):
    case = _decided(city)
    old = case.sanction
    svc.discipline_case_appeal(actor=city.users["staff"], case_id=case.pk, kind="keberatan", text="Saya sakit.")
    case = svc.discipline_case_appeal_decide(
        actor=city.users["admin"], case_id=case.pk, outcome="changed", decision="Sebagian hari ternyata sakit.",
        code="pernyataan_tidak_puas", sk_number="800/20/BKPSDM/2026", sk_date=dt.date(2026, 11, 20),
        tmt=dt.date(2026, 12, 1),
    )  # fmt: skip
    assert case.state == State.CLOSED
    assert not DisciplinarySanction.objects.filter(pk=old.pk).exists()
    new = DisciplinarySanction.objects.get(employee=city.staff)
    assert (new.code, new.tmt, case.sanction_code, case.until) == (
        "pernyataan_tidak_puas", dt.date(2026, 12, 1), "pernyataan_tidak_puas", None)  # fmt: skip
    deleted = AuditEvent.objects.get(action="sanction.deleted")
    assert deleted.changes["code"] == ["potong_tpp_25_6_bulan", None]
    assert [e.action for e in case_timeline(case)][-2:] == ["attendance.discipline_case.appealed",
                                                            "attendance.discipline_case.appeal_changed"]  # fmt: skip


def test_an_upheld_appeal_keeps_and_an_annulled_one_removes_the_sanction(city):
    case = _decided(city)
    svc.discipline_case_appeal(actor=city.users["admin"], case_id=case.pk, kind="banding", text="Banding.")
    svc.discipline_case_appeal_decide(actor=city.users["admin"], case_id=case.pk, outcome="upheld",
                                      decision="Hukuman dikuatkan.")  # fmt: skip
    assert DisciplinarySanction.objects.filter(employee=city.staff).count() == 1

    other = _decided(city.__class__(**{**city.__dict__, "staff": city.staff2}))
    svc.discipline_case_appeal(actor=city.users["admin"], case_id=other.pk, kind="keberatan", text="Keberatan.")
    other = svc.discipline_case_appeal_decide(actor=city.users["admin"], case_id=other.pk, outcome="annulled",
                                              decision="Dibatalkan.", sk_number="800/30/BKPSDM/2026")  # fmt: skip
    assert other.sanction is None and other.state == State.CLOSED
    assert not DisciplinarySanction.objects.filter(employee=city.staff2).exists()


def test_decisions_are_checked(city):
    admin = city.users["admin"]
    recap(city.staff, dt.date(Y, 3, 1), tk=3)
    case = svc.discipline_case_open(actor=admin, employee_id=city.staff.pk, year=Y, as_of=AS_OF)
    terms = dict(code="teguran_lisan", sk_number="1/2026", sk_date=dt.date(2026, 10, 1), tmt=dt.date(2026, 10, 1))
    with pytest.raises(TransitionRefused):  # not examined yet
        svc.discipline_case_decide(actor=admin, case_id=case.pk, **terms)
    with pytest.raises(ValidationFailed):  # a text file is no BAP, whatever its name
        svc.discipline_case_examine(actor=admin, case_id=case.pk, bap_date=timezone.localdate(), summary="x",
                                    filename="bap.pdf", content=b"just text")  # fmt: skip
    with pytest.raises(ValidationFailed):
        svc.discipline_case_examine(actor=admin, case_id=case.pk, bap_date=timezone.localdate() + dt.timedelta(1),
                                    summary="x")  # fmt: skip
    svc.discipline_case_examine(actor=admin, case_id=case.pk, bap_date=timezone.localdate(), summary="BAP")
    for bad in ({"code": "hukuman_mati"}, {"tmt": dt.date(2026, 9, 1)}, {"sk_number": ""}):
        with pytest.raises(ValidationFailed):
            svc.discipline_case_decide(actor=admin, case_id=case.pk, **{**terms, **bad})
    assert not DisciplinarySanction.objects.exists()
    with pytest.raises(TransitionRefused):
        svc.discipline_case_appeal(actor=admin, case_id=case.pk, kind="keberatan", text="x")
    case = svc.discipline_case_decide(actor=admin, case_id=case.pk, **terms)
    assert case.until is None  # a reprimand has no duration
    with pytest.raises(TransitionRefused):
        svc.discipline_case_drop(actor=admin, case_id=case.pk, reason="x")


@pytest.mark.parametrize("who", ["operator_a", "inspector", "bpkad", "kabid", "staff", "treasurer_a"])
def test_only_bkpsdm_manages_cases(city, who):
    recap(city.staff, dt.date(Y, 3, 1), tk=3)
    user = city.users[who]
    with pytest.raises(Forbidden):
        svc.discipline_case_open(actor=user, employee_id=city.staff.pk, year=Y, as_of=AS_OF)
    case = svc.discipline_case_open(actor=city.users["admin"], employee_id=city.staff.pk, year=Y, as_of=AS_OF)
    with pytest.raises(Forbidden):
        svc.discipline_case_examine(actor=user, case_id=case.pk, bap_date=timezone.localdate(), summary="x")
    with pytest.raises(Forbidden):
        svc.discipline_case_drop(actor=user, case_id=case.pk, reason="x")


def test_a_manual_case_needs_a_description_and_covers_no_ladder_step(city):
    admin = city.users["admin"]
    with pytest.raises(ValidationFailed):
        svc.discipline_case_open(actor=admin, employee_id=city.other.pk, year=Y, manual=True)
    case = svc.discipline_case_open(actor=admin, employee_id=city.other.pk, year=Y, manual=True,
                                    description="Menyalahgunakan kendaraan dinas.")  # fmt: skip
    assert (case.basis, case.recommended) == ("lainnya", "")
    recap(city.other, dt.date(Y, 3, 1), tk=3)
    assert recs()[city.other.pk].rec.code == "teguran_lisan"


def test_cases_are_visible_only_in_scope(city):
    recap(city.other, dt.date(Y, 3, 1), tk=3)
    case = svc.discipline_case_open(actor=city.users["admin"], employee_id=city.other.pk, year=Y, as_of=AS_OF)
    for who in ("admin", "inspector", "bpkad"):
        assert case_get(city.users[who], case.pk) == case
    for who in ("operator_a", "treasurer_a", "kabid", "staff", "assessor"):  # Dinas B's employee
        with pytest.raises(NotVisible):
            case_get(city.users[who], case.pk)
    with pytest.raises(NotVisible):  # the staff may not appeal another's case: it does not exist for them
        svc.discipline_case_appeal(actor=city.users["staff"], case_id=case.pk, kind="keberatan", text="x")


def test_the_employee_appeals_only_their_own_case_and_the_atasan_not_at_all(city):
    case = _decided(city)
    with pytest.raises(Forbidden):  # the kabid sees the subordinate's case but may not appeal for them
        svc.discipline_case_appeal(actor=city.users["kabid"], case_id=case.pk, kind="keberatan", text="x")
    with pytest.raises(ValidationFailed):
        svc.discipline_case_appeal(actor=city.users["staff"], case_id=case.pk, kind="kasasi", text="x")
    svc.discipline_case_appeal(actor=city.users["staff"], case_id=case.pk, kind="keberatan", text="Saya sakit.")
    assert Notification.objects.filter(user=city.users["admin"]).exists()


def test_recommendations_take_three_queries_whatever_the_number_of_employees(city, django_assert_max_num_queries):
    for emp in (city.staff, city.staff2, city.kabid, city.head, city.other):
        recap(emp, dt.date(Y, 2, 1), tk=4)
        recap(emp, dt.date(Y, 3, 1), tk=1, late=10)
    rules = discipline_rules(AS_OF)
    with django_assert_max_num_queries(3):  # the year's recaps (of those who can reach a step), cases, employees
        assert len(discipline_recommendations(Y, AS_OF, rules=rules)) == 5
