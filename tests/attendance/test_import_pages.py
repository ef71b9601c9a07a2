"""Pages of machines, uploads and check-in: who sees what, the upload's background job and its report."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pamong.attendance.models import Device, Punch, PunchImportJob
from tests.attendance import factories_import as af

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
FILE = af.attlog(("1", "2026-03-02 07:01:02"), ("1", "2026-03-02 16:05:00"), ("9", "2026-03-02 07:30:00"))


@pytest.fixture(autouse=True)
def _media_and_worker(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = IMMEDIATE  # tasks run as they are enqueued (as if a worker took them at once)


@pytest.fixture
def login(city):
    def _login(role: str) -> Client:
        c = Client()
        c.force_login(city.users[role])
        return c

    return _login


@pytest.fixture
def dev(city):
    d = af.device(city.opd_a, code="SN-A")
    af.enrol(d, "1", city.staff)
    return d


def test_device_list_shows_the_operators_machines_only(login, city, dev):
    other = af.device(city.opd_b, code="SN-B")
    body = login("operator_a").get(reverse("attendance:devices")).content.decode()
    assert "SN-A" in body and "SN-B" not in body and 'id="device-form"' in body
    body = login("admin").get(reverse("attendance:devices")).content.decode()
    assert "SN-A" in body and other.code in body


@pytest.mark.parametrize("role", ["staff", "treasurer_a", "inspector"])
def test_others_may_not_manage_machines(login, dev, role):
    c = login(role)
    assert c.get(reverse("attendance:devices")).status_code == 403
    assert c.get(reverse("attendance:device", args=[dev.pk])).status_code == 403


def test_anonymous_is_sent_to_login(dev):
    r = Client().get(reverse("attendance:devices"))
    assert r.status_code == 302 and r["Location"].startswith("/masuk/")


def test_operator_gets_404_for_another_opds_machine(login, city):
    d = af.device(city.opd_b)
    assert login("operator_a").get(reverse("attendance:device", args=[d.pk])).status_code == 404


def test_register_a_machine(login, city):
    c = login("operator_a")
    r = c.post(reverse("attendance:devices"), {"code": "SN-9", "name": "Lobi", "unit": city.bidang_a.pk})
    d = Device.objects.get(code="SN-9")
    assert r.status_code == 302 and r["Location"] == reverse("attendance:device", args=[d.pk])
    r = c.post(reverse("attendance:devices"), {"code": "SN-10", "name": "Lobi", "unit": city.opd_b.pk})
    assert r.status_code == 400 and not Device.objects.filter(code="SN-10").exists()  # not offered: invalid choice


def test_upload_runs_as_a_job_and_shows_its_report(login, city, dev):
    c = login("operator_a")
    r = c.post(reverse("attendance:device", args=[dev.pk]),
               {"step": "upload", "file": SimpleUploadedFile("GLog_001.txt", FILE)})  # fmt: skip
    job = PunchImportJob.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("attendance:import_job", args=[job.pk])
    assert job.state == "done" and job.punch_file.added == 3
    body = c.get(r["Location"]).content.decode()
    assert "Impor selesai" in body and "ID belum dipetakan" in body and "hx-get" not in body
    file_page = c.get(reverse("attendance:punch_file", args=[job.punch_file.pk])).content.decode()
    assert "belum dipetakan" in file_page and ">9<" in file_page
    # the device page lists the unmatched id; mapping it by NIP attaches its punch
    page = c.get(reverse("attendance:device", args=[dev.pk])).content.decode()
    assert 'id="unmatched"' in page
    r = c.post(reverse("attendance:device", args=[dev.pk]), {"step": "map", "machine_user_id": "9",
                                                             "nip": city.staff2.nip})  # fmt: skip
    assert r.status_code == 302 and Punch.objects.filter(employee=city.staff2).count() == 1
    # the job is its uploader's only
    assert login("admin").get(reverse("attendance:import_job", args=[job.pk])).status_code == 404


def test_a_bad_file_fails_the_job_and_lists_every_bad_row(login, dev):
    c = login("operator_a")
    bad = FILE + b"   1\t2026-13-02 07:00:00\n"
    r = c.post(reverse("attendance:device", args=[dev.pk]), {"step": "upload",
                                                             "file": SimpleUploadedFile("x.dat", bad)})  # fmt: skip
    job = PunchImportJob.objects.get()
    assert job.state == "failed" and job.bad_rows[0]["line"] == 4 and Punch.objects.count() == 0
    body = c.get(r["Location"]).content.decode()
    assert "Berkas ditolak" in body and 'id="bad-rows"' in body and "tanggal tidak ada di kalender" in body


def test_progress_box_refreshes_the_page_when_done(login, dev):
    c = login("operator_a")
    c.post(reverse("attendance:device", args=[dev.pk]), {"step": "upload", "file": SimpleUploadedFile("a.dat", FILE)})
    job = PunchImportJob.objects.get()
    r = c.get(reverse("attendance:import_job_progress", args=[job.pk]), headers={"HX-Request": "true"})
    assert r.status_code == 200 and r["HX-Refresh"] == "true"


def test_a_queued_job_shows_progress_polling(login, city, dev, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}}
    c = login("operator_a")
    upload = {"step": "upload", "file": SimpleUploadedFile("a.dat", FILE)}
    r = c.post(reverse("attendance:device", args=[dev.pk]), upload)
    body = c.get(r["Location"]).content.decode()
    assert "Menunggu giliran" in body and "hx-get" in body


def test_mapping_file_with_bad_rows_lists_them(login, city, dev):
    c = login("operator_a")
    data = f"PIN;NIP\n5;{city.other.nip}\n".encode()
    r = c.post(reverse("attendance:device", args=[dev.pk]), {"step": "map_file",
                                                             "file": SimpleUploadedFile("m.csv", data)})  # fmt: skip
    assert r.status_code == 422 and 'id="bad-rows"' in r.content.decode()


def test_checkin_page_for_an_employee(login, city):
    c = login("staff")
    body = c.get(reverse("attendance:checkin")).content.decode()
    assert 'id="checkin-form"' in body and "attendance/checkin.js" in body and "<script>" not in body
    r = c.post(reverse("attendance:checkin"), {"latitude": "", "longitude": ""})
    assert r.status_code == 302 and Punch.objects.filter(employee=city.staff).count() == 1
    assert 'id="today-punches"' in c.get(reverse("attendance:checkin")).content.decode()


def test_checkin_page_outside_the_fence_says_how_far(login, city):
    af.geofence(city.opd_a, "-0.680600", "100.776700", radius_m=100)
    r = login("staff").post(reverse("attendance:checkin"), {"latitude": "-0.6914", "longitude": "100.7767"})
    assert r.status_code == 422 and "Anda berada 1,2 km dari kantor; batas 100 m" in r.content.decode()
    assert Punch.objects.count() == 0


def test_checkin_page_is_for_employees_only(login):
    assert login("admin").get(reverse("attendance:checkin")).status_code == 403
