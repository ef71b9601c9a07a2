"""KGB pages: the due list (select → drafts), the SK KGB list (approve the selected), one SK (approve, cancel,
PDF). Thin: each parses input and calls one selector or service per decree."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pamong.core.errors import DomainError, Forbidden, NotVisible
from pamong.web.views import login_required, private

from . import selectors, services
from .models import KgbState

WINDOWS = (30, 60, 90, 180, 365)
DUE_LIST_MAX = 1000  # rows on one page (a province has tens of thousands due in a year): the earliest first


def _ids(request: HttpRequest, name: str) -> list[int]:
    return [int(v) for v in request.POST.getlist(name) if v.isdigit()]


def _guard(request: HttpRequest) -> None:
    if not selectors.may_use(request.user):
        raise PermissionDenied(_("Anda tidak berwenang mengelola kenaikan gaji berkala."))


def _problem_lines(exc: DomainError) -> list[str]:
    details = exc.details if isinstance(exc.details, list) else []
    return [f"{d.get('nip', '')}: {d.get('message', '')}" for d in details if isinstance(d, dict)]


@require_GET
@login_required
@private
def due_list(request: HttpRequest) -> HttpResponse:
    _guard(request)
    raw = request.GET.get("hari", "")
    within = int(raw) if raw.isdigit() and int(raw) in WINDOWS else selectors.DUE_WITHIN_DAYS
    rows = selectors.kgb_due_list(request.user, within_days=within, limit=DUE_LIST_MAX + 1)
    ctx = {
        "rows": rows[:DUE_LIST_MAX],
        "more": len(rows) > DUE_LIST_MAX,
        "max": DUE_LIST_MAX,
        "within": within,
        "windows": WINDOWS,
        "overdue": sum(1 for r in rows if r.overdue),
        "selectable": sum(1 for r in rows if r.selectable),
    }
    return render(request, "kgb/due_list.html", ctx)


@require_POST
@login_required
@private
def draft_create(request: HttpRequest) -> HttpResponse:
    _guard(request)
    try:
        drafts = services.kgb_drafts_create(actor=request.user, employee_ids=_ids(request, "employee"))
    except Forbidden as exc:
        raise PermissionDenied(str(exc)) from exc
    except DomainError as exc:
        messages.error(request, str(exc.message))
        for line in _problem_lines(exc):
            messages.error(request, line)
        return redirect("kgb:due_list")
    messages.success(request, _("%(n)d draf SK KGB dibuat.") % {"n": len(drafts)})
    return redirect(reverse("kgb:decree_list") + "?status=draft")


@require_GET
@login_required
@private
def decree_list(request: HttpRequest) -> HttpResponse:
    _guard(request)
    state = request.GET.get("status", KgbState.DRAFT)
    qs = selectors.decrees_visible_to(request.user)
    if state in KgbState.values:
        qs = qs.filter(state=state)
    ctx = {
        "decrees": list(qs.order_by("tmt", "employee__name")[:500]),
        "state": state,
        "states": KgbState.choices,
        "can_approve": request.user.has_perm("kgb.approve"),
    }
    return render(request, "kgb/decree_list.html", ctx)


@require_POST
@login_required
@private
def decrees_approve(request: HttpRequest) -> HttpResponse:
    """Approve the selected drafts, each on its own (one refused does not hold back the others)."""
    if not request.user.has_perm("kgb.approve"):
        raise PermissionDenied(_("Hanya admin BKPSDM yang dapat menyetujui SK KGB."))
    ids = _ids(request, "decree")
    if not ids:
        messages.error(request, _("Pilih paling sedikit satu SK KGB."))
    done = 0
    for pk in ids:
        try:
            services.kgb_decree_approve(actor=request.user, decree_id=pk)
            done += 1
        except DomainError as exc:
            messages.error(request, f"#{pk}: {exc.message}")
    if done:
        messages.success(request, _("%(n)d SK KGB disetujui dan dicatat di riwayat KGB.") % {"n": done})
    return redirect(reverse("kgb:decree_list") + "?status=draft")


def _decree(request: HttpRequest, pk: int) -> Any:
    try:
        return selectors.decree_get(request.user, pk)
    except (NotVisible, Forbidden) as exc:
        raise Http404(str(exc)) from exc


@require_GET
@login_required
@private
def decree_detail(request: HttpRequest, pk: int) -> HttpResponse:
    d = _decree(request, pk)
    ctx = {"d": d, "can_approve": request.user.has_perm("kgb.approve") and d.state == KgbState.DRAFT}
    return render(request, "kgb/decree_detail.html", ctx)


@require_POST
@login_required
@private
def decree_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    d = _decree(request, pk)
    try:
        services.kgb_decree_cancel(actor=request.user, decree_id=d.pk, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Draf SK KGB dibatalkan."))
    return redirect("kgb:decree_detail", d.pk)


@require_GET
@login_required
@private
def decree_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from .pdf import decree_pdf as render_pdf

    d = _decree(request, pk)
    response = HttpResponse(render_pdf(d), content_type="application/pdf")
    name = d.sk_number.replace("/", "-")
    response["Content-Disposition"] = f'inline; filename="sk-kgb-{name}.pdf"'
    return response
