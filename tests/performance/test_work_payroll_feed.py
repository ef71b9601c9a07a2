"""The TPP run of November 2026 takes each employee's capaian kinerja from their final periodic evaluation; a draft is
not taken; without an evaluation the imported figure stays; the discipline recap is still needed from the import."""

from __future__ import annotations

import datetime as dt

import pytest

from pamong.accounts.models import Role
from pamong.performance import evaluations as ev_services
from pamong.rules.params import params_in_force
from tests import factories as f
from tests.payroll.conftest import PERIOD, PayCity, monthly_inputs


@pytest.fixture
def pay(perf) -> PayCity:
    monthly_inputs()  # everyone imported at 100 % with two TL1
    treasurer_b = f.user("treasurer_b", role=Role.TREASURER, unit=perf.city.opd_b)
    return PayCity(perf.city, perf.city.users["bpkad"], perf.city.users["treasurer_a"], treasurer_b)


@pytest.fixture
def skps(perf):
    return perf.chain()


def rate_staff(perf, finalise: bool, hasil="di_bawah", perilaku="sesuai"):
    return ev_services.evaluation_rate(actor=perf.users["kabid"], employee_id=perf.city.staff.pk, month=PERIOD,
                                       hasil=hasil, perilaku=perilaku, finalise=finalise)  # fmt: skip


def test_a_final_periodic_evaluation_gives_the_capaian(perf, pay, skps):
    ev = rate_staff(perf, finalise=True)  # Butuh Perbaikan
    run = pay.compute("tpp")
    slip = run.payslips.get(employee=perf.city.staff)
    table = params_in_force(PERIOD, region="sawahlunto")["kinerja/capaian_predikat"].value
    assert slip.facts["capaian_bp"] == int(table["butuh_perbaikan"]) == ev.capaian_bp == 7000
    assert slip.facts["capaian_sumber"] == {"jenis": "evaluasi", "evaluasi": ev.pk, "predikat": "butuh_perbaikan"}
    assert slip.facts["discipline"] == {"TL1": 2}  # the discipline recap still comes from the import
    other = run.payslips.get(employee=perf.city.staff2)  # no evaluation: the import's figure
    assert other.facts["capaian_bp"] == 10000 and other.facts["capaian_sumber"]["jenis"] == "impor"


def test_the_capaian_turns_into_the_tpp_kinerja_line(perf, pay, skps):
    rate_staff(perf, finalise=True)
    low = pay.compute("tpp").payslips.get(employee=perf.city.staff)
    assert low.lines["tpp_kinerja"] > 0
    # the same employee imported at 100 % (another month, no evaluation) earns more kinerja TPP from the same pagu
    dec = dt.date(2026, 12, 1)
    monthly_inputs(dec)
    full = pay.compute("tpp", period=dec).payslips.get(employee=perf.city.staff)
    assert full.facts["capaian_sumber"]["jenis"] == "impor"
    assert full.facts["tpp_pagu"] == low.facts["tpp_pagu"]
    assert abs(low.lines["tpp_kinerja"] * 10000 - full.lines["tpp_kinerja"] * 7000) <= 10000  # 70 % of it


def test_a_draft_is_not_taken(perf, pay, skps):
    rate_staff(perf, finalise=False)
    slip = pay.compute("tpp").payslips.get(employee=perf.city.staff)
    assert slip.facts["capaian_bp"] == 10000
    assert slip.facts["capaian_sumber"] == {"jenis": "impor", "berkas": "uji"}


def test_only_the_import_keeps_impor(perf, pay):
    slip = pay.compute("tpp").payslips.get(employee=perf.city.other)
    assert slip.facts["capaian_sumber"]["jenis"] == "impor" and slip.facts["capaian_bp"] == 10000


def test_an_evaluation_without_the_import_is_an_error_naming_the_discipline_recap(perf, pay, skps):
    rate_staff(perf, finalise=True)
    perf.city.staff.monthly_inputs.all().delete()
    run = pay.compute("tpp")
    (err,) = run.errors.all()
    assert err.employee == perf.city.staff
    assert "rekap disiplin" in err.message and "belum ada capaian" not in err.message
    assert not run.payslips.filter(employee=perf.city.staff).exists()
    assert run.payslips.filter(employee=perf.city.staff2).exists()


def test_the_gaji_run_does_not_need_either(perf, pay, skps):
    rate_staff(perf, finalise=True)
    perf.city.staff.monthly_inputs.all().delete()
    run = pay.compute("gaji")
    assert run.errors_total == 0 and run.payslips.filter(employee=perf.city.staff).exists()
