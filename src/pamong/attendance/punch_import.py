"""Importing one machine export: check the whole file, then write it at once, or nothing.

- All or nothing: any bad row (unreadable, impossible date or time, a date in the future, a new punch in a locked
  month) rejects the file with every bad row listed (ImportRejected, 422); nothing is written.
- Idempotent: a punch is (machine, machine user id, date, seconds), unique in the database (att_punch_machine_once).
  Re-importing a file, or an export overlapping an earlier one, adds only what is new; the rest are duplicates.
- Machine ids with no DeviceUser are stored with employee NULL and listed in PunchFile.unmatched; mapping the id
  later attaches them (devices.device_user_map).
- A locked month (its TPP run approved, locks.py) refuses new punches; the punches already stored in it, which an
  overlapping export repeats, are duplicates and harmless.

Writing: on PostgreSQL, COPY into a temporary table and one INSERT ... SELECT ... ON CONFLICT DO NOTHING (measured
in bench/attendance_import.py); elsewhere (SQLite) bulk_create(ignore_conflicts=True). Either way the rows added are
the rows that carry the new file's id afterwards.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any, cast

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from pamong.audit import services as audit
from pamong.core.errors import ImportRejected

from . import punch_formats as pf
from .devices import device_get, rejected
from .locks import locked_months
from .models import Device, DeviceUser, Punch, PunchFile, PunchSource

Progress = Callable[[str, int, int], None]  # (phase "check" | "write", done, total)
NULL = "\\N"  # COPY text format's NULL
CHUNK = 200_000  # rows per COPY / bulk_create round (and per progress report)


def _no_progress(phase: str, done: int, total: int) -> None:
    return None


def check_punches(device: Device, parsed: pf.ParsedFile, *, today: dt.date) -> list[pf.BadRow]:
    """The rows a file may not add, besides its unreadable ones: future dates, new punches in locked months."""
    bad = list(parsed.errors)
    future = [i for i, d in enumerate(parsed.dates) if d > today]
    for i in future:
        bad.append(pf.BadRow(parsed.lines[i], f"{parsed.dates[i]:%d/%m/%Y}",
                             "tanggal di masa depan: periksa jam dan tanggal mesin presensi"))  # fmt: skip
    months = {d.replace(day=1) for d in set(parsed.dates)}
    for m in sorted(locked_months(months)):
        nxt = (m + dt.timedelta(days=32)).replace(day=1)
        stored = set(
            Punch.objects.filter(device=device, date__gte=m, date__lt=nxt).values_list(
                "machine_user_id", "date", "seconds"
            )
        )
        label = f"{m:%m/%Y}"
        for i, d in enumerate(parsed.dates):
            if m <= d < nxt and (parsed.user_ids[i], d, parsed.seconds[i]) not in stored:
                bad.append(pf.BadRow(parsed.lines[i], f"{d:%d/%m/%Y}",
                                     f"presensi bulan {label} sudah dikunci (TPP bulan itu sudah disetujui); "
                                     "hapus baris bulan itu dari berkas atau ajukan koreksi"))  # fmt: skip
    return bad


def punch_file_import(
    *, device_id: int, filename: str, data: bytes, actor: Any, progress: Progress | None = None,
    today: dt.date | None = None,
) -> PunchFile:  # fmt: skip
    """Import one machine export for a machine the actor manages (devices.device_get decides: 403/404)."""
    report = progress or _no_progress
    device = device_get(actor, device_id)
    try:
        parsed = pf.parse_punch_file(data)
    except pf.UnreadableFile as exc:
        raise ImportRejected(f"Berkas tidak dapat dibaca: {exc.message}.") from None
    report("check", parsed.rows, parsed.rows)
    bad = check_punches(device, parsed, today=today or timezone.localdate())
    if bad:
        raise rejected(bad)
    if not parsed.rows:
        raise ImportRejected("Berkas tidak berisi baris presensi.")
    # one row per distinct punch (a file may repeat a line); the first line of each is kept
    keys = dict.fromkeys(zip(parsed.user_ids, parsed.dates, parsed.seconds, strict=True))
    with transaction.atomic():
        # the machine's row lock orders this import against a mapping of one of its ids (devices._map takes it
        # too): otherwise a mapping committed between reading the ids and committing the punches would miss them
        Device.objects.select_for_update().filter(pk=device.pk).first()
        mapping = dict(DeviceUser.objects.filter(device=device).values_list("machine_user_id", "employee_id"))
        pfile = PunchFile.objects.create(
            device=device,
            filename=filename[:255],
            sha256=hashlib.sha256(data).hexdigest(),
            fmt=parsed.fmt,
            rows=parsed.rows,
            first_date=min(parsed.dates),
            last_date=max(parsed.dates),
            imported_by=actor,
        )
        rows = [(mapping.get(u), u, d, s) for u, d, s in keys]
        added, loose = _write(device, pfile, rows, report)
        pfile.added = added
        pfile.duplicates = parsed.rows - added
        pfile.unmatched = dict(sorted(loose.items()))  # the unmapped ids among the punches this file added
        pfile.save(update_fields=["added", "duplicates", "unmatched"])
        audit.record(
            actor=actor,
            action="attendance.punch_file.imported",
            obj=pfile,
            changes={
                "device": device.pk,
                "filename": pfile.filename,
                "sha256": pfile.sha256,
                "rows": parsed.rows,
                "added": added,
                "duplicates": pfile.duplicates,
                "unmatched": len(pfile.unmatched),
            },  # fmt: skip
        )
        if added:  # a month already computed counts the punches it now has
            from .month import months_between, recaps_refresh

            mapped = {e for e, _u, _d, _s in rows if e is not None}
            recaps_refresh(employee_ids=sorted(mapped), periods=months_between(pfile.first_date, pfile.last_date),
                           actor=actor)  # fmt: skip
    return pfile


def _write(
    device: Device, pfile: PunchFile, rows: list[tuple[int | None, str, dt.date, int]], report: Progress
) -> tuple[int, dict[str, int]]:
    """Insert what is new; (rows added, {unmapped machine id: punches added})."""
    total = len(rows)
    report("write", 0, total)
    if connection.vendor == "postgresql":
        added, loose = _write_pg(device, pfile, rows, report)
    else:
        for i in range(0, total, CHUNK):
            Punch.objects.bulk_create(
                [
                    Punch(
                        employee_id=e,
                        date=d,
                        seconds=s,
                        source=PunchSource.MACHINE,
                        device=device,
                        machine_user_id=u,
                        file=pfile,
                    )
                    for e, u, d, s in rows[i : i + CHUNK]
                ],  # fmt: skip
                batch_size=5000,
                ignore_conflicts=True,
            )
            report("write", min(i + CHUNK, total), total)
        mine = Punch.objects.filter(file=pfile)
        added = mine.count()
        counts = mine.filter(employee__isnull=True).values("machine_user_id").annotate(n=Count("id"))
        loose = {r["machine_user_id"]: r["n"] for r in counts}
    report("write", total, total)
    return added, loose


def _write_pg(
    device: Device, pfile: PunchFile, rows: list[tuple[int | None, str, dt.date, int]], report: Progress
) -> tuple[int, dict[str, int]]:
    table = Punch._meta.db_table
    added, loose = 0, dict[str, int]()
    with connection.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE IF NOT EXISTS att_punch_in (employee_id bigint, machine_user_id varchar(20), "
            "date date, seconds integer) ON COMMIT DELETE ROWS"
        )
        for i in range(0, len(rows), CHUNK):
            cur.execute("TRUNCATE att_punch_in")
            # COPY's text format written in one piece (write_row per row costs ~5x more); machine ids are checked
            # to hold no whitespace and no backslash (punch_formats.parse_user_id), so nothing needs escaping
            block = "".join(
                f"{NULL if e is None else e}\t{u}\t{d.isoformat()}\t{s}\n" for e, u, d, s in rows[i : i + CHUNK]
            )
            with cur.cursor.copy(  # type: ignore[attr-defined]
                "COPY att_punch_in (employee_id, machine_user_id, date, seconds) FROM STDIN"
            ) as copy:
                copy.write(block.encode())
            # one statement inserts and counts: what was added, and per unmapped id (the NULL row: the total)
            cur.execute(
                f"WITH ins AS (INSERT INTO {table} (employee_id, date, seconds, source, device_id, machine_user_id, "
                "file_id) SELECT employee_id, date, seconds, %s, %s, machine_user_id, %s FROM att_punch_in "
                "ON CONFLICT (device_id, machine_user_id, date, seconds) WHERE device_id IS NOT NULL DO NOTHING "
                "RETURNING employee_id, machine_user_id) "
                "SELECT machine_user_id, count(*) FROM ins WHERE employee_id IS NULL GROUP BY machine_user_id "
                "UNION ALL SELECT NULL, count(*) FROM ins",
                [cast(int, PunchSource.MACHINE), device.pk, pfile.pk],
            )
            for muid, n in cur.fetchall():
                if muid is None:
                    added += n
                else:
                    loose[muid] = loose.get(muid, 0) + n
            report("write", min(i + CHUNK, len(rows)), len(rows))
        # Check the punches' foreign keys now rather than at COMMIT: the audit record that follows holds the audit
        # chain's lock until COMMIT, and deferred checks would run under it, serialising parallel imports (measured
        # in bench/attendance_import.py). Only these constraints, and deferred again after.
        names = _punch_fk_names(cur)
        if names:
            cur.execute(f"SET CONSTRAINTS {names} IMMEDIATE")
            cur.execute(f"SET CONSTRAINTS {names} DEFERRED")
    return added, loose


_FK_NAMES: list[str] = []


def _punch_fk_names(cur: Any) -> str:
    if not _FK_NAMES:
        cur.execute(
            "SELECT quote_ident(conname) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f' "
            "AND condeferrable ORDER BY conname",
            [Punch._meta.db_table],
        )
        _FK_NAMES.extend(r[0] for r in cur.fetchall())
    return ", ".join(_FK_NAMES)
