from django.core.management.base import BaseCommand, CommandError

from pamong.audit.services import verify_chain


class Command(BaseCommand):
    help = "Audit trail tools. 'verify' recomputes the hash chain and reports the first broken link."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **opts):
        result = verify_chain()
        if not result.ok:
            raise CommandError(
                f"Rantai audit RUSAK pada peristiwa #{result.broken_seq}: {result.problem} "
                f"({result.checked} peristiwa diperiksa)"
            )
        self.stdout.write(f"Rantai audit utuh: {result.checked} peristiwa diperiksa.")
