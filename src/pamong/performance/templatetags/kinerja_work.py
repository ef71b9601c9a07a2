"""Figures on the year's work pages: a realisation or target as the language writes it (12,5 / 12.5), no trailing
zeros."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from django import template
from django.utils import translation

register = template.Library()


@register.filter
def nilai(value: Any) -> str:
    if value is None or value == "":
        return "–"
    number = Decimal(str(value))
    locale = "en_US" if (translation.get_language() or "id").startswith("en") else "id_ID"
    return format_decimal(number, locale=locale, format="#,##0.##")


@register.filter
def nilai_input(value: Any) -> str:
    """A figure for an input box: the dot as decimal point, no grouping, no trailing zeros."""
    if value is None or value == "":
        return ""
    text = format(Decimal(str(value)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter
def item_at(seq: Any, index: int) -> Any:
    try:
        return seq[index]
    except (IndexError, TypeError):
        return None


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None
