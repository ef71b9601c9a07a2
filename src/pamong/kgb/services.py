"""Writes for KGB, a state machine: draft (admin BKPSDM or the OPD's operator, many at once from the due list)
→ approved (admin BKPSDM only: the new MKG enters the employee's KGB history from the TMT, with the SK) or
→ cancelled (with a reason). Every transition is a compare-and-set on the state and audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from pamong.accounts.access import access_for
from pamong.accounts.models import Role
from pamong.audit import services as audit
from pamong.core.errors import Conflict, Forbidden, NotVisible, TransitionRefused, ValidationFailed
from pamong.people.models import ACTIVE_STATUSES, Employee
from pamong.people.services import Sk, kgb_record

from .models import KgbDecree, KgbState
from .selectors import DRAFT_AHEAD_DAYS, KgbPlan, kgb_scope, plan_kgb, sanctions_of

# PAMONG_KGB_SK_NUMBER overrides it; {seq} counts the year's SK KGB from 1, {year} is the SK's year
DEFAULT_SK_NUMBER = "800.1.11.13/{seq:04d}/SK-KGB/{year}"


def sk_number_pattern() -> str:
    return str(getattr(settings, "PAMONG_KGB_SK_NUMBER", "") or DEFAULT_SK_NUMBER)


def _numbers(year: int, count: int) -> list[tuple[int, str]]:
    """The next `count` (sequence, SK number) of the year, counting on from the year's highest (inside the
    caller's transaction; the unique index on (year, sequence) guards a race)."""
    last = KgbDecree.objects.filter(sk_year=year).aggregate(m=Max("sk_seq"))["m"] or 0
    pattern = sk_number_pattern()
    return [(last + i, pattern.format(seq=last + i, year=year)) for i in range(1, count + 1)]


def kgb_drafts_create(*, actor: Any, employee_ids: list[int], today: dt.date | None = None) -> list[KgbDecree]:
    """One draft SK KGB per employee for their next step. All or nothing: any refusal (not in the user's scope,
    not active, not yet due, at the last step, a decree already made for the step) creates none."""
    today = today or dt.date.today()
    ids = sorted(set(employee_ids))
    if not ids:
        raise ValidationFailed("Pilih paling sedikit satu pegawai.", details={"field": "employees"})
    employees = list(kgb_scope(actor).filter(pk__in=ids).select_related("unit"))
    if len(employees) != len(ids):
        raise NotVisible("Sebagian pegawai yang dipilih tidak ditemukan atau bukan wewenang Anda.")
    sanctions = sanctions_of(ids)
    live = {
        (d.employee_id, d.due_on): d
        for d in KgbDecree.objects.filter(employee_id__in=ids).exclude(state=KgbState.CANCELLED)
    }
    plans: list[tuple[Employee, KgbPlan]] = []
    errors: list[dict[str, str]] = []
    doubles: list[dict[str, str]] = []
    for e in sorted(employees, key=lambda e: (e.name, e.nip)):
        plan = plan_kgb(e, sanctions.get(e.pk, []))
        problem = ""
        if e.status not in ACTIVE_STATUSES:
            problem = "pegawai tidak aktif"
        elif plan is None:
            problem = "MKG sudah pada langkah tertinggi tabel gaji pokok; tidak ada KGB lagi"
        elif (e.pk, plan.due_on) in live:
            d = live[(e.pk, plan.due_on)]
            doubles.append({"nip": e.nip, "message": f"SK KGB {d.sk_number} untuk langkah ini sudah ada"})
            continue
        elif plan.due_on > today + dt.timedelta(days=DRAFT_AHEAD_DAYS):
            problem = f"KGB berikutnya baru jatuh tempo {plan.due_on:%d-%m-%Y}"
        elif plan.old_gaji_pokok is None or plan.new_gaji_pokok is None:
            problem = f"tabel gaji pokok tidak berlaku pada TMT {plan.tmt:%d-%m-%Y}"
        if problem or plan is None:
            errors.append({"nip": e.nip, "message": problem})
        else:
            plans.append((e, plan))
    if doubles:
        raise Conflict("SK KGB untuk langkah ini sudah dibuat; tidak ada draf baru.", details=doubles)
    if errors:
        raise ValidationFailed("Draf SK KGB tidak dapat dibuat; tidak ada yang disimpan.", details=errors)
    try:
        with transaction.atomic():
            numbers = _numbers(today.year, len(plans))
            drafts = [
                KgbDecree(
                    employee=e,
                    golongan=e.golongan,
                    employee_type=e.employee_type,
                    old_mkg_years=e.mkg_years,
                    old_mkg_months=e.mkg_months,
                    old_gaji_pokok=p.old_gaji_pokok,
                    new_mkg_years=p.new_mkg_years,
                    new_mkg_months=0,
                    new_gaji_pokok=p.new_gaji_pokok,
                    tmt=p.tmt,
                    due_on=p.due_on,
                    next_due_on=p.next_due_on,
                    postponed_by=p.postponed_by,
                    sk_number=number,
                    sk_year=today.year,
                    sk_seq=seq,
                    sk_date=today,
                    created_by=actor,
                )
                for (e, p), (seq, number) in zip(plans, numbers, strict=True)
            ]
            for d in drafts:
                d.save()  # one by one: the ids are needed for the audit events on every backend
            audit.record_many(
                actor,
                [
                    audit.Change(
                        "kgb.drafted",
                        obj=d,
                        sk_number=d.sk_number,
                        changes={
                            "employee": [None, d.employee_id],
                            "mkg_years": [d.old_mkg_years, d.new_mkg_years],
                            "gaji_pokok": [d.old_gaji_pokok, d.new_gaji_pokok],
                            "tmt": [None, d.tmt.isoformat()],
                        },
                    )
                    for d in drafts
                ],
            )
    except IntegrityError:
        raise Conflict("SK KGB ini baru saja dibuat orang lain. Muat ulang halaman, lalu coba lagi.") from None
    return drafts


def _decree_for_update(decree_id: int) -> KgbDecree:
    d = KgbDecree.objects.select_for_update().select_related("employee", "employee__unit").filter(pk=decree_id).first()
    if d is None:
        raise NotVisible("SK KGB tidak ditemukan.")
    return d


def _require_draft(d: KgbDecree, verb: str) -> None:
    if d.state != KgbState.DRAFT:
        raise TransitionRefused(
            f"Tidak dapat {verb}: SK KGB ini berstatus {KgbState(d.state).label}.", details={"state": d.state}
        )


def _move(d: KgbDecree, actor: Any, to: Any, **fields: Any) -> None:
    """Compare-and-set: of two people acting at once, one wins; the other is told the decree's state now."""
    done = KgbDecree.objects.filter(pk=d.pk, state=KgbState.DRAFT).update(
        state=to, decided_by=actor, decided_at=timezone.now(), **fields
    )
    if not done:
        now = KgbDecree.objects.get(pk=d.pk)
        raise Conflict(f"SK KGB ini baru saja diubah: statusnya sekarang {KgbState(now.state).label}.")


def kgb_decree_approve(*, actor: Any, decree_id: int, today: dt.date | None = None) -> KgbDecree:
    """Admin BKPSDM signs the SK (dated today): the new MKG enters the KGB history from the TMT, which updates the
    current MKG and the next KGB date; a TMT in months already paid is picked up by the next rapel run."""
    today = today or dt.date.today()
    if not access_for(actor).has(Role.ADMIN_BKPSDM):
        raise Forbidden("Hanya admin BKPSDM yang dapat menyetujui SK KGB.")
    with transaction.atomic():
        d = _decree_for_update(decree_id)
        _require_draft(d, "menyetujui")
        e = Employee.objects.get(pk=d.employee_id)
        if (e.golongan, e.mkg_years, e.mkg_months) != (d.golongan, d.old_mkg_years, d.old_mkg_months):
            raise Conflict(
                "Pangkat atau masa kerja golongan pegawai berubah sejak draf dibuat; batalkan draf ini dan buat "
                "yang baru."
            )
        row = kgb_record(
            actor=actor,
            employee=e,
            mkg_years=d.new_mkg_years,
            mkg_months=d.new_mkg_months,
            sk=Sk(number=d.sk_number, date=today, tmt=d.tmt),
            reason=f"SK KGB {d.sk_number}",
        )
        _move(d, actor, KgbState.APPROVED, sk_date=today, history=row)
        audit.record(actor=actor, action="kgb.approved", obj=d, sk_number=d.sk_number,
                     changes={"state": ["draft", "approved"]})  # fmt: skip
    d.refresh_from_db()
    return d


def kgb_decree_cancel(*, actor: Any, decree_id: int, reason: str) -> KgbDecree:
    """Admin BKPSDM, or the operator of the employee's OPD, cancels a draft with a reason; its number stays used."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed("Alasan pembatalan wajib diisi.", details={"field": "reason"})
    with transaction.atomic():
        d = _decree_for_update(decree_id)
        if not kgb_scope(actor).filter(pk=d.employee_id).exists():
            raise NotVisible("SK KGB tidak ditemukan.")
        _require_draft(d, "membatalkan")
        _move(d, actor, KgbState.CANCELLED, cancel_reason=reason[:300])
        audit.record(actor=actor, action="kgb.cancelled", obj=d, sk_number=d.sk_number, reason=reason,
                     changes={"state": ["draft", "cancelled"]})  # fmt: skip
    d.refresh_from_db()
    return d
