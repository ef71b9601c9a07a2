"""The month's pages render for who may see them, 404 for others, and do what their forms say."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pamong.attendance.models import Correction, MonthJob, MonthRecap, RequestState
from pamong.payroll.models import PayrollRun, RunKind, RunState
from tests import factories as f

PDF = b"%PDF-1.4\n%%EOF\n"


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_employee_files_and_cancels_a_correction(city):
    c = client_for(city.users["staff"])
    url = reverse("attendance:corrections")
    page = c.get(url)
    assert page.status_code == 200 and "Ajukan koreksi" in page.content.decode()
    resp = c.post(url, {"date": "2026-03-02", "kind": "lupa", "masuk": "07:25", "pulang": "", "reason": "lupa",
                        "evidence": SimpleUploadedFile("s.pdf", PDF)})  # fmt: skip
    assert resp.status_code == 302
    row = Correction.objects.get()
    assert row.masuk == dt.time(7, 25) and row.pulang is None and row.evidence
    listed = c.get(url).content.decode()
    assert "Diajukan" in listed and "Batalkan" in listed
    bad = c.post(url, {"date": "2026-03-03", "kind": "lupa", "masuk": "7.25x", "reason": "x"})
    assert bad.status_code == 422 and "Jam tidak dapat dibaca" in bad.content.decode()
    notpdf = c.post(url, {"date": "2026-03-03", "kind": "lupa", "masuk": "07:00", "reason": "x",
                          "evidence": SimpleUploadedFile("s.pdf", b"<html>")})  # fmt: skip
    assert notpdf.status_code == 422 and "PDF atau gambar" in notpdf.content.decode()
    assert c.get(reverse("attendance:correction_evidence", args=[row.pk])).status_code == 200
    assert c.post(reverse("attendance:correction_cancel", args=[row.pk])).status_code == 302
    assert Correction.objects.get().state == RequestState.CANCELLED


def test_atasan_decides_on_the_page_and_others_get_404(city):
    staff = client_for(city.users["staff"])
    form = {"date": "2026-03-02", "kind": "lupa", "masuk": "07:25", "reason": "lupa",
            "evidence": SimpleUploadedFile("s.pdf", PDF)}  # fmt: skip
    staff.post(reverse("attendance:corrections"), form)
    row = Correction.objects.get()
    kabid = client_for(city.users["kabid"])
    page = kabid.get(reverse("attendance:corrections_to_decide")).content.decode()
    assert "Staf Satu" in page and "Unduh bukti" in page
    assert kabid.get(reverse("attendance:correction_evidence", args=[row.pk])).status_code == 200
    other = client_for(f.user("other", employee=city.other))
    assert other.get(reverse("attendance:correction_evidence", args=[row.pk])).status_code == 404
    decide = reverse("attendance:correction_decide", args=[row.pk])
    assert other.post(decide, {"decision": "approve"}).status_code == 404
    assert other.get(reverse("attendance:corrections_to_decide")).status_code == 404  # no one below them
    kabid.post(reverse("attendance:correction_decide", args=[row.pk]), {"decision": "reject", "note": ""})
    assert Correction.objects.get().state == RequestState.SUBMITTED  # a rejection needs its reason
    kabid.post(reverse("attendance:correction_decide", args=[row.pk]), {"decision": "approve"})
    assert Correction.objects.get().state == RequestState.APPROVED
    assert "Tidak ada pengajuan" in kabid.get(reverse("attendance:corrections_to_decide")).content.decode()


def test_month_page_for_bkpsdm_only(city):
    url = reverse("attendance:month")
    for who in ("staff", "operator_a", "treasurer_a", "kabid"):
        assert client_for(city.users[who]).get(url).status_code == 404
    admin = client_for(city.users["admin"])
    page = admin.get(url, {"bulan": "2026-03"})
    assert page.status_code == 200 and "Hitung ulang rekap bulan ini" in page.content.decode()
    resp = admin.post(url, {"bulan": "2026-03"})
    assert resp.status_code == 302
    job = MonthJob.objects.get()
    assert job.state == MonthJob.State.RUNNING and job.employees_total == 5
    from pamong.attendance.month import month_job_work

    running = admin.get(url, {"bulan": "2026-03"}).content.decode()
    assert "hx-get" in running and "Perhitungan sedang berjalan" in running
    month_job_work(job.pk)
    progress = admin.get(reverse("attendance:month_job_progress", args=[job.pk]), headers={"HX-Request": "true"})
    assert progress.status_code == 200 and progress["HX-Refresh"] == "true"
    assert MonthRecap.objects.filter(period=dt.date(2026, 3, 1)).count() == 5
    staff_progress = client_for(city.users["staff"]).get(reverse("attendance:month_job_progress", args=[job.pk]))
    assert staff_progress.status_code == 404
    PayrollRun.objects.create(period=dt.date(2026, 3, 1), kind=RunKind.TPP, state=RunState.APPROVED,
                              created_by=city.users["bpkad"])  # fmt: skip
    locked = admin.get(url, {"bulan": "2026-03"}).content.decode()
    assert "sudah dikunci" in locked and 'id="recompute"' not in locked
    refused = admin.post(url, {"bulan": "2026-03"})
    assert refused.status_code == 409 and MonthJob.objects.count() == 1


def test_my_corrections_is_for_employees(city):
    assert client_for(city.users["admin"]).get(reverse("attendance:corrections")).status_code == 404
