"""Name search (icontains → UPPER(name::text) LIKE UPPER('%term%')) with a trigram index on PostgreSQL, so
searching 100,000 names is an index lookup, not a scan. Skipped, with a warning, where pg_trgm cannot be
created (no privilege); searches still work, only slower. Nothing on SQLite."""

import warnings

from django.db import DatabaseError, migrations, transaction

CREATE = "CREATE INDEX IF NOT EXISTS employee_name_trgm ON people_employee USING gin ((UPPER(name::text)) gin_trgm_ops)"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm", params=None)
            schema_editor.execute(CREATE, params=None)
    except DatabaseError as exc:
        warnings.warn(f"pg_trgm not available, name search stays unindexed: {exc}", stacklevel=1)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS employee_name_trgm", params=None)


class Migration(migrations.Migration):
    dependencies = [("people", "0003_employee_list_order")]
    operations = [migrations.RunPython(forwards, backwards)]
