"""Discipline case services (PP 94/2021), all by BKPSDM except that the employee may file their own appeal:

    open ──examine (BAP)──▶ examined ──decide (SK)──▶ decided ──appeal──▶ appealed ──decide appeal──▶ closed
      └────────── drop ──────────┴──▶ dropped

- open: from the ladder's recommendation (the employee's heaviest sanction reached this year must be above what the
  year's cases cover: recommendations are not repeated) or manually with a description (another violation).
- examine: the BAP's date (not in the future), summary, and optionally its file — PDF, PNG or JPEG recognised by its
  content (performance.realisation.detect_kind), at most 5 MB, stored under a random name.
- decide: SK number and date, a sanction code of the ladder that the region's table has on the TMT (payroll would
  refuse an unknown code), TMT not before the SK date. The case's end = TMT + the code's months − 1 day (none for a
  sanction without a duration). It creates the payroll.DisciplinarySanction (code, TMT, SK) that the TPP run reads.
- appeal (upaya administratif): keberatan or banding with its text, by the employee or by BKPSDM on their behalf.
- decide appeal: upheld (the sanction stands); changed by a new SK (a new code and/or TMT: the old sanction row is
  deleted and a new one made — DisciplinarySanction has no end date, and a replaced decree must stop cutting TPP;
  the audit keeps the old row's values); annulled (the sanction row is deleted).
- drop: an open or examined case is not pursued, with a reason.

Every step is a compare-and-set on the state inside a transaction, audited ("attendance.discipline_case.<verb>",
plus "sanction.created"/"sanction.deleted" for the payroll rows) and notified to the employee."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from pamong.accounts.access import access_for
from pamong.accounts.models import Role, RoleGrant
from pamong.audit import services as audit
from pamong.core.errors import Forbidden, NotVisible, TransitionRefused, ValidationFailed
from pamong.core.notify import notify
from pamong.payroll.models import DisciplinarySanction
from pamong.payroll.months import add_months
from pamong.people.models import Employee
from pamong.performance.inputs import clean_text
from pamong.performance.realisation import detect_kind

from .discipline import (
    BASIS_CUMULATIVE,
    BASIS_OTHER,
    BASIS_RUN,
    case_get,
    discipline_rules,
    may_manage,
    recommendation_for,
)
from .models import DisciplineCase

State = DisciplineCase.State
MAX_BAP_BYTES = 5 * 1024 * 1024
BAP_KINDS = {"pdf": ".pdf", "png": ".png", "jpeg": ".jpg"}
APPEAL_KINDS = {"keberatan", "banding"}
APPEAL_OUTCOMES = {"upheld", "changed", "annulled"}
_CASE_FIELDS = ("state", "sanction_code", "sk_number", "sk_date", "tmt", "until", "sanction")
_SANCTION_FIELDS = ("employee", "code", "tmt", "sk_number", "sk_date")


def _require_manager(actor: Any) -> None:
    if not may_manage(actor):
        raise Forbidden(gettext("Hanya BKPSDM yang dapat mengelola kasus disiplin."))


def _locked(actor: Any, case_id: int, states: tuple[Any, ...]) -> DisciplineCase:
    """The case, visible to the actor (else NotVisible), locked, in one of `states` (else TransitionRefused)."""
    case_get(actor, case_id)
    case = DisciplineCase.objects.select_for_update().select_related("employee").get(pk=case_id)
    if case.state not in states:
        raise TransitionRefused(
            gettext("Kasus berstatus %(s)s; langkah ini tidak dapat dilakukan.") % {"s": case.get_state_display()}
        )
    return case


def _repr(case: DisciplineCase) -> str:
    return f"Kasus disiplin {case.employee.nip} {case.year} #{case.pk}"


def _record(actor: Any, case: DisciplineCase, verb: str, changes: dict[str, Any], *, reason: str = "",
            sk_number: str = "", extra: list[audit.Change] | None = None) -> None:  # fmt: skip
    items = [
        audit.Change(
            f"attendance.discipline_case.{verb}",
            obj=case,
            object_repr=_repr(case),
            changes=changes,
            reason=reason,
            sk_number=sk_number,
        )  # fmt: skip
    ]
    audit.record_many(actor, items + (extra or []))


def _tell(case: DisciplineCase, text: str, *, admins: bool = False) -> None:
    link = reverse("attendance:discipline_case", args=[case.pk])
    users: list[Any] = [case.employee.user_id]
    if admins:
        users += list(RoleGrant.objects.filter(role=Role.ADMIN_BKPSDM).values_list("user_id", flat=True))
    notify(users=users, text=text, link=link)


def _date(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or ""))
    except ValueError:
        raise ValidationFailed(gettext("Tanggal tidak valid."), details={"field": field}) from None


def _not_future(day: dt.date, field: str) -> dt.date:
    if day > timezone.localdate():
        raise ValidationFailed(gettext("Tanggal tidak boleh setelah hari ini."), details={"field": field})
    return day


# --- open -----------------------------------------------------------------------------------------------------------


def discipline_case_open(*, actor: Any, employee_id: int, year: int, manual: bool = False, description: str = "",
                         as_of: dt.date | None = None) -> DisciplineCase:  # fmt: skip
    """Open a case: from the ladder's recommendation (refused when the year's cases already cover it) or, `manual`,
    for another violation described in `description`."""
    _require_manager(actor)
    as_of = as_of or timezone.localdate()
    text = clean_text(description, "description", max_len=1000, required=manual, multiline=True)
    with transaction.atomic():
        emp = Employee.objects.select_for_update().filter(pk=employee_id).first()  # one opening at a time
        if emp is None:
            raise NotVisible(gettext("Pegawai tidak ditemukan."))
        if manual:
            case = DisciplineCase(employee=emp, year=year, basis=BASIS_OTHER, description=text, opened_by=actor)
        else:
            rules = discipline_rules(as_of)
            rec, covered = recommendation_for(emp.pk, year, as_of, rules)
            if rec is None or rec.code is None or rules.ladder.rank(rec.code) <= rules.ladder.rank(covered):
                raise TransitionRefused(
                    gettext("Tidak ada rekomendasi hukuman baru untuk pegawai ini pada tahun %(y)d.") % {"y": year}
                )
            from_run = rec.run_reached and rec.code == rules.ladder.run_code and (
                rec.step is None or rules.ladder.rank(rec.step.code) < rules.ladder.rank(rec.code))  # fmt: skip
            case = DisciplineCase(employee=emp, year=year, basis=BASIS_RUN if from_run else BASIS_CUMULATIVE,
                                  tk_days=rec.tk_days, recommended=rec.code, description=text,
                                  opened_by=actor)  # fmt: skip
        case.save()
        _record(actor, case, "opened", {"tahun": year, "dasar": case.basis, "hari_tk": case.tk_days,
                                        "disarankan": case.recommended, "uraian": case.description})  # fmt: skip
    _tell(case, gettext("BKPSDM membuka kasus disiplin atas nama Anda (tahun %(y)d). Anda akan dipanggil untuk "
                        "pemeriksaan.") % {"y": year})  # fmt: skip
    return case


# --- examine --------------------------------------------------------------------------------------------------------


def _bap_name(filename: str, content: bytes) -> str:
    if not content:
        raise ValidationFailed(gettext("Berkas kosong."), details={"field": "bap_file"})
    if len(content) > MAX_BAP_BYTES:
        raise ValidationFailed(gettext("Berkas lebih dari 5 MB."), details={"field": "bap_file"})
    kind = detect_kind(content)
    if kind not in BAP_KINDS:
        raise ValidationFailed(gettext("Berkas BAP harus PDF atau gambar PNG/JPEG (diperiksa dari isinya)."),
                               details={"field": "bap_file"})  # fmt: skip
    return f"{secrets.token_hex(16)}{BAP_KINDS[kind]}"


def discipline_case_examine(*, actor: Any, case_id: int, bap_date: Any, summary: str, filename: str = "",
                            content: bytes | None = None) -> DisciplineCase:  # fmt: skip
    """Record the examination (BAP); again while examined, to correct it."""
    _require_manager(actor)
    day = _not_future(_date(bap_date, "bap_date"), "bap_date")
    text = clean_text(summary, "bap_summary", max_len=4000, multiline=True)
    stored = _bap_name(filename, content) if content is not None else ""
    with transaction.atomic():
        case = _locked(actor, case_id, (State.OPEN, State.EXAMINED))
        if day < timezone.localtime(case.opened_at).date():
            raise ValidationFailed(gettext("Tanggal pemeriksaan sebelum kasus dibuka."), details={"field": "bap_date"})
        before = {"tanggal": case.bap_date, "ringkasan": case.bap_summary, "berkas": case.bap_file.name}
        case.bap_date, case.bap_summary, case.state = day, text, State.EXAMINED
        if stored and content is not None:
            case.bap_file.save(stored, ContentFile(content), save=False)
        case.save()
        after = {"tanggal": case.bap_date, "ringkasan": case.bap_summary, "berkas": case.bap_file.name}
        _record(actor, case, "examined", audit.diff(before, after))
    _tell(case, gettext("Hasil pemeriksaan (BAP) kasus disiplin Anda sudah dicatat."))
    return case


# --- decide ---------------------------------------------------------------------------------------------------------


def _sanction_terms(code: str, sk_number: str, sk_date: Any, tmt: Any) -> tuple[str, str, dt.date, dt.date]:
    number = clean_text(sk_number, "sk_number", max_len=100)
    sk_day = _not_future(_date(sk_date, "sk_date"), "sk_date")
    start = _date(tmt, "tmt")
    if start < sk_day:
        raise ValidationFailed(gettext("TMT hukuman tidak boleh sebelum tanggal SK."), details={"field": "tmt"})
    rules = discipline_rules(start)
    if rules.ladder.rank(code) == 0 or code not in rules.months:
        raise ValidationFailed(gettext("Jenis hukuman tidak dikenal."), details={"field": "code"})
    return code, number, sk_day, start


def _until(tmt: dt.date, code: str) -> dt.date | None:
    months = discipline_rules(tmt).months.get(code, 0)
    return add_months(tmt, months) - dt.timedelta(days=1) if months > 0 else None


def _sanction_change(verb: str, s: DisciplinarySanction, before: dict[str, Any], after: dict[str, Any]) -> audit.Change:
    return audit.Change(f"sanction.{verb}", obj=s, object_repr=f"Hukuman disiplin {s.employee_id} {s.code} "
                        f"TMT {s.tmt:%d-%m-%Y}", changes=audit.diff(before, after), sk_number=s.sk_number)  # fmt: skip


def discipline_case_decide(*, actor: Any, case_id: int, code: str, sk_number: str, sk_date: Any,
                           tmt: Any) -> DisciplineCase:  # fmt: skip
    """Decide an examined case by SK: the sanction becomes a payroll.DisciplinarySanction."""
    _require_manager(actor)
    with transaction.atomic():
        case = _locked(actor, case_id, (State.EXAMINED,))
        code, number, sk_day, start = _sanction_terms(str(code or ""), sk_number, sk_date, tmt)
        before = audit.snapshot(case, _CASE_FIELDS)
        sanction = DisciplinarySanction.objects.create(employee=case.employee, code=code, tmt=start,
                                                       sk_number=number, sk_date=sk_day)  # fmt: skip
        case.sanction_code, case.sk_number, case.sk_date, case.tmt = code, number, sk_day, start
        case.until, case.sanction, case.state = _until(start, code), sanction, State.DECIDED
        case.save()
        created = _sanction_change("created", sanction, {}, audit.snapshot(sanction, _SANCTION_FIELDS))
        _record(actor, case, "decided", audit.diff(before, audit.snapshot(case, _CASE_FIELDS)), sk_number=number,
                extra=[created])  # fmt: skip
    _tell(case, gettext("Keputusan hukuman disiplin atas nama Anda sudah ditetapkan (SK %(n)s). Anda dapat "
                        "mengajukan upaya administratif.") % {"n": number})  # fmt: skip
    return case


# --- appeal ---------------------------------------------------------------------------------------------------------


def discipline_case_appeal(*, actor: Any, case_id: int, kind: str, text: str) -> DisciplineCase:
    """File an upaya administratif (keberatan or banding) against the decision: the employee, or BKPSDM for them."""
    if kind not in APPEAL_KINDS:
        raise ValidationFailed(gettext("Pilih keberatan atau banding administratif."), details={"field": "kind"})
    body = clean_text(text, "appeal_text", max_len=4000, multiline=True)
    with transaction.atomic():
        case = _locked(actor, case_id, (State.DECIDED,))
        if access_for(actor).employee_id != case.employee_id and not may_manage(actor):
            raise Forbidden(gettext("Hanya pegawai yang bersangkutan atau BKPSDM yang dapat mengajukan upaya "
                                    "administratif."))  # fmt: skip
        case.appeal_text, case.state = body, State.APPEALED
        case.save()
        _record(actor, case, "appealed", {"jenis": kind, "alasan": body})
    _tell(case, gettext("Upaya administratif atas keputusan hukuman disiplin sudah tercatat."), admins=True)
    return case


def discipline_case_appeal_decide(*, actor: Any, case_id: int, outcome: str, decision: str, sk_number: str = "",
                                  sk_date: Any = None, code: str = "", tmt: Any = None) -> DisciplineCase:  # fmt: skip
    """Record the appeal's decision: upheld, changed by a new SK (a new sanction replaces the old one), annulled."""
    _require_manager(actor)
    if outcome not in APPEAL_OUTCOMES:
        raise ValidationFailed(gettext("Pilih isi keputusan."), details={"field": "outcome"})
    text = clean_text(decision, "appeal_decision", max_len=4000, multiline=True)
    with transaction.atomic():
        case = _locked(actor, case_id, (State.APPEALED,))
        before = audit.snapshot(case, _CASE_FIELDS)
        extra: list[audit.Change] = []
        number = ""
        old = case.sanction
        if outcome == "changed":
            new_code, number, sk_day, start = _sanction_terms(str(code or ""), sk_number, sk_date, tmt)
            if old is not None and (new_code, start) == (old.code, old.tmt):
                raise ValidationFailed(gettext("Hukuman baru sama dengan hukuman semula."), details={"field": "code"})
            new = DisciplinarySanction.objects.create(employee=case.employee, code=new_code, tmt=start,
                                                      sk_number=number, sk_date=sk_day)  # fmt: skip
            extra.append(_sanction_change("created", new, {}, audit.snapshot(new, _SANCTION_FIELDS)))
            case.sanction_code, case.sk_number, case.sk_date, case.tmt = new_code, number, sk_day, start
            case.until, case.sanction = _until(start, new_code), new
        elif outcome == "annulled":
            number = clean_text(sk_number, "sk_number", max_len=100, required=False)
            case.sanction, case.until = None, None
        case.appeal_decision, case.state = text, State.CLOSED
        case.save()
        if outcome != "upheld" and old is not None:
            extra.append(_sanction_change("deleted", old, audit.snapshot(old, _SANCTION_FIELDS), {}))
            old.delete()  # the case no longer points at it
        _record(actor, case, f"appeal_{outcome}", {**audit.diff(before, audit.snapshot(case, _CASE_FIELDS)),
                                                   "putusan": text}, sk_number=number, extra=extra)  # fmt: skip
    _tell(case, gettext("Upaya administratif Anda sudah diputus."))
    return case


# --- drop -----------------------------------------------------------------------------------------------------------


def discipline_case_drop(*, actor: Any, case_id: int, reason: str) -> DisciplineCase:
    """An open or examined case is not pursued (with the reason)."""
    _require_manager(actor)
    why = clean_text(reason, "reason", max_len=1000, multiline=True)
    with transaction.atomic():
        case = _locked(actor, case_id, (State.OPEN, State.EXAMINED))
        was, case.state = case.state, State.DROPPED
        case.save()
        _record(actor, case, "dropped", {"state": [was, State.DROPPED]}, reason=why)
    _tell(case, gettext("Kasus disiplin atas nama Anda tidak dilanjutkan."))
    return case
