"""Row history by database triggers (django-pghistory, PostgreSQL only) around bulk writes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection


@contextmanager
def row_history(**metadata: Any) -> Iterator[None]:
    """Tag the trigger-written row history of the enclosed writes with who and why.

    It also matters for speed: pghistory's trigger function reads its context settings inside a PL/pgSQL
    BEGIN ... EXCEPTION block, and when they are missing every inserted row raises and catches an error (a
    subtransaction); in one large transaction that grew superlinearly (100,000 employees: ~170 s instead of ~25 s).
    (pgtrigger.ignore, read the same way, gets a default in the connection options: settings.py.)
    On SQLite there are no triggers and pghistory's context would fail (cursor.nextset), so this does nothing."""
    if connection.vendor != "postgresql":
        yield
        return
    import pghistory

    with pghistory.context(**{k: v for k, v in metadata.items() if v is not None}):
        yield
