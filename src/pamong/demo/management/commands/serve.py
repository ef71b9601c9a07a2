"""`pamong serve [ADDR:PORT]`: bring the schema up to date, then serve the app with Django's threaded server.

Meant for the demo and a single machine: no autoreload, static files served by Django (--insecure).
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from pamong.core.worker import start_worker
from pamong.deploy import require_safe_secret_key


class Command(BaseCommand):
    help = "Menjalankan aplikasi (migrate, lalu runserver --noreload --insecure). / Migrate, then serve the app."
    requires_system_checks: list[str] = []  # runserver runs them

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "addrport", nargs="?", default="127.0.0.1:8000", help="alamat:port (default 127.0.0.1:8000)"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        require_safe_secret_key()  # outside demo/test: no serving with the default SECRET_KEY
        call_command("migrate", interactive=False, verbosity=0)
        start_worker()  # computes runs started from the web; restarted if it dies, stopped with the server
        self.stdout.write(f"Pamong: http://{opts['addrport']}/  (Ctrl+C untuk berhenti)")
        call_command("runserver", opts["addrport"], use_reloader=False, insecure_serving=True)
