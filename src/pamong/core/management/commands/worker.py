"""`pamong worker`: the background worker (django-tasks-db's db_worker) that survives database errors, beats a
heartbeat, and — started by `pamong serve`/`pamong demo` — stops with its parent. Same options as db_worker."""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from pamong.core.lifeline import die_with_parent
from pamong.core.worker import ResilientWorker


class Command(DbWorkerCommand):  # type: ignore[misc]
    help = (
        "Pekerja latar belakang (tugas di basis data): bertahan bila basis data terkunci. / The background worker: "
        "retries when the database is locked instead of dying."
    )

    def handle(self, *, verbosity: int, queue_name: str, interval: float, batch: bool, backend_name: str,
               startup_delay: bool, max_tasks: int | None, worker_id: str, exclude_queues: str,
               **options: Any) -> None:  # fmt: skip
        die_with_parent()
        self.configure_logging(verbosity)
        excluded = exclude_queues.split(",") if exclude_queues else []
        worker = ResilientWorker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        worker.configure_signals()
        worker.run()
