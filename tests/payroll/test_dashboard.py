"""The payroll dashboard: who may see it (and which OPDs), the month's sums, runs in progress with stalled and
failed ones marked, the anomaly rule (> 20 % net change vs last month's approved payslip of the same kind, new and
left employees, the visible reason), and a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Sum
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pamong.payroll.dashboard import payroll_dashboard, previous_month
from pamong.payroll.models import PayrollRun, Payslip, RunChunk
from pamong.payroll.services import run_compute, run_create
from tests.payroll.conftest import PERIOD, monthly_inputs

URL = reverse("payroll:payroll_dashboard")
OCTOBER = previous_month(PERIOD)


def get(user, **params):
    client = Client()
    client.force_login(user)
    return client.get(URL, params)


@pytest.fixture
def months(pay):
    """October approved, November computed; in November "Staf Satu" was promoted and paid 50 % more, "Staf Dua"
    10 % more, and "Pegawai Dinas B" has no payslip."""
    monthly_inputs(OCTOBER)
    october = pay.approve(pay.compute("gaji", period=OCTOBER))
    november = pay.compute("gaji")
    city = pay.city
    old = {p.employee_id: p for p in october.payslips.all()}
    staff = november.payslips.get(employee=city.staff)
    staff.bersih = old[city.staff.id].bersih * 3 // 2
    staff.facts = {**staff.facts, "golongan": "II/d"}
    staff.save(update_fields=["bersih", "facts"])
    Payslip.objects.filter(run=november, employee=city.staff2).update(bersih=old[city.staff2.id].bersih * 11 // 10)
    Payslip.objects.filter(run=november, employee=city.other).delete()
    return october, november


@pytest.mark.parametrize(("who", "status"), [("bpkad", 200), ("inspector", 200), ("treasurer_a", 200),
                                              ("admin", 404), ("operator_a", 404), ("staff", 404), ("kabid", 404)])
def test_who_may_open_the_dashboard(pay, months, who, status):
    assert get(pay.city.users[who]).status_code == status


def test_head_sees_every_opd_and_the_month_sums(pay, months):
    _, november = months
    d = get(pay.bpkad).context["d"]
    assert d.period == PERIOD and [r["opd__name"] for r in d.by_opd] == ["Dinas A"]  # Dinas B's one employee left
    assert [a["opd__name"] for a in d.left] == ["Dinas B"]
    sums = november.payslips.aggregate(bruto=Sum("bruto"), bersih=Sum("bersih"))
    gaji = next(r for r in d.by_kind if r["kind"] == "gaji")
    assert (gaji["bruto"], gaji["bersih"]) == (sums["bruto"], sums["bersih"])
    employer = sum(v for p in november.payslips.all() for k, v in p.lines.items() if k.startswith("pemberi_kerja_"))
    assert gaji["employer"] == employer > 0


def test_treasurer_sees_only_their_opd(pay, months):
    d = get(pay.treasurer_a).context["d"]
    assert [r["opd__name"] for r in d.by_opd] == ["Dinas A"]
    assert all(a["opd__name"] == "Dinas A" for a in d.anomalies)
    assert d.left == []  # the employee who left is in Dinas B
    assert get(pay.treasurer_b).context["d"].period == OCTOBER  # their latest month with payslips
    d_b = get(pay.treasurer_b, bulan="2026-11").context["d"]
    assert [r["opd__name"] for r in d_b.by_opd] == [] and [a["nama"] for a in d_b.left] == ["Pegawai Dinas B"]


def test_anomaly_rule(pay, months):
    d = payroll_dashboard(pay.bpkad, PERIOD)
    changed = {a["employee_id"]: a for a in d.anomalies}
    staff = changed[pay.city.staff.id]
    assert staff["pct"] == 50 and "olongan II/c → II/d" in staff["reason"]
    assert pay.city.staff2.id not in changed  # 10 %: not an anomaly
    assert d.anomalies_total == len(d.anomalies) == 1
    assert [a["employee_id"] for a in d.left] == [pay.city.other.id] and d.left_total == 1
    body = get(pay.bpkad).content.decode()
    assert "+50%" in body and "Staf Satu" in body and "Pegawai Dinas B" in body


def test_a_month_without_an_approved_previous_month_has_no_anomalies(pay):
    pay.compute("gaji")
    d = payroll_dashboard(pay.bpkad, PERIOD)
    assert d.anomalies == [] and d.left == []  # not "everyone is new"


def test_new_employee_is_an_anomaly(pay):
    monthly_inputs(OCTOBER)
    october = pay.compute("gaji", period=OCTOBER)
    Payslip.objects.filter(run=october, employee=pay.city.staff2).delete()  # hired in November
    pay.approve(october)
    pay.compute("gaji")
    d = payroll_dashboard(pay.bpkad, PERIOD)
    new = next(a for a in d.anomalies if a["employee_id"] == pay.city.staff2.id)
    assert new["pct"] is None and new["reason"].startswith("Baru")


def test_runs_in_progress_show_stalled_and_failed(pay, months):
    run = run_compute(pay.bpkad, run_create(pay.bpkad, period=PERIOD, kind="tpp"), enqueue=False)
    PayrollRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
    rows = {r["run"].pk: r for r in payroll_dashboard(pay.bpkad, PERIOD).runs}
    assert rows[run.pk]["problem"] == "stalled" and rows[run.pk]["computing"]
    assert rows[months[1].pk]["problem"] == ""  # computed, waiting for verification
    RunChunk.objects.filter(run=run).update(state=RunChunk.State.FAILED, error="x")
    rows = {r["run"].pk: r for r in payroll_dashboard(pay.bpkad, PERIOD).runs}
    assert rows[run.pk]["problem"] == "failed"
    body = get(pay.bpkad).content.decode()
    assert 'data-problem="failed"' in body and "Gagal" in body


def test_fixed_number_of_queries(pay, months, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        payroll_dashboard(pay.bpkad, PERIOD)
    with django_assert_max_num_queries(11):  # the treasurer's scope adds the role lookups
        payroll_dashboard(pay.treasurer_a, PERIOD)


def test_bad_month_parameter_shows_the_latest(pay, months):
    response = get(pay.bpkad, bulan="2026-99")
    assert response.status_code == 200 and response.context["d"].period == PERIOD
    assert get(pay.bpkad, bulan="2026-10").context["d"].period == OCTOBER


def test_linked_from_the_payroll_pages_for_those_roles(pay, months):
    client = Client()
    client.force_login(pay.bpkad)
    assert URL in client.get(reverse("payroll:run_list")).content.decode()
    assert URL in client.get(reverse("dashboard")).content.decode()
    client.force_login(pay.city.users["staff"])
    assert URL not in client.get(reverse("dashboard")).content.decode()


def test_a_cancelled_run_does_not_make_last_months_payees_look_gone(pay):
    from pamong.payroll.services import run_cancel

    pay.approve(pay.compute("gaji", period=OCTOBER))
    run_cancel(pay.bpkad, pay.compute("gaji"), "dibuat dua kali")
    d = payroll_dashboard(pay.bpkad, PERIOD)
    assert d.left == [] and d.left_total == 0  # nobody has been paid for November yet: nobody has left
