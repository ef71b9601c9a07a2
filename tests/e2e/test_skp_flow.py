"""The SKP in a real browser: a staff member creates their 2026 SKP, adds a result supporting their Kepala Bidang's
result with an indicator and submits it; the Kepala Bidang finds it under "Perlu tindakan" and agrees; the staff
member sees it agreed. Screenshots of the pages at 1280 and 360 px (and the PDF as an image) go to
/tmp/shots/skpui/."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .conftest import log_in

pytestmark = pytest.mark.e2e

YEAR = 2026
SHOTS = Path("/tmp/shots/skpui")


@dataclass
class SkpCity:
    staff: Any
    kabid_skp: Any


@pytest.fixture
def skp_city(transactional_db) -> SkpCity:
    """Dinas Pendidikan: Kepala Dinas → Kepala Bidang → a staff member, each with a login; the head's and the kabid's
    2026 SKPs agreed (cascading) — committed so the live server sees them."""
    from pamong.accounts.models import Role
    from pamong.performance import skp as svc
    from tests import factories as f

    opd = f.unit("Dinas Pendidikan", code="SKP-A")
    bidang = f.unit("Bidang Pembinaan SD", parent=opd, kind="bidang", code="SKP-A1")
    head_pos = f.position(opd, "Kepala Dinas Pendidikan", kind="jpt", kelas=14, eselon="II.b")
    kabid_pos = f.position(bidang, "Kepala Bidang Pembinaan SD", kind="administrator", superior=head_pos, kelas=11,
                           eselon="III.b")  # fmt: skip
    staff_pos = f.position(bidang, "Pengelola Data Pendidikan", superior=kabid_pos, seats_abk=3)
    head = f.employee(head_pos, name="Hendra Wijaya", golongan="IV/c")
    kabid = f.employee(kabid_pos, name="Sri Rahayu", golongan="IV/a", gender="P")
    staff = f.employee(staff_pos, name="Rina Marlina", gender="P", golongan="III/a")
    admin = f.user("admin_skp", role=Role.ADMIN_BKPSDM)
    u_head = f.user("hendra", employee=head)
    u_kabid = f.user("sri", employee=kabid)
    f.user("rina", employee=staff)

    def agreed(user: Any, emp: Any, text: str, approver: Any, supports: Any = None, pk: str = "") -> Any:
        s = svc.skp_create(actor=user, employee_id=emp.pk, year=YEAR)
        r = svc.skp_result_add(actor=user, skp_id=s.pk, kind="utama", text=text, pk_reference=pk,
                               supports_id=supports.results.first().pk if supports else None)  # fmt: skip
        svc.skp_indicator_add(actor=user, result_id=r.pk, text="Capaian sasaran", aspect="kuantitas", target="95",
                              unit_label="%")  # fmt: skip
        svc.skp_submit(actor=user, skp_id=s.pk)
        return svc.skp_agree(actor=approver, skp_id=s.pk)

    u_head.refresh_from_db()
    u_kabid.refresh_from_db()
    head_skp = agreed(u_head, head, "Meningkatnya mutu pendidikan dasar", admin, pk="Angka partisipasi murni SD")
    kabid_skp = agreed(u_kabid, kabid, "Tersedianya data sekolah dasar yang mutakhir", u_head, supports=head_skp)
    return SkpCity(staff=staff, kabid_skp=kabid_skp)


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def pdf_png(page: Page, url: str, name: str) -> str:
    import pypdfium2 as pdfium

    resp = page.request.get(url)
    assert resp.ok and resp.body().startswith(b"%PDF")
    pdf = pdfium.PdfDocument(resp.body())
    SHOTS.mkdir(parents=True, exist_ok=True)
    pdf[0].render(scale=1.5).to_pil().save(SHOTS / f"{name}.png")
    return " ".join(pdf[0].get_textpage().get_text_range().split())


def test_staff_drafts_and_submits_kabid_agrees(page: Page, live_server, skp_city):
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})

    # the staff member: Kinerja → create the 2026 SKP
    log_in(page, base, "rina")
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Kinerja", exact=True).click()
    expect(page.locator("h1")).to_have_text("Kinerja saya")
    page.goto(f"{base}/kinerja/?tahun={YEAR}")
    page.get_by_role("button", name=f"Buat SKP tahun {YEAR}").click()
    expect(page.locator(".messages")).to_contain_text(f"SKP tahun {YEAR} dibuat sebagai draf.")
    expect(page.locator("#skp-state")).to_contain_text("Draf")
    expect(page.locator("#submit-problems")).to_contain_text("paling sedikit satu rencana hasil kerja utama")

    # a result supporting the kabid's result, then an indicator
    form = page.locator("#tambah-hasil form")
    form.get_by_label("Jenis").select_option("utama")
    form.get_by_label("Rencana hasil kerja").fill("Terkumpulnya data peserta didik SD setiap bulan")
    form.get_by_label("Hasil kerja atasan yang didukung").select_option(
        label="Tersedianya data sekolah dasar yang mutakhir"
    )
    form.get_by_role("button", name="Tambah hasil kerja").click()
    expect(page.locator(".messages")).to_contain_text("Hasil kerja ditambahkan.")
    expect(page.locator("#hasil-utama")).to_contain_text(
        "Mendukung: Tersedianya data sekolah dasar yang mutakhir — Sri Rahayu"
    )
    details = page.locator("#hasil-utama details.skp-inline-form").first
    details.locator("summary").click()
    details.get_by_label("Indikator").fill("Data peserta didik diperbarui")
    details.get_by_label("Aspek").select_option("waktu")
    details.get_by_label("Target").fill("12")
    details.get_by_label("Satuan").fill("bulan")
    details.get_by_role("button", name="Tambah indikator").click()
    expect(page.locator(".messages")).to_contain_text("Indikator ditambahkan.")
    expect(page.locator("#hasil-utama")).to_contain_text("12 bulan")
    expect(page.locator("#ajukan")).to_contain_text("siap diajukan")
    shoot(page, "skp-draft-1280")
    page.set_viewport_size({"width": 360, "height": 800})
    shoot(page, "skp-draft-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="Ajukan SKP").click()
    expect(page.locator(".messages")).to_contain_text("SKP diajukan kepada pejabat penilai.")
    expect(page.locator("#skp-state")).to_contain_text("Diajukan")
    skp_url = page.url

    # the kabid: "Perlu tindakan" → agree
    log_in(page, base, "sri")
    page.goto(f"{base}/kinerja/")
    todo = page.locator("#perlu-tindakan")
    expect(todo).to_contain_text("Rina Marlina")
    shoot(page, "home-kabid-1280")
    todo.get_by_role("link", name="Rina Marlina").click()
    expect(page.locator("h1")).to_contain_text("Rina Marlina")
    page.get_by_role("button", name="Setujui", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("SKP disetujui.")
    expect(page.locator("#skp-state")).to_contain_text("Disetujui")
    page.goto(f"{base}/kinerja/skp/{skp_city.kabid_skp.pk}/kaskade/")
    expect(page.locator(".cascade-tree").first).to_contain_text("Terkumpulnya data peserta didik SD")
    expect(page.locator(".cascade-tree").first).to_contain_text("Meningkatnya mutu pendidikan dasar")
    shoot(page, "cascade-kabid-1280")

    # the staff member sees it agreed
    log_in(page, base, "rina")
    page.goto(f"{base}/kinerja/?tahun={YEAR}")
    expect(page.locator("#skp-saya")).to_contain_text("Disetujui")
    shoot(page, "home-staff-1280")
    page.goto(skp_url)
    shoot(page, "skp-agreed-1280")
    text = pdf_png(page, skp_url + "pdf/", "skp-pdf")
    assert "Rina Marlina" in text and "Sri Rahayu" in text
    page.goto(skp_url + "kaskade/")
    shoot(page, "cascade-staff-1280")

    # phone width: nothing wider than the screen
    page.set_viewport_size({"width": 360, "height": 800})
    for url, name in ((f"{base}/kinerja/?tahun={YEAR}", "home-staff-360"), (skp_url, "skp-agreed-360"),
                      (skp_url + "kaskade/", "cascade-staff-360")):  # fmt: skip
        page.goto(url)
        shoot(page, name)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, name
    log_in(page, base, "sri")
    page.goto(f"{base}/kinerja/skp/{skp_city.kabid_skp.pk}/")
    shoot(page, "skp-kabid-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # admin BKPSDM: the list of SKPs with its filters and the unit copy form
    log_in(page, base, "admin_skp")
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{base}/kinerja/?tahun={YEAR}")
        expect(page.locator("#skp-list")).to_contain_text("Rina Marlina")
        shoot(page, f"home-admin-{width}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
