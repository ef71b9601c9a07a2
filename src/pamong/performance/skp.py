"""Writes for the SKP, a state machine:

  draft ──submit (the employee)──► submitted ──agree (the pejabat penilai)──► agreed
    ▲                                  │                                       │
    └──────return with a note (penilai)┘            revise with a reason (the employee): a new draft version;
                                                     when that version is agreed, this one is superseded

The employee writes their draft (results, indicators); the pejabat penilai may also set the leader's expectations
on the BerAKHLAK values while it is open. Admin BKPSDM creates SKPs for others, overrides the rater chain with a
reason, and copies a unit's SKPs from last year. Every transition is a compare-and-set on the state and audited."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from pamong.accounts.access import Access, access_for
from pamong.accounts.models import Role
from pamong.audit import services as audit
from pamong.core.errors import Forbidden, NotVisible, TransitionRefused, ValidationFailed
from pamong.core.notify import notify
from pamong.people.models import ACTIVE_STATUSES, Employee

from .chain import chains_for, unit_head_position
from .inputs import clean_text
from .models import (
    Aspect,
    BerAkhlak,
    ResultKind,
    Skp,
    SkpBehaviour,
    SkpIndicator,
    SkpResult,
    SkpState,
)

YEAR_MIN, YEAR_MAX = 2022, 2100  # PermenPANRB 6/2022 applies from the 2022 SKP


def _locked_skp(skp_id: int) -> Skp:
    skp = Skp.objects.select_for_update().filter(pk=skp_id).first()
    if skp is None:
        raise NotVisible(gettext("SKP tidak ditemukan."))
    return skp


def _is_owner(a: Access, skp: Skp) -> bool:
    return a.employee_id is not None and a.employee_id == skp.employee_id


def _is_penilai(a: Access, skp: Skp) -> bool:
    """The SKP's pejabat penilai; where that is the head of the region (no employee), admin BKPSDM acts."""
    if skp.penilai_id is None:
        return a.has(Role.ADMIN_BKPSDM)
    return a.employee_id is not None and a.employee_id == skp.penilai_id


def _require_editable(a: Access, skp: Skp) -> None:
    if skp.state != SkpState.DRAFT:
        raise TransitionRefused(gettext("SKP ini sudah diajukan atau disetujui; isinya tidak dapat diubah lagi."))
    if not (_is_owner(a, skp) or a.has(Role.ADMIN_BKPSDM)):
        raise Forbidden(gettext("Hanya pegawai pemilik SKP (atau admin BKPSDM) yang dapat mengubah draf ini."))


def _year(year: int) -> int:
    if not isinstance(year, int) or not YEAR_MIN <= year <= YEAR_MAX:
        raise ValidationFailed(gettext("Tahun SKP tidak sah."), details={"field": "year"})
    return year


def skp_create(
    *,
    actor: Any,
    employee_id: int,
    year: int,
    penilai_id: int | None = None,
    atasan_penilai_id: int | None = None,
    override_reason: str = "",
) -> Skp:
    """A first draft for the year, with the rater chain from the position tree and the seven BerAKHLAK values.
    The employee creates their own; admin BKPSDM may create anyone's and set another chain (with a reason)."""
    a = access_for(actor)
    _year(year)
    if not (a.employee_id == employee_id or a.has(Role.ADMIN_BKPSDM)):
        raise Forbidden(gettext("Anda hanya dapat membuat SKP Anda sendiri."))
    override = penilai_id is not None or atasan_penilai_id is not None
    if override:
        if not a.has(Role.ADMIN_BKPSDM):
            raise Forbidden(gettext("Hanya admin BKPSDM yang dapat menetapkan pejabat penilai lain."))
        override_reason = clean_text(override_reason, "override_reason", max_len=300)
    with transaction.atomic():
        emp = Employee.objects.select_for_update().filter(pk=employee_id).first()
        if emp is None:
            raise NotVisible(gettext("Pegawai tidak ditemukan."))
        if emp.status not in ACTIVE_STATUSES:
            raise ValidationFailed(gettext("Pegawai tidak aktif; SKP tidak dapat dibuat."))
        if Skp.objects.filter(employee_id=employee_id, year=year).exists():
            raise TransitionRefused(
                gettext("SKP tahun %(year)d sudah ada; ubah dengan membuat versi baru.") % {"year": year}
            )
        chain = chains_for([employee_id])[employee_id]
        p = penilai_id if override else chain.penilai_id
        ap = atasan_penilai_id if override else chain.atasan_penilai_id
        for field, pid in (("penilai_id", p), ("atasan_penilai_id", ap)):
            if pid is not None and (pid == employee_id or not Employee.objects.filter(pk=pid).exists()):
                raise ValidationFailed(gettext("Pejabat penilai tidak sah."), details={"field": field})
        skp = Skp.objects.create(
            employee=emp, year=year, position_id=emp.position_id, unit_id=emp.unit_id, penilai_id=p,
            atasan_penilai_id=ap, penilai_override_reason=override_reason if override else "", created_by=actor,
        )  # fmt: skip
        SkpBehaviour.objects.bulk_create([SkpBehaviour(skp=skp, value=v) for v in BerAkhlak.values])
        audit.record(
            actor=actor, action="skp.created", obj=skp, reason=override_reason,
            changes={"year": year, "penilai": p, "atasan_penilai": ap, "derived": not override},
        )  # fmt: skip
    return skp


def is_unit_head(skp: Skp) -> bool:
    return unit_head_position(skp.unit_id) == skp.position_id


def _supported(skp: Skp, supports_id: int | None) -> SkpResult | None:
    """The superior's result this one supports: a result of the pejabat penilai's SKP of the same year (agreed,
    or still open), never a superseded one."""
    if supports_id is None:
        return None
    target = SkpResult.objects.select_related("skp").filter(pk=supports_id).first()
    if (
        target is None
        or skp.penilai_id is None
        or target.skp.employee_id != skp.penilai_id
        or target.skp.year != skp.year
        or target.skp.state == SkpState.SUPERSEDED
    ):
        raise ValidationFailed(
            gettext("Hasil kerja atasan yang didukung harus berasal dari SKP pejabat penilai tahun yang sama."),
            details={"field": "supports"},
        )
    return target


def skp_result_add(
    *, actor: Any, skp_id: int, kind: str, text: str, supports_id: int | None = None, pk_reference: str = ""
) -> SkpResult:
    if kind not in ResultKind.values:
        raise ValidationFailed(gettext("Jenis hasil kerja tidak dikenal."), details={"field": "kind"})
    text = clean_text(text, "text", max_len=500)
    pk_reference = clean_text(pk_reference, "pk_reference", max_len=500, required=False)
    with transaction.atomic():
        skp = _locked_skp(skp_id)
        _require_editable(access_for(actor), skp)
        target = _supported(skp, supports_id)
        order = skp.results.count() + 1
        r = SkpResult.objects.create(
            skp=skp, kind=kind, text=text, supports=target, pk_reference=pk_reference, order=order
        )
        audit.record(actor=actor, action="skp.result_added", obj=skp,
                     changes={"result": r.pk, "kind": kind, "text": text, "supports": supports_id,
                              "pk_reference": pk_reference})  # fmt: skip
    return r


def skp_result_delete(*, actor: Any, result_id: int) -> None:
    with transaction.atomic():
        r = SkpResult.objects.filter(pk=result_id).first()
        if r is None:
            raise NotVisible(gettext("Hasil kerja tidak ditemukan."))
        skp = _locked_skp(r.skp_id)
        _require_editable(access_for(actor), skp)
        if r.supported_by.exists():
            raise TransitionRefused(gettext("Hasil kerja ini didukung oleh SKP bawahan; tidak dapat dihapus."))
        audit.record(actor=actor, action="skp.result_deleted", obj=skp, changes={"result": r.pk, "text": r.text})
        r.indicators.all().delete()
        r.delete()


def _target(value: Any) -> Decimal:
    try:
        d = Decimal(str(value).replace(",", ".")).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(gettext("Target harus berupa angka."), details={"field": "target"}) from None
    if not d.is_finite() or d < 0 or d >= Decimal("1e12"):
        raise ValidationFailed(gettext("Target harus angka 0 atau lebih."), details={"field": "target"})
    return d


def skp_indicator_add(
    *, actor: Any, result_id: int, text: str, aspect: str, target: Any, unit_label: str
) -> SkpIndicator:
    if aspect not in Aspect.values:
        raise ValidationFailed(gettext("Aspek indikator tidak dikenal."), details={"field": "aspect"})
    text = clean_text(text, "text", max_len=500)
    unit_label = clean_text(unit_label, "unit_label", max_len=60)
    value = _target(target)
    with transaction.atomic():
        r = SkpResult.objects.filter(pk=result_id).first()
        if r is None:
            raise NotVisible(gettext("Hasil kerja tidak ditemukan."))
        skp = _locked_skp(r.skp_id)
        _require_editable(access_for(actor), skp)
        ind = SkpIndicator.objects.create(
            result=r, text=text, aspect=aspect, target=value, unit_label=unit_label, order=r.indicators.count() + 1
        )
        audit.record(actor=actor, action="skp.indicator_added", obj=skp,
                     changes={"indicator": ind.pk, "result": r.pk, "text": text, "aspect": aspect,
                              "target": str(value), "unit": unit_label})  # fmt: skip
    return ind


def skp_indicator_delete(*, actor: Any, indicator_id: int) -> None:
    with transaction.atomic():
        ind = SkpIndicator.objects.select_related("result").filter(pk=indicator_id).first()
        if ind is None:
            raise NotVisible(gettext("Indikator tidak ditemukan."))
        skp = _locked_skp(ind.result.skp_id)
        _require_editable(access_for(actor), skp)
        audit.record(actor=actor, action="skp.indicator_deleted", obj=skp, changes={"indicator": ind.pk})
        ind.delete()


def skp_expectation_set(*, actor: Any, skp_id: int, value: str, expectation: str) -> SkpBehaviour:
    """The leader's specific expectation on one BerAKHLAK value: the pejabat penilai while the SKP is open, or
    the employee writing down what was agreed in their draft."""
    if value not in BerAkhlak.values:
        raise ValidationFailed(gettext("Nilai BerAKHLAK tidak dikenal."), details={"field": "value"})
    expectation = clean_text(expectation, "expectation", max_len=500, required=False)
    with transaction.atomic():
        skp = _locked_skp(skp_id)
        a = access_for(actor)
        allowed = (skp.state == SkpState.DRAFT and (_is_owner(a, skp) or a.has(Role.ADMIN_BKPSDM))) or (
            skp.state in (SkpState.DRAFT, SkpState.SUBMITTED) and _is_penilai(a, skp)
        )
        if not allowed:
            raise Forbidden(gettext("Anda tidak dapat mengubah ekspektasi perilaku SKP ini sekarang."))
        b, _ = SkpBehaviour.objects.update_or_create(skp=skp, value=value, defaults={"expectation": expectation})
        audit.record(actor=actor, action="skp.expectation_set", obj=skp,
                     changes={"value": value, "expectation": expectation})  # fmt: skip
    return b


def submit_problems(skp: Skp) -> list[str]:
    """What stops an SKP from being submitted (empty: it may be)."""
    problems: list[str] = []
    results = list(skp.results.prefetch_related("indicators"))
    if not any(r.kind == ResultKind.UTAMA for r in results):
        problems.append(gettext("Tuliskan paling sedikit satu rencana hasil kerja utama."))
    head = is_unit_head(skp)
    for r in results:
        if not r.indicators.all():
            problems.append(gettext("Hasil kerja “%(t)s” belum memiliki indikator.") % {"t": r.text[:60]})
        if r.kind == ResultKind.UTAMA and r.supports_id is None:
            if head and r.pk_reference:
                continue
            if skp.penilai_id is None and r.pk_reference:
                continue
            problems.append(
                gettext("Hasil kerja utama “%(t)s” belum dikaitkan dengan hasil kerja atasan.") % {"t": r.text[:60]}
                if not head
                else gettext("Hasil kerja utama “%(t)s” belum menyebut sasaran perjanjian kinerja.")
                % {"t": r.text[:60]}
            )
    return problems


def _move(skp: Skp, actor: Any, to: Any, action: str, reason: str = "", **fields: Any) -> None:
    before = skp.state
    updated = Skp.objects.filter(pk=skp.pk, state=before).update(state=to, **fields)
    if updated != 1:
        raise TransitionRefused(gettext("SKP ini baru saja diubah orang lain; muat ulang halaman."))
    for k, v in fields.items():
        setattr(skp, k, v)
    skp.state = to
    audit.record(actor=actor, action=action, obj=skp, reason=reason, changes={"state": [before, to]})


def _link(skp: Skp) -> str:
    return f"/kinerja/skp/{skp.pk}/"


def skp_submit(*, actor: Any, skp_id: int) -> Skp:
    with transaction.atomic():
        skp = _locked_skp(skp_id)
        a = access_for(actor)
        if not (_is_owner(a, skp) or a.has(Role.ADMIN_BKPSDM)):
            raise Forbidden(gettext("Hanya pegawai pemilik SKP yang dapat mengajukannya."))
        if skp.state != SkpState.DRAFT:
            raise TransitionRefused(gettext("Hanya draf SKP yang dapat diajukan."))
        problems = submit_problems(skp)
        if problems:
            raise ValidationFailed(problems[0], details={"problems": problems})
        _move(skp, actor, SkpState.SUBMITTED, "skp.submitted", submitted_at=timezone.now(), return_note="")
        penilai_user = skp.penilai.user_id if skp.penilai_id and skp.penilai else None
        notify(users=[penilai_user], text=gettext("SKP %(year)d %(name)s menunggu persetujuan Anda.")
               % {"year": skp.year, "name": skp.employee.name}, link=_link(skp))  # fmt: skip
    return skp


def skp_return(*, actor: Any, skp_id: int, note: str) -> Skp:
    note = clean_text(note, "note", max_len=500)
    with transaction.atomic():
        skp = _locked_skp(skp_id)
        if not _is_penilai(access_for(actor), skp):
            raise Forbidden(gettext("Hanya pejabat penilai yang dapat mengembalikan SKP ini."))
        if skp.state != SkpState.SUBMITTED:
            raise TransitionRefused(gettext("Hanya SKP yang sedang diajukan yang dapat dikembalikan."))
        _move(skp, actor, SkpState.DRAFT, "skp.returned", reason=note, return_note=note)
        notify(users=[skp.employee.user_id], text=gettext("SKP %(year)d Anda dikembalikan: %(note)s")
               % {"year": skp.year, "note": note}, link=_link(skp))  # fmt: skip
    return skp


def skp_agree(*, actor: Any, skp_id: int) -> Skp:
    """The pejabat penilai agrees; a revision supersedes the version it revises at the same moment."""
    with transaction.atomic():
        skp = _locked_skp(skp_id)
        if not _is_penilai(access_for(actor), skp):
            raise Forbidden(gettext("Hanya pejabat penilai yang dapat menyetujui SKP ini."))
        if skp.state != SkpState.SUBMITTED:
            raise TransitionRefused(gettext("Hanya SKP yang sedang diajukan yang dapat disetujui."))
        if skp.previous_id is not None:
            prev = _locked_skp(skp.previous_id)
            if prev.state == SkpState.AGREED:
                _move(prev, actor, SkpState.SUPERSEDED, "skp.superseded", reason=skp.revision_reason)
                _relink_supporters(prev, skp, actor)
        _move(skp, actor, SkpState.AGREED, "skp.agreed", agreed_at=timezone.now(), agreed_by=actor)
        notify(users=[skp.employee.user_id], text=gettext("SKP %(year)d Anda telah disetujui.") % {"year": skp.year},
               link=_link(skp))  # fmt: skip
    return skp


def _relink_supporters(prev: Skp, new: Skp, actor: Any) -> None:
    """Staff results that supported the superseded version's results now support the revision's result of the
    same kind and text (the revision copied them), so the cascade does not hang on a superseded SKP. A result the
    revision dropped or reworded keeps its old link (the staff re-link it in their own revision)."""
    by_key = {(r.kind, r.text): r.pk for r in new.results.all()}
    moved: dict[int, list[int]] = {}
    rows = (
        SkpResult.objects.filter(supports__skp=prev)
        .exclude(skp__state=SkpState.SUPERSEDED)
        .values_list("pk", "supports__kind", "supports__text")
    )
    for pk, kind, text in rows:
        target = by_key.get((kind, text))
        if target is not None:
            moved.setdefault(target, []).append(pk)
    for target, pks in moved.items():
        SkpResult.objects.filter(pk__in=pks).update(supports_id=target)
    if moved:
        audit.record(actor=actor, action="skp.supporters_relinked", obj=new,
                     changes={"from": prev.pk, "results": {str(t): p for t, p in moved.items()}})  # fmt: skip


def _copy_into(src: Skp, dst: Skp, result_map: dict[int, int] | None = None) -> dict[int, int]:
    """Copy results, indicators and expectations; `result_map` (old result id → new) re-points a result's support
    to the superior's copied result. Returns this SKP's own map."""
    own: dict[int, int] = {}
    for r in src.results.prefetch_related("indicators"):
        supports = r.supports_id
        if result_map is not None:
            supports = result_map.get(supports) if supports is not None else None
        new = SkpResult.objects.create(skp=dst, kind=r.kind, text=r.text, supports_id=supports,
                                       pk_reference=r.pk_reference, order=r.order)  # fmt: skip
        own[r.pk] = new.pk
        SkpIndicator.objects.bulk_create(
            [SkpIndicator(result=new, text=i.text, aspect=i.aspect, target=i.target, unit_label=i.unit_label,
                          order=i.order) for i in r.indicators.all()]
        )  # fmt: skip
    expectations = dict(src.behaviours.values_list("value", "expectation"))
    for b in dst.behaviours.all():
        if expectations.get(b.value):
            b.expectation = expectations[b.value]
            b.save(update_fields=["expectation"])
    return own


def skp_revise(*, actor: Any, skp_id: int, reason: str) -> Skp:
    """A new draft version of an agreed SKP, with the reason; the agreed one stays in force until it is agreed."""
    reason = clean_text(reason, "reason", max_len=500)
    with transaction.atomic():
        skp = _locked_skp(skp_id)
        a = access_for(actor)
        if not (_is_owner(a, skp) or a.has(Role.ADMIN_BKPSDM)):
            raise Forbidden(gettext("Hanya pegawai pemilik SKP yang dapat mengubahnya."))
        if skp.state != SkpState.AGREED:
            raise TransitionRefused(gettext("Hanya SKP yang sudah disetujui yang diubah dengan versi baru."))
        if Skp.objects.filter(employee_id=skp.employee_id, year=skp.year, state__in=["draft", "submitted"]).exists():
            raise TransitionRefused(gettext("Sudah ada versi baru yang sedang disusun."))
        new = Skp.objects.create(
            employee_id=skp.employee_id, year=skp.year, version=skp.version + 1, position_id=skp.position_id,
            unit_id=skp.unit_id, penilai_id=skp.penilai_id, atasan_penilai_id=skp.atasan_penilai_id,
            penilai_override_reason=skp.penilai_override_reason, previous=skp, revision_reason=reason,
            created_by=actor,
        )  # fmt: skip
        SkpBehaviour.objects.bulk_create([SkpBehaviour(skp=new, value=v) for v in BerAkhlak.values])
        _copy_into(skp, new)
        audit.record(actor=actor, action="skp.revised", obj=new, reason=reason,
                     changes={"previous": skp.pk, "version": new.version})  # fmt: skip
    return new


def skp_copy_unit(*, actor: Any, unit_id: int, from_year: int, to_year: int) -> list[Skp]:
    """Drafts for this year from last year's agreed SKPs of a unit's employees (those without an SKP this year),
    top-down so that each copied result supports the superior's copied result. Admin BKPSDM or the unit's
    operator. All or nothing."""
    _year(from_year)
    _year(to_year)
    a = access_for(actor)
    from pamong.org.models import Unit

    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise NotVisible(gettext("Unit kerja tidak ditemukan."))
    if not (a.has(Role.ADMIN_BKPSDM) or any(unit.path.startswith(p) for p in a.operator_paths)):
        raise Forbidden(gettext("Anda tidak berwenang menyalin SKP unit ini."))
    if to_year <= from_year:
        raise ValidationFailed(gettext("Tahun tujuan harus sesudah tahun asal."), details={"field": "to_year"})
    employees = list(
        Employee.objects.filter(unit__path__startswith=unit.path, status__in=ACTIVE_STATUSES)
        .exclude(skps__year=to_year)
        .select_related("position")
        .order_by("position__path", "id")
    )
    sources = {
        s.employee_id: s for s in Skp.objects.filter(employee__in=employees, year=from_year, state=SkpState.AGREED)
    }
    chains = chains_for([e.pk for e in employees])
    created: list[Skp] = []
    result_map: dict[int, int] = {}
    with transaction.atomic():
        for e in employees:  # position path order: superiors first
            src = sources.get(e.pk)
            if src is None:
                continue
            ch = chains[e.pk]
            new = Skp.objects.create(employee=e, year=to_year, position_id=e.position_id, unit_id=e.unit_id,
                                     penilai_id=ch.penilai_id, atasan_penilai_id=ch.atasan_penilai_id,
                                     created_by=actor)  # fmt: skip
            SkpBehaviour.objects.bulk_create([SkpBehaviour(skp=new, value=v) for v in BerAkhlak.values])
            result_map.update(_copy_into(src, new, result_map))
            created.append(new)
        audit.record(actor=actor, action="skp.unit_copied", object_type="org.unit", object_id=str(unit_id),
                     changes={"from_year": from_year, "to_year": to_year, "skps": [s.pk for s in created]})  # fmt: skip
    return created


def actions_for(actor: Any, skp: Skp) -> set[str]:
    """Which of the services above the actor may call on this SKP now (to show only the forms that can succeed;
    the services still decide)."""
    a = access_for(actor)
    owner_or_admin = _is_owner(a, skp) or a.has(Role.ADMIN_BKPSDM)
    penilai = _is_penilai(a, skp)
    out: set[str] = set()
    if skp.state == SkpState.DRAFT and owner_or_admin:
        out |= {"edit", "submit", "expect"}
    if skp.state in (SkpState.DRAFT, SkpState.SUBMITTED) and penilai:
        out.add("expect")
    if skp.state == SkpState.SUBMITTED and penilai:
        out |= {"return", "agree"}
    if skp.state == SkpState.AGREED and owner_or_admin:
        out.add("revise")
    return out
