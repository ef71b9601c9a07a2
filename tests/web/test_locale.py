"""The English catalogue is complete and its compiled .mo matches the .po (both are committed)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

import pamong

LC = Path(pamong.__file__).resolve().parent / "locale" / "en" / "LC_MESSAGES"


def _messages(catalog) -> dict:
    def key(v):
        return v if isinstance(v, str) else tuple(v)

    return {(m.context, key(m.id)): key(m.string) for m in catalog if m.id}


def test_every_message_has_an_english_translation():
    with (LC / "django.po").open("rb") as fh:
        po = read_po(fh)
    untranslated = [m.id for m in po if m.id and not (m.string if isinstance(m.string, str) else all(m.string))]
    fuzzy = [m.id for m in po if m.id and m.fuzzy]
    assert not untranslated and not fuzzy, (untranslated, fuzzy)


def test_mo_is_compiled_from_the_current_po():
    with (LC / "django.po").open("rb") as fh:
        po = _messages(read_po(fh))
    with (LC / "django.mo").open("rb") as fh:
        mo = _messages(read_mo(fh))
    assert po == mo, "recompile: uv run pybabel compile -d src/pamong/locale -D django"
