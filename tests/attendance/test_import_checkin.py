"""Check-in: server time, the unit's (or an ancestor's) geofence, one punch a minute, the API's answers."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.test import Client

from pamong.attendance import checkin
from pamong.attendance.models import Punch, PunchSource
from pamong.audit.models import AuditEvent
from pamong.core.errors import Forbidden, ValidationFailed
from tests.api.conftest import Api, assert_error, token_for
from tests.attendance import factories_import as af

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
AT = dt.datetime(2026, 3, 2, 7, 5, 9, tzinfo=WIB)
OFFICE = ("-0.680600", "100.776700")  # a point in Sawahlunto


def test_haversine_and_the_distance_text():
    assert round(checkin.haversine_m(0, 0, 1, 0)) == 111_195  # one degree of latitude
    assert checkin.haversine_m(-0.68, 100.77, -0.68, 100.77) == 0
    assert checkin.distance_text(349.6) == "350 m"
    assert checkin.distance_text(1234) == "1,2 km"


def test_without_a_fence_a_checkin_is_accepted_at_server_local_time(city):
    r = checkin.checkin_record(actor=city.users["staff"], now=AT.astimezone(dt.UTC))
    p = r.punch
    assert (p.employee_id, p.date, p.seconds, p.source, p.device_id) == (
        city.staff.pk, dt.date(2026, 3, 2), 7 * 3600 + 5 * 60 + 9, PunchSource.CHECKIN, None)  # fmt: skip
    assert not r.duplicate and r.distance_m is None and p.latitude is None
    assert AuditEvent.objects.filter(action="attendance.checkin.recorded", object_id=str(p.pk)).count() == 1


def test_an_ancestors_fence_applies_inside_outside_and_missing(city):
    af.geofence(city.opd_a, *OFFICE, radius_m=100)  # staff works in Bidang A1, under Dinas A
    inside = checkin.checkin_record(actor=city.users["staff"], latitude=-0.6810, longitude=100.7767, now=AT)
    assert 40 <= inside.distance_m <= 50 and inside.punch.latitude is not None
    with pytest.raises(ValidationFailed) as exc:
        checkin.checkin_record(actor=city.users["staff"], latitude=-0.6914, longitude=100.7767,
                               now=AT + dt.timedelta(minutes=5))  # fmt: skip
    assert exc.value.message == "Anda berada 1,2 km dari kantor; batas 100 m."
    with pytest.raises(ValidationFailed, match="Lokasi Anda diperlukan"):
        checkin.checkin_record(actor=city.users["staff"], now=AT + dt.timedelta(minutes=5))
    assert Punch.objects.count() == 1


def test_the_nearest_fence_wins(city):
    af.geofence(city.opd_a, "0", "0", radius_m=100)
    af.geofence(city.bidang_a, *OFFICE, radius_m=100)
    assert checkin.geofence_for(city.staff).unit_id == city.bidang_a.pk
    assert checkin.geofence_for(city.head).unit_id == city.opd_a.pk
    assert checkin.geofence_for(city.other) is None


def test_one_punch_a_minute(city):
    u = city.users["staff"]
    first = checkin.checkin_record(actor=u, now=AT)
    again = checkin.checkin_record(actor=u, now=AT + dt.timedelta(seconds=59))
    assert again.duplicate and again.punch.pk == first.punch.pk
    later = checkin.checkin_record(actor=u, now=AT + dt.timedelta(seconds=60))
    assert not later.duplicate and Punch.objects.count() == 2


def test_a_user_without_employee_record_may_not_check_in(city):
    with pytest.raises(Forbidden):
        checkin.checkin_record(actor=city.users["admin"], now=AT)


def test_a_locked_month_takes_no_checkin(city):
    af.lock_month(AT.date(), city.users["admin"])
    with pytest.raises(ValidationFailed, match="dikunci"):
        checkin.checkin_record(actor=city.users["staff"], now=AT)


def test_latitude_without_longitude_is_refused(city):
    with pytest.raises(ValidationFailed, match="bersama"):
        checkin.checkin_record(actor=city.users["staff"], latitude=-0.68, now=AT)


# --- API ------------------------------------------------------------------------------------------------------------


def test_api_checkin_by_token_then_the_duplicate(city, monkeypatch):
    monkeypatch.setattr(checkin.timezone, "now", lambda: AT)  # the server's clock, fixed
    api = Api(Client()).use_token(token_for(city.users["staff"]))
    first = api.post("/attendance/checkin", {})
    assert first.status_code == 200, first.content
    body = first.json()
    p = Punch.objects.get(pk=body["id"])
    assert p.employee_id == city.staff.pk and body["date"] == p.date.isoformat() and not body["duplicate"]
    assert (body["date"], body["time"], body["distance_m"]) == ("2026-03-02", "07:05:09", None)
    second = api.post("/attendance/checkin", {}).json()
    assert second["id"] == body["id"] and second["duplicate"] is True
    assert Punch.objects.count() == 1


def test_api_refusals(city):
    api = Api(Client())
    af.geofence(city.opd_a, *OFFICE, radius_m=100)
    assert_error(api.post("/attendance/checkin", {}), 401, "not_authenticated")
    staff = Api(Client()).use_token(token_for(city.users["staff"]))
    err = assert_error(staff.post("/attendance/checkin", {"latitude": -0.6914, "longitude": 100.7767}), 422)
    assert err["message"].startswith("Anda berada 1,2 km dari kantor")
    assert_error(staff.post("/attendance/checkin", {}), 422, "validation_failed")
    assert_error(staff.post("/attendance/checkin", {"latitude": 91, "longitude": 0}), 422, "validation_failed")
    admin = Api(Client()).use_token(token_for(city.users["admin"]))
    assert_error(admin.post("/attendance/checkin", {}), 403, "forbidden")
    assert Punch.objects.count() == 0
