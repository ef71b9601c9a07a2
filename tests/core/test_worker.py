"""The background worker stays up: the supervisor starts a dead child again, and the heartbeat tells live workers
from gone ones (the loop surviving "database is locked" is tested with a payroll run: tests/payroll/test_worker.py)."""

from __future__ import annotations

import datetime as dt
import sys
import time

from django.utils import timezone

from pamong.core import worker as w
from pamong.core.models import WorkerBeat


def wait_for(condition, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_the_supervisor_starts_a_dead_child_again():
    said: list[str] = []
    sup = w.Supervisor([sys.executable, "-c", "import sys; sys.exit(3)"], restart_min=0.01, restart_max=0.05,
                       out=said.append).start()  # fmt: skip
    try:
        assert wait_for(lambda: sup.restarts >= 2)
    finally:
        sup.stop()
    assert any("berhenti (kode 3)" in s for s in said)
    assert sum("berjalan (pid" in s for s in said) >= 2


def test_stopping_the_supervisor_stops_a_running_child():
    sup = w.Supervisor([sys.executable, "-c", "import time; time.sleep(60)"], out=lambda s: None).start()
    assert wait_for(lambda: sup.proc is not None)
    proc = sup.proc
    sup.stop()
    assert proc is not None and proc.poll() is not None and sup.restarts == 0


def test_the_heartbeat_tells_live_workers_from_gone_ones(db):
    assert w.live_workers() == 0
    w.beat("a", timezone.now())
    assert w.live_workers() == 1
    WorkerBeat.objects.filter(worker_id="a").update(beat_at=timezone.now() - dt.timedelta(minutes=5))
    assert w.live_workers() == 0
    w.beat("a", timezone.now())
    w.forget("a")
    assert w.live_workers() == 0
