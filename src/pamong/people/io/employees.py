"""Importing employees from a sheet laid out like a BKN SIASN export (docs/import-format.md).

Rows are parsed into EmployeeRecord, checked as a whole by `employees_upsert_check` (read-only) and written in
batches by `employees_upsert`, the same validation and write path as the forms and the API. The importer adds
what only a file can get wrong: header, cell formats (NIP as text), codes that must resolve, duplicates inside
the file, and the OPD operator's scope. Lookups are prefetched (positions and units: one query each; existing
employees: one query), never one query per row.

Defaults, decided here and documented for users:
- mkg_set_on ("MKG per tanggal") = TMT_MKG; when that is empty or absent: the stored date if golongan and MKG
  are unchanged (so a KGB recorded in Pamong is not undone), else TMT_GOLONGAN.
- status_since = TMT_STATUS; when empty or absent: the stored date if the status is unchanged, else TMT_PNS for
  an active PNS, else TMT_CPNS (the CPNS/PPPK appointment).
- An optional column that is absent from the file leaves that field of an existing employee as it is
  (an empty cell in a present column does clear it). KODE_UNIT empty = the unit of the position.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import fields as dc_fields
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db import DataError

from pamong.core.errors import Conflict, ValidationFailed
from pamong.org.models import Position, Unit
from pamong.people.grades import GOLONGAN_ORDER, PPPK_GOLONGAN
from pamong.people.models import EducationLevel, Employee, EmployeeType, EmploymentStatus
from pamong.people.records import EmployeeRecord
from pamong.people.services import employees_upsert, employees_upsert_check

from .report import Context, Outcome, RowError, Step
from .table import (
    CellError,
    Column,
    Table,
    as_text,
    check_header,
    choice,
    choices_of,
    date,
    integer,
    parse_rows,
    text,
    text_number,
)

GENDERS = {
    "L": "L",
    "P": "P",
    "1": "L",
    "2": "P",
    "Laki-laki": "L",
    "Lakilaki": "L",
    "Pria": "L",
    "Perempuan": "P",
    "Wanita": "P",
}
EDUCATION = choices_of(EducationLevel) | {
    "SLTP": "SMP",
    "SLTA": "SMA",
    "SMK": "SMA",
    "SMA/SMK": "SMA",
    "DI": "D1",
    "DII": "D2",
    "DIII": "D3",
    "DIV": "D4",
    "SI": "S1",
    "SII": "S2",
    "SIII": "S3",
}
_GOLONGAN = re.compile(r"^([IVX]+)(?:[/\-.]?([A-E]))?$")


def _golongan(v: Any) -> str:
    s = as_text(v).replace(" ", "").upper()
    if not s:
        raise CellError("wajib diisi")
    if s.isdigit() and 1 <= int(s) <= len(PPPK_GOLONGAN):
        return PPPK_GOLONGAN[int(s) - 1]
    m = _GOLONGAN.match(s)
    code = (f"{m[1]}/{m[2].lower()}" if m[2] else m[1]) if m else ""
    if code not in GOLONGAN_ORDER:
        raise CellError("golongan tidak dikenal; contoh III/b untuk PNS/CPNS atau IX untuk PPPK")
    return code


def _email(v: Any) -> str:
    s = text(254)(v)
    if s:
        try:
            validate_email(s)
        except DjangoValidationError:
            raise CellError("alamat email tidak valid") from None
    return s


def _choice_required(mapping: dict[str, str], what: str, allowed: str = "") -> Any:
    return choice(mapping, what, required=True, allowed=allowed)


C = Column
EMPLOYEE_COLUMNS: list[Column] = [
    C("NIP", text_number("NIP", 18, required=True), required=True),
    C("NIK", text_number("NIK", 16, required=True), required=True),
    C("NAMA", text(150, required=True), required=True),
    C("GELAR_DEPAN", text(30)),
    C("GELAR_BELAKANG", text(40)),
    C("TEMPAT_LAHIR", text(80)),
    C("TANGGAL_LAHIR", date(required=True), required=True),
    C("JENIS_KELAMIN", _choice_required(GENDERS, "jenis kelamin", "L, P, 1, 2, Laki-laki, Perempuan"), required=True),
    C("JENIS_PEGAWAI", _choice_required(choices_of(EmployeeType), "jenis pegawai"), required=True),
    C("TMT_CPNS", date(required=True), required=True),
    C("TMT_PNS", date()),
    C("GOLONGAN", _golongan, required=True),
    C("MKG_TAHUN", integer(lo=0, hi=40, required=True), required=True),
    C("MKG_BULAN", integer(lo=0, hi=11, required=True), required=True),
    C("TMT_GOLONGAN", date(required=True), required=True),
    C("NOMOR_SK_PANGKAT", text(100)),
    C("TANGGAL_SK_PANGKAT", date()),
    C("TMT_MKG", date()),
    C("KODE_JABATAN", text(40, required=True), required=True),
    C("KODE_UNIT", text(30)),
    C("TMT_JABATAN", date()),
    C("NOMOR_SK_JABATAN", text(100)),
    C("TANGGAL_SK_JABATAN", date()),
    C("STATUS", _choice_required(choices_of(EmploymentStatus), "status kepegawaian"), required=True),
    C("TMT_STATUS", date()),
    C("PENDIDIKAN", choice(EDUCATION, "jenjang pendidikan", allowed=", ".join(EducationLevel.values))),
    C("BANK", text(60)),
    C("NOMOR_REKENING", text_number("nomor rekening", 30)),
    C("NAMA_REKENING", text(150)),
    C("ALAMAT", text(1000)),
    C("TELEPON", text_number("nomor telepon", 30)),
    C("EMAIL", _email),
]
COLUMN_NAMES = [c.name for c in EMPLOYEE_COLUMNS]
TEXT_ID_COLUMNS = frozenset({"NIP", "NIK", "NOMOR_REKENING", "TELEPON"})
DATE_COLUMNS = frozenset(
    {
        "TANGGAL_LAHIR",
        "TMT_CPNS",
        "TMT_PNS",
        "TMT_GOLONGAN",
        "TANGGAL_SK_PANGKAT",
        "TMT_MKG",
        "TMT_JABATAN",
        "TANGGAL_SK_JABATAN",
        "TMT_STATUS",
    }
)
INT_COLUMNS = frozenset({"MKG_TAHUN", "MKG_BULAN"})

# column -> EmployeeRecord field (KODE_JABATAN / KODE_UNIT resolve to ids separately)
FIELD_OF = {
    "NIP": "nip",
    "NIK": "nik",
    "NAMA": "name",
    "GELAR_DEPAN": "front_title",
    "GELAR_BELAKANG": "back_title",
    "TEMPAT_LAHIR": "birth_place",
    "TANGGAL_LAHIR": "birth_date",
    "JENIS_KELAMIN": "gender",
    "JENIS_PEGAWAI": "employee_type",
    "TMT_CPNS": "tmt_cpns",
    "TMT_PNS": "tmt_pns",
    "GOLONGAN": "golongan",
    "MKG_TAHUN": "mkg_years",
    "MKG_BULAN": "mkg_months",
    "TMT_GOLONGAN": "rank_tmt",
    "NOMOR_SK_PANGKAT": "rank_sk_number",
    "TANGGAL_SK_PANGKAT": "rank_sk_date",
    "TMT_MKG": "mkg_set_on",
    "TMT_JABATAN": "position_tmt",
    "NOMOR_SK_JABATAN": "position_sk_number",
    "TANGGAL_SK_JABATAN": "position_sk_date",
    "STATUS": "status",
    "TMT_STATUS": "status_since",
    "PENDIDIKAN": "education_level",
    "BANK": "bank_name",
    "NOMOR_REKENING": "bank_account_number",
    "NAMA_REKENING": "bank_account_name",
    "ALAMAT": "address",
    "TELEPON": "phone",
    "EMAIL": "email",
}
# optional columns whose stored value an existing employee keeps when the column is not in the file
KEEP_WHEN_ABSENT = {
    "GELAR_DEPAN": "front_title",
    "GELAR_BELAKANG": "back_title",
    "TEMPAT_LAHIR": "birth_place",
    "TMT_PNS": "tmt_pns",
    "PENDIDIKAN": "education_level",
    "BANK": "bank_name",
    "NOMOR_REKENING": "bank_account_number",
    "NAMA_REKENING": "bank_account_name",
    "ALAMAT": "address",
    "TELEPON": "phone",
    "EMAIL": "email",
}
_RECORD_FIELDS = {f.name for f in dc_fields(EmployeeRecord)}


def _column_of(field: str, columns: set[str]) -> str:
    if field in ("position", "position_id"):
        return "KODE_JABATAN"
    if field == "unit_id":
        return "KODE_UNIT"
    if field == "mkg_set_on":
        return "TMT_MKG" if "TMT_MKG" in columns else "TMT_GOLONGAN"
    if field == "status_since":
        return "TMT_STATUS" if "TMT_STATUS" in columns else "STATUS"
    for col, f in FIELD_OF.items():
        if f == field:
            return col
    return field


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return f"{value:%d-%m-%Y}"
    return str(value)


def import_employees(ctx: Context, table: Table) -> Outcome:
    outcome = Outcome()
    errors = outcome.errors
    header_errors = check_header(table.columns, EMPLOYEE_COLUMNS)
    if header_errors:
        errors += header_errors
        return outcome
    columns = set(table.columns)
    simple = [(col, f) for col, f in FIELD_OF.items() if col in columns]
    absent_keep = [f for col, f in KEEP_WHEN_ABSENT.items() if col not in columns]

    positions = {
        code: (pk, unit_id, active)
        for code, pk, unit_id, active in Position.objects.values_list("code", "pk", "unit_id", "active")
    }
    units = {code: (pk, path) for code, pk, path in Unit.objects.values_list("code", "pk", "path")}
    unit_path = {pk: path for pk, path in units.values()}
    position_code = {pk: code for code, (pk, _, _) in positions.items()}

    pending: list[tuple[int, EmployeeRecord]] = []
    first_nip: dict[str, int] = {}
    first_nik: dict[str, int] = {}
    for n, p, ok in parse_rows(table, EMPLOYEE_COLUMNS, errors):
        outcome.rows_total += 1
        nip, nik = p.get("NIP"), p.get("NIK")
        if nip:
            nip = nip.replace(" ", "")
            if nip in first_nip:
                errors.append(RowError(n, "NIP", nip, f"NIP ganda dalam berkas (juga di baris {first_nip[nip]})"))
                ok = False
            else:
                first_nip[nip] = n
        if nik:
            if nik in first_nik:
                errors.append(RowError(n, "NIK", nik, f"NIK ganda dalam berkas (juga di baris {first_nik[nik]})"))
                ok = False
            else:
                first_nik[nik] = n
        pcode = p.get("KODE_JABATAN")
        pos = positions.get(pcode) if pcode else None
        if pcode and pos is None:
            errors.append(RowError(n, "KODE_JABATAN", pcode, "kode jabatan tidak ditemukan"))
            ok = False
        elif pos is not None and not pos[2]:
            errors.append(RowError(n, "KODE_JABATAN", pcode or "", "jabatan ini sudah tidak aktif"))
            ok = False
        ucode = p.get("KODE_UNIT")
        unit_id = None
        if ucode:
            unit = units.get(ucode)
            if unit is None:
                errors.append(RowError(n, "KODE_UNIT", ucode, "kode unit tidak ditemukan"))
                ok = False
            else:
                unit_id = unit[0]
        if not ok or pos is None:
            continue
        values: dict[str, Any] = {f: p[col] for col, f in simple}
        values["nip"] = nip
        values["position_id"] = pos[0]
        values["unit_id"] = unit_id or pos[1]
        for f in ("rank_sk_number", "position_sk_number"):
            values[f] = values.get(f) or ""
        values.setdefault("mkg_set_on", None)
        values.setdefault("status_since", None)
        pending.append((n, EmployeeRecord(**values)))

    # existing employees, one query: for the defaults above and the operator's scope
    wanted = ["nip", "golongan", "mkg_years", "mkg_months", "mkg_set_on", "status", "status_since", "unit_id"]
    existing: dict[str, dict[str, Any]] = {
        row["nip"]: row
        for row in Employee.objects.filter(nip__in=[r.nip for _, r in pending]).values(*wanted, *absent_keep)
    }
    records: list[EmployeeRecord] = []
    rows: list[int] = []
    for n, rec in pending:
        old = existing.get(rec.nip)
        if old is not None:
            for f in absent_keep:
                setattr(rec, f, old[f])
        if rec.mkg_set_on is None:
            same = old is not None and (old["golongan"], old["mkg_years"], old["mkg_months"]) == (
                rec.golongan,
                rec.mkg_years,
                rec.mkg_months,
            )
            rec.mkg_set_on = old["mkg_set_on"] if old is not None and same else rec.rank_tmt  # type: ignore[assignment]
        if rec.status_since is None:
            if old is not None and old["status"] == rec.status:
                rec.status_since = old["status_since"]
            elif rec.status == EmploymentStatus.AKTIF and rec.tmt_pns:
                rec.status_since = rec.tmt_pns
            else:
                rec.status_since = rec.tmt_cpns
        if ctx.scope_paths is not None:
            target = unit_path.get(rec.unit_id, "")
            if not target.startswith(ctx.scope_paths):
                col = "KODE_UNIT" if "KODE_UNIT" in columns else "KODE_JABATAN"
                shown = next((c for c, (pk, _) in units.items() if pk == rec.unit_id), "")
                errors.append(
                    RowError(
                        n,
                        col,
                        shown if col == "KODE_UNIT" else position_code[rec.position_id],
                        "unit kerja ini di luar OPD yang Anda kelola",
                    )
                )
                continue
            if old is not None and not unit_path.get(old["unit_id"], "").startswith(ctx.scope_paths):
                errors.append(
                    RowError(n, "NIP", rec.nip, "pegawai ini terdaftar di unit kerja di luar OPD yang Anda kelola")
                )
                continue
        records.append(rec)
        rows.append(n)

    if not records:
        return outcome

    def row_errors(exc: ValidationFailed, offset: int = 0) -> list[RowError]:
        out = []
        for d in exc.details if isinstance(exc.details, list) else []:
            i = offset + d["index"]
            rec = records[i]
            col = _column_of(d["field"], columns)
            field = d["field"] if d["field"] in _RECORD_FIELDS else f"{d['field']}_id"
            value = position_code.get(rec.position_id, "") if col == "KODE_JABATAN" else _shown(getattr(rec, field, ""))
            out.append(RowError(rows[i], col, value, d["message"]))
        if not isinstance(exc.details, list):
            out.append(RowError(0, "", "", exc.message))
        return out

    try:  # the whole file, read-only: every error and the counts before anything is written
        result = employees_upsert_check(records=records)
    except ValidationFailed as exc:
        errors += row_errors(exc)
        return outcome
    outcome.created, outcome.updated, outcome.unchanged = result.created, result.updated, result.unchanged

    def step(offset: int, batch: list[EmployeeRecord]) -> Step:
        def write() -> list[RowError]:
            try:  # checked again inside the step's transaction: the database may have changed since
                employees_upsert(actor=ctx.actor, records=batch, reason=ctx.reason)
            except ValidationFailed as exc:
                return row_errors(exc, offset)
            except (Conflict, DataError) as exc:
                return [RowError(0, "", "", getattr(exc, "message", None) or f"data ditolak database: {exc}")]
            return []

        return Step(len(batch), write)

    outcome.steps = [step(i, records[i : i + ctx.batch_rows]) for i in range(0, len(records), ctx.batch_rows)]
    return outcome
