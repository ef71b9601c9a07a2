"""A small city with a payroll month: the shared `city` (two OPDs) plus a treasurer for Dinas B and the month's
performance/discipline inputs, and helpers to compute a run in-process (the chunks the worker would take)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from pamong.accounts.models import Role, User
from pamong.payroll.compute import work
from pamong.payroll.models import MonthlyInput, PayrollRun
from pamong.payroll.services import opds_of, run_approve, run_compute, run_create, run_verify
from pamong.people.models import Employee
from tests import factories as f

PERIOD = dt.date(2026, 11, 1)


@dataclass
class PayCity:
    city: object
    bpkad: User
    treasurer_a: User
    treasurer_b: User

    def compute(self, kind: str = "gaji", scope=None, period: dt.date = PERIOD) -> PayrollRun:
        run = run_create(self.bpkad, period=period, kind=kind, scope=scope)
        run = run_compute(self.bpkad, run, enqueue=False)
        work(run.id)
        run.refresh_from_db()
        return run

    def approve(self, run: PayrollRun) -> PayrollRun:
        treasurers = {self.city.opd_a.id: self.treasurer_a, self.city.opd_b.id: self.treasurer_b}
        from pamong.org.models import Unit

        for opd_id in opds_of(run):
            run = run_verify(treasurers[opd_id], run, Unit.objects.get(id=opd_id))
        return run_approve(self.bpkad, run)


def monthly_inputs(period: dt.date = PERIOD) -> None:
    """Every employee scores 100 % with two TL1 in the month (once per month: a second call changes nothing)."""
    if MonthlyInput.objects.filter(period=period).exists():
        return
    MonthlyInput.objects.bulk_create(
        MonthlyInput(employee=e, period=period, capaian_bp=10000, discipline={"TL1": 2}, source="uji")
        for e in Employee.objects.all()
    )


@pytest.fixture
def pay(city) -> PayCity:
    monthly_inputs()
    treasurer_b = f.user("treasurer_b", role=Role.TREASURER, unit=city.opd_b)
    return PayCity(city, city.users["bpkad"], city.users["treasurer_a"], treasurer_b)
