"""`pamong payroll simulate CASE.json [--trace]`: one employee, one month, from a case file, as JSON on stdout
(shared spec payroll-simulate.md). `pamong payroll explain CASE.json`: the same month as readable Indonesian text,
every line with its inputs, dated parameters and legal references. The computation is pamong.engine.simulate and
the text pamong.engine.explain; this only parses and prints."""

import json

from django.core.management.base import BaseCommand, CommandError

from pamong.engine.explain import explain_file
from pamong.engine.simulate import ERRORS, add_pack_arguments, pack_from, simulate_file


class Command(BaseCommand):
    help = (
        "Penggajian. 'simulate CASE.json' menghitung slip gaji dan TPP satu pegawai satu bulan dari berkas kasus; "
        "'explain CASE.json' menjelaskan perhitungan itu baris demi baris."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        simulate = sub.add_parser("simulate", help="hitung satu kasus JSON dan cetak hasilnya sebagai JSON")
        simulate.add_argument("case", help="berkas kasus JSON")
        simulate.add_argument("--trace", action="store_true", help="sertakan jejak perhitungan per baris")
        explain = sub.add_parser("explain", help="jelaskan perhitungan satu kasus JSON dalam bahasa Indonesia")
        explain.add_argument("case", help="berkas kasus JSON")
        for command in (simulate, explain):
            add_pack_arguments(command)

    def handle(self, *args, **opts):
        pack = pack_from(opts["region"], opts["pack"])
        try:
            if opts["action"] == "explain":
                self.stdout.write(explain_file(opts["case"], pack), ending="")
                return
            out = simulate_file(opts["case"], trace=opts["trace"], pack=pack)
        except ERRORS as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(json.dumps(out, indent=2, ensure_ascii=False))
