"""`pamong user ...`: manage logins and roles from the command line (every change audited, actor = system).

pamong user add USERNAME [--nip NIP] [--role ROLE [--unit CODE]]
    the password: PAMONG_PASSWORD, else asked twice on a terminal, else the first line of standard input
pamong user grant USERNAME ROLE [--unit CODE] [--reason TEXT]
pamong user revoke USERNAME ROLE [--unit CODE] --reason TEXT
"""

from __future__ import annotations

import getpass
import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pamong.accounts import services
from pamong.accounts.models import Role, RoleGrant, User
from pamong.core.errors import DomainError
from pamong.org.models import Unit
from pamong.people.models import Employee

NO_PASSWORD = (
    "Kata sandi tidak dapat dibaca: tidak ada terminal dan masukan standar kosong. Isi variabel PAMONG_PASSWORD, "
    "kirim sandi lewat masukan standar (satu baris), atau jalankan perintah ini di terminal."
)


def read_password() -> str:
    """PAMONG_PASSWORD; else asked twice on a terminal; else one line of standard input. Never an EOFError."""
    if os.environ.get("PAMONG_PASSWORD"):
        return os.environ["PAMONG_PASSWORD"]
    try:
        if sys.stdin is not None and sys.stdin.isatty():
            first = getpass.getpass("Kata sandi: ")
            if first != getpass.getpass("Ulangi kata sandi: "):
                raise CommandError("Kedua kata sandi tidak sama.")
            password = first
        else:
            password = (sys.stdin.readline() if sys.stdin is not None else "").rstrip("\r\n")
    except (EOFError, KeyboardInterrupt, OSError):
        raise CommandError(NO_PASSWORD) from None
    if not password:
        raise CommandError(NO_PASSWORD)
    return password


class Command(BaseCommand):
    help = "Kelola akun dan peran (tercatat di log audit)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add")
        add.add_argument("username")
        add.add_argument("--nip", default="")
        add.add_argument("--role", choices=Role.values)
        add.add_argument("--unit", default="")
        add.add_argument("--reason", default="")
        for name in ("grant", "revoke"):
            p = sub.add_parser(name)
            p.add_argument("username")
            p.add_argument("role", choices=Role.values)
            p.add_argument("--unit", default="")
            p.add_argument("--reason", default="", required=name == "revoke")

    def handle(self, *args: Any, **o: Any) -> None:
        try:
            unit = Unit.objects.get(code=o["unit"]) if o.get("unit") else None
        except Unit.DoesNotExist:
            raise CommandError(f"Unit dengan kode {o['unit']} tidak ada.") from None
        try:
            if o["action"] == "add":
                employee = None
                if o["nip"]:
                    employee = Employee.objects.filter(nip=o["nip"]).first()
                    if employee is None:
                        raise CommandError(f"Pegawai dengan NIP {o['nip']} tidak ada.")
                password = read_password()
                user = services.user_create(
                    actor=None, username=o["username"], password=password, employee=employee, reason=o["reason"]
                )
                if o["role"]:
                    services.role_grant(actor=None, user=user, role=o["role"], unit=unit, reason=o["reason"])
            else:
                user = User.objects.filter(username=o["username"]).first()
                if user is None:
                    raise CommandError(f"Pengguna {o['username']} tidak ada.")
                if o["action"] == "grant":
                    services.role_grant(actor=None, user=user, role=o["role"], unit=unit, reason=o["reason"])
                else:
                    grant = RoleGrant.objects.filter(user=user, role=o["role"], unit=unit).first()
                    if grant is None:
                        raise CommandError("Peran itu tidak dimiliki pengguna ini.")
                    services.role_revoke(actor=None, grant=grant, reason=o["reason"])
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        self.stdout.write(f"Selesai: {o['action']} {o['username']}")
