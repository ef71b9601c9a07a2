"""The year's work pages: who sees what (404 outside the scope), and that each form calls its service."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from pamong.performance import evaluations as ev_services
from pamong.performance import realisation as work
from pamong.performance.models import Evaluation, Evidence, Feedback, Realisation, SkpIndicator, UnitYear

OCT = dt.date(2026, 10, 1)
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def skps(perf):
    return perf.chain()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def login(client, perf, who):
    client.force_login(perf.users[who])
    return client


# ---- realisation ------------------------------------------------------------------------------------------------


def test_realisation_page_saves_the_month_and_attaches_evidence(client, perf, skps, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = login(client, perf, "staff")
    url = reverse("performance:realisation") + "?bulan=2026-10"
    page = c.get(url)
    assert page.status_code == 200 and "Dokumen selesai" in page.content.decode()
    ind = SkpIndicator.objects.get(result__skp=skps["staff"])
    resp = c.post(url, {"action": "set", "indicator": ind.pk, "value": "3", "note": "Tiga dokumen"})
    assert resp.status_code == 302
    real = Realisation.objects.get()
    assert real.period == OCT and real.value == 3
    c.post(url, {"action": "file", "realisation": real.pk, "file": SimpleUploadedFile("bukti.pdf", PDF)})
    c.post(url, {"action": "link", "realisation": real.pk, "url": "https://contoh.go.id/a"})
    assert Evidence.objects.count() == 2
    resp = c.post(url, {"action": "file", "realisation": real.pk, "file": SimpleUploadedFile("x.exe", b"MZ\x00")},
                  follow=True)  # fmt: skip
    assert "Jenis berkas tidak diterima" in resp.content.decode() and Evidence.objects.count() == 2
    page = c.get(url).content.decode()
    assert "bukti.pdf" in page and "https://contoh.go.id/a" in page and "3 dokumen" in page


def test_realisation_page_without_an_agreed_skp_says_so(client, perf):
    page = login(client, perf, "staff").get(reverse("performance:realisation")).content.decode()
    assert "Belum ada SKP" in page


def test_realisation_page_is_for_employees(client, perf):
    assert login(client, perf, "admin").get(reverse("performance:realisation")).status_code == 404


def test_a_future_month_falls_back_to_this_month(client, perf, skps):
    assert login(client, perf, "staff").get(reverse("performance:realisation") + "?bulan=2099-01").status_code == 200


# ---- an employee's performance ----------------------------------------------------------------------------------


def test_employee_page_for_the_supervisor_with_grid_and_feedback(client, perf, skps):
    ind = SkpIndicator.objects.get(result__skp=skps["staff"])
    work.realisation_set(actor=perf.users["staff"], indicator_id=ind.pk, month=OCT, value="7")
    c = login(client, perf, "kabid")
    url = reverse("performance:employee_performance", args=[perf.city.staff.pk]) + "?tahun=2026"
    page = c.get(url).content.decode()
    assert "Dokumen selesai" in page and ">7<" in page.replace(" ", "")
    c.post(url, {"text": "Pertahankan.", "bulan": "2026-10"})
    fb = Feedback.objects.get()
    assert fb.author == perf.users["kabid"] and fb.period == OCT
    assert "Pertahankan." in c.get(url).content.decode()


def test_the_employee_sees_their_page_without_the_feedback_form(client, perf, skps):
    page = login(client, perf, "staff").get(reverse("performance:employee_performance", args=[perf.city.staff.pk]))
    assert page.status_code == 200 and 'name="text"' not in page.content.decode()


@pytest.mark.parametrize("who", ["other", "staff2", "treasurer_a", "bpkad"])
def test_employee_page_outside_the_scope_is_404(client, perf, skps, who):
    url = reverse("performance:employee_performance", args=[perf.city.staff.pk])
    assert login(client, perf, who).get(url).status_code == 404
    assert login(client, perf, who).post(url, {"text": "x", "bulan": "2026-10"}).status_code == 404
    assert not Feedback.objects.exists()


# ---- the penilai's list -----------------------------------------------------------------------------------------


def test_rating_list_rates_drafts_and_finalises(client, perf, skps):
    c = login(client, perf, "kabid")
    url = reverse("performance:rating_list") + "?bulan=2026-11"
    page = c.get(url).content.decode()
    assert "Staf Satu" in page and "Staf Dua" in page and "Kepala A" not in page
    assert "belum dinilai final untuk periode sebelumnya" in page  # October was never rated
    c.post(url, {"employee": perf.city.staff.pk, "hasil": "di_atas", "perilaku": "di_atas", "action": "draft"})
    ev = Evaluation.objects.get()
    assert ev.state == "draft" and ev.predikat == "sangat_baik"
    page = c.get(url).content.decode()
    assert "Sangat Baik" in page and "100%" in page
    c.post(url, {"employee": perf.city.staff.pk, "hasil": "di_atas", "perilaku": "sesuai", "action": "finalise"})
    ev.refresh_from_db()
    assert ev.state == "final" and ev.predikat == "baik" and ev.capaian_bp == 9000
    assert "90%" in c.get(url).content.decode()


def test_rating_list_refusal_is_a_message(client, perf, skps):
    c = login(client, perf, "staff")
    resp = c.post(reverse("performance:rating_list") + "?bulan=2026-11",
                  {"employee": perf.city.staff2.pk, "hasil": "sesuai", "perilaku": "sesuai"}, follow=True)  # fmt: skip
    assert "Hanya pejabat penilai" in resp.content.decode() and not Evaluation.objects.exists()


# ---- one evaluation ---------------------------------------------------------------------------------------------


@pytest.fixture
def final_ev(perf, skps):
    return ev_services.evaluation_rate(actor=perf.users["kabid"], employee_id=perf.city.staff.pk,
                                       month=dt.date(2026, 11, 1), hasil="di_bawah", perilaku="di_atas",
                                       finalise=True)  # fmt: skip


def test_evaluation_page_shows_the_kuadran_cell_and_the_appeal_link(client, perf, final_ev):
    page = login(client, perf, "staff").get(reverse("performance:evaluation_detail", args=[final_ev.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'class="here" aria-current="true">Butuh Perbaikan<' in html
    assert html.count('class="here"') == 1
    assert "70%" in html and "slip TPP" in html
    assert f"/kinerja/keberatan/ajukan/{final_ev.pk}/" in html


def test_the_penilai_sees_it_without_the_appeal_link(client, perf, final_ev):
    html = login(client, perf, "kabid").get(reverse("performance:evaluation_detail", args=[final_ev.pk])).content
    assert b"/kinerja/keberatan/ajukan/" not in html


@pytest.mark.parametrize("who", ["other", "staff2", "treasurer_a"])
def test_evaluation_page_outside_the_scope_is_404(client, perf, final_ev, who):
    assert login(client, perf, who).get(reverse("performance:evaluation_detail", args=[final_ev.pk])).status_code == 404


def test_evaluation_page_links_the_tpp_slip_with_its_kinerja_line(client, perf, final_ev):
    from tests.payroll.conftest import PayCity, monthly_inputs

    monthly_inputs()
    pc = PayCity(perf.city, perf.city.users["bpkad"], perf.city.users["treasurer_a"], None)
    run = pc.compute("tpp")
    slip = run.payslips.get(employee=perf.city.staff)
    html = login(client, perf, "inspector").get(reverse("performance:evaluation_detail", args=[final_ev.pk]))
    text = html.content.decode()
    assert reverse("payroll:payslip_detail", args=[slip.pk]) in text
    from pamong.core.formats import rupiah

    assert rupiah(slip.lines["tpp_kinerja"]) in text


# ---- year end ---------------------------------------------------------------------------------------------------


def year_url(perf):
    return reverse("performance:year_end", args=[perf.city.bidang_a.pk, 2026])


def test_year_end_page_for_the_decider_sets_rates_previews_and_finalises(client, perf, skps):
    head = login(client, perf, "head")
    head.post(year_url(perf), {"action": "organisasi", "organisasi": "baik", "basis": "SAKIP"})
    assert UnitYear.objects.get().organisasi == "baik"
    head.post(year_url(perf), {"action": "rate", "employee": perf.city.kabid.pk, "perilaku": "sesuai"})
    kabid = login(client, perf, "kabid")
    for emp in (perf.city.staff, perf.city.staff2):
        kabid.post(year_url(perf), {"action": "rate", "employee": emp.pk, "hasil": "sesuai", "perilaku": "sesuai"})
    assert Evaluation.objects.filter(kind="annual").count() == 3
    html = login(client, perf, "head").get(year_url(perf)).content.decode()
    assert "paling banyak 70%" in html and 'name="reason"' in html
    resp = client.post(year_url(perf), {"action": "finalise"}, follow=True)
    assert "tuliskan alasan" in resp.content.decode() and UnitYear.objects.get().finalised_at is None
    client.post(year_url(perf), {"action": "finalise", "reason": "Unit kecil"})
    assert UnitYear.objects.get().finalised_at is not None


def test_year_end_page_is_read_only_for_the_inspectorate(client, perf, skps):
    c = login(client, perf, "inspector")
    html = c.get(year_url(perf)).content.decode()
    assert "tanpa hak mengubah" in html and 'name="organisasi"' not in html
    c.post(year_url(perf), {"action": "organisasi", "organisasi": "baik", "basis": "x"})
    assert not UnitYear.objects.exists()


@pytest.mark.parametrize("who", ["staff", "other", "operator_a", "treasurer_a"])
def test_year_end_page_outside_is_404(client, perf, skps, who):
    assert login(client, perf, who).get(year_url(perf)).status_code == 404


def test_the_supervisor_finds_the_evidence_on_the_employee_page(client, perf, skps, media):
    ind = SkpIndicator.objects.get(result__skp=skps["staff"])
    real = work.realisation_set(actor=perf.users["staff"], indicator_id=ind.pk, month=OCT, value="2")
    f = work.evidence_add_file(actor=perf.users["staff"], realisation_id=real.pk, filename="sk.pdf", content=PDF)
    link = work.evidence_add_link(actor=perf.users["staff"], realisation_id=real.pk, url="https://contoh.go.id/x")
    c = login(client, perf, "kabid")
    html = c.get(reverse("performance:employee_performance", args=[perf.city.staff.pk]) + "?tahun=2026").content
    assert reverse("performance:evidence_download", args=[f.pk]).encode() in html
    assert b"https://contoh.go.id/x" in html
    assert c.get(reverse("performance:evidence_download", args=[link.pk])).status_code == 404  # no redirect


def test_the_rating_list_pages_its_staff_and_counts_overdue_over_all(perf, monkeypatch):
    """A head of a large office may rate thousands: the forms come a page at a time, the overdue count covers all."""
    import datetime as dt

    from django.test import Client
    from django.urls import reverse

    from pamong.performance import views_work

    perf.chain()
    monkeypatch.setattr(views_work, "STAFF_PER_PAGE", 1)
    c = Client()
    c.force_login(perf.users["kabid"])
    url = reverse("performance:rating_list") + "?bulan=2026-12"
    first = c.get(url).content.decode()
    second = c.get(url + "&page=2").content.decode()
    assert ("Staf Satu" in first) != ("Staf Satu" in second) and ("Staf Dua" in first) != ("Staf Dua" in second)
    assert "Halaman 1 dari 2" in first
    if dt.date.today() >= dt.date(2026, 12, 1):
        assert "2 pegawai belum dinilai final untuk periode sebelumnya" in first
