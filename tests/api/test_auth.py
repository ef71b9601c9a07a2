"""Session and bearer-token auth; token management (POST/DELETE /tokens, `pamong api_token`); GET /me."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from pamong.accounts.models import ApiToken
from pamong.audit.models import AuditEvent

from .conftest import assert_error, token_for


def test_session_auth_works(api_as, city):
    body = api_as("operator_a").get("/me").json()
    assert body["username"] == "operator_a"
    assert body["roles"] == ["operator_opd"]
    assert body["auth"] == "session"
    assert body["employee_nip"] is None


def test_token_auth_works_and_records_last_use(api, city):
    user = city.users["kabid"]
    key = token_for(user)
    body = api.use_token(key).get("/me").json()
    assert body["username"] == "kabid" and body["auth"] == "token"
    assert body["employee_nip"] == city.kabid.nip
    assert body["is_supervisor"] is True
    assert ApiToken.objects.get(user=user).last_used_at is not None
    # the token sees what its user sees
    nips = {e["nip"] for e in api.get("/employees").json()["items"]}
    assert nips == {city.kabid.nip, city.staff.nip, city.staff2.nip}


def test_only_the_hash_of_a_token_is_stored(city):
    key = token_for(city.users["staff"])
    row = ApiToken.objects.get(user=city.users["staff"])
    assert row.key_hash == ApiToken.hash_key(key) and key not in row.key_hash


def test_create_token_by_session_returns_key_once(api_as, city):
    api = api_as("treasurer_a")
    resp = api.post("/tokens", {"name": "aplikasi gaji"})
    assert resp.status_code == 201, resp.content
    created = resp.json()
    assert created["name"] == "aplikasi gaji" and created["key"].startswith("pmg_") and not created["revoked"]
    listed = api.get("/tokens").json()
    assert [t["id"] for t in listed] == [created["id"]]
    assert "key" not in listed[0]
    assert AuditEvent.objects.filter(action="api_token.created", object_id=str(created["id"])).exists()
    # the new key works
    from django.test import Client

    from .conftest import Api

    assert Api(Client()).use_token(created["key"]).get("/me").json()["username"] == "treasurer_a"


def test_a_token_cannot_create_tokens(api, city):
    api.use_token(token_for(city.users["admin"]))
    assert_error(api.post("/tokens", {"name": "lagi"}), 401, "not_authenticated")
    assert ApiToken.objects.filter(user=city.users["admin"]).count() == 1


def test_revoke_own_token(api_as, city):
    api = api_as("staff")
    created = api.post("/tokens", {"name": "ponsel"}).json()
    resp = api.delete(f"/tokens/{created['id']}")
    assert resp.status_code == 204
    assert ApiToken.objects.get(pk=created["id"]).revoked
    assert api.delete(f"/tokens/{created['id']}").status_code == 204  # idempotent
    from django.test import Client

    from .conftest import Api

    assert_error(Api(Client()).use_token(created["key"]).get("/me"), 401, "not_authenticated")
    assert AuditEvent.objects.filter(action="api_token.revoked", object_id=str(created["id"])).count() == 1


def test_a_token_can_revoke_itself(api, city):
    user = city.users["bpkad"]
    api.use_token(token_for(user))
    token_id = ApiToken.objects.get(user=user).pk
    assert api.delete(f"/tokens/{token_id}").status_code == 204
    assert_error(api.get("/me"), 401, "not_authenticated")


def test_cannot_revoke_someone_elses_token(api_as, city):
    token_for(city.users["admin"])
    token_id = ApiToken.objects.get(user=city.users["admin"]).pk
    assert_error(api_as("staff").delete(f"/tokens/{token_id}"), 404, "not_found")
    assert not ApiToken.objects.get(pk=token_id).revoked


def test_management_command_prints_a_working_token(api, city):
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token", "inspector", "--name", "audit BPK", stdout=out, stderr=err)
    key = out.getvalue().strip()
    assert key.startswith("pmg_") and "\n" not in key
    assert "audit BPK" in err.getvalue()
    assert api.use_token(key).get("/me").json()["username"] == "inspector"
    assert AuditEvent.objects.filter(action="api_token.created", actor__isnull=True).exists()


def test_management_command_refuses_unknown_user(city):
    with pytest.raises(CommandError):
        call_command("api_token", "nobody", "--name", "x", stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.parametrize(
    ("role", "roles", "nip_of"),
    [
        ("admin", ["admin_bkpsdm"], None),
        ("assessor", ["assessor"], None),
        ("kabid", [], "kabid"),
        ("staff", [], "staff"),
    ],
)
def test_me(api_as, city, role, roles, nip_of):
    body = api_as(role).get("/me").json()
    assert body["roles"] == roles
    assert body["employee_nip"] == (getattr(city, nip_of).nip if nip_of else None)
    assert body["is_supervisor"] is (role == "kabid")


def test_a_token_expires_after_90_days_by_default_and_is_then_refused(api, city, monkeypatch):
    import datetime as dt

    from django.utils import timezone

    key = token_for(city.users["kabid"])
    row = ApiToken.objects.get(user=city.users["kabid"])
    assert row.expires_at - row.created_at == pytest.approx(dt.timedelta(days=90), abs=dt.timedelta(seconds=5))
    later = row.expires_at + dt.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    err = assert_error(api.use_token(key).get("/me"), 401, "not_authenticated")
    assert err["details"]["reason"] == "expired_token" and "kedaluwarsa" in err["message"]


def test_token_lifetime_is_chosen_at_creation(api_as, city):
    created = api_as("staff").post("/tokens", {"name": "sebentar", "days": 7}).json()
    row = ApiToken.objects.get(pk=created["id"])
    assert round((row.expires_at - row.created_at) / dt.timedelta(days=1)) == 7 and created["expires_at"]
    assert_error(api_as("staff").post("/tokens", {"name": "selamanya", "days": 100000}), 422, "validation_failed")


def test_management_command_takes_days_and_prints_the_expiry(city):
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token", "inspector", "--name", "audit", "--days", "30", stdout=out, stderr=err)
    row = ApiToken.objects.get(user=city.users["inspector"])
    assert round((row.expires_at - row.created_at) / dt.timedelta(days=1)) == 30
    assert f"{row.expires_at:%Y-%m-%d}" in err.getvalue()
    with pytest.raises(CommandError, match="1 sampai 730 hari"):
        call_command("api_token", "inspector", "--name", "x", "--days", "0", stdout=out, stderr=err)


def test_last_used_is_written_at_most_once_a_minute(api, city, monkeypatch):
    import datetime as dt

    from django.utils import timezone

    key = token_for(city.users["kabid"])
    t0 = timezone.now()
    clock = {"now": t0}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])
    api.use_token(key)
    assert api.get("/me").status_code == 200
    assert ApiToken.objects.get(user=city.users["kabid"]).last_used_at == t0
    clock["now"] = t0 + dt.timedelta(seconds=50)
    assert api.get("/me").status_code == 200
    assert ApiToken.objects.get(user=city.users["kabid"]).last_used_at == t0  # no write within the minute
    clock["now"] = t0 + dt.timedelta(seconds=61)
    assert api.get("/me").status_code == 200
    assert ApiToken.objects.get(user=city.users["kabid"]).last_used_at == t0 + dt.timedelta(seconds=61)
