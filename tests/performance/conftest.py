"""The shared `city` (tests/conftest.py) with logins for everyone in Bidang A1's chain, and helpers that build
agreed SKPs down the chain: Kepala A (head of Dinas A, rated by the Wali Kota — admin BKPSDM acts) → Kabid A1 →
Staf Satu and Staf Dua."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from pamong.accounts.models import User
from pamong.performance import skp as skp_services
from pamong.performance.models import Skp
from tests import factories as f

YEAR = 2026


@dataclass
class PerfCity:
    city: Any
    users: dict[str, User]

    def agreed_skp(self, employee_key: str, supports: Skp | None = None, year: int = YEAR) -> Skp:
        """An agreed SKP with one utama result (supporting the first result of `supports`, or naming a PK target)
        and one indicator, drafted by the employee's login and agreed by their penilai (admin for the head)."""
        emp = getattr(self.city, employee_key)
        owner = self.users[employee_key]
        s = skp_services.skp_create(actor=owner, employee_id=emp.pk, year=year)
        sup_id = supports.results.first().pk if supports is not None else None
        r = skp_services.skp_result_add(actor=owner, skp_id=s.pk, kind="utama", text=f"Hasil kerja {emp.name}",
                                        supports_id=sup_id,
                                        pk_reference="" if supports else "Sasaran PK: layanan prima")  # fmt: skip
        skp_services.skp_indicator_add(actor=owner, result_id=r.pk, text="Dokumen selesai", aspect="kuantitas",
                                       target="12", unit_label="dokumen")  # fmt: skip
        skp_services.skp_submit(actor=owner, skp_id=s.pk)
        s.refresh_from_db()
        penilai = self.user_of(s.penilai_id) if s.penilai_id else self.users["admin"]
        return skp_services.skp_agree(actor=penilai, skp_id=s.pk)

    def user_of(self, employee_id: int) -> User:
        for u in self.users.values():
            emp = getattr(u, "employee", None)
            if emp is not None and emp.pk == employee_id:
                return u
        raise KeyError(employee_id)

    def chain(self, year: int = YEAR) -> dict[str, Skp]:
        """Agreed SKPs for head → kabid → staff, staff2 (cascading)."""
        head = self.agreed_skp("head", year=year)
        kabid = self.agreed_skp("kabid", supports=head, year=year)
        return {
            "head": head,
            "kabid": kabid,
            "staff": self.agreed_skp("staff", supports=kabid, year=year),
            "staff2": self.agreed_skp("staff2", supports=kabid, year=year),
        }


@pytest.fixture
def perf(city) -> PerfCity:
    users = dict(city.users)
    users["head"] = f.user("kepala", employee=city.head)
    users["staff2"] = f.user("staff2", employee=city.staff2)
    users["other"] = f.user("other", employee=city.other)
    for u in users.values():
        u.refresh_from_db()
    return PerfCity(city, users)


@pytest.fixture
def nov() -> dt.date:
    return dt.date(2026, 11, 1)
