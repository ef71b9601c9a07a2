"""The issue's flow in one real browser session: the machine's month is imported and computed → the employee asks
for two days of cuti tahunan on days with no punches → the atasan approves → the employee's month shows the days as
leave instead of TK → November's TPP takes its discipline counts from the month, and the employee's slip says so."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .conftest import log_in

pytestmark = pytest.mark.e2e

NOV = dt.date(2026, 11, 1)
LEAVE = (dt.date(2026, 11, 24), dt.date(2026, 11, 25))
LATE = (dt.date(2026, 11, 3), dt.date(2026, 11, 12))  # 15 and 9 minutes late: TL1 twice


@pytest.fixture
def att_city(transactional_db, city) -> Any:
    """Staf Satu's November on Dinas A's machine: every working day punched but the two days of the leave to come."""
    from pamong.attendance.calendar import standard_working_dates
    from pamong.attendance.devices import device_create, device_user_map
    from pamong.attendance.leave import leave_year_open
    from pamong.attendance.month import month_recompute
    from pamong.attendance.punch_import import punch_file_import
    from pamong.demo.attendance_files import attlog

    admin = city.users["admin"]
    leave_year_open(year=2026, actor=admin)
    device = device_create(actor=admin, code="MSN-A", name="Mesin Dinas A", unit_id=city.opd_a.id)
    device_user_map(device_id=device.pk, machine_user_id="7", employee_id=city.staff.id, actor=admin)
    rows = []
    for day in standard_working_dates(NOV, dt.date(2026, 11, 30)):
        if day in LEAVE:
            continue
        arrive = 7 * 3600 + (45 * 60 if day == LATE[0] else 39 * 60 if day == LATE[1] else 20 * 60)
        rows += [("7", day, arrive), ("7", day, 16 * 3600 + 35 * 60)]
    punch_file_import(device_id=device.pk, filename="attlog.dat", data=attlog(rows), actor=admin)
    month_recompute(period=NOV, actor=admin)
    return city


def test_leave_to_the_month_to_the_tpp_slip(page: Page, live_server, att_city) -> None:
    from pamong.accounts.models import Role
    from pamong.attendance.models import MonthRecap
    from pamong.core.formats import rupiah
    from pamong.payroll.models import Payslip
    from tests import factories as f
    from tests.payroll.conftest import PayCity, monthly_inputs

    base, city = live_server.url, att_city
    page.set_viewport_size({"width": 1280, "height": 900})
    before = MonthRecap.objects.get(employee=city.staff, period=NOV)
    assert before.tk == 2 and before.bands == {"TL1": 2}

    # 1. the employee asks for cuti tahunan on the two days the machine has nothing
    log_in(page, base, "staff")
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Presensi dan cuti").click()
    page.get_by_role("link", name="Cuti saya").click()
    page.get_by_label("Jenis cuti").select_option("tahunan")
    page.get_by_label("Dari tanggal").fill("2026-11-24")
    page.get_by_label("Sampai tanggal").fill("2026-11-25")
    page.get_by_label("Alasan", exact=True).fill("Mengantar orang tua berobat ke Padang")
    page.get_by_role("button", name="Ajukan").click()
    expect(page.locator("body")).to_contain_text("Diajukan")

    # 2. the atasan (Kabid A1) approves it
    log_in(page, base, "kabid")
    page.goto(f"{base}/presensi/cuti/persetujuan/")
    expect(page.locator("body")).to_contain_text("Staf Satu")
    page.get_by_role("button", name="Setujui").click()
    expect(page.locator("body")).not_to_contain_text("Mengantar orang tua berobat")

    # 3. the employee's November shows the two days as leave, no longer TK
    log_in(page, base, "staff")
    page.goto(f"{base}/presensi/saya/?bulan=2026-11")
    for day in LEAVE:
        expect(page.locator(f'[data-date="{day:%Y-%m-%d}"]')).to_contain_text("Cuti")
    expect(page.locator(f'[data-date="{LATE[0]:%Y-%m-%d}"]')).to_contain_text("07:45")
    after = MonthRecap.objects.get(employee=city.staff, period=NOV)
    assert after.tk == 0 and after.tidak_hadir_sah == 2

    # 4. November's TPP: the capaian from the import, the discipline counts from the month (TL1 twice, no TK)
    monthly_inputs()  # also imports {"TL1": 2} for everyone: the recap must win for Staf Satu
    pc = PayCity(city, city.users["bpkad"], city.users["treasurer_a"],
                 f.user("bendahara_b", role=Role.TREASURER, unit=city.opd_b))  # fmt: skip
    run = pc.approve(pc.compute("tpp"))
    slip = Payslip.objects.get(run=run, employee=city.staff)
    assert slip.facts["disiplin_sumber"] == {"jenis": "presensi", "rekap": after.pk}
    assert slip.facts["discipline"] == {"TL1": 2}

    # 5. the employee's TPP slip shows the discipline part and where its counts came from
    page.goto(f"{base}/penggajian/slip/{slip.pk}/")
    expect(page.locator("#explain-summary")).to_contain_text("rekap presensi bulanan Anda")
    expect(page.locator("body")).to_contain_text(rupiah(int(slip.lines["tpp_disiplin"])))

    # 6. the approved TPP locks the month: a correction for a November day is refused, and says why
    page.goto(f"{base}/presensi/koreksi/")
    page.get_by_label("Tanggal").fill("2026-11-26")
    page.get_by_label("Jam datang").fill("07:10")
    page.get_by_label("Alasan", exact=True).fill("Lupa presensi")
    page.get_by_role("button", name="Ajukan").click()
    expect(page.locator("body")).to_contain_text("sudah dikunci")
