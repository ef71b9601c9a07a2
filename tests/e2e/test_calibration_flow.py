"""The calibration panel in a browser: admin BKPSDM opens a pool from the list, sees the rater severity chart drawn,
the flagged rating and the rankings, changes one fair score with a reason; the page fits a phone (360 px). The
planner page too (when the planner engine is installed). Screenshots in /tmp/shots/calib/."""

from __future__ import annotations

import datetime as dt
import importlib.util
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .conftest import log_in

pytestmark = pytest.mark.e2e
SHOTS = Path("/tmp/shots/calib")
PERIOD = dt.date(2026, 1, 1)

# two teams (Kabid Pelayanan lenient, Kabid Umum severe), three assessors across both; Andi favours Rina
TABLE = {
    "kabid_pelayanan": {"Rina": 92, "Sari": 88, "Tono": 90, "Umar": 86},
    "kabid_umum": {"Wati": 66, "Yudi": 70, "Zaki": 62, "Budi": 68},
    "asesor_andi": {"Rina": 95, "Tono": 76, "Wati": 74, "Zaki": 70},
    "asesor_dewi": {"Sari": 77, "Umar": 74, "Yudi": 78, "Budi": 75},
    "asesor_eka": {"Rina": 80, "Sari": 76, "Wati": 75, "Yudi": 79, "Tono": 78, "Zaki": 71},
}


def shoot(page: Page, name: str) -> None:
    """The full page, and at phone width also in screen-high pieces (readable when looked at)."""
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    width = page.viewport_size["width"] if page.viewport_size else 1280
    if width <= 400:
        height = page.evaluate("document.documentElement.scrollHeight")
        for i, top in enumerate(range(0, height, 900)):
            clip = {"x": 0, "y": top, "width": width, "height": min(900, height - top)}
            page.screenshot(path=str(SHOTS / f"{name}-{i}.png"), full_page=True, clip=clip)


@pytest.fixture
def calib_city(transactional_db):
    from pamong.accounts.models import Role
    from pamong.performance.models import Rating
    from pamong.performance.ratings import pool_of
    from tests import factories as f

    opd = f.unit("Dinas Kesehatan", code="DKS")
    head = f.position(opd, "Kepala Dinas Kesehatan", kind="jpt", kelas=14, eselon="II.b")
    ratees = {}
    users = {"admin": f.user("admin_kal", role=Role.ADMIN_BKPSDM)}
    for team, names in (("kabid_pelayanan", "Rina Sari Tono Umar"), ("kabid_umum", "Wati Yudi Zaki Budi")):
        bidang = f.unit(team.replace("_", " ").title(), parent=opd, kind="bidang")
        pos = f.position(bidang, f"Kepala {bidang.name}", kind="administrator", superior=head, kelas=11,
                         eselon="III.b")  # fmt: skip
        boss = f.employee(pos, name=team.replace("_", " ").title().replace("Kabid", "Kabid"))
        users[team] = f.user(team, employee=boss)
        staff_pos = f.position(bidang, f"Pengadministrasi {bidang.name}", superior=pos, seats_abk=4)
        for n in names.split():
            ratees[n] = f.employee(staff_pos, name=f"{n} Lestari" if n in ("Rina", "Wati") else f"{n} Saputra")
    for name in ("asesor_andi", "asesor_dewi", "asesor_eka"):
        users[name] = f.user(name, role=Role.ASSESSOR)
        users[name].first_name = name.split("_")[1].title()
        users[name].last_name = "(Asesor)"
        users[name].save()
    pool = pool_of(next(iter(ratees.values())), PERIOD)
    for rater, row in TABLE.items():
        u = users[rater]
        for ratee, v in row.items():
            Rating.objects.create(period_start=PERIOD, pool=pool, ratee=ratees[ratee], rater=u, rater_key=f"u{u.pk}",
                                  rater_role="supervisor" if rater.startswith("kabid") else "assessor",
                                  scores={"hasil_kerja": v}, value=Decimal(v))  # fmt: skip
    return users, ratees


def test_panel_on_desktop_and_phone(page: Page, live_server, calib_city):
    users, ratees = calib_city
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server.url, "admin_kal")
    page.goto(f"{live_server.url}/kinerja/kalibrasi/")
    expect(page.locator("#calibration-pools")).to_contain_text("Dinas Kesehatan · Pelaksana")
    page.get_by_role("button", name="Buka dan hitung").click()
    expect(page.locator("h1")).to_contain_text("Sidang kalibrasi")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.querySelector('canvas[data-calib-chart]'))")
    expect(page.locator("#flagged")).to_contain_text("Rina Lestari")
    expect(page.locator("#rater-effects")).to_contain_text("Kabid Pelayanan")
    row = page.locator(f"#pegawai-{ratees['Umar'].pk}")
    row.get_by_text("Ubah", exact=True).click()
    row.get_by_label("Nilai baru (0–100)").fill("80")
    row.get_by_label("Alasan (wajib)").fill("Bukti capaian layanan triwulan IV")
    row.get_by_role("button", name="Simpan").click()
    expect(page.locator("#override-log")).to_contain_text("Bukti capaian layanan triwulan IV")
    shoot(page, "session-1280")
    page.set_viewport_size({"width": 360, "height": 800})
    page.reload()
    page.wait_for_function("() => window.Chart && Chart.getChart(document.querySelector('canvas[data-calib-chart]'))")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shoot(page, "session-360")


@pytest.mark.skipif(importlib.util.find_spec("pamong.performance.engine.planner") is None, reason="no planner yet")
def test_planner_on_desktop_and_phone(page: Page, live_server, calib_city):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server.url, "admin_kal")
    page.goto(f"{live_server.url}/kinerja/kalibrasi/rencana/?tahun=2026")
    expect(page.locator("#plan-pools")).to_contain_text("Dinas Kesehatan · Administrator")
    page.get_by_role("button", name="Buat usulan").click()
    expect(page.locator("#proposals")).to_be_visible()
    shoot(page, "planner-1280")
    page.set_viewport_size({"width": 360, "height": 800})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shoot(page, "planner-360")
    page.get_by_role("button", name="Tetapkan penugasan").click()
    expect(page.locator(".msg-success")).to_contain_text("penugasan penilai independen dibuat")
