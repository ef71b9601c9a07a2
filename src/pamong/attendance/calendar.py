"""The work calendar: national holidays and cuti bersama (SKB 3 Menteri, rules/national/kalender/hari_libur.yaml)
and the region's own holidays (regions/<region>/kalender/hari_libur_daerah.yaml), one value per year.

A year without a calendar in the pack is refused (CalendarMissing), never treated as a year without holidays."""

from __future__ import annotations

import datetime as dt
from functools import cache

from django.conf import settings

from pamong.core.errors import Conflict
from pamong.rules.params import ParameterNotInForce, merged_pack


class CalendarMissing(Conflict):
    code = "calendar_missing"


_FILES = (
    ("kalender/hari_libur", ("libur_nasional", "cuti_bersama")),
    ("kalender/hari_libur_daerah", ("libur_daerah",)),
)


@cache
def _year_holidays(year: int, region: str) -> dict[dt.date, str]:
    pack = merged_pack(region)
    out: dict[dt.date, str] = {}
    for name, keys in _FILES:
        if name not in pack:
            continue
        try:
            since, value = pack[name][1].in_force(dt.date(year, 12, 31))
        except ParameterNotInForce:
            since, value = None, None
        if since is None or since.year != year or str(value.get("tahun")) != str(year):
            if name == "kalender/hari_libur":
                raise CalendarMissing(
                    f"Kalender hari libur nasional tahun {year} belum ada di paket aturan (kalender/hari_libur)."
                )
            continue  # a region without its own holidays that year
        for key in keys:
            for day, label in (value.get(key) or {}).items():
                out[dt.date.fromisoformat(str(day))] = str(label)
    return out


def holidays(start: dt.date, end: dt.date, region: str | None = None) -> dict[dt.date, str]:
    """Every holiday (national, cuti bersama, regional) from start to end inclusive → its name."""
    region = region or settings.PAMONG_REGION
    out: dict[dt.date, str] = {}
    for year in range(start.year, end.year + 1):
        out.update({d: n for d, n in _year_holidays(year, region).items() if start <= d <= end})
    return out


def standard_working_dates(start: dt.date, end: dt.date, region: str | None = None) -> list[dt.date]:
    """Monday–Friday dates that are not holidays (the standard 5-day week of Perpres 21/2023)."""
    off = holidays(start, end, region)
    days = (start + dt.timedelta(n) for n in range((end - start).days + 1))
    return [d for d in days if d.isoweekday() <= 5 and d not in off]
