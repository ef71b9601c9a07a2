"""The discipline pages: the list per role (recommendations for BKPSDM, read-only for the inspectorate, the scope's
cases for an operator, the employee's own), the case page per role (404 out of scope), the forms through the pages,
the BAP download."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from pamong.attendance import discipline_cases as svc
from pamong.attendance.models import DisciplineCase
from pamong.payroll.models import DisciplinarySanction

from .factories_discipline import PDF, recap

Y = timezone.localdate().year
LIST = "/presensi/disiplin/"


def client_for(city, key):
    c = Client()
    c.force_login(city.users[key])
    return c


@pytest.fixture
def staff_case(city) -> DisciplineCase:
    recap(city.staff, dt.date(Y, 1, 1), tk=4)
    return svc.discipline_case_open(actor=city.users["admin"], employee_id=city.staff.pk, year=Y)


def test_bkpsdm_sees_the_recommendations_with_why_and_opens_a_case(city):
    recap(city.kabid, dt.date(Y, 1, 1), tk=6)
    recap(city.kabid, dt.date(Y, 2, 1), tk=6)  # 12 days, never 10 in a row
    recap(city.other, dt.date(Y, 1, 1), tk=2)
    c = client_for(city, "admin")
    body = c.get(LIST).content.decode()
    assert 'id="recommendations"' in body and "Kabid A1" in body and "Pegawai Dinas B" not in body
    assert "Pemotongan TPP 25% selama 6 bulan" in body and "Ambang 11–13 hari dalam setahun." in body
    assert "potong_tpp" not in body  # no internal codes on the page
    r = c.post("/presensi/disiplin/buka/", {"employee": city.kabid.pk, "year": Y})
    case = DisciplineCase.objects.get(employee=city.kabid)
    assert r.status_code == 302 and r.url == f"/presensi/disiplin/{case.pk}/"
    assert "Kabid A1" not in c.get(LIST).content.decode().split('id="all-title"')[0]  # no longer recommended


def test_the_inspectorate_reads_but_has_no_buttons(city, staff_case):
    recap(city.kabid, dt.date(Y, 1, 1), tk=12)
    c = client_for(city, "inspector")
    body = c.get(LIST).content.decode()
    assert 'id="recommendations"' in body and "Buka kasus" not in body and "Staf Satu" in body
    page = c.get(f"/presensi/disiplin/{staff_case.pk}/").content.decode()
    assert "Catat hasil pemeriksaan" not in page and "Hentikan kasus" not in page
    assert c.post("/presensi/disiplin/buka/", {"employee": city.kabid.pk, "year": Y}).status_code == 403
    assert c.post(f"/presensi/disiplin/{staff_case.pk}/hentikan/", {"reason": "x"}).status_code == 403


def test_the_operator_sees_their_opds_cases_only_and_no_recommendations(city, staff_case):
    recap(city.other, dt.date(Y, 1, 1), tk=3)
    other = svc.discipline_case_open(actor=city.users["admin"], employee_id=city.other.pk, year=Y)
    c = client_for(city, "operator_a")
    body = c.get(LIST).content.decode()
    assert "Staf Satu" in body and "Pegawai Dinas B" not in body and 'id="recommendations"' not in body
    assert c.get(f"/presensi/disiplin/{staff_case.pk}/").status_code == 200
    assert c.get(f"/presensi/disiplin/{other.pk}/").status_code == 404


CASE_STATUS = {"admin": 200, "inspector": 200, "bpkad": 200, "operator_a": 200, "treasurer_a": 200, "kabid": 200,
               "staff": 200, "assessor": 404}  # fmt: skip


@pytest.mark.parametrize(("who", "status"), CASE_STATUS.items())
def test_who_may_open_a_case_page(city, staff_case, who, status):
    assert client_for(city, who).get(f"/presensi/disiplin/{staff_case.pk}/").status_code == status


def test_the_employee_sees_their_own_case_and_not_anothers(city, staff_case):
    recap(city.staff2, dt.date(Y, 1, 1), tk=3)
    theirs = svc.discipline_case_open(actor=city.users["admin"], employee_id=city.staff2.pk, year=Y)
    c = client_for(city, "staff")
    body = c.get(LIST).content.decode()
    assert 'id="my-cases"' in body and "Staf Dua" not in body and 'id="recommendations"' not in body
    assert c.get(f"/presensi/disiplin/{theirs.pk}/").status_code == 404
    assert (
        c.post(f"/presensi/disiplin/{theirs.pk}/upaya/", {"kind": "keberatan", "appeal_text": "x"}).status_code == 404
    )


def test_a_case_through_its_pages_to_an_appeal(city, staff_case):
    admin = client_for(city, "admin")
    url = f"/presensi/disiplin/{staff_case.pk}/"
    today = timezone.localdate().isoformat()
    bad = SimpleUploadedFile("bap.pdf", b"not a pdf")
    admin.post(url + "periksa/", {"bap_date": today, "bap_summary": "Diperiksa.", "bap_file": bad})
    assert "harus PDF atau gambar" in admin.get(url).content.decode()
    r = admin.post(url + "periksa/", {"bap_date": today, "bap_summary": "Diperiksa.",
                                      "bap_file": SimpleUploadedFile("bap.pdf", PDF)})  # fmt: skip
    assert r.status_code == 302
    body = admin.get(url).content.decode()
    assert "Tetapkan hukuman" in body and "Unduh BAP" in body
    sk_day = timezone.localdate().isoformat()
    admin.post(url + "putus/", {"code": "teguran_tertulis", "sk_number": "800/1/2026", "sk_date": sk_day,
                                "tmt": sk_day})  # fmt: skip
    assert DisciplinarySanction.objects.get(employee=city.staff).code == "teguran_tertulis"

    staff = client_for(city, "staff")
    page = staff.get(url).content.decode()
    assert "Teguran tertulis" in page and "Ajukan upaya administratif" in page and "teguran_tertulis" not in page
    download = staff.get(url + "bap/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    staff.post(url + "upaya/", {"kind": "keberatan", "appeal_text": "Saya sakit, ada surat dokter."})
    page = admin.get(url).content.decode()
    assert "Catat putusan upaya administratif" in page and "Saya sakit, ada surat dokter." in page
    admin.post(url + "putus-upaya/", {"outcome": "annulled", "appeal_decision": "Surat dokter sah."})
    page = staff.get(url).content.decode()
    assert "dibatalkan" in page and "Surat dokter sah." in page
    assert not DisciplinarySanction.objects.filter(employee=city.staff).exists()


def test_the_bap_is_not_served_out_of_scope(city, staff_case):
    svc.discipline_case_examine(actor=city.users["admin"], case_id=staff_case.pk, bap_date=timezone.localdate(),
                                summary="BAP", filename="bap.pdf", content=PDF)  # fmt: skip
    assert client_for(city, "assessor").get(f"/presensi/disiplin/{staff_case.pk}/bap/").status_code == 404
    assert client_for(city, "kabid").get(f"/presensi/disiplin/{staff_case.pk}/bap/").status_code == 200


def test_a_manual_case_by_nip(city):
    c = client_for(city, "admin")
    r = c.post("/presensi/disiplin/buka/", {"manual": "1", "nip": city.other.nip, "year": Y,
                                            "description": "Menggunakan mobil dinas untuk mudik."})  # fmt: skip
    case = DisciplineCase.objects.get(employee=city.other)
    assert r.url == f"/presensi/disiplin/{case.pk}/" and case.basis == "lainnya"
    r = c.post("/presensi/disiplin/buka/", {"manual": "1", "nip": "000", "year": Y, "description": "x"}, follow=True)
    assert "Pegawai tidak ditemukan." in r.content.decode()


def test_a_user_without_a_role_or_case_sees_an_empty_page(city):
    body = client_for(city, "assessor").get(LIST).content.decode()
    assert 'id="no-cases"' in body
