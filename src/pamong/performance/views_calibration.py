"""Calibration pages under /kinerja/kalibrasi/: the pools and sessions of a period, one session's panel, the
assessor-assignment planner. Thin: each calls the selectors and services of ratings/calibration_*."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pamong.core.errors import DomainError, Forbidden, NotVisible
from pamong.web.views import login_required, private

from . import calibration_planner as planner
from . import calibration_selectors as sel
from . import calibration_sessions as sessions
from . import ratings


def _period(raw: str, choices: list[dt.date]) -> dt.date:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return choices[0] if choices else dt.date(timezone.localdate().year, 1, 1)


@require_GET
@login_required
@private
def session_list(request: HttpRequest) -> HttpResponse:
    if not sel.sees_panel(request.user):
        raise Http404
    periods = sel.periods(request.user)
    period = _period(request.GET.get("periode", ""), periods)
    ctx = {
        "periods": periods,
        "period": period,
        "rows": sel.pools_for_period(request.user, period),
        "can_admin": sel.administers(request.user),
    }
    return render(request, "performance/calibration/session_list.html", ctx)


@require_POST
@login_required
@private
def session_compute(request: HttpRequest) -> HttpResponse:
    if not sel.sees_panel(request.user):
        raise Http404
    period = _period(request.POST.get("periode", ""), [])
    pool = request.POST.get("kelompok", "")
    try:
        s = sessions.session_compute(actor=request.user, period_start=period, pool=pool)
    except Forbidden as exc:
        raise Http404(str(exc)) from exc
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect(reverse("performance:calibration_list") + f"?periode={period.isoformat()}")
    messages.success(request, _("Kelompok dihitung pada penilaian yang tersimpan saat ini."))
    return redirect("performance:calibration_session", pk=s.pk)


def _session(request: HttpRequest, pk: int) -> Any:
    try:
        return sel.session_get(request.user, pk)
    except NotVisible as exc:
        raise Http404(str(exc)) from exc


@require_GET
@login_required
@private
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    s = _session(request, pk)
    panel = sel.session_panel(s)
    ctx = {**panel, "can_admin": sel.administers(request.user) and s.state == "open"}
    return render(request, "performance/calibration/session_detail.html", ctx)


@require_POST
@login_required
@private
def override_add(request: HttpRequest, pk: int) -> HttpResponse:
    s = _session(request, pk)
    raw = request.POST.get("ratee", "")
    try:
        sessions.override_add(
            actor=request.user,
            session_id=s.pk,
            ratee_id=int(raw) if raw.isdigit() else 0,
            new_value=request.POST.get("new_value", ""),
            reason=request.POST.get("reason", ""),
        )
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Nilai akhir diubah; perubahan dan alasannya tercatat."))
    return redirect(reverse("performance:calibration_session", kwargs={"pk": s.pk}) + f"#pegawai-{raw}")


@require_POST
@login_required
@private
def session_close(request: HttpRequest, pk: int) -> HttpResponse:
    s = _session(request, pk)
    try:
        sessions.session_close(actor=request.user, session_id=s.pk)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Sidang ditutup; penilaian kelompok ini dikunci."))
    return redirect("performance:calibration_session", pk=s.pk)


@require_http_methods(["GET", "POST"])
@login_required
@private
def plan(request: HttpRequest) -> HttpResponse:
    if not sel.administers(request.user):
        raise Http404
    data = request.POST if request.method == "POST" else request.GET
    raw_year = data.get("tahun", "")
    year = int(raw_year) if raw_year.isdigit() and 2000 <= int(raw_year) <= 2100 else timezone.localdate().year
    raw_load = data.get("beban", "")
    load = int(raw_load) if raw_load.isdigit() and 1 <= int(raw_load) <= 500 else planner.DEFAULT_LOAD
    if request.method == "POST" and data.get("aksi") == "setujui":
        pairs = []
        for v in request.POST.getlist("pasangan"):
            a, _sep, b = v.partition("-")
            if a.isdigit() and b.isdigit():
                pairs.append((int(a), int(b)))
        try:
            made = planner.planner_confirm(actor=request.user, year=year, pairs=pairs)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("%(n)d penugasan penilai independen dibuat.") % {"n": made})
        return redirect(reverse("performance:calibration_plan") + f"?tahun={year}")
    view = planner.planner_overview(request.user, year, propose=data.get("aksi") == "usulkan", max_load=load)
    ctx = {"v": view, "year": year, "load": load, "years": range(timezone.localdate().year + 1, 2019, -1)}
    return render(request, "performance/calibration/plan.html", ctx)


@require_GET
@login_required
@private
def rate_list(request: HttpRequest) -> HttpResponse:
    """The employees this user rates with numbers (0–100 per criterion) this year, each with a form."""
    period = ratings.annual_period(timezone.localdate().year)
    rows = sel.rateable_by(request.user, period)
    ctx = {"rows": rows, "period": period, "criteria": ratings.criteria(period),
           "closed": {r.employee.pk for r in rows if r.rating is not None and r.rating.locked}}  # fmt: skip
    return render(request, "performance/calibration/rate_list.html", ctx)


@require_POST
@login_required
@private
def rate(request: HttpRequest, employee_id: int) -> HttpResponse:
    period = ratings.annual_period(timezone.localdate().year)
    if employee_id not in {r.employee.pk for r in sel.rateable_by(request.user, period)}:
        raise Http404
    scores = {code: request.POST.get(f"skor_{code}", "") for code in ratings.criteria(period)}
    try:
        ratings.rating_submit(actor=request.user, ratee_id=employee_id, scores=scores, period_start=period,
                              comment=request.POST.get("comment", ""))  # fmt: skip
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Penilaian tersimpan."))
    return redirect(reverse("performance:calibration_rate_list") + f"#pegawai-{employee_id}")
