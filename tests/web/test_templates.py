"""Template filters, error templates and the vendored assets."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import engines
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from pamong.web.templatetags import pamong as filters

WEB = Path(filters.__file__).resolve().parents[1]
VENDOR = WEB / "static" / "vendor"


def test_rupiah_and_dates_in_indonesian():
    with translation.override("id"):
        assert filters.rupiah(5885700) == "Rp5.885.700"
        assert filters.rupiah(Decimal("1500")) == "Rp1.500"
        assert filters.rupiah(None) == "–"
        assert filters.tanggal(dt.date(2026, 11, 27)) == "27 November 2026"
        assert filters.tanggal(dt.date(2025, 8, 17), "medium") == "17 Agu 2025"
        assert filters.angka(2500) == "2.500"
        moment = dt.datetime(2026, 11, 27, 7, 5, tzinfo=dt.UTC)  # 14.05 WIB
        assert filters.waktu(moment) == "27 Nov 2026 14.05.00"
        assert filters.tanggal(moment) == "27 November 2026"


def test_rupiah_refuses_fractions():
    with pytest.raises(TypeError):
        filters.rupiah(Decimal("1234.5"))


def test_formats_follow_english():
    with translation.override("en"):
        assert filters.rupiah(5885700) == "Rp5,885,700"
        assert filters.tanggal(dt.date(2026, 11, 27)) == "November 27, 2026"
        assert filters.angka(2500) == "2,500"


def test_filters_usable_in_templates():
    t = engines["django"].from_string("{% load pamong %}{{ n|rupiah }} {{ d|tanggal }} {{ c|perubahan|length }}")
    with translation.override("id"):
        out = t.render({"n": 1000, "d": dt.date(2026, 1, 2), "c": {"a": [1, 2], "b": [None, 3]}})
    assert out == "Rp1.000 2 Januari 2026 2"


def test_500_page_renders_without_a_request_and_without_details():
    html = render_to_string("500.html")
    assert "Terjadi kesalahan" in html and "Traceback" not in html


def test_404_page_renders_for_a_request(rf: RequestFactory, db):
    from django.contrib.auth.models import AnonymousUser
    from django.views.defaults import page_not_found

    request = rf.get("/x/")
    request.user = AnonymousUser()
    response = page_not_found(request, Exception("rahasia teknis"))
    assert response.status_code == 404
    body = response.content.decode()
    assert "tidak ditemukan" in body and "rahasia teknis" not in body


def test_vendored_files_match_sha256sums():
    lines = (VENDOR / "SHA256SUMS").read_text().splitlines()
    listed = {}
    for line in lines:
        digest, name = line.split(maxsplit=1)
        listed[name] = digest
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name
    assert set(listed) == {
        "htmx.org-2.0.11/htmx.min.js",
        "htmx.org-2.0.11/LICENSE",
        "chart.js-4.6.1/chart.umd.min.js",
        "chart.js-4.6.1/LICENSE.md",
    }


def test_no_cdn_in_templates_or_static():
    pattern = re.compile(r"""(src|href)=["'](https?:)?//""")
    for path in list((WEB / "templates").rglob("*.html")):
        assert not pattern.search(path.read_text()), path
    base = (WEB / "templates" / "web" / "base.html").read_text()
    assert "vendor/htmx.org-2.0.11/htmx.min.js" in base
