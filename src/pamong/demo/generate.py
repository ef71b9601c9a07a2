"""The whole demo city in memory: the plan, who fills which position, the people, their statuses and families.

Pure data and `random.Random(seed)`: nothing here touches the database, so the same (size, seed, today) always
gives the same city, and the writer (build.py) can use bulk operations.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from .city import Plan, PositionPlan, build_plan
from .people import People, Person, add_months, fom, person_count_sanity

MIN_SIZE = 60

# The demo logins that are employees, and the position each one holds (its first holder).
LINKED_POSITIONS = {
    "kepala.bpkad": "BPKAD.KEPALA",
    "atasan": "BKPSDM.PPI.KABID",
    "pegawai": "BKPSDM.PPI.PDI",  # reports directly to BKPSDM.PPI.KABID (the atasan)
    "operator.dinkes": "DINKES.SEK.UMPEG.PDI",
    "bendahara.disdik": "DISDIK.SEK.PK.BEND",
    "inspektorat": "INSP.IRBAN1.AUD-AM",
}
# Offices whose front-line staff the independent assessor rates (public-service units).
ASSESSED_UNITS = ("DUKCAPIL", "DPMPTSP", "DINKES.PKM-")


@dataclass
class Plt:
    holder: Person
    position: PositionPlan
    tmt: dt.date


@dataclass
class City:
    size: int
    seed: int
    today: dt.date
    plan: Plan
    persons: list[Person]
    assessed: list[Person] = field(default_factory=list)
    plt: list[Plt] = field(default_factory=list)

    def by_role(self, role: str) -> Person:
        return next(p for p in self.persons if p.role == role)


def _single(p: PositionPlan) -> bool:
    return p.structural or p.group == "kepsek"


def allocate(plan: Plan, size: int, n_former: int, rng: random.Random) -> None:
    """Decide how many people hold each position (`holders`) and the ABK need (`seats_abk`).

    Structural posts and school heads hold one person; when the city is small they are filled by priority
    (heads first), otherwise about 4 % stay vacant (led by a Plt). The rest of the people are spread over the
    fungsional and pelaksana positions in proportion to their weights.
    """
    forced = set(LINKED_POSITIONS.values())
    singles = [p for p in plan.positions if _single(p)]
    multi = [p for p in plan.positions if not _single(p)]
    budget = min(len(singles), round(size * 0.15))
    order = sorted(range(len(singles)), key=lambda i: (singles[i].code not in forced, singles[i].priority, i))
    for i in order:
        p = singles[i]
        if p.code in forced or (budget > 0 and (p.priority <= 1 or rng.random() > 0.04)):
            p.holders = 1
            budget -= 1
    forced_multi = [p for p in multi if p.code in forced]
    rest = size - n_former - sum(p.holders for p in singles) - len(forced_multi)
    if rest < 0:
        raise ValueError(f"ukuran {size} terlalu kecil untuk kota demo (minimal {MIN_SIZE})")
    weights = [p.weight * rng.uniform(0.75, 1.25) for p in multi]
    total = sum(weights)
    quotas = [rest * w / total for w in weights]
    base = [int(q) for q in quotas]
    by_fraction = sorted(range(len(multi)), key=lambda i: quotas[i] - base[i], reverse=True)
    for i in by_fraction[: rest - sum(base)]:
        base[i] += 1
    for p, n in zip(multi, base, strict=True):
        p.holders = n + (p.code in forced)
    for p in multi:  # the workload analysis says more people are needed here, fewer there
        r = rng.random()
        if p.holders == 0:
            p.seats_abk = rng.randint(1, 2)
        elif r < 0.45:
            p.seats_abk = p.holders + rng.randint(1, max(1, round(p.holders * 0.3)))
        elif r < 0.75 or p.holders == 1:
            p.seats_abk = p.holders
        else:
            p.seats_abk = max(1, p.holders - rng.randint(1, max(1, round(p.holders * 0.2))))
    for p in singles:
        p.seats_abk = 1


def generate(*, size: int, seed: int, today: dt.date | None = None) -> City:
    if size < MIN_SIZE:
        raise ValueError(f"ukuran minimal kota demo adalah {MIN_SIZE} pegawai")
    today = today or dt.date.today()
    rng = random.Random(seed)
    plan = build_plan(size, rng)
    n_former = max(2, round(size * 0.012))
    allocate(plan, size, n_former, rng)
    gen = People(plan, rng, today)
    role_of = {code: role for role, code in LINKED_POSITIONS.items()}

    persons: list[Person] = []
    for pos in plan.positions:
        for k in range(pos.holders):
            persons.append(gen.person(pos, role=role_of.get(pos.code, "") if k == 0 else ""))

    # former employees: retired (BUP 58) or deceased in the last three years
    senior = ("", "ahli_muda", "mahir", "penyelia")  # positions one plausibly retires from at 58
    candidates = [
        p for p in plan.positions if not _single(p) and p.weight > 0 and gen.bup(p) == 58 and p.jf_jenjang in senior
    ]
    weights = [p.weight for p in candidates]
    for i in range(n_former):
        pos = rng.choices(candidates, weights=weights)[0]
        if i % 10 < 7:
            retired = add_months(fom(today), -rng.randint(1, 30))
            reached = add_months(retired, -1)
            birth = dt.date(reached.year - 58, reached.month, rng.randint(1, 28))
            p = gen.person(pos, as_of=retired - dt.timedelta(days=1), birth=birth)
            p.status, p.status_since = "pensiun", retired
        else:
            died = today - dt.timedelta(days=rng.randint(30, 1000))
            p = gen.person(pos, as_of=died)
            p.status, p.status_since = "meninggal", died
        persons.append(p)

    _special_statuses(persons, size, rng, today)
    gen.families(persons)
    for p in persons:
        gen.schooling(p)
    person_count_sanity(persons, today)

    city = City(size=size, seed=seed, today=today, plan=plan, persons=persons)
    _assessed(city, rng)
    _plt(city, rng)
    return city


def _special_statuses(persons: list[Person], size: int, rng: random.Random, today: dt.date) -> None:
    """A few PNS on tugas belajar, CLTN or temporarily dismissed (each at least once)."""
    pool = [p for p in persons if p.employee_type == "PNS" and p.status == "aktif" and not p.role]
    rng.shuffle(pool)
    plan = (
        ("tugas_belajar", max(1, round(size * 0.006)), lambda p: p.age < 45 and p.education_level in ("S1", "D4")),
        ("cltn", max(1, round(size * 0.002)), lambda p: p.age < 50),
        ("diberhentikan_sementara", max(1, round(size * 0.001)), lambda p: not p.pos.structural),
    )
    for status, count, ok in plan:
        chosen = [p for p in pool if p.status == "aktif" and ok(p)][:count]
        for p in chosen:
            since = max(add_months(fom(today), -rng.randint(1, 24)), p.status_since)
            p.status, p.status_since = status, since


def _assessed(city: City, rng: random.Random) -> None:
    active = [p for p in city.persons if p.status == "aktif" and not p.pos.structural and not p.role]
    front = [p for p in active if p.pos.unit.startswith(ASSESSED_UNITS)]
    pool = front if len(front) >= 10 else active
    city.assessed = rng.sample(pool, min(10, len(pool)))


def _plt(city: City, rng: random.Random) -> None:
    """Vacant structural posts are led by a Plt: the superior's holder, or the sekretaris for a head."""
    holder = {}
    for p in city.persons:
        if p.status in ("aktif",) and p.pos.code not in holder:
            holder[p.pos.code] = p
    for pos in city.plan.positions:
        if not pos.structural or pos.holders:
            continue
        sek = f"{pos.unit}.SEK.SEKRETARIS"
        acting = holder.get(pos.superior or "") or holder.get(sek)
        if acting is not None:
            tmt = add_months(fom(city.today), -rng.randint(1, 5))
            city.plt.append(Plt(acting, pos, tmt))
