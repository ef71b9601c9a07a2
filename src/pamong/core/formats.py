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


_SATUAN = ("", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh", "sebelas")
_SKALA = ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"))


def _words_below_1000(n: int) -> list[str]:
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds == 1:
        words.append("seratus")
    elif hundreds > 1:
        words += [_SATUAN[hundreds], "ratus"]
    if rest < 12:
        if rest:
            words.append(_SATUAN[rest])
    elif rest < 20:
        words += [_SATUAN[rest - 10], "belas"]
    else:
        tens, ones = divmod(rest, 10)
        words += [_SATUAN[tens], "puluh"]
        if ones:
            words.append(_SATUAN[ones])
    return words


def _words(n: int) -> list[str]:
    words: list[str] = []
    for size, name in _SKALA:
        head, n = divmod(n, size)
        if head:  # only the triliun can reach 1 000 and more: "seribu triliun", as it is read
            words += [*(_words(head) if head >= 1000 else _words_below_1000(head)), name]
    thousands, n = divmod(n, 1000)
    if thousands == 1:
        words.append("seribu")
    elif thousands:
        words += [*_words_below_1000(thousands), "ribu"]
    words += _words_below_1000(n)
    return words


def terbilang(amount: int, unit: str = "rupiah") -> str:
    """Whole rupiah in Indonesian words, as written on a payslip or a receipt:
    3_882_800 → "tiga juta delapan ratus delapan puluh dua ribu delapan ratus rupiah". 1 000 is "seribu" and 100
    "seratus" (never "satu ribu", "satu ratus"); 1 000 000 is "satu juta". Negative amounts begin with "minus"."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError("terbilang() takes whole rupiah as int")
    words = ["minus"] if amount < 0 else []
    words += _words(abs(amount)) or ["nol"]
    if unit:
        words.append(unit)
    return " ".join(words)
