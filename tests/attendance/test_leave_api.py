"""The leave API: an employee lists and submits their own leave; refusals in the one error shape."""

from __future__ import annotations

import pytest
from django.test import Client

from pamong.attendance.models import LeaveRequest
from tests.api.conftest import Api, assert_error

BODY = {"kind": "besar", "start": "2026-09-01", "end": "2026-09-30", "reason": "Ibadah haji"}


@pytest.fixture
def as_user(city):
    def make(key: str) -> Api:
        return Api(Client()).login(city.users[key])

    return make


def test_the_employee_submits_and_lists_their_own(as_user, city):
    api = as_user("staff")
    r = api.post("/attendance/leave", BODY)
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["kind"], body["days"], body["state"], body["approver_id"]) == ("besar", 22, "submitted", city.kabid.pk)
    assert [row["id"] for row in api.get("/attendance/leave").json()["items"]] == [body["id"]]
    assert as_user("kabid").get("/attendance/leave").json()["count"] == 1  # the atasan sees it too


def test_refusals_use_the_error_shape(as_user, city):
    api = as_user("staff")
    api.post("/attendance/leave", BODY)
    assert_error(api.post("/attendance/leave", BODY), 409, "leave_overlap")
    assert_error(api.post("/attendance/leave", BODY | {"start": "2026-10-01", "end": "2026-10-02", "kind": "sakit"}),
                 422, "validation_failed")  # fmt: skip
    assert_error(as_user("admin").post("/attendance/leave", BODY), 403, "forbidden")
    assert LeaveRequest.objects.count() == 1
