import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from pamong.rules.params import ParameterError
from pamong.rules.show import show


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--on: '{text}' bukan tanggal YYYY-MM-DD") from None


class Command(BaseCommand):
    help = (
        "Rule packs. 'show' prints every parameter in force on a date (national + optional region + optional "
        "directory of the city's own files), with unit, effective date and legal reference."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["show"])
        parser.add_argument("--on", default=None, help="tanggal YYYY-MM-DD (bawaan: hari ini)")
        parser.add_argument("--region", default=None, help="nama paket wilayah di rules/regions/, mis. sawahlunto")
        parser.add_argument("--pack", default=None, help="direktori paket aturan kota sendiri (menimpa per nama)")

    def handle(self, *args, **opts):
        on = _date(opts["on"]) if opts["on"] else dt.date.today()
        try:
            text = show(on, region=opts["region"], pack_dir=opts["pack"])
        except ParameterError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(text, ending="")
