"""Every refusal comes in the one shape {"error": {"code", "message", "details"}}; never a 500 for bad input."""

from __future__ import annotations

from pamong.api.tokens import api_token_revoke
from pamong.people.models import Employee
from tests import factories as f

from .conftest import assert_error, create_payload, token_for

# --- 401 --------------------------------------------------------------------------------------------------------


def test_no_credentials_is_401(api, city):
    err = assert_error(api.get("/employees"), 401, "not_authenticated")
    assert err["details"] == {}


def test_unsafe_method_without_credentials_is_401_not_a_csrf_403(api, city):
    assert_error(api.post("/employees", create_payload(city.staff_pos)), 401, "not_authenticated")
    assert_error(api.patch(f"/employees/{city.staff.nip}", {"phone": "1"}), 401, "not_authenticated")


def test_bad_token_is_401(api, city):
    resp = api.use_token("pmg_not-a-real-token").get("/employees")
    err = assert_error(resp, 401, "not_authenticated")
    assert err["details"] == {"reason": "invalid_token"}
    assert resp["WWW-Authenticate"].startswith("Bearer")


def test_bad_token_is_401_even_with_a_valid_session(api, city):
    api.login(city.users["admin"]).use_token("pmg_wrong")
    assert_error(api.get("/me"), 401, "not_authenticated")


def test_revoked_token_is_401(api, city):
    user = city.users["operator_a"]
    key = token_for(user)
    assert api.use_token(key).get("/me").status_code == 200
    token_id = user.api_tokens.get().pk
    api_token_revoke(actor=user, token_id=token_id)
    assert_error(api.get("/me"), 401, "not_authenticated")


def test_token_of_inactive_user_is_401(api, city):
    user = city.users["operator_a"]
    key = token_for(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert_error(api.use_token(key).get("/me"), 401, "not_authenticated")


# --- 403 --------------------------------------------------------------------------------------------------------


def test_operator_creating_in_another_opd_is_403(api_as, city):
    other_pos = city.other.position  # Dinas B
    resp = api_as("operator_a").post("/employees", create_payload(other_pos))
    assert_error(resp, 403, "forbidden")
    assert not Employee.objects.filter(unit=city.opd_b).exclude(pk=city.other.pk).exists()


def test_treasurer_cannot_create_even_in_own_opd(api_as, city):
    assert_error(api_as("treasurer_a").post("/employees", create_payload(city.staff_pos)), 403, "forbidden")


def test_supervisor_patching_a_visible_subordinate_is_403(api_as, city):
    # kabid sees staff (WORK level) but may not change the record
    assert_error(api_as("kabid").patch(f"/employees/{city.staff.nip}", {"phone": "0811"}), 403, "forbidden")
    city.staff.refresh_from_db()
    assert city.staff.phone == ""


def test_staff_patching_own_record_is_403(api_as, city):
    # no self-service: contact and bank changes go through the OPD operator or BKPSDM
    assert_error(api_as("staff").patch(f"/employees/{city.staff.nip}", {"phone": "0811"}), 403, "forbidden")


def test_staff_patching_someone_else_is_404_because_not_visible(api_as, city):
    assert_error(api_as("staff").patch(f"/employees/{city.staff2.nip}", {"phone": "0811"}), 404, "not_found")
    assert_error(api_as("staff").patch(f"/employees/{city.other.nip}", {"phone": "0811"}), 404, "not_found")


def test_operator_cannot_change_rank_in_another_opd_and_sees_404(api_as, city):
    body = {"golongan": "III/c", "mkg_years": 10, "sk": {"number": "X", "date": "2026-01-02", "tmt": "2026-02-01"}}
    assert_error(api_as("operator_a").post(f"/employees/{city.other.nip}/rank", body), 404, "not_found")
    assert_error(api_as("treasurer_a").post(f"/employees/{city.staff.nip}/rank", body), 403, "forbidden")


def test_session_write_without_csrf_token_is_403(city):
    from django.test import Client

    from .conftest import Api

    api = Api(Client(enforce_csrf_checks=True)).login(city.users["admin"])
    assert api.get("/me").status_code == 200  # safe methods need no CSRF token
    err = assert_error(api.patch(f"/employees/{city.staff.nip}", {"phone": "0811"}), 403, "csrf_failed")
    assert "CSRF" in err["message"]
    api.client.cookies["csrftoken"] = "a" * 32
    api.headers["X-CSRFToken"] = "a" * 32
    assert api.patch(f"/employees/{city.staff.nip}", {"phone": "0811"}).status_code == 200


def test_token_writes_need_no_csrf(city):
    from django.test import Client

    from .conftest import Api

    api = Api(Client(enforce_csrf_checks=True)).use_token(token_for(city.users["admin"]))
    assert api.patch(f"/employees/{city.staff.nip}", {"phone": "0811"}).status_code == 200


# --- 404 --------------------------------------------------------------------------------------------------------


def test_unknown_nip_and_invisible_employee_give_the_same_404(api_as, city):
    api = api_as("operator_a")
    unknown = assert_error(api.get("/employees/199001012015031999"), 404, "not_found")
    invisible = assert_error(api.get(f"/employees/{city.other.nip}"), 404, "not_found")
    assert unknown == invisible


def test_employee_visible_to_nobody_is_404_for_a_user_without_roles(api, city):
    nobody = f.user("tanpa_peran")
    api.login(nobody)
    assert_error(api.get(f"/employees/{city.staff.nip}"), 404, "not_found")
    assert api.get("/employees").json()["count"] == 0


def test_unknown_route_under_api_is_404_in_the_shape(api, city):
    err = assert_error(api.get("/no-such-thing"), 404, "not_found")
    assert err["details"]["path"] == "/api/v1/no-such-thing"
    assert_error(api.post("/employees/x/y/z", {}), 404, "not_found")
    assert_error(api.get("/"), 404, "not_found")  # the API root


def test_unknown_unit_is_404(api_as, city):
    assert_error(api_as("staff").get("/units/999999"), 404, "not_found")


def test_wrong_method_is_405_in_the_shape(api_as, city):
    resp = api_as("admin").delete("/employees")
    err = assert_error(resp, 405, "method_not_allowed")
    assert "GET" in resp["Allow"] and "POST" in resp["Allow"]
    assert set(err["details"]["allowed"]) >= {"GET", "POST"}


# --- 409 --------------------------------------------------------------------------------------------------------


def test_duplicate_nip_is_409(api_as, city):
    body = create_payload(city.staff_pos, nip=city.staff.nip, nik=city.staff.nik)
    err = assert_error(api_as("admin").post("/employees", body), 409, "conflict")
    assert err["details"] == {"field": "nip"}


def test_integrity_error_from_the_database_is_409_not_500(api_as, city, monkeypatch):
    from django.db import IntegrityError

    from pamong.people import services

    def racing_create(**kwargs):  # another request inserted the same NIP between the check and the insert
        raise IntegrityError("UNIQUE constraint failed: people_employee.nip")

    monkeypatch.setattr(services, "employee_create", racing_create)
    assert_error(api_as("admin").post("/employees", create_payload(city.staff_pos)), 409, "conflict")


# --- 400 / 422 --------------------------------------------------------------------------------------------------


def test_bad_nip_pattern_in_body_is_422(api_as, city):
    err = assert_error(
        api_as("admin").post("/employees", create_payload(city.staff_pos, nip="19860926-2012")),
        422,
        "validation_failed",
    )
    assert any(d["loc"][-1] == "nip" and d["type"] == "string_pattern_mismatch" for d in err["details"])


def test_missing_fields_are_422_listing_each(api_as, city):
    err = assert_error(api_as("admin").post("/employees", {"nip": "1" * 18}), 422, "validation_failed")
    missing = {d["loc"][-1] for d in err["details"] if d["type"] == "missing"}
    assert {"nik", "name", "birth_date", "position_id", "rank_sk_number"} <= missing


def test_nip_birth_date_mismatch_is_422_from_the_domain(api_as, city):
    body = create_payload(city.staff_pos, birth_date="1986-09-27")  # NIP says 26 September
    err = assert_error(api_as("admin").post("/employees", body), 422, "validation_failed")
    fields = {d["field"] for d in err["details"]}
    assert "nip" in fields
    assert any("tanggal lahir" in d["message"] for d in err["details"] if d["field"] == "nip")
    assert not Employee.objects.filter(nip=body["nip"]).exists()


def test_position_outside_the_unit_is_422(api_as, city):
    body = create_payload(city.staff_pos, unit_id=city.opd_a.pk)  # staff_pos belongs to Bidang A1
    err = assert_error(api_as("operator_a").post("/employees", body), 422, "validation_failed")
    assert any(d["field"] == "position" for d in err["details"])


def test_unknown_unit_in_body_is_422(api_as, city):
    body = create_payload(city.staff_pos, unit_id=987654)
    assert_error(api_as("operator_a").post("/employees", body), 422, "validation_failed")


def test_unparsable_json_is_400(api_as, city):
    assert_error(api_as("admin").post("/employees", "{not json"), 400, "bad_request")


def test_page_size_over_100_is_422(api_as, city):
    err = assert_error(api_as("admin").get("/employees", page_size=101), 422, "validation_failed")
    assert err["details"][0]["loc"] == ["query", "page_size"]
    assert_error(api_as("admin").get("/employees", page=0), 422, "validation_failed")


def test_unknown_status_filter_is_422(api_as, city):
    assert_error(api_as("admin").get("/employees", status="cuti"), 422, "validation_failed")


def test_patch_of_a_non_contact_field_is_422(api_as, city):
    err = assert_error(
        api_as("admin").patch(f"/employees/{city.staff.nip}", {"golongan": "IV/e"}), 422, "validation_failed"
    )
    assert err["details"][0]["type"] == "extra_forbidden"
    city.staff.refresh_from_db()
    assert city.staff.golongan == "II/c"


def test_patch_with_null_is_422(api_as, city):
    assert_error(api_as("admin").patch(f"/employees/{city.staff.nip}", {"phone": None}), 422, "validation_failed")


def test_patch_with_invalid_model_value_is_422_not_500(api_as, city):
    # education_level is a closed set in the schema (and checked by the model's full_clean in the service)
    err = assert_error(
        api_as("admin").patch(f"/employees/{city.staff.nip}", {"education_level": "XX"}), 422, "validation_failed"
    )
    assert err["details"][0]["loc"][-1] == "education_level"


def test_rank_with_unknown_golongan_is_422(api_as, city):
    body = {"golongan": "V/z", "mkg_years": 10, "sk": {"number": "SK-1", "date": "2026-01-02", "tmt": "2026-02-01"}}
    err = assert_error(api_as("admin").post(f"/employees/{city.staff.nip}/rank", body), 422, "validation_failed")
    assert err["details"][0]["loc"][-1] == "golongan"  # an enum in the schema
    body["golongan"] = "X"  # a PPPK grade: in the schema's set, refused for a PNS by the service
    err = assert_error(api_as("admin").post(f"/employees/{city.staff.nip}/rank", body), 422, "validation_failed")
    assert err["details"] == {"field": "golongan"}


def test_rank_with_blank_sk_number_is_422(api_as, city):
    body = {"golongan": "III/a", "mkg_years": 10, "sk": {"number": "  ", "date": "2026-01-02", "tmt": "2026-02-01"}}
    err = assert_error(api_as("admin").post(f"/employees/{city.staff.nip}/rank", body), 422, "validation_failed")
    assert err["details"][0]["loc"][-2:] == ["sk", "number"]  # the schema's pattern: not blank


def test_token_with_empty_name_is_422(api_as, city):
    assert_error(api_as("staff").post("/tokens", {"name": ""}), 422, "validation_failed")


# --- 500 --------------------------------------------------------------------------------------------------------


def test_unexpected_error_is_a_logged_500_in_the_shape(api_as, city, monkeypatch, caplog):
    from pamong.people import selectors

    def broken(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(selectors, "employee_get", broken)
    err = assert_error(api_as("admin").get(f"/employees/{city.staff.nip}"), 500, "server_error")
    assert "bug" not in err["message"]  # no internals in the response
    assert any(r.name == "django.request" and r.exc_info for r in caplog.records)
