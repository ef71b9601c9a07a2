"""Background work (django-tasks, database backend: `pamong db_worker`): one task per chunk of a run, so several
workers compute a run at once. The task is only a trigger; compute_chunk is idempotent, so a task that runs twice,
or after the CLI has already done the chunk, changes nothing. A chunk that fails is marked failed with its error
(the run page shows it and stops waiting) and stays retryable by recomputing."""

from __future__ import annotations

import contextlib
import os
import socket
import time

from django.db import DatabaseError, OperationalError
from django_tasks import task

from .compute import compute_chunk, mark_failed
from .models import PayrollRun, RunChunk

LOCKED_RETRIES = 4  # a chunk that meets a locked SQLite database waits 0.5, 1, 2, 4 s before it gives up


@task()
def compute_chunk_task(run_id: int, index: int) -> bool:
    worker = f"{socket.gethostname()}:{os.getpid()}"
    for attempt in range(LOCKED_RETRIES + 1):
        try:
            return compute_chunk(run_id, index, worker=worker)
        except OperationalError as exc:
            if "locked" not in str(exc).lower() or attempt == LOCKED_RETRIES:
                _mark_failed(run_id, index, exc)
                raise
            time.sleep(0.5 * 2**attempt)  # the chunk's transaction rolled back: nothing half-done to undo
        except Exception as exc:
            _mark_failed(run_id, index, exc)
            raise
    return False  # pragma: no cover - the loop returns or raises


def _mark_failed(run_id: int, index: int, exc: BaseException) -> None:
    with contextlib.suppress(DatabaseError):  # still locked: the chunk stays pending, the run page says it stalled
        mark_failed(run_id, index, exc)


def enqueue_chunks(run: PayrollRun) -> int:
    indexes = list(RunChunk.objects.filter(run=run).exclude(state=RunChunk.State.DONE).values_list("index", flat=True))
    for index in indexes:
        compute_chunk_task.enqueue(run.id, index)
    return len(indexes)
