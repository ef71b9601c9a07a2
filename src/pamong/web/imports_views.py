"""The Impor page: upload → a background check (dry run) with progress → its report (counts and every error) →
confirm → a background write with progress → the result. Every file goes this one way (pamong.people.import_jobs
says why); the progress box is polled by htmx and reloads the page when the job ends."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pamong.core.errors import DomainError, Forbidden, NotVisible
from pamong.people import import_jobs as jobs
from pamong.people.models import ImportJob

from .forms import IMPORT_KINDS, ImportForm
from .views import _is_partial, _vary_htmx, login_required, private

# Which permission each import kind needs (pamong.people.imports checks again; this only decides what to offer).
IMPORT_KIND_PERMS = {
    "units": "org.change_structure",
    "positions": "org.change_structure",
    "monthly": "payroll.import_inputs",
    "sanctions": "payroll.import_inputs",
}
RECENT_JOBS = 5
STALLED_AFTER = dt.timedelta(minutes=2)  # a running job that long without progress has probably lost its worker
ERRORS_SHOWN = 1_000  # rows of the error table on the page (a file of 28,000 bad rows would be a 10 MB page)


def _import_kinds(user: Any) -> list[tuple[str, Any]]:
    return [(k, label) for k, label in IMPORT_KINDS if user.has_perm(IMPORT_KIND_PERMS.get(k, "people.import_records"))]


def _require_import_right(request: HttpRequest) -> None:
    if not request.user.has_perm("people.import_records"):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
@login_required
@private
def import_page(request: HttpRequest) -> HttpResponse:
    """The upload form; a valid upload starts its check and goes to the job's page."""
    _require_import_right(request)
    kinds = _import_kinds(request.user)
    status, error = 200, ""
    form = ImportForm(kinds=kinds)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, kinds=kinds)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = jobs.import_job_start(
                    actor=request.user,
                    kind=form.cleaned_data["kind"],
                    filename=upload.name,
                    content=upload.read(),
                    reason=form.cleaned_data["reason"],
                )
            except Forbidden as exc:
                raise PermissionDenied(str(exc)) from exc
            except DomainError as exc:
                status, error = 422, str(exc.message)
            else:
                return redirect("import_job", pk=job.pk)
        else:
            status = 400
    recent = list(ImportJob.objects.filter(created_by=request.user)[:RECENT_JOBS])
    labels = dict(IMPORT_KINDS)
    for j in recent:
        j.kind_label = labels.get(j.kind, j.kind)  # type: ignore[attr-defined]
    ctx = {"form": form, "error": error, "recent": recent}
    return render(request, "web/imports/import.html", ctx, status=status)


def _job_or_404(request: HttpRequest, pk: int) -> ImportJob:
    try:
        return jobs.import_job_get(request.user, pk)
    except NotVisible as exc:
        raise Http404(str(exc)) from exc


def _job_context(job: ImportJob) -> dict[str, Any]:
    percent = round(100 * job.rows_done / job.rows_total) if job.rows_total else 0
    report = jobs.report_from_json(job.report) if job.report else None
    hidden = max(0, len(report.errors) - ERRORS_SHOWN) if report else 0
    return {
        "errors_shown": ERRORS_SHOWN,
        "errors_shown_slice": f":{ERRORS_SHOWN}",
        "errors_hidden": hidden,
        "job": job,
        "percent": percent,
        "report": report,
        "kind_label": dict(IMPORT_KINDS).get(job.kind, job.kind),
        "can_confirm": jobs.can_confirm(job),
        "stalled": job.state == ImportJob.State.RUNNING and timezone.now() - job.updated_at > STALLED_AFTER,
        "applied_by": getattr(job, "applied_by", None),
    }


@require_http_methods(["GET", "POST"])
@login_required
@private
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """A job's page: progress while it runs, then its report. POST step=confirm writes the checked file;
    step=cancel discards it."""
    _require_import_right(request)
    job = _job_or_404(request, pk)
    if request.method == "POST":
        step = request.POST.get("step", "")
        try:
            if step == "confirm":
                applied = jobs.import_job_confirm(actor=request.user, job=job)
                return redirect("import_job", pk=applied.pk)
            if step == "cancel":
                jobs.import_job_discard(actor=request.user, job=job)
                return redirect("import")
        except Forbidden as exc:
            raise PermissionDenied(str(exc)) from exc
        except DomainError as exc:
            ctx = _job_context(job) | {"error": str(exc.message)}
            return render(request, "web/imports/job.html", ctx, status=409)
        ctx = _job_context(job) | {"error": _("Permintaan tidak dikenal.")}
        return render(request, "web/imports/job.html", ctx, status=400)
    return render(request, "web/imports/job.html", _job_context(job))


@require_GET
@login_required
@private
def import_job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress box, polled by htmx every second while the job runs; when it ends, htmx reloads the page."""
    _require_import_right(request)
    job = _job_or_404(request, pk)
    response = render(request, "web/imports/_progress.html", _job_context(job))
    if _is_partial(request) and job.finished:
        response["HX-Refresh"] = "true"
    return _vary_htmx(response)
