"""`pamong demo`: a fresh database with a seeded synthetic Kota Sawahlunto, the demo logins, then the server."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, connections

from pamong.audit.anchor import archive_checkpoints, checkpoint_path
from pamong.audit.services import checkpoint_take
from pamong.core.worker import start_worker
from pamong.demo.attendance import seed_attendance
from pamong.demo.build import DEMO_PASSWORD, build
from pamong.demo.generate import MIN_SIZE, generate
from pamong.demo.payroll import seed_payroll
from pamong.demo.performance import PerformanceSeed, last_month, seed_performance
from pamong.org.models import Unit
from pamong.people.models import Employee

DEFAULT_SEED = 1373  # BPS code of Kota Sawahlunto


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"tanggal tidak valid: {text!r} (format YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = (
        "Kota demo: membuat ulang basis data, membangun Kota Sawahlunto sintetis (pegawai, jabatan, keluarga, "
        "akun demo per peran), lalu menjalankan server. / Rebuilds the database with a seeded synthetic city, "
        "prints the demo logins and serves the app."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", type=int, default=2500, help="jumlah ASN (default 2500; 100000 untuk uji beban)")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="benih acak: benih sama, kota sama")
        parser.add_argument("--today", type=_date, default=None, help="tanggal acuan YYYY-MM-DD (default: hari ini)")
        parser.add_argument("--no-serve", action="store_true", help="hanya membangun data, tanpa server")
        parser.add_argument("--addr", default="127.0.0.1:8000", help="alamat server (default 127.0.0.1:8000)")
        parser.add_argument(
            "--yes", action="store_true", help="setuju mengosongkan basis data PostgreSQL (DATABASE_URL)"
        )
        parser.add_argument(
            "--tanpa-kinerja",
            action="store_true",
            help="tanpa tahun kinerja (SKP, realisasi, penilaian); untuk uji beban yang membangun datanya sendiri",
        )
        parser.add_argument(
            "--keep-db",
            action="store_true",
            help="bangun ke basis data yang ada (harus kosong dan sudah dimigrasi) tanpa membuatnya ulang",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        size, seed = opts["size"], opts["seed"]
        if size < MIN_SIZE:
            raise CommandError(f"--size minimal {MIN_SIZE}")
        started = time.perf_counter()
        if opts["keep_db"]:
            if Unit.objects.exists() or Employee.objects.exists():
                raise CommandError("Basis data tidak kosong; jalankan tanpa --keep-db untuk membuatnya ulang.")
        else:
            self._fresh_database(confirmed=opts["yes"])
        self.stdout.write(f"Membangun Kota Sawahlunto (sintetis): {size:,} ASN, benih {seed} ...")
        t0 = time.perf_counter()
        city = generate(size=size, seed=seed, today=opts["today"])
        t1 = time.perf_counter()
        self.stdout.write(f"  data dibuat di memori: {t1 - t0:.1f} s")
        res = build(city, progress=self.stdout.write if opts["verbosity"] >= 1 else None)
        total = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Selesai dalam {total:.1f} s: {res.units:,} unit, {res.positions:,} jabatan, "
                f"{res.employees:,} pegawai, {res.family:,} anggota keluarga, {res.education:,} riwayat pendidikan, "
                f"{res.audit_events:,} peristiwa audit."
            )
        )
        t2 = time.perf_counter()
        perf = PerformanceSeed(year=city.today.year, months=[])
        if not opts["tanpa_kinerja"]:
            perf = seed_performance(city.today, seed=seed)
            self.stdout.write(
                f"  kinerja {perf.year}: {perf.skps:,} SKP disetujui, {perf.indicators:,} indikator, "
                f"{perf.realisations:,} realisasi, {perf.evaluations:,} penilaian periodik final "
                f"({len(perf.months)} bulan), {perf.ratings:,} penilaian angka di {perf.pools} kelompok, "
                f"{perf.appeals} keberatan, {time.perf_counter() - t2:.1f} s"
            )
        t2 = time.perf_counter()
        evaluated = perf.months[-1] if perf.months and perf.months[-1] == last_month(city.today) else None
        if evaluated is not None:  # the month whose TPP the demo computes from measured performance and attendance
            att = seed_attendance(evaluated, seed=seed)
            self.stdout.write(
                f"  presensi {evaluated:%m/%Y}: {att.devices} mesin, {att.punches:,} rekaman diimpor "
                f"({att.unmatched} tanpa pegawai), {att.leave} cuti, {att.travel} surat tugas, "
                f"{att.recaps:,} rekap bulanan, {time.perf_counter() - t2:.1f} s"
            )
            t2 = time.perf_counter()
        pay = seed_payroll(city.today, seed=seed, evaluated=evaluated)
        self.stdout.write(
            "  penggajian: "
            + ", ".join(
                f"{r.get_kind_display()} {r.period:%m/%Y} {r.payslips.count():,} slip ({r.get_state_display()})"
                for r in pay.runs
            )
            + f", {pay.treasurers} bendahara OPD, {time.perf_counter() - t2:.1f} s"
        )
        cp, chain = checkpoint_take()  # a fresh city's chain starts anchored (what the audit pages check against)
        if chain.ok:
            self.stdout.write(f"  checkpoint rantai audit: peristiwa #{cp.seq:,} ({checkpoint_path()})")
        self._print_logins(res, perf.logins)
        if not opts["no_serve"]:
            start_worker()  # computes runs started from the web; restarted if it dies, stopped with the server
            self.stdout.write(f"\nServer: http://{opts['addr']}/  (Ctrl+C untuk berhenti)\n")
            call_command("runserver", opts["addr"], use_reloader=False, insecure_serving=True)

    def _fresh_database(self, *, confirmed: bool) -> None:
        db = connection.settings_dict
        if connection.vendor == "postgresql" and not confirmed:
            raise CommandError(
                f"Basis data PostgreSQL '{db['NAME']}' akan dikosongkan seluruhnya. Ulangi dengan --yes bila yakin."
            )
        archive_checkpoints()  # the old checkpoints anchor the chain being thrown away
        if connection.vendor == "sqlite" and str(db["NAME"]) != ":memory:" and "mode=memory" not in str(db["NAME"]):
            path = Path(db["NAME"])
            connections.close_all()
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            path.parent.mkdir(parents=True, exist_ok=True)
            self.stdout.write(f"Basis data baru: {path}")
            call_command("migrate", interactive=False, verbosity=0)
            return
        self.stdout.write(f"Mengosongkan basis data {connection.vendor} '{db['NAME']}' ...")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("flush", interactive=False, verbosity=0)

    def _print_logins(self, res: Any, more: list[tuple[str, str, str, str]]) -> None:
        rows = [("Nama pengguna", "Peran", "Pegawai", "Dapat melihat")]
        for login, person in res.logins:
            who = person.name if person else "-"
            rows.append((login.username, login.label, who, login.sees))
        rows += more  # the performance year's raters
        widths = [max(len(r[i]) for r in rows) for i in range(4)]
        line = "  ".join("-" * w for w in widths)
        self.stdout.write(f"\nAkun demo (kata sandi semuanya: {DEMO_PASSWORD})")
        for i, r in enumerate(rows):
            self.stdout.write("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
            if i == 0:
                self.stdout.write(line)
