"""API: third-party ratings and calibration under /api/v1/performance. Writes through performance/ratings.py (who may
rate whom: 403; locked: 409); the panel through calibration_selectors (not on the panel: 404); each employee's own
scores without rater identities."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from pamong.api.schemas import errors

from . import calibration_selectors as sel
from .models import Rating
from .ratings import rating_submit

router = Router(tags=["kinerja"])


class RatingIn(Schema):
    model_config = ConfigDict(extra="forbid")

    ratee_id: int
    period_start: dt.date | None = Field(None, description="Awal periode; bawaan: 1 Januari tahun ini (tahunan)")
    scores: dict[str, Decimal] = Field(
        ..., description="Kode kriteria → nilai 0..100 (kriteria dari paket aturan daerah)"
    )
    comment: str = Field("", max_length=2000)
    role: Literal["supervisor", "assessor", "peer", "citizen"] | None = Field(
        None, description="Peran penilai bila boleh lebih dari satu; citizen: angka layanan unit oleh admin BKPSDM"
    )


class RatingOut(Schema):
    id: int
    ratee_id: int
    period_start: dt.date
    pool: str
    rater_role: str
    scores: dict[str, float]
    value: Decimal
    comment: str
    locked: bool


class RaterEffectOut(Schema):
    key: str
    name: str
    role: str
    efek: float
    n: int
    galat_baku: float | None
    efek_disusutkan: float


class FlagOut(Schema):
    penilai: str
    rater_name: str
    dinilai: str
    ratee_name: str
    nilai: float
    residu: float
    z: float


class RankOut(Schema):
    ratee_id: int
    name: str
    n: int | None
    mentah: float
    adil: float | None
    akhir: float | None
    peringkat_mentah: int
    peringkat_adil: int | None
    perubahan: int
    override_reason: str


class ReliabilityOut(Schema):
    icc_a1: float | None = None
    icc_c1: float | None = None
    alpha_interval: float | None = None


class OverrideOut(Schema):
    ratee_id: int
    old_value: Decimal
    new_value: Decimal
    reason: str
    actor: str
    at: dt.datetime


class PartOut(Schema):
    penilai: list[str]
    dinilai: list[str]


class SessionOut(Schema):
    id: int
    period_start: dt.date
    pool: str
    pool_label: str
    state: str
    computed_at: dt.datetime | None
    terhubung: bool
    komponen: int | None
    keterangan: str
    bagian: list[PartOut]
    penilai: list[RaterEffectOut]
    tanda: list[FlagOut]
    peringkat: list[RankOut]
    reliabilitas: ReliabilityOut
    df_residu: int | None
    sd_residu: float | None
    overrides: list[OverrideOut]


class SourceOut(Schema):
    role: str
    label: str
    raters: int
    shown: bool
    mentah: float | None
    penyesuaian: float | None
    disesuaikan: float | None


class MyScoresOut(Schema):
    period_start: dt.date
    pool_label: str
    raters: int
    mentah: float
    state: str
    state_label: str
    adil: float | None
    akhir: float | None
    penyesuaian: float | None
    terhubung: bool | None
    override_value: float | None
    override_reason: str
    sources: list[SourceOut]


class MyScoresQuery(Schema):
    year: int | None = Field(None, ge=2022, le=2100, description="Tahun; bawaan: tahun ini")


def rating_out(r: Rating) -> dict[str, Any]:
    return {
        "id": r.pk,
        "ratee_id": r.ratee_id,
        "period_start": r.period_start,
        "pool": r.pool,
        "rater_role": r.rater_role,
        "scores": {k: float(v) for k, v in r.scores.items()},
        "value": r.value,
        "comment": r.comment,
        "locked": r.locked,
    }


@router.post(
    "/performance/ratings",
    response={201: RatingOut, **errors(403, 404, 409, 422)},
    summary="Beri (atau ubah) penilaian angka 0–100 per kriteria",
)
def rating_create(request: HttpRequest, payload: RatingIn) -> Any:
    """Pejabat penilai, penilai independen yang ditugaskan, rekan kerja yang ditugaskan; angka layanan masyarakat
    oleh admin BKPSDM (role=citizen). Penilaian ulang mengganti yang lama sampai dikunci sidang kalibrasi (409)."""
    r = rating_submit(
        actor=request.user,
        ratee_id=payload.ratee_id,
        period_start=payload.period_start,
        scores={k: str(v) for k, v in payload.scores.items()},
        comment=payload.comment,
        role=payload.role,
    )
    return Status(201, rating_out(r))


@router.get(
    "/performance/calibration/sessions/{session_id}",
    response={200: SessionOut, **errors(404)},
    summary="Sidang kalibrasi: efek penilai, tanda, peringkat, keandalan, perubahan nilai",
)
def session_get(request: HttpRequest, session_id: int) -> Any:
    s = sel.session_get(request.user, session_id)
    p = sel.session_panel(s)
    return {
        "id": s.pk,
        "period_start": s.period_start,
        "pool": s.pool,
        "pool_label": p["pool_label"],
        "state": s.state,
        "computed_at": s.computed_at,
        "terhubung": p["terhubung"],
        "komponen": p["komponen"],
        "keterangan": p["keterangan"],
        "bagian": p["bagian"],
        "penilai": [{k: r[k] for k in RaterEffectOut.model_fields} for r in p["raters"]],
        "tanda": [{k: f[k] for k in FlagOut.model_fields} for f in p["flags"]],
        "peringkat": [
            {
                **{k: r[k] for k in RankOut.model_fields if k != "override_reason"},
                "override_reason": r["override"].reason if r["override"] else "",
            }  # fmt: skip
            for r in p["ranking"]
        ],
        "reliabilitas": p["reliabilitas"],
        "df_residu": p["df_residu"],
        "sd_residu": p["sd_residu"],
        "overrides": [
            {
                "ratee_id": o.ratee_id,
                "old_value": o.old_value,
                "new_value": o.new_value,
                "reason": o.reason,
                "actor": o.actor.get_username(),
                "at": o.at,
            }  # fmt: skip
            for o in p["overrides"]
        ],
    }


@router.get(
    "/performance/my-scores",
    response={200: list[MyScoresOut], **errors(422)},
    summary="Nilai saya dari penilai pihak ketiga: mentah, penyesuaian, adil, perubahan sidang",
)
def my_scores(request: HttpRequest, q: Query[MyScoresQuery]) -> Any:
    """Tanpa identitas penilai; rincian satu sumber disembunyikan bila penilainya kurang dari 3."""
    year = q.year or dt.date.today().year
    return [asdict(item) for item in sel.my_scores(request.user, year)]
