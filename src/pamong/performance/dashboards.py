"""Performance dashboards (/kinerja/ringkasan/): the city's (or the user's part of it) and one unit's.

Who sees what: admin BKPSDM and the inspectorate the whole city, grouped per OPD; an OPD operator their OPD and a
supervisor the positions below theirs, grouped per unit; nobody else (404). A unit page shows the unit's subtree
as far as the user sees it.

Everything is aggregated in the database over one scoped set of employees (a common table expression), in a
fixed number of queries whatever the number of employees: the SKP status counts, the realisation progress, the
overdue periodic evaluations, the predikat distributions, the appeals; the pola distribusi check is the engine's
(`engine.predikat.pola_check`) on the counts per unit."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Max, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext

from pamong.accounts.access import Access, access_for, path_q
from pamong.core.errors import NotVisible
from pamong.core.tree import SEGMENT
from pamong.org.models import Unit
from pamong.people.models import ACTIVE_STATUSES, Employee

from .engine.predikat import LABEL_ORGANISASI, LABEL_PREDIKAT, PENJELASAN, PREDIKAT, pola_check
from .evaluations import period_of
from .models import AppealState, UnitYear
from .selectors import sees_all

SKP_STATES = ("none", "draft", "submitted", "agreed")
SKP_LABELS = {"none": "Belum ada SKP", "draft": "Draf", "submitted": "Diajukan", "agreed": "Disetujui"}
POLA_LIMIT = 50  # units listed in the pattern section
ROWS_LIMIT = 100  # rows of the per-OPD/per-unit table
CHILD_SEGMENT = SEGMENT + 1  # one level of a materialised path: the id's digits and "/"


@dataclass
class Figures:
    """The numbers of one group of employees (an OPD, a unit, or the whole scope)."""

    employees: int = 0
    skp: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SKP_STATES, 0))
    indicators: int = 0  # indicators of agreed SKPs of the year
    realised_this: int = 0  # of them, with a realisation this month
    realised_last: int = 0  # ... last month
    overdue: int = 0  # agreed SKP, last period's periodic evaluation not final
    annual: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PREDIKAT, 0))
    periodic: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PREDIKAT, 0))
    periodic_last: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PREDIKAT, 0))
    appeals_open: int = 0
    appeals_overdue: int = 0
    units_checked: int = 0  # units with a finalised year-end in the group
    units_off_pattern: int = 0

    def add(self, other: Figures) -> None:
        self.employees += other.employees
        for k in SKP_STATES:
            self.skp[k] += other.skp[k]
        for name in ("indicators", "realised_this", "realised_last", "overdue", "appeals_open", "appeals_overdue",
                     "units_checked", "units_off_pattern"):  # fmt: skip
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for d, o in ((self.annual, other.annual), (self.periodic, other.periodic),
                     (self.periodic_last, other.periodic_last)):  # fmt: skip
            for p in PREDIKAT:
                d[p] += o[p]

    @staticmethod
    def _pct(n: int, d: int) -> int | None:
        return round(100 * n / d) if d else None

    @property
    def progress_this(self) -> int | None:
        return self._pct(self.realised_this, self.indicators)

    @property
    def progress_last(self) -> int | None:
        return self._pct(self.realised_last, self.indicators)

    @property
    def annual_total(self) -> int:
        return sum(self.annual.values())


@dataclass(frozen=True)
class PolaRow:
    unit_id: int
    unit_name: str
    organisasi: str  # label
    counts: dict[str, int]
    violations: list[str]  # plain-language explanations (PENJELASAN)
    finalised: bool


@dataclass
class Dashboard:
    today: dt.date
    year: int  # the SKP year shown (this year)
    this_month: dt.date
    last_period: tuple[dt.date, dt.date]  # the periodic evaluation period that is due
    overdue_applies: bool  # the due period has ended
    annual_year: int | None  # the latest year with a finalised year-end (None: none yet)
    periodic_month: dt.date | None  # the month whose periodic distribution is shown
    group_kind: str  # "opd", "unit" (every unit in scope) or "child" (a unit page: the unit and its children)
    unit: Unit | None
    total: Figures
    rows: list[tuple[Unit, Figures]]
    pola: list[PolaRow]
    pola_more: int = 0  # units not listed (beyond POLA_LIMIT)
    rows_more: int = 0  # groups not listed (beyond ROWS_LIMIT)
    computed_at: dt.datetime | None = None

    @property
    def periodic(self) -> dict[str, int]:
        return self.total.periodic if self.periodic_month == self.this_month else self.total.periodic_last

    @property
    def periodic_rows(self) -> list[tuple[str, str, int]]:
        return [(p, LABEL_PREDIKAT[p], self.periodic[p]) for p in PREDIKAT]

    @property
    def annual_rows(self) -> list[tuple[str, str, int]]:
        return [(p, LABEL_PREDIKAT[p], self.total.annual[p]) for p in PREDIKAT]

    def chart(self, counts: dict[str, int], label: str) -> dict[str, Any]:
        return {
            "label": label,
            "labels": [LABEL_PREDIKAT[p] for p in PREDIKAT],
            "values": [counts[p] for p in PREDIKAT],
        }


# ---- scope ------------------------------------------------------------------------------------------------------


def _scope_q(a: Access) -> Q | None:
    """Employees the dashboard covers for this user (None: everyone); NotVisible when the user has no dashboard."""
    if sees_all(a):
        return None
    if not a.operator_paths and not a.supervised_paths:
        raise NotVisible(gettext("Ringkasan kinerja tidak ditemukan."))
    q = path_q("unit__path", a.operator_paths)
    if a.supervised_paths:
        q |= path_q("position__path", a.supervised_paths) & ~Q(position_id__in=a.own_position_ids)
    return q


def may_view(user: Any) -> bool:
    a = access_for(user)
    return sees_all(a) or bool(a.operator_paths or a.supervised_paths)


def _employees(a: Access, unit: Unit | None, group: str) -> QuerySet[Employee]:
    q = _scope_q(a)
    qs = Employee.objects.filter(status__in=ACTIVE_STATUSES)
    if q is not None:
        qs = qs.filter(q)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    key: Any = F("unit__opd_id") if group == "opd" else F("unit_id")
    if group == "child" and unit is not None:  # the unit itself or the child of it whose subtree holds the employee
        key = Substr("unit__path", 1, len(unit.path) + CHILD_SEGMENT)
    return qs.order_by().annotate(g=key).values("id", "g")


def _month_back(d: dt.date) -> dt.date:
    return (d.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


# ---- the queries ------------------------------------------------------------------------------------------------


def _d(day: dt.date) -> str:
    return day.isoformat()  # a date parameter as text: the same on PostgreSQL and SQLite


def _rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return list(cur.fetchall())


def _no_jit() -> None:
    """PostgreSQL's JIT compiles these plans for ~2 s (their cost estimates over 100k rows pass its threshold) to
    save milliseconds: off for the dashboard's transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SET LOCAL jit = off")


def _figures(emp: QuerySet[Employee], today: dt.date) -> tuple[dict[Any, Figures], dict[tuple[int, str], int], Any]:
    """Per group: the figures; per (SKP unit, predikat): the counts of the annual year (for the pattern check).
    Five queries."""
    emp_sql, emp_params = emp.query.sql_with_params()
    cte = f"WITH emp AS MATERIALIZED ({emp_sql}) "  # columns: id, g (computed once)
    year = today.year
    this_month = today.replace(day=1)
    last_month = _month_back(today)
    due_start, due_end = period_of(last_month)
    this_start, _ = period_of(this_month)
    annual_year = UnitYear.objects.filter(finalised_at__isnull=False).aggregate(y=Max("year"))["y"]
    out: dict[Any, Figures] = defaultdict(Figures)

    # 1. employees, SKP state (the furthest along of the year's versions), overdue periodic evaluations
    skp_rank = "CASE s.state WHEN 'agreed' THEN 3 WHEN 'submitted' THEN 2 WHEN 'draft' THEN 1 ELSE 0 END"
    for g, n, r1, r2, r3, overdue in _rows(
        cte
        + f"""
        , st AS MATERIALIZED (SELECT s.employee_id, MAX({skp_rank}) AS r FROM performance_skp s
                 JOIN emp ON emp.id = s.employee_id WHERE s.year = %s GROUP BY s.employee_id)
        SELECT emp.g, COUNT(*),
               SUM(CASE WHEN st.r = 1 THEN 1 ELSE 0 END), SUM(CASE WHEN st.r = 2 THEN 1 ELSE 0 END),
               SUM(CASE WHEN st.r = 3 THEN 1 ELSE 0 END),
               SUM(CASE WHEN %s AND ag.id IS NOT NULL AND dn.id IS NULL THEN 1 ELSE 0 END)
        FROM emp LEFT JOIN st ON st.employee_id = emp.id
        LEFT JOIN performance_skp ag ON ag.employee_id = emp.id AND ag.year = %s AND ag.state = 'agreed'
        LEFT JOIN performance_evaluation dn ON dn.employee_id = emp.id AND dn.kind = 'periodic'
             AND dn.period_start = %s AND dn.state = 'final' AND dn.corrects_id IS NULL
        GROUP BY emp.g""",
        [*emp_params, year, due_end < today, due_start.year, _d(due_start)],
    ):
        f = out[g]
        f.employees = n
        f.skp.update(draft=int(r1 or 0), submitted=int(r2 or 0), agreed=int(r3 or 0))
        f.skp["none"] = n - f.skp["draft"] - f.skp["submitted"] - f.skp["agreed"]
        f.overdue = int(overdue or 0)

    # 2. realisation progress: indicators of agreed SKPs with a realisation this month / last month
    for g, n, this, last in _rows(
        cte
        + """
        SELECT emp.g, COUNT(*), COUNT(rt.id), COUNT(rl.id)
        FROM emp JOIN performance_skp s ON s.employee_id = emp.id AND s.year = %s AND s.state = 'agreed'
        JOIN performance_skpresult sr ON sr.skp_id = s.id JOIN performance_skpindicator i ON i.result_id = sr.id
        LEFT JOIN performance_realisation rt ON rt.indicator_id = i.id AND rt.period = %s
        LEFT JOIN performance_realisation rl ON rl.indicator_id = i.id AND rl.period = %s
        GROUP BY emp.g""",
        [*emp_params, year, _d(this_month), _d(last_month)],
    ):
        f = out[g]
        f.indicators, f.realised_this, f.realised_last = n, int(this or 0), int(last or 0)

    # 3. predikat distributions in force (no correcting evaluation): the annual year per SKP unit, and the periodic
    # evaluations of this month's and the due period
    by_unit: dict[tuple[int, str], int] = defaultdict(int)
    for g, unit_id, kind, start, predikat, n in _rows(
        cte
        + """
        SELECT emp.g, s.unit_id, e.kind, e.period_start, e.predikat, COUNT(*)
        FROM emp JOIN performance_evaluation e ON e.employee_id = emp.id
        JOIN performance_skp s ON s.id = e.skp_id
        WHERE e.state = 'final' AND NOT EXISTS (SELECT 1 FROM performance_evaluation c WHERE c.corrects_id = e.id)
          AND ((e.kind = 'annual' AND e.period_start = %s) OR (e.kind = 'periodic' AND e.period_start IN (%s, %s)))
        GROUP BY emp.g, s.unit_id, e.kind, e.period_start, e.predikat""",
        [*emp_params, _d(dt.date(annual_year or 1900, 1, 1)), _d(this_start), _d(due_start)],
    ):
        f = out[g]
        start = start if isinstance(start, dt.date) else dt.date.fromisoformat(str(start))
        if kind == "annual":
            f.annual[predikat] += n
            by_unit[(unit_id, predikat)] += n
        elif start == this_start:
            f.periodic[predikat] += n
        else:
            f.periodic_last[predikat] += n

    # 4. appeals still open, and those past their decision date
    for g, n, late in _rows(
        cte
        + """
        SELECT emp.g, COUNT(*), SUM(CASE WHEN a.decide_by < %s THEN 1 ELSE 0 END)
        FROM emp JOIN performance_appeal a ON a.employee_id = emp.id WHERE a.state IN (%s, %s) GROUP BY emp.g""",
        [*emp_params, _d(today), str(AppealState.FILED), str(AppealState.EXAMINING)],
    ):
        out[g].appeals_open, out[g].appeals_overdue = n, int(late or 0)
    return out, by_unit, (annual_year, this_start, (due_start, due_end))


def _pola(annual_year: int | None, by_unit: dict[tuple[int, str], int], opd_of_group: str,
          out: dict[Any, Figures], only: set[int] | None,
          child_len: int = 0) -> tuple[list[PolaRow], int]:  # fmt: skip
    """The pola distribusi check per unit with a year-end (one query): the engine on the counts in force. Listed:
    the units of `only` (a unit page), else those off the pattern; at most POLA_LIMIT, and how many more."""
    if annual_year is None:
        return [], 0
    units = {u for u, _p in by_unit}
    rows: list[PolaRow] = []
    more = 0
    for unit_id, opd_id, name, organisasi, finalised_at, path in (
        UnitYear.objects.filter(year=annual_year, unit_id__in=units)
        .order_by("unit__path")
        .values_list("unit_id", "unit__opd_id", "unit__name", "organisasi", "finalised_at", "unit__path")
    ):
        counts = {p: by_unit.get((unit_id, p), 0) for p in PREDIKAT}
        codes = pola_check(organisasi, counts)
        group = {"opd": opd_id or unit_id, "unit": unit_id}.get(opd_of_group, path[:child_len])
        if group in out:
            out[group].units_checked += 1
            out[group].units_off_pattern += bool(codes)
        if (unit_id in only) if only is not None else bool(codes):
            if len(rows) >= POLA_LIMIT:
                more += 1
                continue
            rows.append(PolaRow(unit_id, name, LABEL_ORGANISASI[organisasi], counts, [PENJELASAN[c] for c in codes],
                                finalised_at is not None))  # fmt: skip
    return rows, more


def _cache_key(a: Access, unit_id: int | None, today: dt.date) -> str:
    """Users who cover the same employees share the figures: the key is the scope, not the user."""
    scope = "all" if sees_all(a) else repr((a.operator_paths, a.supervised_paths, a.own_position_ids))
    digest = hashlib.sha256(f"{scope}|{unit_id}|{today.isoformat()}".encode()).hexdigest()[:32]
    return f"performance-dashboard:{digest}"


def performance_dashboard(user: Any, *, unit_id: int | None = None, today: dt.date | None = None) -> Dashboard:
    """The city view (unit_id None) or one unit's subtree. NotVisible when the user has no dashboard or does not
    see the unit. The aggregates over a province take about a second, so the figures of one scope are reused for
    settings.PAMONG_DASHBOARD_CACHE_SECONDS (default 5 minutes; the page says when they were computed)."""
    today = today or dt.date.today()
    a = access_for(user)
    _scope_q(a)  # refuses early
    seconds = settings.PAMONG_DASHBOARD_CACHE_SECONDS
    key = _cache_key(a, unit_id, today)
    if seconds > 0 and (hit := cache.get(key)) is not None:
        return hit
    d = _dashboard(a, unit_id, today)
    if seconds > 0:
        cache.set(key, d, seconds)
    return d


def _dashboard(a: Access, unit_id: int | None, today: dt.date) -> Dashboard:
    """A fixed number of queries: the unit, five aggregates, the pattern check, the group names."""
    unit = None
    if unit_id is not None:
        unit = Unit.objects.filter(pk=unit_id).first()
        if unit is None:
            raise NotVisible(gettext("Unit kerja tidak ditemukan."))
        if not sees_all(a):
            inside = any(unit.path.startswith(p) for p in a.operator_paths)
            if not inside and not _employees(a, unit, "unit").exists():
                raise NotVisible(gettext("Unit kerja tidak ditemukan."))
    group = ("opd" if sees_all(a) else "unit") if unit is None else "child"
    with transaction.atomic():
        _no_jit()
        out, by_unit, (annual_year, this_start, due) = _figures(_employees(a, unit, group), today)
    only = None if unit is None else set(Unit.objects.filter(path__startswith=unit.path).values_list("id", flat=True))
    child_len = len(unit.path) + CHILD_SEGMENT if unit is not None else 0
    pola, pola_more = _pola(annual_year, by_unit, group, out, only, child_len)
    if group == "child":
        names = {u.path: u for u in Unit.objects.filter(path__in=[g for g in out if g]).order_by("path")}
    else:
        names = {u.pk: u for u in Unit.objects.filter(pk__in=[g for g in out if g is not None]).order_by("path")}
    total = Figures()
    for f in out.values():
        total.add(f)
    rows = [(u, out[pk]) for pk, u in names.items()]
    rows_more = max(0, len(rows) - ROWS_LIMIT)
    if rows_more:  # hundreds of schools under one office: those needing attention first
        rows.sort(key=lambda r: (-r[1].overdue, -r[1].skp["none"] - r[1].skp["draft"], -r[1].appeals_open, r[0].path))
        rows = rows[:ROWS_LIMIT]
    periodic_month = this_start if any(total.periodic.values()) else (due[0] if any(total.periodic_last.values())
                                                                        else None)  # fmt: skip
    return Dashboard(today=today, year=today.year, this_month=this_start, last_period=due,
                     overdue_applies=due[1] < today, annual_year=annual_year, periodic_month=periodic_month,
                     group_kind=group, unit=unit, total=total, rows=rows, pola=pola, pola_more=pola_more,
                     rows_more=rows_more, computed_at=timezone.now())  # fmt: skip
