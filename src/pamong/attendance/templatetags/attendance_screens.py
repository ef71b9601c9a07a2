"""Template filters of the attendance screens."""

from __future__ import annotations

from django import template

from pamong.attendance.reports import clock

register = template.Library()


@register.filter
def jam(seconds: int | None) -> str:
    """Seconds after midnight → "07:29" ("" for none)."""
    return clock(seconds)
