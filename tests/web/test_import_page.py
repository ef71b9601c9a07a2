"""Import page: every upload runs as a background job (check → report → confirm → write), with progress polled by
htmx; the confirmed job writes exactly the checked bytes; only the uploader sees a job."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pamong.audit.models import AuditEvent
from pamong.org.models import Unit
from pamong.people import import_jobs
from pamong.people.models import ImportJob
from tests.people.test_import_xlsx_limits import forged_size, workbook

UNITS_OK = b"KODE_UNIT,NAMA_UNIT,JENIS,KODE_INDUK\nC,Dinas C,opd,\nC1,Bidang C1,bidang,C\n"
UNITS_BAD = b"KODE_UNIT,NAMA_UNIT,JENIS,KODE_INDUK\nD,Dinas D,planet,\n"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}


@pytest.fixture
def worker(settings):
    """Tasks run as they are enqueued (as if a worker took them at once)."""
    settings.TASKS = IMMEDIATE


def upload(client, content: bytes, kind: str = "units", name: str = "unit.csv", **extra):
    data = {"kind": kind, "file": SimpleUploadedFile(name, content, "text/csv"), **extra}
    return client.post(reverse("import"), data)


def job_page(client, response):
    assert response.status_code == 302, response.status_code
    return client.get(response["Location"])


def test_operator_is_offered_employees_only_admin_everything(login, city):
    body = login("operator_a").get(reverse("import")).content.decode()
    assert 'value="employees"' in body and 'value="units"' not in body and 'value="positions"' not in body
    body = login("admin").get(reverse("import")).content.decode()
    assert all(f'value="{k}"' in body for k in ("units", "positions", "employees"))


def test_operator_cannot_post_a_kind_not_offered(login, city, worker):
    response = upload(login("operator_a"), UNITS_OK, kind="units")
    assert response.status_code == 400
    assert not Unit.objects.filter(code="C").exists() and not ImportJob.objects.exists()


def test_check_then_confirm_runs_two_background_jobs(login, city, worker):
    c = login("admin")
    events_before = AuditEvent.objects.count()
    response = job_page(c, upload(c, UNITS_OK, reason="Perwali 12/2026"))
    body = response.content.decode()
    assert "Hasil uji coba" in body and "akan ditambahkan" in body and 'id="confirm-import"' in body
    assert not Unit.objects.filter(code="C").exists()  # a check writes nothing
    check = ImportJob.objects.get()
    assert (check.state, check.dry_run, check.report["created"]) == ("done", True, 2)
    assert check.created_by == city.users["admin"]

    response = job_page(c, c.post(reverse("import_job", args=[check.pk]), {"step": "confirm"}))
    body = response.content.decode()
    assert "Impor selesai" in body and "Data telah disimpan" in body
    assert Unit.objects.filter(code__in=["C", "C1"]).count() == 2
    new_events = AuditEvent.objects.count() - events_before
    assert new_events == 2 and AuditEvent.objects.filter(reason="Perwali 12/2026").count() == 2
    applied = ImportJob.objects.get(source=check)
    assert (applied.state, applied.dry_run, applied.report["applied"], applied.rows_done) == ("done", False, True, 2)
    assert not import_jobs.job_file(applied).exists()  # the file is gone once written

    again = c.post(reverse("import_job", args=[check.pk]), {"step": "confirm"})  # a check is confirmed once
    assert again.status_code == 409 and ImportJob.objects.count() == 2


def test_errors_are_listed_and_nothing_can_be_confirmed(login, city, worker):
    c = login("admin")
    body = job_page(c, upload(c, UNITS_BAD)).content.decode()
    table = body[body.index('id="import-errors"') :]
    assert "JENIS" in table and "planet" in table and '<td class="num">2</td>' in table
    assert 'id="confirm-import"' not in body and "tidak ada data yang disimpan" in body
    job = ImportJob.objects.get()
    assert c.post(reverse("import_job", args=[job.pk]), {"step": "confirm"}).status_code == 409
    assert not Unit.objects.filter(code="D").exists()


def test_a_bomb_is_refused_on_the_page_with_its_message(login, city, worker):
    c = login("admin")
    bomb = forged_size(workbook([["KODE_UNIT"]]), "xl/worksheets/sheet1.xml", 0xFFFF0000)
    body = job_page(c, upload(c, bomb, name="unit.xlsx")).content.decode()
    assert "isi berkas XLSX terlalu besar setelah dibuka" in body and 'id="confirm-import"' not in body


def test_a_header_only_file_says_there_are_no_data_rows(login, city, worker):
    c = login("admin")
    body = job_page(c, upload(c, b"KODE_UNIT,NAMA_UNIT,JENIS\n")).content.decode()
    assert "tidak berisi baris data" in body and 'id="confirm-import"' not in body


def test_wrong_file_type_is_refused_in_indonesian(login, city):
    response = upload(login("admin"), b"x", name="unit.pdf")
    assert response.status_code == 400
    assert "CSV atau XLSX" in response.content.decode()


def test_progress_is_polled_while_queued_and_reloads_the_page_when_done(login, city):
    c = login("admin")  # no worker: the job waits in the queue
    job_url = upload(c, UNITS_OK)["Location"]
    job = ImportJob.objects.get()
    body = c.get(job_url).content.decode()
    assert "Menunggu giliran" in body and 'hx-trigger="every 1s"' in body and "Hasil uji coba" not in body
    progress_url = reverse("import_job_progress", args=[job.pk])
    partial = c.get(progress_url, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "HX-Refresh" not in partial

    ImportJob.objects.filter(pk=job.pk).update(state="running", phase="write", rows_done=500, rows_total=2000)
    body = c.get(progress_url, HTTP_HX_REQUEST="true").content.decode()
    assert 'max="2000" value="500"' in body and "500 dari 2.000 baris tersimpan" in body

    ImportJob.objects.filter(pk=job.pk).update(state="queued")
    import_jobs.import_job_run(job.pk)  # the worker takes it
    partial = c.get(progress_url, HTTP_HX_REQUEST="true")
    assert partial["HX-Refresh"] == "true" and "hx-trigger" not in partial.content.decode()
    assert "Hasil uji coba" in c.get(job_url).content.decode()


def test_a_job_runs_once_even_if_its_task_runs_twice(login, city):
    c = login("admin")
    upload(c, UNITS_OK)
    job = ImportJob.objects.get()
    import_jobs.import_job_run(job.pk)
    import_jobs.import_job_run(job.pk)
    job.refresh_from_db()
    assert job.state == "done" and job.report["created"] == 2


def test_another_users_job_is_not_found(login, city, worker):
    c = login("admin")
    upload(c, UNITS_OK)
    job = ImportJob.objects.get()
    other = login("operator_a")
    assert other.get(reverse("import_job", args=[job.pk])).status_code == 404
    assert other.get(reverse("import_job_progress", args=[job.pk])).status_code == 404
    assert other.post(reverse("import_job", args=[job.pk]), {"step": "confirm"}).status_code == 404
    assert not Unit.objects.filter(code="C").exists()


def test_cancel_discards_the_checked_file(login, city, worker):
    c = login("admin")
    upload(c, UNITS_OK)
    job = ImportJob.objects.get()
    assert import_jobs.job_file(job).exists()
    assert c.post(reverse("import_job", args=[job.pk]), {"step": "cancel"}).status_code == 302
    assert not import_jobs.job_file(job).exists()
    assert c.post(reverse("import_job", args=[job.pk]), {"step": "confirm"}).status_code == 409
    assert not Unit.objects.filter(code="C").exists()


def test_a_file_changed_after_its_check_is_not_written(login, city, worker):
    c = login("admin")
    upload(c, UNITS_OK)
    job = ImportJob.objects.get()
    import_jobs.job_file(job).write_bytes(UNITS_OK.replace(b"Dinas C", b"Dinas X"))
    response = c.post(reverse("import_job", args=[job.pk]), {"step": "confirm"})
    assert response.status_code == 409 and "unggah ulang" in response.content.decode()
    assert not Unit.objects.filter(code="C").exists()


def test_a_crash_marks_the_job_failed_with_a_plain_message(login, city, monkeypatch):
    c = login("admin")
    upload(c, UNITS_OK)
    job = ImportJob.objects.get()

    def crash(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(import_jobs, "import_file", crash)
    with pytest.raises(RuntimeError):
        import_jobs.import_job_run(job.pk)
    body = c.get(reverse("import_job", args=[job.pk])).content.decode()
    assert "Impor gagal" in body and import_jobs.CHECK_CRASHED in body and "boom" not in body


def test_the_import_page_lists_the_users_recent_jobs(login, city, worker):
    c = login("admin")
    upload(c, UNITS_BAD, name="salah.csv")
    body = c.get(reverse("import")).content.decode()
    recent = body[body.index('id="import-recent"') :]
    assert "salah.csv" in recent and "1 kesalahan" in recent
    assert "salah.csv" not in login("operator_a").get(reverse("import")).content.decode()


def test_a_long_error_list_is_cut_on_the_page(login, city, worker, monkeypatch):
    from pamong.web import imports_views

    monkeypatch.setattr(imports_views, "ERRORS_SHOWN", 2)
    bad = b"KODE_UNIT,NAMA_UNIT,JENIS\n" + b"".join(b"D%d,Dinas,planet\n" % i for i in range(5))
    c = login("admin")
    body = job_page(c, upload(c, bad)).content.decode()
    table = body[body.index('id="import-errors"') : body.index("</table>", body.index('id="import-errors"'))]
    assert table.count("planet") == 2
    assert "2 kesalahan pertama ditampilkan; 3 lainnya tidak" in body


def test_a_running_job_without_progress_says_it_has_stalled(login, city):
    import datetime as dt

    from django.utils import timezone

    c = login("admin")
    upload(c, UNITS_OK)
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(state="running", phase="check", rows_done=10)
    url = reverse("import_job_progress", args=[job.pk])
    assert "Tidak ada kemajuan" not in c.get(url).content.decode()
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=5))
    body = c.get(url).content.decode()
    assert "Tidak ada kemajuan sejak" in body and 'hx-trigger="every 1s"' in body
