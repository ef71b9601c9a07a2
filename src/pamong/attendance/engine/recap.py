"""The month's attendance recap for a batch of employees: punches + schedule grid + band policy → each working day's
status, arrival, departure, lateness (TL) and early leave (PSW), and the month's counts per band.

Spec: shared spec/attendance-recap.md (rules 1–6); docs/attendance-engine.md explains the decisions. Pure numpy, no
Django: the application calls `recap` for every employee of a month at once, the CLI through `cases.recap_case`.

Time axis: every punch is seconds since midnight of slot 0, the day before the month's first day, so day slot j
starts at j × 86,400 s. A working day's window of punches (rule 6):
- ordinary shift (end later than start) on slot j: the whole date j, less the morning (before 12:00) when slot j − 1
  is a working night shift, which owns it;
- night shift (end not later than start) on slot j: 12:00 on date j to 12:00 on date j + 1.
These windows never overlap and follow each other in slot order, so after sorting punches by (employee, time) each
day's punches are one contiguous run: the first is the earliest, the last the latest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

DAY = 86_400
NOON = 43_200

# status per day (int8)
STATUS_TK = 0  # a working day with no punch and no approved absence
STATUS_HADIR = 1  # a working day with at least one punch
STATUS_LIBUR = 2  # not a working day: no schedule that weekday, or a holiday
STATUS_ABSEN = 3  # a working day inside an approved absence (the kind is MonthGrid.absence)

# rekap columns that are not band names (a band may not take one of these names)
FIXED_COLUMNS = ("hari_kerja", "hadir", "tidak_hadir_sah", "TK", "terlambat_menit", "psw_menit")


@dataclass(frozen=True)
class Bands:
    """One band table: inclusive whole-minute ranges from 1 upward without gaps; `hi` −1 = no upper bound (last row
    only)."""

    lo: np.ndarray  # int64 [B], ascending, lo[0] == 1
    hi: np.ndarray  # int64 [B], −1 = open
    names: tuple[str, ...]

    @classmethod
    def parse(cls, rows: Any, field: str) -> Bands:
        """Rows [from, to or None, name]; a ValueError naming `field` (and the row) unless they start at 1 and run
        on without gaps or overlaps, each name given once."""
        if not isinstance(rows, list) or not rows:
            raise ValueError(f"{field}: harus berupa daftar [[dari, sampai, nama], ...] yang tidak kosong")
        lo: list[int] = []
        hi: list[int] = []
        names: list[str] = []
        expect = 1
        for i, row in enumerate(rows):
            where = f"{field}[{i}]"
            if expect < 0:
                raise ValueError(f"{where}: baris sesudah rentang tanpa batas atas (null) tidak diperbolehkan")
            if not isinstance(row, list) or len(row) != 3:
                raise ValueError(f"{where}: harus berupa [dari, sampai, nama]")
            a, b, name = row
            if isinstance(a, bool) or not isinstance(a, int):
                raise ValueError(f"{where}: batas bawah harus bilangan bulat menit")
            if b is not None and (isinstance(b, bool) or not isinstance(b, int)):
                raise ValueError(f"{where}: batas atas harus bilangan bulat menit atau null")
            if not isinstance(name, str) or not name.strip():
                raise ValueError(f"{where}: nama rentang harus berupa teks yang tidak kosong")
            if name in names:
                raise ValueError(f"{where}: nama rentang {name!r} sudah dipakai")
            if a != expect:
                what = "harus mulai dari 1" if i == 0 else f"harus {expect} (tanpa celah atau tumpang tindih)"
                raise ValueError(f"{where}: batas bawah {a} {what}")
            if b is not None and b < a:
                raise ValueError(f"{where}: batas atas {b} lebih kecil dari batas bawah {a}")
            lo.append(a)
            hi.append(-1 if b is None else b)
            names.append(name)
            expect = -1 if b is None else b + 1
        return cls(np.array(lo, dtype=np.int64), np.array(hi, dtype=np.int64), tuple(names))

    def band_of(self, minutes: np.ndarray) -> np.ndarray:
        """Band index (int16) holding each value, −1 for none (0 minutes, or above a closed last band)."""
        m = np.asarray(minutes, dtype=np.int64)
        idx = np.searchsorted(self.lo, m, side="right") - 1
        at = np.maximum(idx, 0)
        ok = (idx >= 0) & ((self.hi[at] < 0) | (m <= self.hi[at]))
        return np.where(ok, idx, -1).astype(np.int16)

    def index(self, name: str, field: str) -> int:
        try:
            return self.names.index(name)
        except ValueError:
            raise ValueError(f"{field}: {name!r} bukan salah satu rentang {', '.join(self.names)}") from None


@dataclass(frozen=True)
class Policy:
    """The regional band tables and the bands for a day missing its arrival / departure punch. `tanpa_masuk` is a
    TL band, `tanpa_pulang` a PSW band (rule 4: they count in the same recap columns)."""

    tl: Bands
    psw: Bands
    tanpa_masuk: str
    tanpa_pulang: str

    def __post_init__(self) -> None:
        self.tl.index(self.tanpa_masuk, "tanpa_masuk")
        self.psw.index(self.tanpa_pulang, "tanpa_pulang")
        for name in self.psw.names:
            if name in self.tl.names:
                raise ValueError(f"psw: nama rentang {name!r} sudah dipakai di tl (satu kolom rekap per nama)")
        for name in (*self.tl.names, *self.psw.names):
            if name in FIXED_COLUMNS:
                raise ValueError(
                    f"{'tl' if name in self.tl.names else 'psw'}: nama rentang {name!r} sudah dipakai kolom rekap lain"
                )

    @classmethod
    def parse(cls, obj: Any, field: str = "kebijakan") -> Policy:
        """From the case's `kebijakan` object; a ValueError naming the field."""
        if not isinstance(obj, dict):
            raise ValueError(f"{field}: harus berupa objek JSON {{...}}")
        for key in ("tl", "psw", "tanpa_masuk", "tanpa_pulang"):
            if key not in obj:
                raise ValueError(f"{field}.{key}: wajib diisi")
        tl = Bands.parse(obj["tl"], f"{field}.tl")
        psw = Bands.parse(obj["psw"], f"{field}.psw")
        for key, bands in (("tanpa_masuk", tl), ("tanpa_pulang", psw)):
            if not isinstance(obj[key], str):
                raise ValueError(f"{field}.{key}: harus berupa nama rentang (teks)")
            bands.index(obj[key], f"{field}.{key}")
        try:
            return cls(tl, psw, obj["tanpa_masuk"], obj["tanpa_pulang"])
        except ValueError as exc:
            raise ValueError(f"{field}.{exc}") from None

    @property
    def columns(self) -> tuple[str, ...]:
        """The recap's keys in the spec's order."""
        return (*FIXED_COLUMNS[:4], *self.tl.names, *self.psw.names, *FIXED_COLUMNS[4:])


@dataclass(frozen=True)
class MonthGrid:
    """E employees × (D + 1) day slots; slot 0 is the day before the month (only its night shift matters: it owns
    the morning of the 1st)."""

    first_day: dt.date  # the date of slot 1
    start: np.ndarray  # int32 [E, D+1] seconds after the slot date's midnight; −1 = not a working day
    end: np.ndarray  # int32 [E, D+1] seconds after the slot date's midnight; end <= start → ends the next date
    absence: np.ndarray  # int16 [E, D+1]: 0 = none, k = absence_kinds[k − 1]
    absence_kinds: tuple[str, ...]

    @property
    def days(self) -> int:
        return int(self.start.shape[1]) - 1

    def dates(self) -> list[dt.date]:
        """The dates of slots 1..D (the month's days)."""
        return [self.first_day + dt.timedelta(days=j) for j in range(self.days)]


@dataclass(frozen=True)
class Punches:
    emp: np.ndarray  # int32 [P] row of the grid
    ts: np.ndarray  # int64 [P] seconds since midnight of slot 0's date; any order, duplicates allowed


@dataclass(frozen=True)
class MonthResult:
    """Per employee × day of the month (slot 0 dropped). Times are seconds since slot 0's midnight, −1 = none."""

    policy: Policy
    status: np.ndarray  # int8 [E, D]
    masuk: np.ndarray  # int64 [E, D]
    pulang: np.ndarray  # int64 [E, D]
    late_min: np.ndarray  # int32 [E, D] whole minutes late (0 without an arrival punch)
    psw_min: np.ndarray  # int32 [E, D] whole minutes of early leave (0 without a departure punch)
    tl: np.ndarray  # int16 [E, D] index into policy.tl.names, −1 = none
    psw: np.ndarray  # int16 [E, D] index into policy.psw.names, −1 = none

    def rekap(self) -> dict[str, np.ndarray]:
        """Column → int64 [E], the spec's `rekap` keys in its order."""
        s = self.status
        out: dict[str, np.ndarray] = {
            "hari_kerja": np.count_nonzero(s != STATUS_LIBUR, axis=1).astype(np.int64),
            "hadir": np.count_nonzero(s == STATUS_HADIR, axis=1).astype(np.int64),
            "tidak_hadir_sah": np.count_nonzero(s == STATUS_ABSEN, axis=1).astype(np.int64),
            "TK": np.count_nonzero(s == STATUS_TK, axis=1).astype(np.int64),
        }
        for k, name in enumerate(self.policy.tl.names):
            out[name] = np.count_nonzero(self.tl == k, axis=1).astype(np.int64)
        for k, name in enumerate(self.policy.psw.names):
            out[name] = np.count_nonzero(self.psw == k, axis=1).astype(np.int64)
        out["terlambat_menit"] = self.late_min.sum(axis=1, dtype=np.int64)
        out["psw_menit"] = self.psw_min.sum(axis=1, dtype=np.int64)
        return out


def _check(grid: MonthGrid, punches: Punches) -> None:
    shape = grid.start.shape
    if grid.start.ndim != 2 or shape[1] < 1:
        raise ValueError(f"grid.start: bentuk {shape}, harus [E, D+1]")
    for name in ("end", "absence"):
        if getattr(grid, name).shape != shape:
            raise ValueError(f"grid.{name}: bentuk {getattr(grid, name).shape}, harus {shape}")
    if grid.absence.size and int(grid.absence.max()) > len(grid.absence_kinds):
        raise ValueError("grid.absence: indeks di luar absence_kinds")
    if punches.emp.shape != punches.ts.shape:
        raise ValueError("punches: emp dan ts harus sama panjang")


def assign_punches(grid: MonthGrid, punches: Punches) -> tuple[np.ndarray, np.ndarray]:
    """Each distinct punch that a working day takes (rule 6), sorted: (cell = row × (D+1) + slot, seconds since
    slot 0's midnight). Punches outside every working day's window are dropped."""
    n_emp, n_slot = grid.start.shape
    span = (n_slot + 1) * DAY  # the slot dates plus the date after the last slot (a night shift's morning)
    emp = np.asarray(punches.emp, dtype=np.int64)
    ts = np.asarray(punches.ts, dtype=np.int64)
    keep = (ts >= 0) & (ts < span) & (emp >= 0) & (emp < n_emp)
    key = np.sort(emp[keep] * span + ts[keep])  # by (employee, time); np.unique is far slower here (numpy 2)
    if key.size:
        key = key[np.r_[True, key[1:] != key[:-1]]]  # duplicates gone
    row = key // span
    t = key - row * span
    del key, keep
    day = t // DAY
    morning = (t - day * DAY) < NOON
    working = (grid.start >= 0).ravel()
    night = working & (grid.end <= grid.start).ravel()
    base = row * n_slot
    del row
    prev = base + np.maximum(day - 1, 0)
    own = base + np.minimum(day, n_slot - 1)  # clamped: the date after the last slot has no day of its own
    del base
    # the previous date's night shift owns this morning
    by_prev = morning & (day >= 1) & night[prev]
    # otherwise the date's own working day: a night shift only from 12:00, an ordinary one all day
    by_own = ~by_prev & (day < n_slot) & working[own] & ~(morning & night[own])
    taken = by_prev | by_own
    cell = np.where(by_prev, prev, own)[taken]
    return cell, t[taken]


def recap(grid: MonthGrid, punches: Punches, policy: Policy) -> MonthResult:
    """Rules 1–6 of spec/attendance-recap.md over every employee of the grid at once."""
    _check(grid, punches)
    n_emp, n_slot = grid.start.shape
    start = grid.start.astype(np.int64)
    working = start >= 0
    night = working & (grid.end <= grid.start)
    end_abs = grid.end.astype(np.int64) + np.where(night, DAY, 0)  # seconds after the slot date's midnight

    cell, t = assign_punches(grid, punches)
    # one run per day: the first punch is the earliest, the last the latest
    first = np.flatnonzero(np.r_[True, cell[1:] != cell[:-1]]) if cell.size else np.zeros(0, dtype=np.int64)
    last = np.r_[first[1:], cell.size] - 1 if cell.size else first
    c = cell[first]
    t_first = t[first]
    t_last = t[last]
    single = first == last
    # a single punch is the arrival when earlier than the shift's midpoint (2t < start + end avoids half seconds)
    rel = t_first - (c % n_slot) * DAY
    arrival = 2 * rel < start.ravel()[c] + end_abs.ravel()[c]
    flat = n_emp * n_slot
    masuk = np.full(flat, -1, dtype=np.int64)
    pulang = np.full(flat, -1, dtype=np.int64)
    punched = np.zeros(flat, dtype=bool)
    masuk[c] = np.where(~single | arrival, t_first, -1)
    pulang[c] = np.where(~single | ~arrival, t_last, -1)
    punched[c] = True
    del cell, t, first, last, c, t_first, t_last, single, rel, arrival
    masuk = masuk.reshape(n_emp, n_slot)
    pulang = pulang.reshape(n_emp, n_slot)
    punched = punched.reshape(n_emp, n_slot)

    absent = working & (grid.absence > 0)
    status = np.where(
        ~working, STATUS_LIBUR, np.where(absent, STATUS_ABSEN, np.where(punched, STATUS_HADIR, STATUS_TK))
    ).astype(np.int8)
    hadir = status == STATUS_HADIR
    masuk[~hadir] = -1  # an absence day's punches are not evaluated (rule 2)
    pulang[~hadir] = -1

    day_base = np.arange(n_slot, dtype=np.int64) * DAY
    has_in = masuk >= 0
    has_out = pulang >= 0
    late = np.where(has_in, np.maximum((masuk - day_base - start) // 60, 0), 0).astype(np.int32)
    early = np.where(has_out, np.maximum((day_base + end_abs - pulang) // 60, 0), 0).astype(np.int32)
    tl = np.where(has_in, policy.tl.band_of(late), np.int16(policy.tl.names.index(policy.tanpa_masuk)))
    psw = np.where(has_out, policy.psw.band_of(early), np.int16(policy.psw.names.index(policy.tanpa_pulang)))
    tl = np.where(hadir, tl, -1).astype(np.int16)
    psw = np.where(hadir, psw, -1).astype(np.int16)
    month = slice(1, None)
    return MonthResult(
        policy=policy,
        status=status[:, month],
        masuk=masuk[:, month],
        pulang=pulang[:, month],
        late_min=late[:, month],
        psw_min=early[:, month],
        tl=tl[:, month],
        psw=psw[:, month],
    )


def band_names(bands: Bands, idx: np.ndarray) -> Sequence[str | None]:
    """Band index → name, None for −1 (for output)."""
    return [None if k < 0 else bands.names[k] for k in np.asarray(idx).tolist()]
