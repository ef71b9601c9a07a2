"""Signed checkpoints anchor the chain: truncation and re-chaining with recomputed hashes are detected."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from pamong.audit import services as audit
from pamong.audit.anchor import Checkpoint, read_checkpoints
from pamong.audit.models import AuditEvent

from .test_chain import _tamper


@pytest.fixture
def chain(city, settings, tmp_path):
    """The city's events plus 20 more, and a checkpoint file of this test's own."""
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "cp.jsonl"
    items = [audit.Change("test.event", object_type="x", object_id=str(i), changes={"n": [None, i]}) for i in range(20)]
    audit.record_many(city.users["admin"], items)
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()


def _rechain_from(seq: int) -> None:
    """Change event `seq` and recompute its hash and every later one: the plain chain verifies again."""
    rows = list(AuditEvent.objects.filter(seq__gte=seq).order_by("seq"))
    prev = AuditEvent.objects.get(seq=seq - 1).hash
    for ev in rows:
        if ev.seq == seq:
            ev.reason = "ditulis ulang"
        ev.prev_hash = prev
        ev.hash = prev = audit.event_hash(prev, audit._content(ev))
        _tamper(
            "UPDATE audit_auditevent SET reason = %s, prev_hash = %s, hash = %s WHERE seq = %s",
            [ev.reason, ev.prev_hash, ev.hash, ev.seq],
        )


def test_an_intact_chain_verifies_against_its_checkpoints(chain, capsys):
    call_command("audit", "checkpoint")
    line = capsys.readouterr().out.strip()
    cp = Checkpoint.from_json(line)
    assert (cp.seq, cp.count) == (chain, chain) and cp.authentic
    assert read_checkpoints() == [cp]
    audit.record(actor=None, action="test.later", object_type="x", object_id="later")
    result = audit.verify_chain()
    assert result.ok and result.checkpoints == 1 and result.latest_checkpoint == cp
    assert result.head[0] == chain + 1
    call_command("audit", "verify")
    assert "utuh" in capsys.readouterr().out


def test_truncating_the_last_events_is_detected(chain):
    audit.checkpoint_take()
    _tamper("DELETE FROM audit_auditevent WHERE seq > %s", [chain - 5])
    result = audit.verify_chain()
    assert not result.ok and result.broken_seq == chain - 4
    assert "dihapus" in result.problem
    with pytest.raises(CommandError, match=f"#{chain - 4}"):
        call_command("audit", "verify")


def test_rechaining_from_a_middle_event_is_detected(chain):
    audit.checkpoint_take()
    middle = chain - 10
    _rechain_from(middle)
    assert audit.verify_chain(checkpoints=[]).ok  # the plain chain cannot tell
    result = audit.verify_chain()
    assert not result.ok and result.broken_seq == chain and "dihitung ulang" in result.problem


def test_rechaining_and_appending_events_past_the_checkpoint_is_detected(chain):
    audit.checkpoint_take()
    _rechain_from(chain - 3)
    audit.record(actor=None, action="test.later", object_type="x", object_id="later")
    assert not audit.verify_chain().ok


def test_tampering_one_event_is_detected_with_or_without_checkpoints(chain):
    audit.checkpoint_take()
    _tamper("UPDATE audit_auditevent SET object_repr = %s WHERE seq = %s", ["palsu", 4])
    for cps in (None, []):
        result = audit.verify_chain(checkpoints=cps)
        assert result.broken_seq == 4 and "hash" in result.problem


def test_a_checkpoint_file_rewritten_without_the_key_is_refused(chain, settings):
    audit.checkpoint_take()
    _rechain_from(chain - 10)
    head = AuditEvent.objects.get(seq=chain)
    forged = Checkpoint(chain, head.hash, chain, "2026-12-01T00:00:00+00:00", hmac="0" * 64)
    settings.AUDIT_CHECKPOINT_FILE.write_text(forged.to_json() + "\n")
    result = audit.verify_chain()
    assert not result.ok and "HMAC" in result.problem
    # signed under another key (say, a copied SECRET_KEY that is not the audit key) is refused too
    settings.AUDIT_KEY = "kunci-penyerang"
    settings.AUDIT_CHECKPOINT_FILE.write_text(forged.signed().to_json() + "\n")
    settings.AUDIT_KEY = "kunci-asli"
    assert "HMAC" in audit.verify_chain().problem


def test_checkpoint_is_refused_on_a_broken_chain_and_verifies_only_new_events(chain):
    first, _ = audit.checkpoint_take()
    audit.record(actor=None, action="test.later", object_type="x", object_id="later")
    second, result = audit.checkpoint_take()
    assert result.checked == 1 and second.seq == first.seq + 1  # only the event since the last checkpoint
    _tamper("UPDATE audit_auditevent SET reason = %s WHERE seq = %s", ["x", second.seq])
    with pytest.raises(CommandError, match="DITOLAK"):
        call_command("audit", "checkpoint")
    assert len(read_checkpoints()) == 2


def test_an_external_checkpoint_line_is_checked_too(chain, capsys, tmp_path):
    call_command("audit", "checkpoint")
    line = capsys.readouterr().out.strip()
    _tamper("DELETE FROM audit_auditevent WHERE seq = %s", [chain])
    # the attacker also removed the file; the line kept elsewhere still catches it
    read_path = tmp_path / "cp.jsonl"
    read_path.unlink()
    assert audit.verify_chain().ok
    with pytest.raises(CommandError, match="dihapus"):
        call_command("audit", "verify", "--checkpoint", line)
    assert json.loads(line)["seq"] == chain


@pytest.mark.django_db(transaction=True)
def test_flush_passes_the_triggers_and_keeps_them(city):
    assert AuditEvent.objects.exists()
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    audit.record(actor=None, action="test.after_flush", object_type="x", object_id="1")
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cur:
        cur.execute("DELETE FROM audit_auditevent")


def test_the_audit_page_reports_the_checkpoints(chain, client, city):
    client.force_login(city.users["inspector"])

    def status() -> str:
        return client.post("/audit/verifikasi/", headers={"HX-Request": "true"}).content.decode()

    assert "Belum ada checkpoint" in status()
    cp, _ = audit.checkpoint_take()
    assert f"yang terakhir sampai peristiwa #{cp.seq}" in status()
    _tamper("DELETE FROM audit_auditevent WHERE seq = %s", [cp.seq])
    assert "Rantai rusak" in status() and "dihapus" in status()
