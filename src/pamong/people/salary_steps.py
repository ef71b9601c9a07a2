"""The steps of the national gaji pokok tables (PP 5/2024 for PNS/CPNS, Perpres 11/2024 for PPPK): which MKG
column an employee stands in, what it pays, and when the next column — the next kenaikan gaji berkala (KGB) —
is reached.

The table's columns are the KGB steps: PP 7/1977 Pasal 9 (as amended) gives a KGB every two years of masa kerja
golongan, and the table has one column per step (III/a at MKG 0, 2, 4 …; II/b–II/d at 3, 5, 7 …; II/a also at 1).
Counting from the columns instead of from "a multiple of 24 months" keeps golongan I/b–II/d, whose columns are odd
years, on the right date, and stops at the last column (no KGB beyond the table).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache, lru_cache

from pamong.rules.params import ParameterNotInForce, param

TABLES = {"PNS": "gaji/pokok_pns", "CPNS": "gaji/pokok_pns", "PPPK": "gaji/pokok_pppk"}


@lru_cache(maxsize=8192)  # an import asks for the same few (type, date) pairs many thousand times
def _in_force(employee_type: str, on: dt.date) -> tuple[str, dt.date]:
    name = TABLES.get(employee_type, "gaji/pokok_pns")
    p = param(name)
    return name, p.in_force(max(on, p.values[0][0]))[0]  # before the first table: its columns (steps stay)


@cache
def _columns(name: str, since: dt.date, golongan: str) -> tuple[int, ...]:
    return tuple(sorted(int(c) for c in param(name).on(since)["table"].get(golongan, {})))


def columns(employee_type: str, golongan: str, on: dt.date) -> list[int]:
    """The MKG years at which the golongan's row has a column, ascending; [] for a golongan not in the table."""
    return list(_columns(*_in_force(employee_type, on), golongan))


def step_of(employee_type: str, golongan: str, mkg_years: int, on: dt.date) -> int | None:
    """The column the MKG stands in: the largest column ≤ mkg_years (the engine's lookup); None below the first."""
    below = [c for c in columns(employee_type, golongan, on) if c <= mkg_years]
    return below[-1] if below else None


def gaji_pokok(employee_type: str, golongan: str, mkg_years: int, on: dt.date) -> int | None:
    """The table's gaji pokok on `on` (before the CPNS 80 %), None when the table has no value for it then."""
    col = step_of(employee_type, golongan, mkg_years, on)
    if col is None:
        return None
    try:
        row = param(TABLES.get(employee_type, "gaji/pokok_pns")).on(on)["table"].get(golongan, {})
    except ParameterNotInForce:
        return None
    value = row.get(col)
    return int(value) if value is not None else None


@dataclass(frozen=True)
class Step:
    tmt: dt.date  # first day of the month in which the MKG reaches the column
    mkg_years: int  # the column (the new MKG, 0 months)


def add_months(d: dt.date, n: int) -> dt.date:
    m = d.month - 1 + n
    return dt.date(d.year + m // 12, m % 12 + 1, 1)


def next_step(employee_type: str, golongan: str, mkg_years: int, mkg_months: int, mkg_set_on: dt.date) -> Step | None:
    """The next column above the current MKG and the month it is reached, counting MKG on from `mkg_set_on`;
    None at the last column (or for a golongan the table does not know)."""
    total = mkg_years * 12 + mkg_months
    cols = _columns(*_in_force(employee_type, mkg_set_on), golongan)
    i = bisect_right(cols, total // 12)  # the first column c with c × 12 > total
    if i == len(cols):
        return None
    return Step(tmt=add_months(mkg_set_on, cols[i] * 12 - total), mkg_years=cols[i])
