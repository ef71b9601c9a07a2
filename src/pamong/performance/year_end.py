"""BKPSDM's year-end for the whole city (or province) at once: calibrate every pool's ratings, and finalise every
unit's year-end evaluations.

The same rules as the per-unit services (evaluations.unit_year_finalise, the calibration engine), in bulk: a few
reads for everything, the engine per unit / per pool in memory, then bulk writes. `year_finalise` finalises the
units that are ready (capaian organisasi set, everyone with an agreed SKP rated) and reports the others; a unit
that breaks the pola distribusi is finalised only when BKPSDM gives a reason (the same reason is recorded on each
such unit). Audit: one event per unit finalised (with its evaluations) and one per calibration session."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from pamong.accounts.access import access_for
from pamong.accounts.models import Role
from pamong.audit import services as audit
from pamong.core.errors import Forbidden, ValidationFailed
from pamong.core.notify import notify
from pamong.org.models import Position

from .calibration_sessions import result_of_rows
from .engine.predikat import LABEL_PREDIKAT, Entry, hasil_pimpinan, unit_predikat
from .inputs import clean_text
from .models import (
    CalibrationSession,
    CalibrationState,
    Evaluation,
    EvaluationKind,
    EvaluationState,
    Rating,
    Skp,
    SkpState,
    UnitYear,
)

ID_CHUNK = 5000  # ids per UPDATE ... WHERE id IN (...)


def _require_bkpsdm(actor: Any) -> None:
    if not access_for(actor).has(Role.ADMIN_BKPSDM):
        raise Forbidden(gettext("Hanya admin BKPSDM yang dapat memfinalkan tahun penilaian."))


def unit_heads() -> dict[int, int]:
    """unit id → its top position (chain.unit_head_position for every unit, one query)."""
    tops: dict[int, tuple[int, int]] = {}
    for pid, unit_id, sup_unit, kelas in Position.objects.filter(active=True).values_list(
        "id", "unit_id", "superior__unit_id", "kelas_jabatan"
    ):
        if sup_unit != unit_id:
            key = (-kelas, pid)
            if unit_id not in tops or key < tops[unit_id]:
                tops[unit_id] = key
    return {u: key[1] for u, key in tops.items()}


# ---- calibration ------------------------------------------------------------------------------------------------


@dataclass
class CalibrationSummary:
    pools: int = 0
    ratings: int = 0
    connected: int = 0
    skipped_closed: int = 0
    sessions: list[CalibrationSession] = field(default_factory=list)


def calibration_compute_all(*, actor: Any, year: int) -> CalibrationSummary:
    """Calibrate every pool of the year's ratings and store each result in the pool's session (created when
    missing; a closed session is left as it is). One read, one engine call per pool, bulk writes."""
    _require_bkpsdm(actor)
    start = dt.date(year, 1, 1)
    rows = list(
        Rating.objects.filter(period_start=start)
        .order_by("pool", "id")
        .values_list("pool", "rater_key", "ratee_id", "value", "rater_role")
    )
    out = CalibrationSummary(ratings=len(rows))
    if not rows:
        return out
    pools_col = np.array([r[0] for r in rows], dtype=object)
    bounds = np.flatnonzero(pools_col[1:] != pools_col[:-1]) + 1
    now = timezone.now()
    with transaction.atomic():
        existing = {s.pool: s for s in CalibrationSession.objects.select_for_update().filter(period_start=start)}
        new, changed = [], []
        for lo, hi in zip(np.concatenate(([0], bounds)), np.concatenate((bounds, [len(rows)])), strict=True):
            chunk = rows[lo:hi]
            pool = chunk[0][0]
            session = existing.get(pool)
            if session is not None and session.state == CalibrationState.CLOSED:
                out.skipped_closed += 1
                continue
            payload = result_of_rows(pool, [r[1:] for r in chunk])
            out.pools += 1
            out.connected += bool(payload["terhubung"])
            if session is None:
                new.append(CalibrationSession(period_start=start, pool=pool, result=payload, computed_at=now,
                                              created_by=actor))  # fmt: skip
            else:
                session.result, session.computed_at = payload, now
                changed.append(session)
        CalibrationSession.objects.bulk_create(new, batch_size=500)
        CalibrationSession.objects.bulk_update(changed, ["result", "computed_at"], batch_size=500)
        out.sessions = new + changed
        audit.record_many(actor, [
            audit.Change("calibration.computed", obj=s, changes={
                "pool": s.pool, "terhubung": s.result.get("terhubung"),
                "penilai": len(s.result.get("penilai", {})), "dinilai": len(s.result.get("dinilai", {}))})
            for s in out.sessions
        ])  # fmt: skip
    return out


# ---- finalising the year ----------------------------------------------------------------------------------------


@dataclass
class UnitOutcome:
    unit_id: int
    distribusi: dict[str, int]
    pelanggaran: list[str]


@dataclass
class YearEndSummary:
    finalised: list[UnitOutcome] = field(default_factory=list)
    evaluations: int = 0
    not_ready: dict[int, str] = field(default_factory=dict)  # unit id → why (plain Indonesian)


def year_finalise(*, actor: Any, year: int, reason: str = "") -> YearEndSummary:
    """Finalise the year-end evaluations of every unit that is ready, at once. Units not ready are reported, not
    refused. When some ready unit breaks the pola distribusi and no reason is given, nothing is written and the
    refusal lists those units."""
    _require_bkpsdm(actor)
    reason = clean_text(reason, "reason", max_len=1000, required=False, multiline=True)
    start = dt.date(year, 1, 1)
    out = YearEndSummary()
    with transaction.atomic():
        unit_years = {uy.unit_id: uy for uy in UnitYear.objects.select_for_update().filter(year=year)}
        heads = unit_heads()
        skp_by_unit: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for emp, unit_id, pos in Skp.objects.filter(year=year, state=SkpState.AGREED).values_list(
            "employee_id", "unit_id", "position_id"
        ):
            skp_by_unit[unit_id].append((emp, pos))
        evs: dict[int, tuple[Any, ...]] = {}  # employee → (evaluation id, state, hasil, perilaku, user id)
        for row in Evaluation.objects.filter(kind=EvaluationKind.ANNUAL, period_start=start,
                                             correction__isnull=True).values_list(
            "employee_id", "id", "state", "hasil", "perilaku", "employee__user_id"
        ):  # fmt: skip
            evs[row[0]] = row[1:]
        plans: list[tuple[UnitYear, Any, set[int], list[int]]] = []
        broken: list[int] = []
        for unit_id, members in skp_by_unit.items():
            uy = unit_years.get(unit_id)
            if uy is None:
                out.not_ready[unit_id] = gettext("Capaian kinerja organisasi belum ditetapkan.")
                continue
            if uy.finalised_at is not None:
                continue
            missing = [emp for emp, _ in members if emp not in evs]
            if missing:
                out.not_ready[unit_id] = gettext("%(n)d pegawai belum dinilai.") % {"n": len(missing)}
                continue
            head_ids = {emp for emp, pos in members if pos == heads.get(unit_id)}
            entries = [
                Entry(id=str(emp), perilaku=evs[emp][3], hasil=None if emp in head_ids else evs[emp][2],
                      pimpinan_unit=emp in head_ids)
                for emp, _ in members
            ]  # fmt: skip
            result = unit_predikat(uy.organisasi, entries)
            if result.pelanggaran:
                broken.append(unit_id)
            plans.append((uy, result, head_ids, [emp for emp, _ in members]))
        if broken and not reason:
            raise ValidationFailed(
                gettext("%(n)d unit kerja sebaran predikatnya tidak sesuai pola distribusi; tuliskan alasan untuk "
                        "tetap memfinalkan.") % {"n": len(broken)},
                details={"field": "reason", "units": broken},
            )  # fmt: skip
        now = timezone.now()
        updates: dict[tuple[str, str], list[int]] = defaultdict(list)  # (hasil, predikat) → evaluation ids
        notified: dict[str, list[int]] = defaultdict(list)
        events = []
        for uy, result, head_ids, staff in plans:
            finalised = []
            for emp in staff:
                ev_id, state, hasil, perilaku, user_id = evs[emp]
                if state != EvaluationState.DRAFT:
                    continue
                predikat = result.predikat[str(emp)]
                if emp in head_ids:
                    hasil = hasil_pimpinan(uy.organisasi)
                updates[(hasil, predikat)].append(ev_id)
                notified[predikat].append(user_id)
                finalised.append([ev_id, predikat])
            uy.finalised_at, uy.finalised_by = now, actor
            uy.distribution, uy.violations = result.distribusi, result.pelanggaran
            uy.violation_reason = reason if result.pelanggaran else ""
            out.finalised.append(UnitOutcome(uy.unit_id, result.distribusi, result.pelanggaran))
            out.evaluations += len(finalised)
            events.append(audit.Change("unit_year.finalised", obj=uy, reason=uy.violation_reason,
                                       changes={"distribusi": result.distribusi, "pelanggaran": result.pelanggaran,
                                                "evaluasi_final": finalised}))  # fmt: skip
        for (hasil, predikat), ids in updates.items():
            for i in range(0, len(ids), ID_CHUNK):
                Evaluation.objects.filter(pk__in=ids[i : i + ID_CHUNK], state=EvaluationState.DRAFT).update(
                    state=EvaluationState.FINAL, hasil=hasil, predikat=predikat, finalised_at=now
                )
        UnitYear.objects.bulk_update([p[0] for p in plans],
                                     ["finalised_at", "finalised_by", "distribution", "violations",
                                      "violation_reason"], batch_size=1000)  # fmt: skip
        audit.record_many(actor, events)
        for predikat, users in notified.items():
            notify(users=users, link="/kinerja/",
                   text=gettext("Hasil penilaian kinerja tahun %(y)d Anda sudah final: %(predikat)s.")
                   % {"y": year, "predikat": LABEL_PREDIKAT[predikat]})  # fmt: skip
    return out
