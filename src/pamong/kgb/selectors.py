"""Reads for KGB: who may work on it, the due list (due within N days, overdue marked with how long), what a KGB
would decree for one employee (plan_kgb), and the decrees a user may see.

Scope: admin BKPSDM sees every employee's KGB; an OPD operator their OPD's (the units they operate and below).
Other roles have no KGB pages (Forbidden)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext

from pamong.accounts.access import access_for, path_q
from pamong.accounts.models import Role
from pamong.core.errors import Forbidden
from pamong.people.models import ACTIVE_STATUSES, Employee
from pamong.people.salary_steps import add_months, gaji_pokok, next_step
from pamong.rules.params import ParameterNotInForce, param

from .models import KgbDecree, KgbState

DUE_WITHIN_DAYS = 90  # the due list's default window; BKPSDM prepares a KGB about two months ahead
DRAFT_AHEAD_DAYS = 120  # a draft may be made this long before the step is reached


def may_use(user: Any) -> bool:
    a = access_for(user)
    return a.has(Role.ADMIN_BKPSDM) or bool(a.operator_paths)


def kgb_scope(user: Any) -> QuerySet[Employee]:
    """The employees whose KGB the user handles: all for admin BKPSDM, an operator's OPD; else Forbidden."""
    a = access_for(user)
    if a.has(Role.ADMIN_BKPSDM):
        return Employee.objects.all()
    if a.operator_paths:
        return Employee.objects.filter(path_q("unit__path", a.operator_paths))
    raise Forbidden(gettext("Anda tidak berwenang mengelola kenaikan gaji berkala."))


@dataclass(frozen=True)
class Sanction:
    code: str
    tmt: dt.date


@dataclass(frozen=True)
class KgbPlan:
    """What an SK KGB for the employee's next step would say."""

    due_on: dt.date  # the month the MKG reaches the next column
    tmt: dt.date  # = due_on, or the end of a postponement
    new_mkg_years: int
    old_gaji_pokok: int | None
    new_gaji_pokok: int | None
    next_due_on: dt.date | None
    postponed_by: str = ""  # the sanction code that postponed it


def postponements(on: dt.date) -> dict[str, int]:
    """Sanction code → months a KGB is postponed, from the dated national parameter (PP 53/2010; none since
    PP 94/2021)."""
    try:
        return {str(k): int(v) for k, v in (param("kepegawaian/kgb_penundaan").on(on) or {}).items()}
    except ParameterNotInForce:
        return {}


def plan_kgb(e: Employee, sanctions: Iterable[Sanction] = ()) -> KgbPlan | None:
    """The next KGB of the employee as recorded now; None at the last column of the gaji table."""
    step = next_step(e.employee_type, e.golongan, e.mkg_years, e.mkg_months, e.mkg_set_on)
    if step is None:
        return None
    tmt, by = step.tmt, ""
    delays = postponements(step.tmt)
    moved = True
    while moved:  # a postponement may run into another sanction's
        moved = False
        for s in sanctions:
            months = delays.get(s.code)
            if months and s.tmt <= tmt < add_months(s.tmt, months):
                tmt, by, moved = add_months(s.tmt, months), s.code, True
    following = next_step(e.employee_type, e.golongan, step.mkg_years, 0, tmt)
    return KgbPlan(
        due_on=step.tmt,
        tmt=tmt,
        new_mkg_years=step.mkg_years,
        old_gaji_pokok=gaji_pokok(e.employee_type, e.golongan, e.mkg_years, tmt),
        new_gaji_pokok=gaji_pokok(e.employee_type, e.golongan, step.mkg_years, tmt),
        next_due_on=following.tmt if following else None,
        postponed_by=by,
    )


def sanctions_of(employee_ids: Iterable[int]) -> dict[int, list[Sanction]]:
    """The disciplinary sanctions on record (payroll's DisciplinarySanction), one query."""
    from pamong.payroll.models import DisciplinarySanction

    out: dict[int, list[Sanction]] = defaultdict(list)
    for emp_id, code, tmt in DisciplinarySanction.objects.filter(employee_id__in=list(employee_ids)).values_list(
        "employee_id", "code", "tmt"
    ):
        out[emp_id].append(Sanction(code, tmt))
    return out


@dataclass(frozen=True)
class DueRow:
    employee: Employee
    plan: KgbPlan
    decree: KgbDecree | None  # a draft or approved decree for this step
    overdue_days: int  # > 0: the TMT has passed and no SK is approved
    days_until: int = 0  # days until the TMT (when not overdue)
    draftable_now: bool = True  # due within DRAFT_AHEAD_DAYS (a draft further ahead is refused)

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0

    @property
    def overdue_months(self) -> int:
        return self.overdue_days // 30

    @property
    def selectable(self) -> bool:
        return self.decree is None and self.plan.new_gaji_pokok is not None and self.draftable_now


def kgb_due_list(
    user: Any, *, within_days: int = DUE_WITHIN_DAYS, today: dt.date | None = None, limit: int | None = None
) -> list[DueRow]:
    """Active employees in the user's scope whose next KGB is due within `within_days` or overdue, oldest first.
    Three queries whatever the length (employees, their sanctions, live decrees)."""
    today = today or dt.date.today()
    qs = (
        kgb_scope(user)
        .filter(status__in=ACTIVE_STATUSES, next_kgb_on__lte=today + dt.timedelta(days=within_days))
        .select_related("unit", "unit__opd")
        .order_by("next_kgb_on", "name", "nip")
    )
    employees = list(qs[:limit] if limit else qs)
    ids = [e.pk for e in employees]
    sanctions = sanctions_of(ids)
    live: dict[tuple[int, dt.date], KgbDecree] = {
        (d.employee_id, d.due_on): d
        for d in KgbDecree.objects.filter(employee_id__in=ids).exclude(state=KgbState.CANCELLED)
    }
    rows = []
    for e in employees:
        plan = plan_kgb(e, sanctions.get(e.pk, []))
        if plan is None:
            continue
        decree = live.get((e.pk, plan.due_on))
        late = (today - plan.tmt).days if decree is None or decree.state == KgbState.DRAFT else 0
        ahead = plan.due_on <= today + dt.timedelta(days=DRAFT_AHEAD_DAYS)
        rows.append(DueRow(e, plan, decree, max(0, late), max(0, (plan.tmt - today).days), ahead))
    return rows


def decrees_visible_to(user: Any) -> QuerySet[KgbDecree]:
    scope = kgb_scope(user)
    return KgbDecree.objects.filter(employee__in=scope).select_related("employee", "employee__unit")


def decree_get(user: Any, decree_id: int) -> KgbDecree:
    from pamong.core.errors import NotVisible

    d = decrees_visible_to(user).filter(pk=decree_id).first()
    if d is None:
        raise NotVisible(gettext("SK KGB tidak ditemukan atau tidak dapat Anda akses."))
    return d
