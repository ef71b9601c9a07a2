"""Reads for ratings and calibration, with visibility built in.

The calibration panel is admin BKPSDM (computes, overrides, closes) with the assessors: an assessor sees the
sessions of the pools where they rated in that period. The inspectorate reads every session. Nobody else sees a
session (404). Each employee sees their own scores (`my_scores`): per rating source the raw mean, the rater
adjustment and the adjusted mean — without naming any rater, and hiding a source's breakdown when fewer than
MIN_RATERS raters gave it (anchors B.2.9) — and the fair score they end with, with any override and its reason."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from pamong.accounts.access import access_for
from pamong.accounts.models import Role, User
from pamong.core.errors import NotVisible
from pamong.org.models import Unit
from pamong.people.models import Employee

from .calibration_sessions import _fingerprint, _rows, engine_fair
from .models import CalibrationOverride, CalibrationSession, CalibrationState, RaterRole, Rating
from .ratings import pool_label

MIN_RATERS = 3  # a source's breakdown is shown from this many raters (B.2.9)
SOURCE_ORDER = (RaterRole.SUPERVISOR, RaterRole.ASSESSOR, RaterRole.PEER, RaterRole.CITIZEN)


def administers(user: Any) -> bool:
    return access_for(user).has(Role.ADMIN_BKPSDM)


def sees_panel(user: Any) -> bool:
    a = access_for(user)
    return a.has(Role.ADMIN_BKPSDM) or a.has(Role.INSPECTORATE) or a.has(Role.ASSESSOR)


def _rated_pools(user: Any) -> QuerySet[Rating]:
    return Rating.objects.filter(rater_id=user.pk, rater_role=RaterRole.ASSESSOR)


def sessions_visible_to(user: Any) -> QuerySet[CalibrationSession]:
    a = access_for(user)
    if a.has(Role.ADMIN_BKPSDM) or a.has(Role.INSPECTORATE):
        return CalibrationSession.objects.all()
    if a.has(Role.ASSESSOR):
        pairs = set(_rated_pools(user).values_list("period_start", "pool"))
        rows = CalibrationSession.objects.values_list("pk", "period_start", "pool")
        ids = [pk for pk, p, pool in rows if (p, pool) in pairs]
        return CalibrationSession.objects.filter(pk__in=ids)
    return CalibrationSession.objects.none()


def session_get(user: Any, session_id: int) -> CalibrationSession:
    s = sessions_visible_to(user).filter(pk=session_id).first()
    if s is None:
        raise NotVisible(gettext("Sidang kalibrasi tidak ditemukan."))
    return s


def periods(user: Any) -> list[dt.date]:
    if not sees_panel(user):
        return []
    qs = Rating.objects.all() if not _assessor_only(user) else _rated_pools(user)
    return sorted(set(qs.values_list("period_start", flat=True)), reverse=True)


def _assessor_only(user: Any) -> bool:
    a = access_for(user)
    return not (a.has(Role.ADMIN_BKPSDM) or a.has(Role.INSPECTORATE))


@dataclass
class PoolRow:
    pool: str
    label: str
    ratings: int
    ratees: int
    raters: int
    session: CalibrationSession | None
    stale: bool  # ratings given since the last computation

    @property
    def state_label(self) -> str:
        if self.session is None:
            return gettext("Belum dikalibrasi")
        if self.session.state == CalibrationState.CLOSED:
            return gettext("Selesai — penilaian dikunci")
        return gettext("Berjalan — perlu dihitung ulang") if self.stale else gettext("Berjalan")


def pools_for_period(user: Any, period_start: dt.date) -> list[PoolRow]:
    """The pools with ratings in the period (for an assessor: those where they rated), with their session."""
    if not sees_panel(user):
        return []
    qs = Rating.objects.filter(period_start=period_start)
    if _assessor_only(user):
        qs = qs.filter(pool__in=_rated_pools(user).filter(period_start=period_start).values("pool"))
    stats = (
        qs.values("pool")
        .annotate(
            n=Count("id"),
            ratees=Count("ratee", distinct=True),
            raters=Count("rater_key", distinct=True),
            last=Max("created_at"),
        )
        .order_by("pool")
    )
    sessions = {s.pool: s for s in CalibrationSession.objects.filter(period_start=period_start)}
    rows = []
    for st in stats:
        s = sessions.get(st["pool"])
        stale = s is not None and s.state == CalibrationState.OPEN and _stale(s)
        rows.append(PoolRow(st["pool"], pool_label(st["pool"]), st["n"], st["ratees"], st["raters"], s, stale))
    return rows


def _stale(s: CalibrationSession) -> bool:
    """Ratings were given, changed or removed since the session was last computed."""
    rows = _rows(s.period_start, s.pool)
    return _fingerprint([(r[0], r[1], r[2]) for r in rows]) != (s.result or {}).get("sidik")


def rater_labels(keys: list[str]) -> dict[str, str]:
    """rater_key → a name for the panel: the employee's name (or the login), or "Masyarakat — <unit>"."""
    user_ids = [int(k[1:]) for k in keys if k.startswith("u") and k[1:].isdigit()]
    users = {u.pk: u for u in User.objects.filter(pk__in=user_ids).select_related("employee")}
    unit_codes = [k.split(":", 1)[1] for k in keys if k.startswith("warga:")]
    units = dict(Unit.objects.filter(code__in=unit_codes).values_list("code", "name"))
    out = {}
    for k in keys:
        if k.startswith("warga:"):
            code = k.split(":", 1)[1]
            out[k] = gettext("Masyarakat — %(u)s") % {"u": units.get(code, code)}
        elif k.startswith("u") and k[1:].isdigit() and int(k[1:]) in users:
            u = users[int(k[1:])]
            emp = getattr(u, "employee", None)
            out[k] = emp.name if emp is not None else (u.get_full_name() or u.get_username())
        else:
            out[k] = k
    return out


def _rank(values: dict[str, float]) -> dict[str, int]:
    """Competition ranking, highest first (ties share a rank)."""
    ordered = sorted(values.values(), reverse=True)
    return {k: 1 + sum(1 for x in ordered if x > v + 1e-9) for k, v in values.items()}


def session_panel(s: CalibrationSession) -> dict[str, Any]:
    """What the calibration screen and the API show of a session (its stored result, with names)."""
    r = s.result or {}
    roles: dict[str, str] = r.get("peran", {})
    labels = rater_labels(list(roles))
    role_label = dict(RaterRole.choices)
    ratee_ids = [int(k) for k in r.get("mentah", {})]
    names = dict(Employee.objects.filter(pk__in=ratee_ids).values_list("id", "name"))
    nips = dict(Employee.objects.filter(pk__in=ratee_ids).values_list("id", "nip"))
    overrides = list(
        CalibrationOverride.objects.filter(session=s).select_related("actor", "ratee").order_by("-at", "-id")
    )
    latest: dict[int, CalibrationOverride] = {}
    for o in overrides:
        latest.setdefault(o.ratee_id, o)
    raters = [
        {
            "key": key,
            "name": labels.get(key, key),
            "role": roles.get(key, ""),
            "role_label": str(role_label.get(roles.get(key, ""), "")),
            "efek": v["efek"],
            "n": v["n"],
            "galat_baku": v["galat_baku"],
            "efek_disusutkan": v["efek_disusutkan"],
        }
        for key, v in r.get("penilai", {}).items()
    ]
    raters.sort(key=lambda x: (x["efek"], x["name"]))
    flags = [
        {
            **f,
            "rater_name": labels.get(f["penilai"], f["penilai"]),
            "ratee_name": names.get(int(f["dinilai"]), f["dinilai"]),
        }
        for f in r.get("tanda", [])
    ]
    raw = {k: float(v) for k, v in r.get("mentah", {}).items()}
    engine = {k: engine_fair(r, int(k)) for k in raw}
    final = {k: float(latest[int(k)].new_value) if int(k) in latest else engine[k] for k in raw}
    raw_rank, fair_rank = _rank(raw), _rank({k: v for k, v in final.items() if v is not None})
    ranking = [
        {
            "ratee_id": int(k),
            "name": names.get(int(k), k),
            "nip": nips.get(int(k), ""),
            "n": (r.get("dinilai", {}).get(k) or {}).get("n"),
            "mentah": raw[k],
            "adil": engine[k] if r.get("terhubung") else None,
            "akhir": final[k],
            "override": latest.get(int(k)),
            "peringkat_mentah": raw_rank[k],
            "peringkat_adil": fair_rank.get(k),
            "perubahan": raw_rank[k] - fair_rank[k] if k in fair_rank else 0,
        }
        for k in raw
    ]
    ranking.sort(key=lambda x: (x["peringkat_adil"] or 0, x["name"]))
    parts = [
        {
            "penilai": [labels.get(k, k) for k in p["penilai"]],
            "dinilai": [names.get(int(k), k) for k in p["dinilai"]],
        }
        for p in r.get("bagian", [])
    ]
    return {
        "session": s,
        "pool_label": pool_label(s.pool),
        "computed": s.computed_at is not None,
        "terhubung": bool(r.get("terhubung")),
        "komponen": r.get("komponen"),
        "keterangan": r.get("keterangan", ""),
        "bagian": parts,
        "raters": raters,
        "flags": flags,
        "ranking": ranking,
        "reliabilitas": r.get("reliabilitas") or {},
        "df_residu": r.get("df_residu"),
        "sd_residu": r.get("sd_residu"),
        "jumlah_penilaian": r.get("jumlah_penilaian", 0),
        "overrides": overrides,
        "chart": {
            "labels": [x["name"] for x in raters],
            "values": [round(x["efek"], 2) for x in raters],
            "low": [None if x["galat_baku"] is None else round(x["efek"] - 1.96 * x["galat_baku"], 2) for x in raters],
            "high": [None if x["galat_baku"] is None else round(x["efek"] + 1.96 * x["galat_baku"], 2) for x in raters],
        },
    }


# ---- the employee's own view ---------------------------------------------------------------------------------


@dataclass
class SourceScore:
    role: str
    label: str
    raters: int
    shown: bool  # False: fewer than MIN_RATERS raters, the breakdown is hidden
    mentah: float | None = None  # the plain mean of this source's ratings
    penyesuaian: float | None = None  # minus the mean of its raters' effects (None: not calibrated)
    disesuaikan: float | None = None


@dataclass
class MyScores:
    period_start: dt.date
    pool_label: str
    raters: int
    mentah: float  # the plain mean of every rating
    state: str  # none | open | closed
    state_label: str
    adil: float | None = None  # the engine's fair score (closed sessions of a connected pool)
    akhir: float | None = None  # the fair score the employee ends with (override, else adil; raw if unadjusted)
    penyesuaian: float | None = None  # akhir (before override) - mentah: the rater adjustment
    terhubung: bool | None = None
    override_value: float | None = None
    override_reason: str = ""
    sources: list[SourceScore] = field(default_factory=list)


def my_scores(user: Any, year: int) -> list[MyScores]:
    """The user's own ratings of the year, per period: per source and overall. Fair scores appear once the pool's
    session is closed (before that the panel may still change them)."""
    a = access_for(user)
    if a.employee_id is None:
        return []
    ratings = list(
        Rating.objects.filter(ratee_id=a.employee_id, period_start__year=year).values_list(
            "period_start", "pool", "rater_key", "rater_role", "value"
        )
    )
    by_period: dict[tuple[dt.date, str], list[tuple[str, str, float]]] = defaultdict(list)
    for period, pool, key, role, value in ratings:
        by_period[(period, pool)].append((key, role, float(value)))
    sessions = {
        (s.period_start, s.pool): s
        for s in CalibrationSession.objects.filter(period_start__year=year, pool__in={p for _, p in by_period})
    }
    role_label = dict(RaterRole.choices)
    out = []
    for (period, pool), rows in sorted(by_period.items()):
        s = sessions.get((period, pool))
        closed = s is not None and s.state == CalibrationState.CLOSED
        result = s.result if closed and s is not None else {}
        effects = {k: v["efek"] for k, v in result.get("penilai", {}).items()} if result.get("terhubung") else {}
        item = MyScores(
            period_start=period,
            pool_label=pool_label(pool),
            raters=len(rows),
            mentah=round(sum(v for _, _, v in rows) / len(rows), 2),
            state="closed" if closed else ("open" if s is not None else "none"),
            state_label=(
                gettext("Sudah dikalibrasi")
                if closed
                else gettext("Sedang dikalibrasi")
                if s is not None
                else gettext("Belum dikalibrasi")
            ),
        )
        if closed and s is not None:
            item.terhubung = bool(result.get("terhubung"))
            fair = engine_fair(result, a.employee_id)
            item.adil = round(fair, 2) if fair is not None and item.terhubung else None
            base = fair if fair is not None else item.mentah
            item.penyesuaian = round(base - item.mentah, 2)
            o = CalibrationOverride.objects.filter(session=s, ratee_id=a.employee_id).order_by("-at", "-id").first()
            if o is not None:
                item.override_value, item.override_reason = round(float(o.new_value), 2), o.reason
            item.akhir = round(item.override_value if o is not None else base, 2)  # type: ignore[arg-type]
        by_role: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for key, role, value in rows:
            by_role[role].append((key, value))
        for role in [str(r) for r in SOURCE_ORDER]:
            if role not in by_role:
                continue
            values = by_role[role]
            src = SourceScore(role, str(role_label[role]), len(values), len(values) >= MIN_RATERS)
            if src.shown:
                src.mentah = round(sum(v for _, v in values) / len(values), 2)
                if effects and all(k in effects for k, _ in values):
                    adj = -sum(effects[k] for k, _ in values) / len(values)
                    src.penyesuaian = round(adj, 2)
                    src.disesuaikan = round(src.mentah + adj, 2)
            item.sources.append(src)
        out.append(item)
    return out


@dataclass(frozen=True)
class Rateable:
    employee: Employee
    role: str  # the rater role this user takes for them (ratings.roles_for's first)
    rating: Rating | None  # the user's rating of them for the period, if given


def rateable_by(user: Any, period_start: dt.date) -> list[Rateable]:
    """The employees this user may give a numeric rating for the period: the staff they rate as pejabat penilai
    (agreed SKP of the year), and those assigned to them as assessor or peer — with their own rating, if any.
    Bounded: three queries whatever the numbers."""
    from pamong.accounts.models import AssessorAssignment

    from .models import Skp
    from .ratings import PEER_PURPOSE, _is_running

    a = access_for(user)
    if not a.authenticated:
        return []
    roles: dict[int, str] = {}
    if a.employee_id is not None:
        for emp_id in Skp.objects.filter(year=period_start.year, state="agreed", penilai_id=a.employee_id).values_list(
            "employee_id", flat=True
        ):
            roles[emp_id] = str(RaterRole.SUPERVISOR)
    today = timezone.localdate()
    for emp_id, purpose in AssessorAssignment.objects.filter(_is_running(today), assessor_id=a.user_id).values_list(
        "employee_id", "purpose"
    ):
        peer = purpose.startswith(PEER_PURPOSE)
        if emp_id != a.employee_id and (peer or a.has(Role.ASSESSOR)):
            roles.setdefault(emp_id, str(RaterRole.PEER if peer else RaterRole.ASSESSOR))
    employees = Employee.objects.filter(pk__in=list(roles)).select_related("unit", "position").order_by("name")
    mine = Rating.objects.filter(period_start=period_start, rater=user, ratee_id__in=list(roles))
    given = {r.ratee_id: r for r in mine}
    return [Rateable(e, roles[e.pk], given.get(e.pk)) for e in employees]
