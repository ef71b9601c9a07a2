"""A payroll month in a real browser: each OPD's treasurer verifies their part of the computed gaji run, the BPKAD
head approves it, a treasurer downloads their OPD's register and bank file, and an employee opens "Slip saya" and
downloads their payslip as a PDF."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .conftest import log_in

pytestmark = pytest.mark.e2e

PERIOD = dt.date(2026, 11, 1)


@dataclass
class PayrollCity:
    run: Any
    opd_a: Any
    opd_b: Any
    employee: Any


@pytest.fixture
def payroll_city(transactional_db) -> Iterator[PayrollCity]:
    """Two OPDs, a few employees, a treasurer per OPD, the BPKAD head, an employee login, the month's inputs and a
    computed gaji run (computed in-process, as the worker would) — committed so the live server sees it."""
    from pamong.accounts.models import Role
    from pamong.payroll.compute import work
    from pamong.payroll.models import MonthlyInput
    from pamong.payroll.services import run_compute, run_create
    from pamong.people.models import Employee
    from tests import factories as f

    opd_a = f.unit("Dinas Pendidikan", code="PAY-A")
    opd_b = f.unit("Dinas Kesehatan", code="PAY-B")
    pos_a = f.position(opd_a, "Pengelola Keuangan", seats_abk=3)
    pos_b = f.position(opd_b, "Pengadministrasi Umum")
    rina = f.employee(pos_a, name="Rina Marlina", gender="P", golongan="III/a")
    f.employee(pos_a, name="Budi Santoso", golongan="II/d")
    f.employee(pos_b, name="Andi Saputra", golongan="III/b")
    f.user("bendahara_a", role=Role.TREASURER, unit=opd_a)
    f.user("bendahara_b", role=Role.TREASURER, unit=opd_b)
    head = f.user("kepala_bpkad", role=Role.BPKAD_HEAD)
    f.user("rina", employee=rina)
    MonthlyInput.objects.bulk_create(
        MonthlyInput(employee=e, period=PERIOD, capaian_bp=10000, discipline={}, source="uji e2e")
        for e in Employee.objects.all()
    )
    run = run_compute(head, run_create(head, period=PERIOD, kind="gaji"), enqueue=False)
    work(run.id)
    run.refresh_from_db()
    yield PayrollCity(run=run, opd_a=opd_a, opd_b=opd_b, employee=rina)
    remove_frozen_payslips()


def remove_frozen_payslips() -> None:
    """The database flush after a transactional test deletes row by row on SQLite, and the triggers keeping approved
    payslips frozen (and runs from going back) refuse that: remove the payslips with the payroll triggers lifted,
    then restore them (PostgreSQL truncates, which fires no row trigger)."""
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cur:
        cur.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name LIKE 'payroll_%'")
        triggers = cur.fetchall()
        for name, _sql in triggers:
            cur.execute(f'DROP TRIGGER "{name}"')
        cur.execute("DELETE FROM payroll_payslip")
        for _name, sql in triggers:
            cur.execute(sql)


def open_run(page: Page) -> None:
    page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Penggajian", exact=True).click()
    expect(page.locator("h1")).to_have_text("Penggajian")
    page.locator("#run-rows a").first.click()
    expect(page.locator("h1")).to_contain_text("Gaji induk November 2026")


def verify_own_opd(page: Page, base: str, username: str, opd_name: str) -> None:
    log_in(page, base, username)
    open_run(page)
    rows = page.locator("#opd-table tbody tr")
    expect(rows).to_have_count(1)  # a treasurer sees only their OPD's part
    expect(rows.first).to_contain_text(opd_name)
    page.get_by_role("button", name=f"Verifikasi {opd_name}").click()
    expect(page.locator(".messages")).to_contain_text("OPD diverifikasi.")
    expect(rows.first).to_contain_text("✓")


def test_treasurers_verify_head_approves_employee_downloads_payslip(page: Page, live_server, payroll_city, tmp_path):
    base = live_server.url
    run = payroll_city.run

    verify_own_opd(page, base, "bendahara_a", "Dinas Pendidikan")
    expect(page.locator("#run-state")).to_have_text("Dihitung")  # Dinas Kesehatan has not verified yet
    verify_own_opd(page, base, "bendahara_b", "Dinas Kesehatan")
    expect(page.locator("#run-state")).to_have_text("Diverifikasi")

    log_in(page, base, "kepala_bpkad")
    open_run(page)
    expect(page.locator("#opd-table tbody tr")).to_have_count(2)
    page.get_by_role("button", name="Setujui", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Proses penggajian disetujui.")
    expect(page.locator("#run-state")).to_have_text("Disetujui")
    expect(page.locator("#history")).to_contain_text("disetujui")
    run.refresh_from_db()
    assert run.state == "approved"

    # the treasurer of Dinas Pendidikan: the OPD's register and its bank transfer file
    log_in(page, base, "bendahara_a")
    open_run(page)
    with page.expect_download() as info:
        page.locator("#opd-table tbody tr").first.get_by_role("link", name="XLSX", exact=True).click()
    register = Path(tmp_path) / info.value.suggested_filename
    info.value.save_as(register)
    assert register.suffix == ".xlsx" and register.read_bytes().startswith(b"PK")  # a zip container
    page.get_by_role("link", name="Berkas transfer bank").click()
    expect(page.locator("h1")).to_contain_text("Berkas transfer bank")
    with page.expect_download() as info:
        page.get_by_role("link", name="Unduh GAJI_2026-11").first.click()
    bank_file = Path(tmp_path) / info.value.suggested_filename
    info.value.save_as(bank_file)
    lines = bank_file.read_text(encoding="utf-8").splitlines()
    paid = run.payslips.filter(opd=payroll_city.opd_a)
    assert lines[-1].split(",")[:4] == ["TOTAL", str(paid.count()), "", str(sum(p.bersih for p in paid))]

    log_in(page, base, "rina")
    nav = page.get_by_role("navigation", name="Menu utama")
    expect(nav.get_by_role("link", name="Penggajian", exact=True)).to_have_count(0)
    nav.get_by_role("link", name="Slip saya", exact=True).click()
    expect(page.locator("h1")).to_have_text("Slip saya")
    rows = page.locator("#my-slips tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Gaji induk")
    expect(rows.first).to_contain_text("Disetujui")

    rows.first.get_by_role("link", name="Lihat slip").click()
    expect(page.locator("#slip-nip")).to_have_text(payroll_city.employee.nip)
    expect(page.locator("#explain-summary")).to_contain_text("Dasar hukum")  # the plain summary comes first
    expect(page.locator("#explanation")).to_be_hidden()  # the technical trace is behind a toggle
    page.locator("details.explain-trace > summary").click()
    expect(page.locator("#explanation")).to_contain_text("Berlaku sejak")

    with page.expect_download() as info:
        page.get_by_role("link", name="Unduh PDF").click()
    download = info.value
    target = Path(tmp_path) / download.suggested_filename
    download.save_as(target)
    assert download.suggested_filename.endswith(".pdf") and payroll_city.employee.nip in download.suggested_filename
    assert target.read_bytes().startswith(b"%PDF")
