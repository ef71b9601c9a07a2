"""Calibration sessions: the panel's work on one comparison pool and period.

Admin BKPSDM computes a pool (the session opens with its first computation): the pool's stored ratings go through
engine.calibration — the same code as `pamong performance calibrate` — and the contract's output for the pool is
stored with the shrunk rater effects, the rater roles and a fingerprint of the ratings used. A pool whose rater-ratee
graph is not connected is not adjusted (spec rule 2): the result says so and lists its components. The panel may
override an employee's fair score with a required reason (append-only, audited with old and new). Closing the
session locks the pool's ratings. The fair score an employee ends with is the latest override, else the engine's
`adil` (for a pool that is not connected: the raw mean, unadjusted)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from pamong.accounts.access import access_for
from pamong.accounts.models import Role
from pamong.audit import services as audit
from pamong.core.errors import Conflict, Forbidden, NotVisible, TransitionRefused, ValidationFailed

from .engine.calibration import calibrate_pool, pool_output
from .inputs import clean_text
from .models import CalibrationOverride, CalibrationSession, CalibrationState, Rating

FOUR = Decimal("0.0001")


def _require_admin(actor: Any) -> None:
    if not access_for(actor).has(Role.ADMIN_BKPSDM):
        raise Forbidden(gettext("Hanya admin BKPSDM yang dapat menjalankan sidang kalibrasi."))


def _fingerprint(rows: list[tuple[str, int, Decimal]]) -> str:
    text = "\n".join(f"{k}|{r}|{v}" for k, r, v in sorted(rows))
    return hashlib.sha256(text.encode()).hexdigest()


def _rows(period_start: dt.date, pool: str) -> list[tuple[str, int, Decimal, str]]:
    return list(
        Rating.objects.filter(period_start=period_start, pool=pool)
        .order_by("id")
        .values_list("rater_key", "ratee_id", "value", "rater_role")
    )


def _components(rows: list[tuple[str, int, Decimal, str]]) -> list[dict[str, list[str]]]:
    """The connected parts of the rater-ratee graph: which raters and ratees each holds (for the panel)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for key, ratee, _, _ in rows:
        a, b = f"p:{key}", f"d:{ratee}"
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    parts: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"penilai": [], "dinilai": []})
    for node in sorted(parent):
        side = "penilai" if node.startswith("p:") else "dinilai"
        parts[find(node)][side].append(node[2:])
    return sorted(parts.values(), key=lambda p: (-len(p["dinilai"]), p["dinilai"]))


def compute_result(period_start: dt.date, pool: str) -> dict[str, Any]:
    """The stored result of a pool: the contract's pool object (engine.calibration.pool_output) plus the rater
    roles, the raw means (also for a pool that is not connected), the components of a disconnected pool and the
    ratings' fingerprint."""
    rows = _rows(period_start, pool)
    if not rows:
        raise ValidationFailed(gettext("Belum ada penilaian di kelompok ini untuk periode tersebut."))
    return result_of_rows(pool, rows)


def result_of_rows(pool: str, rows: list[tuple[str, int, Decimal, str]]) -> dict[str, Any]:
    """compute_result on rows already read (rater key, ratee id, value, rater role), in id order: the year-end's
    bulk calibration stores exactly what a session computed on its own stores."""
    result = pool_output(
        calibrate_pool(pool, [r[0] for r in rows], [str(r[1]) for r in rows], [float(r[2]) for r in rows])
    )
    sums: dict[str, list[Decimal]] = defaultdict(list)
    for _, ratee, value, _ in rows:
        sums[str(ratee)].append(value)
    result["peran"] = {key: role for key, _, _, role in rows}
    result["mentah"] = {k: round(float(sum(v) / len(v)), 6) for k, v in sums.items()}
    result["jumlah_penilaian"] = len(rows)
    result["sidik"] = _fingerprint([(r[0], r[1], r[2]) for r in rows])
    if not result["terhubung"]:
        result["bagian"] = _components(rows)
    return result


def _session_for_update(session_id: int) -> CalibrationSession:
    s = CalibrationSession.objects.select_for_update().filter(pk=session_id).first()
    if s is None:
        raise NotVisible(gettext("Sidang kalibrasi tidak ditemukan."))
    return s


def session_compute(*, actor: Any, period_start: dt.date, pool: str) -> CalibrationSession:
    """Open the pool's session if needed and (re)compute it on the ratings stored now."""
    _require_admin(actor)
    pool = clean_text(pool, "pool", max_len=120)
    result = compute_result(period_start, pool)
    with transaction.atomic():
        s = CalibrationSession.objects.select_for_update().filter(period_start=period_start, pool=pool).first()
        created = s is None
        if s is None:
            try:
                with transaction.atomic():
                    s = CalibrationSession.objects.create(period_start=period_start, pool=pool, created_by=actor)
            except IntegrityError:
                msg = gettext("Sidang kalibrasi kelompok ini baru saja dibuka oleh permintaan lain.")
                raise Conflict(msg) from None
        elif s.state == CalibrationState.CLOSED:
            raise TransitionRefused(gettext("Sidang kalibrasi ini sudah ditutup; hasilnya tidak dihitung ulang."))
        old = s.result.get("sidik") if s.result else None
        s.result = result
        s.computed_at = timezone.now()
        s.save(update_fields=["result", "computed_at"])
        if created:
            audit.record(
                actor=actor,
                action="calibration_session.opened",
                obj=s,
                changes={"period_start": [None, period_start.isoformat()], "pool": [None, pool]},
            )
        audit.record(
            actor=actor,
            action="calibration_session.computed",
            obj=s,
            changes={
                "sidik": [old, result["sidik"]],
                "terhubung": [None, result["terhubung"]],
                "jumlah_penilaian": [None, result["jumlah_penilaian"]],
            },
        )
    return s


session_open = session_compute  # a session opens with its first computation


def current_fair(s: CalibrationSession, ratee_id: int) -> float | None:
    """The fair score the employee ends with in this session: the latest override, else the engine's adil (the raw
    mean in a pool that is not connected); None when the session has no result for them."""
    latest = CalibrationOverride.objects.filter(session=s, ratee_id=ratee_id).order_by("-at", "-id").first()
    if latest is not None:
        return float(latest.new_value)
    return engine_fair(s.result, ratee_id)


def engine_fair(result: dict[str, Any], ratee_id: int) -> float | None:
    key = str(ratee_id)
    if result.get("terhubung") and key in result.get("dinilai", {}):
        return float(result["dinilai"][key]["adil"])
    raw = result.get("mentah", {}).get(key)
    return None if raw is None else float(raw)


def override_add(*, actor: Any, session_id: int, ratee_id: int, new_value: Any, reason: str) -> CalibrationOverride:
    _require_admin(actor)
    reason = clean_text(reason, "reason", max_len=1000, multiline=True)
    try:
        value = Decimal(str(new_value).strip().replace(",", "."))
    except InvalidOperation:
        value = Decimal("NaN")
    if isinstance(new_value, bool) or not value.is_finite() or not 0 <= value <= 100:
        raise ValidationFailed(gettext("Nilai baru harus angka 0 sampai 100."), details={"field": "new_value"})
    value = value.quantize(FOUR)
    with transaction.atomic():
        s = _session_for_update(session_id)
        if s.state == CalibrationState.CLOSED:
            raise TransitionRefused(gettext("Sidang kalibrasi ini sudah ditutup; nilai tidak dapat diubah lagi."))
        if s.computed_at is None:
            raise TransitionRefused(gettext("Hitung kelompok ini dulu sebelum mengubah nilai."))
        old = current_fair(s, ratee_id)
        if old is None:
            raise ValidationFailed(gettext("Pegawai ini tidak dinilai di kelompok ini."), details={"field": "ratee_id"})
        o = CalibrationOverride.objects.create(
            session=s,
            ratee_id=ratee_id,
            old_value=Decimal(str(round(old, 4))),
            new_value=value,
            reason=reason,
            actor=actor,
        )
        audit.record(
            actor=actor,
            action="calibration_override.added",
            obj=o,
            reason=reason,
            changes={"session": [None, s.pk], "ratee": [None, ratee_id], "nilai": [str(o.old_value), str(value)]},
        )
    return o


def session_close(*, actor: Any, session_id: int) -> CalibrationSession:
    """Close the session and lock the pool's ratings; refused when the ratings changed since the last computation."""
    _require_admin(actor)
    with transaction.atomic():
        s = _session_for_update(session_id)
        if s.state == CalibrationState.CLOSED:
            raise TransitionRefused(gettext("Sidang kalibrasi ini sudah ditutup."))
        rows = _rows(s.period_start, s.pool)
        if s.computed_at is None or _fingerprint([(r[0], r[1], r[2]) for r in rows]) != s.result.get("sidik"):
            raise TransitionRefused(
                gettext("Penilaian di kelompok ini berubah sejak terakhir dihitung; hitung ulang dulu, lalu tutup.")
            )
        locked = Rating.objects.filter(period_start=s.period_start, pool=s.pool, locked=False).update(locked=True)
        s.state = CalibrationState.CLOSED
        s.closed_at = timezone.now()
        s.save(update_fields=["state", "closed_at"])
        audit.record(
            actor=actor,
            action="calibration_session.closed",
            obj=s,
            changes={"state": [CalibrationState.OPEN, CalibrationState.CLOSED], "ratings_locked": [0, locked]},
        )
    return s


def result_json(result: dict[str, Any]) -> str:
    return json.dumps(result, sort_keys=True)
