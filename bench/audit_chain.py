"""Audit chain at scale (issue 8, item 5): record_many throughput, a full `verify` (streamed), and a daily
checkpoint (only the events since the last one). Prints figures; asserts nothing about time.

    uv run python bench/audit_chain.py [--events 1000000] [--db postgres://postgres@127.0.0.1:5432/NAME]

Without --db it uses a fresh SQLite file in a temporary directory. A given PostgreSQL database is migrated and
must hold no audit events (the chain would start in the middle otherwise).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--db", default="")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="pamong-bench-audit-")
    os.environ["PAMONG_DATA_DIR"] = tmp
    os.environ["DATABASE_URL"] = a.db or f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("PAMONG_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pamong.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from pamong.audit import services as audit
    from pamong.audit.models import AuditEvent

    call_command("migrate", verbosity=0)
    if AuditEvent.objects.exists():
        sys.exit("the database already holds audit events; use an empty one")
    figures: dict[str, object] = {"events": a.events, "db": "postgresql" if a.db else "sqlite"}
    t = time.perf_counter()
    batch = 10_000
    for start in range(0, a.events, batch):
        items = [audit.Change("bench.event", object_type="people.employee", object_id=str(i),
                              changes={"phone": ["", f"08{i:010d}"]}, reason="bench")
                 for i in range(start, min(start + batch, a.events))]
        audit.record_many(None, items)
    figures["record_many_events_per_s"] = round(a.events / (time.perf_counter() - t))

    t = time.perf_counter()
    for _ in range(200):
        audit.record(actor=None, action="bench.single", object_type="x", object_id="1")
    figures["record_one_ms"] = round((time.perf_counter() - t) / 200 * 1000, 2)

    t = time.perf_counter()
    cp, result = audit.checkpoint_take()
    figures["first_checkpoint_s"] = round(time.perf_counter() - t, 1)
    assert result.ok
    for _ in range(1000):
        audit.record(actor=None, action="bench.day", object_type="x", object_id="1")
    t = time.perf_counter()
    cp2, result = audit.checkpoint_take()
    figures["daily_checkpoint_after_1000_events_s"] = round(time.perf_counter() - t, 2)

    t = time.perf_counter()
    result = audit.verify_chain()
    elapsed = time.perf_counter() - t
    figures["verify_s"] = round(elapsed, 1)
    figures["verify_events_per_s"] = round(result.checked / elapsed)
    figures["verify_ok"] = result.ok
    figures["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
