"""The case file of `pamong attendance recap CASE.json` (spec/attendance-recap.md): one employee's month, read into
a one-row MonthGrid, recapped by `recap.recap` and written out as the spec's {"hari": ..., "rekap": ...}.

Every refusal is a CaseError (a ValueError) with one message that names the field (and the row)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import numpy as np

from pamong.core.cases import CaseError, load_case

from .grid import Absences, Schedule, grid_for_schedules, month_days, slot_dates, weekly_times
from .recap import (
    DAY,
    STATUS_ABSEN,
    STATUS_HADIR,
    STATUS_LIBUR,
    STATUS_TK,
    MonthGrid,
    MonthResult,
    Policy,
    Punches,
    recap,
)

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?")
STATUS_WORDS = {STATUS_TK: "TK", STATUS_HADIR: "hadir"}  # an absence day's status is its jenis


def recap_file(path: str | Path) -> dict[str, Any]:
    """What `pamong attendance recap PATH` prints."""
    return recap_case(load_case(path))


def recap_case(case: Any) -> dict[str, Any]:
    """{"hari": {date: day}, "rekap": {column: count}} for one case (spec/attendance-recap.md)."""
    if not isinstance(case, dict):
        raise CaseError("kasus: harus berupa objek JSON {...}")
    try:
        grid, punches, policy = read_case(case)
        result = recap(grid, punches, policy)
    except CaseError:
        raise
    except ValueError as exc:
        raise CaseError(str(exc)) from None
    return case_output(grid, result)


def read_case(case: dict[str, Any]) -> tuple[MonthGrid, Punches, Policy]:
    """The case as the engine's inputs; a ValueError naming the field."""
    first_day, days = month_days(required(case, "bulan"))
    weekly = weekly_times(required(case, "jadwal"), "jadwal")
    periods = []
    for i, item in enumerate(optional_list(case, "jadwal_khusus")):
        where = f"jadwal_khusus[{i}]"
        dari, sampai = date_range(item, where)
        if "jadwal" not in item:
            raise CaseError(f"{where}.jadwal: wajib diisi")
        periods.append((dari, sampai, weekly_times(item["jadwal"], f"{where}.jadwal")))
    schedule = Schedule(weekly, tuple(periods))
    holidays = [parse_date(d, f"libur[{i}]") for i, d in enumerate(optional_list(case, "libur"))]
    kinds: list[str] = []
    ranges: list[tuple[dt.date, dt.date, int]] = []
    for i, item in enumerate(optional_list(case, "ketidakhadiran")):
        where = f"ketidakhadiran[{i}]"
        dari, sampai = date_range(item, where)
        jenis = item.get("jenis")
        if not isinstance(jenis, str) or not jenis.strip():
            raise CaseError(f"{where}.jenis: harus berupa teks yang tidak kosong (cuti_tahunan, sakit, ...)")
        if jenis in STATUS_WORDS.values():
            raise CaseError(f"{where}.jenis: {jenis!r} adalah status hari, bukan jenis ketidakhadiran")
        if jenis not in kinds:
            kinds.append(jenis)
        ranges.append((dari, sampai, kinds.index(jenis)))
    absences = Absences(
        row=np.zeros(len(ranges), dtype=np.int64),
        dari=np.array([r[0] for r in ranges], dtype="datetime64[D]"),
        sampai=np.array([r[1] for r in ranges], dtype="datetime64[D]"),
        kind=np.array([r[2] for r in ranges], dtype=np.int64),
        kinds=tuple(kinds),
    )
    grid = grid_for_schedules(first_day, days, [schedule], np.zeros(1, dtype=np.int64), holidays, absences)
    presensi = required(case, "presensi")
    if not isinstance(presensi, list):
        raise CaseError('presensi: harus berupa daftar tanggal-jam ["2026-11-02T07:29:58", ...]')
    slot0 = slot_dates(first_day, days)[0]
    ts = np.array([punch_seconds(p, slot0, f"presensi[{i}]") for i, p in enumerate(presensi)], dtype=np.int64)
    policy = Policy.parse(required(case, "kebijakan"), "kebijakan")
    return grid, Punches(np.zeros(ts.size, dtype=np.int32), ts), policy


def case_output(grid: MonthGrid, result: MonthResult) -> dict[str, Any]:
    """Row 0 of the result as the spec's JSON: working days only, times "HH:MM:SS", null where none."""
    hari: dict[str, dict[str, Any]] = {}
    tl_names, psw_names = result.policy.tl.names, result.policy.psw.names
    for j, day in enumerate(grid.dates()):
        status = int(result.status[0, j])
        if status == STATUS_LIBUR:
            continue
        absent = status == STATUS_ABSEN
        word = grid.absence_kinds[int(grid.absence[0, j + 1]) - 1] if absent else STATUS_WORDS[status]
        tl, psw = int(result.tl[0, j]), int(result.psw[0, j])
        hari[day.isoformat()] = {
            "status": word,
            "masuk": clock(int(result.masuk[0, j])),
            "pulang": clock(int(result.pulang[0, j])),
            "terlambat_menit": int(result.late_min[0, j]),
            "psw_menit": int(result.psw_min[0, j]),
            "tl": tl_names[tl] if tl >= 0 else None,
            "psw": psw_names[psw] if psw >= 0 else None,
        }
    return {"hari": hari, "rekap": {key: int(col[0]) for key, col in result.rekap().items()}}


def clock(seconds: int) -> str | None:
    """Seconds since slot 0's midnight → "HH:MM:SS" of its own date; None for −1."""
    if seconds < 0:
        return None
    s = seconds % DAY
    return f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}"


def required(case: dict[str, Any], key: str) -> Any:
    if key not in case:
        raise CaseError(f"{key}: wajib diisi")
    return case[key]


def optional_list(case: dict[str, Any], key: str) -> list[Any]:
    value = case.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise CaseError(f"{key}: harus berupa daftar [...]")
    return value


def parse_date(text: Any, where: str) -> dt.date:
    m = _DATE.fullmatch(text) if isinstance(text, str) else None
    try:
        if m is None:
            raise ValueError
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise CaseError(f"{where}: tanggal {text!r} tidak dapat dibaca; tulis YYYY-MM-DD") from None


def date_range(item: Any, where: str) -> tuple[dt.date, dt.date]:
    if not isinstance(item, dict):
        raise CaseError(f'{where}: harus berupa objek {{"dari": ..., "sampai": ...}}')
    for key in ("dari", "sampai"):
        if key not in item:
            raise CaseError(f"{where}.{key}: wajib diisi")
    dari = parse_date(item["dari"], f"{where}.dari")
    sampai = parse_date(item["sampai"], f"{where}.sampai")
    if dari > sampai:
        raise CaseError(f"{where}.dari: {dari.isoformat()} sesudah sampai {sampai.isoformat()}")
    return dari, sampai


def punch_seconds(text: Any, slot0: dt.date, where: str) -> int:
    """A local date-time "YYYY-MM-DDTHH:MM[:SS[.fff]]" → seconds since slot 0's midnight (fractions dropped)."""
    m = _DATETIME.fullmatch(text) if isinstance(text, str) else None
    try:
        if m is None or int(m[2]) > 23 or int(m[3]) > 59 or int(m[4] or 0) > 59:
            raise ValueError
        day = parse_date(m[1], where)
    except ValueError:
        raise CaseError(
            f"{where}: {text!r} bukan tanggal-jam setempat; tulis YYYY-MM-DDTJJ:MM:DD, tanpa zona waktu"
        ) from None
    return (day - slot0).days * DAY + int(m[2]) * 3600 + int(m[3]) * 60 + int(m[4] or 0)
