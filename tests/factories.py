"""Builders for test data. Each call makes fresh rows through the services (so audit and paths are real)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from pamong.accounts.models import AssessorAssignment, Role, RoleGrant, User
from pamong.core.identifiers import make_ni_pppk, make_nik, make_nip
from pamong.org import services as org
from pamong.org.models import Position, Unit
from pamong.people.models import Employee
from pamong.people.records import EmployeeRecord
from pamong.people.services import employee_create

_seq = itertools.count(1)
SYSTEM = None  # actor for setup rows


def unit(name: str = "", parent: Unit | None = None, kind: str = "opd", code: str = "") -> Unit:
    n = next(_seq)
    return org.unit_create(actor=SYSTEM, code=code or f"U{n:04d}", name=name or f"Unit {n}", kind=kind, parent=parent)


def position(
    unit: Unit, name: str = "", kind: str = "pelaksana", superior: Position | None = None, kelas: int = 6, **extra: Any
) -> Position:
    n = next(_seq)
    return org.position_create(
        actor=SYSTEM,
        code=f"J{n:05d}",
        name=name or f"Jabatan {n}",
        kind=kind,
        unit=unit,
        superior=superior,
        kelas_jabatan=kelas,
        **extra,
    )


def record(
    position: Position,
    *,
    name: str = "",
    gender: str = "L",
    birth: dt.date = dt.date(1986, 9, 26),
    employee_type: str = "PNS",
    golongan: str = "III/b",
    **extra: Any,
) -> EmployeeRecord:
    n = next(_seq)
    tmt = dt.date(2012, 3, 1)
    if employee_type == "PPPK":
        nip = make_ni_pppk(birth, 2022, 21, gender, n % 999 + 1)
        golongan = golongan if "/" not in golongan else "IX"
        tmt = dt.date(2022, 1, 1)
    else:
        nip = make_nip(birth, tmt, gender, n % 999 + 1)
    values: dict[str, Any] = dict(
        nip=nip,
        nik=make_nik("137201", birth, gender, n % 9999 + 1),  # four digits, however many tests ran before
        name=name or f"Pegawai {n}",
        birth_date=birth,
        gender=gender,
        employee_type=employee_type,
        tmt_cpns=tmt,
        golongan=golongan,
        mkg_years=8,
        mkg_months=0,
        mkg_set_on=dt.date(2024, 3, 1),
        position_id=position.pk,
        unit_id=position.unit_id,
        status="cpns" if employee_type == "CPNS" else "aktif",
        status_since=tmt,
        tmt_pns=None if employee_type != "PNS" else dt.date(2013, 3, 1),
        bank_name="Bank Nagari",
        bank_account_number=f"{1000000000 + n}",
        bank_account_name=name or f"Pegawai {n}",
        rank_sk_number=f"SK-PKT/{n}",
        rank_sk_date=dt.date(2024, 2, 1),
        rank_tmt=dt.date(2024, 3, 1),
        position_sk_number=f"SK-JAB/{n}",
        position_sk_date=dt.date(2024, 2, 1),
        position_tmt=dt.date(2024, 3, 1),
    )
    values.update(extra)
    return EmployeeRecord(**values)


def employee(position: Position, **kw: Any) -> Employee:
    return employee_create(actor=SYSTEM, record=record(position, **kw))


def user(
    username: str = "", *, role: str | None = None, unit: Unit | None = None, employee: Employee | None = None
) -> User:
    u = User.objects.create_user(username=username or f"user{next(_seq)}", password="rahasia-123")
    if role:
        RoleGrant.objects.create(user=u, role=role, unit=unit)
    if employee is not None:
        employee.user = u
        employee.save(update_fields=["user"])
    return u


def assign(assessor: User, employee: Employee) -> AssessorAssignment:
    return AssessorAssignment.objects.create(
        assessor=assessor, employee=employee, purpose="penilaian 360", valid_from=dt.date(2020, 1, 1)
    )


__all__ = ["Role", "unit", "position", "record", "employee", "user", "assign"]
