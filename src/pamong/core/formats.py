"""Indonesian money and date formatting (Babel id_ID). Amounts must already be whole rupiah."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from babel.numbers import format_decimal
from django.utils import translation


def _locale() -> str:
    return "en_US" if (translation.get_language() or "id").startswith("en") else "id_ID"


def rupiah(amount: int | None) -> str:
    if amount is None:
        return "–"
    if not isinstance(amount, int):
        raise TypeError("rupiah() takes whole rupiah as int; round first by the payroll rule")
    return "Rp" + format_decimal(amount, locale=_locale(), format="#,##0")


def tanggal(value: dt.date | None, fmt: str = "long") -> str:
    if value is None:
        return "–"
    return format_date(value, format=fmt, locale=_locale())
