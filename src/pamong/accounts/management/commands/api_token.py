"""pamong api_token USERNAME --name NAME: create an API token for a user and print it (shown only this once)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from pamong.api.tokens import api_token_create


class Command(BaseCommand):
    help = "Buat token API untuk pengguna dan cetak tokennya (hanya ditampilkan sekali)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="nama integrasi pemakai token")

    def handle(self, *args: Any, username: str, name: str, **options: Any) -> None:
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"Pengguna aktif '{username}' tidak ditemukan.")
        if not name.strip():
            raise CommandError("--name wajib diisi.")
        token, key = api_token_create(actor=None, user=user, name=name)
        note = "simpan sekarang, tidak ditampilkan lagi"
        self.stderr.write(f"Token #{token.pk} '{token.name}' untuk {username} ({note}):")
        self.stdout.write(key)
