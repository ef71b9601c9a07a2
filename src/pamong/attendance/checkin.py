"""Check-in from the app (web page or API): the server's clock, the logged-in employee, the unit's geofence.

- Time: the server's, as local wall-clock time of settings.TIME_ZONE (what a machine on the wall would record); a
  client's clock is never trusted.
- Place: the geofence of the employee's unit, or of its nearest ancestor that has one (an OPD's fence covers its
  bidang). Inside (haversine distance ≤ radius) or refused with the distance; a unit under a fence requires the
  coordinates. No fence up the tree: accepted anywhere, coordinates stored when given.
- Rate: one punch a minute per employee; a second check-in within the minute (a double tap, a retried request)
  returns the first one and adds nothing.
- Month: a locked month (its TPP approved) takes no punch.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from pamong.audit import services as audit
from pamong.core.errors import Forbidden, ValidationFailed
from pamong.people.models import Employee

from .locks import month_locked
from .models import Geofence, Punch, PunchSource

EARTH_RADIUS_M = 6_371_008.8  # mean Earth radius (IUGG); the error against WGS-84 is < 0.5 % — metres at a fence
MIN_INTERVAL_S = 60


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def distance_text(metres: float) -> str:
    """350 m; 1,2 km (Indonesian decimal comma)."""
    if metres < 1000:
        return f"{round(metres)} m"
    return f"{metres / 1000:.1f} km".replace(".", ",")


def geofence_for(employee: Employee) -> Geofence | None:
    """The fence of the employee's unit or its nearest ancestor with one (unit paths list ancestor ids)."""
    path = employee.unit.path
    ids = [int(part) for part in path.strip("/").split("/") if part]
    fences = {g.unit_id: g for g in Geofence.objects.filter(unit_id__in=ids)}
    for uid in reversed(ids):
        if uid in fences:
            return fences[uid]
    return None


@dataclass(frozen=True)
class CheckinResult:
    punch: Punch
    duplicate: bool  # True: within a minute of the previous check-in, which is returned instead
    distance_m: int | None  # from the fence's centre, when there is a fence and coordinates


def checkin_record(
    *, actor: Any, latitude: float | None = None, longitude: float | None = None, now: dt.datetime | None = None
) -> CheckinResult:
    employee = Employee.objects.select_related("unit").filter(user_id=getattr(actor, "pk", None)).first()
    if employee is None:
        raise Forbidden("Presensi hanya untuk pegawai: akun ini tidak terhubung dengan data pegawai.")
    local = timezone.localtime(now or timezone.now())
    day, seconds = local.date(), local.hour * 3600 + local.minute * 60 + local.second
    if (latitude is None) != (longitude is None):
        missing = "latitude" if latitude is None else "longitude"
        raise ValidationFailed(
            "Lintang dan bujur harus dikirim bersama.",
            details=[{"field": missing, "message": "wajib bila yang lain diisi"}],
        )
    fence = geofence_for(employee)
    distance: float | None = None
    if fence is not None:
        if latitude is None or longitude is None:
            raise ValidationFailed(
                "Lokasi Anda diperlukan untuk presensi di unit kerja ini: izinkan akses lokasi lalu coba lagi.",
                details=[{"field": "latitude", "message": "lokasi wajib di unit kerja ini"}],
            )
        distance = haversine_m(latitude, longitude, float(fence.latitude), float(fence.longitude))
        if distance > fence.radius_m:
            raise ValidationFailed(
                f"Anda berada {distance_text(distance)} dari kantor; batas {distance_text(fence.radius_m)}.",
                details=[
                    {
                        "field": "latitude",
                        "message": "di luar area presensi",
                        "distance_m": round(distance),
                        "radius_m": fence.radius_m,
                    }
                ],  # fmt: skip
            )
    if month_locked(day):
        raise ValidationFailed(f"Presensi bulan {day:%m/%Y} sudah dikunci (TPP bulan itu sudah disetujui).")
    with transaction.atomic():
        Employee.objects.select_for_update().filter(pk=employee.pk).first()  # one check-in at a time per employee
        last = (
            Punch.objects.filter(employee=employee, date=day, source=PunchSource.CHECKIN, device__isnull=True)
            .order_by("-seconds")
            .first()
        )
        if last is not None and 0 <= seconds - last.seconds < MIN_INTERVAL_S:
            return CheckinResult(last, True, None if distance is None else round(distance))
        punch = Punch.objects.create(
            employee=employee,
            date=day,
            seconds=seconds,
            source=PunchSource.CHECKIN,
            latitude=None if latitude is None else Decimal(f"{latitude:.6f}"),
            longitude=None if longitude is None else Decimal(f"{longitude:.6f}"),
        )
        audit.record(actor=actor, action="attendance.checkin.recorded", obj=punch,
                     changes={"employee": employee.pk, "date": day.isoformat(), "seconds": seconds,
                              "distance_m": None if distance is None else round(distance)})  # fmt: skip
    return CheckinResult(punch, False, None if distance is None else round(distance))
