"""Appeal pages (keberatan): file against a final evaluation, my appeals / appeals to decide / all (BKPSDM,
inspectorate), one appeal with its timeline and the form of whoever acts next; and BKPSDM's follow-up page
(awards for Sangat Baik, the poor-performance list). Thin: each view calls one selector or service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pamong.accounts.access import access_for
from pamong.accounts.models import Role
from pamong.core.errors import DomainError, Forbidden, NotVisible
from pamong.web.views import login_required, private

from . import appeals as svc
from . import follow_up
from .models import Appeal, AppealState, Rating3
from .selectors import evaluations_visible_to

LIST_MAX = 500


def _appeal(request: HttpRequest, pk: int) -> Appeal:
    try:
        return svc.appeal_get(request.user, pk)
    except NotVisible as exc:
        raise Http404(str(exc)) from exc


@require_http_methods(["GET", "POST"])
@login_required
@private
def appeal_file(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    ev = (
        evaluations_visible_to(request.user)
        .select_related("skp__penilai", "skp__atasan_penilai")
        .filter(pk=evaluation_id)
        .first()
    )
    if ev is None:
        raise Http404(_("Penilaian tidak ditemukan."))
    if access_for(request.user).employee_id != ev.employee_id:
        raise PermissionDenied(_("Hanya pegawai yang dinilai yang dapat mengajukan keberatan atas penilaiannya."))
    reasons = ""
    if request.method == "POST":
        reasons = request.POST.get("reasons", "")
        try:
            appeal = svc.appeal_file(actor=request.user, evaluation_id=ev.pk, reasons=reasons)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Keberatan Anda sudah diajukan."))
            return redirect("performance:appeal_detail", appeal.pk)
    ctx = {
        "ev": ev,
        "refused": svc.appealable(ev),
        "deadline": svc.file_deadline(ev) if ev.finalised_at else None,
        "reasons": reasons,
    }
    return render(request, "performance/appeals/file.html", ctx)


@require_GET
@login_required
@private
def appeal_list(request: HttpRequest) -> HttpResponse:
    a = access_for(request.user)
    today = timezone.localdate()
    sees_all = a.has(Role.ADMIN_BKPSDM) or a.has(Role.INSPECTORATE)
    visible = svc.appeals_for(request.user)
    me = a.employee_id
    ctx: dict[str, Any] = {
        "today": today,
        "mine": list(visible.filter(employee_id=me)[:LIST_MAX]) if me else [],
        "appealable": svc.appealable_evaluations(request.user, today),
        "to_decide": list(svc.appeals_to_decide(request.user)[:LIST_MAX]),
        "as_penilai": list(visible.filter(evaluation__skp__penilai_id=me, state__in=svc.OPEN_STATES)[:LIST_MAX])
        if me
        else [],  # fmt: skip
        "decided_by_me": list(
            visible.filter(atasan_id=me, state__in=svc.DECIDED_STATES).order_by("-decided_at")[:LIST_MAX]
        )
        if me
        else [],  # fmt: skip
        "all": list(visible.order_by("-filed_at", "-id")[:LIST_MAX]) if sees_all else [],
        "overdue_ids": set(svc.appeals_overdue(request.user, today).values_list("id", flat=True)),
        "sees_all": sees_all,
        "follow_up": follow_up.may_read(request.user),
    }
    return render(request, "performance/appeals/list.html", ctx)


@require_GET
@login_required
@private
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = _appeal(request, pk)
    u = request.user
    examining = appeal.state == AppealState.EXAMINING
    ctx = {
        "a": appeal,
        "ev": appeal.evaluation,
        "overdue": svc.is_overdue(appeal),
        "is_employee": svc.is_employee(u, appeal),
        "can_request": svc.is_atasan(u, appeal) and appeal.state == AppealState.FILED,
        "can_decide": svc.is_atasan(u, appeal) and examining,
        "can_withdraw": svc.is_employee(u, appeal) and appeal.state in svc.OPEN_STATES,
        "penilai_form": examining
        and svc.is_penilai(u, appeal)
        and not svc.is_employee(u, appeal)
        and not appeal.penilai_statement,
        "employee_form": examining and svc.is_employee(u, appeal) and not appeal.employee_statement,
        "ratings": Rating3.choices,
        "posted": request.session.pop("appeal_posted", {}),
    }
    return render(request, "performance/appeals/detail.html", ctx)


def _act(request: HttpRequest, pk: int, done: str, call: Any) -> HttpResponse:
    appeal = _appeal(request, pk)
    try:
        call(appeal)
    except Forbidden as exc:
        raise PermissionDenied(str(exc)) from exc
    except DomainError as exc:
        messages.error(request, str(exc.message))
        request.session["appeal_posted"] = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    else:
        messages.success(request, done)
    return redirect("performance:appeal_detail", appeal.pk)


@require_POST
@login_required
@private
def appeal_explain(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, _("Pejabat penilai dan pegawai diminta memberi penjelasan."),
                lambda a: svc.appeal_request_explanations(actor=request.user, appeal_id=a.pk))  # fmt: skip


@require_POST
@login_required
@private
def appeal_statement(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, _("Penjelasan Anda sudah tercatat."),
                lambda a: svc.appeal_statement(actor=request.user, appeal_id=a.pk,
                                               text=request.POST.get("text", "")))  # fmt: skip


@require_POST
@login_required
@private
def appeal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    p = request.POST
    return _act(request, pk, _("Keputusan atas keberatan sudah ditetapkan."),
                lambda a: svc.appeal_decide(actor=request.user, appeal_id=a.pk, outcome=p.get("outcome", ""),
                                            reason=p.get("reason", ""), new_hasil=p.get("new_hasil", ""),
                                            new_perilaku=p.get("new_perilaku", "")))  # fmt: skip


@require_POST
@login_required
@private
def appeal_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, _("Keberatan sudah ditarik."),
                lambda a: svc.appeal_withdraw(actor=request.user, appeal_id=a.pk))  # fmt: skip


# ---- follow-up (BKPSDM) -------------------------------------------------------------------------------------------


def _date(raw: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
@login_required
@private
def follow_up_page(request: HttpRequest) -> HttpResponse:
    if not follow_up.may_read(request.user):
        raise Http404(_("Halaman tidak ditemukan."))
    today = timezone.localdate()
    raw = request.GET.get("tahun", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= today.year else today.year
    form = {"period": "", "decree_number": "", "decree_date": ""}
    if request.method == "POST":
        form = {k: request.POST.get(k, "") for k in form}
        period = _date(form["period"] + "-01") if form["period"] else None
        decree_date = _date(form["decree_date"])
        if period is None or decree_date is None:
            messages.error(request, _("Isi bulan pembayaran dan tanggal keputusan."))
        else:
            try:
                made = follow_up.awards_propose(
                    actor=request.user,
                    year=year,
                    period=period,
                    decree_number=form["decree_number"],
                    decree_date=decree_date,
                )
            except Forbidden as exc:
                raise PermissionDenied(str(exc)) from exc
            except DomainError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(request, _("%(n)d usulan penghargaan dibuat; menunggu persetujuan Kepala BPKAD.")
                                 % {"n": len(made)})  # fmt: skip
                return redirect(f"{request.path}?tahun={year}")
    proposed = follow_up.proposals(year)
    done = {p.employee_id for p in proposed}
    ctx = {
        "year": year,
        "years": list(range(today.year, today.year - 5, -1)),
        "proposed": proposed,
        "pending": [ev for ev in follow_up.sangat_baik(year) if ev.employee_id not in done],
        "poor": follow_up.poor_performance(year),
        "can_propose": access_for(request.user).has(Role.ADMIN_BKPSDM),
        "form": form,
    }
    return render(request, "performance/appeals/follow_up.html", ctx)
