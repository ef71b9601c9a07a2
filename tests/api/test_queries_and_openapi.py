"""Lists cost a fixed number of queries per page whatever the page size; the OpenAPI document loads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pamong.people.services import employees_upsert
from tests import factories as f


@pytest.fixture
def many_employees(city):
    records = [
        f.record(city.staff_pos, name=f"Massal {i:03d}", birth=dt.date(1980, 1, 1) + dt.timedelta(days=i))
        for i in range(110)
    ]
    employees_upsert(actor=None, records=records)
    for i in range(105):
        f.position(city.bidang_a, f"Jabatan Massal {i:03d}", superior=city.kabid_pos)
    return city


def _count_queries(api, path, **params):
    with CaptureQueriesContext(connection) as ctx:
        resp = api.get(path, **params)
    assert resp.status_code == 200, resp.content[:300]
    return len(ctx.captured_queries), resp.json()


@pytest.mark.parametrize("role", ["admin", "operator_a", "kabid"])
def test_employee_list_queries_do_not_grow_with_page_size(api_as, many_employees, role, django_assert_max_num_queries):
    api = api_as(role)
    api.get("/me")  # warm the session
    small, body10 = _count_queries(api, "/employees", page_size=10)
    large, body100 = _count_queries(api, "/employees", page_size=100)
    assert len(body10["items"]) == 10 and len(body100["items"]) == 100
    assert small == large
    with django_assert_max_num_queries(small):
        api.get("/employees", page_size=100, page=2)


def test_filtered_employee_list_queries_do_not_grow_with_page_size(api_as, many_employees):
    api = api_as("operator_a")
    api.get("/me")
    filters = {"unit_id": many_employees.bidang_a.pk, "q": "massal", "golongan": "III", "status": "aktif"}
    small, body10 = _count_queries(api, "/employees", page_size=10, **filters)
    large, body100 = _count_queries(api, "/employees", page_size=100, **filters)
    assert len(body10["items"]) == 10 and len(body100["items"]) == 100
    assert small == large


def test_position_list_queries_do_not_grow_with_page_size(api_as, many_employees, django_assert_max_num_queries):
    api = api_as("staff")
    api.get("/me")
    small, body10 = _count_queries(api, "/positions", page_size=10)
    large, body100 = _count_queries(api, "/positions", page_size=100)
    assert len(body10["items"]) == 10 and len(body100["items"]) == 100
    assert small == large
    with django_assert_max_num_queries(small):
        api.get("/positions", page_size=100, page=2)


def test_token_list_call_is_constant_too(api, many_employees):
    from .conftest import token_for

    api.use_token(token_for(many_employees.users["admin"]))
    api.get("/me")
    small, _ = _count_queries(api, "/employees", page_size=10)
    large, _ = _count_queries(api, "/employees", page_size=100)
    assert small == large


def test_openapi_json_loads_and_lists_the_paths(api, city):
    resp = api.get("/openapi.json")
    assert resp.status_code == 200
    doc = resp.json()
    assert doc["openapi"].startswith("3.1")
    paths = set(doc["paths"])
    assert {
        "/api/v1/units",
        "/api/v1/units/{unit_id}",
        "/api/v1/positions",
        "/api/v1/employees",
        "/api/v1/employees/{nip}",
        "/api/v1/employees/{nip}/rank",
        "/api/v1/employees/{nip}/status",
        "/api/v1/me",
        "/api/v1/tokens",
        "/api/v1/tokens/{token_id}",
    } <= paths
    assert set(doc["paths"]["/api/v1/employees"]) == {"get", "post"}
    assert set(doc["paths"]["/api/v1/employees/{nip}"]) == {"get", "patch"}
    schemas = doc["components"]["schemas"]
    assert schemas["EmployeeCreateIn"]["properties"]["nip"]["pattern"] == r"^\d{18}$"
    assert "ErrorOut" in schemas
    assert set(doc["components"]["securitySchemes"]) == {"TokenAuth", "SessionAuth"}
    assert "409" in doc["paths"]["/api/v1/employees"]["post"]["responses"]


def test_docs_page_loads(api, city):
    resp = api.get("/docs")
    assert resp.status_code == 200
    assert b"openapi.json" in resp.content
