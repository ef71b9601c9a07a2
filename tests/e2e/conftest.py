"""Browser tests: pytest-playwright driving Debian's chromium (never `playwright install`) against live_server.

Playwright's sync API runs an asyncio loop in the test thread, and Django refuses ORM calls from a thread with a
running loop unless DJANGO_ALLOW_ASYNC_UNSAFE is set; the ORM calls here (fixtures building data) are ordinary
synchronous code, so allowing them is safe.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PASSWORD = "rahasia-123"


def log_in(page: Any, base: str, username: str) -> None:
    """Sign in through the login form (cookies of an earlier user cleared first)."""
    from playwright.sync_api import expect

    page.context.clear_cookies()
    page.goto(f"{base}/masuk/")
    page.get_by_label("Nama pengguna", exact=True).fill(username)
    page.get_by_label("Sandi", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page).to_have_url(f"{base}/")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # An Indonesian browser: the UI's default language (LocaleMiddleware also honours Accept-Language).
    return {**browser_context_args, "locale": "id-ID", "timezone_id": "Asia/Jakarta"}


@dataclass
class E2ECity:
    operator: Any
    admin: Any
    staff: Any
    other: Any


@pytest.fixture
def e2e_city(transactional_db) -> E2ECity:
    """Two OPD with a few employees, an operator of the first and an admin; committed so the live server sees it."""
    from pamong.accounts.models import Role
    from tests import factories as f

    opd_a = f.unit("Dinas Pendidikan", code="E2E-A")
    opd_b = f.unit("Dinas Kesehatan", code="E2E-B")
    pos_a = f.position(opd_a, "Pengelola Data Kepegawaian", seats_abk=3)
    pos_b = f.position(opd_b, "Perawat Terampil", kind="fungsional")
    staff = f.employee(pos_a, name="Rina Marlina", gender="P", golongan="III/a")
    f.employee(pos_a, name="Budi Santoso", golongan="II/d")
    other = f.employee(pos_b, name="Andi Saputra", golongan="III/b")
    operator = f.user("operator_e2e", role=Role.OPERATOR_OPD, unit=opd_a)
    admin = f.user("admin_e2e", role=Role.ADMIN_BKPSDM)
    return E2ECity(operator=operator, admin=admin, staff=staff, other=other)
