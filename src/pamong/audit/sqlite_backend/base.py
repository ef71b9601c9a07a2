"""Django's SQLite backend, except that `flush` (tests, `pamong demo`) passes the append-only triggers.

SQLite has no TRUNCATE: Django flushes with DELETE, which fires row triggers, so the triggers that refuse deleting
audit events (and frozen payslips) would make every flush fail. PostgreSQL's flush is a TRUNCATE, which fires no
row trigger; here a flush drops the triggers, deletes, and recreates them from their stored SQL, all in the flush's
one transaction. Ordinary DELETE and UPDATE statements still meet the triggers.
"""

from __future__ import annotations

from typing import Any

from django.db.backends.sqlite3 import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style: Any, tables: Any, *, reset_sequences: bool = False, allow_cascade: bool = False) -> Any:
        sql = super().sql_flush(style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        if not sql:
            return sql
        with self.connection.cursor() as cur:
            cur.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL")
            triggers = cur.fetchall()
        drops = [f"DROP TRIGGER IF EXISTS {self.quote_name(name)};" for name, _ in triggers]
        return [*drops, *sql, *(ddl for _, ddl in triggers)]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
