"""Background work (django-tasks, database backend: `pamong worker` runs `db_worker`): one task per chunk of a run,
so several workers compute a run at once. The task is only a trigger; compute_chunk is idempotent, so a task that
runs twice, or after the CLI has already done the chunk, changes nothing."""

from __future__ import annotations

import os
import socket

from django_tasks import task

from .compute import compute_chunk
from .models import PayrollRun, RunChunk


@task()
def compute_chunk_task(run_id: int, index: int) -> bool:
    return compute_chunk(run_id, index, worker=f"{socket.gethostname()}:{os.getpid()}")


def enqueue_chunks(run: PayrollRun) -> int:
    indexes = list(RunChunk.objects.filter(run=run).exclude(state=RunChunk.State.DONE).values_list("index", flat=True))
    for index in indexes:
        compute_chunk_task.enqueue(run.id, index)
    return len(indexes)
