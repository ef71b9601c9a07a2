"""The demo city's payroll month: a treasurer login for every OPD, the month's performance and discipline inputs
(seeded), a few disciplinary sanctions, and gaji and TPP runs for the month computed, verified by each OPD's
treasurer and approved by the BPKAD head — all through the same services the web UI uses."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password

from pamong.accounts.models import Role, RoleGrant, User
from pamong.attendance.models import MonthRecap
from pamong.audit import services as audit
from pamong.demo.build import DEMO_PASSWORD, REASON  # noqa: E402  (one password for every demo login)
from pamong.org.models import Unit
from pamong.payroll.compute import work
from pamong.payroll.models import DisciplinarySanction, MonthlyInput, PayrollRun, RunKind
from pamong.payroll.services import PAID_STATUSES, opds_of, run_approve, run_compute, run_create, run_verify
from pamong.people.models import Employee

SOURCE = "demo: masukan bulanan sintetis (menunggu modul kinerja dan presensi)"
EVALUATED_SOURCE = "demo: rekap disiplin sintetis (capaian kinerja dari penilaian periodik yang final)"


@dataclass
class PayrollSeed:
    period: dt.date
    runs: list[PayrollRun]
    treasurers: int
    inputs: int


def _monthly_inputs(period: dt.date, rng: random.Random, source: str = SOURCE) -> int:
    ids = list(Employee.objects.filter(status__in=PAID_STATUSES[RunKind.TPP]).values_list("id", flat=True))
    rows = []
    for emp_id in ids:
        discipline: dict[str, int] = {}
        if rng.random() < 0.35:
            discipline["TL1"] = rng.randint(1, 4)
        if rng.random() < 0.12:
            discipline["TL2"] = rng.randint(1, 2)
        if rng.random() < 0.05:
            discipline["PSW1"] = 1
        if rng.random() < 0.03:
            discipline["TK"] = rng.randint(1, 2)
        capaian = rng.choice((10000, 10000, 10000, 9500, 9000, 10500, 8500, 11000))
        rows.append(MonthlyInput(employee_id=emp_id, period=period, capaian_bp=capaian, discipline=discipline,
                                 source=source))  # fmt: skip
    MonthlyInput.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _sanctions(period: dt.date, rng: random.Random) -> None:
    ids = list(
        Employee.objects.filter(status__in=PAID_STATUSES[RunKind.TPP]).order_by("id").values_list("id", flat=True)
    )
    tmt = (period.replace(day=1) - dt.timedelta(days=45)).replace(day=1)
    for i, emp_id in enumerate(rng.sample(ids, min(3, len(ids)))):
        s = DisciplinarySanction.objects.create(
            employee_id=emp_id,
            code="potong_tpp_25_6_bulan",
            tmt=tmt,
            sk_number=f"800/{101 + i}/BKPSDM-SWL/{tmt.year}",
            sk_date=tmt - dt.timedelta(days=7),
        )
        audit.record(actor=None, action="payroll.sanction.created", obj=s, reason=REASON,
                     changes={"code": [None, s.code]}, sk_number=s.sk_number)  # fmt: skip


def _treasurers(opd_ids: list[int]) -> dict[int, User]:
    """One treasurer per OPD of the run (bendahara.<kode>), keeping the existing bendahara.disdik."""
    password = make_password(DEMO_PASSWORD)
    existing = {g.unit_id: g.user for g in RoleGrant.objects.filter(role=Role.TREASURER).select_related("user")}
    out = {}
    for unit in Unit.objects.filter(id__in=opd_ids).order_by("code"):
        covered = next((u for uid, u in existing.items() if uid == unit.id), None)
        if covered is None:
            covered = User.objects.create(username=f"bendahara.{unit.code.lower()}"[:150], password=password,
                                          first_name=f"Bendahara gaji {unit.name}"[:150])  # fmt: skip
            grant = RoleGrant.objects.create(user=covered, role=Role.TREASURER, unit=unit)
            changes = {"user": [None, covered.pk], "role": [None, grant.role], "unit": [None, unit.id]}
            audit.record(actor=None, action="role_grant.created", obj=grant, reason=REASON, changes=changes)
        out[unit.id] = covered
    return out


def _approve(head: User, period: dt.date, kinds: tuple[Any, ...], treasurers: dict[int, User]) -> list[PayrollRun]:
    runs = []
    for kind in kinds:
        run = run_create(head, period=period, kind=kind, note="Proses demo")
        run = run_compute(head, run, enqueue=False)
        work(run.id, worker="demo")
        run.refresh_from_db()
        opd_ids = opds_of(run)
        treasurers |= _treasurers([i for i in opd_ids if i not in treasurers])
        units = {u.id: u for u in Unit.objects.filter(id__in=opd_ids)}
        for opd_id in opd_ids:
            run = run_verify(treasurers[opd_id], run, units[opd_id])
        run = run_approve(head, run, reason="Disetujui (demo)")
        runs.append(run)
    return runs


def seed_payroll(today: dt.date, *, seed: int = 1, evaluated: dt.date | None = None) -> PayrollSeed:
    """Inputs for the month of `today`, then gaji and TPP runs approved end to end. With `evaluated` (a month
    whose periodic evaluations are final: the demo's performance year), also that month's TPP run, its capaian
    taken from the evaluations and its discipline counts from the month's attendance recaps (demo/attendance.py), or
    from seeded monthly inputs when the month has no recaps."""
    rng = random.Random(seed)
    period = today.replace(day=1)
    head = User.objects.get(username="kepala.bpkad")
    treasurers: dict[int, User] = {}
    runs = []
    if evaluated is not None:
        if not MonthRecap.objects.filter(period=evaluated).exists():  # else discipline comes from attendance
            _monthly_inputs(evaluated, random.Random(seed + 1), source=EVALUATED_SOURCE)
        runs += _approve(head, evaluated, (RunKind.TPP,), treasurers)
    inputs = _monthly_inputs(period, rng)
    _sanctions(period, rng)
    kinds: tuple[Any, ...] = (RunKind.GAJI, RunKind.TPP)  # TextChoices members (Any: no django-stubs)
    runs += _approve(head, period, kinds, treasurers)
    return PayrollSeed(period, runs, len(treasurers), inputs)
