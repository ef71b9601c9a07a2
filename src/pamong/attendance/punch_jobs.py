"""Machine files uploaded from the web page, imported by the background worker (django-tasks: `pamong db_worker`),
as the people Impor page does (people/import_jobs.py): the request stores the bytes and queues the job; the worker
runs punch_file_import with progress (rows read, then rows saved) and records the PunchFile or every bad row; the
page polls the job. A punch file is checked and written in one go (it is all or nothing, and idempotent: a retried
upload adds nothing), so there is no separate confirm step. Only the uploader sees a job; the stored file is
deleted when the job ends, and after FILE_MAX_AGE if it never ran."""

from __future__ import annotations

import hashlib
import logging
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from pamong.core.errors import DomainError, NotVisible, ValidationFailed

from .devices import device_get
from .models import PunchImportJob
from .punch_import import punch_file_import

log = logging.getLogger(__name__)

FILE_MAX_AGE = 24 * 3600
PROGRESS_INTERVAL = 1.0  # seconds between progress writes
MAX_UPLOAD = 64 * 2**20  # a month of a 500-person machine is ~1.5 MB of attlog; an XLSX of it a few MB
State = PunchImportJob.State


def _dir() -> Path:
    d = Path(settings.MEDIA_ROOT) / "punch-jobs"
    d.mkdir(parents=True, exist_ok=True)
    return d


def job_file(job: PunchImportJob) -> Path:
    return _dir() / f"{job.pk}.bin"


def _sweep() -> None:
    cutoff = time.time() - FILE_MAX_AGE
    for p in _dir().glob("*.bin"):
        try:
            if p.stat().st_mtime < cutoff:
                p.unlink()
        except OSError:
            pass


def punch_job_start(*, actor: Any, device_id: int, filename: str, content: bytes) -> PunchImportJob:
    """Store the upload and queue its import; refuses (403/404) a machine the actor does not manage."""
    device = device_get(actor, device_id)
    if not content:
        raise ValidationFailed("Berkas kosong.")
    if len(content) > MAX_UPLOAD:
        raise ValidationFailed(f"Berkas lebih dari {MAX_UPLOAD // 2**20} MB; pecah per bulan atau per mesin.")
    _sweep()
    job = PunchImportJob.objects.create(
        device=device, created_by=actor, filename=filename[:255], sha256=hashlib.sha256(content).hexdigest()
    )
    job_file(job).write_bytes(content)
    from .tasks import run_punch_import_job

    run_punch_import_job.enqueue(job.pk)
    job.refresh_from_db()
    return job


def punch_job_get(user: Any, pk: int) -> PunchImportJob:
    job = PunchImportJob.objects.select_related("device", "punch_file").filter(pk=pk, created_by=user).first()
    if job is None:
        raise NotVisible("Impor tidak ditemukan.")
    return job


def punch_job_run(job_id: int) -> None:
    """The worker's part: claim a queued job, import with progress, store the outcome. A job already taken is left."""
    if not PunchImportJob.objects.filter(pk=job_id, state=State.QUEUED).update(
        state=State.RUNNING, updated_at=timezone.now()
    ):
        return
    job = PunchImportJob.objects.select_related("created_by").get(pk=job_id)
    path = job_file(job)
    try:
        content = path.read_bytes()
    except OSError:
        content = b""
    if hashlib.sha256(content).hexdigest() != job.sha256:
        _finish(job, error="Berkas yang diunggah tidak ditemukan lagi (kedaluwarsa); unggah ulang.")
        return
    last: dict[str, Any] = {"at": 0.0, "phase": ""}

    def progress(phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if phase == last["phase"] and now - last["at"] < PROGRESS_INTERVAL and done != total:
            return
        last.update(at=now, phase=phase)
        PunchImportJob.objects.filter(pk=job.pk).update(
            phase=phase, rows_done=done, rows_total=total, updated_at=timezone.now()
        )

    try:
        pfile = punch_file_import(
            device_id=job.device_id, filename=job.filename, data=content, actor=job.created_by, progress=progress
        )
    except DomainError as exc:
        rows = exc.details.get("rows", []) if isinstance(exc.details, dict) else []
        _finish(job, error=str(exc.message), bad_rows=rows)
    except Exception:
        log.exception("punch import job %s failed", job.pk)
        _finish(job, error="Impor berhenti karena galat sistem; tidak ada data yang disimpan. Coba unggah lagi.")
        raise
    else:
        _finish(job, punch_file_id=pfile.pk)
    finally:
        path.unlink(missing_ok=True)


def _finish(job: PunchImportJob, *, error: str = "", bad_rows: list | None = None, punch_file_id: int | None = None
            ) -> None:  # fmt: skip
    now = timezone.now()
    PunchImportJob.objects.filter(pk=job.pk).update(
        state=State.FAILED if error else State.DONE, error=error, bad_rows=bad_rows or [],
        punch_file_id=punch_file_id, finished_at=now, updated_at=now,
    )  # fmt: skip
