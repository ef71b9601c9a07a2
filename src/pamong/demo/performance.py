"""The demo city's performance year (the year of last month, up to last month): agreed SKPs for everyone that
cascade from the OPD heads down the position tree, monthly realisations, monthly periodic evaluations made final
by each employee's pejabat penilai (a few lenient and a few severe ones planted), numeric ratings by the supervisors
and 12 independent assessors with the pools calibrated, a few appeals in every state, and feedback notes.

Bulk inserts with the same rules as the services: the rater chain from chain.chains_for, the predikat from
engine.predikat.predikat_of, the TPP capaian from evaluations.capaian_of, a correcting evaluation for an appeal
that changes the rating. Audit: one event per SKP, per employee's evaluations, per assessor assignment, appeal,
feedback note and login created, like the rest of the demo build."""

from __future__ import annotations

import datetime as dt
import functools
import json
import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection
from django.utils import timezone

from pamong.accounts.models import AssessorAssignment, Role, RoleGrant, User
from pamong.audit import services as audit
from pamong.people.models import ACTIVE_STATUSES, Employee
from pamong.performance.chain import chains_for
from pamong.performance.engine.predikat import predikat_of
from pamong.performance.evaluations import Capaian, capaian_of, period_of
from pamong.performance.models import (
    Appeal,
    AppealState,
    BerAkhlak,
    Evaluation,
    EvaluationKind,
    EvaluationState,
    Feedback,
    RaterRole,
    ResultKind,
    Skp,
    SkpIndicator,
    SkpResult,
    SkpState,
)
from pamong.performance.ratings import criteria, pools_of
from pamong.performance.year_end import calibration_compute_all

from .build import DEMO_PASSWORD, REASON

ASSESSORS = 12
LENIENT, SEVERE = 3, 3  # planted supervisors (among those with the most staff)
BATCH = 5000

HEAD_RESULTS = (
    "Meningkatnya kualitas layanan publik {unit}",
    "Tercapainya target kinerja program {unit}",
    "Meningkatnya akuntabilitas kinerja {unit}",
)
PK_TARGETS = (
    "Indeks kepuasan masyarakat atas layanan {unit}",
    "Nilai SAKIP {unit}",
    "Persentase capaian sasaran strategis {unit}",
)
RESULTS = (
    "Tersusunnya dokumen perencanaan dan laporan kegiatan",
    "Terlaksananya layanan administrasi tepat waktu",
    "Terselesaikannya tindak lanjut permohonan masyarakat",
    "Tersedianya data dan informasi yang mutakhir",
    "Terlaksananya koordinasi dan pembinaan teknis",
    "Terkelolanya arsip dan persuratan unit",
    "Terlaksananya monitoring dan evaluasi program",
)
INDICATORS = (
    ("Jumlah dokumen yang diselesaikan", "kuantitas", Decimal(12), "dokumen"),
    ("Persentase layanan selesai tepat waktu", "waktu", Decimal(100), "%"),
    ("Tingkat kepuasan pengguna layanan", "kualitas", Decimal(85), "%"),
    ("Jumlah kegiatan yang terlaksana", "kuantitas", Decimal(24), "kegiatan"),
    ("Jumlah laporan yang disampaikan", "kuantitas", Decimal(12), "laporan"),
)
FEEDBACK = (
    "Laporan bulan ini rapi dan tepat waktu. Pertahankan.",
    "Tolong lengkapi bukti dukung realisasi sebelum tanggal 5.",
    "Koordinasi dengan bidang lain sudah baik; perlu lebih cepat menanggapi surat masuk.",
    "Terima kasih atas bantuannya dalam pelayanan di akhir pekan.",
    "Target dokumen triwulan ini tertinggal; mari kita bahas rencana penyelesaiannya.",
)


@dataclass
class PerformanceSeed:
    year: int
    months: list[dt.date]
    skps: int = 0
    results: int = 0
    indicators: int = 0
    realisations: int = 0
    evaluations: int = 0
    ratings: int = 0
    pools: int = 0
    appeals: int = 0
    feedback: int = 0
    logins: list[tuple[str, str, str, str]] = field(default_factory=list)  # username, role, employee, sees
    lenient: list[int] = field(default_factory=list)  # penilai employee ids
    severe: list[int] = field(default_factory=list)


def _demo_password() -> str:
    """The demo password's hash, as the build stored it (hashing again costs a second of PBKDF2)."""
    stored = User.objects.filter(username="admin").values_list("password", flat=True).first()
    return stored or make_password(DEMO_PASSWORD)


def last_month(today: dt.date) -> dt.date:
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def _at(day: dt.date, hour: int = 9) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


def _bulk(model: Any, rows: list[Any]) -> list[Any]:
    return model.objects.bulk_create(rows, batch_size=BATCH)


@functools.cache
def _dt(value: dt.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def _insert(table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Plain multi-row INSERTs for the big tables (no model instances: the ORM's bulk_create costs ~10x here)."""
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    with connection.cursor() as cur:
        for i in range(0, len(rows), BATCH):
            cur.executemany(sql, rows[i : i + BATCH])


def _record(changes: list[audit.Change]) -> None:
    for i in range(0, len(changes), 20000):
        audit.record_many(None, changes[i : i + 20000])


def seed_performance(today: dt.date, *, seed: int = 1) -> PerformanceSeed:
    """Write the performance year into the demo city built by build.build (in the caller's transaction)."""
    rng = random.Random(seed * 31 + 9)
    last = last_month(today)
    year = last.year
    periods = sorted({period_of(dt.date(year, m, 1)) for m in range(1, last.month + 1)})
    periods = [p for p in periods if p[1] < today]
    res = PerformanceSeed(year=year, months=[p[0] for p in periods])
    admin = User.objects.get(username="admin")
    emps = {
        e[0]: e
        for e in Employee.objects.filter(status__in=ACTIVE_STATUSES)
        .order_by("id")
        .values_list("id", "position_id", "unit_id", "user_id", "nip", "name", "unit__opd_id", "unit__name")
    }
    chains = chains_for(list(emps), on=today)
    penilai_of = {e: c.penilai_id for e, c in chains.items() if c.penilai_id in emps or c.penilai_id is None}
    staff_of: dict[int, list[int]] = defaultdict(list)
    for e, p in penilai_of.items():
        if p is not None:
            staff_of[p].append(e)
    users = penilai_logins(emps, staff_of)
    user_of = {e: users.get(e) or (row[3] or None) for e, row in emps.items()}

    def rater_user(emp_id: int) -> int:
        p = penilai_of.get(emp_id)
        return (user_of.get(p) if p is not None else None) or admin.pk

    # planted raters: among the supervisors with the most staff, alternately lenient and severe
    big = sorted((p for p in staff_of if len(staff_of[p]) >= 4), key=lambda p: (-len(staff_of[p]), p))
    res.lenient = big[0 : 2 * LENIENT : 2]
    res.severe = big[1 : 2 * SEVERE : 2]
    bias = {p: rng.gauss(0, 0.15) for p in staff_of} | dict.fromkeys(res.lenient, 1.3) | dict.fromkeys(res.severe, -1.3)

    # ---- SKPs, cascading level by level from the top (no penilai: the OPD heads) ----
    depth: dict[int, int] = {}

    def depth_of(e: int) -> int:
        seen = 0
        chain: list[int] = []
        cur: int | None = e
        while cur is not None and cur not in depth and seen < 64:
            chain.append(cur)  # fmt: skip
            cur = penilai_of.get(cur)
            seen += 1
        d = depth.get(cur, -1) if cur is not None else -1
        for c in reversed(chain):
            d += 1
            depth[c] = d
        return depth[e]

    members = [e for e in emps if e in penilai_of]
    for e in members:
        depth_of(e)
    agreed_on = _at(dt.date(year, 1, 20))
    skps = _bulk(Skp, [
        Skp(employee_id=e, year=year, version=1, state=SkpState.AGREED, position_id=emps[e][1], unit_id=emps[e][2],
            penilai_id=penilai_of[e], atasan_penilai_id=chains[e].atasan_penilai_id
            if chains[e].atasan_penilai_id in emps else None,
            created_by_id=user_of.get(e) or rater_user(e), submitted_at=agreed_on - dt.timedelta(days=5),
            agreed_at=agreed_on, agreed_by_id=rater_user(e))
        for e in members
    ])  # fmt: skip
    skp_of = {s.employee_id: s for s in skps}
    res.skps = len(skps)
    results_of: dict[int, list[SkpResult]] = {}
    for level in range(max(depth.values(), default=-1) + 1):
        batch: list[tuple[int, SkpResult]] = []
        for e in members:
            if depth[e] != level:
                continue
            unit_name = emps[e][7]
            n = rng.choice((2, 2, 3))
            p = penilai_of[e]
            for k in range(n):
                if p is None:
                    r = SkpResult(skp=skp_of[e], kind=ResultKind.UTAMA, order=k,
                                  text=HEAD_RESULTS[k % len(HEAD_RESULTS)].format(unit=unit_name)[:500],
                                  pk_reference=PK_TARGETS[k % len(PK_TARGETS)].format(unit=unit_name)[:500],
                                  )  # fmt: skip
                else:
                    sup = rng.choice([x for x in results_of[p] if x.kind == ResultKind.UTAMA])
                    kind = ResultKind.TAMBAHAN if k == 2 and rng.random() < 0.3 else ResultKind.UTAMA
                    r = SkpResult(skp=skp_of[e], kind=kind, order=k, supports=sup,
                                  text=rng.choice(RESULTS))  # fmt: skip
                batch.append((e, r))
        _bulk(SkpResult, [r for _e, r in batch])
        for e, r in batch:
            results_of.setdefault(e, []).append(r)
        res.results += len(batch)
    indicators: list[tuple[int, SkpIndicator]] = []
    for e in members:
        for r in results_of[e]:
            for k in range(rng.choice((1, 1, 2))):
                text, aspect, target, label = INDICATORS[rng.randrange(len(INDICATORS))]
                indicators.append((e, SkpIndicator(result=r, text=text, aspect=aspect, target=target,
                                                   unit_label=label, order=k)))  # fmt: skip
    _bulk(SkpIndicator, [i for _e, i in indicators])
    res.indicators = len(indicators)
    now = timezone.now()
    _insert("performance_skpbehaviour", ("skp_id", "value", "expectation"), [
        (skp_of[e].pk, v, "Menanggapi permintaan layanan paling lambat 1 hari kerja"
         if v == BerAkhlak.BERORIENTASI_PELAYANAN else "")
        for e in members for v in BerAkhlak.values
    ])  # fmt: skip

    # ---- true performance, realisations, periodic evaluations (plain INSERTs: tens of thousands of rows) ----
    talent = {e: rng.gauss(0, 1) for e in members}
    real = []
    entered = _dt(now)
    for e, ind in indicators:
        who = user_of.get(e) or rater_user(e)
        monthly = ind.target / 12 if ind.aspect == "kuantitas" and ind.unit_label != "%" else ind.target
        for start, _end in periods:
            share = max(0.3, min(1.3, 0.95 + 0.12 * talent[e] + rng.gauss(0, 0.08)))
            real.append((ind.pk, start.isoformat(), round(monthly * Decimal(round(share, 3)), 2), "", who, entered))
    _insert("performance_realisation", ("indicator_id", "period", "value", "note", "entered_by_id", "entered_at"), real)
    res.realisations = len(real)
    caps: dict[tuple[str, dt.date], Capaian] = {}
    evals = []
    for e in members:
        b = bias.get(penilai_of[e] or -1, 0.0)
        for start, end in periods:
            s = talent[e] + b + rng.gauss(0, 0.5)
            hasil = "di_atas" if s > 1.1 else "di_bawah" if s < -1.5 else "sesuai"
            q = s + rng.gauss(0, 0.5)
            perilaku = "di_atas" if q > 1.6 else "di_bawah" if q < -2.4 else "sesuai"
            predikat = predikat_of(hasil, perilaku)
            cap = caps.get((predikat, start)) or caps.setdefault((predikat, start), capaian_of(predikat, start))
            done = _dt(_at(min(end + dt.timedelta(days=3), today)))
            evals.append((e, skp_of[e].pk, "periodic", start.isoformat(), end.isoformat(),
                          "final", hasil, perilaku, predikat, cap.bp, cap.source, "",
                          rater_user(e), done, done))  # fmt: skip
    _insert("performance_evaluation", ("employee_id", "skp_id", "kind", "period_start", "period_end", "state", "hasil",
                                       "perilaku", "predikat", "capaian_bp", "capaian_source", "note", "rated_by_id",
                                       "rated_at", "finalised_at"), evals)  # fmt: skip
    res.evaluations = len(evals)
    changes = [
        audit.Change("skp.agreed", obj=s, reason=REASON,
                     changes={"year": year, "results": len(results_of[s.employee_id]), "penilai": s.penilai_id})
        for s in skps
    ]  # fmt: skip
    by_emp: dict[int, list[tuple[int, dt.date, str]]] = defaultdict(list)  # employee → (id, period, predikat)
    for ev_id, e, start, predikat in (
        Evaluation.objects.filter(skp__year=year, kind=EvaluationKind.PERIODIC)
        .order_by("employee_id", "period_start")
        .values_list("id", "employee_id", "period_start", "predikat")
    ):
        by_emp[e].append((ev_id, start, predikat))
    changes += [  # one event per employee listing the evaluations finalised (as the build does for schooling)
        audit.Change("evaluation.finalised", object_type="people.employee", object_id=str(e),
                     object_repr=f"{emps[e][5]} ({emps[e][4]})", reason=REASON,
                     changes={"evaluasi": [[ev_id, start.isoformat(), p] for ev_id, start, p in rows]})
        for e, rows in by_emp.items()
    ]  # fmt: skip
    _record(changes)

    _ratings(rng, year, emps, members, penilai_of, user_of, talent, res)
    calibration_compute_all(actor=admin, year=year)
    _appeals(rng, today, emps, skp_of, by_emp, penilai_of, user_of, admin, res)
    _feedback(rng, emps, members, penilai_of, user_of, periods, res)
    _logins(emps, res)
    return res


def penilai_logins(emps: dict[int, tuple], staff_of: dict[int, list[int]]) -> dict[int, int]:
    """A login (username = NIP) for every pejabat penilai who has none, linked to the employee."""
    need = [p for p in sorted(staff_of) if not emps[p][3]]
    password = _demo_password()
    _bulk(User, [User(username=emps[p][4], password=password, first_name=emps[p][5][:150]) for p in need])
    by_name = {u.username: u for u in User.objects.filter(username__in=[emps[p][4] for p in need])}
    links = [Employee(pk=p, user=by_name[emps[p][4]]) for p in need]
    Employee.objects.bulk_update(links, ["user"], batch_size=BATCH)
    _record(
        [audit.Change("user.created", obj=u, reason=REASON, changes={"username": [None, u.username]})
         for u in by_name.values()]
        + [audit.Change("employee.user_linked", object_type="people.employee", object_id=str(p),
                        object_repr=f"{emps[p][5]} ({emps[p][4]})", reason=REASON,
                        changes={"user": [None, by_name[emps[p][4]].pk]}) for p in need]
    )  # fmt: skip
    return {p: by_name[emps[p][4]].pk for p in need}


def _ratings(rng: random.Random, year: int, emps: dict[int, tuple], members: list[int], penilai_of: dict,
             user_of: dict, talent: dict[int, float], res: PerformanceSeed) -> None:  # fmt: skip
    """Numeric ratings for the year: the supervisor and two of the pool's three assessors per employee; a pool is an
    OPD, and assessors rotate so every pool's raters share ratees (a connected pool)."""
    start = dt.date(year, 1, 1)
    password = _demo_password()
    assessors = _bulk(User, [User(username=f"penilai{i + 1:02d}", password=password,
                                  first_name=f"Penilai independen {i + 1}") for i in range(ASSESSORS)])  # fmt: skip
    assessors = list(User.objects.filter(username__in=[u.username for u in assessors]).order_by("username"))
    grants = _bulk(RoleGrant, [RoleGrant(user=u, role=Role.ASSESSOR) for u in assessors])
    effect = {u.pk: rng.gauss(0, 2.5) for u in assessors}
    lenient, severe = set(res.lenient), set(res.severe)
    opds: dict[int, list[int]] = defaultdict(list)
    for e in members:
        opds[emps[e][6] or emps[e][2]].append(e)
    pool_of = pools_of(members, start)  # the city's comparison pools (OPD × job level), as the app forms them
    codes = list(criteria(start))
    ratings: list[tuple[Any, ...]] = []
    assignments: list[tuple[Any, ...]] = []
    created = _dt(timezone.now())
    purpose = f"Penilaian kinerja 360° tahun {year}"
    for k, opd in enumerate(sorted(opds, key=lambda o: (-len(opds[o]), o))):
        trio = [assessors[(3 * k + j) % ASSESSORS] for j in range(3)]
        for i, e in enumerate(opds[opd]):
            truth = 75 + 8 * talent[e]
            raters: list[tuple[int, Any, float]] = [(a.pk, RaterRole.ASSESSOR, effect[a.pk])
                                                    for a in (trio[i % 3], trio[(i + 1) % 3])]  # fmt: skip
            p = penilai_of.get(e)
            if p is not None and user_of.get(p):
                raters.append((user_of[p], RaterRole.SUPERVISOR, 10.0 if p in lenient else -10.0 if p in severe
                               else rng.gauss(0, 1.5)))  # fmt: skip
            for uid, role, eff in raters:
                per = {c: round(max(0.0, min(100.0, truth + eff + rng.gauss(0, 4))), 1) for c in codes}
                total = sum((Decimal(str(v)) for v in per.values()), Decimal(0))
                value = (total / len(per)).quantize(Decimal("0.01"), ROUND_HALF_UP)
                ratings.append((start.isoformat(), pool_of[e], e, uid, f"u{uid}", str(role), json.dumps(per), value,
                                "", created, False))  # fmt: skip
                if role == RaterRole.ASSESSOR:
                    assignments.append((uid, e, purpose, start.isoformat(), dt.date(year, 12, 31).isoformat()))
    _insert("performance_rating", ("period_start", "pool", "ratee_id", "rater_id", "rater_key", "rater_role",
                                   "scores", "value", "comment", "created_at", "locked"), ratings)  # fmt: skip
    _insert("accounts_assessorassignment", ("assessor_id", "employee_id", "purpose", "valid_from", "valid_until"),
            assignments)  # fmt: skip
    res.ratings, res.pools = len(ratings), len(set(pool_of.values()))
    assigned: dict[int, list[int]] = defaultdict(list)
    for a_id, emp_id in AssessorAssignment.objects.filter(assessor__in=assessors, purpose=purpose).values_list(
        "assessor_id", "employee_id"
    ):
        assigned[a_id].append(emp_id)
    _record(
        [audit.Change("user.created", obj=u, reason=REASON, changes={"username": [None, u.username]})
         for u in assessors]
        + [audit.Change("role_grant.created", obj=g, reason=REASON,
                        changes={"user": [None, g.user_id], "role": [None, g.role], "unit": [None, None]})
           for g in grants]
        + [audit.Change("assessor_assignment.created", obj=u, reason=REASON,  # one per assessor, listing them
                        changes={"assessor": [None, u.pk], "employees": [None, sorted(assigned[u.pk])],
                                 "purpose": [None, purpose]}) for u in assessors]
    )  # fmt: skip


def _appeals(rng: random.Random, today: dt.date, emps: dict[int, tuple], skp_of: dict[int, Skp],
             by_emp: dict[int, list[tuple[int, dt.date, str]]], penilai_of: dict, user_of: dict, admin: User,
             res: PerformanceSeed) -> None:  # fmt: skip
    """Two appeals in each state, on recent evaluations, preferably of employees whose atasan pejabat penilai is an
    employee (else BKPSDM decides on the head of region's behalf); the demo's 'pegawai' login files one."""
    candidates = [e for e, s in skp_of.items() if s.penilai_id is not None and len(by_emp.get(e, [])) >= 3]
    candidates.sort(key=lambda e: skp_of[e].atasan_penilai_id is None)  # an atasan who is an employee first
    pegawai = Employee.objects.filter(user__username="pegawai").values_list("id", flat=True).first()
    others = [e for e in candidates[: max(40, len(candidates) // 2)] if e != pegawai]
    chosen = ([pegawai] if pegawai in candidates else []) + rng.sample(others, min(10, len(others)))
    states = [AppealState.FILED, AppealState.FILED, AppealState.EXAMINING, AppealState.EXAMINING,
              AppealState.UPHELD, AppealState.UPHELD, AppealState.CHANGED, AppealState.CHANGED,
              AppealState.WITHDRAWN, AppealState.WITHDRAWN]  # fmt: skip
    changes = []
    for e, state in zip(chosen, states, strict=False):
        evs = by_emp[e]  # by period
        open_ = state in (AppealState.FILED, AppealState.EXAMINING)
        ev = Evaluation.objects.select_related("skp").get(
            pk=(evs[-1] if state == AppealState.FILED else evs[-2] if open_ else evs[-3])[0]
        )
        filed = min(today, ev.period_end + dt.timedelta(days=6))
        atasan = skp_of[e].atasan_penilai_id
        decider = user_of.get(atasan) or admin.pk
        ap = Appeal(evaluation=ev, employee_id=e, atasan_id=atasan, state=state, decide_by=filed + dt.timedelta(14),
                    reasons="Saya keberatan: realisasi saya sudah memenuhi target, bukti dukung sudah saya unggah, "
                    "tetapi hasil kerja dinilai di bawah ekspektasi.")  # fmt: skip
        if state != AppealState.FILED:
            ap.penilai_statement = "Sebagian bukti dukung terlambat diunggah dan belum diverifikasi."
            ap.employee_statement = "Bukti dukung sudah lengkap sejak tanggal 3."
        if state in (AppealState.UPHELD, AppealState.CHANGED):
            ap.decided_at, ap.decided_by_id = _at(filed + dt.timedelta(days=9)), decider
            ap.decision_reason = (
                "Bukti dukung mendukung realisasi; hasil kerja diubah." if state == AppealState.CHANGED
                else "Penilaian pejabat penilai sesuai bukti; penilaian tetap."
            )  # fmt: skip
        if state == AppealState.CHANGED:
            hasil = "di_atas" if ev.hasil != "di_atas" else "sesuai"
            perilaku = ev.perilaku if ev.perilaku != "di_bawah" else "sesuai"
            predikat = predikat_of(hasil, perilaku)
            cap = capaian_of(predikat, ev.period_start)
            ap.new_hasil, ap.new_perilaku = hasil, perilaku
            ap.correction = Evaluation.objects.create(
                employee_id=e,
                skp=ev.skp,
                kind=ev.kind,
                period_start=ev.period_start,
                period_end=ev.period_end,
                state=EvaluationState.FINAL,
                hasil=hasil,
                perilaku=perilaku,
                predikat=predikat,
                capaian_bp=cap.bp,
                capaian_source=cap.source,
                rated_by_id=decider,
                finalised_at=ap.decided_at,
                corrects=ev,
                note="Keputusan atas keberatan",
            )
        ap.save()
        Appeal.objects.filter(pk=ap.pk).update(filed_at=_at(filed, 10))
        changes.append(audit.Change("appeal.filed", obj=ap, reason=REASON,
                                    changes={"evaluation": ev.pk, "state": [None, state]}))  # fmt: skip
        res.appeals += 1
    _record(changes)


def _feedback(rng: random.Random, emps: dict[int, tuple], members: list[int], penilai_of: dict, user_of: dict,
              periods: list[tuple[dt.date, dt.date]], res: PerformanceSeed) -> None:  # fmt: skip
    staff = [e for e in members if penilai_of.get(e) is not None and user_of.get(penilai_of[e])]
    pegawai = Employee.objects.filter(user__username="pegawai").values_list("id", flat=True).first()
    chosen = ([pegawai, pegawai] if pegawai in staff else []) + rng.sample(staff, min(30, len(staff)))
    rows = [
        Feedback(employee_id=e, period=periods[-1 - (i % min(3, len(periods)))][0], author_id=user_of[penilai_of[e]],
                 text=FEEDBACK[i % len(FEEDBACK)])
        for i, e in enumerate(chosen)
    ] if periods else []  # fmt: skip
    _bulk(Feedback, rows)
    res.feedback = len(rows)
    _record([audit.Change("feedback.added", obj=f, reason=REASON, changes={"employee": f.employee_id})
             for f in rows])  # fmt: skip


def _logins(emps: dict[int, tuple], res: PerformanceSeed) -> None:
    """Logins to try the performance flows (printed by `pamong demo`): a lenient and a severe supervisor, an
    assessor."""
    by_emp = dict(Employee.objects.filter(pk__in=res.lenient[:1] + res.severe[:1]).values_list("id", "user__username"))
    for ids, label in ((res.lenient, "Atasan yang longgar menilai"), (res.severe, "Atasan yang ketat menilai")):
        if ids:
            res.logins.append((by_emp[ids[0]], label, emps[ids[0]][5], "dirinya dan bawahannya; menilai bawahan"))
    res.logins.append(("penilai01", "Penilai independen (kalibrasi)", "-", "pegawai yang ditugaskan kepadanya"))
