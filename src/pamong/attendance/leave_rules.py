"""The leave types of the rule pack (national/cuti/jenis_cuti.yaml, a region may override it) and the pure checks
on a request's dates: how long it is in the type's own count, whether it fits the type's maximum."""

from __future__ import annotations

import calendar as _cal
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from pamong.core.errors import Conflict
from pamong.rules.params import params_in_force

PARAM = "cuti/jenis_cuti"
ANNUAL = "tahunan"
BIG = "besar"


class LeaveTypesMissing(Conflict):
    code = "leave_types_missing"


@dataclass(frozen=True)
class LeaveType:
    key: str
    name: str
    employee_types: tuple[str, ...]
    count: str  # hari_kerja | hari_kalender
    requestable: bool
    ledger: bool
    evidence: bool
    bkpsdm: bool
    raw: dict[str, Any]

    def get(self, key: str, default: Any = None) -> Any:
        return self.raw.get(key, default)

    def needs_bkpsdm(self, calendar_days: int) -> bool:
        over = self.get("bkpsdm_bila_lebih_dari_hari")
        return self.bkpsdm or (over is not None and calendar_days > int(over))


def leave_types(on: dt.date, region: str | None = None) -> dict[str, LeaveType]:
    found = params_in_force(on, region=region or settings.PAMONG_REGION).get(PARAM)
    if found is None:
        raise LeaveTypesMissing(f"Jenis cuti belum ada di paket aturan ({PARAM}).")
    out = {}
    for key, v in found.value.items():
        out[key] = LeaveType(
            key=key,
            name=str(v["nama"]),
            employee_types=tuple(v.get("pegawai") or ()),
            count=str(v.get("hitung", "hari_kerja")),
            requestable=bool(v.get("diajukan", True)),
            ledger=bool(v.get("saldo", False)),
            evidence=bool(v.get("bukti", False)),
            bkpsdm=bool(v.get("bkpsdm", False)),
            raw=dict(v),
        )
    return out


def add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return dt.date(year, month, min(d.day, _cal.monthrange(year, month)[1]))


def add_years(d: dt.date, years: int) -> dt.date:
    return add_months(d, 12 * years)


def latest_end(t: LeaveType, start: dt.date) -> dt.date | None:
    """The last day a request of this type starting on `start` may reach by its calendar maximum (None: none)."""
    if t.get("maks_bulan") is not None:
        return add_months(start, int(t.get("maks_bulan"))) - dt.timedelta(days=1)
    if t.get("maks_tahun") is not None:
        return add_years(start, int(t.get("maks_tahun"))) - dt.timedelta(days=1)
    if t.get("maks_hari_kalender") is not None:
        return start + dt.timedelta(days=int(t.get("maks_hari_kalender")) - 1)
    return None


def years_of_service(since: dt.date, on: dt.date) -> int:
    """Whole years from `since` to `on` (the anniversary counts)."""
    years = on.year - since.year
    if (on.month, on.day) < (since.month, since.day):
        years -= 1
    return max(years, 0)


def year_parts(dates: list[dt.date]) -> dict[int, int]:
    """Working dates → how many fall in each calendar year (a request across New Year takes each year's part from
    that year's balance)."""
    out: dict[int, int] = {}
    for d in dates:
        out[d.year] = out.get(d.year, 0) + 1
    return out
