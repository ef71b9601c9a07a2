"""The read side of attendance: the unit's today, one employee's month as a calendar, the monthly recap of an OPD or
the city (rows, totals per unit, lateness by unit, the TK trend) and its exports.

Visibility is attendance/selectors.py's: every query starts from `employees_in_scope` / `scoped`; a user without the
page's role, a unit or an employee out of scope is NotVisible (404). Each report takes a fixed number of queries
whatever the number of employees: figures are aggregated in the database, lists are paginated (BoundedPaginator:
one count and two page queries), a page's punches and absences are subqueries of the page query."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext, gettext_lazy

from pamong.accounts.access import Access, access_for
from pamong.core.errors import DomainError, NotVisible
from pamong.org.models import Unit
from pamong.people.models import ACTIVE_STATUSES, Employee
from pamong.web.paging import paginate

from . import calendar
from .absences import DINAS_LUAR, approved_absences
from .models import LeaveRequest, MonthRecap, Punch, RequestState, Schedule, ScheduleKind, TravelOrder
from .month import employee_month
from .selectors import employee_in_scope, employees_in_scope, scoped, sees_all

# The recap's band columns, in the order of the region's TL/PSW table (regions/*/tpp/disiplin.yaml).
BANDS = ("TL1", "TL2", "TL3", "TL4", "PSW1", "PSW2", "PSW3", "PSW4")
TL_BANDS = BANDS[:4]
NUMBERS = ("hari_kerja", "hadir", "tidak_hadir_sah", "tk", "terlambat_menit", "psw_menit")
TREND_MONTHS = 12


def month_start(d: dt.date) -> dt.date:
    return d.replace(day=1)


def month_end(period: dt.date) -> dt.date:
    nxt = (period.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def add_months(period: dt.date, n: int) -> dt.date:
    k = period.year * 12 + period.month - 1 + n
    return dt.date(k // 12, k % 12 + 1, 1)


def _holidays(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    """The calendar's holidays; a year the rule pack has no calendar for shows none (the recap itself refuses it)."""
    try:
        return calendar.holidays(start, end)
    except calendar.CalendarMissing:
        return {}


def _unit_in_scope(a: Access, user: Any, unit_id: int | None) -> Unit | None:
    if unit_id is None:
        return None
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise NotVisible(gettext("Unit kerja tidak ditemukan."))
    if sees_all(a) or any(unit.path.startswith(p) for p in a.operator_paths):
        return unit
    raise NotVisible(gettext("Unit kerja tidak ditemukan."))


# ---- one employee's month ---------------------------------------------------------------------------------------

# day status keys → the words of the legend (employee-facing: no codes)
STATUS_LABELS = {
    "hadir": gettext_lazy("Hadir"),
    "terlambat": gettext_lazy("Terlambat"),
    "pulang_cepat": gettext_lazy("Pulang cepat"),
    "tk": gettext_lazy("Tanpa keterangan"),
    "cuti": gettext_lazy("Cuti"),
    "dinas_luar": gettext_lazy("Dinas luar"),
    "libur": gettext_lazy("Libur"),
}


@dataclass(frozen=True)
class Day:
    date: dt.date
    status: str | None  # a STATUS_LABELS key; None: not computed yet (no recap, or a day still to come)
    masuk: int | None = None  # seconds after midnight
    pulang: int | None = None
    late_min: int = 0
    early_min: int = 0
    holiday: str = ""  # the holiday's name
    absence: str = ""  # the absence kind (cuti_<type>, dinas_luar)
    pulang_next: bool = False  # the departure was on the next date (a night shift)

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status]) if self.status else ""

    @property
    def status_key(self) -> str:
        return self.status or "none"

    @property
    def masuk_text(self) -> str:
        return clock(self.masuk)

    @property
    def pulang_text(self) -> str:
        return clock(self.pulang)


def clock(seconds: int | None) -> str:
    if seconds is None:
        return ""
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


def _parse_hm(text: str) -> int:
    h, m = str(text).split(":")[:2]
    return int(h) * 3600 + int(m) * 60


def standard_weekly() -> dict[str, list[str]] | None:
    """The standard schedule's weekly times (the first active STANDARD schedule), if there is one.

    Interim: att-month resolves each employee's schedule (assignments, roster, Ramadan) in `month.employee_month`;
    until then the calendar marks lateness against the standard schedule only."""
    s = Schedule.objects.filter(kind=ScheduleKind.STANDARD, active=True).order_by("code").first()
    return s.weekly if s is not None else None


def day_rows(
    employee_id: int,
    period: dt.date,
    *,
    today: dt.date | None = None,
    weekly: dict[str, list[str]] | None = None,
) -> list[Day]:
    """One employee's month: each day's status from the stored MonthRecap `days` letters (H hadir, T TK, A approved
    absence, - no work), its first and last punch, the holiday or absence; "hadir" becomes "terlambat" or
    "pulang_cepat" against `weekly` (ISO weekday → [start, end]) for a same-day schedule. Without a recap a day has
    no status unless it is a holiday, a weekend without schedule, or an approved absence. Four queries."""
    first, last = period, month_end(period)
    today = today or dt.date.today()
    recap = MonthRecap.objects.filter(employee_id=employee_id, period=first).values_list("days", flat=True).first()
    times: dict[dt.date, tuple[int, int, int]] = {
        d: (lo, hi, n)
        for d, lo, hi, n in Punch.objects.filter(employee_id=employee_id, date__gte=first, date__lte=last)
        .order_by()
        .values("date")
        .annotate(lo=Min("seconds"), hi=Max("seconds"), n=Count("id"))
        .values_list("date", "lo", "hi", "n")
    }
    absences = approved_absences([employee_id], first, last).get(employee_id, [])
    off = _holidays(first, last)
    out: list[Day] = []
    for i in range((last - first).days + 1):
        d = first + dt.timedelta(days=i)
        letter = recap[i] if recap is not None and i < len(recap) else ""
        kind = next((a.kind for a in absences if a.start <= d <= a.end), "")
        lo, hi, n = times.get(d, (None, None, 0))
        masuk, pulang = lo, (hi if n > 1 else None)
        sched = (weekly or {}).get(str(d.isoweekday()))
        status: str | None = None
        late = early = 0
        if letter == "H":
            status = "hadir"
            if sched and masuk is not None:
                start, end = _parse_hm(sched[0]), _parse_hm(sched[1])
                if end > start:  # a night shift's punches span two dates: left to employee_month
                    if n == 1 and 2 * masuk >= start + end:  # a single punch after the midpoint is the departure
                        masuk, pulang = None, lo
                    late = max(0, (masuk - start) // 60) if masuk is not None else 0
                    early = max(0, (end - pulang) // 60) if pulang is not None else 0
                    if late:
                        status = "terlambat"
                    elif early:
                        status = "pulang_cepat"
        elif letter == "T":
            status = "tk"
        elif letter == "A" or (kind and not letter):
            status = "dinas_luar" if kind == DINAS_LUAR else "cuti"
        elif letter == "-" or d in off or (not letter and d.isoweekday() > 5):
            status = "libur"
        if d > today and status in ("tk", None):
            status = None  # a day still to come has no attendance yet
        out.append(Day(d, status, masuk, pulang, late, early, off.get(d, ""), kind))
    return out


def _seconds(t: dt.time | None) -> int | None:
    return None if t is None else t.hour * 3600 + t.minute * 60 + t.second


_LETTER = {"hadir": "H", "tk": "T", "absen": "A", "libur": "-"}


def month_days(employee_id: int, period: dt.date, *, today: dt.date | None = None) -> list[Day]:
    """One employee's month for the calendar: the stored MonthRecap `days` letter decides each day (H hadir, T TK,
    A approved absence, - no work: what payroll takes); the details — arrival, departure, minutes late or early, the
    absence's kind, the holiday — come from `month.employee_month`, the same engine over the schedule in force.
    Without a stored recap (a month not computed yet) the engine's own status stands. A year the rule pack has no
    calendar or bands for falls back to `day_rows`."""
    today = today or dt.date.today()
    try:
        details = employee_month(employee_id, period)
    except DomainError:
        return day_rows(employee_id, period, today=today, weekly=standard_weekly())
    letters = (
        MonthRecap.objects.filter(employee_id=employee_id, period=month_start(period))
        .values_list("days", flat=True)
        .first()
    )
    out: list[Day] = []
    for i, d in enumerate(details):
        letter = letters[i] if letters and i < len(letters) else _LETTER.get(d.status, "")
        status: str | None = None
        if letter == "H":
            status = "terlambat" if d.tl else "pulang_cepat" if d.psw else "hadir"
        elif letter == "T":
            status = "tk"
        elif letter == "A":
            status = "dinas_luar" if d.absence == DINAS_LUAR else "cuti"
        elif letter == "-":
            status = "libur"
        if d.date > today and status in ("tk", None):
            status = None  # a day still to come has no attendance yet
        next_day = d.pulang_on is not None and d.pulang_on > d.date
        out.append(Day(d.date, status, _seconds(d.masuk), _seconds(d.pulang), d.late_min, d.early_min,
                       d.holiday or "", d.absence or "", next_day))  # fmt: skip
    return out


def calendar_weeks(days: list[Day]) -> list[list[Day | None]]:
    """The month as weeks Monday..Sunday, None for the cells outside the month."""
    weeks: list[list[Day | None]] = []
    week: list[Day | None] = [None] * (days[0].date.isoweekday() - 1) if days else []
    for d in days:
        week.append(d)
        if len(week) == 7:
            weeks.append(week)
            week = []
    if week:
        weeks.append(week + [None] * (7 - len(week)))
    return weeks


def month_counts(days: list[Day]) -> dict[str, int]:
    counts = dict.fromkeys(STATUS_LABELS, 0)
    for d in days:
        if d.status:
            counts[d.status] += 1
    return counts


def my_month_employee(user: Any, employee_id: int | None) -> Employee:
    """The employee whose month is shown: the user's own (None), or one in the user's scope (else NotVisible)."""
    a = access_for(user)
    if employee_id is None:
        if a.employee_id is None:
            raise NotVisible(gettext("Anda tidak terdaftar sebagai pegawai."))
        employee_id = a.employee_id
    return employee_in_scope(user, employee_id)


# ---- the unit's today -------------------------------------------------------------------------------------------


def may_view_today(a: Access) -> bool:
    return sees_all(a) or bool(a.operator_paths) or a.is_supervisor


@dataclass
class Today:
    date: dt.date
    holiday: str  # the holiday's name, "" on an ordinary day
    working: bool  # a standard working day (Monday–Friday, not a holiday)
    unit: Unit | None
    employees: int
    hadir: int
    absen: int  # on approved leave or travel, without a punch
    belum: int  # no punch, no absence ("belum presensi")
    page: Page


def _today_scope(user: Any, unit: Unit | None) -> QuerySet[Employee]:
    qs = employees_in_scope(user).filter(status__in=ACTIVE_STATUSES)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    return qs


def unit_today(
    user: Any,
    *,
    today: dt.date,
    unit_id: int | None = None,
    only: str = "",
    page: Any = 1,
    per_page: int = 50,
) -> Today:
    """Each employee in scope today: first and last punch, approved leave/travel, or not yet in. `only` filters
    ("hadir", "absen", "belum"). Fixed queries: the counts (one), the page (count, ids, rows)."""
    a = access_for(user)
    if not may_view_today(a):
        raise NotVisible(gettext("Halaman tidak ditemukan."))
    unit = _unit_in_scope(a, user, unit_id)
    punches = Punch.objects.filter(employee=OuterRef("pk"), date=today).order_by().values("employee")
    leave = LeaveRequest.objects.filter(
        employee=OuterRef("pk"), state=RequestState.APPROVED, start__lte=today, end__gte=today
    )
    travel = TravelOrder.objects.filter(employees=OuterRef("pk"), cancelled=False, start__lte=today, end__gte=today)
    # EXISTS on the (employee, date) index decide and count; the times are computed for the page's rows only
    qs = _today_scope(user, unit).annotate(x_present=Exists(punches), x_leave=Exists(leave), x_travel=Exists(travel))
    present = Q(x_present=True)
    away = Q(x_present=False) & (Q(x_leave=True) | Q(x_travel=True))
    counts = qs.aggregate(
        n=Count("pk"),
        hadir=Count("pk", filter=present),
        absen=Count("pk", filter=away),
    )
    if only == "hadir":
        qs = qs.filter(present)
    elif only == "absen":
        qs = qs.filter(away)
    elif only == "belum":
        qs = qs.filter(x_present=False, x_leave=False, x_travel=False)
    qs = qs.annotate(
        x_in=Subquery(punches.annotate(v=Min("seconds")).values("v")[:1]),
        x_out=Subquery(punches.annotate(v=Max("seconds")).values("v")[:1]),
    )
    qs = qs.select_related("unit").order_by("unit__path", "name", "pk")
    holiday = _holidays(today, today).get(today, "")
    n, hadir, absen = counts["n"] or 0, counts["hadir"] or 0, counts["absen"] or 0
    return Today(
        date=today,
        holiday=holiday,
        working=today.isoweekday() <= 5 and not holiday,
        unit=unit,
        employees=n,
        hadir=hadir,
        absen=absen,
        belum=n - hadir - absen,
        page=paginate(qs, page, per_page),
    )


def today_status(e: Any) -> str:
    """A row of unit_today's page → hadir | cuti | dinas_luar | belum."""
    if e.x_present:
        return "hadir"
    if e.x_travel:
        return "dinas_luar"
    if e.x_leave:
        return "cuti"
    return "belum"


# ---- the monthly recap ------------------------------------------------------------------------------------------


def may_view_recap(a: Access) -> bool:
    return sees_all(a) or bool(a.operator_paths)


@dataclass
class Figures:
    employees: int = 0
    hari_kerja: int = 0
    hadir: int = 0
    tidak_hadir_sah: int = 0
    tk: int = 0
    terlambat_menit: int = 0
    psw_menit: int = 0
    bands: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BANDS, 0))

    @property
    def tl_days(self) -> int:
        return sum(self.bands[b] for b in TL_BANDS)

    @property
    def psw_days(self) -> int:
        return sum(self.bands[b] for b in BANDS[4:])

    @property
    def tl_share(self) -> float | None:
        """Percent of working days with a TL band (one decimal)."""
        return round(100 * self.tl_days / self.hari_kerja, 1) if self.hari_kerja else None

    @property
    def late_avg(self) -> float | None:
        """Average lateness minutes per employee in the month (one decimal)."""
        return round(self.terlambat_menit / self.employees, 1) if self.employees else None

    def add(self, other: Figures) -> None:
        for name in ("employees", *NUMBERS):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for b in BANDS:
            self.bands[b] += other.bands[b]


CHART_GROUPS = 20  # bars in the lateness chart
TABLE_GROUPS = 100  # rows of the per-unit table


@dataclass
class Recap:
    period: dt.date
    unit: Unit | None
    group_kind: str  # "opd" (per OPD) or "unit" (per unit kerja)
    total: Figures
    groups: list[tuple[Unit, Figures]]  # every group, in tree order
    trend: list[tuple[dt.date, int, int]]  # (month, TK days, working days), oldest first
    page: Page | None = None

    def _worst_first(self) -> list[tuple[Unit, Figures]]:
        return sorted(self.groups, key=lambda g: (-(g[1].tl_share or 0), -g[1].tk, g[0].path))

    @property
    def chart_groups(self) -> list[tuple[Unit, Figures]]:
        """The lateness chart's bars: every group, or the CHART_GROUPS with the highest share of late days."""
        return self.groups if len(self.groups) <= CHART_GROUPS else self._worst_first()[:CHART_GROUPS]

    @property
    def table_groups(self) -> list[tuple[Unit, Figures]]:
        """The per-unit table: every group, or (hundreds of schools under one office) the TABLE_GROUPS with the most
        lateness and TK first."""
        return self.groups if len(self.groups) <= TABLE_GROUPS else self._worst_first()[:TABLE_GROUPS]

    @property
    def groups_more(self) -> int:
        return max(0, len(self.groups) - TABLE_GROUPS)


def _band_sum(name: str) -> Any:
    return Coalesce(Sum(Cast(KT(f"bands__{name}"), IntegerField())), Value(0))


def _aggregates() -> dict[str, Any]:
    out: dict[str, Any] = {"employees": Count("pk")}
    out.update({name: Coalesce(Sum(name), Value(0)) for name in NUMBERS})
    out.update({f"b_{b}": _band_sum(b) for b in BANDS})
    return out


def _figures(row: dict[str, Any]) -> Figures:
    return Figures(
        employees=row["employees"] or 0,
        **{name: int(row[name] or 0) for name in NUMBERS},
        bands={b: int(row[f"b_{b}"] or 0) for b in BANDS},
    )


def _recap_qs(user: Any, a: Access, qs: QuerySet[MonthRecap], unit: Unit | None) -> QuerySet[MonthRecap]:
    qs = scoped(user, qs)
    if not sees_all(a):  # an operator's recap is their units', not the positions they supervise elsewhere
        qs = qs.filter(_paths_q("unit__path", a.operator_paths))
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    return qs


def _recap_access(user: Any, unit_id: int | None) -> tuple[Access, Unit | None]:
    a = access_for(user)
    if not may_view_recap(a):
        raise NotVisible(gettext("Halaman tidak ditemukan."))
    return a, _unit_in_scope(a, user, unit_id)


def recap_rows(user: Any, *, period: dt.date, unit_id: int | None = None) -> QuerySet[MonthRecap]:
    """The month's recap rows the user may see (an OPD operator their OPD, BKPSDM/inspectorate/BPKAD the city),
    optionally one unit's subtree."""
    a, unit = _recap_access(user, unit_id)
    return _recap_qs(user, a, MonthRecap.objects.filter(period=month_start(period)), unit)


def _paths_q(fieldname: str, paths: tuple[str, ...]) -> Q:
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(**{f"{fieldname}__startswith": p})
    return q


def month_recap(
    user: Any, *, period: dt.date, unit_id: int | None = None, page: Any = None, per_page: int = 50
) -> Recap:
    """The month's figures: totals per OPD (the city) or per unit kerja (an OPD or a unit filter), the grand total,
    the TK trend of the last 12 months, and a page of employee rows when `page` is given. Fixed queries: the unit,
    the groups (one), their names (one), the trend (one), the page (three)."""
    period = month_start(period)
    a, unit = _recap_access(user, unit_id)
    rows = _recap_qs(user, a, MonthRecap.objects.filter(period=period), unit)
    group_kind = "opd" if sees_all(a) and unit is None else "unit"
    key = "unit__opd_id" if group_kind == "opd" else "unit_id"
    by_group: dict[int, Figures] = {}
    for r in rows.order_by().values(g=F(key)).annotate(**_aggregates()):
        by_group[r["g"]] = _figures(r)
    total = Figures()
    for f in by_group.values():
        total.add(f)
    units = {u.pk: u for u in Unit.objects.filter(pk__in=list(by_group)).order_by("path")}
    groups = [(u, by_group[pk]) for pk, u in units.items()]

    since = add_months(period, 1 - TREND_MONTHS)
    trend_qs = _recap_qs(user, a, MonthRecap.objects.filter(period__gte=since, period__lte=period), unit)
    got = {
        (p if isinstance(p, dt.date) else dt.date.fromisoformat(str(p))): (int(tk or 0), int(hk or 0))
        for p, tk, hk in trend_qs.order_by()
        .values("period")
        .annotate(tk_sum=Sum("tk"), hk_sum=Sum("hari_kerja"))
        .values_list("period", "tk_sum", "hk_sum")
    }
    trend = [(m, *got.get(m, (0, 0))) for m in (add_months(since, i) for i in range(TREND_MONTHS))]
    result = Recap(period, unit, group_kind, total, groups, trend)
    if page is not None:
        ordered = rows.select_related("employee", "unit").order_by("unit__path", "employee__name", "pk")
        result.page = paginate(ordered, page, per_page)
    return result


def recap_periods(user: Any, *, around: dt.date) -> list[dt.date]:
    """The months offered by the month switcher: the last 12 up to `around`'s month (no query)."""
    last = month_start(around)
    return [add_months(last, -i) for i in range(TREND_MONTHS)]


def band(r: MonthRecap, name: str) -> int:
    return int((r.bands or {}).get(name, 0))


# ---- exports ------------------------------------------------------------------------------------------------------

EXPORT_COLUMNS = (
    "NIP",
    "Nama",
    "Unit kerja",
    "Hari kerja",
    "Hadir",
    "Tidak hadir sah",
    "TK",
    *BANDS,
    "Terlambat (menit)",
    "PSW (menit)",
)


def export_rows(user: Any, *, period: dt.date, unit_id: int | None = None) -> Iterator[tuple[Any, ...]]:
    """The recap's rows for a file: NIP and names as text, counts as integers. One streamed query."""
    qs = (
        recap_rows(user, period=period, unit_id=unit_id)
        .order_by("unit__path", "employee__name", "pk")
        .values_list("employee__nip", "employee__name", "unit__name", *NUMBERS[:4], "bands", *NUMBERS[4:])
    )
    for nip, name, unit, hk, hadir, sah, tk, bands, late, early in qs.iterator(chunk_size=2000):
        bands = bands or {}
        yield (nip, name, unit, hk, hadir, sah, tk, *(int(bands.get(b, 0)) for b in BANDS), late, early)
