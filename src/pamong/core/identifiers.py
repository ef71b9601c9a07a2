"""NIP, NI PPPK and NIK: layout checks and consistency with the stored birth date and gender.

NIP PNS (Perka BKN 22/2007, 43/2007): birth date YYYYMMDD · TMT CPNS YYYYMM · gender 1/2 · sequence 3.
NI PPPK: birth date YYYYMMDD · year of first appointment YYYY · contract number 2 · gender 1/2 · sequence 3.
NIK (UU 23/2006 jo. 24/2013): province 2 · regency 2 · district 2 · DDMMYY (women DD+40) · sequence 4.
Messages are Indonesian: they are shown to users as they are.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_DIGITS = re.compile(r"^\d+$")
GENDER_DIGIT = {"L": "1", "P": "2"}


class IdentifierError(ValueError):
    pass


@dataclass(frozen=True)
class NipParts:
    birth_date: dt.date
    appointed: dt.date  # TMT CPNS (first of month) or, for PPPK, 1 January of the appointment year
    gender: str  # "L" or "P"
    sequence: int


def _date(y: int, m: int, d: int, what: str) -> dt.date:
    try:
        return dt.date(y, m, d)
    except ValueError:
        raise IdentifierError(f"{what} tidak valid") from None


def _digits(value: str, length: int, label: str) -> str:
    value = (value or "").strip().replace(" ", "")
    if not value:
        raise IdentifierError(f"{label} wajib diisi")
    if not _DIGITS.match(value):
        raise IdentifierError(f"{label} hanya boleh berisi angka")
    if len(value) != length:
        raise IdentifierError(f"{label} harus {length} digit (tertulis {len(value)} digit)")
    return value


def _gender(digit: str, label: str) -> str:
    if digit not in ("1", "2"):
        raise IdentifierError(f"digit jenis kelamin {label} harus 1 (laki-laki) atau 2 (perempuan)")
    return "L" if digit == "1" else "P"


def parse_nip(value: str, *, pppk: bool = False) -> NipParts:
    label = "NI PPPK" if pppk else "NIP"
    nip = _digits(value, 18, label)
    birth = _date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]), f"tanggal lahir dalam {label}")
    if pppk:
        appointed = _date(int(nip[8:12]), 1, 1, f"tahun pengangkatan dalam {label}")
        gender = _gender(nip[14], label)
    else:
        appointed = _date(int(nip[8:12]), int(nip[12:14]), 1, f"TMT CPNS dalam {label}")
        gender = _gender(nip[14], label)
    sequence = int(nip[15:18])
    if sequence == 0:
        raise IdentifierError(f"nomor urut {label} tidak boleh 000")
    if appointed < _add_years(birth, 18).replace(day=1):
        raise IdentifierError(f"pengangkatan dalam {label} sebelum usia 18 tahun")
    return NipParts(birth, appointed, gender, sequence)


def validate_nip(value: str, *, birth_date: dt.date | None, gender: str | None, pppk: bool = False) -> str:
    """Return the normalised NIP or raise IdentifierError naming what is inconsistent."""
    parts = parse_nip(value, pppk=pppk)
    label = "NI PPPK" if pppk else "NIP"
    if birth_date is not None and parts.birth_date != birth_date:
        raise IdentifierError(
            f"tanggal lahir dalam {label} ({parts.birth_date:%d-%m-%Y}) tidak sama dengan "
            f"tanggal lahir pegawai ({birth_date:%d-%m-%Y})"
        )
    if gender is not None and parts.gender != gender:
        raise IdentifierError(f"digit jenis kelamin dalam {label} tidak sesuai dengan jenis kelamin pegawai")
    return value.strip().replace(" ", "")


@dataclass(frozen=True)
class NikParts:
    region: str
    birth_day: int
    birth_month: int
    birth_yy: int
    gender: str


def parse_nik(value: str) -> NikParts:
    nik = _digits(value, 16, "NIK")
    if nik[0:2] == "00" or nik[12:16] == "0000":
        raise IdentifierError("NIK tidak valid (kode wilayah atau nomor urut nol)")
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    gender = "L"
    if day > 40:
        day, gender = day - 40, "P"
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise IdentifierError("tanggal lahir dalam NIK tidak valid")
    return NikParts(nik[0:6], day, month, yy, gender)


def validate_nik(value: str, *, birth_date: dt.date | None, gender: str | None) -> str:
    parts = parse_nik(value)
    if birth_date is not None and (parts.birth_day, parts.birth_month, parts.birth_yy) != (
        birth_date.day,
        birth_date.month,
        birth_date.year % 100,
    ):
        raise IdentifierError("tanggal lahir dalam NIK tidak sama dengan tanggal lahir pegawai")
    if gender is not None and parts.gender != gender:
        raise IdentifierError("jenis kelamin dalam NIK tidak sesuai dengan jenis kelamin pegawai")
    return value.strip()


def make_nip(birth: dt.date, tmt_cpns: dt.date, gender: str, sequence: int = 1) -> str:
    return f"{birth:%Y%m%d}{tmt_cpns:%Y%m}{GENDER_DIGIT[gender]}{sequence:03d}"


def make_ni_pppk(birth: dt.date, year: int, contract: int, gender: str, sequence: int = 1) -> str:
    return f"{birth:%Y%m%d}{year:04d}{contract:02d}{GENDER_DIGIT[gender]}{sequence:03d}"


def make_nik(region: str, birth: dt.date, gender: str, sequence: int) -> str:
    day = birth.day + (40 if gender == "P" else 0)
    return f"{region}{day:02d}{birth:%m}{birth.year % 100:02d}{sequence:04d}"


def _add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


add_years = _add_years
