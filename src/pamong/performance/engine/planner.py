"""Assessor-assignment planner: which independent assessor rates which employee, so that calibration can work.

Calibration (calibration.py) can separate a rater's severity from the employees' own performance only inside a pool
whose rater-ratee graph is connected (reference/anchors-civic-fairness.md B.2.2, B.5 step 2, B.6): a supervisor who
rates only their own team, with nobody else rating that team, cannot be calibrated. The planner proposes assessor
ratings so that, in every pool,

1. every supervisor shares at least one ratee with an independent assessor, and
2. supervisors and assessors form one connected graph,

then (optionally) tops every ratee up to `per_ratee` assessor ratings, balancing the assessors' load.

The method is greedy and explainable. Phase 1, for each pool in turn (pools sorted by name): one assessor rates one
employee of each supervisor's team, team after team (a chain); when that assessor's capacity is used up, the next
assessor first rates an employee of a team already in the chain (the link) and carries on. Phase 2 gives every ratee
its remaining assessor ratings: an assessor already rating in the pool first (fewer raters with more ratings each
give steadier rater effects), otherwise the eligible assessor with the most room; in a first pass nobody goes above
an even share of all the ratings (balanced load), in a second pass up to their maximum. Ties are broken by a random
order drawn from `seed`, so a plan is reproducible. Pure Python, no Django.
"""

from __future__ import annotations

import heapq
import random
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial

NO_SUPERVISOR = ""  # the "supervisor" of a ratee without one: each such ratee is a team of its own


@dataclass(frozen=True)
class Assessor:
    """An independent assessor: who, how many ratings at most, and where they may rate.

    `pools`: the pools they may rate (None = any); `excluded`: pools they must not rate (e.g. their own OPD's)."""

    id: str
    max_load: int
    pools: frozenset[Hashable] | None = None
    excluded: frozenset[Hashable] = frozenset()

    def may_rate(self, pool: Hashable) -> bool:
        return pool not in self.excluded and (self.pools is None or pool in self.pools)


@dataclass(frozen=True)
class Assignment:
    kelompok: Hashable
    penilai: str  # the assessor
    dinilai: str  # the ratee


@dataclass(frozen=True)
class PoolProblem:
    kelompok: Hashable
    alasan: str  # tidak_ada_penilai | kapasitas | konflik | cakupan
    pesan: str  # plain Indonesian, for the person who assigns assessors
    atasan_tanpa_irisan: tuple[str, ...] = ()  # supervisors left without an independent rater on their team
    kurang: int = 0  # cakupan: assessor ratings still missing


@dataclass
class Plan:
    pasangan: list[Assignment] = field(default_factory=list)
    beban: dict[str, int] = field(default_factory=dict)  # assessor -> ratings planned
    masalah: list[PoolProblem] = field(default_factory=list)

    def terhubung(self, pool: Hashable) -> bool:
        """Phase 1 succeeded for the pool (coverage shortfalls do not count)."""
        return not any(p.kelompok == pool and p.alasan != "cakupan" for p in self.masalah)


@dataclass(frozen=True)
class PoolReport:
    kelompok: Hashable
    terhubung: bool
    komponen: int
    atasan_tanpa_irisan: tuple[str, ...]  # supervisors none of whose ratees an independent rater rated
    penilai_independen: int


class _State:
    """Assessors' spare capacity and the pairs made so far, shared by every pool of one plan."""

    def __init__(self, assessors: Sequence[Assessor], rng: random.Random) -> None:
        ids = [a.id for a in assessors]
        if len(set(ids)) != len(ids):
            raise ValueError("penilai independen: ada id yang ganda")
        for a in assessors:
            if a.max_load < 0:
                raise ValueError(f"penilai independen {a.id!r}: beban maksimum tidak boleh negatif")
        shuffled = list(assessors)
        rng.shuffle(shuffled)
        self.rank = {a.id: k for k, a in enumerate(shuffled)}  # the seeded tie-break
        self.assessors = sorted(assessors, key=lambda a: self.rank[a.id])
        self.spare = {a.id: a.max_load for a in assessors}
        self.by_id = {a.id: a for a in assessors}
        self.made: set[tuple[Hashable, str, str]] = set()
        self.count: dict[tuple[Hashable, str], int] = defaultdict(int)  # (pool, ratee) -> assessor ratings
        self.active: dict[Hashable, set[str]] = defaultdict(set)  # pool -> assessors rating there
        self.plan = Plan(beban={a.id: 0 for a in assessors})

    def can(self, pool: Hashable, assessor: str, ratee: str, supervisor: str) -> bool:
        return (
            self.spare[assessor] > 0
            and assessor != ratee
            and assessor != supervisor
            and (pool, assessor, ratee) not in self.made
        )

    def give(self, pool: Hashable, assessor: str, ratee: str) -> None:
        self.made.add((pool, assessor, ratee))
        self.spare[assessor] -= 1
        self.count[(pool, ratee)] += 1
        self.active[pool].add(assessor)
        self.plan.beban[assessor] += 1
        self.plan.pasangan.append(Assignment(pool, assessor, ratee))


def _teams(
    members: Sequence[tuple[str, str | None]], pool: Hashable, rng: random.Random
) -> list[tuple[str, list[str]]]:
    """(supervisor, shuffled team) pairs, supervisors sorted; a ratee without a supervisor is a team of its own."""
    teams: dict[str, list[str]] = defaultdict(list)
    seen: set[str] = set()
    for ratee, supervisor in members:
        if ratee in seen:
            raise ValueError(f"kelompok {pool!r}: pegawai {ratee!r} tercantum dua kali")
        seen.add(ratee)
        teams[supervisor or NO_SUPERVISOR].append(ratee)
    out: list[tuple[str, list[str]]] = []
    for supervisor in sorted(teams):
        team = sorted(teams[supervisor])
        rng.shuffle(team)
        if supervisor == NO_SUPERVISOR:
            out.extend((NO_SUPERVISOR, [r]) for r in team)
        else:
            out.append((supervisor, team))
    return out


def _pick_ratee(state: _State, pool: Hashable, assessor: str, supervisor: str, team: list[str]) -> str | None:
    """The team member the assessor may rate who has the fewest assessor ratings so far (team order breaks ties)."""
    best: str | None = None
    for ratee in team:
        if state.can(pool, assessor, ratee, supervisor) and (
            best is None or state.count[(pool, ratee)] < state.count[(pool, best)]
        ):
            best = ratee
    return best


class _Queue:
    """Assessors by most room first (the seeded rank breaks ties). Keys are refreshed lazily: room only shrinks, so
    an entry whose key is stale is pushed back with its current key when it reaches the top."""

    def __init__(self, state: _State, ceiling: dict[str, int]) -> None:
        self.state, self.ceiling = state, ceiling
        self.heap = [self.key(a.id) for a in state.assessors if self.room(a.id) > 0]
        heapq.heapify(self.heap)
        self.inside = {item[2] for item in self.heap}

    def room(self, a: str) -> int:
        return min(self.state.spare[a], self.ceiling[a] - self.state.plan.beban[a])

    def key(self, a: str) -> tuple[int, int, str]:
        return (-self.room(a), self.state.rank[a], a)

    def push(self, a: str) -> None:
        if a not in self.inside and self.room(a) > 0:
            heapq.heappush(self.heap, self.key(a))
            self.inside.add(a)

    def take(self, ok: Callable[[str], bool]) -> str | None:
        """The first assessor (most room) for whom ok(a) holds, taken out of the queue; the others stay."""
        aside: list[str] = []
        chosen = None
        while self.heap:
            item = heapq.heappop(self.heap)
            a = item[2]
            current = self.key(a)
            if current[0] >= 0:
                self.inside.discard(a)  # full
                continue
            if current != item:
                heapq.heappush(self.heap, current)
                continue
            self.inside.discard(a)
            if ok(a):
                chosen = a
                break
            aside.append(a)
        for a in aside:
            self.push(a)
        return chosen


def _link(
    state: _State, queue: _Queue, pool: Hashable, chain: list[tuple[str, list[str]]], team: tuple[str, list[str]]
) -> str | None:
    """A new assessor for `team` who can also rate someone already in the chain (the link); gives both ratings."""
    need = 2 if chain else 1
    found: dict[str, tuple[str, str | None]] = {}

    def ok(a: str) -> bool:
        if state.spare[a] < need or not state.by_id[a].may_rate(pool):
            return False
        target = _pick_ratee(state, pool, a, *team)
        if target is None:
            return False
        link = None
        if chain:
            link = next(
                (r for sup, members in reversed(chain) if (r := _pick_ratee(state, pool, a, sup, members)) is not None),
                None,
            )
            if link is None:
                return False
        found[a] = (target, link)
        return True

    chosen = queue.take(ok)
    if chosen is None:
        return None
    target, link = found[chosen]
    if link is not None:
        state.give(pool, chosen, link)
    state.give(pool, chosen, target)
    return chosen


def _connect_pool(state: _State, queue: _Queue, pool: Hashable, teams: list[tuple[str, list[str]]]) -> None:
    supervisors = [sup for sup, _ in teams if sup != NO_SUPERVISOR]
    if not any(a.may_rate(pool) for a in state.assessors):
        state.plan.masalah.append(
            PoolProblem(
                pool,
                "tidak_ada_penilai",
                "Tidak ada penilai independen yang boleh menilai kelompok ini; tambahkan penilai atau ubah "
                "pembatasan kelompoknya.",
                tuple(supervisors),
            )
        )
        return
    chain: list[tuple[str, list[str]]] = []
    current: str | None = None
    for index, team in enumerate(teams):
        sup, members = team
        target = _pick_ratee(state, pool, current, sup, members) if current is not None else None
        if target is not None and current is not None:
            state.give(pool, current, target)
        else:
            current = _link(state, queue, pool, chain, team)
            if current is None:
                left = tuple(s for s, _ in teams[index:] if s != NO_SUPERVISOR)
                need = 2 if chain else 1
                if any(state.spare[a.id] >= need and a.may_rate(pool) for a in state.assessors):
                    alasan = "konflik"
                    why = "penilai independen yang masih punya kapasitas adalah atasan atau anggota tim itu sendiri"
                else:
                    alasan, why = "kapasitas", "kapasitas penilai independen tidak cukup"
                state.plan.masalah.append(
                    PoolProblem(
                        pool,
                        alasan,
                        f"Kelompok ini belum dapat dihubungkan: {why}; {len(teams) - index} tim belum mendapat "
                        "penilai independen. Tambahkan penilai atau naikkan beban maksimumnya.",
                        left,
                    )
                )
                break
        chain.append(team)
    for a in state.active[pool]:
        queue.push(a)


def _newcomer(state: _State, pool: Hashable, active: set[str], ratee: str, supervisor: str, a: str) -> bool:
    return a not in active and state.by_id[a].may_rate(pool) and state.can(pool, a, ratee, supervisor)


def _cover_pool(
    state: _State, queue: _Queue, pool: Hashable, teams: list[tuple[str, list[str]]], per_ratee: int
) -> int:
    """Top every ratee of the pool up to `per_ratee` assessor ratings, nobody above the queue's ceiling; returns how
    many are still missing. Assessors already rating in this pool come first (fewer raters with more ratings each
    give steadier rater effects), then the one with the most room."""
    if all(state.count[(pool, ratee)] >= per_ratee for _, members in teams for ratee in members):
        return 0
    active = state.active[pool]
    local = [queue.key(a) for a in active if queue.room(a) > 0]
    heapq.heapify(local)
    missing = 0
    for sup, members in teams:
        for ratee in members:
            while state.count[(pool, ratee)] < per_ratee:
                aside = []
                chosen = None
                while local:
                    item = heapq.heappop(local)
                    if queue.room(item[2]) <= 0:
                        continue
                    if state.can(pool, item[2], ratee, sup):
                        chosen = item[2]
                        break
                    aside.append(item)
                for item in aside:
                    heapq.heappush(local, item)
                if chosen is None:
                    chosen = queue.take(partial(_newcomer, state, pool, active, ratee, sup))
                if chosen is None:
                    missing += per_ratee - state.count[(pool, ratee)]
                    break
                state.give(pool, chosen, ratee)
                if queue.room(chosen) > 0:
                    heapq.heappush(local, queue.key(chosen))
    for a in active:
        queue.push(a)
    return missing


def plan_assessors(
    pools: Mapping[Hashable, Sequence[tuple[str, str | None]]],
    assessors: Sequence[Assessor],
    *,
    per_ratee: int = 1,
    seed: int = 0,
) -> Plan:
    """Propose (assessor, ratee) pairs for every pool: pool -> [(ratee, supervisor or None), ...].

    First every pool is connected (phase 1, pools in sorted order, so connection takes precedence over coverage), then
    every ratee gets up to `per_ratee` assessor ratings in all (phase 2; 0 = only what connection needs). An assessor
    never rates themself or their own team. `plan.masalah` lists the pools that could not be connected and why, and
    the coverage shortfalls. Deterministic for a given `seed`."""
    if per_ratee < 0:
        raise ValueError("per_ratee tidak boleh negatif")
    rng = random.Random(seed)
    state = _State(assessors, rng)
    order = sorted(pools, key=str)
    teams = {pool: _teams(pools[pool], pool, rng) for pool in order}
    full = {a.id: a.max_load for a in assessors}
    queue = _Queue(state, full)
    for pool in order:
        _connect_pool(state, queue, pool, teams[pool])
    if per_ratee:
        # pass 1: nobody above an even share of all the ratings, so the load is balanced; pass 2: up to max_load
        needed = sum(
            max(0, per_ratee - state.count[(pool, ratee)])
            for pool in order
            for _, team in teams[pool]
            for ratee in team
        )
        share = -(-(needed + sum(state.plan.beban.values())) // max(1, len(assessors)))
        even = _Queue(state, {a.id: min(a.max_load, share) for a in assessors})
        for pool in order:
            _cover_pool(state, even, pool, teams[pool], per_ratee)
        queue = _Queue(state, full)
        for pool in order:
            missing = _cover_pool(state, queue, pool, teams[pool], per_ratee)
            if missing and any(a.may_rate(pool) for a in assessors):
                state.plan.masalah.append(
                    PoolProblem(
                        pool,
                        "cakupan",
                        f"{missing} penilaian independen yang diinginkan belum dapat diberikan karena kapasitas "
                        "penilai habis.",
                        kurang=missing,
                    )
                )
    return state.plan


# ---- what the existing ratings give ------------------------------------------------------------------------------


def _find(parent: dict[tuple[str, str], tuple[str, str]], node: tuple[str, str]) -> tuple[str, str]:
    """Union-find root, with path compression."""
    root = node
    while parent[root] != root:
        root = parent[root]
    while parent[node] != root:
        parent[node], node = root, parent[node]
    return root


def pool_report(ratings: Iterable[tuple[Hashable, str, str, bool]]) -> dict[Hashable, PoolReport]:
    """For existing ratings (pool, rater, ratee, independent?): is each pool's rater-ratee graph connected, into how
    many components, and which supervisors (raters of non-independent ratings) share no ratee with an independent
    rater."""
    by_pool: dict[Hashable, list[tuple[str, str, bool]]] = defaultdict(list)
    for pool, rater, ratee, independent in ratings:
        by_pool[pool].append((rater, ratee, bool(independent)))
    out: dict[Hashable, PoolReport] = {}
    for pool in sorted(by_pool, key=str):
        rows = by_pool[pool]
        parent: dict[tuple[str, str], tuple[str, str]] = {}

        independently_rated: dict[str, set[str]] = defaultdict(set)  # ratee -> independent raters
        teams: dict[str, set[str]] = defaultdict(set)  # supervisor -> ratees
        for rater, ratee, independent in rows:
            a, b = ("penilai", rater), ("dinilai", ratee)
            parent.setdefault(a, a)
            parent.setdefault(b, b)
            ra, rb = _find(parent, a), _find(parent, b)
            if ra != rb:
                parent[ra] = rb
            (independently_rated[ratee].add(rater) if independent else teams[rater].add(ratee))
        components = len({_find(parent, node) for node in parent})
        lonely = tuple(
            sorted(sup for sup, team in teams.items() if not any(independently_rated[r] - {sup} for r in team))
        )
        assessors = {rater for rater, _, independent in rows if independent}
        out[pool] = PoolReport(pool, components == 1, components, lonely, len(assessors))
    return out
