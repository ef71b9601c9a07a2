"""Awards and other deductions: who may enter and approve them, validation, audit, the months a deduction runs,
and the order in which deductions are taken from net pay."""

from __future__ import annotations

import datetime as dt

import pytest

from pamong.audit.models import AuditEvent
from pamong.core.errors import Forbidden, TransitionRefused, ValidationFailed
from pamong.payroll.adjustments import (
    award_approve,
    award_create,
    deduction_approve,
    deduction_create,
    runs_in,
    take_deductions,
)
from pamong.payroll.models import OtherDeduction
from tests.payroll.conftest import PERIOD

DECREE = {"decree_number": "800/12/KEP-WAKO/2026", "decree_date": dt.date(2026, 10, 20), "description": "Juara I"}


def test_treasurer_enters_award_for_own_opd_and_head_approves(pay):
    award = award_create(pay.treasurer_a, employee=pay.city.staff, period=PERIOD, amount=1_000_000, **DECREE)
    assert award.approved_at is None
    with pytest.raises(Forbidden):
        award_approve(pay.treasurer_a, award)
    award = award_approve(pay.bpkad, award)
    assert award.approved_by == pay.bpkad
    with pytest.raises(TransitionRefused, match="sudah disetujui"):
        award_approve(pay.bpkad, award)
    actions = set(AuditEvent.objects.filter(object_id=str(award.id)).values_list("action", flat=True))
    assert {"payroll.award.created", "payroll.award.approved"} <= actions


def test_award_for_another_opd_or_by_others_is_refused(pay):
    with pytest.raises(Forbidden):
        award_create(pay.treasurer_a, employee=pay.city.other, period=PERIOD, amount=1, **DECREE)
    with pytest.raises(Forbidden):
        award_create(pay.city.users["staff"], employee=pay.city.staff, period=PERIOD, amount=1, **DECREE)


def test_award_validation_names_every_problem(pay):
    with pytest.raises(ValidationFailed, match="lebih dari 0; Nomor keputusan wajib diisi"):
        award_create(pay.bpkad, employee=pay.city.staff, period=PERIOD, amount=0,
                     **(DECREE | {"decree_number": " "}))  # fmt: skip


def test_award_refused_once_the_months_tpp_is_approved(pay):
    pay.approve(pay.compute("tpp"))
    with pytest.raises(TransitionRefused, match="sudah disetujui"):
        award_create(pay.bpkad, employee=pay.city.staff, period=PERIOD, amount=500_000, **DECREE)


def deduction(pay, **kw) -> OtherDeduction:
    values = {"kind": "koperasi", "creditor": "Koperasi Pegawai", "reference": "KOP/1", "amount": 300_000,
              "start": dt.date(2026, 9, 1), "months": 3} | kw  # fmt: skip
    return deduction_create(pay.treasurer_a, employee=pay.city.staff, **values)


def test_deduction_runs_only_when_approved_and_within_its_months(pay):
    d = deduction(pay)
    assert not runs_in(d, PERIOD)  # not approved yet
    d = deduction_approve(pay.bpkad, d)
    assert [runs_in(d, dt.date(2026, m, 1)) for m in (8, 9, 10, 11, 12)] == [False, True, True, True, False]
    open_ended = deduction_approve(pay.bpkad, deduction(pay, months=None))
    assert runs_in(open_ended, dt.date(2030, 1, 1))
    open_ended.ended_on = dt.date(2027, 1, 1)
    assert not runs_in(open_ended, dt.date(2027, 2, 1))


def test_deduction_validation(pay):
    with pytest.raises(ValidationFailed, match="Jenis potongan tidak dikenal: arisan"):
        deduction(pay, kind="arisan")
    with pytest.raises(ValidationFailed, match="Penerima dan nomor perjanjian"):
        deduction(pay, creditor="")
    with pytest.raises(ValidationFailed, match="slip gaji atau TPP"):
        deduction(pay, slip_kind="thr")


def test_deductions_are_taken_by_priority_while_net_pay_lasts(pay):
    zakat = deduction(pay, kind="zakat", creditor="BAZNAS Kota Sawahlunto", amount=100_000, priority=1)
    loan = deduction(pay, kind="pinjaman", creditor="Bank Nagari", amount=2_000_000, priority=2)
    koperasi = deduction(pay, amount=300_000, priority=3)
    taken = take_deductions(1_500_000, [koperasi, loan, zakat])
    assert [(x["creditor"], x["taken"]) for x in taken.lines] == [
        ("BAZNAS Kota Sawahlunto", 100_000),
        ("Bank Nagari", 1_400_000),  # what the net allows; the rest is recorded as not taken
        ("Koperasi Pegawai", 0),
    ]
    assert taken.total == 1_500_000
    assert take_deductions(-5, [zakat]).total == 0


def test_approved_award_is_paid_on_the_months_tpp_slip_and_unapproved_is_not(pay):
    approved = award_approve(
        pay.bpkad, award_create(pay.bpkad, employee=pay.city.staff, period=PERIOD, amount=1_000_000, **DECREE)
    )
    award_create(pay.bpkad, employee=pay.city.kabid, period=PERIOD, amount=700_000, **DECREE)  # not approved
    run = pay.compute("tpp")
    slip = run.payslips.get(employee=pay.city.staff)
    assert slip.lines["penghargaan"] == 1_000_000
    assert slip.facts["penghargaan_rincian"] == [{"jumlah": 1_000_000, "keputusan": approved.decree_number}]
    assert run.payslips.get(employee=pay.city.kabid).lines["penghargaan"] == 0
    gaji = pay.compute("gaji")
    assert "penghargaan" not in gaji.payslips.get(employee=pay.city.staff).lines


def test_running_deductions_reduce_net_pay_in_priority_order(pay):
    from pamong.payroll.compute import work
    from pamong.payroll.services import run_compute

    zakat = deduction_approve(pay.bpkad, deduction(pay, kind="zakat", creditor="BAZNAS", amount=100_000, priority=1))
    deduction_approve(pay.bpkad, deduction(pay, kind="pinjaman", creditor="Bank Nagari", amount=50_000_000,
                                           priority=2, start=PERIOD))  # fmt: skip
    deduction(pay, creditor="Koperasi (belum disetujui)", amount=1)  # not approved: not taken
    run = pay.compute("gaji")
    slip = run.payslips.get(employee=pay.city.staff)
    gross_net = (
        slip.bruto
        + slip.lines["pembulatan"]
        - (slip.lines["iuran_taspen"] + slip.lines["iuran_bpjs_kesehatan"] + slip.lines["pph21"])
    )
    taken = slip.facts["potongan_lain"]
    assert [(t["creditor"], t["taken"]) for t in taken] == [("BAZNAS", 100_000), ("Bank Nagari", gross_net - 100_000)]
    assert slip.lines["potongan_lain"] == gross_net and slip.bersih == 0  # never below zero
    assert taken[0]["id"] == zakat.id
    other = run.payslips.get(employee=pay.city.kabid)
    assert "potongan_lain" not in other.lines
    run = run_compute(pay.bpkad, run, enqueue=False)  # a recompute takes the same again
    work(run.id)
    assert run.payslips.get(employee=pay.city.staff).facts["potongan_lain"] == taken


def test_creditor_files_total_what_the_payslips_deducted(pay):
    from pamong.payroll.outputs import bank

    deduction_approve(pay.bpkad, deduction(pay, kind="zakat", creditor="BAZNAS Kota Sawahlunto", amount=75_000))
    run = pay.approve(pay.compute("gaji"))
    (zakat,) = bank.creditor_files(run)
    assert zakat.filename == "POTONGAN_GAJI_2026-11_BAZNAS-KOTA-SAWAHLUNTO.csv" and zakat.creditor
    assert (zakat.rows, zakat.total) == (1, 75_000)
    lines = zakat.content.decode().splitlines()
    assert lines[-1].startswith("TOTAL,1,,,,75000")
    slip = run.payslips.get(employee=pay.city.staff)
    assert slip.lines["potongan_lain"] == 75_000
