"""Background work of the people app (django-tasks, database backend: `pamong db_worker`)."""

from __future__ import annotations

from django_tasks import task

from .import_jobs import import_job_run


@task()
def run_import_job(job_id: int) -> None:
    import_job_run(job_id)
