"""API: the employee's own leave under /api/v1/attendance/leave — list (every request the caller may see, newest
first) and submit (the caller's own; JSON, so only types that need no evidence file: the rest through the page).
Every write through leave.leave_request_submit, which refuses what the page refuses."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from pamong.accounts.access import access_for
from pamong.api.pagination import paginate
from pamong.api.schemas import Page, PageQuery, errors
from pamong.core.errors import Forbidden

from . import leave
from .models import LeaveRequest

router = Router(tags=["presensi"])


class LeaveOut(Schema):
    id: int
    employee_id: int
    kind: str
    start: dt.date
    end: dt.date
    days: int = Field(..., description="Hari kerja yang diambil")
    reason: str
    address: str
    has_evidence: bool
    state: str
    approver_id: int | None
    decided_at: dt.datetime | None
    decision_note: str


class LeaveIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: str = Field(..., max_length=30, description="Kunci jenis cuti dari paket aturan cuti/jenis_cuti")
    start: dt.date
    end: dt.date
    reason: str = Field(..., max_length=500)
    address: str = Field("", max_length=300)


def leave_out(r: LeaveRequest) -> dict[str, Any]:
    return {
        "id": r.pk, "employee_id": r.employee_id, "kind": r.kind, "start": r.start, "end": r.end, "days": r.days,
        "reason": r.reason, "address": r.address, "has_evidence": bool(r.evidence), "state": r.state,
        "approver_id": r.approver_id, "decided_at": r.decided_at, "decision_note": r.decision_note,
    }  # fmt: skip


@router.get("/attendance/leave", response={200: Page[LeaveOut], **errors(422)},
            summary="Permohonan cuti yang boleh dilihat (pegawai: miliknya sendiri)")  # fmt: skip
def leave_list(request: HttpRequest, q: Query[PageQuery]) -> Any:
    return paginate(leave.leave_requests_visible_to(request.user).order_by("-start", "-id"), q, leave_out)


@router.post("/attendance/leave", response={201: LeaveOut, **errors(403, 409, 422)},
             summary="Ajukan cuti sendiri (jenis yang tidak memerlukan bukti berkas)")  # fmt: skip
def leave_submit(request: HttpRequest, payload: LeaveIn) -> Any:
    me = access_for(request.user).employee_id
    if me is None:
        raise Forbidden(gettext("Akun ini tidak terhubung dengan data pegawai."))
    req = leave.leave_request_submit(actor=request.user, employee_id=me, **payload.model_dump())
    return Status(201, leave_out(req))
