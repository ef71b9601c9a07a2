"""Builders for the machine import tests: a machine, attlog lines, a CSV, an XLSX, a locked TPP month."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from typing import Any

from pamong.attendance.models import Device, DeviceUser, Geofence
from pamong.org.models import Unit
from pamong.people.models import Employee

_seq = itertools.count(1)


def device(unit: Unit, code: str = "") -> Device:
    return Device.objects.create(code=code or f"MSN-{next(_seq):04d}", name="Mesin sidik jari", unit=unit)


def enrol(dev: Device, pin: str, employee: Employee) -> DeviceUser:
    return DeviceUser.objects.create(device=dev, machine_user_id=pin, employee=employee)


def attlog(*rows: tuple[str, str]) -> bytes:
    """("1", "2026-03-02 07:01:02") → a ZKTeco attlog line each."""
    return "".join(f"{pin:>9}\t{stamp}\t1\t0\t1\t0\r\n" for pin, stamp in rows).encode()


def xlsx(rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def lock_month(period: dt.date, actor: Any, state: str = "approved", kind: str = "tpp") -> None:
    """A TPP run of the month in `state` (created directly: the payroll services need a whole city's rules)."""
    from pamong.payroll.models import PayrollRun

    PayrollRun.objects.create(period=period.replace(day=1), kind=kind, state=state, region="sawahlunto",
                              created_by=actor)  # fmt: skip


def geofence(unit: Unit, lat: str, lon: str, radius_m: int) -> Geofence:
    return Geofence.objects.create(unit=unit, latitude=lat, longitude=lon, radius_m=radius_m)
