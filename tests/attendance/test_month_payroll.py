"""The TPP run takes the month's discipline counts from the attendance recap when there is one, else from the
import; the payslip snapshot and pages say which; a run needs no imported discipline when a recap exists."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pamong.attendance.models import MonthRecap
from pamong.payroll.explanation import summary
from pamong.payroll.facts import chunk_facts
from pamong.payroll.models import MonthlyInput, Payslip, PayslipError
from tests.payroll import conftest as payroll
from tests.payroll.conftest import PERIOD

DEC = dt.date(2026, 12, 1)


@pytest.fixture
def pay(city) -> payroll.PayCity:
    """The payroll tests' city (tests/payroll/conftest.py `pay`), built the same way."""
    payroll.monthly_inputs()
    treasurer_b = payroll.f.user("treasurer_b", role=payroll.Role.TREASURER, unit=city.opd_b)
    return payroll.PayCity(city, city.users["bpkad"], city.users["treasurer_a"], treasurer_b)


def recap(emp, period, bands, tk) -> MonthRecap:
    return MonthRecap.objects.create(employee=emp, period=period, unit_id=emp.unit_id, hari_kerja=20, hadir=18,
                                     tidak_hadir_sah=0, tk=tk, bands=bands, terlambat_menit=50, psw_menit=100,
                                     days="H" * 30, computed_at=dt.datetime(2026, 12, 1, tzinfo=dt.UTC))  # fmt: skip


def test_tpp_takes_discipline_from_the_attendance_recap(pay):
    city = pay.city
    row = recap(city.other, PERIOD, {"TL2": 1, "PSW4": 1}, tk=2)
    run = pay.compute("tpp")
    slips = {s.employee_id: s for s in Payslip.objects.filter(run=run)}
    other, staff = slips[city.other.pk], slips[city.staff.pk]
    assert other.facts["discipline"] == {"TL2": 1, "PSW4": 1, "TK": 2}  # not the import's TL1 × 2
    assert other.facts["disiplin_sumber"] == {"jenis": "presensi", "rekap": row.pk}
    assert staff.facts["discipline"] == {"TL1": 2}
    assert staff.facts["disiplin_sumber"] == {"jenis": "impor", "berkas": "uji"}
    why = {line["code"]: line["why"] for line in summary(other)}["tpp_disiplin"]
    assert "rekap presensi bulanan Anda" in why
    client = Client()
    client.force_login(pay.treasurer_b)
    page = client.get(reverse("payroll:opd_payslips", args=[run.pk, city.opd_b.pk])).content.decode()
    assert "Sumber disiplin" in page and "Rekap presensi" in page

    # the same counts imported in December cut the same amount: one table, two routes
    MonthlyInput.objects.bulk_create(
        MonthlyInput(employee=e, period=DEC, capaian_bp=10000, discipline=d, source="des")
        for e, d in ((city.other, {"TL2": 1, "PSW4": 1, "TK": 2}), (city.staff, {}))
    )
    dec = pay.compute("tpp", period=DEC)
    imported = Payslip.objects.get(run=dec, employee=city.other)
    assert imported.facts["disiplin_sumber"] == {"jenis": "impor", "berkas": "des"}
    assert imported.lines["tpp_disiplin"] == other.lines["tpp_disiplin"]
    # TL2 1 % + PSW4 1,5 % + TK 2 × 4 % = 10,5 % of the disiplin part (example pack tpp/disiplin.yaml)
    amount, inputs, _ = other.trace["tpp.tpp_disiplin"]
    assert inputs["potongan_bp"] == 1050
    assert amount == other.lines["tpp_disiplin"] == inputs["bagian_disiplin"] * (10000 - 1050) // 10000


def test_no_imported_discipline_needed_when_a_recap_exists(pay):
    city = pay.city
    MonthlyInput.objects.filter(period=PERIOD).delete()
    recap(city.other, PERIOD, {}, tk=0)
    run = pay.compute("tpp")
    errors = {e.employee_id: e.message for e in PayslipError.objects.filter(run=run)}
    # `other` has its discipline from attendance; only the capaian is missing (no evaluation, no import)
    assert "belum ada capaian kinerja bulan" in errors[city.other.pk] and "disiplin" not in errors[city.other.pk]
    assert "rekap disiplin" in errors[city.staff.pk]
    # with the capaian imported but no discipline imported, the recap makes the run compute
    MonthlyInput.objects.create(employee=city.other, period=DEC, capaian_bp=9000, discipline={}, source="k")
    recap(city.other, DEC, {"TL1": 3}, tk=1)
    dec = pay.compute("tpp", period=DEC, scope=city.opd_b)
    slip = Payslip.objects.get(run=dec, employee=city.other)
    assert slip.facts["discipline"] == {"TL1": 3, "TK": 1}
    assert not PayslipError.objects.filter(run=dec).exists()


def test_chunk_queries_do_not_grow_with_recaps(pay):
    from pamong.payroll.compute import rules_and_params
    from pamong.payroll.services import run_create

    city = pay.city
    run = run_create(pay.bpkad, period=PERIOD, kind="tpp")
    rules, params = rules_and_params(run)
    ids = [city.staff.pk, city.other.pk, city.head.pk]
    chunk_facts(ids, PERIOD, "tpp", rules, params)  # warm caches
    with CaptureQueriesContext(connection) as none:
        chunk_facts(ids, PERIOD, "tpp", rules, params)
    for emp in (city.staff, city.other, city.head):
        recap(emp, PERIOD, {"TL1": 1}, tk=0)
    with CaptureQueriesContext(connection) as three:
        chunk_facts(ids, PERIOD, "tpp", rules, params)
    assert len(three) == len(none)
