"""Failed logins are throttled per username and per client address (django-axes), with a plain message."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

PASSWORD = "rahasia-123"  # tests/factories.py


@pytest.fixture
def limit(settings) -> int:
    return int(settings.AXES_FAILURE_LIMIT)


def _login(username: str, password: str, ip: str) -> tuple[int, Client, str]:
    client = Client(REMOTE_ADDR=ip)
    resp = client.post(reverse("login"), {"username": username, "password": password})
    return resp.status_code, client, resp.content.decode()


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_after_the_limit_a_user_is_refused_even_with_the_right_password(city, limit):
    for i in range(limit):  # each from another address: the per-user count alone trips
        status, client, _ = _login("operator_a", "salah-sandi", f"10.0.0.{i + 1}")
        assert status == (200 if i < limit - 1 else 429) and not _logged_in(client)  # the limit-th locks
    status, client, body = _login("operator_a", PASSWORD, "10.0.1.1")  # attempt limit + 1, right password
    assert status == 429 and not _logged_in(client)
    assert "Terlalu banyak percobaan masuk yang gagal" in body and "15 menit" in body
    # another user from a fresh address is not affected
    status, client, _ = _login("treasurer_a", PASSWORD, "10.0.1.2")
    assert status == 302 and _logged_in(client)


def test_after_the_limit_an_address_is_refused_for_every_user(city, limit):
    for i in range(limit):  # different usernames, one address: the per-address count trips
        _login(f"tebakan{i}", "salah-sandi", "192.0.2.7")
    status, client, _ = _login("admin", PASSWORD, "192.0.2.7")
    assert status == 429 and not _logged_in(client)
    status, client, _ = _login("admin", PASSWORD, "192.0.2.8")
    assert status == 302 and _logged_in(client)


def test_fewer_failures_than_the_limit_then_success_resets_the_count(city, limit):
    for _ in range(limit - 1):
        _login("kabid", "salah-sandi", "198.51.100.1")
    status, _, _ = _login("kabid", PASSWORD, "198.51.100.1")
    assert status == 302
    for _ in range(limit - 1):
        _login("kabid", "salah-sandi", "198.51.100.1")
    assert _login("kabid", PASSWORD, "198.51.100.1")[0] == 302


def test_behind_a_trusted_proxy_the_forwarded_address_counts(city, limit, settings):
    settings.PAMONG_TRUSTED_PROXIES = 1

    def post(username: str, password: str, client_ip: str, spoofed: str = "") -> int:
        forwarded = f"{spoofed}, {client_ip}" if spoofed else client_ip
        c = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
        return c.post(reverse("login"), {"username": username, "password": password}).status_code

    for i in range(limit):
        post(f"tebakan{i}", "salah-sandi", "203.0.113.5", spoofed=f"1.1.1.{i}")  # a client-made prefix is ignored
    assert post("admin", PASSWORD, "203.0.113.5") == 429
    assert post("admin", PASSWORD, "203.0.113.6") == 302  # everyone else behind the same proxy still logs in


def test_a_failed_login_says_so_in_plain_indonesian_once(city):
    body = _login("admin", "salah-sandi", "10.9.9.9")[2]
    assert "Nama pengguna atau sandi salah." in body
    assert "nama pengguna nama pengguna" not in body.lower()
