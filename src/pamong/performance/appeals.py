"""Keberatan (PP 30/2019 Pasal 59): the employee objects to a final evaluation, with reasons, to the atasan pejabat
penilai, who asks the pejabat penilai and the employee for explanations and decides. The decision is final.

    filed ──request explanations──▶ examining ──decide──▶ upheld  (the rating stands)
      │                                 │          └───▶ changed (a NEW final evaluation corrects the appealed one)
      └──────────── withdraw (by the employee, before a decision) ──▶ withdrawn

- Filing: only the rated employee, within `ajukan_hari` calendar days of the day the evaluation became final (the
  national parameter kinerja/keberatan; a city's pack may override it). The last day counts.
- Only a final evaluation in force can be appealed: not one already corrected, and not a correction itself — the
  correction is the atasan's decision, which PP 30/2019 makes final (no appeal on an appeal).
- The atasan is the SKP's atasan pejabat penilai. None (the rater is the unit head or the Wali Kota): admin BKPSDM
  decides on the head of region's behalf; likewise admin BKPSDM speaks for a pejabat penilai who is the Wali Kota.
- decide_by = the filing day + `putus_hari` (Pamong's default, not law: the regulation sets no decision deadline).
  A late decision is still taken — the appeal is listed as overdue to the atasan and to BKPSDM until then.
- Every transition is a compare-and-set on the state, audited (with the predikat before and after) and notified in
  the app to every party but the one who acted.

Statements are written once each, by their own party, while the appeal is being examined."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from pamong.accounts.access import access_for
from pamong.accounts.models import Role, RoleGrant
from pamong.audit import services as audit
from pamong.core.errors import Forbidden, NotVisible, TransitionRefused, ValidationFailed
from pamong.core.formats import tanggal
from pamong.core.notify import notify
from pamong.rules.params import params_in_force

from .chain import unit_head_position
from .engine.predikat import predikat_of
from .evaluations import capaian_of
from .inputs import clean_text
from .models import Appeal, AppealState, Evaluation, EvaluationKind, EvaluationState, Rating3

OPEN_STATES = (AppealState.FILED, AppealState.EXAMINING)
DECIDED_STATES = (AppealState.UPHELD, AppealState.CHANGED)
DEFAULT_DAYS = {"ajukan_hari": 14, "putus_hari": 14}


def _days(on: dt.date, key: str) -> int:
    found = params_in_force(on, region=settings.PAMONG_REGION).get("kinerja/keberatan")
    value = found.value if found is not None else DEFAULT_DAYS
    return int(value.get(key, DEFAULT_DAYS[key]))


def received_on(ev: Evaluation) -> dt.date:
    """The day the employee received the result: the local date the evaluation became final."""
    assert ev.finalised_at is not None
    return timezone.localtime(ev.finalised_at).date()


def file_deadline(ev: Evaluation) -> dt.date:
    """The last day an appeal may be filed (it counts)."""
    got = received_on(ev)
    return got + dt.timedelta(days=_days(got, "ajukan_hari"))


def is_overdue(appeal: Appeal, today: dt.date | None = None) -> bool:
    return appeal.state in OPEN_STATES and appeal.decide_by < (today or timezone.localdate())


def _admin_user_ids() -> list[int]:
    return list(RoleGrant.objects.filter(role=Role.ADMIN_BKPSDM).values_list("user_id", flat=True).distinct())


def _user_of(employee: Any) -> list[int | None]:
    """The login of a party; no employee (the Wali Kota's seat): admin BKPSDM acts for them."""
    return [employee.user_id] if employee is not None else list(_admin_user_ids())


def _link(appeal: Appeal) -> str:
    return reverse("performance:appeal_detail", args=[appeal.pk])


def _notify(appeal: Appeal, actor: Any, text: str) -> None:
    """Everyone concerned but the actor: the employee, the pejabat penilai, the atasan (admin BKPSDM for a seat
    held by the head of region)."""
    skp = appeal.evaluation.skp
    users = [appeal.employee.user_id, *_user_of(skp.penilai), *_user_of(appeal.atasan)]
    notify(users=[u for u in users if u is not None and u != actor.pk], text=text, link=_link(appeal))


def _label(ev: Evaluation) -> str:
    if ev.kind == EvaluationKind.ANNUAL:
        return gettext("tahunan %(y)d") % {"y": ev.period_start.year}
    if ev.period_start.month == ev.period_end.month:
        return gettext("periode %(p)s") % {"p": ev.period_start.strftime("%m/%Y")}
    return gettext("periode %(a)s–%(b)s") % {
        "a": ev.period_start.strftime("%m/%Y"),
        "b": ev.period_end.strftime("%m/%Y"),
    }


def is_employee(actor: Any, appeal: Appeal) -> bool:
    return access_for(actor).employee_id == appeal.employee_id


def is_atasan(actor: Any, appeal: Appeal) -> bool:
    """Who decides: the atasan pejabat penilai, or admin BKPSDM when there is none (the head of region)."""
    a = access_for(actor)
    return a.has(Role.ADMIN_BKPSDM) if appeal.atasan_id is None else a.employee_id == appeal.atasan_id


def is_penilai(actor: Any, appeal: Appeal) -> bool:
    a = access_for(actor)
    penilai_id = appeal.evaluation.skp.penilai_id
    return a.has(Role.ADMIN_BKPSDM) if penilai_id is None else a.employee_id == penilai_id


def _get(appeal_id: int, *, lock: bool = False) -> Appeal:
    qs = Appeal.objects.select_related("employee", "atasan", "evaluation__skp__penilai", "correction")
    if lock:
        qs = qs.select_for_update(of=("self",))
    appeal = qs.filter(pk=appeal_id).first()
    if appeal is None:
        raise NotVisible(gettext("Keberatan tidak ditemukan."))
    return appeal


def _cas(appeal: Appeal, from_states: tuple[Any, ...], **fields: Any) -> None:
    """Compare-and-set: the row moves only if it is still in one of `from_states`."""
    if Appeal.objects.filter(pk=appeal.pk, state__in=from_states).update(**fields) != 1:
        raise TransitionRefused(gettext("Keberatan ini baru saja diubah oleh orang lain; muat ulang halaman."))
    for k, v in fields.items():
        setattr(appeal, k, v)


def _refuse_if_decided(appeal: Appeal) -> None:
    if appeal.state in DECIDED_STATES:
        raise TransitionRefused(gettext("Keberatan ini sudah diputus; keputusan atasan bersifat final dan tidak dapat "
                                        "diubah."))  # fmt: skip
    if appeal.state == AppealState.WITHDRAWN:
        raise TransitionRefused(gettext("Keberatan ini sudah ditarik oleh pegawai."))


# ---- filing -------------------------------------------------------------------------------------------------------


def appealable(ev: Evaluation, today: dt.date | None = None) -> str | None:
    """Why this evaluation cannot be appealed today (None: it can). One query for the live appeal."""
    today = today or timezone.localdate()
    if ev.state != EvaluationState.FINAL or ev.finalised_at is None:
        return gettext("Keberatan hanya dapat diajukan atas hasil penilaian yang sudah final.")
    if ev.corrects_id is not None:
        return gettext("Penilaian ini adalah hasil keputusan atas keberatan, yang bersifat final; keberatan tidak "
                       "dapat diajukan lagi.")  # fmt: skip
    if Evaluation.objects.filter(corrects_id=ev.pk).exists():
        return gettext("Penilaian ini sudah diubah oleh keputusan atas keberatan; keputusan itu bersifat final.")
    live = Appeal.objects.filter(evaluation_id=ev.pk).exclude(state=AppealState.WITHDRAWN).first()
    if live is not None:
        if live.state in DECIDED_STATES:
            return gettext("Keberatan atas penilaian ini sudah diputus; keputusan atasan bersifat final.")
        return gettext("Keberatan atas penilaian ini sedang diproses.")
    deadline = file_deadline(ev)
    if today > deadline:
        return gettext(
            "Batas waktu pengajuan keberatan sudah lewat: paling lambat %(d)s (%(n)d hari sejak hasil penilaian final "
            "pada %(f)s)."
        ) % {"d": tanggal(deadline), "n": (deadline - received_on(ev)).days, "f": tanggal(received_on(ev))}
    return None


def appeal_file(*, actor: Any, evaluation_id: int, reasons: str, today: dt.date | None = None) -> Appeal:
    """The employee files an appeal against their final evaluation, with reasons, within the deadline."""
    from .selectors import evaluations_visible_to

    today = today or timezone.localdate()
    ev = evaluations_visible_to(actor).select_related("skp").filter(pk=evaluation_id).first()
    if ev is None:
        raise NotVisible(gettext("Penilaian tidak ditemukan."))
    if access_for(actor).employee_id != ev.employee_id:
        raise Forbidden(gettext("Hanya pegawai yang dinilai yang dapat mengajukan keberatan atas penilaiannya."))
    reasons = clean_text(reasons, "reasons", max_len=4000, multiline=True)
    with transaction.atomic():
        if why := appealable(ev, today):
            raise TransitionRefused(why)
        decide_by = today + dt.timedelta(days=_days(today, "putus_hari"))
        try:
            with transaction.atomic():
                appeal = Appeal.objects.create(evaluation=ev, employee_id=ev.employee_id,
                                               atasan_id=ev.skp.atasan_penilai_id, reasons=reasons,
                                               decide_by=decide_by)  # fmt: skip
        except IntegrityError as exc:  # a second tab filed at the same moment
            raise TransitionRefused(gettext("Keberatan atas penilaian ini sedang diproses.")) from exc
        appeal = _get(appeal.pk)
        audit.record(actor=actor, action="appeal.filed", obj=appeal, reason=reasons,
                     changes={"state": [None, AppealState.FILED], "evaluation": ev.pk, "predikat": ev.predikat,
                              "decide_by": decide_by.isoformat()})  # fmt: skip
        _notify(appeal, actor, gettext("%(name)s mengajukan keberatan atas penilaian kinerja %(p)s; keputusan paling "
                                       "lambat %(d)s.")
                % {"name": appeal.employee.name, "p": _label(ev), "d": tanggal(decide_by)})  # fmt: skip
    return appeal


# ---- examination --------------------------------------------------------------------------------------------------


def appeal_request_explanations(*, actor: Any, appeal_id: int, now: dt.datetime | None = None) -> Appeal:
    """The atasan asks the pejabat penilai and the employee to explain: filed → examining."""
    now = now or timezone.now()
    with transaction.atomic():
        appeal = _get(appeal_id, lock=True)
        if not is_atasan(actor, appeal):
            raise Forbidden(gettext("Hanya atasan pejabat penilai yang memeriksa keberatan ini."))
        _refuse_if_decided(appeal)
        if appeal.state != AppealState.FILED:
            raise TransitionRefused(gettext("Penjelasan sudah diminta."))
        _cas(appeal, (AppealState.FILED,), state=AppealState.EXAMINING, examining_at=now)
        audit.record(actor=actor, action="appeal.examining", obj=appeal,
                     changes={"state": [AppealState.FILED, AppealState.EXAMINING]})  # fmt: skip
        _notify(appeal, actor, gettext("Keberatan %(name)s atas penilaian %(p)s sedang diperiksa: pejabat penilai dan "
                                       "pegawai diminta memberi penjelasan.")
                % {"name": appeal.employee.name, "p": _label(appeal.evaluation)})  # fmt: skip
    return appeal


def appeal_statement(*, actor: Any, appeal_id: int, text: str, now: dt.datetime | None = None) -> Appeal:
    """The pejabat penilai's or the employee's explanation (each writes only their own, once, while examining)."""
    now = now or timezone.now()
    text = clean_text(text, "text", max_len=4000, multiline=True)
    with transaction.atomic():
        appeal = _get(appeal_id, lock=True)
        if is_employee(actor, appeal):
            field, who = "employee_statement", gettext("pegawai")
        elif is_penilai(actor, appeal):
            field, who = "penilai_statement", gettext("pejabat penilai")
        else:
            raise Forbidden(gettext("Penjelasan hanya diberikan oleh pejabat penilai dan pegawai yang dinilai."))
        _refuse_if_decided(appeal)
        if appeal.state != AppealState.EXAMINING:
            raise TransitionRefused(gettext("Penjelasan diberikan setelah atasan pejabat penilai memintanya."))
        if getattr(appeal, field):
            raise TransitionRefused(gettext("Penjelasan Anda sudah tercatat."))
        n = Appeal.objects.filter(pk=appeal.pk, state=AppealState.EXAMINING, **{field: ""}).update(
            **{field: text, f"{field}_at": now}
        )
        if n != 1:
            raise TransitionRefused(gettext("Keberatan ini baru saja diubah oleh orang lain; muat ulang halaman."))
        setattr(appeal, field, text)
        setattr(appeal, f"{field}_at", now)
        audit.record(actor=actor, action=f"appeal.{field}", obj=appeal, reason=text, changes={"by": field})
        _notify(appeal, actor, gettext("Penjelasan %(who)s atas keberatan %(name)s (%(p)s) sudah masuk.")
                % {"who": who, "name": appeal.employee.name, "p": _label(appeal.evaluation)})  # fmt: skip
    return appeal


# ---- decision -----------------------------------------------------------------------------------------------------

UPHELD, CHANGED = AppealState.UPHELD, AppealState.CHANGED


def appeal_decide(
    *,
    actor: Any,
    appeal_id: int,
    outcome: str,
    reason: str,
    new_hasil: str = "",
    new_perilaku: str = "",
    now: dt.datetime | None = None,
) -> Appeal:
    """The atasan's final decision. upheld: the rating stands. changed: a new final evaluation with the new hasil
    and/or perilaku corrects the appealed one (same period, kind and SKP; predikat by the kuadran; a periodic one's
    TPP capaian from the city's table)."""
    now = now or timezone.now()
    if outcome not in (UPHELD, CHANGED):
        raise ValidationFailed(gettext("Pilih keputusan: penilaian tetap atau penilaian diubah."),
                               details={"field": "outcome"})  # fmt: skip
    reason = clean_text(reason, "reason", max_len=4000, multiline=True)
    for value, field in ((new_hasil, "new_hasil"), (new_perilaku, "new_perilaku")):
        if value and value not in Rating3.values:
            raise ValidationFailed(gettext("Pilih di atas, sesuai, atau di bawah ekspektasi."),
                                   details={"field": field})  # fmt: skip
    with transaction.atomic():
        appeal = _get(appeal_id, lock=True)
        if not is_atasan(actor, appeal):
            raise Forbidden(gettext("Hanya atasan pejabat penilai yang memutus keberatan ini."))
        _refuse_if_decided(appeal)
        if appeal.state != AppealState.EXAMINING:
            raise TransitionRefused(gettext("Mintalah penjelasan pejabat penilai dan pegawai sebelum memutus."))
        ev = appeal.evaluation
        fields: dict[str, Any] = dict(state=outcome, decision_reason=reason, decided_at=now, decided_by=actor)
        after = ev.predikat
        if outcome == CHANGED:
            hasil, perilaku = new_hasil or ev.hasil, new_perilaku or ev.perilaku
            if (hasil, perilaku) == (ev.hasil, ev.perilaku):
                raise ValidationFailed(
                    gettext("Penilaian baru sama dengan yang lama; ubah hasil kerja atau perilaku kerja, atau pilih "
                            "'penilaian tetap'."),
                    details={"field": "new_hasil"},
                )  # fmt: skip
            if ev.kind == EvaluationKind.ANNUAL and hasil != ev.hasil and _is_unit_head(ev):
                raise ValidationFailed(
                    gettext("Hasil kerja pimpinan unit mengikuti capaian kinerja organisasi; yang dapat diubah hanya "
                            "perilaku kerja."),
                    details={"field": "new_hasil"},
                )  # fmt: skip
            after = predikat_of(hasil, perilaku)
            cap = capaian_of(after, ev.period_start) if ev.kind == EvaluationKind.PERIODIC else None
            _cas(appeal, (AppealState.EXAMINING,), **fields, new_hasil=hasil, new_perilaku=perilaku)
            correction = Evaluation.objects.create(
                employee_id=ev.employee_id, skp_id=ev.skp_id, kind=ev.kind, period_start=ev.period_start,
                period_end=ev.period_end, state=EvaluationState.FINAL, hasil=hasil, perilaku=perilaku,
                predikat=after, capaian_bp=cap.bp if cap else None, capaian_source=cap.source if cap else "",
                note=gettext("Keputusan atas keberatan: %(r)s") % {"r": reason[:1900]}, rated_by=actor,
                finalised_at=now, corrects=ev,
            )  # fmt: skip
            Appeal.objects.filter(pk=appeal.pk).update(correction=correction)
            appeal.correction = correction
            audit.record(actor=actor, action="evaluation.corrected", obj=correction,
                         changes={"corrects": ev.pk, "hasil": [ev.hasil, hasil], "perilaku": [ev.perilaku, perilaku],
                                  "predikat": [ev.predikat, after],
                                  "capaian_bp": [ev.capaian_bp, correction.capaian_bp]})  # fmt: skip
        else:
            _cas(appeal, (AppealState.EXAMINING,), **fields)
        audit.record(actor=actor, action=f"appeal.{outcome}", obj=appeal, reason=reason,
                     changes={"state": [AppealState.EXAMINING, outcome], "predikat": [ev.predikat, after]})  # fmt: skip
        if outcome == CHANGED:
            text = gettext("Keberatan %(name)s atas penilaian %(p)s dikabulkan: predikat %(a)s menjadi %(b)s.")
        else:
            text = gettext("Keberatan %(name)s atas penilaian %(p)s ditolak: predikat %(a)s tetap.")
        _notify(
            appeal,
            actor,
            text
            % {
                "name": appeal.employee.name,
                "p": _label(ev),
                "a": ev.get_predikat_display(),
                "b": appeal.correction.get_predikat_display() if appeal.correction else "",
            },
        )
    return appeal


def _is_unit_head(ev: Evaluation) -> bool:
    return unit_head_position(ev.skp.unit_id) == ev.skp.position_id


def appeal_withdraw(*, actor: Any, appeal_id: int, now: dt.datetime | None = None) -> Appeal:
    """The employee withdraws their appeal before a decision."""
    with transaction.atomic():
        appeal = _get(appeal_id, lock=True)
        if not is_employee(actor, appeal):
            raise Forbidden(gettext("Hanya pegawai yang mengajukan yang dapat menarik keberatan ini."))
        _refuse_if_decided(appeal)
        before = appeal.state
        _cas(appeal, OPEN_STATES, state=AppealState.WITHDRAWN)
        audit.record(
            actor=actor,
            action="appeal.withdrawn",
            obj=appeal,
            changes={"state": [before, AppealState.WITHDRAWN], "predikat": appeal.evaluation.predikat},
        )
        _notify(appeal, actor, gettext("%(name)s menarik keberatan atas penilaian %(p)s.")
                % {"name": appeal.employee.name, "p": _label(appeal.evaluation)})  # fmt: skip
    return appeal


# ---- reads --------------------------------------------------------------------------------------------------------


def appeals_for(user: Any) -> QuerySet[Appeal]:
    """The appeals a user may read: their own, those where they are the pejabat penilai or the atasan (admin BKPSDM
    for the head of region's seats: admin sees all), and the inspectorate's read of all. Nobody else — not the
    OPD's operator, not an assessor: an appeal is between the employee and the chain that rated them."""
    a = access_for(user)
    qs = Appeal.objects.select_related("employee", "atasan", "evaluation__skp__penilai", "correction", "decided_by")
    if not a.authenticated:
        return qs.none()
    if a.has(Role.ADMIN_BKPSDM) or a.has(Role.INSPECTORATE):
        return qs
    if a.employee_id is None:
        return qs.none()
    me = a.employee_id
    return qs.filter(Q(employee_id=me) | Q(atasan_id=me) | Q(evaluation__skp__penilai_id=me))


def appeal_get(user: Any, appeal_id: int) -> Appeal:
    appeal = appeals_for(user).filter(pk=appeal_id).first()
    if appeal is None:
        raise NotVisible(gettext("Keberatan tidak ditemukan."))
    return appeal


def appeals_to_decide(user: Any) -> QuerySet[Appeal]:
    """Undecided appeals this user decides, the earliest deadline first."""
    a = access_for(user)
    q = Q(atasan_id=a.employee_id) if a.employee_id is not None else Q(pk__in=[])
    if a.has(Role.ADMIN_BKPSDM):
        q |= Q(atasan__isnull=True)
    return appeals_for(user).filter(q, state__in=OPEN_STATES).order_by("decide_by", "id")


def appeals_overdue(user: Any, today: dt.date | None = None) -> QuerySet[Appeal]:
    """Undecided appeals past their decision deadline: the atasan's own; for admin BKPSDM (and the inspectorate)
    every one in the city."""
    today = today or timezone.localdate()
    a = access_for(user)
    qs = appeals_for(user).filter(state__in=OPEN_STATES, decide_by__lt=today)
    if a.has(Role.ADMIN_BKPSDM) or a.has(Role.INSPECTORATE):
        return qs.order_by("decide_by", "id")
    return qs.filter(atasan_id=a.employee_id).order_by("decide_by", "id")


def appealable_evaluations(user: Any, today: dt.date | None = None) -> list[tuple[Evaluation, dt.date]]:
    """The user's own final evaluations in force that may still be appealed, each with its last filing day."""
    today = today or timezone.localdate()
    me = access_for(user).employee_id
    if me is None:
        return []
    horizon = timezone.now() - dt.timedelta(days=60)  # no window is ever that long; bounds the scan
    evs = Evaluation.objects.filter(
        employee_id=me, state=EvaluationState.FINAL, corrects__isnull=True, correction__isnull=True,
        finalised_at__gte=horizon,
    ).exclude(appeals__state__in=[*OPEN_STATES, *DECIDED_STATES]).order_by("-period_start")  # fmt: skip
    return [(ev, file_deadline(ev)) for ev in evs if file_deadline(ev) >= today]


def in_force(ev: Evaluation) -> Evaluation:
    """The evaluation in force for this one's period: its correction if an appeal changed it (a correction cannot be
    appealed again, so one step is enough)."""
    return Evaluation.objects.filter(corrects_id=ev.pk).first() or ev
