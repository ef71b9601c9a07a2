"""Payroll runs and the background worker: the worker loop survives "database is locked" and computes the run; a
run whose chunks stall says so on its page (and offers "Hitung" again) instead of promising a refresh; "Hitung" is
not offered while a run computes."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pamong.core import worker as w
from pamong.payroll.models import PayrollRun, RunState, RunTransition
from pamong.payroll.services import run_compute, run_create
from tests.payroll.conftest import PERIOD


@pytest.mark.django_db(transaction=True)
def test_the_worker_loop_survives_a_locked_database_and_computes_the_run(pay, monkeypatch):
    from django_tasks_db.management.commands import db_worker

    from pamong.payroll.tasks import enqueue_chunks

    run = run_compute(pay.bpkad, run_create(pay.bpkad, period=PERIOD, kind="gaji"), enqueue=False)
    assert enqueue_chunks(run) == 1
    real = db_worker.exclusive_transaction
    calls = {"n": 0}

    @contextmanager
    def locked_twice(using=None):
        calls["n"] += 1
        if calls["n"] <= 2:  # where db_worker died: BEGIN EXCLUSIVE meets another writer's lock
            raise OperationalError("database is locked")
        with real(using):
            yield

    monkeypatch.setattr(db_worker, "exclusive_transaction", locked_twice)
    pauses: list[float] = []
    worker = w.ResilientWorker(queue_names=["default"], interval=0, batch=True, backend_name="default",
                               startup_delay=False, max_tasks=None, worker_id="test-worker",
                               excluded_queue_names=[], heartbeat=False, sleep=pauses.append)  # fmt: skip
    worker.run()
    assert worker.errors == 2 and pauses == [w.BACKOFF_MIN, w.BACKOFF_MIN * 2]
    run.refresh_from_db()
    assert run.state == RunState.COMPUTED and run.payslips.count() == 5



def pending_run(pay, minutes_ago: float) -> PayrollRun:
    """A run whose one chunk waits for a worker, started `minutes_ago`."""
    run = run_compute(pay.bpkad, run_create(pay.bpkad, period=PERIOD, kind="gaji"), enqueue=False)
    RunTransition.objects.filter(run=run).update(at=timezone.now() - dt.timedelta(minutes=minutes_ago))
    PayrollRun.objects.filter(id=run.id).update(created_at=timezone.now() - dt.timedelta(minutes=minutes_ago))
    run.refresh_from_db()
    return run


def page(pay, run: PayrollRun):
    c = Client()
    c.force_login(pay.bpkad)
    return c.get(reverse("payroll:run_detail", args=[run.pk]))


def test_a_run_with_no_live_worker_shows_it_is_stalled_and_stops_polling(pay):
    run = pending_run(pay, minutes_ago=3)
    response = page(pay, run)
    body = response.content.decode()
    assert "Perhitungan tertahan: tidak ada pekerja latar belakang yang aktif." in body
    assert "pamong worker" in body and "Halaman ini diperbarui sendiri" not in body and "hx-trigger" not in body
    assert "compute" in {a.name for a in response.context["actions"]}  # what to do: start it again
    # the polled box tells htmx to reload the page when it stalls
    c = Client()
    c.force_login(pay.bpkad)
    box = c.get(reverse("payroll:run_progress", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert box["HX-Refresh"] == "true"


def test_a_run_with_a_live_worker_is_computing_and_hitung_is_not_offered(pay):
    run = pending_run(pay, minutes_ago=3)
    w.beat("worker-1", timezone.now())
    response = page(pay, run)
    body = response.content.decode()
    assert "tertahan" not in body and "Halaman ini diperbarui sendiri" in body and "hx-trigger" in body
    assert "compute" not in {a.name for a in response.context["actions"]}
    assert "cancel" in {a.name for a in response.context["actions"]}  # a run stuck for good can still be cancelled


def test_a_run_just_started_is_given_time_for_a_worker(pay):
    run = pending_run(pay, minutes_ago=0)
    assert "tertahan" not in page(pay, run).content.decode()


def test_a_live_worker_but_no_progress_for_long_is_a_stall_too(pay):
    run = pending_run(pay, minutes_ago=30)
    w.beat("worker-1", timezone.now())
    body = page(pay, run).content.decode()
    assert "Perhitungan tertahan: sudah lama tidak ada kelompok yang selesai." in body
    assert RunState(run.state) == RunState.DRAFT
