from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from pamong.audit.models import AuditEvent
from pamong.audit.selectors import AuditFilter, audit_chain_verify, audit_events_visible_to, audit_page
from pamong.audit.services import record
from pamong.core.errors import Forbidden


def test_log_is_newest_first_with_changes_and_sk(login, city):
    record(
        actor=city.users["admin"],
        action="rank.added",
        obj=city.staff,
        changes={"golongan": ["II/c", "II/d"]},
        reason="kenaikan pangkat reguler",
        sk_number="800/123/BKPSDM/2026",
    )
    body = login("inspector").get(reverse("audit_log")).content.decode()
    table = body[body.index('id="audit-events"') :]
    assert table.index("rank.added") < table.index("employee.created")
    for text in ("admin", "II/c", "II/d", "kenaikan pangkat reguler", "800/123/BKPSDM/2026", "people.employee"):
        assert text in table, text


def test_log_filters(login, city):
    c = login("admin")
    body = c.get(reverse("audit_log"), {"action": "unit."}).content.decode()
    assert "unit.created" in body and "employee.created" not in body
    body = c.get(reverse("audit_log"), {"object_type": "people.employee", "object_id": city.other.pk}).content.decode()
    assert "Pegawai Dinas B" in body and "Staf Satu" not in body
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    body = c.get(reverse("audit_log"), {"date_from": tomorrow.isoformat()}).content.decode()
    assert "Tidak ada peristiwa yang cocok" in body
    body = c.get(reverse("audit_log"), {"actor": "nobody"}).content.decode()
    assert "Tidak ada peristiwa yang cocok" in body


def test_keyset_pages_do_not_overlap(city):
    admin = city.users["admin"]
    total = AuditEvent.objects.count()
    seen: list[int] = []
    page = audit_page(admin, AuditFilter(), limit=4)
    while True:
        seen += [e.seq for e in page.events]
        if page.next_before is None:
            break
        page = audit_page(admin, AuditFilter(), before=page.next_before, limit=4)
    assert seen == sorted(seen, reverse=True) and len(seen) == len(set(seen)) == total


def test_older_link_in_page(login, city, monkeypatch):
    from pamong.audit import selectors

    original = selectors.audit_page
    monkeypatch.setattr(selectors, "audit_page", lambda *a, **k: original(*a, **{**k, "limit": 2}))
    body = login("admin").get(reverse("audit_log"), {"action": "employee."}).content.decode()
    assert "action=employee.&amp;before=" in body


@pytest.mark.parametrize("role", ["operator_a", "staff", "treasurer_a"])
def test_selector_refuses_others(city, role):
    user = city.users[role]
    assert not audit_events_visible_to(user).exists()
    with pytest.raises(Forbidden):
        audit_page(user, AuditFilter())
    with pytest.raises(Forbidden):
        audit_chain_verify(user)


def test_verify_button_htmx_and_plain(login, city):
    c = login("admin")
    response = c.post(reverse("audit_verify"), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "Rantai utuh" in body and "<html" not in body
    response = c.post(reverse("audit_verify"))
    assert "Rantai utuh" in response.content.decode() and "<html" in response.content.decode()


def test_verify_reports_a_broken_chain(login, city):
    from tests.audit.test_chain import _tamper  # past the append-only triggers, as an attacker would

    _tamper("UPDATE audit_auditevent SET reason = %s WHERE seq = %s", ["diubah diam-diam", 2])
    body = login("inspector").post(reverse("audit_verify"), headers={"HX-Request": "true"}).content.decode()
    assert "Rantai rusak" in body and "#2" in body


def test_log_page_does_not_verify_by_itself(login, city, monkeypatch):
    from pamong.audit import selectors

    def boom():
        raise AssertionError("verify_chain must run only on request")

    monkeypatch.setattr(selectors, "verify_chain", boom)
    assert login("admin").get(reverse("audit_log")).status_code == 200
