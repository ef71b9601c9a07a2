"""API: SKP and evaluations under /api/v1/performance. Reads through performance/selectors.py (not visible = 404);
writes through performance/skp.py and evaluations.py, which decide who may do what (403, 409, 422)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from pamong.api.pagination import paginate
from pamong.api.schemas import Page, PageQuery, errors
from pamong.core.errors import NotVisible

from . import evaluations, selectors
from . import skp as skp_services
from .models import Evaluation, Skp, SkpResult

router = Router(tags=["kinerja"])

RatingWord = Literal["di_atas", "sesuai", "di_bawah"]


class IndicatorOut(Schema):
    id: int
    text: str
    aspect: str
    target: Decimal
    unit_label: str


class ResultOut(Schema):
    id: int
    kind: str
    text: str
    supports_id: int | None
    pk_reference: str
    indicators: list[IndicatorOut]


class BehaviourOut(Schema):
    value: str
    label: str
    expectation: str


class SkpOut(Schema):
    id: int
    employee_id: int
    employee_nip: str
    employee_name: str
    year: int
    version: int
    state: str
    penilai_id: int | None
    atasan_penilai_id: int | None
    previous_id: int | None
    revision_reason: str
    return_note: str


class SkpDetailOut(SkpOut):
    results: list[ResultOut]
    behaviours: list[BehaviourOut]


class SkpQuery(PageQuery):
    year: int | None = Field(None, ge=2022, le=2100)
    state: Literal["draft", "submitted", "agreed", "superseded"] | None = None
    employee_id: int | None = None


class SkpCreateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    employee_id: int
    year: int = Field(..., ge=2022, le=2100)


class ResultIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["utama", "tambahan"] = "utama"
    text: str = Field(..., max_length=500)
    supports_id: int | None = None
    pk_reference: str = Field("", max_length=500)


class IndicatorIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(..., max_length=500)
    aspect: Literal["kuantitas", "kualitas", "waktu", "biaya"]
    target: Decimal = Field(..., ge=0, lt=Decimal("1e12"), max_digits=14, decimal_places=2)
    unit_label: str = Field(..., max_length=60)


class NoteIn(Schema):
    model_config = ConfigDict(extra="forbid")

    note: str = Field(..., max_length=500)


class ReasonIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(..., max_length=500)


class EvaluationOut(Schema):
    id: int
    employee_id: int
    kind: str
    period_start: dt.date
    period_end: dt.date
    state: str
    hasil: str
    perilaku: str
    predikat: str
    capaian_bp: int | None
    corrects_id: int | None
    finalised_at: dt.datetime | None


class EvaluationQuery(PageQuery):
    employee_id: int | None = None
    kind: Literal["periodic", "annual"] | None = None
    year: int | None = Field(None, ge=2022, le=2100)


class EvaluationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    employee_id: int
    month: dt.date = Field(..., description="Any day of the month rated; the city's period holding it is rated")
    hasil: RatingWord
    perilaku: RatingWord
    note: str = Field("", max_length=2000)
    finalise: bool = False


def skp_out(s: Skp) -> dict[str, Any]:
    return {
        "id": s.pk, "employee_id": s.employee_id, "employee_nip": s.employee.nip, "employee_name": s.employee.name,
        "year": s.year, "version": s.version, "state": s.state, "penilai_id": s.penilai_id,
        "atasan_penilai_id": s.atasan_penilai_id, "previous_id": s.previous_id, "revision_reason": s.revision_reason,
        "return_note": s.return_note,
    }  # fmt: skip


def result_out(r: SkpResult) -> dict[str, Any]:
    return {"id": r.pk, "kind": r.kind, "text": r.text, "supports_id": r.supports_id, "pk_reference": r.pk_reference,
            "indicators": [{"id": i.pk, "text": i.text, "aspect": i.aspect, "target": i.target,
                            "unit_label": i.unit_label} for i in r.indicators.all()]}  # fmt: skip


def skp_detail(s: Skp) -> dict[str, Any]:
    results = s.results.prefetch_related("indicators")
    behaviours = [{"value": b.value, "label": b.get_value_display(), "expectation": b.expectation}
                  for b in s.behaviours.all()]  # fmt: skip
    return skp_out(s) | {"results": [result_out(r) for r in results], "behaviours": behaviours}


def evaluation_out(e: Evaluation) -> dict[str, Any]:
    return {
        "id": e.pk, "employee_id": e.employee_id, "kind": e.kind, "period_start": e.period_start,
        "period_end": e.period_end, "state": e.state, "hasil": e.hasil, "perilaku": e.perilaku,
        "predikat": e.predikat, "capaian_bp": e.capaian_bp, "corrects_id": e.corrects_id,
        "finalised_at": e.finalised_at,
    }  # fmt: skip


def _skp(request: HttpRequest, skp_id: int) -> Skp:
    return selectors.skp_get(request.user, skp_id)


@router.get("/performance/skps", response={200: Page[SkpOut], **errors(422)}, summary="Daftar SKP yang boleh dilihat")
def skp_list(request: HttpRequest, q: Query[SkpQuery]) -> Any:
    qs = selectors.skps_visible_to(request.user)
    if q.year is not None:
        qs = qs.filter(year=q.year)
    if q.state:
        qs = qs.filter(state=q.state)
    if q.employee_id is not None:
        qs = qs.filter(employee_id=q.employee_id)
    return paginate(qs.order_by("-year", "employee_id", "-version"), q, skp_out)


@router.get("/performance/skps/{skp_id}", response={200: SkpDetailOut, **errors(404)}, summary="Satu SKP lengkap")
def skp_get(request: HttpRequest, skp_id: int) -> Any:
    return skp_detail(_skp(request, skp_id))


@router.post("/performance/skps", response={201: SkpDetailOut, **errors(403, 404, 409, 422)}, summary="Buat SKP")
def skp_create(request: HttpRequest, payload: SkpCreateIn) -> Any:
    s = skp_services.skp_create(actor=request.user, employee_id=payload.employee_id, year=payload.year)
    return Status(201, skp_detail(s))


@router.post(
    "/performance/skps/{skp_id}/results",
    response={201: ResultOut, **errors(403, 404, 409, 422)},
    summary="Tambah rencana hasil kerja pada draf SKP",
)
def skp_result_add(request: HttpRequest, skp_id: int, payload: ResultIn) -> Any:
    _skp(request, skp_id)
    r = skp_services.skp_result_add(actor=request.user, skp_id=skp_id, **payload.model_dump())
    return Status(201, result_out(r))


@router.post(
    "/performance/results/{result_id}/indicators",
    response={201: IndicatorOut, **errors(403, 404, 409, 422)},
    summary="Tambah indikator pada rencana hasil kerja",
)
def skp_indicator_add(request: HttpRequest, result_id: int, payload: IndicatorIn) -> Any:
    r = SkpResult.objects.filter(pk=result_id).first()
    if r is None:
        raise NotVisible("Hasil kerja tidak ditemukan.")
    _skp(request, r.skp_id)
    i = skp_services.skp_indicator_add(actor=request.user, result_id=result_id, **payload.model_dump())
    return Status(201, {"id": i.pk, "text": i.text, "aspect": i.aspect, "target": i.target,
                        "unit_label": i.unit_label})  # fmt: skip


@router.post("/performance/skps/{skp_id}/submit", response={200: SkpOut, **errors(403, 404, 409, 422)},
             summary="Ajukan draf SKP ke pejabat penilai")  # fmt: skip
def skp_submit(request: HttpRequest, skp_id: int) -> Any:
    _skp(request, skp_id)
    return skp_out(skp_services.skp_submit(actor=request.user, skp_id=skp_id))


@router.post("/performance/skps/{skp_id}/agree", response={200: SkpOut, **errors(403, 404, 409)},
             summary="Setujui SKP (pejabat penilai)")  # fmt: skip
def skp_agree(request: HttpRequest, skp_id: int) -> Any:
    _skp(request, skp_id)
    return skp_out(skp_services.skp_agree(actor=request.user, skp_id=skp_id))


@router.post("/performance/skps/{skp_id}/return", response={200: SkpOut, **errors(403, 404, 409, 422)},
             summary="Kembalikan SKP dengan catatan (pejabat penilai)")  # fmt: skip
def skp_return(request: HttpRequest, skp_id: int, payload: NoteIn) -> Any:
    _skp(request, skp_id)
    return skp_out(skp_services.skp_return(actor=request.user, skp_id=skp_id, note=payload.note))


@router.post("/performance/skps/{skp_id}/revise", response={201: SkpOut, **errors(403, 404, 409, 422)},
             summary="Buat versi baru dari SKP yang disetujui, dengan alasan")  # fmt: skip
def skp_revise(request: HttpRequest, skp_id: int, payload: ReasonIn) -> Any:
    _skp(request, skp_id)
    return Status(201, skp_out(skp_services.skp_revise(actor=request.user, skp_id=skp_id, reason=payload.reason)))


@router.get("/performance/evaluations", response={200: Page[EvaluationOut], **errors(422)},
            summary="Penilaian kinerja yang boleh dilihat")  # fmt: skip
def evaluation_list(request: HttpRequest, q: Query[EvaluationQuery]) -> Any:
    qs = selectors.evaluations_visible_to(request.user)
    if q.employee_id is not None:
        qs = qs.filter(employee_id=q.employee_id)
    if q.kind:
        qs = qs.filter(kind=q.kind)
    if q.year is not None:
        qs = qs.filter(period_start__year=q.year)
    return paginate(qs.order_by("-period_start", "employee_id", "-id"), q, evaluation_out)


@router.post("/performance/evaluations", response={201: EvaluationOut, **errors(403, 404, 409, 422)},
             summary="Nilai kinerja periodik (pejabat penilai): draf, atau langsung final")  # fmt: skip
def evaluation_rate(request: HttpRequest, payload: EvaluationIn) -> Any:
    selectors.employee_in_scope(request.user, payload.employee_id)
    ev = evaluations.evaluation_rate(actor=request.user, **payload.model_dump())
    return Status(201, evaluation_out(ev))


@router.post("/performance/evaluations/{evaluation_id}/finalise",
             response={200: EvaluationOut, **errors(403, 404, 409)},
             summary="Finalkan penilaian periodik (pejabat penilai)")  # fmt: skip
def evaluation_finalise(request: HttpRequest, evaluation_id: int) -> Any:
    if not selectors.evaluations_visible_to(request.user).filter(pk=evaluation_id).exists():
        raise NotVisible("Penilaian tidak ditemukan.")
    return evaluation_out(evaluations.evaluation_finalise(actor=request.user, evaluation_id=evaluation_id))
