"""Number filters for the calibration pages: scores with two decimals and signed effects, in the user's language."""

from __future__ import annotations

from typing import Any

from babel.numbers import format_decimal
from django import template
from django.utils import translation

register = template.Library()


def _locale() -> str:
    return "en_US" if (translation.get_language() or "id").startswith("en") else "id_ID"


@register.filter
def desimal(value: Any, digits: int = 2) -> str:
    """80,25 (two decimals by default); "–" for None."""
    if value is None or value == "":
        return "–"
    return format_decimal(float(value), locale=_locale(), format="#,##0." + "0" * int(digits))


@register.filter
def bertanda(value: Any, digits: int = 2) -> str:
    """+1,50 / −1,50 / 0,00 (a true minus sign)."""
    if value is None or value == "":
        return "–"
    number = round(float(value), int(digits))
    text = format_decimal(abs(number), locale=_locale(), format="#,##0." + "0" * int(digits))
    return ("+" if number > 0 else "−" if number < 0 else "") + text


@register.filter
def peringkat(value: Any) -> str:
    """A change in rank: ▲2 (up), ▼1 (down), = (same)."""
    n = int(value or 0)
    return f"▲{n}" if n > 0 else f"▼{-n}" if n < 0 else "="
