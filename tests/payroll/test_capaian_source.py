"""The TPP takes each employee's capaian kinerja from their final periodic evaluation in Pamong, else from the
import, and the run shows which: on the OPD's payslip list and in the payslip's explanation."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from pamong.payroll.explanation import summary
from pamong.payroll.models import Payslip
from pamong.performance import evaluations
from tests import factories as f
from tests.payroll.conftest import PERIOD
from tests.performance.conftest import PerfCity


def test_the_tpp_run_says_where_each_capaian_came_from(pay):
    city = pay.city
    users = dict(city.users)
    users |= {"head": f.user("kepala", employee=city.head), "staff2": f.user("staff2", employee=city.staff2)}
    PerfCity(city, users).chain(year=PERIOD.year)
    evaluations.evaluation_rate(actor=users["kabid"], employee_id=city.staff.pk, month=PERIOD, hasil="sesuai",
                                perilaku="sesuai", finalise=True)  # fmt: skip
    evaluations.evaluation_rate(actor=users["kabid"], employee_id=city.staff2.pk, month=PERIOD, hasil="di_bawah",
                                perilaku="sesuai")  # a draft: not taken  # fmt: skip
    run = pay.compute("tpp")
    slips = {s.employee_id: s for s in Payslip.objects.filter(run=run)}
    staff, staff2 = slips[city.staff.pk], slips[city.staff2.pk]
    assert staff.facts["capaian_bp"] == 9000  # baik → 90 % in the example pack
    assert staff.facts["capaian_sumber"]["jenis"] == "evaluasi"
    assert staff2.facts["capaian_bp"] == 10000 and staff2.facts["capaian_sumber"] == {"jenis": "impor", "berkas": "uji"}
    why = {line["code"]: line["why"] for line in summary(staff)}["tpp_kinerja"]
    assert "penilaian kinerja bulanan Anda yang sudah final (predikat Baik)" in why
    client = Client()
    client.force_login(pay.treasurer_a)
    page = client.get(reverse("payroll:opd_payslips", args=[run.pk, city.opd_a.pk])).content.decode()
    assert "Sumber capaian" in page and "Penilaian bulanan (Baik)" in page and "Impor" in page
    assert "90%" in page
