"""Attendance machines and their user ids: who may manage which machine, registering one, and mapping a machine's
user id (PIN) to the employee enrolled under it — which attaches the punches already stored under that id.

Who: BKPSDM every machine; an OPD operator the machines of the units they operate (subtrees). Nobody else manages
machines (403); a machine outside an operator's units does not exist for them (404)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from pamong.accounts.access import Access, access_for, path_q
from pamong.accounts.models import Role
from pamong.audit import services as audit
from pamong.core.errors import Conflict, Forbidden, ImportRejected, NotVisible, ValidationFailed
from pamong.org.models import Unit
from pamong.people.models import Employee

from . import punch_formats as pf
from .locks import locked_months
from .models import Device, DeviceUser, Punch, PunchFile
from .selectors import employees_in_scope


def manages_devices(a: Access) -> bool:
    return a.has(Role.ADMIN_BKPSDM) or bool(a.operator_paths)


def _require(user: Any) -> Access:
    a = access_for(user)
    if not manages_devices(a):
        raise Forbidden("Hanya BKPSDM dan operator OPD yang dapat mengelola mesin presensi.")
    return a


def devices_visible_to(user: Any) -> QuerySet[Device]:
    a = access_for(user)
    if a.has(Role.ADMIN_BKPSDM):
        return Device.objects.all()
    if a.operator_paths:
        return Device.objects.filter(path_q("unit__path", a.operator_paths))
    return Device.objects.none()


def units_for_devices(user: Any) -> QuerySet[Unit]:
    """The units a user may register a machine for."""
    a = access_for(user)
    if a.has(Role.ADMIN_BKPSDM):
        return Unit.objects.all()
    return Unit.objects.filter(path_q("path", a.operator_paths))


def device_get(user: Any, device_id: int) -> Device:
    """A machine the user manages: 403 for a user who manages none, 404 for one outside their units."""
    _require(user)
    device = devices_visible_to(user).select_related("unit").filter(pk=device_id).first()
    if device is None:
        raise NotVisible("Mesin presensi tidak ditemukan.")
    return device


def device_create(*, actor: Any, code: str, name: str, unit_id: int) -> Device:
    _require(actor)
    code, name = code.strip(), name.strip()
    unit = units_for_devices(actor).filter(pk=unit_id).first()
    if unit is None:
        raise NotVisible("Unit kerja tidak ditemukan.")
    if not code or not name:
        raise ValidationFailed("Kode dan nama mesin wajib diisi.")
    with transaction.atomic():
        if Device.objects.filter(code=code).exists():
            raise Conflict(f"Kode mesin {code} sudah terdaftar.")
        device = Device.objects.create(code=code, name=name, unit=unit)
        audit.record(actor=actor, action="attendance.device.created", obj=device,
                     changes={"code": code, "name": name, "unit": unit.pk})  # fmt: skip
    return device


# --- user ids → employees -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mapped:
    device_user: DeviceUser
    attached: int  # stored punches of the id now attached to the employee
    left_locked: int  # punches of the id in locked months, left unattached


def _map(*, actor: Any, device: Device, machine_user_id: str, employee: Employee) -> Mapped:
    """Inside a transaction: the mapping row, the punches attached, the files' unmatched lists updated."""
    Device.objects.select_for_update().filter(pk=device.pk).first()  # ordered against imports (punch_import)
    existing = DeviceUser.objects.select_for_update().filter(device=device, machine_user_id=machine_user_id).first()
    if existing is not None:
        if existing.employee_id != employee.pk:
            raise Conflict(
                f"ID {machine_user_id} di mesin ini sudah dipetakan ke pegawai lain.",
                details={"machine_user_id": machine_user_id, "employee_id": existing.employee_id},
            )
        return Mapped(existing, 0, 0)
    du = DeviceUser.objects.create(device=device, machine_user_id=machine_user_id, employee=employee)
    loose = Punch.objects.filter(device=device, machine_user_id=machine_user_id, employee__isnull=True)
    months = {d.replace(day=1) for d in loose.dates("date", "month")}
    locked = locked_months(months)
    open_ = loose
    left = 0
    for m in sorted(locked):  # a locked month's recap is final: its punches stay as they were
        in_month = loose.filter(date__year=m.year, date__month=m.month)
        left += in_month.count()
        open_ = open_.exclude(date__year=m.year, date__month=m.month)
    attached = open_.update(employee=employee)
    if attached:  # a month already computed counts the punches it now has
        from .month import recaps_refresh

        recaps_refresh(employee_ids=[employee.pk], periods=months - locked, actor=actor)
    for f in PunchFile.objects.select_for_update().filter(device=device, unmatched__has_key=machine_user_id):
        f.unmatched = {k: v for k, v in f.unmatched.items() if k != machine_user_id}
        f.save(update_fields=["unmatched"])
    audit.record(
        actor=actor,
        action="attendance.device_user.mapped",
        obj=du,
        changes={
            "device": device.pk,
            "machine_user_id": machine_user_id,
            "employee": employee.pk,
            "attached": attached,
            "left_locked": left,
        },  # fmt: skip
    )
    return Mapped(du, attached, left)


def device_user_map(*, device_id: int, machine_user_id: str, employee_id: int, actor: Any) -> Mapped:
    device = device_get(actor, device_id)
    try:
        machine_user_id = pf.parse_user_id(machine_user_id)
    except pf.ValueRefused as exc:
        raise ValidationFailed(str(exc)) from None
    employee = employees_in_scope(actor).filter(pk=employee_id).first()
    if employee is None:
        raise NotVisible("Pegawai tidak ditemukan.")
    with transaction.atomic():
        return _map(actor=actor, device=device, machine_user_id=machine_user_id, employee=employee)


_NIP_HEADERS = ("NIP", "NIP_PEGAWAI", "NIP/NI_PPPK", "NI_PPPK")


def device_users_import(*, device_id: int, data: bytes, actor: Any) -> list[Mapped]:
    """A list of (machine user id, NIP) from CSV or XLSX: all rows checked first; any bad row → ImportRejected
    (422) with every bad row, nothing written. Rows already mapped the same way are accepted and change nothing."""
    from pamong.people.io.table import FileUnreadable, normalise_header, open_table

    device = device_get(actor, device_id)
    try:
        table = open_table("map.xlsx" if data.startswith(pf.ZIP_MAGIC) else "map.csv", data)
    except FileUnreadable as exc:
        raise ImportRejected(exc.message) from None
    try:
        cols = [normalise_header(c) for c in table.columns]
        uc, nc = pf._find(cols, pf._USER_HEADERS), pf._find(cols, _NIP_HEADERS)
        if uc is None or nc is None:
            raise ImportRejected("Berkas pemetaan perlu kolom ID pengguna mesin (mis. 'PIN' atau 'No. ID') dan 'NIP'.")
        parsed: list[tuple[int, str, str]] = []
        bad: list[pf.BadRow] = []
        for n, row in table.rows:
            cells = list(row)
            if not any(c is not None and str(c).strip() for c in cells):
                continue
            nip = str(cells[nc]).strip() if nc < len(cells) and cells[nc] is not None else ""
            try:
                muid = pf.parse_user_id(cells[uc] if uc < len(cells) else None)
            except pf.ValueRefused as exc:
                bad.append(pf.BadRow(n, pf.delimiter_join(cells), str(exc)))
                continue
            if not nip:
                bad.append(pf.BadRow(n, pf.delimiter_join(cells), "NIP kosong"))
                continue
            parsed.append((n, muid, nip))
    except FileUnreadable as exc:
        raise ImportRejected(exc.message) from None
    finally:
        table.close()
    emps = {e.nip: e for e in employees_in_scope(actor).filter(nip__in=[p[2] for p in parsed])}
    current = dict(DeviceUser.objects.filter(device=device).values_list("machine_user_id", "employee_id"))
    seen: dict[str, int] = {}
    for n, muid, nip in parsed:
        emp = emps.get(nip)
        if emp is None:
            bad.append(pf.BadRow(n, nip, "NIP tidak ditemukan (atau di luar unit kerja Anda)"))
        elif muid in seen:
            bad.append(pf.BadRow(n, muid, f"ID pengguna mesin ganda dalam berkas (juga di baris {seen[muid]})"))
        elif current.get(muid, emp.pk) != emp.pk:
            bad.append(pf.BadRow(n, muid, "ID ini di mesin ini sudah dipetakan ke pegawai lain"))
        seen.setdefault(muid, n)
    if bad:
        raise rejected(bad)
    if not parsed:
        raise ImportRejected("Berkas pemetaan tidak berisi baris data.")
    with transaction.atomic():
        return [_map(actor=actor, device=device, machine_user_id=m, employee=emps[nip]) for _n, m, nip in parsed]


def rejected(bad: list[pf.BadRow]) -> ImportRejected:
    bad = sorted(bad, key=lambda b: b.line)
    return ImportRejected(
        f"Berkas ditolak: {len(bad)} baris salah; tidak ada data yang disimpan. "
        "Perbaiki semua baris lalu unggah ulang.",
        details={"rows": [{"line": b.line, "value": b.value, "message": b.message} for b in bad]},
    )
