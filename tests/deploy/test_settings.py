"""Deployment settings: the default SECRET_KEY is refused outside demo/test; HTTPS settings from the environment;
a Content-Security-Policy on every page; ordinary refusals log one line."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from pamong import settings as pamong_settings

SRC = Path(pamong_settings.__file__).resolve().parent
GOOD_KEY = "k7Qp2-vX9rT4mZ1aB8cD3eF6gH0jL5nP-sW2yU4iO7"


def _python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("PAMONG_ENV", "SECRET_KEY", "DJANGO_SETTINGS_MODULE")}
    return subprocess.run([sys.executable, "-c", code], env={**base, **env}, capture_output=True, text=True,
                          timeout=120)


def test_gunicorn_entry_point_refuses_the_default_key_in_production(tmp_path):
    bad = _python("import pamong.wsgi", PAMONG_ENV="production", PAMONG_DATA_DIR=str(tmp_path))
    assert bad.returncode != 0
    assert "ImproperlyConfigured" in bad.stderr and "SECRET_KEY" in bad.stderr
    short = _python("import pamong.wsgi", PAMONG_ENV="production", SECRET_KEY="rahasia", PAMONG_DATA_DIR=str(tmp_path))
    assert short.returncode != 0 and "terlalu pendek" in short.stderr
    good = _python("import pamong.wsgi", PAMONG_ENV="production", SECRET_KEY=GOOD_KEY, PAMONG_DATA_DIR=str(tmp_path))
    assert good.returncode == 0, good.stderr


def test_without_pamong_env_production_is_assumed_except_for_pamong_demo():
    code = "import sys; sys.argv = {argv!r}; from pamong import settings; print(settings.PAMONG_ENV)"
    assert _python(code.format(argv=["pamong", "serve"])).stdout.strip() == "production"
    assert _python(code.format(argv=["pamong", "demo", "--size", "300"])).stdout.strip() == "demo"
    assert _python(code.format(argv=["pamong", "serve"]), PAMONG_ENV="demo").stdout.strip() == "demo"
    assert "PAMONG_ENV" in _python(code.format(argv=["pamong"]), PAMONG_ENV="prod").stderr


def test_serve_refuses_the_default_key_in_production(settings):
    settings.PAMONG_ENV = "production"
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        call_command("serve")  # refused before migrating or serving anything
    settings.PAMONG_ENV = "demo"
    from pamong.deploy import secret_key_problem

    assert secret_key_problem() is None


def test_the_audit_key_is_not_derived_from_the_default_key_in_production(settings):
    from pamong.audit.anchor import audit_key

    settings.PAMONG_ENV = "production"
    with pytest.raises(ImproperlyConfigured, match="PAMONG_AUDIT_KEY"):
        audit_key()
    settings.AUDIT_KEY = "kunci-audit-yang-panjang-dan-acak"
    assert audit_key() == b"kunci-audit-yang-panjang-dan-acak"


@pytest.fixture
def https(settings):
    """The settings PAMONG_HTTPS=1 and one trusted proxy produce, applied to this test."""
    for name, value in pamong_settings._https({"PAMONG_HTTPS": "1", "PAMONG_TRUSTED_PROXIES": "1"}).items():
        setattr(settings, name, value)
    return settings


def test_https_settings_come_from_the_environment():
    assert pamong_settings._https({}) == {}
    on = pamong_settings._https({"PAMONG_HTTPS": "1", "PAMONG_HSTS_SECONDS": "600", "PAMONG_SSL_REDIRECT": "0"})
    assert on["SESSION_COOKIE_SECURE"] and on["CSRF_COOKIE_SECURE"]
    assert on["SECURE_HSTS_SECONDS"] == 600 and on["SECURE_SSL_REDIRECT"] is False
    assert "SECURE_PROXY_SSL_HEADER" not in on  # without a trusted proxy, X-Forwarded-Proto is not believed


def test_behind_https_headers_and_cookies_are_secure(https, city):
    client = Client()
    plain = client.get("/masuk/", headers={"X-Forwarded-Proto": "http"})
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    page = client.get("/masuk/", headers={"X-Forwarded-Proto": "https"})
    assert page.status_code == 200
    assert page["Strict-Transport-Security"] == "max-age=31536000"
    assert page["X-Content-Type-Options"] == "nosniff" and page["Referrer-Policy"] == "same-origin"
    assert page.cookies["csrftoken"]["secure"]
    login = client.post("/masuk/", {"username": "admin", "password": "rahasia-123"},
                        headers={"X-Forwarded-Proto": "https"})
    assert login.status_code == 302 and login.cookies["sessionid"]["secure"]


def test_every_page_carries_a_csp_without_inline_scripts(client, city):
    for url in ("/masuk/", "/verifikasi/", "/api/v1/docs"):
        _assert_csp(client.get(url))
    client.force_login(city.users["admin"])
    for url in ("/", "/pegawai/", "/penggajian/", "/audit/"):
        _assert_csp(client.get(url))


def _assert_csp(resp) -> None:
    assert resp.status_code == 200, resp.status_code
    policy = dict(p.strip().split(" ", 1) for p in resp["Content-Security-Policy"].split(";") if p.strip())
    assert policy["script-src"] == "'self'" and policy["default-src"] == "'self'"
    assert policy["style-src"] == "'self'" and policy["frame-ancestors"] == "'none'"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"""\son[a-z]+\s*=\s*["']|javascript:|hx-on[:-]""", re.I)
STYLE_ELEMENT = re.compile(r"<style[\s>]", re.I)


def test_no_template_has_an_inline_script_event_handler_or_style_element():
    """Under script-src/style-src 'self' they would be blocked: JavaScript and CSS live in web/static/web/.
    (PDF templates keep their <style>: WeasyPrint renders them, no browser ever does.)"""
    found = []
    for tpl in SRC.rglob("templates/**/*.html"):
        text = tpl.read_text(encoding="utf-8")
        patterns = [INLINE_SCRIPT, INLINE_HANDLER] + ([] if "pdf" in tpl.parts else [STYLE_ELEMENT])
        found += [f"{tpl.relative_to(SRC)}: {m.group(0)}" for p in patterns for m in p.finditer(text)]
    assert not found, found


def test_ordinary_refusals_log_one_line_without_traceback(client, city, caplog, capsys):
    client.force_login(city.users["staff"])
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/audit/").status_code == 403
        assert client.get(reverse("employee_detail", args=[city.other.pk])).status_code == 404
        assert client.get("/tidak-ada/").status_code == 404
    records = [r for r in caplog.records if r.name == "django.request"]
    assert [r.levelname for r in records] == ["WARNING"] * 3
    assert all(r.exc_info is None and "\n" not in r.getMessage() for r in records)
    assert "Traceback" not in caplog.text and "Traceback" not in capsys.readouterr().err
