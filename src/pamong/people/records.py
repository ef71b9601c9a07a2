"""An employee's record as plain data, its validation, and the facts derived from it (next KGB, pension date).

One validation for every way a record comes in (form, API, CSV/XLSX import), so errors read the same everywhere.
Errors are (field, message) pairs in Indonesian.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from pamong.core.identifiers import IdentifierError, add_years, validate_nik, validate_nip
from pamong.core.text import name_error, plain_text_error
from pamong.engine.bounds import MKG_MONTHS_MAX, MKG_YEARS_MAX
from pamong.org.models import Position, PositionKind
from pamong.rules.params import param

from .grades import is_pns_golongan, is_pppk_golongan
from .models import EducationLevel, EmployeeType, EmploymentStatus, Gender
from .salary_steps import next_step


@dataclass
class EmployeeRecord:
    nip: str
    nik: str
    name: str
    birth_date: dt.date
    gender: str
    employee_type: str
    tmt_cpns: dt.date
    golongan: str
    mkg_years: int
    mkg_months: int
    mkg_set_on: dt.date
    position_id: int
    unit_id: int
    status: str
    status_since: dt.date
    front_title: str = ""
    back_title: str = ""
    birth_place: str = ""
    tmt_pns: dt.date | None = None
    education_level: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    bank_name: str = ""
    bank_account_number: str = ""
    bank_account_name: str = ""
    # the decrees behind the current rank and position (required when they are first set or change)
    rank_sk_number: str = ""
    rank_sk_date: dt.date | None = None
    rank_tmt: dt.date | None = None
    position_sk_number: str = ""
    position_sk_date: dt.date | None = None
    position_tmt: dt.date | None = None


EMPLOYEE_FIELDS = tuple(
    f.name for f in fields(EmployeeRecord) if not f.name.startswith(("rank_", "position_sk", "position_tmt"))
)
HISTORY_FIELDS = (
    "rank_sk_number",
    "rank_sk_date",
    "rank_tmt",
    "position_sk_number",
    "position_sk_date",
    "position_tmt",
)

Errors = list[tuple[str, str]]

# Names that go into bank files and registers: besides being plain text, they may not start like a formula.
NAME_FIELDS = ("name", "birth_place", "bank_name", "bank_account_name")
_SK_LABELS = {"rank_sk_number": "nomor SK pangkat", "position_sk_number": "nomor SK jabatan"}


def text_errors(values: Mapping[str, Any]) -> Errors:
    """(field, message) for each text value that is not one line of plain text (no CR/LF, tab, NUL or other
    control character) — every text field, whatever the entry path; names may not start with = + - @ either."""
    from .models import Employee

    errs: Errors = []
    for name, value in values.items():
        if not isinstance(value, str):
            continue
        label = _SK_LABELS.get(name) or str(Employee._meta.get_field(name).verbose_name)
        if msg := (name_error if name in NAME_FIELDS else plain_text_error)(label, value):
            errs.append((name, msg))
    return errs


def validate(rec: EmployeeRecord, position: Position | None) -> Errors:
    errs: Errors = []
    if rec.gender not in Gender.values:
        errs.append(("gender", "jenis kelamin harus L atau P"))
    if rec.employee_type not in EmployeeType.values:
        errs.append(("employee_type", "jenis pegawai harus PNS, CPNS atau PPPK"))
    gender = rec.gender if rec.gender in Gender.values else None
    try:
        rec.nip = validate_nip(
            rec.nip, birth_date=rec.birth_date, gender=gender, pppk=rec.employee_type == EmployeeType.PPPK
        )
        if rec.employee_type != EmployeeType.PPPK and rec.nip[8:14] != f"{rec.tmt_cpns:%Y%m}":
            errs.append(("nip", "TMT CPNS dalam NIP tidak sama dengan TMT CPNS pegawai"))
    except IdentifierError as e:
        errs.append(("nip", str(e)))
    try:
        rec.nik = validate_nik(rec.nik, birth_date=rec.birth_date, gender=gender)
    except IdentifierError as e:
        errs.append(("nik", str(e)))
    if not rec.name.strip():
        errs.append(("name", "nama wajib diisi"))
    if gol_err := golongan_error(rec.employee_type, rec.golongan):
        errs.append(("golongan", gol_err))
    errs += mkg_errors(rec.mkg_years, rec.mkg_months)
    if rec.status not in EmploymentStatus.values:
        errs.append(("status", "status kepegawaian tidak dikenal"))
    if rec.employee_type == EmployeeType.CPNS and rec.tmt_pns:
        errs.append(("tmt_pns", "CPNS belum mempunyai TMT PNS"))
    if rec.tmt_pns and rec.tmt_pns < rec.tmt_cpns:
        errs.append(("tmt_pns", "TMT PNS tidak boleh sebelum TMT CPNS"))
    if rec.education_level and rec.education_level not in EducationLevel.values:
        errs.append(("education_level", "jenjang pendidikan tidak dikenal"))
    if position is None:
        errs.append(("position", "jabatan tidak ditemukan"))
    elif position.unit_id != rec.unit_id:
        errs.append(("position", f"jabatan {position.code} bukan jabatan pada unit kerja ini"))
    errs += _length_errors(rec)
    errs += text_errors({f.name: getattr(rec, f.name) for f in fields(rec) if f.name not in ("nip", "nik")})
    errs += contact_errors(
        {"email": rec.email, "bank_account_number": rec.bank_account_number, "bank_name": rec.bank_name}
    )
    return errs


def mkg_errors(mkg_years: int, mkg_months: int) -> Errors:
    errs: Errors = []
    if not 0 <= mkg_years <= MKG_YEARS_MAX:
        errs.append(("mkg_years", f"MKG tahun harus 0 sampai {MKG_YEARS_MAX}"))
    if not 0 <= mkg_months <= MKG_MONTHS_MAX:
        errs.append(("mkg_months", f"MKG bulan harus 0 sampai {MKG_MONTHS_MAX}"))
    return errs


def contact_errors(values: Mapping[str, Any]) -> Errors:
    """Contact and bank fields as they will be stored (a form, the API PATCH and the import check them alike)."""
    errs: Errors = []
    email = values.get("email") or ""
    number = values.get("bank_account_number") or ""
    if "name" in values and not str(values["name"] or "").strip():
        errs.append(("name", "nama wajib diisi"))
    if email and "@" not in email:
        errs.append(("email", "alamat email tidak valid"))
    if number and not number.isdigit():
        errs.append(("bank_account_number", "nomor rekening hanya boleh berisi angka"))
    if number and not values.get("bank_name"):
        errs.append(("bank_name", "nama bank wajib diisi bila ada nomor rekening"))
    return errs


def family_errors(values: Mapping[str, Any], *, today: dt.date | None = None) -> Errors:
    """A spouse or child as it will be stored. Family facts decide allowances and PTKP, so dates must hold."""
    today = today or dt.date.today()
    errs: Errors = []
    relation, birth = values.get("relation"), values.get("birth_date")
    if not (values.get("name") or "").strip():
        errs.append(("name", "nama wajib diisi"))
    if relation == "child" and not values.get("child_kind"):
        errs.append(("child_kind", "status anak (kandung/angkat/tiri) wajib diisi"))
    if relation == "spouse" and values.get("child_kind"):
        errs.append(("child_kind", "status anak hanya untuk anak"))
    if birth and birth > today:
        errs.append(("birth_date", "tanggal lahir tidak boleh di masa depan"))
    if nik := values.get("nik"):
        try:
            gender = values.get("gender")
            validate_nik(nik, birth_date=birth, gender=gender if gender in ("L", "P") else None)
        except IdentifierError as e:
            errs.append(("nik", str(e)))
    if (nip := values.get("spouse_nip")) and not (nip.isdigit() and len(nip) == 18):
        errs.append(("spouse_nip", "NIP pasangan harus 18 angka"))
    married, ended = values.get("marriage_date"), values.get("ended_on")
    if married and birth and married < birth:
        errs.append(("marriage_date", "tanggal menikah tidak boleh sebelum tanggal lahir"))
    if ended and ended < (married or birth or ended):
        errs.append(("ended_on", "tanggal berakhir tidak boleh sebelum tanggal lahir/menikah"))
    return errs


def _length_errors(rec: EmployeeRecord) -> Errors:
    from .models import Employee

    errs: Errors = []
    for name in EMPLOYEE_FIELDS:
        value = getattr(rec, name)
        field = Employee._meta.get_field(name)
        limit = getattr(field, "max_length", None)
        if isinstance(value, str) and limit and len(value) > limit:
            errs.append((name, f"terlalu panjang: paling banyak {limit} karakter"))
    for name, limit in (("rank_sk_number", 100), ("position_sk_number", 100)):
        if len(getattr(rec, name)) > limit:
            errs.append((name, f"terlalu panjang: paling banyak {limit} karakter"))
    return errs


def length_errors(values: Mapping[str, Any], model: Any = None) -> Errors:
    """Text longer than its column (the same message the import gives), for the given fields of a model."""
    from .models import Employee

    meta = (model or Employee)._meta
    errs: Errors = []
    for name, value in values.items():
        limit = getattr(meta.get_field(name), "max_length", None)
        if isinstance(value, str) and limit and len(value) > limit:
            errs.append((name, f"terlalu panjang: paling banyak {limit} karakter"))
    return errs


def golongan_error(employee_type: str, golongan: str) -> str | None:
    if employee_type == EmployeeType.PPPK and not is_pppk_golongan(golongan):
        return "golongan PPPK harus I sampai XVII"
    if employee_type in (EmployeeType.PNS, EmployeeType.CPNS) and not is_pns_golongan(golongan):
        return "golongan PNS/CPNS harus I/a sampai IV/e"
    return None


def retirement_age(position: Position, on: dt.date) -> int:
    bup = param("kepegawaian/bup").on(on)
    if position.kind == PositionKind.FUNGSIONAL:
        by_family = bup.get("fungsional_family", {}).get(position.jf_family)
        return int(by_family or bup["fungsional"].get(position.jf_jenjang, bup["pelaksana"]))
    return int(bup[position.kind])


def retirement_date(birth_date: dt.date, position: Position, on: dt.date) -> dt.date:
    """Pension starts on the first day of the month after the employee reaches the BUP (PP 11/2017 Ps. 239)."""
    reached = add_years(birth_date, retirement_age(position, on))
    return dt.date(reached.year + (reached.month == 12), reached.month % 12 + 1, 1)


def next_kgb_date(
    mkg_years: int, mkg_months: int, mkg_set_on: dt.date, *, golongan: str, employee_type: str
) -> dt.date | None:
    """The month MKG reaches the next column of the golongan's gaji table (the next KGB), counted from when it
    was set; None at the table's last column (pamong/people/salary_steps.py)."""
    step = next_step(employee_type, golongan, mkg_years, mkg_months, mkg_set_on)
    return step.tmt if step else None
