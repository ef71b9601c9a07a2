"""The attendance screens render for each role, refuse (404) what is out of scope, take a fixed number of queries,
and export the recap as XLSX and CSV with text that is never read as a formula."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pamong.attendance import views_screens
from pamong.org.models import Unit
from pamong.people.models import Employee
from tests import factories as f
from tests.attendance import factories_screens as fs

AUG = dt.date(2026, 8, 1)
DAY = dt.date(2026, 8, 12)


@pytest.fixture
def client_as(city, client):
    def _as(role: str):
        client.force_login(city.users[role])
        return client

    return _as


@pytest.fixture
def month(city):
    for e, tk in ((city.head, 2), (city.kabid, 0), (city.staff, 1), (city.staff2, 0), (city.other, 5)):
        fs.recap(e, AUG, tk=tk, bands={"TL1": 1}, late=10, days=fs.month_letters(AUG, {17: "-"}))
    return city


@pytest.fixture
def fixed_today(monkeypatch):
    monkeypatch.setattr(views_screens, "_today", lambda: DAY)


# ---- landing page -----------------------------------------------------------------------------------------------


def _links(response) -> set[str]:
    return {link["name"] for link in response.context["links"]}


def test_home_links_by_role(client_as):
    staff = _links(client_as("staff").get(reverse("attendance:home")))
    assert "attendance:my_month" in staff and "attendance:recap" not in staff and "attendance:today" not in staff
    kabid = _links(client_as("kabid").get(reverse("attendance:home")))
    assert {"attendance:my_month", "attendance:today"} <= kabid and "attendance:recap" not in kabid
    admin = _links(client_as("admin").get(reverse("attendance:home")))
    assert {"attendance:today", "attendance:recap"} <= admin and "attendance:my_month" not in admin
    operator = _links(client_as("operator_a").get(reverse("attendance:home")))
    assert {"attendance:today", "attendance:recap"} <= operator


def test_every_home_link_is_a_page():
    for name, *_ in views_screens.LINKS:
        assert reverse(name).startswith("/presensi/")  # NoReverseMatch here: a link to a page that does not exist


def test_home_lists_a_page_once_for_two_roles(client_as):
    response = client_as("admin").get(reverse("attendance:home"))
    assert response.status_code == 200
    assert response.content.count(reverse("attendance:discipline_list").encode()) == 1


def test_home_needs_login(client):
    response = client.get(reverse("attendance:home"))
    assert response.status_code == 302 and "/masuk/" in response["Location"]


# ---- an employee's month ------------------------------------------------------------------------------------------


def test_my_month_renders_the_calendar(client_as, month, fixed_today):
    fs.punch(month.staff, dt.date(2026, 8, 3), "07:12")
    fs.punch(month.staff, dt.date(2026, 8, 3), "16:05")
    response = client_as("staff").get(reverse("attendance:my_month"), {"bulan": "2026-08"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-date="2026-08-03" data-status="hadir"' in html
    assert "07:12" in html and "16:05" in html
    assert 'data-date="2026-08-17" data-status="libur"' in html and "Proklamasi Kemerdekaan" in html
    for word in ("Hadir", "Terlambat", "Pulang cepat", "Tanpa keterangan", "Cuti", "Dinas luar", "Libur"):
        assert word in html
    assert "no-store" in response["Cache-Control"]


def test_month_switcher_stops_at_this_month(client_as, month, fixed_today):
    html = client_as("staff").get(reverse("attendance:my_month")).content.decode()
    assert "?bulan=2026-07" in html and "?bulan=2026-09" not in html
    html = client_as("staff").get(reverse("attendance:my_month"), {"bulan": "2026-06"}).content.decode()
    assert "?bulan=2026-07" in html


def test_month_of_someone_else(client_as, month, fixed_today):
    url = reverse("attendance:employee_month", args=[month.staff.pk])
    assert client_as("kabid").get(url).status_code == 200  # the atasan
    assert client_as("operator_a").get(url).status_code == 200
    assert client_as("admin").get(url).status_code == 200
    other = reverse("attendance:employee_month", args=[month.other.pk])
    assert client_as("kabid").get(other).status_code == 404
    assert client_as("operator_a").get(other).status_code == 404
    assert client_as("staff").get(other).status_code == 404
    assert client_as("admin").get(reverse("attendance:my_month")).status_code == 404  # no employee record


# ---- today --------------------------------------------------------------------------------------------------------


def test_today_page(client_as, city, fixed_today):
    fs.punch(city.staff, DAY, "07:25")
    fs.punch(city.staff, DAY, "16:10")
    fs.leave(city.staff2, DAY, DAY, city.users["admin"])
    response = client_as("operator_a").get(reverse("attendance:today"))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-employee="{city.staff.pk}" data-status="hadir"' in html and "07:25" in html and "16:10" in html
    assert f'data-employee="{city.staff2.pk}" data-status="cuti"' in html
    assert f'data-employee="{city.head.pk}" data-status="belum"' in html
    assert f'data-employee="{city.other.pk}"' not in html
    belum = client_as("operator_a").get(reverse("attendance:today"), {"tampil": "belum"}).content.decode()
    assert f'data-employee="{city.head.pk}"' in belum and f'data-employee="{city.staff.pk}"' not in belum


def test_today_refusals(client_as, city, fixed_today):
    assert client_as("staff").get(reverse("attendance:today")).status_code == 404
    assert client_as("operator_a").get(reverse("attendance:today"), {"unit": city.opd_b.pk}).status_code == 404


# ---- recap --------------------------------------------------------------------------------------------------------


def test_recap_page(client_as, month, fixed_today):
    response = client_as("admin").get(reverse("attendance:recap"), {"bulan": "2026-08"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="chart-late"' in html and 'id="chart-tk"' in html and "chart.umd.min.js" in html
    assert html.count('<tr data-employee="') == 5
    assert 'id="t-tk" class="status-bad">8<' in html
    charts = response.context["charts"]
    assert charts["chart-late"]["labels"] == ["Dinas A", "Dinas B"]
    assert charts["chart-late"]["values"] == [5.0, 5.0]  # 4 of 80 days, 1 of 20
    assert charts["chart-tk"]["values"][-1] == 8


def test_recap_page_defaults_to_last_month(client_as, month, fixed_today):
    response = client_as("admin").get(reverse("attendance:recap"))
    assert response.context["r"].period == dt.date(2026, 7, 1)


def test_recap_scope(client_as, month, fixed_today):
    html = client_as("operator_a").get(reverse("attendance:recap"), {"bulan": "2026-08"}).content.decode()
    assert html.count('<tr data-employee="') == 4 and f'data-employee="{month.other.pk}"' not in html
    for role in ("staff", "kabid"):
        assert client_as(role).get(reverse("attendance:recap")).status_code == 404
        assert client_as(role).get(reverse("attendance:recap_xlsx")).status_code == 404
        assert client_as(role).get(reverse("attendance:recap_csv")).status_code == 404
    url = reverse("attendance:recap")
    assert client_as("operator_a").get(url, {"unit": month.opd_b.pk}).status_code == 404


def _more(city, n: int) -> None:
    for i in range(n):
        e = f.employee(city.staff_pos, name=f"Tambahan {i:03d}")
        fs.recap(e, AUG, tk=i % 3, bands={"TL2": 1})
        fs.punch(e, DAY, "07:31")
    unit = f.unit("Dinas C", code="C")
    e = f.employee(f.position(unit), name="Pegawai C")
    fs.recap(e, AUG)


@pytest.mark.parametrize("name,params,role", [
    ("attendance:recap", {"bulan": "2026-08", "per_page": 100}, "admin"),
    ("attendance:recap", {"bulan": "2026-08", "per_page": 100}, "operator_a"),
    ("attendance:today", {"per_page": 100}, "admin"),
    ("attendance:today", {"per_page": 100}, "kabid"),
    ("attendance:recap_xlsx", {"bulan": "2026-08"}, "admin"),
    ("attendance:home", {}, "kabid"),
])  # fmt: skip
def test_queries_do_not_grow_with_employees(client_as, month, fixed_today, name, params, role,
                                            django_assert_max_num_queries):  # fmt: skip
    c = client_as(role)
    with CaptureQueriesContext(connection) as small:
        assert c.get(reverse(name), params).status_code == 200
    _more(month, 30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert c.get(reverse(name), params).status_code == 200


def test_month_page_queries_fixed(client_as, month, fixed_today, django_assert_max_num_queries):
    c = client_as("staff")
    with CaptureQueriesContext(connection) as small:
        c.get(reverse("attendance:my_month"), {"bulan": "2026-08"})
    for d in range(3, 29):
        fs.punch(month.staff, dt.date(2026, 8, d), "07:30")
        fs.punch(month.staff, dt.date(2026, 8, d), "16:30")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert c.get(reverse("attendance:my_month"), {"bulan": "2026-08"}).status_code == 200


# ---- exports ------------------------------------------------------------------------------------------------------

EVIL = '=HYPERLINK("http://x","klik")'


def _poison(city) -> None:
    Employee.objects.filter(pk=city.staff.pk).update(name=EVIL + "\r\nbaris dua")  # written around the services
    Unit.objects.filter(pk=city.bidang_a.pk).update(name="+Bidang A1")


def test_xlsx_export(client_as, month, fixed_today):
    _poison(month)
    response = client_as("operator_a").get(reverse("attendance:recap_xlsx"), {"bulan": "2026-08"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="rekap-presensi-2026-08.xlsx"'
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0][:7] == ["NIP", "Nama", "Unit kerja", "Hari kerja", "Hadir", "Tidak hadir sah", "TK"]
    assert rows[0][7:] == ["TL1", "TL2", "TL3", "TL4", "PSW1", "PSW2", "PSW3", "PSW4", "Terlambat (menit)",
                           "PSW (menit)"]  # fmt: skip
    assert len(rows) == 5  # header + Dinas A's four
    by_nip = {r[0]: r for r in rows[1:]}
    staff = by_nip[month.staff.nip]
    assert staff[1:] == [EVIL + " baris dua", "+Bidang A1", 20, 19, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 10, 0]
    for row in ws.iter_rows(min_row=2):
        assert row[0].data_type == "s"  # the NIP stays text
        for c in row[:3]:
            if str(c.value).startswith(("=", "+", "-", "@")):
                assert c.data_type == "s" and c.quotePrefix, c.coordinate
        for c in row[3:]:
            assert isinstance(c.value, int)


def test_csv_export(client_as, month, fixed_today):
    _poison(month)
    response = client_as("admin").get(reverse("attendance:recap_csv"),
                                      {"bulan": "2026-08", "unit": month.bidang_a.pk})  # fmt: skip
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "NIP" and len(rows) == 4  # Bidang A1: kabid, staff, staff2
    staff = next(r for r in rows if r[0] == month.staff.nip)
    assert staff[1] == "'" + EVIL + " baris dua" and staff[2] == "'+Bidang A1"
    assert staff[3:7] == ["20", "19", "0", "1"]
    assert "\r\nbaris" not in text
