"""`pamong attendance_month YYYY-MM [--employee NIP ...]`: recompute the month's attendance recaps (MonthRecap) of
every active employee, or of the ones named, in this process, chunk by chunk, printing the progress. Refused for a
month whose TPP is already approved."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from pamong.attendance.month import month_recompute
from pamong.core.errors import DomainError
from pamong.people.models import Employee


class Command(BaseCommand):
    help = "Hitung ulang rekap presensi sebulan (semua pegawai aktif, atau NIP tertentu)."

    def add_arguments(self, parser):
        parser.add_argument("period", help="bulan, YYYY-MM")
        parser.add_argument("--employee", action="append", default=None, metavar="NIP", help="hanya pegawai ini")

    def handle(self, *args, **opts):
        ids = None
        if opts["employee"]:
            found = dict(Employee.objects.filter(nip__in=opts["employee"]).values_list("nip", "id"))
            unknown = sorted(set(opts["employee"]) - set(found))
            if unknown:
                raise CommandError(f"NIP tidak ditemukan: {', '.join(unknown)}")
            ids = list(found.values())

        def progress(done: int, total: int) -> None:
            self.stderr.write(f"kelompok {done}/{total} selesai")

        try:
            report = month_recompute(period=opts["period"], employee_ids=ids, actor=None, on_chunk=progress)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        self.stdout.write(
            f"rekap presensi {report.period:%Y-%m}: {report.written} pegawai dalam {report.chunks} kelompok"
        )
