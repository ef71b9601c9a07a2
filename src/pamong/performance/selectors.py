"""Reads of performance data, with visibility built in.

Who sees an employee's SKP, realisations, feedback and evaluations: the employee; their pejabat penilai and atasan
pejabat penilai (by the SKP) and everyone above them in the position tree; the operator of their OPD (to follow
progress); admin BKPSDM and the inspectorate (everything). An assessor sees only the employees assigned to them
(accounts.AssessorAssignment). The treasurer and the BPKAD head see performance only as the capaian on a payslip.
A row the user may not see is a 404 (NotVisible), never a 403."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from pamong.accounts.access import Access, access_for, path_q
from pamong.accounts.models import Role
from pamong.core.errors import NotVisible
from pamong.people.models import Employee

from .models import Appeal, Evaluation, Feedback, Realisation, Skp


def sees_all(a: Access) -> bool:
    return a.has(Role.ADMIN_BKPSDM) or a.has(Role.INSPECTORATE)


def _employee_q(a: Access, prefix: str = "") -> Q | None:
    """Q over Employee (or over a model's `prefix`employee); None: every row."""
    if sees_all(a):
        return None
    q = Q(pk__in=[])
    if a.employee_id is not None:
        q |= Q(**{f"{prefix}pk": a.employee_id})
        rated = Skp.objects.filter(Q(penilai_id=a.employee_id) | Q(atasan_penilai_id=a.employee_id))
        q |= Q(**{f"{prefix}pk__in": rated.values("employee_id")})
    q |= path_q(f"{prefix}unit__path", a.operator_paths)
    if a.supervised_paths:
        q |= path_q(f"{prefix}position__path", a.supervised_paths) & ~Q(
            **{f"{prefix}position_id__in": a.own_position_ids}
        )
    if a.assessed_employee_ids:
        q |= Q(**{f"{prefix}pk__in": a.assessed_employee_ids})
    return q


def employees_in_scope(user: Any) -> QuerySet[Employee]:
    """The employees whose performance the user may read."""
    a = access_for(user)
    if not a.authenticated:
        return Employee.objects.none()
    q = _employee_q(a)
    return Employee.objects.all() if q is None else Employee.objects.filter(q)


def _scoped(user: Any, qs: QuerySet, prefix: str) -> QuerySet:
    a = access_for(user)
    if not a.authenticated:
        return qs.none()
    q = _employee_q(a, prefix)
    return qs if q is None else qs.filter(q)


def skps_visible_to(user: Any) -> QuerySet[Skp]:
    return _scoped(user, Skp.objects.select_related("employee", "position", "unit", "penilai"), "employee__")


def evaluations_visible_to(user: Any) -> QuerySet[Evaluation]:
    return _scoped(user, Evaluation.objects.select_related("employee"), "employee__")


def realisations_visible_to(user: Any) -> QuerySet[Realisation]:
    return _scoped(user, Realisation.objects.all(), "indicator__result__skp__employee__")


def feedback_visible_to(user: Any) -> QuerySet[Feedback]:
    return _scoped(user, Feedback.objects.select_related("author"), "employee__")


def appeals_visible_to(user: Any) -> QuerySet[Appeal]:
    return _scoped(user, Appeal.objects.select_related("employee", "evaluation"), "employee__")


def skp_get(user: Any, skp_id: int) -> Skp:
    skp = skps_visible_to(user).filter(pk=skp_id).first()
    if skp is None:
        raise NotVisible(gettext("SKP tidak ditemukan."))
    return skp


def employee_in_scope(user: Any, employee_id: int) -> Employee:
    emp = employees_in_scope(user).select_related("unit", "position").filter(pk=employee_id).first()
    if emp is None:
        raise NotVisible(gettext("Pegawai tidak ditemukan."))
    return emp


def current_skp(employee_id: int, year: int) -> Skp | None:
    """The SKP in force for the year: the agreed version (None before the first is agreed)."""
    return Skp.objects.filter(employee_id=employee_id, year=year, state="agreed").first()


def open_skp(employee_id: int, year: int) -> Skp | None:
    """The version being drafted or awaiting agreement, if any."""
    return Skp.objects.filter(employee_id=employee_id, year=year, state__in=["draft", "submitted"]).first()


def skp_tree(skp: Skp) -> list[dict[str, Any]]:
    """The SKP's results with their indicators, each with the superior's result it supports (for the cascade view):
    two queries."""
    results = list(skp.results.select_related("supports__skp__employee").prefetch_related("indicators"))
    return [
        {
            "result": r,
            "indicators": list(r.indicators.all()),
            "supports": r.supports,
            "supports_owner": r.supports.skp.employee if r.supports else None,
        }
        for r in results
    ]


def cascade_below(skp: Skp) -> list[dict[str, Any]]:
    """The agreed or open SKPs of the same year whose results support this SKP's results: the tree one level
    down (the view recurses on demand)."""
    rows = (
        Skp.objects.filter(year=skp.year, results__supports__skp=skp)
        .exclude(state="superseded")
        .select_related("employee", "position")
        .distinct()
    )
    return [{"skp": s, "employee": s.employee} for s in rows]


CASCADE_UP_MAX = 8  # levels above an SKP (staff → … → the OPD head): a position tree is never deeper in practice
CASCADE_DOWN_MAX = 4  # levels below shown on the cascade page
CASCADE_FIELDS = (
    "id", "skp_id", "kind", "text", "supports_id", "order", "skp__id", "skp__state", "skp__year",
    "skp__employee__id", "skp__employee__name", "skp__employee__front_title", "skp__employee__back_title",
    "skp__position__id", "skp__position__name",
)  # fmt: skip


def cascade_above(skp: Skp) -> dict[int, list[Any]]:
    """For each result of the SKP, the chain of superiors' results it supports, nearest first, up to the top (one
    query per level). The superior's result texts and names are shown to whoever sees this SKP: they are what the
    SKP is measured against."""
    from .models import SkpResult

    chains: dict[int, list[Any]] = {}
    tip: dict[int, int] = {}  # own result id → the supported result id still to fetch
    for r in skp.results.all():
        chains[r.pk] = []
        if r.supports_id is not None:
            tip[r.pk] = r.supports_id
    for _ in range(CASCADE_UP_MAX):
        if not tip:
            break
        rows = {x.pk: x for x in SkpResult.objects.filter(pk__in=set(tip.values())).select_related("skp__employee")}
        nxt: dict[int, int] = {}
        for own, sup in tip.items():
            row = rows.get(sup)
            if row is None:
                continue
            chains[own].append(row)
            if row.supports_id is not None:
                nxt[own] = row.supports_id
        tip = nxt
    return chains


def cascade_down(user: Any, skp: Skp, depth: int = CASCADE_DOWN_MAX) -> dict[int, list[Any]]:
    """result id → the results of other (not superseded) SKPs of the year that support it, level by level down to
    `depth`, only those in SKPs the user may see. Two queries per level: the supporting results by their indexed
    `supports` key, then which of their (at most 2,000) SKPs are visible — the visibility test runs on those ids,
    not on every SKP of the year."""
    from .models import SkpResult

    children: dict[int, list[Any]] = {}
    parents = list(skp.results.values_list("pk", flat=True))
    for _ in range(max(0, min(depth, CASCADE_DOWN_MAX))):
        if not parents:
            break
        rows = list(
            SkpResult.objects.filter(supports_id__in=parents, skp__year=skp.year)
            .exclude(skp__state="superseded")
            .select_related("skp__employee", "skp__position")
            .only(*CASCADE_FIELDS)
            .order_by("supports_id", "id")[:2000]  # the supports index; ordering by name here walked every employee
        )
        rows.sort(key=lambda r: (r.skp.employee.name, r.skp_id, r.order, r.pk))
        if not rows:
            break
        seen = set(skps_visible_to(user).filter(pk__in={r.skp_id for r in rows}).values_list("pk", flat=True))
        rows = [r for r in rows if r.skp_id in seen]
        for r in rows:
            children.setdefault(r.supports_id, []).append(r)
        parents = [r.pk for r in rows]
    return children


def skps_awaiting(user: Any, limit: int = 200) -> list[Skp]:
    """SKPs submitted to this user as pejabat penilai (admin BKPSDM: those whose penilai is the head of the region),
    oldest first."""
    a = access_for(user)
    q = Q(pk__in=[])
    if a.employee_id is not None:
        q |= Q(penilai_id=a.employee_id)
    if a.has(Role.ADMIN_BKPSDM):
        q |= Q(penilai__isnull=True)
    # rated by me (or, for admin, by the Wali Kota): visible by the rules above, so no visibility filter is needed
    rows = Skp.objects.filter(q, state="submitted").select_related("employee", "position")
    return list(rows.order_by("submitted_at", "id")[:limit])


def skps_rated_by(user: Any, year: int, limit: int = 50) -> list[Skp]:
    """The year's SKPs (not superseded) where the user is the pejabat penilai."""
    a = access_for(user)
    if a.employee_id is None:
        return []
    rows = Skp.objects.filter(penilai_id=a.employee_id, year=year).exclude(state="superseded")
    return list(rows.select_related("employee", "position").order_by("employee__name", "id")[:limit])


def may_list(user: Any) -> bool:
    """Admin BKPSDM, the inspectorate and OPD operators get the SKP search list."""
    a = access_for(user)
    return sees_all(a) or bool(a.operator_paths)


def skp_search(user: Any, *, year: int, unit: Any = None, state: str = "") -> QuerySet[Skp]:
    """SKPs of a year, in a unit's subtree and a state, for the list page: filtered on (year, unit) — the
    index — ordered by (unit, id) so a page is an index range plus a small sort; paged by BoundedPaginator."""
    qs = skps_visible_to(user).filter(year=year)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("unit_id", "id")
