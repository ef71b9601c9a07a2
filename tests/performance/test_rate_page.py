"""The numeric rating page: each rater sees exactly the employees they rate (as atasan, assessor or peer) and saves
0–100 per criterion; anything else is a 404 and a bad number stores nothing."""

from __future__ import annotations

import datetime as dt

from django.test import Client
from django.urls import reverse

from pamong.performance.models import Rating
from pamong.performance.ratings import criteria

YEAR = dt.date.today().year  # the page rates this year's annual period
PERIOD = dt.date(YEAR, 1, 1)


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def scores(value="80") -> dict[str, str]:
    return {f"skor_{code}": value for code in criteria(PERIOD)}


def test_each_rater_sees_whom_they_rate(perf):
    perf.chain(year=YEAR)
    url = reverse("performance:calibration_rate_list")
    kabid = client_for(perf.users["kabid"]).get(url).content.decode()
    assert "Staf Satu" in kabid and "Staf Dua" in kabid and "sebagai atasan langsung" in kabid
    assessor = client_for(perf.users["assessor"]).get(url).content.decode()
    assert "Staf Dua" in assessor and "Staf Satu" not in assessor and "penilai independen" in assessor
    staff = client_for(perf.users["staff"]).get(url).content.decode()
    assert "Tidak ada pegawai yang Anda nilai" in staff


def test_saving_a_rating_and_refusals(perf):
    perf.chain(year=YEAR)
    staff2 = perf.city.staff2
    post = reverse("performance:calibration_rate", args=[staff2.pk])
    resp = client_for(perf.users["assessor"]).post(post, scores("75.5"), follow=True)
    assert "Penilaian tersimpan" in resp.content.decode()
    r = Rating.objects.get(ratee=staff2, rater=perf.users["assessor"])
    assert r.rater_role == "assessor" and str(r.value) == "75.50" and r.period_start == PERIOD
    resp = client_for(perf.users["assessor"]).post(post, scores("101"), follow=True)
    assert "harus angka 0 sampai 100" in resp.content.decode()
    r.refresh_from_db()
    assert str(r.value) == "75.50"  # unchanged
    page = client_for(perf.users["assessor"]).get(reverse("performance:calibration_rate_list")).content.decode()
    assert 'value="75.5"' in page  # the form shows the saved scores (a number input needs the dot)
    staff_url = reverse("performance:calibration_rate", args=[perf.city.staff.pk])
    assert client_for(perf.users["assessor"]).post(staff_url, scores()).status_code == 404  # not assigned
    assert client_for(perf.users["other"]).post(post, scores()).status_code == 404
    assert client_for(perf.users["staff2"]).post(post, scores()).status_code == 404  # never oneself
