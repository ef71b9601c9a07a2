"""Writing and verifying the audit chain.

Each event's hash = SHA-256 over the previous hash and a canonical JSON of the event's content, so changing,
removing or reordering any event breaks every later link. Writers serialise on the chain head: PostgreSQL
with a transaction-level advisory lock; SQLite already holds the database write lock from BEGIN IMMEDIATE.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from .anchor import Checkpoint, append_checkpoint, new_checkpoint, read_checkpoints
from .models import AuditEvent

GENESIS = "0" * 64
_LOCK_KEY = 7_261_001  # arbitrary constant naming the audit chain's advisory lock


@dataclass
class Change:
    """One audited change, before it is chained."""

    action: str
    obj: models.Model | None = None
    object_type: str = ""
    object_id: str = ""
    object_repr: str = ""
    changes: dict[str, Any] = field(default_factory=dict)
    reason: str = ""
    sk_number: str = ""


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, models.Model):
        return value.pk
    return str(value)


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Fields whose value changed, as {field: [before, after]} in JSON-safe form."""
    out = {}
    for key in sorted(set(before) | set(after)):
        b, a = _jsonable(before.get(key)), _jsonable(after.get(key))
        if b != a:
            out[key] = [b, a]
    return out


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """Field values (foreign keys as ids) in JSON-safe form, keyed as given."""
    return {f: _jsonable(getattr(obj, _attname(obj, f))) for f in fields}


def _attname(obj: models.Model, name: str) -> str:
    try:
        return obj._meta.get_field(name).attname  # "position" and "position_id" both -> "position_id"
    except Exception:
        return name


def event_hash(prev_hash: str, content: dict[str, Any]) -> str:
    payload = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


def _content(ev: AuditEvent) -> dict[str, Any]:
    return {
        "seq": ev.seq,
        "at": ev.at.isoformat(),
        "actor": ev.actor_id,
        "actor_label": ev.actor_label,
        "action": ev.action,
        "object_type": ev.object_type,
        "object_id": ev.object_id,
        "object_repr": ev.object_repr,
        "changes": ev.changes,
        "reason": ev.reason,
        "sk_number": ev.sk_number,
    }


def _lock_head() -> tuple[int, str]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
    head = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
    return head if head else (0, GENESIS)


def record_many(actor: Any, items: list[Change], *, batch_size: int = 2000) -> list[AuditEvent]:
    """Append events for several changes in one transaction (bulk, for imports)."""
    if not items:
        return []
    now = timezone.now()
    actor_id = getattr(actor, "pk", None)
    label = getattr(actor, "username", "") or "system"
    with transaction.atomic():
        seq, prev = _lock_head()
        events = []
        for it in items:
            seq += 1
            obj = it.obj
            ev = AuditEvent(
                seq=seq,
                at=now,
                actor_id=actor_id,
                actor_label=label,
                action=it.action,
                object_type=it.object_type or (obj._meta.label_lower if obj is not None else ""),
                object_id=it.object_id or (str(obj.pk) if obj is not None else ""),
                object_repr=(it.object_repr or (str(obj) if obj is not None else ""))[:200],
                changes=it.changes,
                reason=it.reason,
                sk_number=it.sk_number,
                prev_hash=prev,
            )
            ev.hash = prev = event_hash(prev, _content(ev))
            events.append(ev)
        _insert(events, batch_size)
    return events


_COLUMNS = (  # the stored columns of an event (COPY writes them; verify reads them)
    "seq",
    "at",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "changes",
    "reason",
    "sk_number",
    "prev_hash",
    "hash",
)


def _insert(events: list[AuditEvent], batch_size: int) -> None:
    if connection.vendor != "postgresql" or len(events) < 500:
        AuditEvent.objects.bulk_create(events, batch_size=batch_size)
        return
    # Large batches (imports, the demo) go through COPY: Django's bulk INSERT adapts every value in Python,
    # ~0.4 ms per event, which made audit the largest cost of a 100,000-row import.
    sql = f"COPY {AuditEvent._meta.db_table} ({', '.join(_COLUMNS)}) FROM STDIN"
    with connection.cursor() as cur, cur.cursor.copy(sql) as copy:
        for ev in events:
            copy.write_row(
                (
                    ev.seq,
                    ev.at,
                    ev.actor_id,
                    ev.actor_label,
                    ev.action,
                    ev.object_type,
                    ev.object_id,
                    ev.object_repr,
                    json.dumps(ev.changes),
                    ev.reason,
                    ev.sk_number,
                    ev.prev_hash,
                    ev.hash,
                )
            )


def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    changes: dict[str, Any] | None = None,
    reason: str = "",
    sk_number: str = "",
    object_type: str = "",
    object_id: str = "",
) -> AuditEvent:
    change = Change(
        action=action,
        obj=obj,
        changes=changes or {},
        reason=reason,
        sk_number=sk_number,
        object_type=object_type,
        object_id=object_id,
    )
    return record_many(actor, [change])[0]


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    broken_seq: int | None = None
    problem: str = ""
    checkpoints: int = 0  # signed checkpoints the chain was held against
    latest_checkpoint: Checkpoint | None = None
    head: tuple[int, str] = (0, GENESIS)  # the last event verified (seq, hash)

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


_CHAIN_FIELDS = _COLUMNS  # every stored column, in the order verify reads them


def _iter_chain(after: int = 0, chunk: int = 5000) -> Iterator[tuple[Any, ...]]:
    """Events as tuples in seq order, one indexed range query per chunk (no model instances: verify streams)."""
    last = after
    while True:
        rows = list(AuditEvent.objects.filter(seq__gt=last).order_by("seq").values_list(*_CHAIN_FIELDS)[:chunk])
        if not rows:
            return
        yield from rows
        last = rows[-1][0]


def _row_content(row: tuple[Any, ...]) -> dict[str, Any]:
    seq, at, actor, label, action, otype, oid, orepr, changes, reason, sk = row[:11]
    return {
        "seq": seq,
        "at": at.isoformat(),
        "actor": actor,
        "actor_label": label,
        "action": action,
        "object_type": otype,
        "object_id": oid,
        "object_repr": orepr,
        "changes": changes,
        "reason": reason,
        "sk_number": sk,
    }


def verify_chain(checkpoints: Sequence[Checkpoint] | None = None, *, after: Checkpoint | None = None) -> VerifyResult:
    """Recompute every link and hold the chain against the signed checkpoints; report the first problem.

    `checkpoints` None reads the checkpoint file. `after` starts at a trusted checkpoint instead of event #1 (the
    events up to it were verified when it was taken). Streams: memory stays flat whatever the chain's length."""
    cps = read_checkpoints() if checkpoints is None else list(checkpoints)
    for cp in cps:
        if not cp.authentic:
            return VerifyResult(
                0,
                cp.seq,
                f"checkpoint #{cp.seq} ({cp.at}) tidak sah: HMAC tidak cocok "
                "(berkas checkpoint diubah, atau kunci audit berganti)",
                len(cps),
            )
    by_seq: dict[int, Checkpoint] = {}
    for cp in cps:
        if by_seq.setdefault(cp.seq, cp).hash != cp.hash:
            return VerifyResult(0, cp.seq, f"dua checkpoint untuk #{cp.seq} dengan hash berbeda", len(cps))
    latest = max(cps, key=lambda c: c.seq) if cps else None
    n = 0

    def broken(seq: int, problem: str) -> VerifyResult:
        return VerifyResult(n, seq, problem, len(cps), latest, (expected_seq - 1, prev))

    if after is not None:
        prev, expected_seq = after.hash, after.seq + 1
        if after.seq:  # the checkpointed event itself: still there, same hash, content still matching it
            row = AuditEvent.objects.filter(seq=after.seq).values_list(*_CHAIN_FIELDS).first()
            if row is None or row[12] != after.hash:
                return broken(after.seq, f"peristiwa #{after.seq} tidak sama dengan checkpoint {after.at}")
            if event_hash(row[11], _row_content(row)) != row[12]:
                return broken(after.seq, "isi peristiwa telah diubah (hash tidak cocok)")
    else:
        prev, expected_seq = GENESIS, 1
    for row in _iter_chain(after.seq if after else 0):
        n += 1
        seq, row_prev, row_hash = row[0], row[11], row[12]
        if seq != expected_seq:
            return broken(seq, f"urutan terputus: diharapkan #{expected_seq}, ditemukan #{seq}")
        if row_prev != prev:
            return broken(seq, "prev_hash tidak sama dengan hash peristiwa sebelumnya")
        if event_hash(prev, _row_content(row)) != row_hash:
            return broken(seq, "isi peristiwa telah diubah (hash tidak cocok)")
        held = by_seq.get(seq)
        if held is not None and held.hash != row_hash:
            return broken(
                seq,
                f"hash peristiwa #{seq} berbeda dari checkpoint {held.at}: rantai pada atau sebelum "
                "peristiwa ini telah diubah dan dihitung ulang",
            )
        prev, expected_seq = row_hash, expected_seq + 1
    last = expected_seq - 1
    if latest is not None and latest.seq > last:
        return broken(
            last + 1,
            f"rantai berakhir di #{last}, tetapi checkpoint {latest.at} mencatat "
            f"#{latest.seq} ({latest.count} peristiwa): peristiwa terakhir telah dihapus",
        )
    return VerifyResult(n, None, "", len(cps), latest, (last, prev))


def checkpoint_take() -> tuple[Checkpoint, VerifyResult]:
    """Verify the events since the latest checkpoint, then sign the head and append it to the checkpoint file.

    Only the new events are re-read (the older ones were verified when the previous checkpoint was taken), so
    taking one daily stays cheap at millions of events. A broken chain is refused: no checkpoint blesses it."""
    cps = read_checkpoints()
    latest = max(cps, key=lambda c: c.seq) if cps else None
    result = verify_chain(cps, after=latest if latest is not None and latest.authentic else None)
    if not result.ok:
        return Checkpoint(0, "", 0, ""), result
    seq, head_hash = result.head
    count = AuditEvent.objects.filter(seq__lte=seq).count()
    cp = new_checkpoint(seq, head_hash, count)
    append_checkpoint(cp)
    return cp, result
