"""Each payslip records what it adds to the year's PPh 21 (for December's recomputation).

On SQLite, adding a column rebuilds the table, which drops its triggers: the frozen-payslip triggers of 0002 are
created again right after. (Any later schema change to payroll_payslip must do the same.)"""

from importlib import import_module

from django.db import migrations, models


def restore_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    frozen = import_module("pamong.payroll.migrations.0002_frozen_payslips")
    for sql in (*frozen.SQLITE_DROP, *frozen.SQLITE_CREATE):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("payroll", "0004_frozen_payslips_per_statement")]

    operations = [
        migrations.AddField(model_name="payslip", name="year", field=models.JSONField(default=dict)),
        migrations.RunPython(restore_sqlite_triggers, migrations.RunPython.noop),
    ]
