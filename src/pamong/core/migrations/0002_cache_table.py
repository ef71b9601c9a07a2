"""The database cache table (settings.CACHES: the rate limits are counted there, shared by every process), created
with the schema so `migrate` is the only setup step."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_worker_beat")]
    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
