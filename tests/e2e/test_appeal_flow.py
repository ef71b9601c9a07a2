"""An appeal in a real browser: Staf Satu sees their final November evaluation and files an appeal; the atasan
pejabat penilai (Kepala A) opens it, asks for explanations and decides to change the rating with a reason; Staf
Satu then sees the new predikat. Screenshots at desktop and phone width under /tmp/shots/appeals/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.performance.conftest import perf  # noqa: F401 - the fixture

from .conftest import log_in

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/shots/appeals")


def remove_final_evaluations() -> None:
    """The flush after a transactional test deletes row by row on SQLite, and the triggers keeping final evaluations
    immutable refuse that: delete them with the triggers lifted, then restore the triggers."""
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cur:
        cur.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'performance_evaluation'"
        )
        triggers = cur.fetchall()
        for name, _sql in triggers:
            cur.execute(f'DROP TRIGGER "{name}"')
        cur.execute("DELETE FROM performance_appeal")
        cur.execute("DELETE FROM performance_awardproposal")
        cur.execute("DELETE FROM performance_evaluation")
        for _name, sql in triggers:
            cur.execute(sql)


@pytest.fixture
def appeal_city(transactional_db, perf) -> Iterator[Any]:  # noqa: F811
    from tests.performance.appeal_setup import final_periodic

    perf.chain()
    ev = final_periodic(perf)  # Staf Satu, November 2026: sesuai / sesuai → Baik, rated by Kabid A1
    yield ev
    remove_final_evaluations()


def shoot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        wide = page.evaluate(
            "w => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w)"
            ".map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 8)",
            width,
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width, wide)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_employee_appeals_atasan_changes_the_rating(page: Page, live_server, appeal_city):
    base = live_server.url

    log_in(page, base, "staff")
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Kinerja").click()
    page.get_by_role("link", name="Keberatan", exact=True).click()
    expect(page.locator("h1")).to_have_text("Keberatan penilaian kinerja")
    row = page.locator("#appealable tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("November 2026")
    expect(row).to_contain_text("Baik")
    shoot(page, "1-my-appeals")
    row.get_by_role("link", name="Ajukan keberatan").click()
    expect(page.locator("h1")).to_contain_text("Ajukan keberatan")
    expect(page.locator("#appeal-deadline")).to_contain_text("paling lambat")
    expect(page.locator(".predikat")).to_have_text("Baik")
    page.get_by_label("Alasan keberatan").fill("Seluruh target November tercapai lebih awal; buktinya terlampir.")
    shoot(page, "2-file")
    page.get_by_role("button", name="Ajukan keberatan").click()
    expect(page.locator(".messages")).to_contain_text("Keberatan Anda sudah diajukan.")
    expect(page.locator("#appeal-state")).to_have_text("Diajukan")

    log_in(page, base, "kepala")
    page.goto(f"{base}/kinerja/keberatan/")
    rows = page.locator("#appeals-to-decide tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Staf Satu")
    shoot(page, "3a-to-decide")
    rows.first.get_by_role("link", name="Staf Satu").click()
    expect(page.locator("#timeline")).to_contain_text("Seluruh target November tercapai")
    page.get_by_role("button", name="Minta penjelasan").click()
    expect(page.locator("#appeal-state")).to_have_text("Dalam pemeriksaan")
    expect(page.locator("#timeline")).to_contain_text("Atasan meminta penjelasan")
    page.get_by_label("Kabulkan — ubah penilaian").check()
    page.get_by_label("Hasil kerja baru").select_option("di_atas")
    page.get_by_label("Perilaku kerja baru").select_option("di_atas")
    page.get_by_label("Pertimbangan keputusan").fill("Bukti capaian diverifikasi; hasil kerja di atas ekspektasi.")
    shoot(page, "3-decide")
    page.get_by_role("button", name="Tetapkan keputusan").click()
    expect(page.locator(".messages")).to_contain_text("Keputusan atas keberatan sudah ditetapkan.")
    expect(page.locator("#appeal-state")).to_have_text("Dikabulkan — penilaian diubah")
    expect(page.get_by_role("button", name="Tetapkan keputusan")).to_have_count(0)  # final: no second decision

    log_in(page, base, "staff")
    page.goto(f"{base}/kinerja/keberatan/")
    mine = page.locator("#my-appeals tbody tr")
    expect(mine).to_contain_text("Sangat Baik")
    shoot(page, "4a-my-appeals-decided")
    mine.first.get_by_role("link").first.click()
    expect(page.locator("#predikat-now")).to_have_text("Sangat Baik")
    expect(page.locator("#decision")).to_contain_text("Bukti capaian diverifikasi")
    expect(page.get_by_role("button", name="Tarik keberatan")).to_have_count(0)
    shoot(page, "4-decided")
    appeal_city.refresh_from_db()
    assert appeal_city.correction.predikat == "sangat_baik"


@pytest.fixture
def follow_up_city(transactional_db, perf) -> Iterator[Any]:  # noqa: F811
    import datetime as dt

    from tests.performance.appeal_setup import final_periodic, finalise_year

    perf.chain()
    for month in (10, 11):  # Staf Dua: Butuh Perbaikan two months running
        final_periodic(perf, "staff2", month=dt.date(2026, month, 1), hasil="di_bawah", perilaku="sesuai")
    finalise_year(perf, {"staff": ("di_atas", "di_atas")})  # Staf Satu: Sangat Baik
    yield perf
    remove_final_evaluations()


def test_bkpsdm_proposes_awards_and_sees_poor_performance(page: Page, live_server, follow_up_city):
    from pamong.payroll.models import Award

    base = live_server.url
    log_in(page, base, "admin")
    page.goto(f"{base}/kinerja/keberatan/tindak-lanjut/?tahun=2026")
    expect(page.locator("#award-pending")).to_contain_text("Staf Satu")
    expect(page.locator("#poor-performance")).to_contain_text("Staf Dua")
    expect(page.locator("#poor-performance")).to_contain_text("Butuh Perbaikan")
    page.get_by_label("Dibayar bersama TPP bulan").fill("2027-01")
    page.get_by_label("Nomor keputusan").fill("800/12/BKPSDM/2026")
    page.get_by_label("Tanggal keputusan").fill("2026-12-20")
    page.get_by_role("button", name="Usulkan penghargaan").click()
    expect(page.locator(".messages")).to_contain_text("1 usulan penghargaan dibuat")
    expect(page.locator("#award-proposed")).to_contain_text("Menunggu persetujuan Kepala BPKAD")
    expect(page.locator("#award-proposed")).to_contain_text("Rp500.000")
    shoot(page, "5-follow-up")
    award = Award.objects.get()
    assert award.approved_by is None and award.amount == 500000
