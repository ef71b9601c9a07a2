"""Awards and other deductions: entered by a treasurer (their OPD) or BKPSDM, approved by the BPKAD head, audited.
Only approved ones reach a run: an award adds the line `penghargaan` to its month's TPP slip (taxed, not BPJS
wage); a deduction is taken from net pay in order of priority while the net lasts, and what could not be taken is
recorded on the payslip, never dropped silently."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from pamong.accounts.access import access_for
from pamong.accounts.models import Role
from pamong.audit import services as audit
from pamong.core.errors import Forbidden, TransitionRefused, ValidationFailed
from pamong.core.text import name_error, plain_text_error
from pamong.people.models import Employee

from .models import FROZEN_STATES, Approved, Award, DeductionKind, OtherDeduction, Payslip, RunKind
from .months import add_months


def _may_enter(user: Any, employee: Employee) -> None:
    access = access_for(user)
    if access.has(Role.ADMIN_BKPSDM) or access.has(Role.BPKAD_HEAD):
        return
    if any(employee.unit.path.startswith(p) for p in access.treasurer_paths):
        return
    raise Forbidden("Anda tidak berwenang mencatat penghargaan atau potongan untuk pegawai ini")


def _may_approve(user: Any) -> None:
    if not access_for(user).has(Role.BPKAD_HEAD):
        raise Forbidden("Hanya Kepala BPKAD yang menyetujui penghargaan dan potongan")


def _text_errors(*labelled: tuple[str, str]) -> list[str]:
    return [err for label, value in labelled if (err := plain_text_error(label, value))]


def award_create(user: Any, *, employee: Employee, period: dt.date, amount: int, decree_number: str,
                 decree_date: dt.date, description: str) -> Award:  # fmt: skip
    _may_enter(user, employee)
    errors = []
    if not isinstance(amount, int) or amount <= 0:
        errors.append("Jumlah penghargaan harus bilangan bulat rupiah lebih dari 0")
    if not decree_number.strip():
        errors.append("Nomor keputusan wajib diisi")
    errors += _text_errors(("Nomor keputusan", decree_number), ("Uraian", description))
    if errors:
        raise ValidationFailed("; ".join(errors))
    period = period.replace(day=1)
    if Payslip.objects.filter(
        employee=employee, period=period, kind=RunKind.TPP, run__state__in=FROZEN_STATES
    ).exists():
        raise TransitionRefused(f"TPP {period:%m/%Y} pegawai ini sudah disetujui; bayarkan penghargaan di bulan lain")
    with transaction.atomic():
        award = Award.objects.create(employee=employee, period=period, amount=amount, decree_number=decree_number,
                                     decree_date=decree_date, description=description, created_by=user)  # fmt: skip
        changes = {"employee": [None, employee.id], "amount": [None, amount], "period": [None, str(period)]}
        audit.record(actor=user, action="payroll.award.created", obj=award, sk_number=decree_number, changes=changes)
    return award


def _approve(user: Any, row: Approved, what: str, action: str, sk_number: str) -> None:
    """Approve once: a compare-and-set on approved_by, so a second approval (or a race) is refused, not repeated."""
    _may_approve(user)
    with transaction.atomic():
        updated = (
            type(row)
            .objects.filter(id=row.id, approved_by__isnull=True)
            .update(approved_by=user, approved_at=timezone.now())
        )
        if not updated:
            raise TransitionRefused(f"{what} ini sudah disetujui")
        audit.record(actor=user, action=action, obj=row, sk_number=sk_number)
    row.refresh_from_db()


def award_approve(user: Any, award: Award) -> Award:
    _approve(user, award, "Penghargaan", "payroll.award.approved", award.decree_number)
    return award


def deduction_create(user: Any, *, employee: Employee, kind: str, creditor: str, reference: str, amount: int,
                     start: dt.date, months: int | None = None, priority: int = 10,
                     slip_kind: str = "gaji") -> OtherDeduction:  # fmt: skip
    _may_enter(user, employee)
    errors = []
    if kind not in DeductionKind.values:
        errors.append(f"Jenis potongan tidak dikenal: {kind}")
    if not isinstance(amount, int) or amount <= 0:
        errors.append("Jumlah potongan harus bilangan bulat rupiah lebih dari 0")
    if not creditor.strip() or not reference.strip():
        errors.append("Penerima dan nomor perjanjian/surat kuasa wajib diisi")
    if slip_kind not in (RunKind.GAJI, RunKind.TPP):
        errors.append("Potongan lain diambil dari slip gaji atau TPP")
    if months is not None and months <= 0:
        errors.append("Lama potongan harus lebih dari 0 bulan")
    errors += _text_errors(("Nomor perjanjian/surat kuasa", reference))
    if err := name_error("Penerima", creditor):  # a creditor's name heads its transfer file
        errors.append(err)
    if errors:
        raise ValidationFailed("; ".join(errors))
    with transaction.atomic():
        d = OtherDeduction.objects.create(
            employee=employee, kind=kind, creditor=creditor, reference=reference, amount=amount,
            start=start.replace(day=1), months=months, priority=priority, slip_kind=slip_kind, created_by=user,
        )  # fmt: skip
        changes = {"employee": [None, employee.id], "creditor": [None, creditor], "amount": [None, amount]}
        audit.record(actor=user, action="payroll.deduction.created", obj=d, sk_number=reference, changes=changes)
    return d


def deduction_approve(user: Any, deduction: OtherDeduction) -> OtherDeduction:
    _approve(user, deduction, "Potongan", "payroll.deduction.approved", deduction.reference)
    return deduction


def runs_in(d: OtherDeduction, period: dt.date) -> bool:
    if d.approved_at is None or d.start > period or (d.ended_on is not None and d.ended_on < period):
        return False
    return d.months is None or period < add_months(d.start, d.months)


@dataclass(frozen=True)
class Taken:
    lines: list[dict[str, Any]]  # per deduction: id, kind, creditor, reference, amount, taken
    total: int


def take_deductions(net: int, deductions: list[OtherDeduction]) -> Taken:
    """In priority order, each deduction whole or what the remaining net allows; never below zero."""
    remaining = max(net, 0)
    lines = []
    for d in sorted(deductions, key=lambda d: (d.priority, d.id)):
        taken = min(d.amount, remaining)
        remaining -= taken
        lines.append({"id": d.id, "kind": d.kind, "creditor": d.creditor, "reference": d.reference,
                      "amount": d.amount, "taken": taken})  # fmt: skip
    return Taken(lines, sum(x["taken"] for x in lines))
