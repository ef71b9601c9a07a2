"""`pamong performance ...`:
  predikat CASE.json    one unit's predikat kinerja and pola distribusi check, as JSON (spec/performance-predikat.md)
  calibrate CASE.json   rater calibration of every pool, as JSON (spec/performance-calibration.md)
The computation is pamong.performance.engine; this only reads the file and prints. A malformed case is one message on
stderr and a non-zero exit status."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from pamong.performance.engine.calibration import calibrate_case
from pamong.performance.engine.cases import CaseError, load_case
from pamong.performance.engine.predikat import predikat_case

CONTRACTS = {"predikat": predikat_case, "calibrate": calibrate_case}


class Command(BaseCommand):
    help = "Kinerja: predikat (predikat dan pola distribusi satu unit) / calibrate (kalibrasi penilai) satu kasus JSON."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        predikat = sub.add_parser("predikat", help="predikat kinerja satu unit dan pemeriksaan pola distribusi")
        predikat.add_argument("case", help="berkas kasus JSON")
        calibrate = sub.add_parser("calibrate", help="kalibrasi penilai: efek penilai, nilai adil, tanda, reliabilitas")
        calibrate.add_argument("case", help="berkas kasus JSON")

    def handle(self, *args, **opts):
        try:
            out = CONTRACTS[opts["action"]](load_case(opts["case"]))
        except CaseError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(json.dumps(out, indent=2, ensure_ascii=False))
