"""API: POST /api/v1/attendance/checkin — the logged-in employee's check-in (attendance/checkin.py decides)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from pamong.api.schemas import errors

from . import checkin

router = Router(tags=["presensi"])


class CheckinIn(Schema):
    model_config = ConfigDict(extra="forbid")

    latitude: float | None = Field(None, ge=-90, le=90, description="Lintang (derajat desimal, WGS-84)")
    longitude: float | None = Field(None, ge=-180, le=180, description="Bujur (derajat desimal, WGS-84)")


class CheckinOut(Schema):
    id: int
    date: str = Field(..., description="Tanggal setempat (YYYY-MM-DD)")
    time: str = Field(..., description="Jam setempat menurut server (HH:MM:SS)")
    duplicate: bool = Field(
        ..., description="true: presensi kurang dari 1 menit setelah yang sebelumnya, yang dikembalikan"
    )
    distance_m: int | None = Field(
        None, description="Jarak dari titik kantor (meter), bila unit memiliki area presensi"
    )


@router.post(
    "/attendance/checkin",
    response={200: CheckinOut, **errors(403, 422)},
    summary="Presensi dari aplikasi (waktu menurut server)",
    description=(
        "Mencatat presensi pegawai yang masuk (login/token) pada jam server (waktu setempat). 403 bila akun bukan "
        "pegawai. 422 bila unit kerja memiliki area presensi (geofence) dan lokasi tidak dikirim atau di luar radius "
        "(pesan menyebut jaraknya), atau bulan ini sudah dikunci. Presensi kedua dalam satu menit tidak menambah apa "
        "pun: yang pertama dikembalikan dengan duplicate=true."
    ),
)
def checkin_post(request: HttpRequest, payload: CheckinIn) -> Any:
    r = checkin.checkin_record(actor=request.user, latitude=payload.latitude, longitude=payload.longitude)
    h, rem = divmod(r.punch.seconds, 3600)
    return {
        "id": r.punch.pk,
        "date": r.punch.date.isoformat(),
        "time": f"{h:02d}:{rem // 60:02d}:{rem % 60:02d}",
        "duplicate": r.duplicate,
        "distance_m": r.distance_m,
    }
