"""Writes to logins, roles and assessor assignments — who may see what is personnel data too, so it is audited."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from pamong.audit import services as audit
from pamong.core.errors import Conflict, ValidationFailed
from pamong.org.models import Unit
from pamong.people.models import Employee

from .models import SCOPED_ROLES, AssessorAssignment, Role, RoleGrant, User

# Letters, digits, ".", "_", "-"; starting with a letter or digit. Django's own validator would also allow "@", "+"
# and any Unicode letter, which lets look-alike names ("аdmin" with a Cyrillic a) in.
USERNAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
USERNAME_MIN, USERNAME_MAX = 2, 64


def username_check(username: str) -> str:
    """The username, stripped, or ValidationFailed with the rule in plain Indonesian."""
    username = username.strip()
    if not username:
        raise ValidationFailed(_("Nama pengguna wajib diisi."), details={"field": "username"})
    if not (USERNAME_MIN <= len(username) <= USERNAME_MAX and USERNAME_RE.fullmatch(username)):
        raise ValidationFailed(
            _(
                "Nama pengguna hanya boleh berisi huruf, angka, titik, garis bawah dan tanda hubung, diawali huruf "
                "atau angka, %(min)d sampai %(max)d karakter."
            )
            % {"min": USERNAME_MIN, "max": USERNAME_MAX},
            details={"field": "username"},
        )
    return username


def user_create(
    *, actor: Any, username: str, password: str, employee: Employee | None = None, reason: str = ""
) -> User:
    username = username_check(username)
    try:
        # with the would-be user, so the similarity validator compares the password with the username
        validate_password(password, user=User(username=username))
    except ValidationError as exc:
        raise ValidationFailed(" ".join(exc.messages), details={"field": "password"}) from None
    with transaction.atomic():
        if User.objects.filter(username=username).exists():
            raise Conflict(f"Nama pengguna {username} sudah dipakai.", details={"field": "username"})
        user = User.objects.create_user(username=username, password=password)
        audit.record(
            actor=actor, action="user.created", obj=user, reason=reason, changes={"username": [None, username]}
        )
        if employee is not None:
            employee_link_user(actor=actor, employee=employee, user=user, reason=reason)
    return user


def employee_link_user(*, actor: Any, employee: Employee, user: User, reason: str = "") -> Employee:
    with transaction.atomic():
        emp = Employee.objects.select_for_update().get(pk=employee.pk)
        if emp.user_id not in (None, user.pk):
            raise Conflict("Pegawai ini sudah terhubung dengan akun lain.", details={"field": "user"})
        if Employee.objects.filter(user=user).exclude(pk=emp.pk).exists():
            raise Conflict("Akun ini sudah terhubung dengan pegawai lain.", details={"field": "user"})
        if emp.user_id != user.pk:
            emp.user = user
            emp.save(update_fields=["user"])
            audit.record(
                actor=actor, action="employee.user_linked", obj=emp, reason=reason, changes={"user": [None, user.pk]}
            )
    return emp


def role_grant(*, actor: Any, user: User, role: str, unit: Unit | None = None, reason: str = "") -> RoleGrant:
    if role not in Role.values:
        raise ValidationFailed(f"Peran tidak dikenal: {role}.", details={"field": "role"})
    scoped = role in [str(r) for r in SCOPED_ROLES]
    if scoped and unit is None:
        raise ValidationFailed("Peran ini harus dibatasi pada satu unit kerja.", details={"field": "unit"})
    if not scoped and unit is not None:
        raise ValidationFailed(
            "Peran ini berlaku untuk seluruh pemerintah daerah; jangan isi unit.", details={"field": "unit"}
        )
    try:
        with transaction.atomic():
            grant = RoleGrant.objects.create(user=user, role=role, unit=unit)
            audit.record(
                actor=actor,
                action="role_grant.created",
                obj=grant,
                reason=reason,
                changes={"user": [None, user.pk], "role": [None, role], "unit": [None, getattr(unit, "pk", None)]},
            )
    except IntegrityError:
        raise Conflict("Peran ini sudah diberikan kepada pengguna tersebut.") from None
    user.__dict__.pop("_pamong_access", None)
    return grant


def role_revoke(*, actor: Any, grant: RoleGrant, reason: str) -> None:
    if not reason.strip():
        raise ValidationFailed("Alasan pencabutan peran wajib diisi.", details={"field": "reason"})
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="role_grant.revoked",
            obj=grant,
            reason=reason,
            changes={"user": [grant.user_id, None], "role": [grant.role, None], "unit": [grant.unit_id, None]},
        )
        grant.delete()


def assessor_assign(
    *,
    actor: Any,
    assessor: User,
    employee: Employee,
    purpose: str,
    valid_from: dt.date,
    valid_until: dt.date | None = None,
    reason: str = "",
) -> AssessorAssignment:
    if not RoleGrant.objects.filter(user=assessor, role=Role.ASSESSOR).exists():
        raise ValidationFailed("Pengguna ini bukan penilai independen.", details={"field": "assessor"})
    if valid_until is not None and valid_until < valid_from:
        raise ValidationFailed("Tanggal akhir penugasan sebelum tanggal mulai.", details={"field": "valid_until"})
    try:
        with transaction.atomic():
            a = AssessorAssignment.objects.create(
                assessor=assessor, employee=employee, purpose=purpose, valid_from=valid_from, valid_until=valid_until
            )
            audit.record(
                actor=actor,
                action="assessor_assignment.created",
                obj=a,
                reason=reason,
                changes={
                    "assessor": [None, assessor.pk],
                    "employee": [None, employee.pk],
                    "purpose": [None, purpose],
                    "valid_from": [None, valid_from.isoformat()],
                    "valid_until": [None, valid_until.isoformat() if valid_until else None],
                },
            )
    except IntegrityError:
        raise Conflict("Penugasan yang sama sudah ada.") from None
    return a
