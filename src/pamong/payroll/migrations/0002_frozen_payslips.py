"""Payslips of an approved, paid or closed run cannot be inserted, changed or deleted, whoever asks: a trigger on
PostgreSQL and on SQLite (the services refuse first, with a readable message; the triggers are the backstop)."""

from django.db import migrations

FROZEN = "('approved', 'paid', 'closed')"

PG_CREATE = f"""
CREATE OR REPLACE FUNCTION pamong_payslip_frozen() RETURNS trigger AS $$
DECLARE run_state text;
BEGIN
  SELECT state INTO run_state FROM payroll_payrollrun
   WHERE id = CASE WHEN TG_OP = 'INSERT' THEN NEW.run_id ELSE OLD.run_id END;
  IF run_state IN {FROZEN} THEN
    RAISE EXCEPTION 'payroll_payslip: % refused, run is %', TG_OP, run_state USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.run_id <> OLD.run_id THEN
    SELECT state INTO run_state FROM payroll_payrollrun WHERE id = NEW.run_id;
    IF run_state IN {FROZEN} THEN
      RAISE EXCEPTION 'payroll_payslip: UPDATE refused, run is %', run_state USING ERRCODE = 'insufficient_privilege';
    END IF;
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END; $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS payslip_frozen ON payroll_payslip;
CREATE TRIGGER payslip_frozen BEFORE INSERT OR UPDATE OR DELETE ON payroll_payslip
  FOR EACH ROW EXECUTE FUNCTION pamong_payslip_frozen();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS payslip_frozen ON payroll_payslip;
DROP FUNCTION IF EXISTS pamong_payslip_frozen();
"""

SQLITE_CREATE = [
    f"""CREATE TRIGGER payslip_frozen_{op.lower()} BEFORE {op} ON payroll_payslip
    WHEN (SELECT state FROM payroll_payrollrun WHERE id = {row}.run_id) IN {FROZEN}
    BEGIN SELECT RAISE(ABORT, 'payroll_payslip: {op} refused, run is frozen'); END;"""
    for op, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD"))
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS payslip_frozen_{op};" for op in ("insert", "update", "delete")]


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_CREATE, params=None)
    elif vendor == "sqlite":
        for sql in SQLITE_CREATE:
            schema_editor.execute(sql, params=None)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP, params=None)
    elif vendor == "sqlite":
        for sql in SQLITE_DROP:
            schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("payroll", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
