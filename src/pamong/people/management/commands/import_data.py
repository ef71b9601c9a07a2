"""`pamong import units|positions|employees|monthly|sanctions FILE [--dry-run] [--reason TEXT] [--as USERNAME]`.

Prints progress while it reads and writes (every PROGRESS_EVERY rows), then the counts, then every error as
"baris N, kolom C, nilai 'V': pesan"; exits with status 1 when the file was refused (nothing is written then) or
its writing stopped part-way (the rows saved before are said; run the same file again). Without --as the import
runs as the system (audit actor "system").
"""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from pamong.core.errors import DomainError
from pamong.people.imports import KINDS, import_file

PROGRESS_EVERY = 5_000


class Command(BaseCommand):
    help = (
        "Impor unit kerja, jabatan, pegawai, masukan bulanan TPP (capaian kinerja, disiplin) atau hukuman disiplin "
        "dari berkas CSV (UTF-8) atau XLSX (lihat docs/import-format.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=KINDS, help=" | ".join(KINDS))
        parser.add_argument("file", help="berkas .csv atau .xlsx")
        parser.add_argument("--dry-run", action="store_true", help="periksa saja; tidak ada yang disimpan")
        parser.add_argument("--reason", default="", help="alasan/dasar perubahan (dicatat di jejak audit)")
        parser.add_argument("--as", dest="username", default="", help="jalankan sebagai pengguna ini (hak aksesnya)")

    def handle(self, *args, **opts):
        path = Path(opts["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Berkas tidak dapat dibaca: {exc}") from None
        actor = None
        if opts["username"]:
            actor = get_user_model().objects.filter(username=opts["username"]).first()
            if actor is None:
                raise CommandError(f"Pengguna '{opts['username']}' tidak ditemukan.")
        shown = {"check": 0, "write": 0}

        def progress(phase: str, done: int, total: int) -> None:
            if opts["verbosity"] < 1 or (done - shown[phase] < PROGRESS_EVERY and done != total):
                return
            shown[phase] = done
            if phase == "check":
                self.stdout.write(f"diperiksa: {done} baris")
            else:
                self.stdout.write(f"disimpan: {done} dari {total} baris")

        try:
            report = import_file(
                actor=actor,
                kind=opts["kind"],
                filename=path.name,
                content=content,
                dry_run=opts["dry_run"],
                reason=opts["reason"],
                progress=progress,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None

        mode = "UJI COBA (dry run), tidak ada yang disimpan" if opts["dry_run"] else "impor"
        self.stdout.write(f"{opts['kind']} dari {path.name} — {mode}")
        self.stdout.write(
            f"baris: {report.rows_total}, baru: {report.created}, diubah: {report.updated}, "
            f"tetap: {report.unchanged}, kesalahan: {len(report.errors)}"
        )
        for err in report.errors:
            self.stdout.write(str(err))
        if report.stopped:
            raise CommandError(
                f"Penyimpanan berhenti: {report.saved} baris sudah tersimpan, sisanya belum. Perbaiki penyebabnya "
                "lalu jalankan ulang impor berkas yang sama.",
                returncode=1,
            )
        if report.errors:
            raise CommandError(
                f"Berkas ditolak: {len(report.errors)} kesalahan; tidak ada data yang disimpan.", returncode=1
            )
        self.stdout.write("Selesai: data disimpan." if report.applied else "Uji coba selesai: berkas valid.")
