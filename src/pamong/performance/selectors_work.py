"""Reads for the year's work pages (realisation, the employee's performance, the rater's list, one evaluation, the
unit's year-end). Visibility comes from performance.selectors; a row the user may not see is NotVisible (404)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from pamong.accounts.access import access_for
from pamong.accounts.models import Role
from pamong.core.errors import NotVisible
from pamong.org.models import Unit

from . import evaluations
from .models import (
    Aspect,
    Evaluation,
    EvaluationKind,
    EvaluationState,
    Evidence,
    Realisation,
    Skp,
    SkpIndicator,
    SkpState,
)
from .selectors import evaluations_visible_to, feedback_visible_to, realisations_visible_to, sees_all


def months_of(year: int, today: dt.date | None = None) -> list[dt.date]:
    """The months of `year` that have begun (all twelve for a past year)."""
    today = today or timezone.localdate()
    last = 12 if year < today.year else (today.month if year == today.year else 0)
    return [dt.date(year, m, 1) for m in range(1, last + 1)]


def parse_month(raw: str | None, default: dt.date) -> dt.date:
    """'YYYY-MM' → the first of that month; anything else → default."""
    try:
        y, m = (raw or "").split("-")
        return dt.date(int(y), int(m), 1)
    except ValueError:
        return default


@dataclass
class IndicatorMonth:
    indicator: SkpIndicator
    result_text: str
    month_row: Realisation | None
    progress: Decimal | None  # sum of months (kuantitas) or the latest month (other aspects), up to the month
    percent: int | None
    evidence: list[Evidence] = field(default_factory=list)


def _progress(indicator: SkpIndicator, rows: list[Realisation]) -> Decimal | None:
    """Up to the month: a quantity adds up month by month; quality, time and cost take the latest figure."""
    if not rows:
        return None
    if indicator.aspect == Aspect.KUANTITAS:
        return sum((r.value for r in rows), Decimal(0))
    return rows[-1].value


def indicator_months(skp: Skp, month: dt.date) -> list[IndicatorMonth]:
    """Each indicator of the SKP with the month's realisation and evidence and the progress up to it (3 queries)."""
    indicators = list(SkpIndicator.objects.filter(result__skp=skp).select_related("result"))
    rows: dict[int, list[Realisation]] = {i.pk: [] for i in indicators}
    for r in Realisation.objects.filter(indicator__in=indicators, period__lte=month).order_by("period"):
        rows[r.indicator_id].append(r)
    month_ids = [r.pk for lst in rows.values() for r in lst if r.period == month]
    evidence: dict[int, list[Evidence]] = {}
    for ev in Evidence.objects.filter(realisation_id__in=month_ids):
        evidence.setdefault(ev.realisation_id, []).append(ev)
    out = []
    for ind in indicators:
        lst = rows[ind.pk]
        current = next((r for r in lst if r.period == month), None)
        progress = _progress(ind, lst)
        percent = int(progress * 100 / ind.target) if progress is not None and ind.target > 0 else None
        out.append(IndicatorMonth(ind, ind.result.text, current, progress, percent,
                                  evidence.get(current.pk, []) if current else []))  # fmt: skip
    return out


@dataclass
class GridRow:
    indicator: SkpIndicator
    result_text: str
    cells: list[Decimal | None]
    evidence_counts: list[int]


def realisation_grid(user: Any, skp: Skp) -> list[GridRow]:
    """Indicator × month of the SKP's year (visible realisations only; 2 queries)."""
    indicators = list(SkpIndicator.objects.filter(result__skp=skp).select_related("result"))
    values: dict[tuple[int, int], Realisation] = {}
    counts: dict[int, int] = {}
    rows = realisations_visible_to(user).filter(indicator__in=indicators)
    for r in rows:
        values[(r.indicator_id, r.period.month)] = r
    for rid in Evidence.objects.filter(realisation__in=rows).values_list("realisation_id", flat=True):
        counts[rid] = counts.get(rid, 0) + 1
    out = []
    for ind in indicators:
        cells, evs = [], []
        for m in range(1, 13):
            r = values.get((ind.pk, m))
            cells.append(r.value if r else None)
            evs.append(counts.get(r.pk, 0) if r else 0)
        out.append(GridRow(ind, ind.result.text, cells, evs))
    return out


def skp_evidence(user: Any, skp: Skp) -> list[Evidence]:
    """The evidence of the SKP's visible realisations, latest month first (1 query)."""
    return list(
        Evidence.objects.filter(realisation__in=realisations_visible_to(user).filter(indicator__result__skp=skp))
        .select_related("realisation__indicator")
        .order_by("-realisation__period", "realisation__indicator_id", "id")[:300]
    )


def employee_feedback(user: Any, employee_id: int) -> list[Any]:
    return list(feedback_visible_to(user).filter(employee_id=employee_id)[:200])


def employee_evaluations(user: Any, employee_id: int) -> list[Evaluation]:
    return list(evaluations_visible_to(user).filter(employee_id=employee_id).order_by("-period_start", "-id")[:60])


def evaluation_get(user: Any, evaluation_id: int) -> Evaluation:
    ev = (
        evaluations_visible_to(user)
        .select_related("employee__unit", "skp__penilai", "corrects", "rated_by")
        .filter(pk=evaluation_id)
        .first()
    )
    if ev is None:
        raise NotVisible(gettext("Penilaian tidak ditemukan."))
    return ev


# ---- the rater's staff ------------------------------------------------------------------------------------------


def rated_skps(user: Any, year: int) -> QuerySet[Skp]:
    """The agreed SKPs of the year the user rates (penilai = me; admin BKPSDM also for those the head of the region
    rates). The page shows them a page at a time: a head of a large office may rate thousands."""
    a = access_for(user)
    q = Q(pk__in=[])
    if a.employee_id is not None:
        q |= Q(penilai_id=a.employee_id)
    if a.has(Role.ADMIN_BKPSDM):
        q |= Q(penilai__isnull=True)
    return (
        Skp.objects.filter(q, year=year, state=SkpState.AGREED)
        .select_related("employee", "unit", "position")
        .order_by("employee__name", "id")
    )


def overdue_count(skps: QuerySet[Skp], previous_start: dt.date | None) -> int:
    """How many of these SKPs' holders have no final evaluation in force for the previous period (two counts)."""
    if previous_start is None:
        return 0
    # one original per employee and period (a correction is final and only ever corrects a final original): counting
    # the final originals counts who has a final evaluation, without joining the corrections
    done = Evaluation.objects.filter(employee_id__in=skps.values("employee_id"), kind=EvaluationKind.PERIODIC,
                                     period_start=previous_start, state=EvaluationState.FINAL,
                                     corrects__isnull=True).count()  # fmt: skip
    return skps.order_by().count() - done


@dataclass
class StaffRow:
    skp: Skp
    current: Evaluation | None
    previous: Evaluation | None
    overdue: bool  # the previous period is not final


def staff_periods(skps: list[Skp], start: dt.date, previous_start: dt.date | None) -> list[StaffRow]:
    """Each rated SKP with its evaluation of this period and whether the previous period is still open (1 query)."""
    starts = [start] + ([previous_start] if previous_start else [])
    evs = evaluations.current(
        Evaluation.objects.filter(employee_id__in=[s.employee_id for s in skps], kind=EvaluationKind.PERIODIC,
                                  period_start__in=starts)
    )  # fmt: skip
    by = {(e.employee_id, e.period_start): e for e in evs}
    out = []
    for s in skps:
        prev = by.get((s.employee_id, previous_start)) if previous_start else None
        overdue = (
            previous_start is not None
            and previous_start.year == s.year
            and (prev is None or prev.state != EvaluationState.FINAL)
        )
        out.append(StaffRow(s, by.get((s.employee_id, start)), prev, overdue))
    return out


def year_end_units(user: Any, year: int) -> list[Unit]:
    """The units whose year-end the user decides or where they rate someone (admin: every unit with agreed SKPs)."""
    a = access_for(user)
    if a.has(Role.ADMIN_BKPSDM):
        ids = Skp.objects.filter(year=year, state=SkpState.AGREED).values("unit_id")
        return list(Unit.objects.filter(pk__in=ids).order_by("path"))
    if a.employee_id is None:
        return []
    ids = set(Skp.objects.filter(penilai_id=a.employee_id, year=year, state=SkpState.AGREED)
              .values_list("unit_id", flat=True))  # fmt: skip
    return list(Unit.objects.filter(pk__in=ids).order_by("path"))


# ---- year end ---------------------------------------------------------------------------------------------------


@dataclass
class YearEndAccess:
    unit: Unit
    may_decide: bool  # set the capaian organisasi and finalise
    rates: frozenset[int]  # employees of the unit this user rates (annual_rate)


def _rated_here(user: Any, unit_id: int, year: int) -> frozenset[int]:
    a = access_for(user)
    q = Q(pk__in=[])
    if a.employee_id is not None:
        q |= Q(penilai_id=a.employee_id)
    if a.has(Role.ADMIN_BKPSDM):
        q |= Q(penilai__isnull=True)
    rows = Skp.objects.filter(q, unit_id=unit_id, year=year, state=SkpState.AGREED).values_list(
        "employee_id", flat=True
    )
    return frozenset(rows)


def year_end_access(user: Any, unit_id: int, year: int) -> YearEndAccess:
    """The unit's decider sets and finalises; each pejabat penilai of someone in the unit rates their staff; the
    inspectorate reads; everyone else gets a 404."""
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise NotVisible(gettext("Unit kerja tidak ditemukan."))
    decide = evaluations._may_set_organisation(user, unit_id, year)
    rates = _rated_here(user, unit_id, year)
    if decide or rates or sees_all(access_for(user)):
        return YearEndAccess(unit, decide, rates)
    raise NotVisible(gettext("Unit kerja tidak ditemukan."))


def unit_skps(unit_id: int, year: int) -> list[Skp]:
    return list(
        Skp.objects.filter(unit_id=unit_id, year=year, state=SkpState.AGREED)
        .select_related("employee", "position", "penilai")
        .order_by("-position__kelas_jabatan", "employee__name")
    )
