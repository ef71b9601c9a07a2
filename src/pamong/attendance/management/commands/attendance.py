"""`pamong attendance ...`:
  recap CASE.json   one employee's month of attendance: each working day and the month's TL/PSW/TK counts, as JSON
                    (spec/attendance-recap.md)
The computation is pamong.attendance.engine; this only reads the file and prints. A malformed case is one message on
stderr and a non-zero exit status."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from pamong.attendance.engine.cases import CaseError, recap_file

CONTRACTS = {"recap": recap_file}


class Command(BaseCommand):
    help = "Presensi: recap (rekap presensi satu pegawai sebulan) dari satu kasus JSON."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        recap = sub.add_parser("recap", help="status tiap hari kerja dan jumlah TL, PSW, TK sebulan")
        recap.add_argument("case", help="berkas kasus JSON")

    def handle(self, *args, **opts):
        try:
            out = CONTRACTS[opts["action"]](opts["case"])
        except CaseError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(json.dumps(out, indent=2, ensure_ascii=False))
