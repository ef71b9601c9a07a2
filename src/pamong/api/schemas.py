"""Request and response schemas of the JSON API (pydantic via django-ninja).

Output schemas name every field a response may carry, so what a role sees is decided here and in the presenters
(people/api.py), never by dumping a model. Input schemas carry the shape checks (patterns, lengths, ranges,
choices) that show up in the OpenAPI document; domain rules stay in the services (people/records.py validate).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeAlias, TypeVar

from ninja import Field, Schema
from pydantic import ConfigDict, field_validator

from pamong.core.text import NAME_PATTERN, NONBLANK_TEXT_PATTERN, PLAIN_TEXT_PATTERN
from pamong.engine.bounds import MKG_MONTHS_MAX, MKG_YEARS_MAX
from pamong.org.models import PositionKind, UnitKind
from pamong.people.grades import GOLONGAN_CHOICES
from pamong.people.models import EducationLevel, EmployeeType, EmploymentStatus, Gender

T = TypeVar("T")

NIP_PATTERN = r"^\d{18}$"
NIK_PATTERN = r"^\d{16}$"
DIGITS_PATTERN = r"^\d*$"
EMAIL_PATTERN = r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$"
OPTIONAL_NAME_PATTERN = f"^$|{NAME_PATTERN}"
if TYPE_CHECKING:
    Golongan: TypeAlias = str
    EducationOrBlank: TypeAlias = str
else:  # closed sets as enums in the schema, from the same lists the services check
    Golongan = Literal[tuple(g for g, _label in GOLONGAN_CHOICES)]
    EducationOrBlank = Literal[("", *EducationLevel.values)]

TEXT_RULE = "Satu baris teks: tanpa pindah baris, tab atau karakter kendali lain."
NAME_RULE = TEXT_RULE + " Tidak kosong dan tidak diawali =, +, -, @."


def text(default: Any, max_length: int, *, pattern: str = PLAIN_TEXT_PATTERN, description: str = "") -> Any:
    """A text field with the service's rule (core/text.py) as its pattern: one line, no control characters."""
    rule = NAME_RULE if pattern in (NAME_PATTERN, OPTIONAL_NAME_PATTERN) else TEXT_RULE
    return Field(default, max_length=max_length, pattern=pattern, description=f"{description} {rule}".strip())


def omittable(max_length: int, *, pattern: str = PLAIN_TEXT_PATTERN, description: str = "") -> Any:
    """A PATCH field: may be omitted (stays as it is) but never null, so the schema says string, not nullable."""
    field = text(None, max_length, pattern=pattern, description=description)
    field.json_schema_extra = _no_default
    return field


def _omit(**kwargs: Any) -> Any:
    return Field(None, json_schema_extra=_no_default, **kwargs)


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


# --- errors and pages -------------------------------------------------------------------------------------------


class ErrorBody(Schema):
    code: str = Field(
        ...,
        examples=["validation_failed"],
        description=(
            "Kode mesin: bad_request, not_authenticated, forbidden, csrf_failed, not_found, method_not_allowed, "
            "conflict, transition_refused, validation_failed, throttled, server_error"
        ),
    )
    message: str = Field(..., description="Pesan untuk manusia (bahasa Indonesia)")
    details: Any = Field(
        ...,
        description=(
            "Rincian: untuk 422 dari skema daftar {loc, type, msg}; dari layanan daftar {field, message} "
            "(impor/pembuatan juga index) atau {kolom: [pesan]}; {} bila tidak ada"
        ),
    )


class ErrorOut(Schema):
    """The one error shape of the API: {"error": {"code", "message", "details"}}."""

    error: ErrorBody


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """Error responses to list in an operation's OpenAPI entry (401 is listed for every authenticated call)."""
    return {s: ErrorOut for s in (401, *statuses)}


class Page(Schema, Generic[T]):
    items: list[T]
    count: int = Field(..., description="Jumlah seluruh baris yang cocok dengan filter")
    page: int
    page_size: int


class PageQuery(Schema):
    page: int = Field(1, ge=1, description="Halaman, mulai dari 1; halaman setelah akhir memberi items kosong")
    page_size: int = Field(20, ge=1, le=100, description="Baris per halaman (maksimum 100)")


# --- organisation -----------------------------------------------------------------------------------------------


class UnitRef(Schema):
    id: int
    code: str
    name: str


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    opd_id: int | None
    depth: int = Field(..., description="0 untuk OPD/akar pohon")
    active: bool


class UnitNodeOut(UnitOut):
    headcount: int = Field(..., description="Pegawai aktif yang ditempatkan langsung di unit ini")


class UnitQuery(Schema):
    kind: UnitKind | None = None
    parent_id: int | None = Field(None, description="Hanya anak langsung dari unit ini")

    model_config = ConfigDict(use_enum_values=True)


class PositionRef(Schema):
    id: int
    code: str
    name: str
    kind: str
    kelas_jabatan: int


class PositionOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    eselon: str
    jf_family: str
    jf_jenjang: str
    kelas_jabatan: int
    unit: UnitRef
    superior: PositionRef | None
    seats_abk: int
    filled: int = Field(..., description="Pemangku aktif")


class PositionQuery(PageQuery):
    q: str = Field("", max_length=100, description="Potongan nama atau kode jabatan")
    unit_id: int | None = Field(None, description="Unit kerja beserta seluruh unit di bawahnya")
    kind: PositionKind | None = None

    model_config = ConfigDict(use_enum_values=True)


# --- employees: output ------------------------------------------------------------------------------------------


class EmployeeSummary(Schema):
    """The WORK-level fields: what every viewer of an employee may see."""

    nip: str
    name: str
    front_title: str
    back_title: str
    full_name: str
    employee_type: str
    golongan: str
    pangkat: str | None
    status: str
    status_since: dt.date
    position_mode: str
    unit: UnitRef
    position: PositionRef


class FamilyFactsOut(Schema):
    spouse_allowance: bool
    children_eligible: int
    children_paid: int
    ptkp: str


class PayrollPart(Schema):
    bank_name: str
    bank_account_number: str
    bank_account_name: str
    mkg_years: int
    mkg_months: int
    mkg_set_on: dt.date
    next_kgb_on: dt.date | None
    family_facts: FamilyFactsOut


class PersonalPart(Schema):
    nik: str
    birth_date: dt.date
    birth_place: str
    gender: str
    address: str
    phone: str
    email: str
    education_level: str
    tmt_cpns: dt.date
    tmt_pns: dt.date | None
    retirement_on: dt.date | None


class FamilyMemberOut(Schema):
    id: int
    relation: str
    name: str
    nik: str
    birth_date: dt.date
    gender: str
    marriage_date: dt.date | None
    spouse_is_pns: bool
    spouse_nip: str
    spouse_has_income: bool
    receives_spouse_allowance: bool
    child_kind: str
    in_school: bool
    married: bool
    working: bool
    ended_on: dt.date | None


class SkOut(Schema):
    sk_number: str
    sk_date: dt.date
    tmt: dt.date


class RankHistoryOut(SkOut):
    id: int
    golongan: str
    pangkat: str | None
    mkg_years: int
    mkg_months: int
    kind: str


class PositionHistoryOut(SkOut):
    id: int
    position: PositionRef
    unit: UnitRef
    mode: str
    end_date: dt.date | None


class KgbHistoryOut(SkOut):
    id: int
    golongan: str
    mkg_years: int
    mkg_months: int


class StatusHistoryOut(SkOut):
    id: int
    status: str
    note: str


class EducationHistoryOut(Schema):
    id: int
    level: str
    major: str
    institution: str
    graduated_on: dt.date
    certificate_number: str


class HistoryPart(Schema):
    rank: list[RankHistoryOut]
    position: list[PositionHistoryOut]
    kgb: list[KgbHistoryOut]
    status: list[StatusHistoryOut]
    education: list[EducationHistoryOut]


class EmployeeDetailOut(EmployeeSummary):
    """WORK fields always; `payroll` from the PAYROLL level; `personal`, `family`, `history` at FULL. A part the
    viewer may not see is null."""

    detail_level: Literal["work", "payroll", "full"]
    payroll: PayrollPart | None
    personal: PersonalPart | None
    family: list[FamilyMemberOut] | None
    history: HistoryPart | None


class EmployeeQuery(PageQuery):
    q: str = Field("", max_length=150, description="Potongan nama, atau awalan NIP (angka)")
    unit_id: int | None = Field(None, description="Unit kerja beserta seluruh unit di bawahnya")
    golongan: str = Field("", max_length=6, description='Persis ("III/b") atau kelompok ("III")')
    status: EmploymentStatus | None = None
    employee_type: EmployeeType | None = None

    model_config = ConfigDict(use_enum_values=True)


# --- employees: input -------------------------------------------------------------------------------------------


class EmployeeCreateIn(Schema):
    """A new employee with the decrees (SK) behind the first rank and position. Shape checks here; consistency
    (NIP vs birth date/gender/TMT, NIK, golongan vs type, position in unit) is checked by the service → 422."""

    nip: str = Field(..., pattern=NIP_PATTERN, description="18 digit (NIP PNS atau NI PPPK)")
    nik: str = Field(..., pattern=NIK_PATTERN)
    name: str = text(..., 150, pattern=NAME_PATTERN)
    front_title: str = text("", 30)
    back_title: str = text("", 40)
    birth_place: str = text("", 80, pattern=OPTIONAL_NAME_PATTERN)
    birth_date: dt.date
    gender: Gender
    employee_type: EmployeeType
    tmt_cpns: dt.date
    tmt_pns: dt.date | None = None
    golongan: Golongan
    mkg_years: int = Field(..., ge=0, le=MKG_YEARS_MAX)
    mkg_months: int = Field(0, ge=0, le=MKG_MONTHS_MAX)
    mkg_set_on: dt.date
    position_id: int
    unit_id: int
    status: EmploymentStatus = EmploymentStatus("aktif")
    status_since: dt.date
    education_level: EducationOrBlank = ""
    address: str = text("", 1000)
    phone: str = text("", 30)
    email: str = Field("", max_length=254, pattern=EMAIL_PATTERN)
    bank_name: str = text("", 60, pattern=OPTIONAL_NAME_PATTERN)
    bank_account_number: str = Field("", max_length=30, pattern=DIGITS_PATTERN)
    bank_account_name: str = text("", 150, pattern=OPTIONAL_NAME_PATTERN)
    rank_sk_number: str = text(..., 100, pattern=NONBLANK_TEXT_PATTERN)
    rank_sk_date: dt.date
    rank_tmt: dt.date
    position_sk_number: str = text(..., 100, pattern=NONBLANK_TEXT_PATTERN)
    position_sk_date: dt.date
    position_tmt: dt.date
    reason: str = text("", 1000, description="Alasan, dicatat di jejak audit.")

    model_config = ConfigDict(use_enum_values=True, extra="forbid")


class ContactPatchIn(Schema):
    """Contact and bank fields only; rank, position and status change through their endpoints with an SK.
    An omitted field stays as it is; send "" to clear one (null is refused)."""

    name: str = omittable(150, pattern=NAME_PATTERN)
    front_title: str = omittable(30)
    back_title: str = omittable(40)
    birth_place: str = omittable(80, pattern=OPTIONAL_NAME_PATTERN)
    address: str = omittable(1000)
    phone: str = omittable(30)
    email: str = _omit(max_length=254, pattern=EMAIL_PATTERN)
    education_level: EducationOrBlank = _omit()
    bank_name: str = omittable(60, pattern=OPTIONAL_NAME_PATTERN)
    bank_account_number: str = _omit(max_length=30, pattern=DIGITS_PATTERN)
    bank_account_name: str = omittable(150, pattern=OPTIONAL_NAME_PATTERN)
    reason: str = text("", 1000)

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_null(cls, value: Any) -> Any:
        if value is None:  # an omitted field is never validated; only an explicit null gets here
            raise ValueError('null tidak diterima; kirim "" untuk mengosongkan')
        return value


class SkIn(Schema):
    number: str = text(..., 100, pattern=NONBLANK_TEXT_PATTERN)
    date: dt.date = Field(..., description="Tanggal SK; paling lambat satu tahun dari hari ini")
    tmt: dt.date

    model_config = ConfigDict(extra="forbid")


class RankChangeIn(Schema):
    golongan: Golongan
    mkg_years: int = Field(..., ge=0, le=MKG_YEARS_MAX)
    mkg_months: int = Field(0, ge=0, le=MKG_MONTHS_MAX)
    kind: str = text("reguler", 30, pattern=NONBLANK_TEXT_PATTERN)
    sk: SkIn
    reason: str = text("", 1000)

    model_config = ConfigDict(extra="forbid")


class StatusChangeIn(Schema):
    status: EmploymentStatus
    note: str = text("", 200)
    sk: SkIn
    reason: str = text("", 1000)

    model_config = ConfigDict(use_enum_values=True, extra="forbid")


# --- accounts ---------------------------------------------------------------------------------------------------


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    roles: list[str] = Field(..., description="Kode peran (admin_bkpsdm, operator_opd, ...)")
    role_labels: list[str]
    is_supervisor: bool
    employee_nip: str | None
    auth: Literal["session", "token"]


class TokenIn(Schema):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(..., min_length=1, max_length=100, description="Nama integrasi pemakai token")
    days: int = Field(90, ge=1, le=730, description="Masa berlaku dalam hari (bawaan 90)")


class TokenOut(Schema):
    id: int
    name: str
    created_at: dt.datetime
    expires_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked: bool


class TokenCreatedOut(TokenOut):
    key: str = Field(..., description="Token rahasia; hanya ditampilkan sekali ini")
