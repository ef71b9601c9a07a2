import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from pamong.audit import services as audit
from pamong.audit.models import AuditEvent
from pamong.people.services import employee_update_contact


def test_every_personnel_change_appends_a_chained_event(city):
    before = AuditEvent.objects.count()
    employee_update_contact(actor=city.users["admin"], employee=city.staff, phone="08123", reason="perbaikan data")
    ev = AuditEvent.objects.order_by("-seq").first()
    assert AuditEvent.objects.count() == before + 1
    assert ev.action == "employee.updated"
    assert ev.actor_id == city.users["admin"].pk
    assert ev.object_id == str(city.staff.pk)
    assert ev.changes == {"phone": ["", "08123"]}
    assert ev.reason == "perbaikan data"
    assert ev.prev_hash == AuditEvent.objects.get(seq=ev.seq - 1).hash


def test_unchanged_save_writes_no_event(city):
    before = AuditEvent.objects.count()
    employee_update_contact(actor=None, employee=city.staff, phone=city.staff.phone)
    assert AuditEvent.objects.count() == before


def test_chain_verifies(city):
    result = audit.verify_chain()
    assert result.ok
    assert result.checked == AuditEvent.objects.count() > 0


SQLITE_TRIGGERS = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_auditevent'"


def _tamper(sql: str, params: list) -> None:
    """Bypass the append-only trigger the way an attacker with full database access might (PostgreSQL: replica
    role; SQLite: drop the triggers, write, put them back)."""
    with transaction.atomic(), connection.cursor() as cur:
        triggers = []
        if connection.vendor == "postgresql":
            cur.execute("SET LOCAL session_replication_role = replica")
        else:
            cur.execute(SQLITE_TRIGGERS)
            triggers = cur.fetchall()
            for name, _ in triggers:
                cur.execute(f'DROP TRIGGER "{name}"')
        cur.execute(sql, params)
        for _, ddl in triggers:
            cur.execute(ddl)


def test_tampered_event_content_is_detected_at_that_event(city):
    target = AuditEvent.objects.order_by("seq")[3]
    _tamper("UPDATE audit_auditevent SET reason = %s WHERE seq = %s", ["diubah", target.seq])
    result = audit.verify_chain()
    assert not result.ok
    assert result.broken_seq == target.seq
    assert "hash" in result.problem


def test_deleted_event_is_detected(city):
    target = AuditEvent.objects.order_by("seq")[2]
    _tamper("DELETE FROM audit_auditevent WHERE seq = %s", [target.seq])
    result = audit.verify_chain()
    assert result.broken_seq == target.seq + 1


def test_audit_verify_command_reports_ok_and_broken(city, capsys):
    call_command("audit", "verify")
    assert "utuh" in capsys.readouterr().out
    _tamper("UPDATE audit_auditevent SET changes = %s WHERE seq = %s", ['{"x": [1, 2]}', 1])
    with pytest.raises(CommandError, match="#1"):
        call_command("audit", "verify")


def test_the_database_refuses_update_and_delete_of_audit_rows(city):
    """On SQLite and PostgreSQL alike, whoever asks: the ORM or raw SQL."""
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(seq=1).update(reason="x")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(seq=1).delete()
    for sql in ("UPDATE audit_auditevent SET reason = 'x' WHERE seq = 2", "DELETE FROM audit_auditevent"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql)
    assert AuditEvent.objects.filter(seq=2).values_list("reason", flat=True).get() != "x"


def test_a_large_batch_is_chained_and_verifies(city):
    """Large batches take the bulk path (COPY on PostgreSQL); the chain must read back identically."""
    items = [audit.Change("test.bulk", object_type="x", object_id=str(i), changes={"n": [None, i], "s": ["", "é"]})
             for i in range(600)]
    events = audit.record_many(city.users["admin"], items)
    assert AuditEvent.objects.filter(action="test.bulk").count() == 600
    assert events[-1].hash == AuditEvent.objects.order_by("-seq").first().hash
    assert audit.verify_chain().ok
