"""Background work of the attendance app (django-tasks, database backend: `pamong db_worker`)."""

from __future__ import annotations

from django_tasks import task

from .punch_jobs import punch_job_run


@task()
def run_punch_import_job(job_id: int) -> None:
    punch_job_run(job_id)
