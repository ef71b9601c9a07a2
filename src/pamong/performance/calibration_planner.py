"""The assessor-assignment planner page's reads and its one write (admin BKPSDM).

For a year, every active employee is expected to be rated by their pejabat penilai; the assessor assignments made
for the year ("penilaian kinerja <year>") and the ratings already given add independent raters (assessors and
peers; the citizen figure is left out: it says nothing about a rater's severity). engine.planner.pool_report says
for each comparison pool whether that rater-ratee graph is connected and which supervisors share no ratee with an
independent rater; engine.planner.plan_assessors proposes assessor ratings for the pools that need them. On
confirmation the pairs become AssessorAssignment rows (accounts.services.assessor_assign, audited each).

People are keyed "e<employee id>" (or "u<user id>" for an assessor login that is no employee), so the planner knows
an assessor who is also a supervisor and never gives them their own team."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from pamong.accounts.access import access_for
from pamong.accounts.models import AssessorAssignment, Role, User
from pamong.accounts.services import assessor_assign
from pamong.audit import services as audit
from pamong.core.errors import Forbidden, ValidationFailed
from pamong.people.models import ACTIVE_STATUSES, Employee

from .chain import chains_for
from .models import RaterRole, Rating
from .ratings import annual_period, pool_label, pools_of

DEFAULT_LOAD = 20
INDEPENDENT = (RaterRole.ASSESSOR, RaterRole.PEER)


def purpose_of(year: int) -> str:
    return f"penilaian kinerja {year}"


def _require_admin(user: Any) -> None:
    if not access_for(user).has(Role.ADMIN_BKPSDM):
        raise Forbidden(gettext("Hanya admin BKPSDM yang dapat merencanakan penugasan penilai independen."))


@dataclass
class PoolStatus:
    pool: str
    label: str
    members: int
    terhubung: bool
    komponen: int
    independent: int
    lonely: list[str] = field(default_factory=list)  # supervisors' names without an independent overlap
    unrated: int = 0  # members nobody is expected to rate (no penilai here, no assessor)

    @property
    def ok(self) -> bool:
        return self.terhubung and not self.lonely and not self.unrated


@dataclass
class Proposal:
    assessor_user_id: int
    assessor_name: str
    employee_id: int
    employee_name: str
    pool_label: str


@dataclass
class PlannerView:
    year: int
    pools: list[PoolStatus]
    assessors: int
    proposals: list[Proposal] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    available: bool = True  # the planner engine is installed


def _planner() -> Any:
    try:
        from .engine import planner  # type: ignore[attr-defined,unused-ignore]
    except ImportError:  # engine/planner.py arrives separately
        return None
    return planner


def _people(year: int) -> tuple[dict[int, str], dict[str, list[tuple[str, str | None]]], dict[int, str]]:
    """Active employees' pools, each pool's (ratee key, supervisor key) pairs, employee names."""
    emps = list(Employee.objects.filter(status__in=ACTIVE_STATUSES).values_list("id", "name"))
    ids = [pk for pk, _ in emps]
    pools = pools_of(ids, annual_period(year))
    chains = chains_for(ids)
    members: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    for pk in ids:
        penilai = chains[pk].penilai_id
        members[pools[pk]].append((f"e{pk}", f"e{penilai}" if penilai else None))
    return pools, members, dict(emps)


def _person_keys() -> dict[int, str]:
    """user id → person key for the assessor logins (an employee's key when the login is one)."""
    users = User.objects.filter(role_grants__role=Role.ASSESSOR).distinct().values_list("id", "employee__id")
    return {uid: (f"e{eid}" if eid else f"u{uid}") for uid, eid in users}


def planner_overview(user: Any, year: int, *, propose: bool = False, max_load: int = DEFAULT_LOAD) -> PlannerView:
    _require_admin(user)
    period = annual_period(year)
    pools, members, names = _people(year)
    assessor_keys = _person_keys()
    user_employee = dict(Employee.objects.filter(user__isnull=False).values_list("user_id", "id"))
    rows: list[tuple[str, str, str, bool]] = []
    for pool, pairs in members.items():
        rows += [(pool, sup, ratee, False) for ratee, sup in pairs if sup]
    assigned = AssessorAssignment.objects.filter(purpose=purpose_of(year), employee_id__in=list(pools))
    load: dict[str, int] = defaultdict(int)
    for uid, eid in assigned.values_list("assessor_id", "employee_id"):
        key = assessor_keys.get(uid, f"u{uid}")
        rows.append((pools[eid], key, f"e{eid}", True))
        load[key] += 1
    ratings = Rating.objects.filter(period_start=period).exclude(rater_role=RaterRole.CITIZEN)
    for pool, uid, eid, role in ratings.values_list("pool", "rater_id", "ratee_id", "rater_role"):
        key = f"e{user_employee[uid]}" if uid in user_employee else f"u{uid}"
        rows.append((pool, key, f"e{eid}", role in INDEPENDENT))
    view = PlannerView(year=year, pools=[], assessors=len(assessor_keys))
    planner = _planner()
    if planner is None:
        view.available = False
        return view
    report = planner.pool_report(rows)
    rated = {(p, ratee) for p, _, ratee, _ in rows}

    def name(key: str) -> str:
        return names.get(int(key[1:]), key) if key.startswith("e") else key

    for pool in sorted(members, key=pool_label):
        r = report.get(pool)
        unrated = sum(1 for ratee, _ in members[pool] if (pool, ratee) not in rated)
        view.pools.append(
            PoolStatus(
                pool=pool,
                label=pool_label(pool),
                members=len(members[pool]),
                terhubung=bool(r and r.terhubung),
                komponen=r.komponen if r else 0,
                independent=r.penilai_independen if r else 0,
                lonely=[name(k) for k in (r.atasan_tanpa_irisan if r else ())],
                unrated=unrated,
            )
        )
    if propose:
        _propose(view, planner, members, assessor_keys, load, max_load, names, year)
    return view


def _propose(view: PlannerView, planner: Any, members: dict[str, list[tuple[str, str | None]]],
             assessor_keys: dict[int, str], load: dict[str, int], max_load: int, names: dict[int, str],
             year: int) -> None:  # fmt: skip
    need = {p.pool: members[p.pool] for p in view.pools if not p.ok}
    if not need:
        return
    own_pool: dict[str, str] = {}
    emp_ids = [int(k[1:]) for k in assessor_keys.values() if k.startswith("e")]
    for eid, pool in pools_of(emp_ids, annual_period(year)).items():
        own_pool[f"e{eid}"] = pool
    users = {u.pk: u for u in User.objects.filter(pk__in=list(assessor_keys))}
    by_key = {key: uid for uid, key in assessor_keys.items()}
    assessors = [
        planner.Assessor(
            id=key,
            max_load=max(0, max_load - load.get(key, 0)),
            excluded=frozenset({own_pool[key]}) if key in own_pool else frozenset(),
        )
        for key in sorted(by_key)
    ]
    plan = planner.plan_assessors(need, assessors, per_ratee=0, seed=year)
    existing = set(
        AssessorAssignment.objects.filter(purpose=purpose_of(year)).values_list("assessor_id", "employee_id")
    )
    for a in plan.pasangan:
        uid, eid = by_key[a.penilai], int(a.dinilai[1:])
        if (uid, eid) in existing:
            continue
        u = users[uid]
        assessor_name = names.get(int(a.penilai[1:]), "") if a.penilai.startswith("e") else ""
        view.proposals.append(
            Proposal(
                uid,
                assessor_name or u.get_full_name() or u.get_username(),
                eid,
                names.get(eid, ""),
                pool_label(str(a.kelompok)),
            )  # fmt: skip
        )
    view.problems = [f"{pool_label(str(p.kelompok))}: {p.pesan}" for p in plan.masalah]


def planner_confirm(*, actor: Any, year: int, pairs: list[tuple[int, int]]) -> int:
    """Create the confirmed assessor assignments for the year (skipping any that exist); returns how many."""
    _require_admin(actor)
    if not pairs:
        raise ValidationFailed(gettext("Tidak ada usulan penugasan yang dipilih."), details={"field": "pair"})
    purpose = purpose_of(year)
    assessors = {u.pk: u for u in User.objects.filter(pk__in={a for a, _ in pairs}, role_grants__role=Role.ASSESSOR)}
    employees = {e.pk: e for e in Employee.objects.filter(pk__in={e for _, e in pairs})}
    existing = set(AssessorAssignment.objects.filter(purpose=purpose).values_list("assessor_id", "employee_id"))
    made = 0
    with transaction.atomic():
        for uid, eid in sorted(set(pairs)):
            if uid not in assessors or eid not in employees:
                raise ValidationFailed(gettext("Usulan penugasan tidak valid; muat ulang halaman perencanaan."))
            if employees[eid].user_id == uid:
                raise ValidationFailed(gettext("Penilai tidak dapat menilai dirinya sendiri."))
            if (uid, eid) in existing:
                continue
            assessor_assign(
                actor=actor,
                assessor=assessors[uid],
                employee=employees[eid],
                purpose=purpose,
                valid_from=dt.date(year, 1, 1),
                valid_until=dt.date(year + 1, 3, 31),
                reason=gettext("Rencana penugasan penilai independen %(y)d") % {"y": year},
            )
            made += 1
        audit.record(
            actor=actor,
            action="calibration_plan.confirmed",
            object_type="performance.plan",
            object_id=str(year),
            changes={"assignments": [None, made]},
        )
    return made
