"""PP 94/2021 discipline from attendance: the rules in force (the national ladder, the region's lateness conversion
and sanction table), the year's recommendations from MonthRecap, and the reads of discipline cases.

A recommendation is "a case to open": the employee's heaviest sanction reached this year (ladder.py) is above what
the year's absence cases already cover. A case covers the heavier of its recommended and its decided sanction,
whatever its state — a dropped case covers its level too (BKPSDM looked at it and decided), so the list does not
nag about the same level again; a higher level brings the employee back. Manual cases (basis "lainnya": another
violation) cover nothing on the absence ladder."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import F, QuerySet, Subquery, Sum, Value
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from pamong.accounts.access import access_for
from pamong.accounts.models import Role
from pamong.audit.models import AuditEvent
from pamong.core.errors import NotVisible, ValidationFailed
from pamong.people.models import Employee
from pamong.rules.params import ParameterError, params_in_force

from .ladder import Conversion, Ladder, Recommendation, conversion_from, ladder_from, longest_tk_run, recommend
from .models import DisciplineCase, MonthRecap
from .selectors import scoped

LADDER = "disiplin/tidak_masuk_kerja"
CONVERSION = "disiplin/konversi_terlambat"
SANCTIONS = "tpp/hukuman_disiplin"

BASIS_CUMULATIVE = "tk_kumulatif"
BASIS_RUN = "tk_berturut"
BASIS_OTHER = "lainnya"
LADDER_BASES = (BASIS_CUMULATIVE, BASIS_RUN)


@dataclass(frozen=True)
class DisciplineRules:
    on: dt.date
    ladder: Ladder
    conversion: Conversion
    months: dict[str, int]  # sanction code → months it runs from its TMT (the region's table)


def discipline_rules(on: dt.date, region: str | None = None) -> DisciplineRules:
    found = params_in_force(on, region or settings.PAMONG_REGION)
    if LADDER not in found or SANCTIONS not in found:
        raise ParameterError(f"paket aturan: tidak ada nilai {LADDER} atau {SANCTIONS} pada {on.isoformat()}")
    conv = found.get(CONVERSION)
    return DisciplineRules(
        on=on,
        ladder=ladder_from(found[LADDER].value),
        conversion=conversion_from(conv.value if conv is not None else None),
        months={str(code): int(row["bulan"]) for code, row in found[SANCTIONS].value.items()},
    )


def level_of(ladder: Ladder, code: str) -> str:
    step = ladder.step(code)
    return step.level if step else ""


# --- recommendations -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    employee: Employee
    rec: Recommendation
    covered: str  # the heaviest ladder sanction the year's cases already cover ("" none)


def _months(year: int, as_of: dt.date) -> list[dt.date]:
    last = as_of.month if as_of.year == year else 12
    return [dt.date(year, m, 1) for m in range(1, last + 1)]


def year_recommendations(
    year: int, as_of: dt.date, *, employee_ids: Iterable[int] | None = None, rules: DisciplineRules | None = None
) -> dict[int, Recommendation]:
    """Employee id → the ladder's recommendation from the year's MonthRecap rows up to as_of's month (one query).
    Only employees who reach a threshold are returned."""
    rules = rules or discipline_rules(as_of)
    months = _months(year, as_of)
    qs = MonthRecap.objects.filter(period__gte=months[0], period__lte=months[-1])
    if employee_ids is not None:
        qs = qs.filter(employee_id__in=list(employee_ids))
    # Only the months of employees who can reach the first step (the run needs as many TK days as its length, more
    # than the first step): TK + ⌊minutes / per day⌋ ≥ low ⟺ TK × per day + minutes ≥ low × per day. A subquery, so
    # still one query; at 100k employees it keeps the rows read to the few who matter.
    low = rules.ladder.steps[0].low
    per_day = rules.conversion.minutes_per_day if rules.conversion.active else 0
    reach = qs.values("employee_id").annotate(
        score=Sum("tk") * max(per_day, 1) + (Sum(F("terlambat_menit") + F("psw_menit")) if per_day else Value(0))
    )
    qs = qs.filter(employee_id__in=Subquery(reach.filter(score__gte=low * max(per_day, 1)).values("employee_id")))
    per: dict[int, dict[dt.date, tuple[int, int, str]]] = defaultdict(dict)
    for emp, period, tk, late, early, days in qs.values_list(
        "employee_id", "period", "tk", "terlambat_menit", "psw_menit", "days"
    ):
        per[emp][period] = (tk, late + early, days)
    out: dict[int, Recommendation] = {}
    for emp, rows in per.items():
        tk = sum(r[0] for r in rows.values())
        minutes = sum(r[1] for r in rows.values())
        run = longest_tk_run(rows[m][2] if m in rows else None for m in months)
        rec = recommend(rules.ladder, tk_days=tk, minutes=minutes, longest_run=run, conversion=rules.conversion)
        if rec.code:
            out[emp] = rec
    return out


def covered_codes(year: int, ladder: Ladder, employee_ids: Iterable[int] | None = None) -> dict[int, str]:
    """Employee id → the heaviest ladder sanction the year's absence cases cover (one query)."""
    qs = DisciplineCase.objects.filter(year=year, basis__in=LADDER_BASES)
    if employee_ids is not None:
        qs = qs.filter(employee_id__in=list(employee_ids))
    out: dict[int, str] = {}
    for emp, recommended, decided in qs.values_list("employee_id", "recommended", "sanction_code"):
        for code in (recommended, decided):
            if ladder.rank(code) > ladder.rank(out.get(emp, "")):
                out[emp] = code
    return out


def discipline_recommendations(year: int, as_of: dt.date, *, employees: QuerySet[Employee] | None = None,
                               rules: DisciplineRules | None = None) -> list[Candidate]:  # fmt: skip
    """The cases to open: employees (of `employees`, default all) whose recommendation this year is heavier than
    what their cases for the year cover; heaviest first, then by name. Three queries."""
    rules = rules or discipline_rules(as_of)
    recs = year_recommendations(year, as_of, rules=rules)
    covered = covered_codes(year, rules.ladder, recs)
    due = {
        emp: rec
        for emp, rec in recs.items()
        if rules.ladder.rank(rec.code or "") > rules.ladder.rank(covered.get(emp, ""))
    }
    base = employees if employees is not None else Employee.objects.all()
    people = {e.pk: e for e in base.filter(pk__in=list(due)).select_related("unit")}
    out = [Candidate(people[emp], rec, covered.get(emp, "")) for emp, rec in due.items() if emp in people]
    out.sort(key=lambda c: (-rules.ladder.rank(c.rec.code or ""), c.employee.name, c.employee.pk))
    return out


def recommendation_for(employee_id: int, year: int, as_of: dt.date,
                       rules: DisciplineRules | None = None) -> tuple[Recommendation | None, str]:  # fmt: skip
    """One employee's recommendation and what their cases cover."""
    rules = rules or discipline_rules(as_of)
    rec = year_recommendations(year, as_of, employee_ids=[employee_id], rules=rules).get(employee_id)
    return rec, covered_codes(year, rules.ladder, [employee_id]).get(employee_id, "")


# --- reads of cases --------------------------------------------------------------------------------------------------


def may_manage(user: Any) -> bool:
    """Only BKPSDM opens, examines, decides and drops cases (and records appeals and their decisions)."""
    return access_for(user).has(Role.ADMIN_BKPSDM)


def cases_visible_to(user: Any) -> QuerySet[DisciplineCase]:
    """The employee their own cases; an OPD operator (and treasurer) their units'; an atasan their subordinates';
    BKPSDM, the inspectorate and the BPKAD head all (selectors.scoped)."""
    return scoped(user, DisciplineCase.objects.select_related("employee", "employee__unit"))


def case_get(user: Any, case_id: int) -> DisciplineCase:
    case = cases_visible_to(user).filter(pk=case_id).first()
    if case is None:
        raise NotVisible(gettext("Kasus disiplin tidak ditemukan."))
    return case


def case_timeline(case: DisciplineCase) -> list[AuditEvent]:
    """Every step of the case as audited, oldest first (one indexed query)."""
    return list(
        AuditEvent.objects.filter(object_type=DisciplineCase._meta.label_lower, object_id=str(case.pk))
        .select_related("actor")
        .order_by("seq")
    )


def parse_year(raw: Any, today: dt.date) -> int:
    try:
        year = int(str(raw))
    except ValueError:
        raise ValidationFailed(gettext("Tahun tidak valid."), details={"field": "year"}) from None
    if not 2021 <= year <= today.year:
        raise ValidationFailed(gettext("Tahun tidak valid."), details={"field": "year"})
    return year


# --- labels (what people read; codes stay internal) ------------------------------------------------------------------

SANCTION_LABELS = {
    "teguran_lisan": _("Teguran lisan"),
    "teguran_tertulis": _("Teguran tertulis"),
    "pernyataan_tidak_puas": _("Pernyataan tidak puas secara tertulis"),
    "potong_tpp_25_6_bulan": _("Pemotongan TPP 25% selama 6 bulan"),
    "potong_tpp_25_9_bulan": _("Pemotongan TPP 25% selama 9 bulan"),
    "potong_tpp_25_12_bulan": _("Pemotongan TPP 25% selama 12 bulan"),
    "penurunan_jabatan": _("Penurunan jabatan setingkat lebih rendah selama 12 bulan"),
    "pembebasan_jabatan": _("Pembebasan dari jabatan menjadi jabatan pelaksana selama 12 bulan"),
    "pemberhentian": _("Pemberhentian dengan hormat tidak atas permintaan sendiri"),
}
LEVEL_LABELS = {"ringan": _("ringan"), "sedang": _("sedang"), "berat": _("berat")}
BASIS_LABELS = {
    BASIS_CUMULATIVE: _("Tidak masuk kerja tanpa alasan sah (kumulatif setahun)"),
    BASIS_RUN: _("Tidak masuk kerja tanpa alasan sah (berturut-turut)"),
    BASIS_OTHER: _("Pelanggaran lain"),
}


def sanction_label(code: str) -> str:
    return str(SANCTION_LABELS.get(code, code))
