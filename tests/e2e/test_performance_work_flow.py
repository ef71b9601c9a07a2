"""The year's work in a real browser: an employee fills in November's realisation and uploads a PDF as evidence, the
supervisor writes feedback and rates the month (final), the employee opens the evaluation with its kuadran, and the
head of the Dinas opens Bidang A1's year-end. Each page at desktop and phone width (screenshots to $SHOTS_DIR if set).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .conftest import log_in

pytestmark = pytest.mark.e2e

WIDTHS = (1280, 360)


@pytest.fixture
def perf_city(transactional_db, city) -> Any:
    from tests import factories as f
    from tests.performance.conftest import PerfCity

    users = dict(city.users)
    users["head"] = f.user("kepala", employee=city.head)
    users["staff2"] = f.user("staff2", employee=city.staff2)
    users["other"] = f.user("other", employee=city.other)
    for u in users.values():
        u.refresh_from_db()
    pc = PerfCity(city, users)
    pc.chain()
    return pc


def shoot(page: Page, name: str) -> None:
    """The page at each width; no horizontal scroll of the whole page at phone width (wide tables scroll inside)."""
    folder = os.environ.get("SHOTS_DIR")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{name} scrolls sideways at {width} px"
        if folder:
            Path(folder).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{folder}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_the_years_work(page: Page, live_server, perf_city, tmp_path) -> None:
    base = live_server.url
    staff = perf_city.city.staff
    log_in(page, base, "staff")
    page.goto(f"{base}/kinerja/realisasi/?bulan=2026-11")
    expect(page.locator("h1")).to_have_text("Realisasi kinerja November 2026")
    card = page.locator("article.indicator-card").first
    card.get_by_label("Realisasi bulan ini (dokumen)").fill("4")
    card.get_by_label("Catatan (boleh kosong)").fill("Empat SK selesai diproses.")
    card.get_by_role("button", name="Simpan realisasi").click()
    expect(page.locator(".msg-success")).to_have_text("Realisasi disimpan.")
    pdf = tmp_path / "laporan-november.pdf"
    pdf.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.locator("article.indicator-card").first.get_by_label("Unggah bukti").set_input_files(str(pdf))
    page.locator("article.indicator-card").first.get_by_role("button", name="Unggah", exact=True).click()
    expect(page.locator(".msg-success")).to_have_text("Bukti diunggah.")
    expect(page.get_by_role("link", name="laporan-november.pdf")).to_be_visible()
    shoot(page, "realisasi")

    log_in(page, base, "kabid")
    page.goto(f"{base}/kinerja/pegawai/{staff.pk}/")
    page.get_by_role("textbox", name="Umpan balik").fill("Laporan rapi dan tepat waktu. Pertahankan.")
    page.get_by_role("button", name="Kirim umpan balik").click()
    expect(page.locator(".feedback-log")).to_contain_text("Pertahankan.")
    shoot(page, "pegawai")

    page.goto(f"{base}/kinerja/penilaian/?bulan=2026-11")
    row = page.locator(f"#e{staff.pk}")
    row.locator("fieldset", has_text="Hasil kerja").get_by_label("Di atas ekspektasi").check()
    row.locator("fieldset", has_text="Perilaku kerja").get_by_label("Sesuai ekspektasi").check()
    shoot(page, "penilaian")
    row.get_by_role("button", name="Simpan dan finalkan").click()
    expect(page.locator(".msg-success")).to_contain_text("Penilaian difinalkan: Baik, capaian kinerja 90%")

    log_in(page, base, "staff")
    from pamong.performance.models import Evaluation

    ev = Evaluation.objects.get(employee=staff)
    page.goto(f"{base}/kinerja/penilaian/{ev.pk}/")
    expect(page.locator("td.here")).to_have_text("Baik")
    expect(page.get_by_role("link", name="Ajukan keberatan")).to_be_visible()
    shoot(page, "penilaian-detail")

    log_in(page, base, "kepala")
    bidang = perf_city.city.bidang_a
    page.goto(f"{base}/kinerja/tahunan/{bidang.pk}/2026/")
    page.get_by_role("combobox", name="Capaian kinerja organisasi").select_option("baik")
    page.get_by_label("Dasar penetapan").fill("Evaluasi SAKIP 2026: Baik.")
    page.get_by_role("button", name="Simpan capaian organisasi").click()
    kabid_row = page.locator(f"#e{perf_city.city.kabid.pk}")
    kabid_row.get_by_label("Sesuai ekspektasi").check()
    kabid_row.get_by_role("button", name="Simpan draf").click()
    expect(page.locator(".msg-success")).to_contain_text("disimpan sebagai draf")
    from pamong.performance import evaluations

    for emp, hasil in ((staff, "di_atas"), (perf_city.city.staff2, "sesuai")):
        evaluations.annual_rate(actor=perf_city.users["kabid"], employee_id=emp.pk, year=2026, perilaku="sesuai",
                                hasil=hasil)  # fmt: skip
    page.reload()
    expect(page.locator(".rules .rule-bad")).to_have_count(2)  # all three Baik: above 70 % and nobody Butuh Perbaikan
    expect(page.get_by_label("Alasan memfinalkan meski tidak sesuai pola distribusi")).to_be_visible()
    shoot(page, "tahunan")
