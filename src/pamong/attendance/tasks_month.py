"""Background work for a month's recompute (django-tasks, database backend, `pamong worker`): one task per chunk,
like the payroll run's chunks (payroll/tasks.py). The task is only a trigger; month.month_job_chunk does the work."""

from __future__ import annotations

from django_tasks import task

from .models import MonthJob
from .month import month_job_chunk


@task()
def month_chunk_task(job_id: int, index: int) -> bool:
    return month_job_chunk(job_id, index)


def enqueue_job(job: MonthJob) -> int:
    for index in range(job.chunks_done, job.chunks_total):
        month_chunk_task.enqueue(job.id, index)
    return job.chunks_total - job.chunks_done
