"""API: employees. Visibility comes from people/selectors.py (not visible = 404, same as absent); writes need
`people.change_employee` on the employee's unit (403) and go through people/services.py.

What a response contains follows the Detail level from employee_get: lists show WORK fields only; a detail
adds `payroll` (bank, MKG, derived family facts) at PAYROLL and `personal`, `family`, `history` at FULL.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from pamong.api.pagination import paginate
from pamong.api.schemas import (
    ContactPatchIn,
    EducationHistoryOut,
    EmployeeCreateIn,
    EmployeeDetailOut,
    EmployeeQuery,
    EmployeeSummary,
    FamilyMemberOut,
    KgbHistoryOut,
    Page,
    PersonalPart,
    RankChangeIn,
    RankHistoryOut,
    StatusChangeIn,
    StatusHistoryOut,
    errors,
)
from pamong.core.errors import Forbidden, ValidationFailed
from pamong.org.api import position_ref, unit_ref
from pamong.org.selectors import unit_get

from . import selectors, services
from .grades import PANGKAT
from .models import Employee, RankHistory, StatusHistory
from .records import EmployeeRecord
from .selectors import Detail

router = Router(tags=["pegawai"])

CHANGE_PERM = "people.change_employee"


# --- presenters -------------------------------------------------------------------------------------------------


def employee_summary(e: Employee) -> dict[str, Any]:
    return {
        "nip": e.nip,
        "name": e.name,
        "front_title": e.front_title,
        "back_title": e.back_title,
        "full_name": e.full_name,
        "employee_type": e.employee_type,
        "golongan": e.golongan,
        "pangkat": PANGKAT.get(e.golongan),
        "status": e.status,
        "status_since": e.status_since,
        "position_mode": e.position_mode,
        "unit": unit_ref(e.unit),
        "position": position_ref(e.position),
    }


def _sk(row: Any) -> dict[str, Any]:
    return {"id": row.pk, "sk_number": row.sk_number, "sk_date": row.sk_date, "tmt": row.tmt}


def rank_row(r: RankHistory) -> dict[str, Any]:
    return _sk(r) | {
        "golongan": r.golongan,
        "pangkat": PANGKAT.get(r.golongan),
        "mkg_years": r.mkg_years,
        "mkg_months": r.mkg_months,
        "kind": r.kind,
    }


def status_row(s: StatusHistory) -> dict[str, Any]:
    return _fields(s, StatusHistoryOut)


def _fields(obj: Any, schema: type[Schema]) -> dict[str, Any]:
    """The model attributes named by a flat output schema (the schema decides what leaves the server)."""
    return {f: getattr(obj, f) for f in schema.model_fields}


def employee_detail(e: Employee, level: Detail) -> dict[str, Any]:
    out = employee_summary(e) | {
        "detail_level": level.name.lower(),
        "payroll": None,
        "personal": None,
        "family": None,
        "history": None,
    }
    if level >= Detail.PAYROLL:
        out["payroll"] = {
            "bank_name": e.bank_name,
            "bank_account_number": e.bank_account_number,
            "bank_account_name": e.bank_account_name,
            "mkg_years": e.mkg_years,
            "mkg_months": e.mkg_months,
            "mkg_set_on": e.mkg_set_on,
            "next_kgb_on": e.next_kgb_on,
            "family_facts": asdict(selectors.family_facts(e)),
        }
    if level >= Detail.FULL:
        out["personal"] = _fields(e, PersonalPart)
        out["family"] = [_fields(m, FamilyMemberOut) for m in e.family.all()]
        out["history"] = {
            "rank": [rank_row(r) for r in e.rank_history.all()],
            "position": [
                _sk(p)
                | {
                    "position": position_ref(p.position),
                    "unit": unit_ref(p.unit),
                    "mode": p.mode,
                    "end_date": p.end_date,
                }
                for p in e.position_history.all()
            ],
            "kgb": [_fields(k, KgbHistoryOut) for k in e.kgb_history.all()],
            "status": [status_row(s) for s in e.status_history.all()],
            "education": [_fields(d, EducationHistoryOut) for d in e.education_history.all()],
        }
    return out


def _require_change(request: HttpRequest, unit: Any) -> None:
    if not request.user.has_perm(CHANGE_PERM, unit):
        raise Forbidden("Anda tidak berwenang mengubah data pegawai pada unit kerja ini.")


def _changeable(request: HttpRequest, nip: str) -> tuple[Employee, Detail]:
    """The employee if the user may see it (else 404) and change it (else 403)."""
    employee, level = selectors.employee_get(request.user, nip=nip)
    _require_change(request, employee.unit)
    return employee, level


# --- endpoints --------------------------------------------------------------------------------------------------


@router.get("/employees", response={200: Page[EmployeeSummary], **errors(422)}, summary="Cari pegawai")
def employee_list(request: HttpRequest, filters: Query[EmployeeQuery]) -> Any:
    """Employees the caller may see, ordered by name then NIP. WORK fields only; open one for more."""
    f = selectors.EmployeeFilter(
        q=filters.q,
        unit_id=filters.unit_id,
        golongan=filters.golongan.strip(),
        status=filters.status or "",
        employee_type=filters.employee_type or "",
    )
    return paginate(selectors.employee_search(request.user, f), filters, employee_summary)


@router.get("/employees/{nip}", response={200: EmployeeDetailOut, **errors(404)}, summary="Data satu pegawai")
def employee_read(request: HttpRequest, nip: str) -> Any:
    employee, level = selectors.employee_get(request.user, nip=nip)
    return employee_detail(employee, level)


@router.post(
    "/employees",
    response={201: EmployeeDetailOut, **errors(403, 409, 422)},
    summary="Tambah pegawai (dengan SK pangkat dan jabatan)",
)
def employee_add(request: HttpRequest, payload: EmployeeCreateIn) -> Any:
    unit = unit_get(payload.unit_id)
    if unit is None:
        raise ValidationFailed(
            "Data pegawai tidak valid.", details=[{"index": 0, "field": "unit_id", "message": "unit kerja tidak ada"}]
        )
    _require_change(request, unit)
    record = EmployeeRecord(**payload.model_dump(exclude={"reason"}))
    employee = services.employee_create(actor=request.user, record=record, reason=payload.reason)
    # Whoever may create may normally see FULL; a superuser without roles still gets the WORK view.
    level = selectors.detail_level(request.user, employee) or Detail.WORK
    return Status(201, employee_detail(employee, level))


@router.patch(
    "/employees/{nip}",
    response={200: EmployeeDetailOut, **errors(403, 404, 422)},
    summary="Ubah data kontak dan rekening",
)
def employee_patch(request: HttpRequest, nip: str, payload: ContactPatchIn) -> Any:
    """Only contact and bank fields; omitted fields stay as they are. Rank, position and status need an SK."""
    employee, level = _changeable(request, nip)
    fields = payload.model_dump(exclude_unset=True, exclude={"reason"})
    updated = services.employee_update_contact(actor=request.user, employee=employee, reason=payload.reason, **fields)
    return employee_detail(updated, level)


@router.post(
    "/employees/{nip}/rank",
    response={201: RankHistoryOut, **errors(403, 404, 422)},
    summary="Catat kenaikan pangkat/golongan (SK)",
)
def employee_rank_change(request: HttpRequest, nip: str, payload: RankChangeIn) -> Any:
    """Adds a rank history row; a back-dated SK (TMT before the latest) adds history without changing the
    current rank."""
    employee, _level = _changeable(request, nip)
    row = services.rank_change(
        actor=request.user,
        employee=employee,
        golongan=payload.golongan,
        mkg_years=payload.mkg_years,
        mkg_months=payload.mkg_months,
        kind=payload.kind,
        sk=services.Sk(number=payload.sk.number, date=payload.sk.date, tmt=payload.sk.tmt),
        reason=payload.reason,
    )
    return Status(201, rank_row(row))


@router.post(
    "/employees/{nip}/status",
    response={201: StatusHistoryOut, **errors(403, 404, 422)},
    summary="Catat perubahan status kepegawaian (SK)",
)
def employee_status_change(request: HttpRequest, nip: str, payload: StatusChangeIn) -> Any:
    employee, _level = _changeable(request, nip)
    row = services.status_change(
        actor=request.user,
        employee=employee,
        status=payload.status,
        note=payload.note,
        sk=services.Sk(number=payload.sk.number, date=payload.sk.date, tmt=payload.sk.tmt),
        reason=payload.reason,
    )
    return Status(201, status_row(row))
