"""Background workers (django-tasks, database backend) that stay up.

- `ResilientWorker` (`pamong worker`): django-tasks-db's db_worker loop, restarted in-process with a growing pause
  when the database refuses it (SQLite "database is locked" while a long write holds the lock, a dropped
  PostgreSQL connection) instead of dying; it writes a heartbeat (core.WorkerBeat) every few seconds so pages can
  tell work in progress from work nobody is doing.
- `Supervisor`: `pamong serve` and `pamong demo` run the worker as a child process and start it again if it dies.
  The child stops with its parent: on SIGTERM/SIGINT (`install_stop_signals`), at exit, and — on Linux — even if the
  parent is killed outright (the child asks the kernel for SIGTERM when its parent goes: PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from django.db import close_old_connections, connections
from django.db.utils import DatabaseError, OperationalError
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker

from .lifeline import SUPERVISED_BY

log = logging.getLogger("pamong.worker")

HEARTBEAT_EVERY = 5.0  # seconds between heartbeats
WORKER_STALE = dt.timedelta(seconds=60)  # a worker not heard from for this long is not alive
BACKOFF_MIN, BACKOFF_MAX = 0.5, 30.0  # pause after a database error, doubling up to the maximum


# --- heartbeat -------------------------------------------------------------------------------------------------


def beat(worker_id: str, started_at: dt.datetime) -> None:
    from .models import WorkerBeat

    WorkerBeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "beat_at": timezone.now(),
        },  # fmt: skip
    )


def forget(worker_id: str) -> None:
    from .models import WorkerBeat

    WorkerBeat.objects.filter(worker_id=worker_id).delete()


def live_workers(within: dt.timedelta = WORKER_STALE) -> int:
    """How many workers were heard from recently."""
    from .models import WorkerBeat

    return WorkerBeat.objects.filter(beat_at__gte=timezone.now() - within).count()


class _Heartbeat(threading.Thread):
    """Beats from its own thread (its own connection), so a long task does not make the worker look dead."""

    def __init__(self, worker_id: str, every: float = HEARTBEAT_EVERY) -> None:
        super().__init__(name="pamong-heartbeat", daemon=True)
        self.worker_id, self.every = worker_id, every
        self.started_at = timezone.now()
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                beat(self.worker_id, self.started_at)
            except DatabaseError as exc:  # locked or unreachable: the next beat tries again
                log.warning("heartbeat not written: %s", exc)
            finally:
                connections.close_all()
            self.stopped.wait(self.every)

    def stop(self) -> None:
        self.stopped.set()


# --- the worker loop -------------------------------------------------------------------------------------------


class ResilientWorker(Worker):  # type: ignore[misc]
    """db_worker's loop, resumed after a database error instead of ending the process. A task interrupted by the
    error is not lost: payroll chunks are idempotent and a stalled run says so on its page."""

    backoff_min, backoff_max = BACKOFF_MIN, BACKOFF_MAX

    def __init__(self, *args: Any, heartbeat: bool = True, sleep: Callable[[float], None] = time.sleep,
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.heartbeat = heartbeat
        self.sleep = sleep
        self.errors = 0

    def run(self) -> None:
        pulse = _Heartbeat(self.worker_id) if self.heartbeat else None
        if pulse is not None:
            pulse.start()
        delay = self.backoff_min
        try:
            while self.running:
                try:
                    super().run()
                    return  # --batch or --max-tasks reached
                except OperationalError as exc:
                    self.errors += 1
                    log.warning("worker: database error (%s); trying again in %.1f s", exc, delay)
                    self._reset_connections()
                    self.sleep(delay)
                    delay = min(delay * 2, self.backoff_max)
        finally:
            if pulse is not None:
                pulse.stop()
                with contextlib.suppress(DatabaseError):
                    forget(self.worker_id)

    @staticmethod
    def _reset_connections() -> None:
        for conn in connections.all():
            try:
                if conn.in_atomic_block:
                    conn.set_rollback(True)
                conn.close()
            except DatabaseError:
                pass
        close_old_connections()


# --- the supervisor --------------------------------------------------------------------------------------------


def worker_command() -> list[str]:
    return [sys.executable, "-m", "pamong.cli", "worker", "--interval", "0.5", "--no-startup-delay"]


class Supervisor:
    """Runs a worker child and starts it again when it exits (with a growing pause if it keeps dying at once)."""

    def __init__(self, argv: Sequence[str] | None = None, *, restart_min: float = 1.0, restart_max: float = 30.0,
                 out: Callable[[str], None] | None = None) -> None:  # fmt: skip
        self.argv = list(argv) if argv is not None else worker_command()
        self.restart_min, self.restart_max = restart_min, restart_max
        self.out = out or (lambda msg: print(msg, flush=True))
        self.proc: subprocess.Popen[bytes] | None = None
        self.restarts = 0
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._loop, name="pamong-worker-supervisor", daemon=True)

    def start(self) -> Supervisor:
        atexit.register(self.stop)
        self._thread.start()
        return self

    def _spawn(self) -> subprocess.Popen[bytes] | None:
        with self._lock:
            if self._stopping.is_set():
                return None
            env = dict(os.environ, **{SUPERVISED_BY: str(os.getpid())})
            self.proc = subprocess.Popen(self.argv, env=env)
            return self.proc

    def _loop(self) -> None:
        # spawned from this thread, which lives as long as the supervisor: PR_SET_PDEATHSIG follows the thread
        delay = self.restart_min
        while not self._stopping.is_set():
            started = time.monotonic()
            proc = self._spawn()
            if proc is None:
                return
            self.out(f"Pekerja latar belakang berjalan (pid {proc.pid}).")
            code = proc.wait()
            if self._stopping.is_set():
                return
            if time.monotonic() - started > 60:
                delay = self.restart_min  # it ran for a while: this is a new failure, not a crash loop
            self.restarts += 1
            self.out(f"Pekerja latar belakang berhenti (kode {code}); dijalankan lagi dalam {delay:.0f} detik.")
            self._stopping.wait(delay)
            delay = min(delay * 2, self.restart_max)

    def stop(self, timeout: float = 5.0) -> None:
        with self._lock:
            self._stopping.set()
            proc = self.proc
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=timeout)


def install_stop_signals(supervisor: Supervisor) -> None:
    """SIGTERM (and SIGINT) stop the worker child first, then end the server: without this a SIGTERM ends the parent
    without running atexit and the child outlives it."""

    def handler(signum: int, frame: Any) -> None:
        supervisor.stop()
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def start_worker() -> Supervisor:
    """For `pamong serve` / `pamong demo` (main thread): a supervised worker that stops with the server."""
    supervisor = Supervisor().start()
    install_stop_signals(supervisor)
    return supervisor
