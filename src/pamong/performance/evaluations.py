"""Writes for evaluations: the periodic one (monthly, or quarterly where the city's pack says so) that also gives
the TPP's capaian kinerja, and the year-end one, finalised per unit against the pola distribusi.

Only the pejabat penilai of the employee's agreed SKP rates. A periodic evaluation is saved as a draft and
finalised (the employee is notified; the appeal window opens then). The year-end ratings of a unit are drafts until
the unit is finalised at once: the predikat of everyone comes from engine.predikat (the same code as
`pamong performance predikat`), and a unit that breaks the pattern is finalised only with a reason. Final
evaluations never change (database triggers); an appeal decision writes a correcting one (appeals.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from pamong.accounts.access import access_for
from pamong.accounts.models import Role
from pamong.audit import services as audit
from pamong.core.errors import Forbidden, NotVisible, TransitionRefused, ValidationFailed
from pamong.core.notify import notify
from pamong.org.models import Unit
from pamong.rules.params import params_in_force

from .chain import unit_head_position
from .engine.predikat import PENJELASAN, Entry, hasil_pimpinan, predikat_of, unit_predikat
from .inputs import clean_text
from .models import (
    Evaluation,
    EvaluationKind,
    EvaluationState,
    OrganisationRating,
    Rating3,
    Skp,
    SkpState,
    UnitYear,
)

MONTHLY, QUARTERLY = "bulanan", "triwulanan"


def _pack(on: dt.date) -> dict[str, Any]:
    return params_in_force(on, region=settings.PAMONG_REGION)


def frequency(on: dt.date) -> str:
    found = _pack(on).get("kinerja/periode_evaluasi")
    value = found.value if found is not None else MONTHLY
    return value if value in (MONTHLY, QUARTERLY) else MONTHLY


def period_of(month: dt.date) -> tuple[dt.date, dt.date]:
    """The periodic evaluation's period that holds `month`, by the city's frequency on that month."""
    first = month.replace(day=1)
    if frequency(first) == QUARTERLY:
        first = first.replace(month=3 * ((first.month - 1) // 3) + 1)
        months = 3
    else:
        months = 1
    y, m = divmod(first.month - 1 + months, 12)
    end = dt.date(first.year + y, m + 1, 1) - dt.timedelta(days=1)
    return first, end


@dataclass(frozen=True)
class Capaian:
    bp: int
    source: str  # the parameter and the date it took effect: shown with the TPP


def capaian_of(predikat: str, on: dt.date) -> Capaian:
    """The TPP capaian kinerja of a periodic predikat by the city's table (kinerja/capaian_predikat)."""
    found = _pack(on).get("kinerja/capaian_predikat")
    if found is None or predikat not in found.value:
        raise ValidationFailed(
            gettext("Paket aturan daerah belum memuat tabel capaian kinerja menurut predikat untuk %(d)s.")
            % {"d": on.strftime("%m/%Y")}
        )
    return Capaian(int(found.value[predikat]), f"kinerja/capaian_predikat sejak {found.since.isoformat()}")


def _rating(value: str, field: str) -> str:
    if value not in Rating3.values:
        raise ValidationFailed(gettext("Pilih di atas, sesuai, atau di bawah ekspektasi."), details={"field": field})
    return value


def _agreed_skp(employee_id: int, year: int) -> Skp:
    skp = Skp.objects.select_related("employee").filter(employee_id=employee_id, year=year, state="agreed").first()
    if skp is None:
        raise TransitionRefused(
            gettext("Belum ada SKP tahun %(year)d yang disetujui; penilaian belum dapat dilakukan.") % {"year": year}
        )
    return skp


def _require_penilai(actor: Any, skp: Skp) -> None:
    a = access_for(actor)
    ok = a.has(Role.ADMIN_BKPSDM) if skp.penilai_id is None else a.employee_id == skp.penilai_id
    if not ok:
        raise Forbidden(gettext("Hanya pejabat penilai pegawai ini yang dapat menilainya."))


def current(qs: QuerySet[Evaluation]) -> QuerySet[Evaluation]:
    """The evaluations in force: those no appeal decision has corrected."""
    return qs.filter(correction__isnull=True)


def evaluation_rate(
    *,
    actor: Any,
    employee_id: int,
    month: dt.date,
    hasil: str,
    perilaku: str,
    note: str = "",
    finalise: bool = False,
) -> Evaluation:
    """Save (or replace) the draft periodic evaluation holding `month`; with finalise, make it final at once."""
    _rating(hasil, "hasil")
    _rating(perilaku, "perilaku")
    note = clean_text(note, "note", max_len=2000, required=False, multiline=True)
    start, end = period_of(month)
    if start > timezone.localdate():
        raise ValidationFailed(gettext("Periode ini belum dimulai."), details={"field": "month"})
    skp = _agreed_skp(employee_id, start.year)
    _require_penilai(actor, skp)
    predikat = predikat_of(hasil, perilaku)
    cap = capaian_of(predikat, start)
    with transaction.atomic():
        existing = (
            Evaluation.objects.select_for_update()
            .filter(employee_id=employee_id, kind=EvaluationKind.PERIODIC, period_start=start, corrects__isnull=True)
            .first()
        )
        if existing is not None and existing.state == EvaluationState.FINAL:
            raise TransitionRefused(
                gettext("Penilaian periode ini sudah final; perubahan hanya melalui keputusan keberatan.")
            )
        fields = dict(skp=skp, hasil=hasil, perilaku=perilaku, predikat=predikat, capaian_bp=cap.bp,
                      capaian_source=cap.source, note=note, rated_by=actor)  # fmt: skip
        if existing is None:
            ev = Evaluation.objects.create(employee_id=employee_id, kind=EvaluationKind.PERIODIC, period_start=start,
                                           period_end=end, **fields)  # fmt: skip
        else:
            for k, v in fields.items():
                setattr(ev := existing, k, v)
            ev.save()
        audit.record(actor=actor, action="evaluation.rated", obj=ev,
                     changes={"period": start.isoformat(), "hasil": hasil, "perilaku": perilaku,
                              "predikat": predikat, "capaian_bp": cap.bp})  # fmt: skip
        if finalise:
            _finalise(ev, actor)
    return ev


def _finalise(ev: Evaluation, actor: Any) -> None:
    now = timezone.now()
    if Evaluation.objects.filter(pk=ev.pk, state=EvaluationState.DRAFT).update(state="final", finalised_at=now) != 1:
        raise TransitionRefused(gettext("Penilaian ini sudah final."))
    ev.state, ev.finalised_at = EvaluationState.FINAL, now
    audit.record(actor=actor, action="evaluation.finalised", obj=ev, changes={"predikat": ev.predikat})
    label = ev.period_start.strftime("%m/%Y") if ev.kind == EvaluationKind.PERIODIC else str(ev.period_start.year)
    notify(users=[ev.employee.user_id], link=f"/kinerja/penilaian/{ev.pk}/",
           text=gettext("Hasil penilaian kinerja %(p)s Anda sudah final: %(predikat)s.")
           % {"p": label, "predikat": ev.get_predikat_display()})  # fmt: skip


def evaluation_finalise(*, actor: Any, evaluation_id: int) -> Evaluation:
    """Make a draft periodic evaluation final (the year-end ones are finalised per unit)."""
    with transaction.atomic():
        ev = Evaluation.objects.select_for_update().select_related("skp", "employee").filter(pk=evaluation_id).first()
        if ev is None:
            raise NotVisible(gettext("Penilaian tidak ditemukan."))
        _require_penilai(actor, ev.skp)
        if ev.kind != EvaluationKind.PERIODIC:
            raise TransitionRefused(gettext("Penilaian tahunan difinalkan bersama seluruh unit kerja."))
        if ev.state != EvaluationState.DRAFT:
            raise TransitionRefused(gettext("Penilaian ini sudah final."))
        _finalise(ev, actor)
    return ev


# ---- year end ---------------------------------------------------------------------------------------------------


def _year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _unit_head_skp(unit_id: int, year: int) -> Skp | None:
    head = unit_head_position(unit_id)
    return Skp.objects.filter(unit_id=unit_id, year=year, state="agreed", position_id=head).first() if head else None


def _may_set_organisation(actor: Any, unit_id: int, year: int) -> bool:
    """Admin BKPSDM, or the leader above the unit head (who sets the unit's capaian, staffing-rules.md §1.5)."""
    a = access_for(actor)
    if a.has(Role.ADMIN_BKPSDM):
        return True
    head = _unit_head_skp(unit_id, year)
    return head is not None and head.penilai_id is not None and head.penilai_id == a.employee_id


def unit_year_set(*, actor: Any, unit_id: int, year: int, organisasi: str, basis: str) -> UnitYear:
    """The unit's capaian kinerja organisasi for the year (until the unit is finalised)."""
    if organisasi not in OrganisationRating.values:
        raise ValidationFailed(gettext("Capaian kinerja organisasi tidak dikenal."), details={"field": "organisasi"})
    basis = clean_text(basis, "basis", max_len=1000, multiline=True)
    if not Unit.objects.filter(pk=unit_id).exists():
        raise NotVisible(gettext("Unit kerja tidak ditemukan."))
    if not _may_set_organisation(actor, unit_id, year):
        raise Forbidden(gettext("Anda tidak berwenang menetapkan capaian kinerja organisasi unit ini."))
    with transaction.atomic():
        uy = UnitYear.objects.select_for_update().filter(unit_id=unit_id, year=year).first()
        if uy is not None and uy.finalised_at is not None:
            raise TransitionRefused(gettext("Penilaian tahunan unit ini sudah final."))
        before = uy.organisasi if uy else None
        if uy is None:
            uy = UnitYear.objects.create(unit_id=unit_id, year=year, organisasi=organisasi, organisasi_basis=basis,
                                         set_by=actor)  # fmt: skip
        else:
            uy.organisasi, uy.organisasi_basis, uy.set_by = organisasi, basis, actor
            uy.save(update_fields=["organisasi", "organisasi_basis", "set_by"])
        audit.record(actor=actor, action="unit_year.organisation_set", obj=uy,
                     changes={"organisasi": [before, organisasi]}, reason=basis)  # fmt: skip
    return uy


def annual_rate(
    *, actor: Any, employee_id: int, year: int, perilaku: str, hasil: str | None = None, note: str = ""
) -> Evaluation:
    """The year-end draft rating. The unit head gives no hasil: it follows the unit's capaian organisasi when the
    unit is finalised."""
    _rating(perilaku, "perilaku")
    note = clean_text(note, "note", max_len=2000, required=False, multiline=True)
    skp = _agreed_skp(employee_id, year)
    _require_penilai(actor, skp)
    head = unit_head_position(skp.unit_id) == skp.position_id
    if head:
        if hasil:
            raise ValidationFailed(
                gettext("Hasil kerja pimpinan unit mengikuti capaian kinerja organisasi; jangan diisi."),
                details={"field": "hasil"},
            )
        uy = UnitYear.objects.filter(unit_id=skp.unit_id, year=year).first()
        if uy is None:
            raise TransitionRefused(gettext("Capaian kinerja organisasi unit ini belum ditetapkan."))
        hasil = hasil_pimpinan(uy.organisasi)
    elif hasil is None:
        raise ValidationFailed(gettext("Pilih di atas, sesuai, atau di bawah ekspektasi."), details={"field": "hasil"})
    _rating(hasil, "hasil")
    start, end = _year_bounds(year)
    with transaction.atomic():
        uy = UnitYear.objects.filter(unit_id=skp.unit_id, year=year, finalised_at__isnull=False).first()
        if uy is not None:
            raise TransitionRefused(gettext("Penilaian tahunan unit ini sudah final."))
        ev = (
            Evaluation.objects.select_for_update()
            .filter(employee_id=employee_id, kind=EvaluationKind.ANNUAL, period_start=start, corrects__isnull=True)
            .first()
        )
        if ev is not None and ev.state == EvaluationState.FINAL:
            raise TransitionRefused(gettext("Penilaian tahunan ini sudah final."))
        predikat = predikat_of(hasil, perilaku)
        fields = dict(skp=skp, hasil=hasil, perilaku=perilaku, predikat=predikat, note=note, rated_by=actor)
        if ev is None:
            ev = Evaluation.objects.create(employee_id=employee_id, kind=EvaluationKind.ANNUAL, period_start=start,
                                           period_end=end, **fields)  # fmt: skip
        else:
            for k, v in fields.items():
                setattr(ev, k, v)
            ev.save()
        audit.record(actor=actor, action="evaluation.annual_rated", obj=ev,
                     changes={"year": year, "hasil": hasil, "perilaku": perilaku, "predikat": predikat})  # fmt: skip
    return ev


@dataclass(frozen=True)
class UnitPreview:
    unit_year: UnitYear | None
    missing: list[int]  # employees with an agreed SKP in the unit and no year-end rating yet
    drafts: list[Evaluation]
    distribusi: dict[str, int]
    pelanggaran: list[str]
    explanations: list[str]
    predikat: dict[str, str]  # employee id (text) → predikat, by the engine
    heads: frozenset[int]


def unit_year_preview(unit_id: int, year: int) -> UnitPreview:
    """What finalising the unit would give: everyone's predikat, the counts and the pattern check."""
    start, _ = _year_bounds(year)
    uy = UnitYear.objects.filter(unit_id=unit_id, year=year).first()
    skps = list(
        Skp.objects.filter(unit_id=unit_id, year=year, state=SkpState.AGREED).values_list("employee_id", "position_id")
    )
    evs = {
        e.employee_id: e
        for e in current(Evaluation.objects.filter(kind=EvaluationKind.ANNUAL, period_start=start,
                                                   employee_id__in=[s[0] for s in skps])).select_related("employee")
    }  # fmt: skip
    missing = [emp for emp, _ in skps if emp not in evs]
    if uy is None or not evs:
        return UnitPreview(uy, missing, list(evs.values()), {}, [], [], {}, frozenset())
    head_pos = unit_head_position(unit_id)
    heads = {emp for emp, pos in skps if pos == head_pos}
    entries = [
        Entry(id=str(e.employee_id), perilaku=e.perilaku, hasil=None if e.employee_id in heads else e.hasil,
              pimpinan_unit=e.employee_id in heads)
        for e in evs.values()
    ]  # fmt: skip
    result = unit_predikat(uy.organisasi, entries)
    return UnitPreview(
        uy, missing, list(evs.values()), result.distribusi, result.pelanggaran,
        [PENJELASAN[c] for c in result.pelanggaran], result.predikat, frozenset(heads),
    )  # fmt: skip


def unit_year_finalise(*, actor: Any, unit_id: int, year: int, reason: str = "") -> UnitYear:
    """Finalise every year-end rating of the unit at once. Refused while someone is unrated; a broken pattern needs
    a reason (it is a consideration, never silently 'fixed')."""
    reason = clean_text(reason, "reason", max_len=1000, required=False, multiline=True)
    if not _may_set_organisation(actor, unit_id, year):
        raise Forbidden(gettext("Anda tidak berwenang memfinalkan penilaian tahunan unit ini."))
    with transaction.atomic():
        uy = UnitYear.objects.select_for_update().filter(unit_id=unit_id, year=year).first()
        if uy is None:
            raise TransitionRefused(gettext("Capaian kinerja organisasi unit ini belum ditetapkan."))
        if uy.finalised_at is not None:
            raise TransitionRefused(gettext("Penilaian tahunan unit ini sudah final."))
        preview = unit_year_preview(unit_id, year)
        if preview.missing:
            raise ValidationFailed(
                gettext("%(n)d pegawai belum dinilai; semua pegawai unit harus dinilai sebelum difinalkan.")
                % {"n": len(preview.missing)},
                details={"employees": preview.missing},
            )
        if preview.pelanggaran and not reason:
            raise ValidationFailed(
                gettext("Sebaran predikat tidak sesuai pola distribusi; tuliskan alasan untuk tetap memfinalkan."),
                details={"field": "reason", "pelanggaran": preview.pelanggaran, "penjelasan": preview.explanations},
            )
        now = timezone.now()
        for ev in preview.drafts:
            if ev.state != EvaluationState.DRAFT:
                continue
            predikat = preview.predikat[str(ev.employee_id)]  # the unit head's hasil follows the organisation now
            hasil = hasil_pimpinan(uy.organisasi) if ev.employee_id in preview.heads else ev.hasil
            if (hasil, predikat) != (ev.hasil, ev.predikat):
                ev.hasil, ev.predikat = hasil, predikat
                ev.save(update_fields=["hasil", "predikat"])
            _finalise(ev, actor)
        uy.finalised_at, uy.finalised_by = now, actor
        uy.distribution, uy.violations = preview.distribusi, preview.pelanggaran
        uy.violation_reason = reason if preview.pelanggaran else ""
        uy.save(update_fields=["finalised_at", "finalised_by", "distribution", "violations", "violation_reason"])
        audit.record(actor=actor, action="unit_year.finalised", obj=uy, reason=reason,
                     changes={"distribusi": preview.distribusi, "pelanggaran": preview.pelanggaran})  # fmt: skip
    return uy


# ---- the TPP's input --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthCapaian:
    bp: int
    evaluation_id: int
    predikat: str


def capaian_for(employee_ids: Any, month: dt.date) -> dict[int, MonthCapaian]:
    """Each employee's capaian kinerja for a payroll month from their final periodic evaluation in force that holds
    the month (one query). Employees without one are absent: the run then takes the imported figure, if any."""
    month = month.replace(day=1)
    rows = current(
        Evaluation.objects.filter(
            employee_id__in=employee_ids, kind=EvaluationKind.PERIODIC, state=EvaluationState.FINAL,
            period_start__lte=month, period_end__gte=month,
        )
    ).values_list("employee_id", "capaian_bp", "id", "predikat")  # fmt: skip
    return {emp: MonthCapaian(int(bp), ev_id, predikat) for emp, bp, ev_id, predikat in rows}
