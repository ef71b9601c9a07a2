from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from pamong.api.tokens import api_token_create
from tests import factories as f

BASE = "/api/v1"


class Api:
    """A test client speaking JSON to /api/v1, logged in by session (login) or by bearer token (use_token)."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self.headers: dict[str, str] = {}

    def login(self, user: Any) -> Api:
        self.client.force_login(user)
        return self

    def use_token(self, key: str) -> Api:
        self.headers["Authorization"] = f"Bearer {key}"
        return self

    def _call(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        call = getattr(self.client, method)
        url = BASE + path
        if method in ("get", "delete"):
            return call(url, params, headers=self.headers) if params else call(url, headers=self.headers)
        data = body if isinstance(body, (str, bytes)) else json.dumps(body, default=str)
        return call(url, data, content_type="application/json", headers=self.headers)

    def get(self, path: str, **params: Any) -> Any:
        return self._call("get", path, **params)

    def post(self, path: str, body: Any = None) -> Any:
        return self._call("post", path, body if body is not None else {})

    def patch(self, path: str, body: Any = None) -> Any:
        return self._call("patch", path, body if body is not None else {})

    def delete(self, path: str) -> Any:
        return self._call("delete", path)


@pytest.fixture
def api() -> Api:
    return Api(Client())


@pytest.fixture
def api_as(city):
    """api_as("operator_a") → an Api logged in (session) as that city user."""

    def make(role: str) -> Api:
        return Api(Client()).login(city.users[role])

    return make


def token_for(user: Any, name: str = "integrasi") -> str:
    return api_token_create(actor=user, user=user, name=name)[1]


def assert_error(resp: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The one error shape, with the given status (and code)."""
    assert resp.status_code == status, (resp.status_code, resp.content[:500])
    assert resp["Content-Type"].startswith("application/json"), resp["Content-Type"]
    body = resp.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "details"}, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code, body
    return body["error"]


def create_payload(position: Any, **overrides: Any) -> dict[str, Any]:
    """A valid POST /employees body built from the test factories' record."""
    rec = dataclasses.asdict(f.record(position))
    rec.update(overrides)
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in rec.items()}
