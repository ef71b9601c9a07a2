"""An employee's "Slip saya" on a phone (390 px): the links to each payslip and its PDF are on screen, not scrolled
off to the right of a wide table."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .test_payroll_flow import log_in, payroll_city  # noqa: F401 - the fixture

pytestmark = pytest.mark.e2e


def test_payslip_links_are_on_screen_at_phone_width(page: Page, live_server, payroll_city):  # noqa: F811
    from pamong.accounts.models import User
    from pamong.org.models import Unit
    from pamong.payroll.services import opds_of, run_approve, run_verify

    run = payroll_city.run
    for opd_id in opds_of(run):
        code = Unit.objects.get(id=opd_id).code
        treasurer = User.objects.get(username="bendahara_a" if code == "PAY-A" else "bendahara_b")
        run = run_verify(treasurer, run, Unit.objects.get(id=opd_id))
    run_approve(User.objects.get(username="kepala_bpkad"), run)

    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server.url, "rina")
    page.goto(f"{live_server.url}/penggajian/slip-saya/")
    row = page.locator("#my-slips tbody tr").first
    for name in ("Lihat slip", "PDF"):
        box = row.get_by_role("link", name=name, exact=True).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, (name, box)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(row).to_contain_text("Disetujui")
    page.screenshot(path="/tmp/payroll-myslips-e2e-390.png", full_page=True)
