"""Plain text: what may be stored in a text field, and how text is written into files other programs read.

Stored text is one line of visible characters: control and format characters (Unicode Cc, Cf — CR, LF, tab, NUL,
zero-width and bidi marks), surrogates and line/paragraph separators are refused at the service layer, so no entry
path (import, API, form) can store a line break that a line-based bank parser would read as an extra record.
Names may also not start like a spreadsheet formula (`=`, `+`, `-`, `@`).

Outputs never rely on that alone (rows stored before the rule, or written around the services): `flatten` turns
any such character into a space, and the CSV/XLSX writers neutralise a leading formula character (OWASP "CSV
injection"). Django is imported only to raise its ValidationError, so file writers can use this anywhere.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
FORMULA_LEAD = ("=", "+", "-", "@")

_NAMES = {
    "\n": "pindah baris (LF)",
    "\r": "pindah baris (CR)",
    "\t": "tab",
    "\x00": "NUL",
    "\u2028": "pemisah baris",
    "\u2029": "pemisah paragraf",
}


def bad_char(value: str) -> str | None:
    """The first character of `value` that plain text may not hold, or None. Ordinary space is allowed."""
    for ch in value:
        if unicodedata.category(ch) in FORBIDDEN_CATEGORIES:
            return ch
    return None


def describe(ch: str) -> str:
    return _NAMES.get(ch, f"U+{ord(ch):04X}")


def plain_text_error(label: str, value: Any) -> str | None:
    """An Indonesian message naming the field when `value` holds a character plain text may not hold."""
    if not isinstance(value, str) or (ch := bad_char(value)) is None:
        return None
    return f"{label} berisi karakter kendali: {describe(ch)}; isi dengan teks satu baris tanpa tab"


def name_error(label: str, value: Any) -> str | None:
    """A name (of a person, an account holder, a unit) that is not plain text or starts like a formula."""
    if err := plain_text_error(label, value):
        return err
    if isinstance(value, str) and value.lstrip().startswith(FORMULA_LEAD):
        return f"{label} tidak boleh diawali {', '.join(FORMULA_LEAD)}"
    return None


def model_text_errors(obj: Any, *, names: Iterable[str] = ()) -> dict[str, list[str]]:
    """{field: [message]} for every text field (CharField/TextField) of a model instance that is not plain text;
    the fields in `names` are names (no leading formula character either)."""
    names = set(names)
    errors: dict[str, list[str]] = {}
    for f in obj._meta.concrete_fields:
        if f.get_internal_type() not in ("CharField", "TextField"):
            continue
        value = getattr(obj, f.attname)
        check = name_error if f.name in names else plain_text_error
        if msg := check(str(f.verbose_name), value):
            errors[f.name] = [msg]
    return errors


def require_plain_text(obj: Any, *, names: Iterable[str] = ()) -> None:
    """Raise Django's ValidationError ({field: [message]}, as full_clean does) for text that is not plain."""
    if errors := model_text_errors(obj, names=names):
        from django.core.exceptions import ValidationError

        raise ValidationError(errors)


# --- writing text into files ----------------------------------------------------------------------------------

_SPACES = re.compile(r" {2,}")


def flatten(value: Any) -> str:
    """One line of plain text: every forbidden character becomes a space, runs of spaces one, ends trimmed."""
    text = "" if value is None else str(value)
    if bad_char(text) is not None:
        text = "".join(" " if unicodedata.category(ch) in FORBIDDEN_CATEGORIES else ch for ch in text)
        text = _SPACES.sub(" ", text)
    return text.strip()


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_LEAD)


def fixed_field(value: Any) -> str:
    """A text field of a fixed-format file (the bank CSVs): flattened, with leading formula characters and the
    spaces after them removed. A bank matches a holder's name by its letters; a quote would become part of it."""
    text = flatten(value)
    while looks_like_formula(text):
        text = text.lstrip("".join(FORMULA_LEAD)).lstrip()
    return text


class TextCells:
    """Writes text cells into an xlsxwriter workbook: flattened to one line, and a value that starts like a formula
    gets the quote prefix (Excel's hidden `'`: shown as text, and still text when someone edits the cell). The
    value itself is unchanged, so an exported register imports again as it was."""

    def __init__(self, workbook: Any) -> None:
        self._wb = workbook
        self._styles: dict[tuple[tuple[str, Any], ...], tuple[Any, Any]] = {}

    def _style(self, props: dict[str, Any] | None) -> tuple[Any, Any]:
        key = tuple(sorted((props or {}).items()))
        if key not in self._styles:
            normal = self._wb.add_format(dict(props)) if props else None
            self._styles[key] = (normal, self._wb.add_format({**(props or {}), "quote_prefix": True}))
        return self._styles[key]

    def write(self, ws: Any, row: int, col: int, value: Any, props: dict[str, Any] | None = None) -> None:
        text = flatten(value)
        normal, quoted = self._style(props)
        ws.write_string(row, col, text, quoted if looks_like_formula(text) else normal)


def _forbidden_class() -> str:
    """The forbidden characters of the Basic Multilingual Plane as a regex character class body (`\\uXXXX`
    escapes, read alike by JSON Schema's ECMA-262, Python and pydantic's Rust engine). Surrogates are left out
    (no engine takes them in a class) and so are the few format characters above U+FFFF: the API schema's
    pattern documents the rule; the service check above is the whole rule."""
    ranges: list[list[int]] = []
    for cp in range(0x10000):
        if 0xD800 <= cp <= 0xDFFF or unicodedata.category(chr(cp)) not in FORBIDDEN_CATEGORIES:
            continue
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    return "".join(f"\\u{a:04X}" if a == b else f"\\u{a:04X}-\\u{b:04X}" for a, b in ranges)


FORBIDDEN_CLASS = _forbidden_class()
PLAIN_TEXT_PATTERN = f"^[^{FORBIDDEN_CLASS}]*$"
NONBLANK_TEXT_PATTERN = f"^[^{FORBIDDEN_CLASS}]*[^\\s{FORBIDDEN_CLASS}][^{FORBIDDEN_CLASS}]*$"
NAME_PATTERN = f"^ *[^=+\\-@\\s{FORBIDDEN_CLASS}][^{FORBIDDEN_CLASS}]*$"  # non-blank, no leading formula mark
