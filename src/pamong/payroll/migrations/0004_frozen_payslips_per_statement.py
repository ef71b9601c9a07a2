"""PostgreSQL: the frozen-payslip check once per statement instead of once per row (a chunk inserts 2,000 rows in
one COPY), using transition tables. Same rule as 0002: no payslip of an approved, paid or closed run is inserted,
changed or deleted. SQLite keeps 0002's row triggers (it has no statement triggers)."""

from importlib import import_module

from django.db import migrations

FROZEN = "('approved', 'paid', 'closed')"

CREATE = f"""
DROP TRIGGER IF EXISTS payslip_frozen ON payroll_payslip;
DROP FUNCTION IF EXISTS pamong_payslip_frozen();
CREATE OR REPLACE FUNCTION pamong_payslip_frozen_rows() RETURNS trigger AS $$
DECLARE frozen_run bigint;
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    SELECT r.id INTO frozen_run FROM new_rows n JOIN payroll_payrollrun r ON r.id = n.run_id
     WHERE r.state IN {FROZEN} LIMIT 1;
  END IF;
  IF frozen_run IS NULL AND TG_OP IN ('UPDATE', 'DELETE') THEN
    SELECT r.id INTO frozen_run FROM old_rows o JOIN payroll_payrollrun r ON r.id = o.run_id
     WHERE r.state IN {FROZEN} LIMIT 1;
  END IF;
  IF frozen_run IS NOT NULL THEN
    RAISE EXCEPTION 'payroll_payslip: % refused, run % is frozen', TG_OP, frozen_run
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NULL;
END; $$ LANGUAGE plpgsql;
CREATE TRIGGER payslip_frozen_insert AFTER INSERT ON payroll_payslip
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pamong_payslip_frozen_rows();
CREATE TRIGGER payslip_frozen_update AFTER UPDATE ON payroll_payslip
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION pamong_payslip_frozen_rows();
CREATE TRIGGER payslip_frozen_delete AFTER DELETE ON payroll_payslip
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION pamong_payslip_frozen_rows();
"""
DROP = """
DROP TRIGGER IF EXISTS payslip_frozen_insert ON payroll_payslip;
DROP TRIGGER IF EXISTS payslip_frozen_update ON payroll_payslip;
DROP TRIGGER IF EXISTS payslip_frozen_delete ON payroll_payslip;
DROP FUNCTION IF EXISTS pamong_payslip_frozen_rows();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)
        schema_editor.execute(import_module("pamong.payroll.migrations.0002_frozen_payslips").PG_CREATE, params=None)


class Migration(migrations.Migration):
    dependencies = [("payroll", "0003_awards_deductions")]
    operations = [migrations.RunPython(forwards, backwards)]
