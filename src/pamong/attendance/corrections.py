"""Attendance corrections: an employee asks to correct a working day (forgot to punch, machine down) with the times
and a reason, optionally evidence; their atasan (the nearest superior position holder, performance.chain) approves
— which adds correction punches (PunchSource.CORRECTION) and recomputes the employee's month if it was computed —
or rejects with a note; the employee may cancel while it waits. Nothing changes in a locked month.

States: submitted → approved | rejected | cancelled (final). Who: the employee files and cancels their own; the
approver decides; when the employee has no atasan (a vacant chain up to the top), BKPSDM decides."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from pamong.accounts.access import access_for
from pamong.audit import services as audit
from pamong.core.errors import Forbidden, NotVisible, TransitionRefused, ValidationFailed
from pamong.core.notify import notify
from pamong.people.models import Employee
from pamong.performance.chain import chains_for
from pamong.performance.realisation import detect_kind

from .locks import refuse_locked
from .models import Correction, Punch, PunchSource, RequestState
from .selectors import scoped

MAX_EVIDENCE_BYTES = 2 * 1024 * 1024
EVIDENCE_KINDS = {"pdf": ".pdf", "png": ".png", "jpeg": ".jpg"}
REASON_MAX = 500


def _seconds(t: dt.time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def check_evidence(filename: str, content: bytes) -> str:
    """The stored name for an evidence file, or a ValidationFailed: PDF, PNG or JPEG by content, at most 2 MB."""
    if not content:
        raise ValidationFailed(gettext("Berkas bukti kosong."), details={"field": "evidence"})
    if len(content) > MAX_EVIDENCE_BYTES:
        raise ValidationFailed(gettext("Berkas bukti lebih dari 2 MB."), details={"field": "evidence"})
    kind = detect_kind(bytes(content[:4096])) if not content.startswith(b"PK") else None
    if kind not in EVIDENCE_KINDS:
        raise ValidationFailed(gettext("Bukti harus berupa PDF atau gambar PNG/JPEG."), details={"field": "evidence"})
    return f"koreksi{EVIDENCE_KINDS[str(kind)]}"  # never the uploaded name: no path or odd characters reach disk


def _approver(employee_id: int, on: dt.date) -> int | None:
    chain = chains_for([employee_id], on).get(employee_id)
    return getattr(chain, "penilai_id", None) if chain is not None else None


def correction_submit(
    *,
    actor: Any,
    date: dt.date,
    kind: str,
    reason: str,
    masuk: dt.time | None = None,
    pulang: dt.time | None = None,
    evidence: tuple[str, bytes] | None = None,
) -> Correction:
    """The actor's own request for a date up to today, with at least one time."""
    a = access_for(actor)
    if a.employee_id is None:
        raise Forbidden(gettext("Hanya pegawai yang dapat mengajukan koreksi presensi."))
    if kind not in Correction.Kind.values:
        raise ValidationFailed(gettext("Pilih jenis koreksi."), details={"field": "kind"})
    if masuk is None and pulang is None:
        raise ValidationFailed(gettext("Isi jam datang, jam pulang, atau keduanya."), details={"field": "masuk"})
    if date > timezone.localdate():
        raise ValidationFailed(gettext("Koreksi hanya untuk hari yang sudah lewat atau hari ini."),
                               details={"field": "date"})  # fmt: skip
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(gettext("Tuliskan alasan koreksi."), details={"field": "reason"})
    if len(reason) > REASON_MAX:
        raise ValidationFailed(gettext("Alasan paling banyak 500 huruf."), details={"field": "reason"})
    stored = check_evidence(*evidence) if evidence is not None else None
    refuse_locked(date)
    with transaction.atomic():
        if Correction.objects.filter(employee_id=a.employee_id, date=date, state=RequestState.SUBMITTED).exists():
            raise ValidationFailed(gettext("Masih ada koreksi tanggal ini yang menunggu keputusan."),
                                   details={"field": "date"})  # fmt: skip
        row = Correction(employee_id=a.employee_id, date=date, kind=kind, masuk=masuk, pulang=pulang, reason=reason,
                         approver_id=_approver(a.employee_id, date), created_by=actor)  # fmt: skip
        if stored is not None and evidence is not None:
            row.evidence.save(stored, ContentFile(evidence[1]), save=False)
        row.save()
        audit.record(actor=actor, action="attendance.correction.submit", obj=row,
                     changes={"date": str(date), "masuk": str(masuk or ""), "pulang": str(pulang or ""),
                              "kind": kind},
                     reason=reason)  # fmt: skip
        approver_users = _approver_users(row)
        transaction.on_commit(
            lambda: notify(
                users=approver_users,
                text=gettext("Ada pengajuan koreksi presensi yang menunggu keputusan Anda."),
                link="/presensi/koreksi/persetujuan/",
            )
        )
    return row


def _approver_users(row: Correction) -> list[Any]:
    if row.approver_id is not None:
        user = Employee.objects.filter(pk=row.approver_id).values_list("user", flat=True).first()
        from django.contrib.auth import get_user_model

        return list(get_user_model().objects.filter(pk=user)) if user else []
    return []


def may_decide(actor: Any, row: Correction) -> bool:
    a = access_for(actor)
    if row.approver_id is not None:
        return a.employee_id == row.approver_id
    return a.has("admin_bkpsdm")


def corrections_visible_to(user: Any) -> QuerySet[Correction]:
    """The user's own, the ones they decide, and what the attendance scope shows them (selectors.scoped)."""
    a = access_for(user)
    if not a.authenticated:
        return Correction.objects.none()
    mine = Q(approver_id=a.employee_id) if a.employee_id is not None else Q(pk__in=[])
    ids = scoped(user, Correction.objects.all()).values("pk")
    return Correction.objects.filter(Q(pk__in=ids) | mine)


def corrections_to_decide(user: Any) -> QuerySet[Correction]:
    a = access_for(user)
    qs = Correction.objects.filter(state=RequestState.SUBMITTED)
    if a.employee_id is not None and not a.has("admin_bkpsdm"):
        return qs.filter(approver_id=a.employee_id)
    if a.has("admin_bkpsdm"):
        q = Q(approver__isnull=True)
        if a.employee_id is not None:
            q |= Q(approver_id=a.employee_id)
        return qs.filter(q)
    return qs.none()


def _get(actor: Any, correction_id: int) -> Correction:
    row = corrections_visible_to(actor).select_for_update().filter(pk=correction_id).first()
    if row is None:
        raise NotVisible(gettext("Koreksi presensi tidak ditemukan."))
    return row


def _require_submitted(row: Correction) -> None:
    if row.state != RequestState.SUBMITTED:
        raise TransitionRefused(gettext("Koreksi ini sudah %(state)s.") % {"state": row.get_state_display().lower()},
                                details={"state": row.state})  # fmt: skip


def correction_approve(*, actor: Any, correction_id: int, note: str = "") -> Correction:
    """The approver accepts: the times become correction punches on the date (a departure not later than the
    arrival falls on the next date: a night shift), and a computed month is recomputed for the employee."""
    with transaction.atomic():
        row = _get(actor, correction_id)
        if not may_decide(actor, row):
            raise Forbidden(gettext("Hanya atasan langsung pegawai yang dapat memutus koreksi ini."))
        _require_submitted(row)
        refuse_locked(row.date)
        punches = correction_punches(row)
        Punch.objects.bulk_create(punches, ignore_conflicts=True)
        row.state, row.decided_by, row.decided_at = RequestState.APPROVED, actor, timezone.now()
        row.decision_note = note.strip()[:500]
        row.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
        audit.record(actor=actor, action="attendance.correction.approve", obj=row, reason=note,
                     changes={"punches": [[str(p.date), p.seconds] for p in punches]})  # fmt: skip
        _recompute_if_computed(row.employee_id, {p.date.replace(day=1) for p in punches}, actor)
        _tell_employee(row, gettext("Koreksi presensi Anda tanggal %(d)s disetujui."))
    return row


def correction_punches(row: Correction) -> list[Punch]:
    out = []
    if row.masuk is not None:
        out.append(Punch(employee_id=row.employee_id, date=row.date, seconds=_seconds(row.masuk),
                         source=PunchSource.CORRECTION))  # fmt: skip
    if row.pulang is not None:
        night = row.masuk is not None and row.pulang <= row.masuk
        out.append(Punch(employee_id=row.employee_id, date=row.date + dt.timedelta(1 if night else 0),
                         seconds=_seconds(row.pulang), source=PunchSource.CORRECTION))  # fmt: skip
    return out


def _recompute_if_computed(employee_id: int, periods: set[dt.date], actor: Any) -> None:
    from .month import recaps_refresh

    recaps_refresh(employee_ids=[employee_id], periods=periods, actor=actor)


def correction_reject(*, actor: Any, correction_id: int, note: str) -> Correction:
    note = (note or "").strip()
    if not note:
        raise ValidationFailed(gettext("Tuliskan alasan penolakan."), details={"field": "note"})
    with transaction.atomic():
        row = _get(actor, correction_id)
        if not may_decide(actor, row):
            raise Forbidden(gettext("Hanya atasan langsung pegawai yang dapat memutus koreksi ini."))
        _require_submitted(row)
        row.state, row.decided_by, row.decided_at = RequestState.REJECTED, actor, timezone.now()
        row.decision_note = note[:500]
        row.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
        audit.record(actor=actor, action="attendance.correction.reject", obj=row, reason=note)
        _tell_employee(row, gettext("Koreksi presensi Anda tanggal %(d)s ditolak."))
    return row


def correction_cancel(*, actor: Any, correction_id: int) -> Correction:
    with transaction.atomic():
        row = _get(actor, correction_id)
        if access_for(actor).employee_id != row.employee_id:
            raise Forbidden(gettext("Hanya pegawai yang mengajukan yang dapat membatalkan koreksi ini."))
        _require_submitted(row)
        row.state = RequestState.CANCELLED
        row.save(update_fields=["state"])
        audit.record(actor=actor, action="attendance.correction.cancel", obj=row)
    return row


def _tell_employee(row: Correction, text: str) -> None:
    user_id = Employee.objects.filter(pk=row.employee_id).values_list("user", flat=True).first()
    if user_id is None:
        return
    from django.contrib.auth import get_user_model

    users: Sequence[Any] = list(get_user_model().objects.filter(pk=user_id))
    message = text % {"d": row.date.strftime("%d-%m-%Y")}
    transaction.on_commit(lambda: notify(users=users, text=message, link="/presensi/koreksi/"))
