"""Each employee's month from the database: punches + schedules (schedules.py) + holidays + approved absences →
the engine (engine/recap.py, the same code as `pamong attendance recap`) → MonthRecap rows, in chunks.

The TL/PSW bands are the payroll's own table (tpp/disiplin.yaml `batas_bawah_menit`: lower bounds, each band up to
the next one's bound, the last open), so the counts attendance writes are exactly the bands the TPP cuts for.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from pamong.audit import services as audit
from pamong.core.errors import ValidationFailed
from pamong.payroll.facts import any_id
from pamong.people.models import Employee, EmploymentStatus
from pamong.rules.params import params_in_force

from . import calendar
from .absences import approved_absences
from .engine.grid import month_days
from .engine.recap import (
    DAY,
    STATUS_ABSEN,
    STATUS_HADIR,
    STATUS_LIBUR,
    STATUS_TK,
    Bands,
    MonthGrid,
    MonthResult,
    Policy,
    Punches,
    recap,
)
from .locks import refuse_locked
from .models import MonthJob, MonthRecap, Punch
from .schedules import month_grid

CHUNK_SIZE = 10_000
STALE_AFTER = dt.timedelta(minutes=15)  # a running job older than this with chunks left is taken as stalled
MONTH_STATUSES = (EmploymentStatus.AKTIF, EmploymentStatus.CPNS)  # who must attend (tugas belajar does not)
LETTER = {STATUS_HADIR: "H", STATUS_TK: "T", STATUS_ABSEN: "A", STATUS_LIBUR: "-"}
STATUS_NAME = {STATUS_HADIR: "hadir", STATUS_TK: "tk", STATUS_ABSEN: "absen", STATUS_LIBUR: "libur"}


def first_of(period: dt.date | str) -> dt.date:
    """A date or "YYYY-MM" → the first of its month (a ValidationFailed for a malformed text)."""
    if isinstance(period, dt.date):
        return period.replace(day=1)
    try:
        return month_days(period)[0]
    except ValueError as exc:
        raise ValidationFailed(str(exc)) from None


def days_in(period: dt.date) -> int:
    return month_days(f"{period:%Y-%m}")[1]


# --- the policy from the rule pack ----------------------------------------------------------------------------------


def bands_from_bounds(bounds: dict[str, int], prefix: str, field_name: str) -> Bands:
    """{"TL1": 1, "TL2": 31, ...} → contiguous bands of the names starting with `prefix`, each up to the next lower
    bound − 1, the last open."""
    rows = sorted((int(lo), name) for name, lo in bounds.items() if name.startswith(prefix))
    table = [[lo, (rows[i + 1][0] - 1) if i + 1 < len(rows) else None, name] for i, (lo, name) in enumerate(rows)]
    return Bands.parse(table, field_name)


def policy_for(period: dt.date, region: str | None = None) -> Policy:
    found = params_in_force(period, region or settings.PAMONG_REGION)
    if "tpp/disiplin" not in found or "presensi/tanpa_rekam" not in found:
        raise ValidationFailed(
            f"Paket aturan belum memuat pita disiplin (tpp/disiplin) dan presensi/tanpa_rekam untuk {period:%m/%Y}."
        )
    bounds = found["tpp/disiplin"].value["batas_bawah_menit"]
    missing = found["presensi/tanpa_rekam"].value
    try:
        return Policy(
            tl=bands_from_bounds(bounds, "TL", "tpp/disiplin: batas_bawah_menit TL"),
            psw=bands_from_bounds(bounds, "PSW", "tpp/disiplin: batas_bawah_menit PSW"),
            tanpa_masuk=str(missing["tanpa_masuk"]),
            tanpa_pulang=str(missing["tanpa_pulang"]),
        )
    except ValueError as exc:
        raise ValidationFailed(f"Paket aturan presensi tidak valid: {exc}") from None


# --- one chunk through the engine ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChunkResult:
    ids: list[int]
    grid: MonthGrid
    result: MonthResult


def load_punches(ids: Sequence[int], slot0: dt.date, last: dt.date) -> Punches:
    """The punches of these employees from the day before the month to the day after it (a night shift on the
    last day ends then), as engine arrays. One query; the database computes each punch's seconds since slot 0's
    midnight, so no date object is built per punch (600,000 of them per chunk cost seconds)."""
    row_of = {e: i for i, e in enumerate(ids)}
    end = last + dt.timedelta(1)
    table = Punch._meta.db_table
    if connection.vendor == "postgresql":
        sql = (f"SELECT employee_id, (date - %s::date) * 86400 + seconds FROM {table} "
               "WHERE employee_id = ANY(%s::bigint[]) AND date BETWEEN %s AND %s")  # fmt: skip
        params: list[Any] = [slot0, list(ids), slot0, end]
    else:
        sql = (f"SELECT employee_id, CAST(ROUND((julianday(date) - julianday(%s)) * 86400) AS INTEGER) + seconds "
               f"FROM {table} WHERE employee_id IN ({', '.join(['%s'] * len(ids))}) AND date BETWEEN %s AND %s")
        params = [slot0.isoformat(), *ids, slot0.isoformat(), end.isoformat()]
    with connection.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall()
    if not rows:
        return Punches(np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int64))
    pairs = np.array(rows, dtype=np.int64)
    lookup = np.full(max(max(ids), int(pairs[:, 0].max())) + 1, -1, dtype=np.int64)
    lookup[np.fromiter(row_of, dtype=np.int64)] = np.arange(len(row_of))
    return Punches(emp=lookup[pairs[:, 0]].astype(np.int32), ts=pairs[:, 1].copy())


def compute_chunk(ids: Sequence[int], period: dt.date, policy: Policy, region: str | None = None) -> ChunkResult:
    first = first_of(period)
    n_days = days_in(first)
    last = first + dt.timedelta(n_days - 1)
    slot0 = first - dt.timedelta(1)
    ids = list(ids)
    absences = approved_absences(ids, slot0, last)
    grid = month_grid(ids, first, n_days, absences=absences, region=region)
    result = recap(grid, load_punches(ids, slot0, last), policy)
    return ChunkResult(ids, grid, result)


def _recap_rows(chunk: ChunkResult, period: dt.date, now: dt.datetime) -> list[MonthRecap]:
    unit_of = dict(Employee.objects.filter(pk__in=any_id(chunk.ids)).values_list("id", "unit_id"))
    rekap = {k: v.tolist() for k, v in chunk.result.rekap().items()}
    band_names = (*chunk.result.policy.tl.names, *chunk.result.policy.psw.names)
    letters = np.array([LETTER[s] for s in range(4)])[chunk.result.status]
    out = []
    for i, emp_id in enumerate(chunk.ids):
        out.append(
            MonthRecap(
                employee_id=emp_id,
                period=period,
                unit_id=unit_of[emp_id],
                hari_kerja=rekap["hari_kerja"][i],
                hadir=rekap["hadir"][i],
                tidak_hadir_sah=rekap["tidak_hadir_sah"][i],
                tk=rekap["TK"][i],
                bands={b: rekap[b][i] for b in band_names if rekap[b][i]},
                terlambat_menit=rekap["terlambat_menit"][i],
                psw_menit=rekap["psw_menit"][i],
                days="".join(letters[i].tolist()),
                computed_at=now,
            )
        )
    return out


_UPDATE = ("unit", "hari_kerja", "hadir", "tidak_hadir_sah", "tk", "bands", "terlambat_menit", "psw_menit", "days",
           "computed_at")  # fmt: skip


def write_chunk(ids: Sequence[int], period: dt.date, policy: Policy, region: str | None = None) -> int:
    """Compute and upsert one chunk's MonthRecap rows (one INSERT … ON CONFLICT DO UPDATE on PostgreSQL and SQLite)."""
    chunk = compute_chunk(ids, period, policy, region)
    rows = _recap_rows(chunk, period, timezone.now())
    with transaction.atomic():
        refuse_locked(period)  # the TPP may have been approved while this chunk computed
        if connection.vendor == "postgresql":
            _upsert_pg(rows)
        else:
            MonthRecap.objects.bulk_create(
                rows, batch_size=2000, update_conflicts=True, unique_fields=["employee", "period"],
                update_fields=list(_UPDATE),
            )  # fmt: skip
    return len(rows)


_COLUMNS = ("employee_id", "period", "unit_id", "hari_kerja", "hadir", "tidak_hadir_sah", "tk", "bands",
            "terlambat_menit", "psw_menit", "days", "computed_at")  # fmt: skip


def _upsert_pg(rows: list[MonthRecap]) -> None:
    """COPY into a temporary table, then one INSERT ... ON CONFLICT DO UPDATE: the same upsert as bulk_create's,
    without compiling 10,000 rows of SQL in Python (half the chunk's time at province scale)."""
    table = MonthRecap._meta.db_table
    cols = ", ".join(_COLUMNS)
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in _COLUMNS[2:])
    with connection.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE IF NOT EXISTS att_recap_in (employee_id bigint, period date, unit_id bigint, "
            "hari_kerja int, hadir int, tidak_hadir_sah int, tk int, bands jsonb, terlambat_menit int, "
            "psw_menit int, days varchar(31), computed_at timestamptz) ON COMMIT DELETE ROWS"
        )
        cur.execute("TRUNCATE att_recap_in")  # an outer transaction (several chunks in one) keeps earlier rows
        with cur.cursor.copy(f"COPY att_recap_in ({cols}) FROM STDIN") as copy:  # type: ignore[attr-defined]
            for r in rows:
                copy.write_row((r.employee_id, r.period, r.unit_id, r.hari_kerja, r.hadir, r.tidak_hadir_sah,
                                r.tk, json.dumps(r.bands), r.terlambat_menit, r.psw_menit, r.days, r.computed_at))
        cur.execute(
            f"INSERT INTO {table} ({cols}) SELECT {cols} FROM att_recap_in "
            f"ON CONFLICT (employee_id, period) DO UPDATE SET {updates}"
        )


# --- the month: in-process (CLI) or as a background job (web) -------------------------------------------------------


def month_employee_ids(period: dt.date) -> list[int]:
    return list(Employee.objects.filter(status__in=MONTH_STATUSES).order_by("id").values_list("id", flat=True))


@dataclass
class MonthReport:
    period: dt.date
    employees: int = 0
    chunks: int = 0
    written: int = 0
    job_id: int | None = None
    notes: list[str] = field(default_factory=list)


def _prepare(period: dt.date, employee_ids: Sequence[int] | None) -> tuple[dt.date, list[int]]:
    first = first_of(period)
    refuse_locked(first)
    calendar.holidays(first, first.replace(day=days_in(first)))  # CalendarMissing before any work
    ids = sorted(set(employee_ids)) if employee_ids is not None else month_employee_ids(first)
    return first, ids


def month_recompute(
    *,
    period: dt.date | str,
    employee_ids: Sequence[int] | None = None,
    actor: Any,
    region: str | None = None,
    chunk_size: int = CHUNK_SIZE,
    on_chunk: Callable[[int, int], None] | None = None,
) -> MonthReport:
    """Recompute the month's recaps in this process, chunk by chunk (the CLI). Refused for a locked month."""
    first, ids = _prepare(period if isinstance(period, dt.date) else first_of(period), employee_ids)
    policy = policy_for(first, region)
    report = MonthReport(first, employees=len(ids))
    chunks = [ids[i : i + chunk_size] for i in range(0, len(ids), chunk_size)]
    report.chunks = len(chunks)
    for k, chunk in enumerate(chunks):
        report.written += write_chunk(chunk, first, policy, region)
        if on_chunk is not None:
            on_chunk(k + 1, len(chunks))
    audit.record(actor=actor, action="attendance.month.recompute", object_type="attendance.monthrecap",
                 object_id=f"{first:%Y-%m}", changes={"employees": len(ids), "written": report.written})  # fmt: skip
    return report


def months_between(start: dt.date, end: dt.date) -> set[dt.date]:
    """The first days of the months that [start, end] touches."""
    out, m = set(), start.replace(day=1)
    while m <= end:
        out.add(m)
        m = (m + dt.timedelta(days=32)).replace(day=1)
    return out


def recaps_refresh(*, employee_ids: Sequence[int], periods: set[dt.date], actor: Any) -> int:
    """Recompute the months already computed for these employees after what they are computed from changed (an
    approved or cancelled leave, a surat tugas, an approved correction, punches imported or attached), so a stored
    recap never lags its inputs. Months not computed yet are left for the month's recompute; a locked month never
    gets here (its inputs are refused first). Returns the recaps rewritten."""
    written = 0
    ids = sorted(set(employee_ids))
    for period in sorted(periods):
        have = list(
            MonthRecap.objects.filter(period=period, employee_id__in=any_id(ids)).values_list("employee_id", flat=True)
        )
        if have:
            written += month_recompute(period=period, employee_ids=have, actor=actor).written
    return written


def month_job_start(*, period: dt.date | str, actor: Any, enqueue: bool = True,
                    chunk_size: int = CHUNK_SIZE) -> MonthJob:  # fmt: skip
    """Plan a background recompute of the month (web): one task per chunk. One running job per month: a second
    start while one runs returns the running one."""
    first, ids = _prepare(period if isinstance(period, dt.date) else first_of(period), None)
    policy_for(first)  # a broken pack refuses now, not in the worker
    with transaction.atomic():
        running = MonthJob.objects.select_for_update().filter(period=first, state=MonthJob.State.RUNNING).first()
        if running is not None and running.started_at > timezone.now() - STALE_AFTER:
            return running
        if running is not None:  # no worker took it (or one died): start over, the upsert makes repeats harmless
            running.state, running.finished_at = MonthJob.State.FAILED, timezone.now()
            running.error = "Tertahan: tidak ada kemajuan, dihitung ulang."
            running.save(update_fields=["state", "finished_at", "error"])
        chunks = [ids[i : i + chunk_size] for i in range(0, len(ids), chunk_size)]
        job = MonthJob.objects.create(period=first, chunks=chunks, chunks_total=len(chunks), employees_total=len(ids),
                                      started_by=actor,
                                      state=MonthJob.State.RUNNING if chunks else MonthJob.State.DONE,
                                      finished_at=None if chunks else timezone.now())  # fmt: skip
        audit.record(actor=actor, action="attendance.month.recompute_start", obj=job,
                     changes={"period": f"{first:%Y-%m}", "employees": len(ids), "chunks": len(chunks)})  # fmt: skip
    if enqueue and chunks:
        from .tasks_month import enqueue_job

        transaction.on_commit(lambda: enqueue_job(job))
    return job


def month_job_chunk(job_id: int, index: int) -> bool:
    """Compute one chunk of a job and count it; the job is done when every chunk is. Idempotent per chunk only in
    its result (the upsert): a chunk run twice counts twice, so the count is capped at the total."""
    job = MonthJob.objects.get(pk=job_id)
    if job.state != MonthJob.State.RUNNING:
        return False
    try:
        write_chunk(job.chunks[index], job.period, policy_for(job.period))
    except Exception as exc:
        MonthJob.objects.filter(pk=job_id).update(state=MonthJob.State.FAILED, error=str(exc)[:2000],
                                                  finished_at=timezone.now())  # fmt: skip
        raise
    with transaction.atomic():
        MonthJob.objects.filter(pk=job_id, chunks_done__lt=F("chunks_total")).update(chunks_done=F("chunks_done") + 1)
        MonthJob.objects.filter(pk=job_id, chunks_done__gte=F("chunks_total"), state=MonthJob.State.RUNNING).update(
            state=MonthJob.State.DONE, finished_at=timezone.now()
        )
    return True


def month_job_work(job_id: int) -> int:
    """Run every chunk of a job in this process (tests, the demo without a worker)."""
    job = MonthJob.objects.get(pk=job_id)
    return sum(month_job_chunk(job_id, i) for i in range(job.chunks_done, job.chunks_total))


# --- one employee's calendar -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Day:
    date: dt.date
    status: str  # hadir | tk | absen | libur
    masuk: dt.time | None
    pulang: dt.time | None
    late_min: int
    early_min: int
    tl: str | None  # band name
    psw: str | None
    absence: str | None  # the absence kind (cuti_tahunan, dinas_luar, ...)
    holiday: str | None  # the holiday's name
    masuk_on: dt.date | None = None  # the date of the arrival punch (a night shift's may be the next date)
    pulang_on: dt.date | None = None  # the date of the departure punch


def _on(seconds_from_slot0: int, slot0: dt.date) -> dt.date | None:
    return None if seconds_from_slot0 < 0 else slot0 + dt.timedelta(int(seconds_from_slot0) // DAY)


def _clock(seconds_from_slot0: int) -> dt.time | None:
    """Seconds since slot 0's midnight → the wall-clock time (a night shift's departure lies on the next date)."""
    if seconds_from_slot0 < 0:
        return None
    s = int(seconds_from_slot0) % DAY
    return dt.time(s // 3600, s % 3600 // 60, s % 60)


def employee_month(employee_id: int, period: dt.date | str, region: str | None = None) -> list[Day]:
    """One employee's month, day by day, from the same engine as the bulk recap (not from MonthRecap: it shows
    today's punches before the recompute)."""
    first = first_of(period if isinstance(period, str) else period)
    policy = policy_for(first, region)
    chunk = compute_chunk([employee_id], first, policy, region)
    r = chunk.result
    holidays = calendar.holidays(first, first.replace(day=days_in(first)), region)
    slot0 = first - dt.timedelta(1)
    out = []
    for j, day in enumerate(chunk.grid.dates()):
        k = int(chunk.grid.absence[0, j + 1])
        status = int(r.status[0, j])
        tl, psw = int(r.tl[0, j]), int(r.psw[0, j])
        out.append(
            Day(
                date=day,
                status=STATUS_NAME[status],
                masuk=_clock(int(r.masuk[0, j])),
                pulang=_clock(int(r.pulang[0, j])),
                late_min=int(r.late_min[0, j]),
                early_min=int(r.psw_min[0, j]),
                tl=policy.tl.names[tl] if tl >= 0 else None,
                psw=policy.psw.names[psw] if psw >= 0 else None,
                absence=chunk.grid.absence_kinds[k - 1] if k and status == STATUS_ABSEN else None,
                holiday=holidays.get(day),
                masuk_on=_on(int(r.masuk[0, j]), slot0),
                pulang_on=_on(int(r.pulang[0, j]), slot0),
            )
        )
    return out
