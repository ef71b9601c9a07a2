"""A final evaluation cannot be changed or deleted, whoever writes: a trigger on PostgreSQL and on SQLite (the
services refuse first with a readable message; the triggers are the backstop against a raw UPDATE). A correction is
a new row (`corrects`), never an edit. A draft may still be edited, finalised or deleted."""

from django.db import migrations

PG_CREATE = """
CREATE OR REPLACE FUNCTION pamong_evaluation_final() RETURNS trigger AS $$
BEGIN
  IF OLD.state = 'final' THEN
    RAISE EXCEPTION 'performance_evaluation: % refused, evaluation % is final', TG_OP, OLD.id
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END; $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS evaluation_final ON performance_evaluation;
CREATE TRIGGER evaluation_final BEFORE UPDATE OR DELETE ON performance_evaluation
  FOR EACH ROW EXECUTE FUNCTION pamong_evaluation_final();
"""
PG_DROP = """
DROP TRIGGER IF EXISTS evaluation_final ON performance_evaluation;
DROP FUNCTION IF EXISTS pamong_evaluation_final();
"""
SQLITE_CREATE = [
    f"""CREATE TRIGGER evaluation_final_{op.lower()} BEFORE {op} ON performance_evaluation
    WHEN OLD.state = 'final'
    BEGIN SELECT RAISE(ABORT, 'performance_evaluation: {op} refused, the evaluation is final'); END;"""
    for op in ("UPDATE", "DELETE")
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS evaluation_final_{op};" for op in ("update", "delete")]


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
    dependencies = [("performance", "0001_performance")]
    operations = [migrations.RunPython(forwards, backwards)]
