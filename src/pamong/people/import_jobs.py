"""Imports from the web page as background jobs (django-tasks; the worker is `pamong db_worker`).

Every upload from the Impor page becomes an ImportJob: the file is stored under MEDIA_ROOT/import-jobs/, the
worker checks it (a dry run, which holds no lock) and records progress (rows read, then rows saved) and the
report; the page polls it. When the check found no error, its user may confirm: an apply job writes exactly
the checked bytes (same SHA-256) in bounded transactions (pamong.people.imports). One path for every file,
small or large: a request never parses or writes a whole file, and the same code is tested for both.

Only the user who uploaded a job sees it. The file is deleted when the apply job ends, when a check finds
errors, when the user cancels, and after FILE_MAX_AGE otherwise.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from pamong.core.errors import Conflict, DomainError, NotVisible

from .imports import ImportReport, RowError, check_access, import_file
from .models import ImportJob

log = logging.getLogger(__name__)

FILE_MAX_AGE = 24 * 3600  # seconds an uploaded file waits for its confirmation
PROGRESS_INTERVAL = 1.0  # seconds between progress writes (each is one short UPDATE)
State = ImportJob.State
CHECK_CRASHED = "Pemeriksaan berhenti karena galat sistem; tidak ada data yang disimpan. Coba unggah lagi."
WRITE_CRASHED = (
    "Penyimpanan berhenti karena galat sistem. Baris yang sudah tersimpan tetap tersimpan; unggah dan impor ulang "
    "berkas yang sama untuk menyimpan sisanya."
)


def _dir() -> Path:
    d = Path(settings.MEDIA_ROOT) / "import-jobs"
    d.mkdir(parents=True, exist_ok=True)
    return d


def job_file(job: ImportJob) -> Path:
    return _dir() / f"{job.source_id or job.pk}.bin"


def _sweep() -> None:
    cutoff = time.time() - FILE_MAX_AGE
    for p in _dir().glob("*.bin"):
        try:
            if p.stat().st_mtime < cutoff:
                p.unlink()
        except OSError:
            pass


def report_to_json(report: ImportReport) -> dict[str, Any]:
    data = asdict(report)
    data["errors"] = [[e.row, e.column, e.value, e.message] for e in report.errors]
    return data


def report_from_json(data: dict[str, Any]) -> ImportReport:
    return ImportReport(**{**data, "errors": [RowError(*e) for e in data.get("errors", [])]})


def _enqueue(job: ImportJob) -> None:
    from .tasks import run_import_job

    run_import_job.enqueue(job.pk)


def import_job_start(*, actor: Any, kind: str, filename: str, content: bytes, reason: str = "") -> ImportJob:
    """Store the upload and queue its check. Refuses (Forbidden, ValidationFailed) what import_file would."""
    check_access(actor=actor, kind=kind)
    _sweep()
    job = ImportJob.objects.create(
        created_by=actor,
        kind=kind,
        filename=filename[:255],
        reason=reason,
        sha256=hashlib.sha256(content).hexdigest(),
        dry_run=True,
    )
    job_file(job).write_bytes(content)
    _enqueue(job)
    return job


def import_job_get(user: Any, pk: int) -> ImportJob:
    """A job its user started; anyone else's (or none) is NotVisible."""
    job = ImportJob.objects.filter(pk=pk, created_by=user).first()
    if job is None:
        raise NotVisible("Impor tidak ditemukan.")
    return job


def can_confirm(job: ImportJob) -> bool:
    return (
        job.dry_run
        and job.state == State.DONE
        and bool(job.report)
        and not job.report["errors"]
        and not hasattr(job, "applied_by")
        and job_file(job).exists()
    )


def import_job_confirm(*, actor: Any, job: ImportJob) -> ImportJob:
    """Queue the writing of exactly the file `job` checked (once)."""
    if job.created_by_id != getattr(actor, "pk", None):
        raise NotVisible("Impor tidak ditemukan.")
    if not can_confirm(job):
        raise Conflict("Uji coba ini tidak dapat disimpan: sudah disimpan, dibatalkan, kedaluwarsa atau ada kesalahan.")
    content = job_file(job).read_bytes()
    if hashlib.sha256(content).hexdigest() != job.sha256:
        raise Conflict("Berkas uji coba berubah atau rusak; unggah ulang berkasnya.")
    check_access(actor=actor, kind=job.kind)
    try:
        with transaction.atomic():
            applied = ImportJob.objects.create(
                created_by=actor,
                kind=job.kind,
                filename=job.filename,
                reason=job.reason,
                sha256=job.sha256,
                dry_run=False,
                source=job,
            )
    except IntegrityError:  # a second click: the first one already queued it
        raise Conflict("Uji coba ini sudah disimpan.") from None
    _enqueue(applied)
    return applied


def import_job_discard(*, actor: Any, job: ImportJob) -> None:
    """Cancel a checked job that was not confirmed: its file is deleted, so it cannot be confirmed any more."""
    if job.created_by_id != getattr(actor, "pk", None):
        raise NotVisible("Impor tidak ditemukan.")
    if job.dry_run and not hasattr(job, "applied_by"):
        job_file(job).unlink(missing_ok=True)


def import_job_run(job_id: int) -> None:
    """The worker's part: claim a queued job, run the import with progress, store the report. A job that is not
    queued (already taken, e.g. a task run twice) is left alone."""
    claimed = ImportJob.objects.filter(pk=job_id, state=State.QUEUED).update(
        state=State.RUNNING, updated_at=timezone.now()
    )
    if not claimed:
        return
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    path = job_file(job)
    try:
        content = path.read_bytes()
    except OSError:
        content = b""
    if hashlib.sha256(content).hexdigest() != job.sha256:
        _finish(job, error="Berkas yang diunggah tidak ditemukan lagi (kedaluwarsa atau dibatalkan); unggah ulang.")
        return
    last: dict[str, Any] = {"at": 0.0, "phase": ""}

    def progress(phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if phase == last["phase"] and now - last["at"] < PROGRESS_INTERVAL and done != total:
            return
        last.update(at=now, phase=phase)
        ImportJob.objects.filter(pk=job.pk).update(
            phase=phase, rows_done=done, rows_total=total, updated_at=timezone.now()
        )

    try:
        report = import_file(
            actor=job.created_by,
            kind=job.kind,
            filename=job.filename,
            content=content,
            dry_run=job.dry_run,
            reason=job.reason,
            progress=progress,
        )
    except DomainError as exc:  # e.g. the user's right to import was withdrawn meanwhile
        _finish(job, error=str(exc.message))
        path.unlink(missing_ok=True)
        return
    except Exception:
        log.exception("import job %s failed", job.pk)
        _finish(job, error=CHECK_CRASHED if job.dry_run else WRITE_CRASHED)
        raise
    _finish(job, report=report)
    if not job.dry_run or report.errors:
        path.unlink(missing_ok=True)


def _finish(job: ImportJob, *, report: ImportReport | None = None, error: str = "") -> None:
    fields: dict[str, Any] = {"state": State.FAILED if error else State.DONE, "error": error}
    fields["finished_at"] = fields["updated_at"] = timezone.now()
    if report is not None:
        fields["report"] = report_to_json(report)
    ImportJob.objects.filter(pk=job.pk).update(**fields)
