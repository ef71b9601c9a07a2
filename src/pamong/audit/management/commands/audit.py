"""`pamong audit verify|checkpoint`.

verify      recompute the hash chain and hold it against the signed checkpoints (exit 1 at the first problem)
checkpoint  verify the events since the last checkpoint, sign the chain head, append it to the checkpoint file
            and print it (one JSON line) for a record kept outside this machine. Run it daily (cron).
See docs/audit.md for what a passing verify proves.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from pamong.audit.anchor import Checkpoint, CheckpointFileError, checkpoint_path, read_checkpoints
from pamong.audit.services import checkpoint_take, verify_chain


class Command(BaseCommand):
    help = (
        "Jejak audit: 'verify' menghitung ulang rantai hash dan mencocokkannya dengan checkpoint bertanda tangan; "
        "'checkpoint' menandatangani kepala rantai dan mencetaknya untuk dicatat di luar sistem."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "checkpoint"])
        parser.add_argument(
            "--checkpoints",
            type=Path,
            default=None,
            help="berkas checkpoint lain untuk verify (mis. salinan catatan eksternal); default: berkas bawaan",
        )
        parser.add_argument(
            "--checkpoint",
            dest="extra",
            action="append",
            default=[],
            help="satu checkpoint (baris JSON dari catatan eksternal) yang juga harus cocok; boleh berulang",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            if opts["action"] == "checkpoint":
                self._checkpoint()
            else:
                self._verify(opts["checkpoints"], opts["extra"])
        except CheckpointFileError as exc:
            raise CommandError(str(exc)) from None

    def _checkpoint(self) -> None:
        cp, result = checkpoint_take()
        if not result.ok:
            raise CommandError(
                f"Checkpoint DITOLAK: rantai rusak pada peristiwa #{result.broken_seq}: {result.problem}"
            )
        self.stderr.write(
            f"Checkpoint #{cp.seq} ({cp.count} peristiwa) ditambahkan ke {checkpoint_path()}; "
            "simpan baris berikut di luar sistem:"
        )
        self.stdout.write(cp.to_json())

    def _verify(self, path: Path | None, extra: list[str]) -> None:
        try:
            cps = read_checkpoints(path) if path else read_checkpoints()
            cps += [Checkpoint.from_json(line) for line in extra]
        except (ValueError, KeyError, TypeError) as exc:
            raise CommandError(f"Checkpoint tidak terbaca: {exc}") from None
        result = verify_chain(cps)
        if not result.ok:
            raise CommandError(
                f"Rantai audit RUSAK pada peristiwa #{result.broken_seq}: {result.problem} "
                f"({result.checked} peristiwa diperiksa)"
            )
        self.stdout.write(f"Rantai audit utuh: {result.checked} peristiwa diperiksa.")
        if result.latest_checkpoint is None:
            self.stdout.write(
                "Peringatan: belum ada checkpoint; penghapusan peristiwa terakhir atau rantai yang dihitung ulang "
                "tidak dapat dideteksi. Jalankan `pamong audit checkpoint` secara berkala."
            )
        else:
            cp = result.latest_checkpoint
            after = result.head[0] - cp.seq
            self.stdout.write(
                f"Cocok dengan {result.checkpoints} checkpoint bertanda tangan; terakhir #{cp.seq} ({cp.at}); "
                f"{after} peristiwa sesudahnya belum dilindungi checkpoint."
            )
