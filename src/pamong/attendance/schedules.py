"""Which hours each employee works on each date: the standard schedule from the rule pack, schedule assignments to a
unit subtree or one employee, shift rosters, and the bulk resolution into the engine's MonthGrid.

Precedence for a date (docs/attendance-month.md): a RosterDay of the employee > the employee's own assignment > the
assignment of the deepest unit above the employee (the unit itself first) > the standard schedule. Among
assignments at the same level the one that started last wins. Holidays (calendar.py) are no work for every
schedule, except that a roster day is a fact of that date and counts even on a holiday (a nurse on duty on
Idul Fitri is rostered on purpose).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from django.conf import settings
from django.db import transaction

from pamong.accounts.access import access_for
from pamong.audit import services as audit
from pamong.core.errors import Forbidden, NotVisible, ValidationFailed
from pamong.org.models import Unit
from pamong.payroll.facts import any_id
from pamong.people.models import Employee
from pamong.rules.params import ParameterNotInForce, merged_pack

from . import calendar
from .absences import Absence
from .engine import grid as eg
from .engine.recap import MonthGrid
from .models import RosterDay, Schedule, ScheduleAssignment, ScheduleKind, ScheduleSpecialPeriod

STANDARD_CODE = "standar"
PACK_FILE = "kalender/jadwal"


# --- the standard schedule from the pack ----------------------------------------------------------------------------


def _pack_schedule(on: dt.date, region: str) -> tuple[dict[str, Any], str]:
    layer_param = merged_pack(region).get(PACK_FILE)
    if layer_param is None:
        raise ValidationFailed(f"Paket aturan {region} tidak memuat jadwal kerja ({PACK_FILE}).")
    parameter = layer_param[1]
    try:
        value = parameter.on(on)
    except ParameterNotInForce:
        raise ValidationFailed(f"Jadwal kerja ({PACK_FILE}) belum berlaku pada {on:%d-%m-%Y}.") from None
    reference = "; ".join(r["title"] for r in parameter.reference)
    return value, reference


def schedule_standard_ensure(*, actor: Any = None, on: dt.date | None = None, region: str | None = None) -> Schedule:
    """The standard schedule (code "standar") and its special periods as the rule pack says on `on` (default
    today): created when missing, brought up to date when the pack changed, untouched otherwise. Idempotent; the
    demo and the month's recompute call it, so no data migration is needed."""
    region = region or settings.PAMONG_REGION
    value, reference = _pack_schedule(on or dt.date.today(), region)
    std = value["standar"]
    eg.weekly_times(std["mingguan"], f"{PACK_FILE}: standar.mingguan")  # refuse a malformed pack early
    fields = {
        "name": str(std.get("nama") or "Jadwal standar"),
        "kind": ScheduleKind.STANDARD,
        "weekly": dict(std["mingguan"]),
        "break_minutes": dict(std.get("istirahat_menit") or {}),
        "reference": reference[:300],
        "active": True,
    }
    periods = []
    for i, p in enumerate(value.get("khusus") or []):
        eg.weekly_times(p["mingguan"], f"{PACK_FILE}: khusus[{i}].mingguan")
        periods.append(
            (str(p["nama"]), dt.date.fromisoformat(p["dari"]), dt.date.fromisoformat(p["sampai"]), dict(p["mingguan"]))
        )
    with transaction.atomic():
        schedule = Schedule.objects.select_for_update().filter(code=STANDARD_CODE).first()
        if schedule is None:
            schedule = Schedule.objects.create(code=STANDARD_CODE, **fields)
            changed = True
        else:
            changed = any(getattr(schedule, k) != v for k, v in fields.items())
            if changed:
                for k, v in fields.items():
                    setattr(schedule, k, v)
                schedule.save()
        have = sorted((s.name, s.start, s.end, s.weekly) for s in schedule.special_periods.all())
        if have != sorted(periods):
            schedule.special_periods.all().delete()
            ScheduleSpecialPeriod.objects.bulk_create(
                ScheduleSpecialPeriod(schedule=schedule, name=n, start=a, end=b, weekly=w) for n, a, b, w in periods
            )
            changed = True
        if changed:
            listed = [[n, str(a), str(b)] for n, a, b, _ in periods]
            audit.record(actor=actor, action="attendance.schedule.ensure", obj=schedule,
                         changes={"weekly": schedule.weekly, "special_periods": listed})  # fmt: skip
    return schedule


# --- schedules and assignments (BKPSDM; an OPD operator for their own units) ----------------------------------------


def _require_admin(actor: Any) -> None:
    if not access_for(actor).sees_all_employees or not access_for(actor).has("admin_bkpsdm"):
        raise Forbidden("Hanya admin BKPSDM yang dapat mengatur jadwal kerja.")


def schedule_create(
    *,
    actor: Any,
    code: str,
    name: str,
    kind: str,
    weekly: dict[str, list[str]],
    break_minutes: dict[str, int] | None = None,
    reference: str = "",
) -> Schedule:
    """A non-standard schedule: 6 working days, a shift pattern (days from the roster where it has one), or a
    flexible arrangement (FWA) set by the PPK (Perpres 21/2023). Weekly times as in the rule pack."""
    _require_admin(actor)
    if kind not in ScheduleKind.values:
        raise ValidationFailed("Jenis jadwal tidak dikenal.")
    try:
        eg.weekly_times(weekly, "jadwal mingguan")
    except ValueError as exc:
        raise ValidationFailed(str(exc)) from None
    if Schedule.objects.filter(code=code).exists():
        raise ValidationFailed(f"Kode jadwal {code} sudah dipakai.")
    with transaction.atomic():
        schedule = Schedule.objects.create(code=code, name=name, kind=kind, weekly=weekly,
                                           break_minutes=break_minutes or {}, reference=reference)  # fmt: skip
        audit.record(actor=actor, action="attendance.schedule.create", obj=schedule,
                     changes={"kind": kind, "weekly": weekly})  # fmt: skip
    return schedule


def schedule_assign(
    *,
    actor: Any,
    schedule_id: int,
    valid_from: dt.date,
    unit_id: int | None = None,
    employee_id: int | None = None,
    valid_until: dt.date | None = None,
    reason: str = "",
) -> ScheduleAssignment:
    """Assign a schedule from a date (until a date or open) to a unit and its sub-units, or to one employee. BKPSDM
    for anyone; an OPD operator within the units they operate."""
    if (unit_id is None) == (employee_id is None):
        raise ValidationFailed("Pilih satu unit atau satu pegawai.")
    if valid_until is not None and valid_until < valid_from:
        raise ValidationFailed("Tanggal berakhir sebelum tanggal mulai.")
    a = access_for(actor)
    schedule = Schedule.objects.filter(pk=schedule_id, active=True).first()
    if schedule is None:
        raise NotVisible("Jadwal tidak ditemukan.")
    if employee_id is not None:
        emp = Employee.objects.select_related("unit").filter(pk=employee_id).first()
        if emp is None:
            raise NotVisible("Pegawai tidak ditemukan.")
        path = emp.unit.path
    else:
        unit = Unit.objects.filter(pk=unit_id).first()
        if unit is None:
            raise NotVisible("Unit tidak ditemukan.")
        path = unit.path
    if not (a.has("admin_bkpsdm") or any(path.startswith(p) for p in a.operator_paths)):
        raise Forbidden("Anda tidak dapat mengatur jadwal unit ini.")
    with transaction.atomic():
        row = ScheduleAssignment.objects.create(schedule=schedule, unit_id=unit_id, employee_id=employee_id,
                                                valid_from=valid_from, valid_until=valid_until, reason=reason,
                                                created_by=actor)  # fmt: skip
        audit.record(actor=actor, action="attendance.schedule_assignment.create", obj=row,
                     changes={"schedule": schedule.code, "unit": unit_id, "employee": employee_id,
                              "valid_from": str(valid_from), "valid_until": str(valid_until or "")},
                     reason=reason)  # fmt: skip
    return row


ROSTER_COLUMNS = ("nip", "tanggal", "mulai", "selesai", "sif")


def roster_upload(*, actor: Any, content: bytes | str) -> int:
    """A shift unit's roster as CSV (nip, tanggal YYYY-MM-DD, mulai HH:MM, selesai HH:MM, sif; empty times = off
    that day). Replaces the rows of the same employee and date; all or nothing: any bad line refuses the file with
    the line numbers. Returns the number of days written."""
    text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or not {"nip", "tanggal", "mulai", "selesai"} <= {
        (c or "").strip().lower() for c in reader.fieldnames
    }:
        raise ValidationFailed("Kolom berkas jadwal sif harus: " + ", ".join(ROSTER_COLUMNS))
    a = access_for(actor)
    rows: list[tuple[int, dict[str, str]]] = [
        (n, {(k or "").strip().lower(): (v or "").strip() for k, v in r.items()}) for n, r in enumerate(reader, 2)
    ]
    emps = {
        nip: (emp_id, path)
        for nip, emp_id, path in Employee.objects.filter(nip__in={r["nip"] for _, r in rows}).values_list(
            "nip", "id", "unit__path"
        )
    }
    problems: list[str] = []
    out: dict[tuple[int, dt.date], RosterDay] = {}
    for n, r in rows:
        found = emps.get(r["nip"])
        if found is None or not (a.has("admin_bkpsdm") or any(found[1].startswith(p) for p in a.operator_paths)):
            problems.append(f"baris {n}: NIP {r['nip']} tidak ditemukan di unit Anda")
            continue
        try:
            day = dt.date.fromisoformat(r["tanggal"])
            if bool(r["mulai"]) != bool(r["selesai"]):
                raise ValueError("isi jam mulai dan selesai, atau kosongkan keduanya (libur)")
            start = end = None
            if r["mulai"]:
                start = dt.time.fromisoformat(r["mulai"])
                end = dt.time.fromisoformat(r["selesai"])
        except ValueError as exc:
            problems.append(f"baris {n}: {exc}")
            continue
        out[(found[0], day)] = RosterDay(employee_id=found[0], date=day, start=start, end=end, shift=r.get("sif", ""))
    if problems:
        raise ValidationFailed("Berkas jadwal sif ditolak: " + "; ".join(problems[:20]),
                               details={"baris": problems})  # fmt: skip
    with transaction.atomic():
        for emp_id, days in _group_dates(out).items():
            RosterDay.objects.filter(employee_id=emp_id, date__in=days).delete()
        RosterDay.objects.bulk_create(out.values())
        audit.record(actor=actor, action="attendance.roster.upload", object_type="attendance.rosterday",
                     changes={"days": len(out), "employees": len({k[0] for k in out})})  # fmt: skip
    return len(out)


def _group_dates(keys: Iterable[tuple[int, dt.date]]) -> dict[int, list[dt.date]]:
    out: dict[int, list[dt.date]] = defaultdict(list)
    for emp_id, day in keys:
        out[emp_id].append(day)
    return out


# --- resolution in bulk ---------------------------------------------------------------------------------------------


def _engine_schedule(s: Schedule) -> eg.Schedule:
    return eg.Schedule(
        weekly=eg.weekly_times(s.weekly, f"jadwal {s.code}"),
        periods=tuple(
            (p.start, p.end, eg.weekly_times(p.weekly, f"jadwal {s.code}: {p.name}")) for p in s.special_periods.all()
        ),  # fmt: skip
    )


def _covering(rows: Sequence[ScheduleAssignment], dates: Sequence[dt.date]) -> np.ndarray:
    """Per date, the schedule id of the assignment in force (the latest start wins; rows are sorted by it), 0 none."""
    out = np.zeros(len(dates), dtype=np.int64)
    day = np.array(dates, dtype="datetime64[D]")
    for r in rows:
        inside = day >= np.datetime64(r.valid_from, "D")
        if r.valid_until is not None:
            inside &= day <= np.datetime64(r.valid_until, "D")
        out[inside] = r.schedule_id
    return out


def month_grid(
    employee_ids: Sequence[int],
    first_day: dt.date,
    days: int,
    *,
    absences: dict[int, list[Absence]] | None = None,
    region: str | None = None,
) -> MonthGrid:
    """The engine's grid for these employees (rows in this order) over `days` dates from `first_day`, with slot 0 the
    day before. Queries: employees' units, assignments, schedules with their periods, roster days; whatever E."""
    standard = schedule_standard_ensure(on=first_day, region=region)
    dates = eg.slot_dates(first_day, days)
    lo, hi = dates[0], dates[-1]
    n_slot = days + 1
    ids = list(employee_ids)
    row_of = {e: i for i, e in enumerate(ids)}
    unit_path = dict(Employee.objects.filter(pk__in=any_id(ids)).values_list("id", "unit__path")) if ids else {}
    assignments = list(
        ScheduleAssignment.objects.filter(valid_from__lte=hi)
        .exclude(valid_until__lt=lo)
        .filter(schedule__active=True)
        .select_related("unit")
        .order_by("valid_from", "id")
    )
    by_employee: dict[int, list[ScheduleAssignment]] = defaultdict(list)
    by_unit_path: dict[str, list[ScheduleAssignment]] = defaultdict(list)
    for r in assignments:
        if r.employee_id is not None:
            if r.employee_id in row_of:
                by_employee[r.employee_id].append(r)
        elif r.unit is not None:
            by_unit_path[r.unit.path].append(r)
    schedule_ids = {standard.id} | {r.schedule_id for r in assignments}
    schedules = list(Schedule.objects.filter(pk__in=schedule_ids).prefetch_related("special_periods").order_by("id"))
    index = {s.id: k for k, s in enumerate(schedules)}
    std_idx = index[standard.id]

    # one row of schedule ids per distinct unit path: the deepest assigned ancestor wins, date by date
    unit_rows: dict[str, np.ndarray] = {}

    def unit_row(path: str) -> np.ndarray:
        if path not in unit_rows:
            sid = np.zeros(n_slot, dtype=np.int64)
            ancestors = sorted((p for p in by_unit_path if path.startswith(p)), key=len)  # shallow → deep
            for p in ancestors:
                cov = _covering(by_unit_path[p], dates)
                sid = np.where(cov > 0, cov, sid)
            unit_rows[path] = sid
        return unit_rows[path]

    which = np.empty((len(ids), n_slot), dtype=np.int64)
    to_index = np.vectorize(lambda s: index.get(int(s), std_idx), otypes=[np.int64])
    for path in {p for p in unit_path.values()}:
        unit_rows[path] = unit_row(path)
    for i, emp_id in enumerate(ids):
        sid = unit_rows.get(unit_path.get(emp_id, ""), np.zeros(n_slot, dtype=np.int64))
        if emp_id in by_employee:
            cov = _covering(by_employee[emp_id], dates)
            sid = np.where(cov > 0, cov, sid)
        which[i] = sid
    if which.size:
        distinct, inverse = np.unique(which, return_inverse=True)
        which = to_index(distinct)[inverse.reshape(which.shape)]
    holidays = calendar.holidays(lo, hi, region)
    grid = eg.grid_for_schedules(first_day, days, [_engine_schedule(s) for s in schedules], which,
                                 holidays=holidays.keys(), absences=_absences(ids, row_of, absences or {}))  # fmt: skip
    # roster days override the weekly schedule and the holiday for their date
    start, end = grid.start.copy(), grid.end.copy()
    for emp_id, day, t0, t1 in RosterDay.objects.filter(
        employee_id__in=any_id(ids), date__gte=lo, date__lte=hi
    ).values_list("employee_id", "date", "start", "end"):
        r, j = row_of[emp_id], (day - lo).days
        if t0 is None:
            start[r, j] = end[r, j] = -1
        else:
            start[r, j] = t0.hour * 3600 + t0.minute * 60 + t0.second
            end[r, j] = t1.hour * 3600 + t1.minute * 60 + t1.second
    return MonthGrid(first_day=grid.first_day, start=start, end=end, absence=grid.absence,
                     absence_kinds=grid.absence_kinds)  # fmt: skip


def _absences(ids: Sequence[int], row_of: dict[int, int], absences: dict[int, list[Absence]]) -> eg.Absences:
    kinds: list[str] = []
    kind_index: dict[str, int] = {}
    rows, dari, sampai, kind = [], [], [], []
    for emp_id in ids:
        for a in absences.get(emp_id, ()):
            if a.kind not in kind_index:
                kind_index[a.kind] = len(kinds)
                kinds.append(a.kind)
            rows.append(row_of[emp_id])
            dari.append(a.start)
            sampai.append(a.end)
            kind.append(kind_index[a.kind])
    if not rows:
        return eg.Absences.empty()
    return eg.Absences(
        row=np.array(rows, dtype=np.int64),
        dari=np.array(dari, dtype="datetime64[D]"),
        sampai=np.array(sampai, dtype="datetime64[D]"),
        kind=np.array(kind, dtype=np.int64),
        kinds=tuple(kinds),
    )


def working_dates_of(employee_id: int, start: dt.date, end: dt.date, region: str | None = None) -> list[dt.date]:
    """The dates from start to end (inclusive) that are working days of this employee's schedule (assignments,
    roster, special periods, holidays): what a leave request from start to end takes."""
    if end < start:
        return []
    days = (end - start).days + 1
    grid = month_grid([employee_id], start, days, region=region)
    return [start + dt.timedelta(j) for j in range(days) if grid.start[0, j + 1] >= 0]
