"""Checking the free text of the performance services: required, bounded, plain (core.text); long texts (reasons,
feedback, explanations) may hold line breaks, nothing else that is invisible."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from pamong.core.errors import ValidationFailed
from pamong.core.text import describe, plain_text_error


def clean_text(value: Any, field: str, *, max_len: int, required: bool = True, multiline: bool = False) -> str:
    value = str(value or "").replace("\r\n", "\n").strip()
    if required and not value:
        raise ValidationFailed(gettext("Isian ini wajib diisi."), details={"field": field})
    if len(value) > max_len:
        raise ValidationFailed(gettext("Paling banyak %(n)d karakter.") % {"n": max_len}, details={"field": field})
    for line in value.split("\n") if multiline else [value]:
        if plain_text_error(field, line):
            bad = next(ch for ch in line if plain_text_error(field, ch))
            raise ValidationFailed(
                gettext("Teks berisi karakter yang tidak diizinkan: %(ch)s.") % {"ch": describe(bad)},
                details={"field": field},
            )
    return value
