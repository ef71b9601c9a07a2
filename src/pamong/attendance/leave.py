"""Leave (cuti, PP 11/2017 Pasal 310–339; PP 49/2018 for PPPK): the ledger of the annual leave, requests and their
decisions. Types, who may take them, maxima, evidence and whether BKPSDM decides: the rule pack's cuti/jenis_cuti.

    submitted ──atasan approves──▶ approved              (types decided by the atasan)
        │            └───────────▶ supervisor_ok ──BKPSDM──▶ approved | rejected   (types needing BKPSDM)
        ├──atasan rejects──▶ rejected
        └──employee cancels (before the first day; also from supervisor_ok / approved)──▶ cancelled

- The atasan is the nearest superior position holder (performance.chain penilai) fixed when submitted; none (a
  unit head under the Wali Kota): admin BKPSDM decides both stages.
- The ledger (LeaveLedger) holds only types with `saldo` (cuti tahunan): the year's grant, the carry-over, takings
  on approval and their reversals on cancel, lapses. A taking that would make a year's balance negative is refused,
  at submission (counting the requests still pending) and again at approval. A request across New Year takes each
  year's working days from that year's balance.
- Nothing is written for a month whose TPP run is approved (the month is locked): submit, decide and cancel refuse.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from pamong.accounts.access import access_for
from pamong.accounts.models import Role, RoleGrant
from pamong.audit import services as audit
from pamong.core.errors import Conflict, Forbidden, NotVisible, TransitionRefused, ValidationFailed
from pamong.core.formats import tanggal
from pamong.core.notify import notify
from pamong.people.models import Employee, EmploymentStatus
from pamong.performance.realisation import detect_kind

from .leave_rules import ANNUAL, LeaveType, add_years, latest_end, leave_types, year_parts, years_of_service
from .locks import MonthLocked, month_locked
from .models import LeaveLedger, LeaveRequest, RequestState
from .schedules import working_dates_of
from .selectors import scoped

Entry = LeaveLedger.Entry
PENDING = (RequestState.SUBMITTED, RequestState.SUPERVISOR_APPROVED)
LIVE = (*PENDING, RequestState.APPROVED)
EVIDENCE_MAX_BYTES = 2 * 1024 * 1024
GRANT_STATUSES = (EmploymentStatus.AKTIF, EmploymentStatus.CPNS)  # on tugas belajar, CLTN, suspended: no grant
CLOSING_NOTE = "penutupan tahun"


class LeaveRefused(ValidationFailed):
    code = "leave_refused"


# ---- working days and locks ------------------------------------------------------------------------------------


EVIDENCE_EXT = {"pdf": "pdf", "png": "png", "jpeg": "jpg"}  # kinds accepted as evidence → file extension


def leave_days(employee_id: int, start: dt.date, end: dt.date) -> list[dt.date]:
    """The employee's working dates from start to end: their own schedule (assignments, roster, special periods)
    less holidays, as the month's recap counts them."""
    return working_dates_of(employee_id, start, end)


def _refuse_locked(start: dt.date, end: dt.date) -> None:
    d = start.replace(day=1)
    while d <= end:
        if month_locked(d):
            raise MonthLocked(
                gettext(
                    "Bulan %(m)s sudah dikunci (TPP bulan itu sudah disetujui); cuti pada bulan itu tidak dapat "
                    "diubah lagi."
                )
                % {"m": d.strftime("%m/%Y")}
            )
        d = (d + dt.timedelta(days=32)).replace(day=1)


# ---- reads ------------------------------------------------------------------------------------------------------


def leave_requests_visible_to(user: Any) -> QuerySet[LeaveRequest]:
    return scoped(user, LeaveRequest.objects.select_related("employee", "approver"))


def leave_request_get(user: Any, request_id: int) -> LeaveRequest:
    req = leave_requests_visible_to(user).filter(pk=request_id).first()
    if req is None:
        raise NotVisible(gettext("Permohonan cuti tidak ditemukan."))
    return req


def balance(employee_id: int, kind: str, year: int) -> int:
    got = LeaveLedger.objects.filter(employee_id=employee_id, kind=kind, year=year).aggregate(s=Sum("days"))["s"]
    return int(got or 0)


def ledger_summary(employee_id: int) -> list[dict[str, int | str]]:
    """Per (type, year), newest first, as an employee reads it (all positive): the grant, what came from the year
    before, what was used (takings less reversals), what left the year (carried on or lapsed), and the balance."""
    rows: dict[tuple[str, int], dict[str, int | str]] = {}
    for kind, year, entry, days in LeaveLedger.objects.filter(employee_id=employee_id).values_list(
        "kind", "year", "entry", "days"
    ):
        row = rows.setdefault(
            (kind, year),
            {"kind": kind, "year": year, "grant": 0, "carry_in": 0, "used": 0, "gone": 0, "adjust": 0, "balance": 0},
        )
        key = {
            Entry.GRANT: "grant",
            Entry.TAKEN: "used",
            Entry.REVERSED: "used",
            Entry.LAPSED: "gone",
            Entry.ADJUST: "adjust",
        }.get(entry, "carry_in" if days > 0 else "gone")
        sign = -1 if key in ("used", "gone") else 1
        row[key] = int(row[key]) + sign * days
        row["balance"] = int(row["balance"]) + days
    return [rows[k] for k in sorted(rows, key=lambda k: (-k[1], k[0]))]


def pending_days(employee_id: int, kind: str, year: int, exclude: int | None = None) -> int:
    """Working days of the year still asked for by pending requests of the type (not yet in the ledger)."""
    total = 0
    qs = LeaveRequest.objects.filter(employee_id=employee_id, kind=kind, state__in=PENDING)
    qs = qs.filter(start__lte=dt.date(year, 12, 31), end__gte=dt.date(year, 1, 1))
    if exclude is not None:
        qs = qs.exclude(pk=exclude)
    for req in qs:
        total += year_parts(leave_days(employee_id, req.start, req.end)).get(year, 0)
    return total


def requestable_types(employee: Employee, on: dt.date) -> list[LeaveType]:
    return [
        t
        for t in leave_types(on).values()
        if t.requestable
        and employee.employee_type in t.employee_types
        and (not t.get("jenis_kelamin") or t.get("jenis_kelamin") == employee.gender)
    ]


def _admin_user_ids() -> list[int]:
    return list(RoleGrant.objects.filter(role=Role.ADMIN_BKPSDM).values_list("user_id", flat=True).distinct())


def is_bkpsdm(user: Any) -> bool:
    return access_for(user).has(Role.ADMIN_BKPSDM)


def awaits(user: Any, req: LeaveRequest) -> bool:
    """Whether `user` decides the request's next step."""
    if req.state == RequestState.SUBMITTED:
        if req.approver_id is None:
            return is_bkpsdm(user)
        return access_for(user).employee_id == req.approver_id
    if req.state == RequestState.SUPERVISOR_APPROVED:
        return is_bkpsdm(user)
    return False


def to_decide_for(user: Any) -> QuerySet[LeaveRequest]:
    """The requests waiting for this user's decision: as atasan, and for BKPSDM its stage and the requests of unit
    heads with no atasan in the city."""
    a = access_for(user)
    q = Q(pk__in=[])
    if a.employee_id is not None:
        q |= Q(state=RequestState.SUBMITTED, approver_id=a.employee_id)
    if a.has(Role.ADMIN_BKPSDM):
        q |= Q(state=RequestState.SUPERVISOR_APPROVED) | Q(state=RequestState.SUBMITTED, approver__isnull=True)
    return leave_requests_visible_to(user).filter(q).exclude(employee_id=a.employee_id).order_by("start", "id")


# ---- the ledger -------------------------------------------------------------------------------------------------


def _annual_eligible(emp: Employee, t: LeaveType, year: int) -> bool:
    """Has the right to the year's annual leave: a type that may take it, active, and one year of service reached
    by the end of the year (a request before the anniversary is refused at submission)."""
    if emp.employee_type not in t.employee_types or emp.status not in GRANT_STATUSES:
        return False
    return years_of_service(emp.tmt_cpns, dt.date(year, 12, 31)) >= int(t.get("masa_kerja_tahun") or 0)


def _carry(t: LeaveType, left: int, grant: int, unused_two_years: bool) -> int:
    if left <= 0:
        return 0
    if unused_two_years:
        cap, total = int(t.get("sisa_maks_dua_tahun")), int(t.get("total_maks_dua_tahun"))
    else:
        cap, total = int(t.get("sisa_maks")), int(t.get("total_maks"))
    return max(0, min(left, cap, total - grant))


def leave_year_open(*, year: int, actor: Any) -> dict[str, int]:
    """Grant the year's annual leave to every eligible employee and move the previous year's balance: up to the
    carry-over limits into this year (entry `carry`), the rest lapses (the previous year closes at zero).
    Idempotent: an employee who already has this year's grant or carry is left alone, so running it again later in
    the year only adds those who have become eligible."""
    if not is_bkpsdm(actor):
        raise Forbidden(gettext("Hanya admin BKPSDM yang dapat membuka tahun cuti."))
    t = leave_types(dt.date(year, 1, 1))[ANNUAL]
    grant_days = int(t.get("hak_hari"))
    done = LeaveLedger.objects.filter(kind=ANNUAL, year=year, entry__in=[Entry.GRANT, Entry.CARRY]).values(
        "employee_id"
    )  # a subquery: never a list of 100,000 ids as parameters
    prev: dict[int, int] = dict(
        LeaveLedger.objects.filter(kind=ANNUAL, year=year - 1)
        .order_by()
        .values("employee_id")
        .annotate(s=Sum("days"))
        .values_list("employee_id", "s")
    )
    # "not used for two years": had a grant two years back too and took nothing since (reversed takings net out)
    granted_two_back = set(
        LeaveLedger.objects.filter(kind=ANNUAL, year=year - 2, entry=Entry.GRANT).values_list("employee_id", flat=True)
    )
    net_taken: dict[int, int] = dict(
        LeaveLedger.objects.filter(kind=ANNUAL, year__in=[year - 1, year - 2], entry__in=[Entry.TAKEN, Entry.REVERSED])
        .order_by()
        .values("employee_id")
        .annotate(s=Sum("days"))
        .values_list("employee_id", "s")
    )
    rows: list[LeaveLedger] = []
    counts = {"granted": 0, "carried": 0, "lapsed": 0}
    for emp in Employee.objects.exclude(pk__in=done).only("pk", "employee_type", "status", "tmt_cpns"):
        eligible = _annual_eligible(emp, t, year)
        left = prev.get(emp.pk, 0)
        if not eligible and left <= 0:
            continue
        grant = grant_days if eligible else 0
        carry = _carry(t, left, grant, emp.pk in granted_two_back and net_taken.get(emp.pk, 0) == 0)
        if eligible:
            rows.append(
                LeaveLedger(
                    employee=emp,
                    kind=ANNUAL,
                    year=year,
                    entry=Entry.GRANT,
                    days=grant,
                    note=gettext("Hak cuti tahunan %(y)d") % {"y": year},
                    created_by=actor,
                )
            )
            counts["granted"] += 1
        if carry:
            rows.append(
                LeaveLedger(
                    employee=emp,
                    kind=ANNUAL,
                    year=year,
                    entry=Entry.CARRY,
                    days=carry,
                    note=gettext("Sisa tahun %(y)d") % {"y": year - 1},
                    created_by=actor,
                )
            )
            counts["carried"] += 1
        if left > 0:  # the previous year closes: what was carried leaves it, the rest lapses
            if carry:
                rows.append(
                    LeaveLedger(
                        employee=emp,
                        kind=ANNUAL,
                        year=year - 1,
                        entry=Entry.CARRY,
                        days=-carry,
                        note=CLOSING_NOTE,
                        created_by=actor,
                    )
                )
            if left - carry:
                rows.append(
                    LeaveLedger(
                        employee=emp,
                        kind=ANNUAL,
                        year=year - 1,
                        entry=Entry.LAPSED,
                        days=-(left - carry),
                        note=CLOSING_NOTE,
                        created_by=actor,
                    )
                )
                counts["lapsed"] += 1
    with transaction.atomic():
        LeaveLedger.objects.bulk_create(rows, batch_size=2000)
        audit.record(
            actor=actor,
            action="attendance.leave_year.opened",
            object_type="attendance.leaveledger",
            object_id=str(year),
            changes={"year": year, **counts},
        )
    return counts


# ---- requests ---------------------------------------------------------------------------------------------------


def _clean_text(value: Any, field: str, max_len: int, required: bool = True) -> str:
    from pamong.performance.inputs import clean_text

    return clean_text(value, field, max_len=max_len, required=required)


def _check_rules(emp: Employee, t: LeaveType, start: dt.date, end: dt.date, days: list[dt.date]) -> None:
    if not t.requestable:
        raise LeaveRefused(
            gettext("%(t)s tidak diajukan: tanggalnya ditetapkan pemerintah dan tidak mengurangi hak cuti tahunan.")
            % {"t": t.name},
            details={"field": "kind"},
        )
    if emp.employee_type not in t.employee_types:
        raise LeaveRefused(
            gettext("%(t)s tidak berlaku bagi pegawai %(e)s.") % {"t": t.name, "e": emp.employee_type},
            details={"field": "kind"},
        )
    if t.get("jenis_kelamin") and t.get("jenis_kelamin") != emp.gender:
        raise LeaveRefused(gettext("%(t)s hanya bagi pegawai perempuan.") % {"t": t.name}, details={"field": "kind"})
    if not days:
        raise LeaveRefused(gettext("Tanggal yang dipilih tidak memuat hari kerja."), details={"field": "start"})
    service = t.get("masa_kerja_tahun")
    if service and years_of_service(emp.tmt_cpns, start) < int(service):
        since = add_years(emp.tmt_cpns, int(service))
        raise LeaveRefused(
            gettext("%(t)s baru dapat diambil setelah %(n)d tahun bekerja, mulai %(d)s.")
            % {"t": t.name, "n": int(service), "d": tanggal(since)},
            details={"field": "start"},
        )
    last = latest_end(t, start)
    if last is not None and end > last:
        raise LeaveRefused(
            gettext("%(t)s paling lama sampai %(d)s untuk permohonan yang dimulai tanggal itu.")
            % {"t": t.name, "d": tanggal(last)},
            details={"field": "end"},
        )
    if t.get("maks_hari_kerja") is not None and len(days) > int(t.get("maks_hari_kerja")):
        raise LeaveRefused(
            gettext("%(t)s paling lama %(n)d hari kerja.") % {"t": t.name, "n": t.get("maks_hari_kerja")},
            details={"field": "end"},
        )
    if t.get("minimal_hari") and len(days) < int(t.get("minimal_hari")):
        raise LeaveRefused(
            gettext("%(t)s paling sedikit %(n)d hari kerja.") % {"t": t.name, "n": t.get("minimal_hari")},
            details={"field": "end"},
        )
    taken = LeaveRequest.objects.filter(employee=emp, kind=t.key, state=RequestState.APPROVED)
    if t.get("jeda_tahun") and taken.filter(start__gt=add_years(start, -int(t.get("jeda_tahun")))).exists():
        raise LeaveRefused(
            gettext("%(t)s baru dapat diambil lagi %(n)d tahun setelah yang terakhir.")
            % {"t": t.name, "n": int(t.get("jeda_tahun"))},
            details={"field": "start"},
        )
    if t.get("maks_kali") and taken.count() >= int(t.get("maks_kali")):
        raise LeaveRefused(
            gettext("%(t)s sudah diambil %(n)d kali (batasnya); gunakan cuti besar.")
            % {"t": t.name, "n": int(t.get("maks_kali"))},
            details={"field": "kind"},
        )


def _check_balance(emp_id: int, t: LeaveType, days: list[dt.date], exclude: int | None, with_pending: bool) -> None:
    if not t.ledger:
        return
    for year, need in sorted(year_parts(days).items()):
        have = balance(emp_id, t.key, year) - (pending_days(emp_id, t.key, year, exclude) if with_pending else 0)
        if need > have:
            raise LeaveRefused(
                gettext(
                    "Sisa %(t)s tahun %(y)d tinggal %(h)d hari kerja, sedangkan permohonan ini memerlukan %(n)d "
                    "hari kerja pada tahun itu."
                )
                % {"t": t.name.lower(), "y": year, "h": max(have, 0), "n": need},
                details={"field": "end", "year": year, "balance": have, "needed": need},
            )


def _link(req: LeaveRequest) -> str:
    return reverse("attendance:leave_approvals") if req.state in PENDING else reverse("attendance:leave_mine")


def _approver_users(req: LeaveRequest) -> list[int]:
    if req.state == RequestState.SUPERVISOR_APPROVED or req.approver_id is None:
        return _admin_user_ids()
    uid = Employee.objects.filter(pk=req.approver_id).values_list("user_id", flat=True).first()
    return [uid] if uid else []


def leave_request_submit(
    *,
    actor: Any,
    employee_id: int,
    kind: str,
    start: dt.date,
    end: dt.date,
    reason: str,
    address: str = "",
    evidence: tuple[str, bytes] | None = None,
) -> LeaveRequest:
    """The employee asks for leave. Refused: another live request overlapping, dates in a locked month, a type the
    employee may not take, beyond the type's maximum, missing evidence, or (cuti tahunan) more than the balance."""
    from pamong.performance.chain import chains_for

    if access_for(actor).employee_id != employee_id:
        raise Forbidden(gettext("Cuti hanya dapat diajukan oleh pegawai yang bersangkutan."))
    if start > end:
        raise ValidationFailed(gettext("Tanggal selesai tidak boleh sebelum tanggal mulai."), details={"field": "end"})
    reason = _clean_text(reason, "reason", 500)
    address = _clean_text(address, "address", 300, required=False)
    types = leave_types(start)
    t = types.get(kind)
    if t is None:
        raise ValidationFailed(gettext("Jenis cuti tidak dikenal."), details={"field": "kind"})
    blob: tuple[str, bytes] | None = None
    if evidence is not None and evidence[1]:
        if len(evidence[1]) > EVIDENCE_MAX_BYTES:
            raise ValidationFailed(gettext("Berkas bukti paling besar 2 MB."), details={"field": "evidence"})
        ext = EVIDENCE_EXT.get(str(detect_kind(evidence[1])))
        if ext is None:
            raise ValidationFailed(
                gettext("Bukti harus berupa berkas PDF, JPEG, atau PNG."), details={"field": "evidence"}
            )
        blob = (f"cuti-{employee_id}-{start:%Y%m%d}.{ext}", evidence[1])
    if t.evidence and blob is None:
        raise ValidationFailed(
            gettext("%(t)s memerlukan bukti (misalnya surat keterangan dokter).") % {"t": t.name},
            details={"field": "evidence"},
        )
    _refuse_locked(start, end)
    with transaction.atomic():
        emp = Employee.objects.select_for_update().get(pk=employee_id)  # one request at a time per employee
        overlap = LeaveRequest.objects.filter(employee=emp, state__in=LIVE, start__lte=end, end__gte=start).first()
        if overlap is not None:
            raise Conflict(
                gettext("Tanggal ini bertumpuk dengan permohonan cuti lain (%(a)s – %(b)s).")
                % {"a": tanggal(overlap.start), "b": tanggal(overlap.end)},
                code="leave_overlap",
            )
        days = leave_days(employee_id, start, end)
        _check_rules(emp, t, start, end, days)
        _check_balance(employee_id, t, days, None, with_pending=True)
        req = LeaveRequest(
            employee=emp,
            kind=kind,
            start=start,
            end=end,
            days=len(days),
            reason=reason,
            address=address,
            approver_id=chains_for([employee_id], start)[employee_id].penilai_id,
            created_by=actor,
        )
        if blob is not None:
            req.evidence.save(blob[0], ContentFile(blob[1]), save=False)
        req.save()
        audit.record(
            actor=actor,
            action="attendance.leave.submitted",
            obj=req,
            changes={"kind": kind, "start": start.isoformat(), "end": end.isoformat(), "days": len(days)},
        )
        notify(
            users=_approver_users(req),
            link=_link(req),
            text=gettext("%(n)s mengajukan %(t)s %(a)s – %(b)s.")
            % {"n": emp.name, "t": t.name.lower(), "a": tanggal(start), "b": tanggal(end)},
        )
    return req


def _take(req: LeaveRequest, t: LeaveType, actor: Any) -> None:
    """Ledger entries when a request is approved: the taking per year, and for cuti besar the lapse of what is left
    of the year's own annual grant (the carry-over from earlier years stays)."""
    rows = []
    if t.ledger:
        days = leave_days(req.employee_id, req.start, req.end)
        _check_balance(req.employee_id, t, days, req.pk, with_pending=False)
        for year, n in sorted(year_parts(days).items()):
            rows.append(
                LeaveLedger(
                    employee_id=req.employee_id,
                    kind=t.key,
                    year=year,
                    entry=Entry.TAKEN,
                    days=-n,
                    request=req,
                    created_by=actor,
                )
            )
    if t.get("menghapus_hak_tahunan"):
        year = req.start.year
        own = LeaveLedger.objects.filter(employee_id=req.employee_id, kind=ANNUAL, year=year, entry=Entry.GRANT)
        grant = int(own.aggregate(s=Sum("days"))["s"] or 0)
        lapse = min(max(balance(req.employee_id, ANNUAL, year), 0), grant)
        if lapse:
            rows.append(
                LeaveLedger(
                    employee_id=req.employee_id,
                    kind=ANNUAL,
                    year=year,
                    entry=Entry.LAPSED,
                    days=-lapse,
                    request=req,
                    created_by=actor,
                    note=gettext("Hangus karena cuti besar"),
                )
            )
    LeaveLedger.objects.bulk_create(rows)


def leave_request_decide(*, actor: Any, request_id: int, approve: bool, note: str = "") -> LeaveRequest:
    """The next decision: the atasan's (approved, or on to BKPSDM for the types needing it), or BKPSDM's."""
    note = _clean_text(note, "note", 500, required=not approve)
    with transaction.atomic():
        req = leave_request_get(actor, request_id)
        req = LeaveRequest.objects.select_for_update().select_related("employee").get(pk=req.pk)
        if req.state not in PENDING:
            raise TransitionRefused(gettext("Permohonan ini sudah diputus atau dibatalkan."))
        if not awaits(actor, req):
            raise Forbidden(gettext("Permohonan ini tidak menunggu keputusan Anda."))
        _refuse_locked(req.start, req.end)
        t = leave_types(req.start)[req.kind]
        before = req.state
        if not approve:
            req.state = RequestState.REJECTED
        elif (
            before == RequestState.SUBMITTED
            and req.approver_id is not None
            and t.needs_bkpsdm((req.end - req.start).days + 1)
        ):
            req.state = RequestState.SUPERVISOR_APPROVED
        else:
            req.state = RequestState.APPROVED
            Employee.objects.select_for_update().filter(pk=req.employee_id).first()
            _take(req, t, actor)
        req.decided_by, req.decided_at, req.decision_note = actor, timezone.now(), note
        req.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
        verbs = {
            RequestState.APPROVED: "approved",
            RequestState.REJECTED: "rejected",
            RequestState.SUPERVISOR_APPROVED: "supervisor_approved",
        }
        audit.record(
            actor=actor,
            action=f"attendance.leave.{verbs[RequestState(req.state)]}",
            obj=req,
            changes={"state": [before, req.state]},
            reason=note,
        )
        texts = {
            RequestState.APPROVED: gettext("Permohonan %(t)s Anda %(a)s – %(b)s disetujui."),
            RequestState.REJECTED: gettext("Permohonan %(t)s Anda %(a)s – %(b)s ditolak."),
            RequestState.SUPERVISOR_APPROVED: gettext(
                "Permohonan %(t)s Anda %(a)s – %(b)s disetujui atasan dan diteruskan ke BKPSDM."
            ),
        }
        words = {"t": t.name.lower(), "a": tanggal(req.start), "b": tanggal(req.end)}
        notify(
            users=[req.employee.user_id],
            text=texts[RequestState(req.state)] % words,
            link=reverse("attendance:leave_mine"),
        )
        if req.state == RequestState.SUPERVISOR_APPROVED:
            notify(
                users=_admin_user_ids(),
                link=reverse("attendance:leave_approvals"),
                text=gettext("%(n)s: %(t)s %(a)s – %(b)s menunggu keputusan BKPSDM.")
                % {"n": req.employee.name, **words},
            )
        if req.state == RequestState.APPROVED:
            _refresh(req, actor)
    return req


def _refresh(req: LeaveRequest, actor: Any) -> None:
    """A computed month of the leave's dates is recomputed at once (its days become approved absences, or stop
    being so)."""
    from .month import months_between, recaps_refresh

    recaps_refresh(employee_ids=[req.employee_id], periods=months_between(req.start, req.end), actor=actor)


def leave_request_cancel(*, actor: Any, request_id: int, on: dt.date | None = None) -> LeaveRequest:
    """The employee withdraws a request before its first day; an approved one gives its days back (reversal)."""
    today = on or timezone.localdate()
    with transaction.atomic():
        req = leave_request_get(actor, request_id)
        if access_for(actor).employee_id != req.employee_id:
            raise Forbidden(gettext("Hanya pegawai yang bersangkutan yang dapat membatalkan cutinya."))
        req = LeaveRequest.objects.select_for_update().select_related("employee").get(pk=req.pk)
        if req.state not in LIVE:
            raise TransitionRefused(gettext("Permohonan ini sudah ditolak atau dibatalkan."))
        if req.start <= today:
            raise TransitionRefused(gettext("Cuti yang sudah dimulai tidak dapat dibatalkan."))
        _refuse_locked(req.start, req.end)
        before = req.state
        # who was deciding or decided: the atasan (BKPSDM for a unit head), and BKPSDM for its own types
        users = _approver_users(LeaveRequest(state=RequestState.SUBMITTED, approver_id=req.approver_id))
        if before == RequestState.SUPERVISOR_APPROVED or (
            before == RequestState.APPROVED
            and leave_types(req.start)[req.kind].needs_bkpsdm(req.end.toordinal() - req.start.toordinal() + 1)
        ):
            users += _admin_user_ids()
        if before == RequestState.APPROVED:
            rows = [
                LeaveLedger(
                    employee_id=e.employee_id,
                    kind=e.kind,
                    year=e.year,
                    entry=Entry.REVERSED if e.entry == Entry.TAKEN else Entry.ADJUST,
                    days=-e.days,
                    request=req,
                    created_by=actor,
                    note=gettext("Pembatalan cuti"),
                )
                for e in LeaveLedger.objects.filter(request=req, entry__in=[Entry.TAKEN, Entry.LAPSED])
            ]
            LeaveLedger.objects.bulk_create(rows)
        req.state = RequestState.CANCELLED
        req.save(update_fields=["state"])
        audit.record(actor=actor, action="attendance.leave.cancelled", obj=req, changes={"state": [before, req.state]})
        notify(
            users=[u for u in users if u != actor.pk],
            link=reverse("attendance:leave_approvals"),
            text=gettext("%(n)s membatalkan cuti %(a)s – %(b)s.")
            % {"n": req.employee.name, "a": tanggal(req.start), "b": tanggal(req.end)},
        )
        if before == RequestState.APPROVED:
            _refresh(req, actor)
    return req
