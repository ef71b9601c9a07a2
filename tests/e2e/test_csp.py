"""The Content-Security-Policy in a real browser: the dashboard (Chart.js), the employee list (htmx search) and a
payroll run page work with no CSP violation and no script error in the console."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .conftest import log_in
from .test_payroll_flow import payroll_city  # noqa: F401  (fixture)

pytestmark = pytest.mark.e2e


def watch(page: Page) -> list[str]:
    """Console errors, uncaught exceptions and CSP violation events, as text."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error('CSP violation: ' + "
        "e.violatedDirective + ' ' + e.blockedURI + ' at ' + e.documentURI + ':' + e.lineNumber));"
    )
    return problems


def test_pages_work_under_the_csp(page: Page, live_server, payroll_city: Any):  # noqa: F811
    from pamong.accounts.models import Role
    from tests import factories as f

    f.user("admin_csp", role=Role.ADMIN_BKPSDM)
    base = live_server.url
    problems = watch(page)

    response = page.goto(f"{base}/masuk/")
    assert response is not None and "script-src 'self'" in response.headers["content-security-policy"]
    log_in(page, base, "admin_csp")

    # dashboard: Chart.js draws every chart from the json_script data
    canvases = page.locator("canvas[data-chart]")
    expect(canvases.first).to_be_visible()
    assert canvases.count() > 0
    page.wait_for_function(
        "[...document.querySelectorAll('canvas[data-chart]')].every(c => window.Chart && Chart.getChart(c))"
    )

    # employee list: the htmx live search swaps the rows
    page.goto(f"{base}/pegawai/")
    rows = page.locator("#employee-rows tr")
    expect(rows).to_have_count(3)
    page.get_by_label("Nama atau NIP").fill("Rina")
    expect(rows).to_have_count(1)

    # a payroll run page, as the BPKAD head
    log_in(page, base, "kepala_bpkad")
    page.goto(f"{base}/penggajian/{payroll_city.run.pk}/")
    expect(page.locator("h1")).to_contain_text("Gaji induk November 2026")
    expect(page.locator("#opd-table tbody tr")).to_have_count(2)
    page.wait_for_timeout(500)  # let htmx settle (any polling) before reading the console

    assert problems == [], "\n".join(problems)
