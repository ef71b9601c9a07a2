"""Pages of the month: my correction requests (file, cancel), the requests I decide as atasan, an evidence file,
and BKPSDM's recompute of a month with its progress. Thin: parse, call one service or selector, render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.db.models import Count, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pamong.accounts.access import access_for
from pamong.core.errors import DomainError, NotVisible, ValidationFailed
from pamong.web.views import login_required, private

from . import corrections as svc
from .locks import month_locked
from .models import Correction, MonthJob, MonthRecap, RequestState
from .month import STALE_AFTER, first_of, month_job_start

MAX_LISTED = 100


def _error(request: HttpRequest, exc: DomainError) -> None:
    messages.error(request, str(exc.message))


def _time(value: str) -> dt.time | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return dt.time.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(_("Jam tidak dapat dibaca; tulis JJ:MM, misalnya 07:30.")) from None


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        raise ValidationFailed(_("Tanggal tidak dapat dibaca.")) from None


# --- my corrections ------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
@private
def my_corrections(request: HttpRequest) -> HttpResponse:
    a = access_for(request.user)
    if a.employee_id is None:
        raise Http404(_("Halaman ini untuk pegawai."))
    status = 200
    form: dict[str, Any] = {}
    if request.method == "POST":
        form = request.POST.dict()
        upload = request.FILES.get("evidence")
        try:
            evidence = (upload.name or "", upload.read(svc.MAX_EVIDENCE_BYTES + 1)) if upload else None
            svc.correction_submit(actor=request.user, date=_date(form.get("date", "")), kind=form.get("kind", ""),
                                  reason=form.get("reason", ""), masuk=_time(form.get("masuk", "")),
                                  pulang=_time(form.get("pulang", "")), evidence=evidence)  # fmt: skip
        except DomainError as exc:
            _error(request, exc)
            status = 422 if exc.status in (400, 422) else exc.status
        else:
            messages.success(request, _("Koreksi presensi diajukan ke atasan Anda."))
            return redirect("attendance:corrections")
    rows = list(
        Correction.objects.filter(employee_id=a.employee_id)
        .select_related("approver")
        .order_by("-date", "-id")[:MAX_LISTED]
    )
    ctx = {"rows": rows, "kinds": Correction.Kind.choices, "form": form, "today": timezone.localdate(),
           "submitted": RequestState.SUBMITTED}  # fmt: skip
    return render(request, "attendance/corrections_mine.html", ctx, status=status)


@require_POST
@login_required
def correction_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        svc.correction_cancel(actor=request.user, correction_id=pk)
    except NotVisible as exc:
        raise Http404(str(exc.message)) from exc
    except DomainError as exc:
        _error(request, exc)
    else:
        messages.success(request, _("Pengajuan koreksi dibatalkan."))
    return redirect("attendance:corrections")


@require_GET
@login_required
@private
def correction_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    row = svc.corrections_visible_to(request.user).filter(pk=pk).first()
    if row is None or not row.evidence:
        raise Http404(_("Bukti tidak ditemukan."))
    try:
        fh = row.evidence.open("rb")
    except OSError as exc:
        raise Http404(_("Berkas bukti tidak ditemukan.")) from exc
    name = row.evidence.name.rsplit("/", 1)[-1]
    types = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg"}
    resp = FileResponse(fh, as_attachment=True, filename=name,
                        content_type=types.get(name[name.rfind("."):], "application/octet-stream"))  # fmt: skip
    resp["X-Content-Type-Options"] = "nosniff"
    resp["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return resp


# --- corrections I decide -----------------------------------------------------------------------------------------


@require_GET
@login_required
@private
def corrections_to_decide(request: HttpRequest) -> HttpResponse:
    rows = list(svc.corrections_to_decide(request.user).select_related("employee").order_by("date", "id")[:MAX_LISTED])
    if not rows and not access_for(request.user).is_supervisor and not access_for(request.user).has("admin_bkpsdm"):
        raise Http404(_("Tidak ada koreksi yang Anda putus."))
    return render(request, "attendance/corrections_decide.html", {"rows": rows})


@require_POST
@login_required
def correction_decide(request: HttpRequest, pk: int) -> HttpResponse:
    decision = request.POST.get("decision")
    note = request.POST.get("note", "")
    try:
        if decision == "approve":
            svc.correction_approve(actor=request.user, correction_id=pk, note=note)
            messages.success(request, _("Koreksi disetujui; presensi hari itu sudah diperbarui."))
        elif decision == "reject":
            svc.correction_reject(actor=request.user, correction_id=pk, note=note)
            messages.success(request, _("Koreksi ditolak."))
        else:
            messages.error(request, _("Pilih setujui atau tolak."))
    except NotVisible as exc:
        raise Http404(str(exc.message)) from exc
    except DomainError as exc:
        _error(request, exc)
    return redirect("attendance:corrections_to_decide")


# --- the month's recompute (BKPSDM) -----------------------------------------------------------------------------------


def _require_bkpsdm(request: HttpRequest) -> None:
    if not access_for(request.user).has("admin_bkpsdm"):
        raise Http404(_("Halaman tidak ditemukan."))


def _months(today: dt.date) -> list[dt.date]:
    first = today.replace(day=1)
    out = []
    for k in range(12):
        y, m = divmod(first.year * 12 + first.month - 1 - k, 12)
        out.append(dt.date(y, m + 1, 1))
    return out


def _progress(job: MonthJob | None) -> dict[str, Any]:
    if job is None:
        return {"job": None, "running": False, "stale": False, "percent": 0}
    percent = round(100 * job.chunks_done / job.chunks_total) if job.chunks_total else 100
    running = job.state == MonthJob.State.RUNNING
    stale = running and job.started_at < timezone.now() - STALE_AFTER
    return {"job": job, "running": running and not stale, "stale": stale, "percent": percent}


@require_http_methods(["GET", "POST"])
@login_required
@private
def month_page(request: HttpRequest) -> HttpResponse:
    _require_bkpsdm(request)
    today = timezone.localdate()
    raw = request.POST.get("bulan") or request.GET.get("bulan") or f"{today:%Y-%m}"
    try:
        period = first_of(raw)
    except DomainError as exc:
        _error(request, exc)
        period = today.replace(day=1)
    status = 200
    if request.method == "POST":
        try:
            job = month_job_start(period=period, actor=request.user)
        except DomainError as exc:
            _error(request, exc)
            status = exc.status if exc.status >= 400 else 400
        else:
            messages.success(request, _("Perhitungan ulang rekap presensi dimulai."))
            return redirect(f"{request.path}?bulan={period:%Y-%m}#proses-{job.pk}")
    job = MonthJob.objects.filter(period=period).select_related("started_by").first()
    sums = MonthRecap.objects.filter(period=period).aggregate(
        n=Count("id"), tk=Sum("tk"), hadir=Sum("hadir"), sah=Sum("tidak_hadir_sah"), kerja=Sum("hari_kerja")
    )
    ctx = {
        "period": period,
        "months": _months(today),
        "locked": month_locked(period),
        "sums": sums,
        **_progress(job),
    }
    return render(request, "attendance/month_recompute.html", ctx, status=status)


@require_GET
@login_required
@private
def month_job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress box, polled by htmx every 2 s while the job runs; when it ends the whole page reloads."""
    _require_bkpsdm(request)
    job = MonthJob.objects.filter(pk=pk).first()
    if job is None:
        raise Http404(_("Proses tidak ditemukan."))
    ctx = _progress(job)
    response = render(request, "attendance/_month_progress.html", ctx)
    if request.headers.get("HX-Request") and not ctx["running"]:
        response["HX-Refresh"] = "true"
    response["Vary"] = "HX-Request"
    return response
