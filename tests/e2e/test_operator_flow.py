"""An OPD operator in a real browser: log in, find an employee by NIP with the live search, open the record, and
get the 404 page for an employee of another OPD."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import PASSWORD

pytestmark = pytest.mark.e2e


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/masuk/")
    page.get_by_label("Nama pengguna", exact=True).fill(username)
    page.get_by_label("Sandi", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page).to_have_url(f"{base}/")


def test_operator_searches_by_nip_opens_record_and_is_refused_another_opd(page: Page, live_server, e2e_city):
    base = live_server.url
    staff, other = e2e_city.staff, e2e_city.other
    log_in(page, base, "operator_e2e")
    expect(page.locator(".who")).to_contain_text("Operator OPD")

    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Pegawai", exact=True).click()
    expect(page.locator("h1")).to_have_text("Pegawai")
    rows = page.locator("#employee-rows tr")
    expect(rows).to_have_count(2)  # only Dinas Pendidikan
    assert page.evaluate("typeof htmx") == "object"  # the vendored htmx is served and loaded

    page.evaluate("window.__samePage = true")  # survives only if the search swaps the table without a reload
    page.get_by_label("Nama atau NIP").fill(staff.nip)
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(staff.nip)
    expect(rows.first).to_contain_text("Rina Marlina")
    expect(page.locator("#employee-pager")).to_contain_text("dari 1")  # the pager was swapped out of band
    expect(page).to_have_url(re.compile(rf"q={staff.nip}"))  # hx-push-url keeps the search in the address
    assert page.evaluate("window.__samePage") is True

    page.get_by_role("link", name="Rina Marlina").click()
    expect(page.locator("h1")).to_contain_text("Rina Marlina")
    expect(page.locator("#nip")).to_have_text(staff.nip)
    expect(page.get_by_role("heading", name="Data pribadi")).to_be_visible()  # own OPD: the full record

    response = page.goto(f"{base}/pegawai/{other.pk}/")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("Halaman atau data tidak ditemukan")
    expect(page.locator("body")).not_to_contain_text(other.nip)
    expect(page.locator("body")).not_to_contain_text("Andi Saputra")


def test_admin_dashboard_draws_charts_and_switches_to_english(page: Page, live_server, e2e_city):
    base = live_server.url
    log_in(page, base, "admin_e2e")
    canvas = page.locator('canvas[data-chart="chart-opd"]')
    expect(canvas).to_be_visible()
    page.wait_for_function("() => typeof Chart !== 'undefined' && !!Chart.getChart(document.querySelector('canvas'))")
    assert page.evaluate("Chart.version") == "4.6.1"

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Home")
    expect(page.get_by_role("navigation", name="Main menu")).to_contain_text("Employees")
