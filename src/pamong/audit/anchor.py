"""Anchoring the audit chain outside the database: signed checkpoints.

The hash chain alone proves only that the rows agree with one another: whoever can write the table can delete the
last events, or change one and recompute every later hash, and the chain still verifies. A checkpoint records the
chain head (seq, hash), the number of events and the time, signed with HMAC-SHA256 under a key that is not in the
database (PAMONG_AUDIT_KEY, else derived from SECRET_KEY). Checkpoints are appended to a file
(PAMONG_AUDIT_CHECKPOINTS, default PAMONG_DATA_DIR/audit-checkpoints.jsonl) and printed for an external record;
`verify` then refuses a chain that is shorter than a checkpoint or whose hash at a checkpoint differs.
What this does and does not prove: docs/audit.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

_VERSION = "pamong-audit-checkpoint/1"


def audit_key() -> bytes:
    """The HMAC key: PAMONG_AUDIT_KEY, or else one derived from SECRET_KEY (both live in the environment)."""
    if settings.AUDIT_KEY:
        return str(settings.AUDIT_KEY).encode()
    from pamong.deploy import secret_key_problem

    problem = secret_key_problem()
    if problem:  # a key derived from a public SECRET_KEY would let anyone sign checkpoints
        raise ImproperlyConfigured(f"Kunci audit tidak aman: {problem}; isi PAMONG_AUDIT_KEY atau SECRET_KEY.")
    return hmac.new(str(settings.SECRET_KEY).encode(), b"pamong.audit.checkpoint-key", hashlib.sha256).digest()


@dataclass(frozen=True)
class Checkpoint:
    seq: int  # the chain head when taken (0: empty chain)
    hash: str
    count: int  # events in the table when taken; equals seq in an intact chain
    at: str  # ISO 8601, UTC
    hmac: str = ""

    def _message(self) -> bytes:
        return f"{_VERSION}|{self.seq}|{self.hash}|{self.count}|{self.at}".encode()

    def signed(self) -> Checkpoint:
        mac = hmac.new(audit_key(), self._message(), hashlib.sha256).hexdigest()
        return Checkpoint(self.seq, self.hash, self.count, self.at, mac)

    @property
    def authentic(self) -> bool:
        return hmac.compare_digest(self.signed().hmac, self.hmac)

    def to_json(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, line: str) -> Checkpoint:
        d = json.loads(line)
        return cls(
            seq=int(d["seq"]), hash=str(d["hash"]), count=int(d["count"]), at=str(d["at"]), hmac=str(d.get("hmac", ""))
        )


def new_checkpoint(seq: int, head_hash: str, count: int) -> Checkpoint:
    at = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
    return Checkpoint(seq, head_hash, count, at).signed()


def checkpoint_path() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_FILE)


class CheckpointFileError(ValueError):
    pass


def read_checkpoints(path: Path | None = None) -> list[Checkpoint]:
    """Every checkpoint in the file, in file order; none when the file does not exist."""
    path = path or checkpoint_path()
    if not path.exists():
        return []
    out = []
    for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append(Checkpoint.from_json(line))
        except (ValueError, KeyError, TypeError):
            raise CheckpointFileError(f"baris {no} berkas checkpoint {path} tidak terbaca") from None
    return out


def append_checkpoint(cp: Checkpoint, path: Path | None = None) -> Path:
    path = path or checkpoint_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(cp.to_json() + "\n")
    return path


def archive_checkpoints() -> Path | None:
    """Move the checkpoint file aside (a new, empty database starts a new chain: `pamong demo`)."""
    path = checkpoint_path()
    if not path.exists():
        return None
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.{stamp}.old")
    path.rename(target)
    return target
