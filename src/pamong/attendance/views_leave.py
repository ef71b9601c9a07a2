"""Leave and travel pages: "Cuti saya" (balance, history, request form), "Persetujuan cuti" (the atasan's and
BKPSDM's queue, BKPSDM's year opening), the evidence download, and the travel orders of an OPD. Thin: each view
parses input and calls one service or selector."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pamong.accounts.access import access_for
from pamong.core.errors import DomainError, NotVisible
from pamong.org.models import Unit
from pamong.people.models import Employee
from pamong.web.views import login_required, private

from . import leave as svc
from . import travel
from .leave_rules import leave_types
from .models import RequestState

LIST_MAX = 300


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _type_names(on: dt.date) -> dict[str, str]:
    try:
        return {k: t.name for k, t in leave_types(on).items()}
    except DomainError:
        return {}


@require_http_methods(["GET", "POST"])
@login_required
@private
def leave_mine(request: HttpRequest) -> HttpResponse:
    a = access_for(request.user)
    today = timezone.localdate()
    emp = Employee.objects.filter(pk=a.employee_id).first() if a.employee_id else None
    form: dict[str, Any] = {}
    if request.method == "POST" and emp is not None:
        form = {k: request.POST.get(k, "") for k in ("kind", "start", "end", "reason", "address")}
        upload = request.FILES.get("evidence")
        start, end = _date(form["start"]), _date(form["end"])
        if start is None or end is None:
            messages.error(request, _("Isi tanggal mulai dan tanggal selesai."))
        else:
            try:
                svc.leave_request_submit(
                    actor=request.user,
                    employee_id=emp.pk,
                    kind=form["kind"],
                    start=start,
                    end=end,
                    reason=form["reason"],
                    address=form["address"],
                    evidence=(upload.name, upload.read(svc.EVIDENCE_MAX_BYTES + 1)) if upload else None,
                )
            except DomainError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(request, _("Permohonan cuti Anda sudah diajukan kepada atasan."))
                return redirect("attendance:leave_mine")
    ctx: dict[str, Any] = {"emp": emp, "today": today, "form": form, "names": _type_names(today)}
    if emp is not None:
        ctx["ledger"] = svc.ledger_summary(emp.pk)
        ctx["requests"] = list(svc.leave_requests_visible_to(request.user).filter(employee=emp)[:LIST_MAX])
        try:
            ctx["types"] = svc.requestable_types(emp, today)
        except DomainError:
            ctx["types"] = []
        ctx["pending"] = (RequestState.SUBMITTED, RequestState.SUPERVISOR_APPROVED, RequestState.APPROVED)
    return render(request, "attendance/leave_mine.html", ctx)


@require_GET
@login_required
@private
def leave_approvals(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    ctx = {
        "rows": list(svc.to_decide_for(request.user)[:LIST_MAX]),
        "bkpsdm": svc.is_bkpsdm(request.user),
        "names": _type_names(today),
        "year": today.year,
        "recent": list(
            svc.leave_requests_visible_to(request.user)
            .exclude(employee_id=access_for(request.user).employee_id)
            .filter(decided_by=request.user)
            .order_by("-decided_at")[:50]
        ),
    }
    return render(request, "attendance/leave_approvals.html", ctx)


@require_POST
@login_required
def leave_decide(request: HttpRequest, pk: int) -> HttpResponse:
    approve = request.POST.get("decision") == "approve"
    try:
        req = svc.leave_request_decide(
            actor=request.user, request_id=pk, approve=approve, note=request.POST.get("note", "")
        )
    except NotVisible as exc:
        raise Http404(str(exc)) from exc
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Keputusan tersimpan: %(s)s.") % {"s": req.get_state_display()})
    return redirect("attendance:leave_approvals")


@require_POST
@login_required
def leave_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        svc.leave_request_cancel(actor=request.user, request_id=pk)
    except NotVisible as exc:
        raise Http404(str(exc)) from exc
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Permohonan cuti dibatalkan."))
    return redirect("attendance:leave_mine")


@require_POST
@login_required
def leave_year_open(request: HttpRequest) -> HttpResponse:
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        messages.error(request, _("Tahun tidak valid."))
        return redirect("attendance:leave_approvals")
    try:
        counts = svc.leave_year_open(year=year, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("Tahun cuti %(y)d dibuka: %(g)d pegawai menerima hak, %(c)d membawa sisa tahun lalu.")
            % {"y": year, "g": counts["granted"], "c": counts["carried"]},
        )
    return redirect("attendance:leave_approvals")


@require_GET
@login_required
@private
def leave_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        req = svc.leave_request_get(request.user, pk)
    except NotVisible as exc:
        raise Http404(str(exc)) from exc
    if not req.evidence:
        raise Http404(_("Tidak ada bukti."))
    return FileResponse(req.evidence.open("rb"), as_attachment=True, filename=req.evidence.name.rsplit("/", 1)[-1])


@require_http_methods(["GET", "POST"])
@login_required
@private
def travel_list(request: HttpRequest) -> HttpResponse:
    may_issue = travel.may_issue(request.user)
    form: dict[str, Any] = {}
    overlaps: list[travel.LeaveOverlap] = []
    if request.method == "POST" and may_issue:
        form = {
            k: request.POST.get(k, "")
            for k in ("unit", "number", "date", "start", "end", "destination", "purpose", "signed_by")
        }
        date, start, end = (_date(form[k]) for k in ("date", "start", "end"))
        try:
            ids = [int(x) for x in request.POST.getlist("employees")]
            unit_id = int(form["unit"])
        except ValueError:
            ids, unit_id = [], 0
        if date is None or start is None or end is None:
            messages.error(request, _("Isi tanggal surat, tanggal mulai, dan tanggal selesai."))
        else:
            try:
                order, overlaps = travel.travel_order_create(
                    actor=request.user,
                    unit_id=unit_id,
                    number=form["number"],
                    date=date,
                    start=start,
                    end=end,
                    destination=form["destination"],
                    purpose=form["purpose"],
                    signed_by=form["signed_by"],
                    employee_ids=ids,
                )
            except NotVisible as exc:
                messages.error(request, str(exc.message))
            except DomainError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(request, _("Surat tugas %(n)s tercatat.") % {"n": order.number})
                if not overlaps:
                    return redirect("attendance:travel_list")
                form = {}
    units = travel.issuing_units(request.user) if may_issue else Unit.objects.none()
    is_admin = svc.is_bkpsdm(request.user)
    if is_admin:  # the whole city: pick an OPD first, then its employees are listed
        units = units.filter(kind="opd")
    opd = units.filter(pk=_int(request.GET.get("opd") or form.get("unit"))).first() if may_issue else None
    employees = travel.employees_for_orders(request.user, opd if is_admin else None) if may_issue else None
    ctx = {
        "orders": list(
            travel.travel_orders_visible_to(request.user)
            .select_related("unit")
            .prefetch_related("employees")[:LIST_MAX]
        ),
        "may_issue": may_issue,
        "cancellable": set(travel.issuing_units(request.user).values_list("pk", flat=True))
        if may_issue and not is_admin
        else None,  # None: every unit (BKPSDM)
        "is_admin": is_admin,
        "opd": opd,
        "units": list(units[:500]),
        "employees": list(employees[:1000]) if employees is not None and (opd or not is_admin) else [],
        "form": form,
        "chosen": {int(x) for x in request.POST.getlist("employees") if x.isdigit()} if form else set(),
        "overlaps": overlaps,
    }
    return render(request, "attendance/travel_list.html", ctx)


@require_POST
@login_required
def travel_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        travel.travel_order_cancel(actor=request.user, order_id=pk, reason=request.POST.get("reason", ""))
    except NotVisible as exc:
        raise Http404(str(exc)) from exc
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Surat tugas dibatalkan."))
    return redirect("attendance:travel_list")
