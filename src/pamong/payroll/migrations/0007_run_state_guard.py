"""A run never leaves approved, paid or closed backwards, and a cancelled run stays cancelled, whoever writes: a
trigger on PostgreSQL and on SQLite (the services refuse first with a readable message; the triggers are the
backstop against a raw UPDATE). Allowed: approved → paid, paid → closed, and updates that keep the state. (Deleting
an approved run is already impossible: its payslips are frozen and reference it.) Also restores the SQLite frozen-payslip triggers of 0002, which 0006's
rebuild of payroll_payslip (code became nullable) dropped."""

from importlib import import_module

from django.db import migrations

# from-state → the states an UPDATE may leave it in
FORWARD = {
    "approved": ("approved", "paid"),
    "paid": ("paid", "closed"),
    "closed": ("closed",),
    "cancelled": ("cancelled",),
}


def _refused_update(old: str, new: str) -> str:
    return " OR ".join(
        f"({old} = '{src}' AND {new} NOT IN ({', '.join(repr(d) for d in dst)}))" for src, dst in FORWARD.items()
    )


PG_CREATE = f"""
CREATE OR REPLACE FUNCTION pamong_run_state_guard() RETURNS trigger AS $$
BEGIN
  IF {_refused_update("OLD.state", "NEW.state")} THEN
    RAISE EXCEPTION 'payroll_payrollrun: state % -> % refused for run %', OLD.state, NEW.state, OLD.id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END; $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS run_state_guard ON payroll_payrollrun;
CREATE TRIGGER run_state_guard BEFORE UPDATE OF state ON payroll_payrollrun
  FOR EACH ROW EXECUTE FUNCTION pamong_run_state_guard();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS run_state_guard ON payroll_payrollrun;
DROP FUNCTION IF EXISTS pamong_run_state_guard();
"""

SQLITE_CREATE = [
    f"""CREATE TRIGGER run_state_guard_update BEFORE UPDATE OF state ON payroll_payrollrun
    WHEN {_refused_update("OLD.state", "NEW.state")}
    BEGIN SELECT RAISE(ABORT, 'payroll_payrollrun: state change refused, the run is approved, paid, closed or cancelled'); END;""",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS run_state_guard_update;"]


def sqlite_payslip_triggers(schema_editor) -> None:
    frozen = import_module("pamong.payroll.migrations.0002_frozen_payslips")
    for sql in frozen.SQLITE_DROP + frozen.SQLITE_CREATE:
        schema_editor.execute(sql, params=None)


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_CREATE, params=None)
    elif vendor == "sqlite":
        sqlite_payslip_triggers(schema_editor)
        for sql in SQLITE_DROP + SQLITE_CREATE:
            schema_editor.execute(sql, params=None)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP, params=None)
    elif vendor == "sqlite":
        for sql in SQLITE_DROP:
            schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("payroll", "0006_run_integrity")]
    operations = [migrations.RunPython(forwards, backwards)]
