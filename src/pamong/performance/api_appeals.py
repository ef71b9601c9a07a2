"""API: appeals (keberatan, PP 30/2019 Pasal 59) under /api/v1/performance/appeals. Reads through
appeals.appeals_for (the employee, their pejabat penilai and atasan, BKPSDM, the inspectorate; anyone else 404);
every step through the appeals services, which decide who may take it (403) and when (409)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from pamong.api.pagination import paginate
from pamong.api.schemas import Page, PageQuery, errors

from . import appeals
from .models import Appeal

router = Router(tags=["kinerja"])


class AppealOut(Schema):
    id: int
    evaluation_id: int
    employee_id: int
    atasan_id: int | None
    state: str
    reasons: str
    filed_at: dt.datetime
    decide_by: dt.date
    penilai_statement: str
    employee_statement: str
    decision_reason: str
    decided_at: dt.datetime | None
    correction_id: int | None
    overdue: bool


class AppealIn(Schema):
    model_config = ConfigDict(extra="forbid")

    evaluation_id: int
    reasons: str = Field(..., max_length=4000)


class StatementIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(..., max_length=4000)


class DecisionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    outcome: Literal["upheld", "changed"]
    reason: str = Field(..., max_length=4000)
    new_hasil: Literal["di_atas", "sesuai", "di_bawah", ""] = ""
    new_perilaku: Literal["di_atas", "sesuai", "di_bawah", ""] = ""


def appeal_out(a: Appeal) -> dict[str, Any]:
    return {
        "id": a.pk, "evaluation_id": a.evaluation_id, "employee_id": a.employee_id, "atasan_id": a.atasan_id,
        "state": a.state, "reasons": a.reasons, "filed_at": a.filed_at, "decide_by": a.decide_by,
        "penilai_statement": a.penilai_statement, "employee_statement": a.employee_statement,
        "decision_reason": a.decision_reason, "decided_at": a.decided_at, "correction_id": a.correction_id,
        "overdue": appeals.is_overdue(a),
    }  # fmt: skip


def _visible(request: HttpRequest, appeal_id: int) -> Appeal:
    return appeals.appeal_get(request.user, appeal_id)


@router.get("/performance/appeals", response={200: Page[AppealOut], **errors(422)},
            summary="Keberatan yang boleh dilihat")  # fmt: skip
def appeal_list(request: HttpRequest, q: Query[PageQuery]) -> Any:
    return paginate(appeals.appeals_for(request.user).order_by("-filed_at", "-id"), q, appeal_out)


@router.get("/performance/appeals/{appeal_id}", response={200: AppealOut, **errors(404)}, summary="Satu keberatan")
def appeal_get(request: HttpRequest, appeal_id: int) -> Any:
    return appeal_out(_visible(request, appeal_id))


@router.post("/performance/appeals", response={201: AppealOut, **errors(403, 404, 409, 422)},
             summary="Ajukan keberatan atas penilaian final (pegawai yang dinilai, dalam 14 hari)")  # fmt: skip
def appeal_file(request: HttpRequest, payload: AppealIn) -> Any:
    a = appeals.appeal_file(actor=request.user, evaluation_id=payload.evaluation_id, reasons=payload.reasons)
    return Status(201, appeal_out(a))


@router.post("/performance/appeals/{appeal_id}/examine", response={200: AppealOut, **errors(403, 404, 409)},
             summary="Minta penjelasan kedua pihak (atasan pejabat penilai)")  # fmt: skip
def appeal_examine(request: HttpRequest, appeal_id: int) -> Any:
    _visible(request, appeal_id)
    return appeal_out(appeals.appeal_request_explanations(actor=request.user, appeal_id=appeal_id))


@router.post("/performance/appeals/{appeal_id}/statement", response={200: AppealOut, **errors(403, 404, 409, 422)},
             summary="Penjelasan pejabat penilai atau pegawai")  # fmt: skip
def appeal_statement(request: HttpRequest, appeal_id: int, payload: StatementIn) -> Any:
    _visible(request, appeal_id)
    return appeal_out(appeals.appeal_statement(actor=request.user, appeal_id=appeal_id, text=payload.text))


@router.post("/performance/appeals/{appeal_id}/decide", response={200: AppealOut, **errors(403, 404, 409, 422)},
             summary="Putuskan keberatan (atasan pejabat penilai); keputusan final")  # fmt: skip
def appeal_decide(request: HttpRequest, appeal_id: int, payload: DecisionIn) -> Any:
    _visible(request, appeal_id)
    return appeal_out(appeals.appeal_decide(actor=request.user, appeal_id=appeal_id, **payload.model_dump()))


@router.post("/performance/appeals/{appeal_id}/withdraw", response={200: AppealOut, **errors(403, 404, 409)},
             summary="Tarik keberatan sebelum diputus (pegawai)")  # fmt: skip
def appeal_withdraw(request: HttpRequest, appeal_id: int) -> Any:
    _visible(request, appeal_id)
    return appeal_out(appeals.appeal_withdraw(actor=request.user, appeal_id=appeal_id))
