"""Background work (django-tasks, database backend: `pamong db_worker`): one task per chunk of a run, so several
workers compute a run at once. The task is only a trigger; compute_chunk is idempotent, so a task that runs twice,
or after the CLI has already done the chunk, changes nothing. A chunk that fails is marked failed with its error
(the run page shows it and stops waiting) and stays retryable by recomputing."""

from __future__ import annotations

import os
import socket

from django_tasks import task

from .compute import compute_chunk, mark_failed
from .models import PayrollRun, RunChunk


@task()
def compute_chunk_task(run_id: int, index: int) -> bool:
    try:
        return compute_chunk(run_id, index, worker=f"{socket.gethostname()}:{os.getpid()}")
    except Exception as exc:
        mark_failed(run_id, index, exc)
        raise


def enqueue_chunks(run: PayrollRun) -> int:
    indexes = list(RunChunk.objects.filter(run=run).exclude(state=RunChunk.State.DONE).values_list("index", flat=True))
    for index in indexes:
        compute_chunk_task.enqueue(run.id, index)
    return len(indexes)
