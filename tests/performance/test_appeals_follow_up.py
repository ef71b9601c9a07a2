"""Follow-up of the ratings: payroll awards proposed for an annual Sangat Baik (once per employee and year, approved
in payroll as any award), and the poor-performance list (two consecutive poor periods)."""

from __future__ import annotations

import datetime as dt

import pytest

from pamong.core.errors import Forbidden, TransitionRefused
from pamong.payroll.adjustments import award_approve
from pamong.payroll.models import Award
from pamong.performance import follow_up
from pamong.performance.models import AwardProposal, Evaluation

from .appeal_setup import examining, final_periodic, finalise_year

DEC = dt.date(2027, 1, 1)


def propose(perf, who="admin"):
    return follow_up.awards_propose(actor=perf.users[who], year=2026, period=DEC, decree_number="800/12/BKPSDM/2026",
                                    decree_date=dt.date(2026, 12, 20))  # fmt: skip


def test_proposal_creates_unapproved_payroll_awards_once_with_the_packs_amount(perf):
    perf.chain()
    finalise_year(perf, {"staff": ("di_atas", "di_atas"), "staff2": ("sesuai", "sesuai")})  # kabid: istimewa+sesuai
    made = propose(perf)
    assert [p.employee_id for p in made] == [perf.city.staff.pk]
    award = Award.objects.get()
    assert (award.employee_id, award.amount, award.period, award.approved_by) == (perf.city.staff.pk, 500000, DEC,
                                                                                 None)  # fmt: skip
    assert award.decree_number == "800/12/BKPSDM/2026" and "Sangat Baik" in award.description
    assert propose(perf) == [] and Award.objects.count() == 1  # idempotent per employee-year
    award_approve(perf.users["bpkad"], award)  # the payroll's one approval path
    award.refresh_from_db()
    assert award.approved_by == perf.users["bpkad"]
    with pytest.raises(TransitionRefused):
        award_approve(perf.users["bpkad"], award)


def test_an_appeal_that_raises_the_annual_predikat_to_sangat_baik_counts(perf):
    from pamong.performance import appeals as svc

    perf.chain()
    finalise_year(perf, {"staff": ("sesuai", "sesuai"), "staff2": ("sesuai", "sesuai")})
    assert propose(perf) == []
    ev = Evaluation.objects.get(employee=perf.city.staff, kind="annual")
    a = examining(perf, ev)
    svc.appeal_decide(actor=perf.users["head"], appeal_id=a.pk, outcome="changed", new_hasil="di_atas",
                      new_perilaku="di_atas", reason="Dikabulkan.")  # fmt: skip
    made = propose(perf)
    assert [(p.employee_id, p.evaluation.corrects_id) for p in made] == [(perf.city.staff.pk, ev.pk)]


@pytest.mark.parametrize("who", ["bpkad", "inspector", "operator_a", "head", "staff"])
def test_only_admin_bkpsdm_proposes(perf, who):
    with pytest.raises(Forbidden):
        propose(perf, who)
    assert not AwardProposal.objects.exists()


def _months(perf, key, ratings):
    for month, (hasil, perilaku) in ratings.items():
        final_periodic(perf, key, month=dt.date(2026, month, 1), hasil=hasil, perilaku=perilaku)


BAD, VERY_BAD, OK, KURANG = (
    ("di_bawah", "sesuai"),
    ("di_bawah", "di_bawah"),
    ("sesuai", "sesuai"),
    ("sesuai", "di_bawah"),
)


def test_poor_performance_needs_two_consecutive_poor_periods(perf):
    perf.chain()
    _months(perf, "staff", {8: BAD, 9: OK, 10: BAD, 11: VERY_BAD})  # Oct + Nov running
    _months(perf, "staff2", {8: BAD, 9: OK, 10: BAD, 11: OK})  # never two running
    _months(perf, "kabid", {10: KURANG, 11: KURANG})  # Kurang/Misconduct is not this path
    runs = follow_up.poor_performance(2026)
    assert [(r.employee.pk, [(s.month, p) for s, _, p in r.periods]) for r in runs] == [
        (perf.city.staff.pk, [(10, "butuh_perbaikan"), (11, "sangat_kurang")])
    ]


def test_a_corrected_period_no_longer_counts(perf):
    from pamong.performance import appeals as svc

    perf.chain()
    _months(perf, "staff", {10: BAD, 11: BAD})
    assert len(follow_up.poor_performance(2026)) == 1
    ev = Evaluation.objects.get(employee=perf.city.staff, period_start=dt.date(2026, 11, 1))
    a = examining(perf, ev)
    svc.appeal_decide(actor=perf.users["head"], appeal_id=a.pk, outcome="changed", new_hasil="sesuai",
                      reason="Dikabulkan.")  # fmt: skip
    assert follow_up.poor_performance(2026) == []
