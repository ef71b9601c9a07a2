"""The calibration pages: who sees them, the panel's content, overrides and the planner."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pamong.performance import calibration_sessions as sessions
from pamong.performance.models import CalibrationOverride, Rating

from ._calib import B7, PERIOD, make_pool


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def pool(perf):
    p = make_pool(perf, B7)
    p["session"] = sessions.session_compute(actor=perf.users["admin"], period_start=PERIOD, pool=p["pool"])
    return p


def test_session_screen_for_admin(client, perf, pool):
    html = login(client, perf.users["admin"]).get(reverse("performance:calibration_session", args=[pool["session"].pk]))
    assert html.status_code == 200
    text = html.content.decode()
    for part in ("rater-effects", "chart-severity", "ranking", "Ubah nilai akhir", "Alasan (wajib)", "rater_c",
                 "calibration.js"):  # fmt: skip
        assert part in text, part
    assert "<script>" not in text.replace('<script id="chart-severity" type="application/json">', "")


def test_incomplete_design_says_reliability_not_computed(client, perf):
    p = make_pool(perf, {"A": [60, 65, 70, None], "B": [None, 66, 71, 80]})
    s = sessions.session_compute(actor=perf.users["admin"], period_start=PERIOD, pool=p["pool"])
    text = login(client, perf.users["admin"]).get(reverse("performance:calibration_session", args=[s.pk])).content
    assert "tidak dihitung: desain tidak lengkap" in text.decode()


def test_disconnected_pool_says_not_connected(client, perf):
    p = make_pool(perf, {"A": [60, 65, None, None], "B": [None, None, 80, 90]})
    s = sessions.session_compute(actor=perf.users["admin"], period_start=PERIOD, pool=p["pool"])
    text = login(client, perf.users["admin"]).get(reverse("performance:calibration_session", args=[s.pk])).content
    text = text.decode()
    assert "tidak terhubung" in text and 'id="rater-effects"' not in text and "calibration.js" not in text


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 200),
        ("inspector", 200),
        ("rater", 200),
        ("assessor", 404),
        ("staff", 404),
        ("kabid", 404),
        ("operator_a", 404),
        ("treasurer_a", 404),
        ("bpkad", 404),
    ],  # fmt: skip
)
def test_who_sees_the_session_and_the_list(client, perf, pool, who, status):
    user = pool["raters"]["A"] if who == "rater" else perf.users[who]
    login(client, user)
    assert client.get(reverse("performance:calibration_session", args=[pool["session"].pk])).status_code == status
    listing = client.get(reverse("performance:calibration_list"))
    assert listing.status_code == (200 if who in ("admin", "inspector", "rater", "assessor") else 404)


def test_override_through_the_page_needs_a_reason(client, perf, pool):
    url = reverse("performance:calibration_override", args=[pool["session"].pk])
    p1 = pool["ratees"][0]
    login(client, perf.users["admin"])
    client.post(url, {"ratee": p1.pk, "new_value": "70", "reason": ""})
    assert not CalibrationOverride.objects.exists()
    client.post(url, {"ratee": p1.pk, "new_value": "70", "reason": "Bukti kinerja baru"})
    o = CalibrationOverride.objects.get()
    assert o.reason == "Bukti kinerja baru"
    text = client.get(reverse("performance:calibration_session", args=[pool["session"].pk])).content.decode()
    assert "Bukti kinerja baru" in text and "diubah sidang" in text


def test_rater_may_view_but_not_override_or_close(client, perf, pool):
    login(client, pool["raters"]["A"])
    page = client.get(reverse("performance:calibration_session", args=[pool["session"].pk])).content.decode()
    assert "Ubah nilai akhir" not in page and "Tutup sidang" not in page
    client.post(reverse("performance:calibration_override", args=[pool["session"].pk]),
                {"ratee": pool["ratees"][0].pk, "new_value": "70", "reason": "x"})  # fmt: skip
    client.post(reverse("performance:calibration_close", args=[pool["session"].pk]))
    assert not CalibrationOverride.objects.exists()
    pool["session"].refresh_from_db()
    assert pool["session"].state == "open"


def test_admin_closes_from_the_page(client, perf, pool):
    login(client, perf.users["admin"])
    client.post(reverse("performance:calibration_close", args=[pool["session"].pk]))
    pool["session"].refresh_from_db()
    assert pool["session"].state == "closed"


def test_compute_from_the_list(client, perf):
    p = make_pool(perf, B7)
    login(client, perf.users["admin"])
    listing = client.get(reverse("performance:calibration_list")).content.decode()
    assert "Dinas A · Pelaksana" in listing and "Buka dan hitung" in listing
    r = client.post(reverse("performance:calibration_compute"), {"periode": PERIOD.isoformat(), "kelompok": p["pool"]})
    assert r.status_code == 302
    assert "perlu dihitung ulang" not in client.get(reverse("performance:calibration_list")).content.decode()
    Rating.objects.filter(pool=p["pool"]).update(value=50)  # a rating changed since the computation
    assert "perlu dihitung ulang" in client.get(reverse("performance:calibration_list")).content.decode()
    login(client, perf.users["inspector"])
    r = client.post(reverse("performance:calibration_compute"), {"periode": PERIOD.isoformat(), "kelompok": p["pool"]})
    assert r.status_code == 404
