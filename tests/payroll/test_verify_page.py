"""The public verification page: odd codes get the not-found answer (never a 500), and requests are limited per
client address (the one beyond the limit gets a friendly 429)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse


@pytest.fixture(autouse=True)
def fresh_counts(db):
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize(
    "code",
    ["a/b", "../../etc/passwd", "A" * 5000, "kodé-ünïcode", "日本語", "%00", "<script>alert(1)</script>", "a b/c",
     "\u202e1234"],
)  # fmt: skip
def test_odd_codes_in_the_lookup_form_are_not_found_not_an_error(db, code):
    response = Client().get(reverse("payslip_lookup"), {"kode": code})
    assert response.status_code == 404
    body = response.content.decode()
    assert "Slip tidak ditemukan" in body and "<script>alert" not in body
    assert len(body) < 20000  # a 5,000-character code is not echoed whole


@pytest.mark.parametrize("code", ["A" * 200, "kodé", "日本語", "ABC.DEF"])
def test_odd_codes_in_the_address_are_not_found(db, code):
    response = Client().get(reverse("payslip_verify", args=[code]))
    assert response.status_code == 404 and "Slip tidak ditemukan" in response.content.decode()


def test_spaces_typed_in_a_code_are_ignored(db):
    response = Client().get(reverse("payslip_lookup"), {"kode": " abcd ef01 "})
    assert response.status_code == 302 and response["Location"] == reverse("payslip_verify", args=["ABCDEF01"])


def test_the_request_beyond_the_limit_gets_a_friendly_429(db, settings):
    settings.PAMONG_VERIFY_RATE = 5
    client = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(5):
        assert client.get(reverse("payslip_verify", args=["ABCDEF0123456789"])).status_code == 404
    response = client.get(reverse("payslip_lookup"), {"kode": "ABCDEF0123456789"})
    assert response.status_code == 429
    assert "Terlalu banyak pemeriksaan" in response.content.decode() and response["Retry-After"] == "60"
    # another address is counted apart
    assert Client(REMOTE_ADDR="198.51.100.1").get(reverse("payslip_lookup")).status_code == 200


def test_behind_a_proxy_the_configured_header_names_the_client(db, settings):
    settings.PAMONG_VERIFY_RATE = 2
    settings.PAMONG_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    url = reverse("payslip_lookup")
    one = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.9")
    two = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.10")
    assert [one.get(url).status_code for _ in range(3)] == [200, 200, 429]
    assert two.get(url).status_code == 200  # same proxy, another client


def test_a_cache_that_fails_lets_the_request_through(db, monkeypatch):
    from pamong.payroll import ratelimit

    def broken(*args, **kwargs):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(ratelimit.cache, "add", broken)
    assert Client().get(reverse("payslip_lookup")).status_code == 200
