"""Runs against a database writer and against races: the state trigger (a raw UPDATE cannot move an approved run
back), row history of runs and payslips on PostgreSQL, one unapproved run per month/kind/scope (a constraint, a
clear 409), and cancelling a run that is not approved."""

from __future__ import annotations

import threading

import pytest
from django.db import DatabaseError, IntegrityError, connection, connections, transaction
from django.test import Client
from django.urls import reverse

from pamong.audit.models import AuditEvent
from pamong.core.errors import Conflict, Forbidden, TransitionRefused, ValidationFailed
from pamong.payroll.models import PayrollRun, Payslip, RunChunk, RunState
from pamong.payroll.services import run_cancel, run_compute, run_create, run_pay
from tests.payroll.conftest import PERIOD


def raw_state(run_id: int, state: str) -> None:
    with connection.cursor() as cur:
        cur.execute("UPDATE payroll_payrollrun SET state = %s WHERE id = %s", [state, run_id])


# --- the state trigger -----------------------------------------------------------------------------------------


def test_raw_sql_cannot_move_an_approved_run_back(pay):
    run = pay.approve(pay.compute("gaji"))
    for back in ("computed", "draft", "verified", "cancelled"):
        with pytest.raises(DatabaseError), transaction.atomic():
            raw_state(run.id, back)
    assert PayrollRun.objects.get(id=run.id).state == RunState.APPROVED
    raw_state(run.id, "paid")  # forward is allowed
    with pytest.raises(DatabaseError), transaction.atomic():
        raw_state(run.id, "approved")
    raw_state(run.id, "closed")
    for back in ("paid", "approved", "computed"):
        with pytest.raises(DatabaseError), transaction.atomic():
            raw_state(run.id, back)
    assert PayrollRun.objects.get(id=run.id).state == RunState.CLOSED


def test_raw_sql_may_still_move_unapproved_runs_and_update_other_fields(pay):
    run = pay.compute("gaji")
    raw_state(run.id, "draft")  # below approval the services are the rule (a recompute goes back to draft)
    run = pay.approve(pay.compute("tpp"))
    PayrollRun.objects.filter(id=run.id).update(note="catatan")  # the state stays: allowed


def test_a_cancelled_run_stays_cancelled(pay):
    run = run_cancel(pay.bpkad, pay.compute("gaji"), "salah bulan")
    with pytest.raises(DatabaseError), transaction.atomic():
        raw_state(run.id, "computed")


def test_the_run_state_trigger_exists_after_every_migration(db):
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'payroll_payrollrun'")
        else:
            cur.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = 'payroll_payrollrun'::regclass")
        names = {row[0] for row in cur.fetchall()}
    assert {"run_state_guard_update"} <= names or {"run_state_guard"} <= names


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pghistory triggers exist on PostgreSQL")
def test_runs_and_payslips_have_row_history_on_postgresql(pay):
    run = pay.compute("gaji")
    events = PayrollRun.pgh_event_model.objects.filter(pgh_obj_id=run.id)
    assert events.filter(pgh_label="insert").count() == 1
    assert "computed" in set(events.values_list("state", flat=True))
    run = pay.approve(run)
    run = run_pay(pay.bpkad, run, "SP2D-9")
    assert {"approved", "paid"} <= set(events.values_list("state", flat=True))
    # a raw update of an unfrozen payslip keeps the row as it was
    draft = pay.compute("tpp")
    slip = draft.payslips.first()
    with connection.cursor() as cur:
        cur.execute("UPDATE payroll_payslip SET bersih = 1 WHERE id = %s", [slip.id])
    old = Payslip.pgh_event_model.objects.get(pgh_obj_id=slip.id, pgh_label="before_update")
    assert old.bersih == slip.bersih
    run_compute(pay.bpkad, draft, enqueue=False)  # deletes the draft's payslips: each is kept in the history
    assert Payslip.pgh_event_model.objects.filter(pgh_label="before_delete", run_id=draft.id).count() == 5


# --- one open run per month, kind and scope -------------------------------------------------------------------


def test_a_second_create_for_the_same_month_kind_and_scope_is_refused_clearly(pay):
    first = run_create(pay.bpkad, period=PERIOD, kind="gaji")
    with pytest.raises(Conflict, match="Sudah ada proses penggajian Gaji induk 11/2026 untuk seluruh kota") as exc:
        run_create(pay.bpkad, period=PERIOD, kind="gaji")
    assert exc.value.status == 409 and exc.value.details == {"run": first.id}
    # overlapping scopes are the same people: an OPD inside a city run, a city run over an OPD's run
    with pytest.raises(Conflict):
        run_create(pay.bpkad, period=PERIOD, kind="gaji", scope=pay.city.opd_a)
    run_create(pay.bpkad, period=PERIOD, kind="tpp", scope=pay.city.opd_a)
    with pytest.raises(Conflict, match="untuk Dinas A"):
        run_create(pay.bpkad, period=PERIOD, kind="tpp")
    run_create(pay.bpkad, period=PERIOD, kind="tpp", scope=pay.city.opd_b)  # another OPD: fine
    assert PayrollRun.objects.count() == 3


def test_the_database_refuses_a_second_open_run_even_past_the_service(pay):
    run_create(pay.bpkad, period=PERIOD, kind="gaji")
    with pytest.raises(IntegrityError), transaction.atomic():
        PayrollRun.objects.create(period=PERIOD, kind="gaji", region="sawahlunto", created_by=pay.bpkad)
    scoped = PayrollRun.objects.create(period=PERIOD, kind="tpp", scope=pay.city.opd_a, region="sawahlunto",
                                       created_by=pay.bpkad)  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        PayrollRun.objects.create(period=PERIOD, kind="tpp", scope=pay.city.opd_a, region="sawahlunto",
                                  created_by=pay.bpkad)  # fmt: skip
    assert scoped.state == RunState.DRAFT


def test_the_web_form_refuses_the_second_create_with_409_and_a_message(pay):
    c = Client()
    c.force_login(pay.bpkad)
    url = reverse("payroll:run_list")
    assert c.post(url, {"month": "2026-11", "kind": "gaji"}).status_code == 302
    response = c.post(url, {"month": "2026-11", "kind": "gaji"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Sudah ada proses penggajian" in body and "IntegrityError" not in body and "UNIQUE" not in body
    assert PayrollRun.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_creates_racing_in_threads_one_wins_the_other_is_refused(pay, monkeypatch):
    """Real threads on PostgreSQL, released together after both passed the service's check (the check is made to
    see nothing): the constraint refuses the second insert and the service reports a Conflict."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers")
    from pamong.payroll import services

    monkeypatch.setattr(services, "_lock_month", lambda period, kind: None)  # the race the lock would prevent
    monkeypatch.setattr(services, "_refuse_open_overlap", lambda run: None)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    real_save = PayrollRun.save

    def save(self, *args, **kwargs):
        if self.pk is None:
            barrier.wait(10)
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(PayrollRun, "save", save)

    def create() -> None:
        try:
            run_create(pay.bpkad, period=PERIOD, kind="gaji")
            outcomes.append("created")
        except Conflict as exc:
            outcomes.append(exc.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert outcomes.count("created") == 1 and len(outcomes) == 2
    assert "Sudah ada proses penggajian" in next(o for o in outcomes if o != "created")
    assert PayrollRun.objects.filter(period=PERIOD, kind="gaji").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_creates_racing_with_the_lock_one_is_refused_by_the_check(pay):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def create(scope) -> None:
        try:
            barrier.wait(10)
            run_create(pay.bpkad, period=PERIOD, kind="gaji", scope=scope)
            outcomes.append("created")
        except Conflict:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create, args=(s,)) for s in (None, pay.city.opd_a)]  # overlapping scopes
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["created", "refused"]


# --- cancelling ------------------------------------------------------------------------------------------------


def test_cancel_then_create_again_works(pay):
    run = pay.compute("gaji")
    with pytest.raises(ValidationFailed, match="Alasan pembatalan wajib diisi"):
        run_cancel(pay.bpkad, run, "  ")
    run = run_cancel(pay.bpkad, run, "dibuat dua kali")
    assert run.state == RunState.CANCELLED
    assert not run.payslips.exists() and not RunChunk.objects.filter(run=run).exists()
    assert run.transitions.last().reason == "dibuat dua kali"
    event = AuditEvent.objects.filter(action="payroll.run.cancel", object_id=str(run.id)).get()
    assert event.reason == "dibuat dua kali" and event.changes["payslips"] == [5, 0]
    again = pay.compute("gaji")
    assert again.state == RunState.COMPUTED and again.payslips.count() == 5


def test_only_unapproved_runs_are_cancelled_and_by_who_manages_them(pay):
    run = pay.compute("gaji")
    with pytest.raises(Forbidden):
        run_cancel(pay.treasurer_a, run, "bukan lingkup saya")  # a city run: the head's
    run = pay.approve(run)
    with pytest.raises(TransitionRefused, match="Tidak dapat membatalkan: proses penggajian berstatus Disetujui"):
        run_cancel(pay.bpkad, run, "terlambat")
    scoped = run_create(pay.treasurer_a, period=PERIOD, kind="tpp", scope=pay.city.opd_a)
    assert run_cancel(pay.treasurer_a, scoped, "salah").state == RunState.CANCELLED


def test_cancel_from_the_run_page_needs_the_confirmation(pay):
    run = pay.compute("gaji")
    c = Client()
    c.force_login(pay.bpkad)
    page = c.get(reverse("payroll:run_detail", args=[run.pk])).content.decode()
    assert "Batalkan proses ini" in page and 'name="confirm"' in page
    url = reverse("payroll:run_action", args=[run.pk])
    response = c.post(url, {"action": "cancel", "version": run.version, "reason": "duplikat"})
    assert response.status_code == 422 and PayrollRun.objects.get(id=run.id).state == RunState.COMPUTED
    response = c.post(url, {"action": "cancel", "version": run.version, "reason": "duplikat", "confirm": "1"})
    assert response.status_code == 302 and PayrollRun.objects.get(id=run.id).state == RunState.CANCELLED
    page = c.get(reverse("payroll:run_detail", args=[run.pk])).content.decode()
    assert "Dibatalkan" in page and "duplikat" in page


def test_a_chunk_meeting_another_runs_payslip_says_so_plainly(pay):
    """Another run paid one of this run's employees after the chunks were planned (only possible past the services):
    the chunk fails with a plain explanation, not the raw constraint error."""
    run = run_compute(pay.bpkad, run_create(pay.bpkad, period=PERIOD, kind="gaji", scope=pay.city.opd_b),
                      enqueue=False)  # fmt: skip
    other = PayrollRun.objects.create(period=PERIOD, kind="gaji", region="sawahlunto", created_by=pay.bpkad,
                                      state=RunState.CANCELLED)  # fmt: skip
    Payslip.objects.create(run=other, employee=pay.city.other, period=PERIOD, kind="gaji", opd=pay.city.opd_b,
                           facts={}, lines={}, bruto=0, potongan=0, bersih=0, trace={})  # fmt: skip
    from pamong.payroll import compute

    with pytest.raises(IntegrityError):
        compute.work(run.id)
    error = RunChunk.objects.get(run=run, index=0).error
    assert "sudah punya slip" in error and "UNIQUE" not in error and "duplicate key" not in error
