"""Writes to personnel data. Every write is atomic, keeps the employee's current fields in step with the history
row that justifies them, and appends audit events (who, what, before/after, SK number)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import DataError, IntegrityError, transaction

from pamong.audit import services as audit
from pamong.audit.history import row_history
from pamong.core.errors import Conflict, ValidationFailed
from pamong.core.text import require_plain_text
from pamong.org.models import Position

from .models import (
    Employee,
    EmploymentStatus,
    FamilyMember,
    PositionHistory,
    RankHistory,
    SalaryRaiseHistory,
    StatusHistory,
)
from .records import (
    EMPLOYEE_FIELDS,
    EmployeeRecord,
    contact_errors,
    family_errors,
    golongan_error,
    length_errors,
    mkg_errors,
    next_kgb_date,
    retirement_date,
    text_errors,
    validate,
)

CONTACT_FIELDS = (
    "name",
    "front_title",
    "back_title",
    "birth_place",
    "address",
    "phone",
    "email",
    "education_level",
    "bank_name",
    "bank_account_number",
    "bank_account_name",
)
TRACKED = EMPLOYEE_FIELDS + ("next_kgb_on", "retirement_on", "position_mode")


@dataclass
class UpsertResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    created_nips: list[str] = field(default_factory=list)
    updated_nips: list[str] = field(default_factory=list)


def _record_values(rec: EmployeeRecord, position: Position, today: dt.date) -> dict[str, Any]:
    values = {k: getattr(rec, k) for k in EMPLOYEE_FIELDS}  # not asdict(): it deep-copies (10 s per 100k)
    values["next_kgb_on"] = next_kgb_date(
        rec.mkg_years, rec.mkg_months, rec.mkg_set_on, golongan=rec.golongan, employee_type=rec.employee_type
    )
    values["retirement_on"] = retirement_date(rec.birth_date, position, today)
    return values


def _require_sk(rec: EmployeeRecord, prefix: str, what: str) -> list[tuple[str, str]]:
    missing = [f for f in ("sk_number", "sk_date", "tmt") if not getattr(rec, f"{prefix}_{f}")]
    return [(f"{prefix}_{f}", f"{what}: wajib diisi karena {what.split()[0]} baru atau berubah") for f in missing]


@dataclass
class _UpsertPlan:
    errors: list[dict[str, Any]]
    positions: dict[int, Position]
    new_emps: list[Employee] = field(default_factory=list)
    changed: list[tuple[Employee, EmployeeRecord, dict[str, list[Any]]]] = field(default_factory=list)
    unchanged: int = 0


def _upsert_plan(records: list[EmployeeRecord], today: dt.date) -> _UpsertPlan:
    """Validate and diff against the database; reads only."""
    positions = Position.objects.in_bulk({r.position_id for r in records})
    errors: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    seen_nik: dict[str, int] = {}
    for i, rec in enumerate(records):
        for fname, msg in validate(rec, positions.get(rec.position_id)):
            errors.append({"index": i, "field": fname, "message": msg})
        for key, value, where, label in (("nip", rec.nip, seen, "NIP"), ("nik", rec.nik, seen_nik, "NIK")):
            if value in where:
                errors.append(
                    {"index": i, "field": key, "message": f"{label} ganda dalam data (juga data ke-{where[value] + 1})"}
                )
            where.setdefault(value, i)
    existing = {e.nip: e for e in Employee.objects.filter(nip__in=[r.nip for r in records])}
    nik_owner = dict(Employee.objects.filter(nik__in=[r.nik for r in records]).values_list("nik", "nip"))
    for i, rec in enumerate(records):
        if nik_owner.get(rec.nik, rec.nip) != rec.nip:
            errors.append(
                {"index": i, "field": "nik", "message": f"NIK sudah dipakai pegawai NIP {nik_owner[rec.nik]}"}
            )
        old = existing.get(rec.nip)
        if old is None or (old.golongan, old.mkg_years, old.mkg_months) != (
            rec.golongan,
            rec.mkg_years,
            rec.mkg_months,
        ):
            errors += [
                {"index": i, "field": f, "message": m} for f, m in _require_sk(rec, "rank", "pangkat/golongan (SK)")
            ]
        if old is None or old.position_id != rec.position_id:
            errors += [{"index": i, "field": f, "message": m} for f, m in _require_sk(rec, "position", "jabatan (SK)")]
    plan = _UpsertPlan(errors, positions)
    if errors:
        return plan
    for rec in records:
        values = _record_values(rec, positions[rec.position_id], today)
        old = existing.get(rec.nip)
        if old is None:
            plan.new_emps.append(Employee(**values))
            continue
        before = audit.snapshot(old, TRACKED)
        for k, v in values.items():
            setattr(old, k, v)
        changes = audit.diff(before, audit.snapshot(old, TRACKED))
        if changes:
            plan.changed.append((old, rec, changes))
        else:
            plan.unchanged += 1
    return plan


def _invalid(errors: list[dict[str, Any]]) -> ValidationFailed:
    return ValidationFailed("Data pegawai tidak valid; tidak ada yang disimpan.", details=errors)


def employees_upsert_check(*, records: list[EmployeeRecord], today: dt.date | None = None) -> UpsertResult:
    """What `employees_upsert` would do (counts; ValidationFailed the same), without writing or locking:
    an import's dry run, and the check of a whole file before it is written in batches."""
    plan = _upsert_plan(records, today or dt.date.today())
    if plan.errors:
        raise _invalid(plan.errors)
    return UpsertResult(
        created=len(plan.new_emps),
        updated=len(plan.changed),
        unchanged=plan.unchanged,
        created_nips=[e.nip for e in plan.new_emps],
        updated_nips=[e.nip for e, _, _ in plan.changed],
    )


def employees_upsert(
    *, actor: Any, records: list[EmployeeRecord], reason: str = "", today: dt.date | None = None
) -> UpsertResult:
    """Create or update employees matched by NIP, in bulk. Validates all first: any error refuses the whole
    batch (ValidationFailed with details [{index, field, message}]) and nothing is written."""
    plan = _upsert_plan(records, today or dt.date.today())
    if plan.errors:
        raise _invalid(plan.errors)
    result = UpsertResult(unchanged=plan.unchanged)
    new_emps, changed = plan.new_emps, plan.changed

    try:
        with transaction.atomic(), row_history(user=getattr(actor, "pk", None), reason=reason or "employees_upsert"):
            Employee.objects.bulk_create(new_emps, batch_size=1000)
            if not new_emps or new_emps[0].pk is None:  # backends without RETURNING: read the ids back
                ids = dict(Employee.objects.filter(nip__in=[e.nip for e in new_emps]).values_list("nip", "pk"))
                for e in new_emps:
                    e.pk = ids[e.nip]
            by_nip = {r.nip: r for r in records}
            ranks, posts, events = [], [], []
            for e in new_emps:
                rec = by_nip[e.nip]
                ranks.append(_rank_row(e, rec))
                posts.append(_position_row(e, rec))
                events.append(
                    audit.Change(
                        "employee.created",
                        obj=e,
                        changes=audit.diff({}, audit.snapshot(e, TRACKED)),
                        reason=reason,
                        sk_number=rec.rank_sk_number,
                    )
                )
            upd_fields = [f for f in TRACKED if f not in ("nip",)]
            for e, rec, changes in changed:
                if {"golongan", "mkg_years", "mkg_months"} & changes.keys():
                    ranks.append(_rank_row(e, rec))
                if "position_id" in changes:
                    posts.append(_position_row(e, rec))
                sk = (
                    rec.rank_sk_number
                    if "golongan" in changes
                    else rec.position_sk_number
                    if "position_id" in changes
                    else ""
                )
                events.append(audit.Change("employee.updated", obj=e, changes=changes, reason=reason, sk_number=sk))
            Employee.objects.bulk_update(
                [e for e, _, _ in changed], [_db_field(f) for f in upd_fields] + ["updated_at"], batch_size=1000
            )
            RankHistory.objects.bulk_create(ranks, batch_size=2000)
            PositionHistory.objects.bulk_create(posts, batch_size=2000)
            audit.record_many(actor, events)
    except DataError as exc:  # a value the database refuses (e.g. too long) that validation did not catch
        raise ValidationFailed(
            "Data pegawai ditolak basis data; tidak ada yang disimpan.", details={"db": str(exc)[:200]}
        ) from None
    except IntegrityError as exc:
        raise Conflict(
            "Data bentrok dengan data yang sudah ada (NIP atau NIK ganda).", details={"db": str(exc)[:200]}
        ) from None
    result.created = len(new_emps)
    result.updated = len(changed)
    result.created_nips = [e.nip for e in new_emps]
    result.updated_nips = [e.nip for e, _, _ in changed]
    return result


def _db_field(name: str) -> str:
    return {"position_id": "position", "unit_id": "unit"}.get(name, name)


def _rank_row(e: Employee, rec: EmployeeRecord) -> RankHistory:
    return RankHistory(
        employee=e,
        golongan=rec.golongan,
        mkg_years=rec.mkg_years,
        mkg_months=rec.mkg_months,
        sk_number=rec.rank_sk_number,
        sk_date=rec.rank_sk_date,
        tmt=rec.rank_tmt,
    )


def _position_row(e: Employee, rec: EmployeeRecord) -> PositionHistory:
    return PositionHistory(
        employee=e,
        position_id=rec.position_id,
        unit_id=rec.unit_id,
        sk_number=rec.position_sk_number,
        sk_date=rec.position_sk_date,
        tmt=rec.position_tmt,
    )


def employee_create(*, actor: Any, record: EmployeeRecord, reason: str = "") -> Employee:
    if Employee.objects.filter(nip=record.nip.strip()).exists():
        raise Conflict(f"Pegawai dengan NIP {record.nip} sudah ada.", details={"field": "nip"})
    employees_upsert(actor=actor, records=[record], reason=reason)
    return Employee.objects.get(nip=record.nip)


def _save_audited(actor: Any, emp: Employee, before: dict[str, Any], action: str, reason: str, sk: str = "") -> None:
    changes = audit.diff(before, audit.snapshot(emp, TRACKED))
    emp.save()
    if changes:
        audit.record(actor=actor, action=action, obj=emp, changes=changes, reason=reason, sk_number=sk)


def employee_update_contact(*, actor: Any, employee: Employee, reason: str = "", **fields: Any) -> Employee:
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise ValidationFailed(
            "Kolom ini tidak boleh diubah langsung; gunakan riwayat dengan SK.", details={"fields": sorted(unknown)}
        )
    with transaction.atomic():
        emp = Employee.objects.select_for_update().get(pk=employee.pk)
        before = audit.snapshot(emp, TRACKED)
        for k, v in fields.items():
            setattr(emp, k, v)
        current = {f: getattr(emp, f) for f in CONTACT_FIELDS}
        errs = text_errors(fields) + length_errors(fields) + contact_errors(current)
        if errs:  # the first problem as the message; details {field: [message]} so a form shows each by its field
            refuse_if(errs, errs[0][1][0].upper() + errs[0][1][1:] + ".")
        emp.full_clean(exclude=["user", "position", "unit"])
        _save_audited(actor, emp, before, "employee.updated", reason)
    return emp


def refuse_if(errors: list[tuple[str, str]], message: str = "Data tidak valid; tidak ada yang disimpan.") -> None:
    """Raise the errors of records.py as one ValidationFailed: details {field: [message, ...]} (the shape
    full_clean's errors take in the API too), so a form can show each beside its field."""
    if errors:
        details: dict[str, list[str]] = {}
        for name, msg in errors:
            details.setdefault(name, []).append(msg[0].upper() + msg[1:] + ".")
        raise ValidationFailed(message, details=details)


@dataclass(frozen=True)
class Sk:
    number: str
    date: dt.date
    tmt: dt.date

    def __post_init__(self) -> None:
        if not self.number.strip():
            raise ValidationFailed("Nomor SK wajib diisi.", details={"field": "sk_number"})
        if self.date > dt.date.today() + dt.timedelta(days=366):
            raise ValidationFailed("Tanggal SK tidak wajar.", details={"field": "sk_date"})


def _is_latest(qs: Any, tmt: dt.date) -> bool:
    return not qs.filter(tmt__gt=tmt).exists()


def rank_change(
    *,
    actor: Any,
    employee: Employee,
    golongan: str,
    mkg_years: int,
    mkg_months: int,
    sk: Sk,
    kind: str = "reguler",
    reason: str = "",
) -> RankHistory:
    if err := golongan_error(employee.employee_type, golongan):
        raise ValidationFailed(err[0].upper() + err[1:] + ".", details={"field": "golongan"})
    refuse_if(mkg_errors(mkg_years, mkg_months))
    with transaction.atomic():
        emp = Employee.objects.select_for_update().get(pk=employee.pk)
        row = RankHistory(
            employee=emp,
            golongan=golongan,
            mkg_years=mkg_years,
            mkg_months=mkg_months,
            kind=kind,
            sk_number=sk.number,
            sk_date=sk.date,
            tmt=sk.tmt,
        )
        row.full_clean()
        require_plain_text(row)
        latest = _is_latest(emp.rank_history, sk.tmt)
        row.save()
        if latest:  # a back-dated SK adds history but does not overwrite a later rank
            before = audit.snapshot(emp, TRACKED)
            emp.golongan, emp.mkg_years, emp.mkg_months, emp.mkg_set_on = golongan, mkg_years, mkg_months, sk.tmt
            emp.next_kgb_on = next_kgb_date(
                mkg_years, mkg_months, sk.tmt, golongan=emp.golongan, employee_type=emp.employee_type
            )
            _save_audited(actor, emp, before, "employee.rank_changed", reason, sk.number)
        else:
            audit.record(
                actor=actor,
                action="rank_history.added",
                obj=row,
                reason=reason,
                sk_number=sk.number,
                changes=audit.diff({}, {"employee": emp.pk, "golongan": golongan, "tmt": sk.tmt}),
            )
    return row


def kgb_record(
    *, actor: Any, employee: Employee, mkg_years: int, mkg_months: int, sk: Sk, reason: str = ""
) -> SalaryRaiseHistory:
    refuse_if(mkg_errors(mkg_years, mkg_months))
    with transaction.atomic():
        emp = Employee.objects.select_for_update().get(pk=employee.pk)
        row = SalaryRaiseHistory(
            employee=emp,
            golongan=emp.golongan,
            mkg_years=mkg_years,
            mkg_months=mkg_months,
            sk_number=sk.number,
            sk_date=sk.date,
            tmt=sk.tmt,
        )
        row.full_clean()
        require_plain_text(row)
        row.save()
        if sk.tmt >= emp.mkg_set_on:
            before = audit.snapshot(emp, TRACKED)
            emp.mkg_years, emp.mkg_months, emp.mkg_set_on = mkg_years, mkg_months, sk.tmt
            emp.next_kgb_on = next_kgb_date(
                mkg_years, mkg_months, sk.tmt, golongan=emp.golongan, employee_type=emp.employee_type
            )
            _save_audited(actor, emp, before, "employee.kgb_recorded", reason, sk.number)
    return row


def position_assign(
    *,
    actor: Any,
    employee: Employee,
    position: Position,
    sk: Sk,
    mode: str = "definitif",
    end_date: dt.date | None = None,
    reason: str = "",
) -> PositionHistory:
    if mode not in PositionHistory.Mode.values:
        raise ValidationFailed("Jenis penugasan tidak dikenal.", details={"field": "mode"})
    with transaction.atomic():
        emp = Employee.objects.select_for_update().get(pk=employee.pk)
        row = PositionHistory(
            employee=emp,
            position=position,
            unit=position.unit,
            mode=mode,
            end_date=end_date,
            sk_number=sk.number,
            sk_date=sk.date,
            tmt=sk.tmt,
        )
        row.full_clean()
        require_plain_text(row)
        row.save()
        if mode == PositionHistory.Mode.DEFINITIF and _is_latest(emp.position_history.filter(mode="definitif"), sk.tmt):
            before = audit.snapshot(emp, TRACKED)
            emp.position, emp.unit = position, position.unit
            emp.retirement_on = retirement_date(emp.birth_date, position, sk.tmt)
            _save_audited(actor, emp, before, "employee.position_assigned", reason, sk.number)
        else:
            audit.record(
                actor=actor,
                action=f"employee.position_{mode}",
                obj=emp,
                reason=reason,
                sk_number=sk.number,
                changes={"position_" + mode: [None, position.pk], "end_date": [None, _iso(end_date)]},
            )
    return row


def status_change(
    *, actor: Any, employee: Employee, status: str, sk: Sk, note: str = "", reason: str = ""
) -> StatusHistory:
    if status not in EmploymentStatus.values:
        raise ValidationFailed("Status kepegawaian tidak dikenal.", details={"field": "status"})
    with transaction.atomic():
        emp = Employee.objects.select_for_update().get(pk=employee.pk)
        row = StatusHistory(employee=emp, status=status, note=note, sk_number=sk.number, sk_date=sk.date, tmt=sk.tmt)
        row.full_clean()
        require_plain_text(row)
        row.save()
        if _is_latest(emp.status_history, sk.tmt):
            before = audit.snapshot(emp, TRACKED)
            emp.status, emp.status_since = status, sk.tmt
            if status == EmploymentStatus.AKTIF and emp.employee_type == "CPNS":
                emp.employee_type, emp.tmt_pns = "PNS", sk.tmt
            _save_audited(actor, emp, before, "employee.status_changed", reason, sk.number)
    return row


FAMILY_FIELDS = (
    "relation",
    "name",
    "nik",
    "birth_date",
    "gender",
    "marriage_date",
    "spouse_is_pns",
    "spouse_nip",
    "spouse_has_income",
    "receives_spouse_allowance",
    "child_kind",
    "in_school",
    "married",
    "working",
    "ended_on",
)


def family_member_save(
    *, actor: Any, employee: Employee, member: FamilyMember | None = None, reason: str = "", **fields: Any
) -> FamilyMember:
    """Add (member=None) or change a spouse or child. Family facts feed allowances, so every change is audited."""
    with transaction.atomic():
        m = member or FamilyMember(employee=employee)
        before = audit.snapshot(m, FAMILY_FIELDS) if member else {}
        for k, v in fields.items():
            setattr(m, k, v)
        refuse_if(
            length_errors(fields, FamilyMember)
            + family_errors({f: getattr(m, f) for f in FAMILY_FIELDS}),
            "Data anggota keluarga tidak valid; tidak ada yang disimpan.",
        )
        m.full_clean()
        require_plain_text(m, names=("name",))
        if m.relation == FamilyMember.Relation.SPOUSE and not m.ended_on:
            others = employee.family.filter(relation="spouse", ended_on__isnull=True).exclude(pk=m.pk)
            if others.exists():
                raise ValidationFailed(
                    "Masih ada pasangan yang tercatat aktif; akhiri dahulu (cerai/meninggal).",
                    details={"field": "relation"},
                )
        m.save()
        audit.record(
            actor=actor,
            action="family.changed" if member else "family.added",
            obj=m,
            reason=reason,
            changes={"employee": [None, employee.pk]} | audit.diff(before, audit.snapshot(m, FAMILY_FIELDS)),
        )
    return m


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None
