"""`pamong payroll ...`:
  simulate CASE.json [--trace] [--region R | --pack DIR]   one employee, one month, as JSON (shared spec)
  explain CASE.json [--region R | --pack DIR]              the same month as readable Indonesian text
  run YYYY-MM --kind gaji|tpp|thr|gaji13|rapel --user NAME [--opd CODE] [--workers N]   create and compute a run
  work RUN_ID                                               take pending chunks of a run (a second worker)
The computation is pamong.engine / pamong.payroll.compute; this only parses, prints and shows progress."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from pamong.core.errors import DomainError
from pamong.engine.explain import explain_file
from pamong.engine.simulate import ERRORS, add_pack_arguments, pack_from, simulate_file
from pamong.org.models import Unit
from pamong.payroll.compute import RunNotComputable, work
from pamong.payroll.models import PayrollRun, RunKind
from pamong.payroll.services import DEFAULT_REGION, run_compute, run_create


def _month(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise CommandError(f"bulan harus YYYY-MM, bukan {text!r}") from None


def progress_bar(done: int, total: int, errors: int, width: int = 30) -> str:
    filled = width * done // total if total else width
    return f"[{'#' * filled}{'.' * (width - filled)}] {done}/{total} bagian, {errors} galat"


class Command(BaseCommand):
    help = "Penggajian: simulate / explain satu kasus; run / work proses penggajian bulanan."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        simulate = sub.add_parser("simulate", help="hitung satu kasus JSON dan cetak hasilnya sebagai JSON")
        simulate.add_argument("case", help="berkas kasus JSON")
        simulate.add_argument("--trace", action="store_true", help="sertakan jejak perhitungan per baris")
        explain = sub.add_parser("explain", help="jelaskan perhitungan satu kasus JSON dalam bahasa Indonesia")
        explain.add_argument("case", help="berkas kasus JSON")
        for command in (simulate, explain):
            add_pack_arguments(command)
        run = sub.add_parser("run", help="buat dan hitung proses penggajian satu bulan")
        run.add_argument("month", help="YYYY-MM")
        run.add_argument("--kind", required=True, choices=RunKind.values)
        run.add_argument("--user", required=True, help="nama pengguna yang menjalankan (dicatat di jejak audit)")
        run.add_argument("--opd", help="kode OPD (tanpa: seluruh kota)")
        run.add_argument("--region", default=DEFAULT_REGION, help="paket aturan daerah")
        run.add_argument("--workers", type=int, default=1, help="jumlah proses penghitung (PostgreSQL)")
        w = sub.add_parser("work", help="ambil bagian yang belum dihitung dari satu proses penggajian")
        w.add_argument("run_id", type=int)

    def handle(self, *args, **opts):
        action = opts["action"]
        if action in ("simulate", "explain"):
            return self._case(opts)
        if action == "work":
            return self._work(opts["run_id"])
        return self._run(opts)

    def _case(self, opts):
        pack = pack_from(opts["region"], opts["pack"])
        try:
            if opts["action"] == "explain":
                self.stdout.write(explain_file(opts["case"], pack), ending="")
                return
            out = simulate_file(opts["case"], trace=opts["trace"], pack=pack)
        except ERRORS as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(json.dumps(out, indent=2, ensure_ascii=False))

    def _work(self, run_id: int) -> None:
        try:
            done = work(run_id, worker=f"cli-{os.getpid()}")
        except RunNotComputable as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{done} bagian dihitung")

    def _run(self, opts) -> None:
        user = get_user_model().objects.filter(username=opts["user"]).first()
        if user is None:
            raise CommandError(f"pengguna {opts['user']!r} tidak ada")
        scope = None
        if opts["opd"]:
            scope = Unit.objects.filter(code=opts["opd"]).first()
            if scope is None:
                raise CommandError(f"OPD dengan kode {opts['opd']!r} tidak ada")
        try:
            run = run_create(user, period=_month(opts["month"]), kind=opts["kind"], scope=scope, region=opts["region"])
            run = run_compute(user, run, enqueue=False)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"proses penggajian #{run.id}: {run.employees_total} pegawai, {run.chunks_total} bagian")
        helpers = [
            subprocess.Popen(
                [sys.executable, "-m", "pamong.cli", "payroll", "work", str(run.id)], stdout=subprocess.DEVNULL
            )
            for _ in range(max(0, opts["workers"] - 1))
        ]
        started = time.perf_counter()

        def show(_index: int) -> None:
            r = PayrollRun.objects.get(id=run.id)
            self.stdout.write("\r" + progress_bar(r.chunks_done, r.chunks_total, r.errors_total), ending="")
            self.stdout.flush()

        try:
            work(run.id, worker="cli", on_chunk=show)
        except RunNotComputable as exc:
            raise CommandError(str(exc)) from None
        finally:
            for p in helpers:
                p.wait()
        run.refresh_from_db()
        show(0)
        self.stdout.write(
            f"\nselesai dalam {time.perf_counter() - started:.1f} s: status {run.get_state_display()}, "
            f"{run.payslips.count()} slip, {run.errors_total} galat"
        )
