"""The issue's whole flow in one real browser session: the employee drafts the SKP → the supervisor agrees → the
employee enters the month's realisation → the supervisor rates the month → the TPP is computed from that rating and
the employee sees the predikat and its rupiah on the TPP slip → the employee appeals → the atasan decides, and the
employee sees the corrected predikat."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .conftest import log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def year_city(transactional_db, city) -> Any:
    """Dinas A: Kepala A and Kabid A1 have agreed 2026 SKPs (cascading); Staf Satu has none yet."""
    from tests import factories as f
    from tests.performance.conftest import PerfCity

    users = dict(city.users)
    users["head"] = f.user("kepala", employee=city.head)
    users["staff2"] = f.user("staff2", employee=city.staff2)
    for u in users.values():
        u.refresh_from_db()
    pc = PerfCity(city, users)
    head = pc.agreed_skp("head")
    pc.agreed_skp("kabid", supports=head)
    return pc


def compute_tpp(city: Any) -> int:
    """November's TPP run, computed and approved as BPKAD and the treasurers would (the discipline counts come from
    the import; the capaian of Staf Satu from the rating)."""
    from pamong.accounts.models import Role
    from pamong.payroll.models import Payslip
    from tests import factories as f
    from tests.payroll.conftest import PayCity, monthly_inputs

    monthly_inputs()
    pc = PayCity(city, city.users["bpkad"], city.users["treasurer_a"], f.user("bendahara_b", role=Role.TREASURER,
                                                                                unit=city.opd_b))  # fmt: skip
    run = pc.approve(pc.compute("tpp"))
    slip = Payslip.objects.get(run=run, employee=city.staff)
    assert slip.facts["capaian_sumber"]["jenis"] == "evaluasi" and slip.facts["capaian_bp"] == 9000
    return int(slip.lines["tpp_kinerja"])


def test_the_performance_year_from_skp_to_appeal(page: Page, live_server, year_city) -> None:
    base = live_server.url
    city = year_city.city
    page.set_viewport_size({"width": 1280, "height": 900})

    # 1. the employee drafts the SKP, supporting the kabid's result, and submits it
    log_in(page, base, "staff")
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Kinerja", exact=True).click()
    page.goto(f"{base}/kinerja/?tahun=2026")
    page.get_by_role("button", name="Buat SKP tahun 2026").click()
    form = page.locator("#tambah-hasil form")
    form.get_by_label("Jenis").select_option("utama")
    form.get_by_label("Rencana hasil kerja").fill("Tertatanya arsip kepegawaian bidang")
    form.get_by_label("Hasil kerja atasan yang didukung").select_option(label="Hasil kerja Kabid A1")
    form.get_by_role("button", name="Tambah hasil kerja").click()
    details = page.locator("#hasil-utama details.skp-inline-form").first
    details.locator("summary").click()
    details.get_by_label("Indikator").fill("Berkas arsip tertata")
    details.get_by_label("Aspek").select_option("kuantitas")
    details.get_by_label("Target").fill("120")
    details.get_by_label("Satuan").fill("berkas")
    details.get_by_role("button", name="Tambah indikator").click()
    page.get_by_role("button", name="Ajukan SKP").click()
    expect(page.locator("#skp-state")).to_contain_text("Diajukan")

    # 2. the supervisor agrees
    log_in(page, base, "kabid")
    page.goto(f"{base}/kinerja/")
    page.locator("#perlu-tindakan").get_by_role("link", name="Staf Satu").click()
    page.get_by_role("button", name="Setujui", exact=True).click()
    expect(page.locator("#skp-state")).to_contain_text("Disetujui")

    # 3. the employee enters November's realisation
    log_in(page, base, "staff")
    page.goto(f"{base}/kinerja/realisasi/?bulan=2026-11")
    card = page.locator("article.indicator-card").first
    card.get_by_label("Realisasi bulan ini (berkas)").fill("11")
    card.get_by_role("button", name="Simpan realisasi").click()
    expect(page.locator(".msg-success")).to_have_text("Realisasi disimpan.")

    # 4. the supervisor rates November: Baik, 90 % capaian for the TPP
    log_in(page, base, "kabid")
    page.goto(f"{base}/kinerja/penilaian/?bulan=2026-11")
    row = page.locator(f"#e{city.staff.pk}")
    row.locator("fieldset", has_text="Hasil kerja").get_by_label("Sesuai ekspektasi").check()
    row.locator("fieldset", has_text="Perilaku kerja").get_by_label("Sesuai ekspektasi").check()
    row.get_by_role("button", name="Simpan dan finalkan").click()
    expect(page.locator(".msg-success")).to_contain_text("Penilaian difinalkan: Baik, capaian kinerja 90%")

    # 5. the TPP is computed from it; the employee sees the predikat and its rupiah
    amount = compute_tpp(city)
    from pamong.core.formats import rupiah
    from pamong.performance.models import Evaluation

    ev = Evaluation.objects.get(employee=city.staff, kind="periodic")
    log_in(page, base, "staff")
    page.goto(f"{base}/kinerja/penilaian/{ev.pk}/")
    expect(page.locator("td.here")).to_have_text("Baik")
    expect(page.locator("body")).to_contain_text(f"TPP kinerja Anda {rupiah(amount)}")

    # 6. the employee appeals
    page.get_by_role("link", name="Ajukan keberatan").click()
    page.get_by_label("Alasan keberatan").fill("Target arsip November terlampaui; berkas terlampir.")
    page.get_by_role("button", name="Ajukan keberatan").click()
    expect(page.locator("#appeal-state")).to_have_text("Diajukan")
    appeal_url = page.url

    # 7. the atasan pejabat penilai (Kepala A) hears both sides and changes the rating
    log_in(page, base, "kepala")
    page.goto(appeal_url)
    page.get_by_role("button", name="Minta penjelasan").click()
    expect(page.locator("#appeal-state")).to_have_text("Dalam pemeriksaan")
    page.get_by_label("Kabulkan — ubah penilaian").check()
    page.get_by_label("Hasil kerja baru").select_option("di_atas")
    page.get_by_label("Perilaku kerja baru").select_option("di_atas")
    page.get_by_label("Pertimbangan keputusan").fill("Capaian berkas diverifikasi: di atas ekspektasi.")
    page.get_by_role("button", name="Tetapkan keputusan").click()
    expect(page.locator("#appeal-state")).to_have_text("Dikabulkan — penilaian diubah")

    # 8. the employee sees the corrected predikat
    log_in(page, base, "staff")
    page.goto(appeal_url)
    expect(page.locator("#predikat-now")).to_have_text("Sangat Baik")
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width
