"""Template filters for Indonesian presentation: rupiah, tanggal, waktu, angka, and small table helpers.

Formatting goes through pamong.core.formats (Babel id_ID, en_US when the user switched to English), so the UI,
PDFs and exports print money and dates the same way.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from babel.dates import format_datetime
from babel.numbers import format_decimal
from django import template
from django.utils import timezone, translation
from django.utils.translation import gettext

from pamong.core import formats

register = template.Library()


def _babel_locale() -> str:
    return "en_US" if (translation.get_language() or "id").startswith("en") else "id_ID"


@register.filter
def rupiah(amount: Any) -> str:
    """Whole rupiah: Rp1.234.567. A Decimal from a DecimalField(decimal_places=0) is accepted if integral;
    a fractional amount is a bug upstream (round by the payroll rule first) and raises."""
    if isinstance(amount, Decimal):
        if amount != amount.to_integral_value():
            raise TypeError("rupiah: amount has a fraction; round it by the payroll rule first")
        amount = int(amount)
    return formats.rupiah(amount)


@register.filter
def tanggal(value: dt.date | dt.datetime | None, fmt: str = "long") -> str:
    """27 November 2026 (long), 27 Nov 2026 (medium), 27/11/26 (short). A datetime shows its local date."""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return formats.tanggal(value, fmt)


@register.filter
def waktu(value: dt.datetime | None) -> str:
    """A moment in local time: 27 Nov 2026 14.05 (Indonesian uses a dot between hours and minutes)."""
    if value is None:
        return "–"
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    locale = _babel_locale()
    pattern = "d MMM y HH:mm:ss" if locale == "en_US" else "d MMM y HH.mm.ss"
    return format_datetime(value, pattern, locale=locale)


@register.filter
def angka(value: int | None) -> str:
    """A count with the thousands separator of the language: 2.500 / 2,500."""
    if value is None:
        return "–"
    return format_decimal(value, locale=_babel_locale(), format="#,##0")


@register.filter
def minus(value: int | None, other: int | None) -> int:
    return int(value or 0) - int(other or 0)


@register.filter
def perubahan(changes: Any) -> list[tuple[str, Any, Any]]:
    """An audit event's {"field": [before, after]} as rows (field, before, after); tolerant of other shapes.
    Fields empty on both sides (typical of a "created" event) are left out."""
    if not isinstance(changes, dict):
        return []
    rows = []
    for field, value in changes.items():
        before, after = value if isinstance(value, (list, tuple)) and len(value) == 2 else (None, value)
        if before in (None, "") and after in (None, ""):
            continue
        rows.append((str(field), before, after))
    return rows


@register.filter
def ya_tidak(value: Any) -> str:
    return str(translation.gettext("ya") if value else translation.gettext("tidak"))


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: Any) -> str:
    """The current query string with some parameters replaced (or removed when None/""), for pager links."""
    request = context["request"]
    params = request.GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def persen(bp: Any) -> str:
    """Basis points as an Indonesian percentage: 9000 → "90%", 9550 → "95,5%" (blank for none)."""
    from pamong.engine.explain import percent

    return "" if bp in (None, "") else percent(int(bp))


@register.filter
def sumber_capaian(facts: Any) -> str:
    """Where a TPP payslip's capaian kinerja came from, in two or three words (payroll.facts.capaian_source)."""
    from pamong.payroll.explanation import PREDIKAT_WORDS

    src = (facts or {}).get("capaian_sumber") or {}
    if src.get("jenis") == "evaluasi":
        return gettext("Penilaian bulanan") + f" ({PREDIKAT_WORDS.get(str(src.get('predikat')), '')})"
    if src.get("jenis") == "impor":
        return gettext("Impor")
    return ""


@register.filter
def sumber_disiplin(facts: Any) -> str:
    """Where a TPP payslip's discipline counts came from (payroll.facts.discipline_source)."""
    src = (facts or {}).get("disiplin_sumber") or {}
    if src.get("jenis") == "presensi":
        return gettext("Rekap presensi")
    if src.get("jenis") == "impor":
        return gettext("Impor")
    return ""


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """mapping[key] in a template (None when absent or not a mapping)."""
    return mapping.get(key) if isinstance(mapping, dict) else None
