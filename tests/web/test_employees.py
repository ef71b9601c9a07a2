"""Employee list (search, filters, htmx, bounded pagination), detail by Detail level, export."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pamong.people.models import FamilyMember
from tests import factories as f


def rows(response) -> str:
    body = response.content.decode()
    start = body.index('<tbody id="employee-rows">')
    return body[start : body.index("</tbody>", start)]


def test_operator_lists_only_own_opd(login, city):
    listing = rows(login("operator_a").get(reverse("employee_list")))
    for e in (city.head, city.kabid, city.staff, city.staff2):
        assert e.nip in listing
    assert city.other.nip not in listing


def test_staff_lists_only_self(login, city):
    listing = rows(login("staff").get(reverse("employee_list")))
    assert city.staff.nip in listing
    assert listing.count("<tr>") == 1


def test_search_by_nip_and_by_name(login, city):
    c = login("admin")
    listing = rows(c.get(reverse("employee_list"), {"q": city.staff2.nip}))
    assert city.staff2.nip in listing and listing.count("<tr>") == 1
    listing = rows(c.get(reverse("employee_list"), {"q": city.staff.nip[:14]}))
    assert city.staff.nip in listing
    listing = rows(c.get(reverse("employee_list"), {"q": "staf"}))
    assert city.staff.nip in listing and city.staff2.nip in listing and city.head.nip not in listing


def test_filters_unit_subtree_golongan_status_type(login, city):
    c = login("admin")
    listing = rows(c.get(reverse("employee_list"), {"unit": city.opd_a.pk}))
    assert city.staff.nip in listing and city.head.nip in listing and city.other.nip not in listing
    listing = rows(c.get(reverse("employee_list"), {"unit": city.bidang_a.pk}))
    assert city.kabid.nip in listing and city.head.nip not in listing
    listing = rows(c.get(reverse("employee_list"), {"golongan": "II"}))
    assert city.staff.nip in listing and city.kabid.nip not in listing
    listing = rows(c.get(reverse("employee_list"), {"golongan": "IV/c"}))
    assert city.head.nip in listing and listing.count("<tr>") == 1
    listing = rows(c.get(reverse("employee_list"), {"employee_type": "PPPK"}))
    assert city.staff2.nip in listing and listing.count("<tr>") == 1
    listing = rows(c.get(reverse("employee_list"), {"status": "pensiun"}))
    assert "Tidak ada pegawai yang cocok" in listing


def test_bad_filter_values_are_ignored_not_an_error(login, city):
    response = login("admin").get(reverse("employee_list"), {"unit": "abc", "per_page": "7", "page": "99"})
    assert response.status_code == 200
    assert city.other.nip in rows(response)


def test_htmx_search_returns_only_the_table_body_and_oob_parts(login, city):
    response = login("operator_a").get(reverse("employee_list"), {"q": city.staff.nip}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<tbody id="employee-rows">')
    assert "<html" not in body
    assert 'id="employee-pager" hx-swap-oob="true"' in body
    assert 'id="employee-summary" class="actions" hx-swap-oob="true"' in body
    assert f"q={city.staff.nip}" in body  # the export link follows the search
    assert "HX-Request" in response["Vary"]


def test_list_form_targets_the_table_body_explicitly(login, city):
    body = login("admin").get(reverse("employee_list")).content.decode()
    assert 'hx-target="#employee-rows"' in body and 'hx-get="/pegawai/"' in body


def test_history_restore_gets_the_full_page(login, city):
    response = login("admin").get(
        reverse("employee_list"), headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.content.decode()


def _more_employees(city, n: int) -> None:
    for i in range(n):
        f.employee(city.staff_pos, name=f"Tambahan {i:03d}")


def test_list_queries_do_not_grow_with_page_size(login, city, django_assert_max_num_queries):
    _more_employees(city, 60)
    c = login("operator_a")
    counts = []
    for per_page in (25, 100):
        with CaptureQueriesContext(connection) as ctx:
            response = c.get(reverse("employee_list"), {"per_page": per_page})
        assert response.status_code == 200
        assert rows(response).count("<tr>") == min(per_page, 64)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(counts[0]):
        c.get(reverse("employee_list"), {"per_page": 50, "page": 2})


def test_pagination_is_bounded(login, city, monkeypatch):
    from pamong.web import paging

    _more_employees(city, 8)
    original = paging.BoundedPaginator.__init__

    def small(self, object_list, per_page, *, max_rows=10_000):
        original(self, object_list, per_page, max_rows=5)

    monkeypatch.setattr(paging.BoundedPaginator, "__init__", small)
    body = login("admin").get(reverse("employee_list"), {"per_page": 25}).content.decode()
    assert "lebih dari 5" in body


# --- detail ----------------------------------------------------------------------------------------------------


def detail(client, employee):
    return client.get(reverse("employee_detail", args=[employee.pk]))


def test_operator_gets_404_for_another_opd(login, city):
    response = detail(login("operator_a"), city.other)
    assert response.status_code == 404
    body = response.content.decode()
    assert "tidak ditemukan" in body and city.other.nip not in body and city.other.name not in body


def test_unknown_employee_is_404(login, city):
    assert login("admin").get(reverse("employee_detail", args=[999999])).status_code == 404


@pytest.mark.parametrize("target", ["staff2", "kabid", "other", "head"])
def test_staff_sees_only_self(login, city, target):
    c = login("staff")
    assert detail(c, city.staff).status_code == 200
    assert detail(c, getattr(city, target)).status_code == 404


def test_full_detail_for_own_opd_operator(login, city):
    FamilyMember.objects.create(
        employee=city.staff, relation="spouse", name="Istri Staf", birth_date=dt.date(1990, 1, 1), gender="P"
    )
    body = detail(login("operator_a"), city.staff).content.decode()
    expected = [
        city.staff.nip,
        city.staff.nik,
        "Staf Satu",
        "Data pribadi",
        "Istri Staf",
        "Riwayat pangkat/golongan",
        "SK-PKT/",
        "Riwayat jabatan",
        "SK-JAB/",
        "Riwayat kenaikan gaji berkala",
        "Riwayat status kepegawaian",
        "Riwayat pendidikan",
        city.staff.bank_account_number,
        "K/0",  # married man, no children: PTKP derived from the family rows
    ]
    for text in expected:
        assert text in body, text


def test_payroll_detail_for_treasurer(login, city):
    body = detail(login("treasurer_a"), city.staff).content.decode()
    assert city.staff.bank_account_number in body and "Status PTKP" in body and "TK/0" in body
    assert city.staff.nik not in body and "Data pribadi" not in body


def test_work_detail_for_supervisor(login, city):
    body = detail(login("kabid"), city.staff).content.decode()
    assert city.staff.nip in body and "Pengadministrasi A1" in body and "II/c" in body
    assert city.staff.bank_account_number not in body and city.staff.nik not in body


def test_detail_links_to_audit_only_for_auditors(login, city):
    assert "Riwayat perubahan" in detail(login("admin"), city.staff).content.decode()
    assert "Riwayat perubahan" not in detail(login("operator_a"), city.staff).content.decode()


def test_detail_dates_are_indonesian(login, city):
    body = detail(login("admin"), city.staff).content.decode()
    assert "1 Maret 2012" in body  # TMT CPNS


# --- export ----------------------------------------------------------------------------------------------------


def test_export_calls_the_register_export_with_the_filter(login, city, monkeypatch):
    from pamong.web import views

    seen = {}

    def fake(*, user, f):
        seen.update(user=user, f=f)
        return b"PK-fake"

    monkeypatch.setattr(views, "export_register_xlsx", fake)
    response = login("operator_a").get(reverse("employee_export"), {"q": "staf", "golongan": "II", "page": "3"})
    assert response.status_code == 200
    assert response.content == b"PK-fake"
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert seen["user"] == city.users["operator_a"]
    assert (seen["f"].q, seen["f"].golongan) == ("staf", "II")


def test_export_forbidden_by_the_exporter_is_403(login, city, monkeypatch):
    from pamong.core.errors import Forbidden
    from pamong.web import views

    def refuse(*, user, f):
        raise Forbidden("tidak boleh")

    monkeypatch.setattr(views, "export_register_xlsx", refuse)
    assert login("operator_a").get(reverse("employee_export")).status_code == 403


def test_real_export_is_an_xlsx(login, city):
    response = login("operator_a").get(reverse("employee_export"))
    assert response.status_code == 200
    assert response.content[:2] == b"PK"


def test_search_accepts_a_nip_written_in_groups(login, city):
    nip = city.staff.nip
    grouped = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    listing = rows(login("admin").get(reverse("employee_list"), {"q": grouped}))
    assert city.staff.nip in listing and listing.count("<tr>") == 1


def test_personal_pages_are_not_cached(login, city):
    c = login("operator_a")
    for response in (detail(c, city.staff), c.get(reverse("employee_list"))):
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
