"""pamong api_token USERNAME --name NAME [--days 90]: create an API token for a user and print it (shown once)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pamong.api.tokens import DEFAULT_DAYS, api_token_create
from pamong.core.errors import DomainError


class Command(BaseCommand):
    help = "Buat token API untuk pengguna dan cetak tokennya (hanya ditampilkan sekali)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="nama integrasi pemakai token")
        parser.add_argument(
            "--days", type=int, default=DEFAULT_DAYS, help=f"masa berlaku dalam hari (bawaan {DEFAULT_DAYS})"
        )

    def handle(self, *args: Any, username: str, name: str, days: int, **options: Any) -> None:
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Pengguna aktif '{username}' tidak ditemukan.")
        if not name.strip():
            raise CommandError("--name wajib diisi.")
        try:
            token, key = api_token_create(actor=None, user=user, name=name, days=days)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        note = f"berlaku sampai {token.expires_at:%Y-%m-%d}; simpan sekarang, tidak ditampilkan lagi"
        self.stderr.write(f"Token #{token.pk} '{token.name}' untuk {username} ({note}):")
        self.stdout.write(key)
