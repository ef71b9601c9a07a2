"""HR in a real browser: an OPD operator corrects a bank account (refused first, beside the field, then saved);
the dashboard's long OPD and status names fit their chart axes (wrapped or shortened, full name in the data)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .test_operator_flow import log_in

pytestmark = pytest.mark.e2e


def test_operator_corrects_a_bank_account(page: Page, live_server, e2e_city):
    base = live_server.url
    staff = e2e_city.staff
    log_in(page, base, "operator_e2e")
    page.goto(f"{base}/pegawai/{staff.pk}/")
    page.get_by_role("link", name="Ubah rekening bank").click()
    expect(page.locator("h1")).to_have_text("Ubah rekening bank")

    page.get_by_label("Nomor rekening").fill("1234-5678")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("#form-errors")).to_contain_text("Data belum disimpan")
    expect(page.locator("#id_bank_account_number_error")).to_have_text("Nomor rekening hanya boleh berisi angka.")
    staff.refresh_from_db()
    assert staff.bank_account_number != "1234-5678"

    page.get_by_label("Nomor rekening").fill("7701234567")
    page.get_by_label("Alasan / dasar perubahan").fill("surat permohonan pegawai")
    page.get_by_role("button", name="Simpan").click()
    expect(page).to_have_url(f"{base}/pegawai/{staff.pk}/")
    expect(page.locator(".messages")).to_contain_text("Rekening bank disimpan.")
    expect(page.locator("#pay-title ~ dl")).to_contain_text("7701234567")
    staff.refresh_from_db()
    assert staff.bank_account_number == "7701234567"


LONG_OPD = "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah"

FITS = """(id) => {
  const c = Chart.getChart(document.querySelector(`canvas[data-chart="${id}"]`));
  const scale = c.options.indexAxis === "y" ? c.scales.y : c.scales.x;
  const ctx = c.ctx;
  ctx.save();
  ctx.font = Chart.helpers.toFont(scale.options.ticks.font).string;
  const lines = scale.ticks.flatMap((t) => [].concat(t.label));
  const widest = Math.max(...lines.map((l) => ctx.measureText(l).width));
  ctx.restore();
  return {labels: c.data.labels, lines, widest, left: scale.left, room: scale.width, rotation: scale.labelRotation};
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_long_chart_labels_fit_their_axis(page: Page, live_server, e2e_city, width):
    from tests import factories as f

    long_opd = f.unit(LONG_OPD, code="E2E-LONG")
    f.employee(f.position(long_opd, "Perencana Ahli Muda", kind="fungsional"), name="Rudi Hartono")
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server.url, "admin_e2e")
    page.wait_for_function("() => typeof Chart !== 'undefined' && !!Chart.getChart(document.querySelector('canvas'))")
    opd = page.evaluate(FITS, "chart-opd")
    assert LONG_OPD in opd["labels"]  # the tooltip shows the full name
    assert LONG_OPD not in opd["lines"]  # the tick is wrapped or shortened
    assert opd["widest"] <= opd["room"] + 1 and opd["left"] >= 0  # nothing drawn outside the canvas
    status = page.evaluate(FITS, "chart-status")
    assert all(len(line) <= 40 for line in status["lines"])
