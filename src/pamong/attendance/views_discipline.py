"""Discipline pages: "Kasus disiplin" (BKPSDM: the cases to open from the absence ladder, a manual case, every case;
the inspectorate and the BPKAD head read everything; an OPD operator, a treasurer and an atasan read their scope's
cases; the employee their own), and one case with its timeline and the form of the next step. Thin: each view calls
one selector or service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from pamong.accounts.access import access_for
from pamong.core.errors import DomainError, Forbidden, NotVisible
from pamong.people.models import Employee
from pamong.web.views import login_required, private

from . import discipline as sel
from . import discipline_cases as svc
from .models import DisciplineCase

LIST_MAX = 500
State = DisciplineCase.State

TIMELINE_TITLES = {
    "opened": gettext_lazy("Kasus dibuka"),
    "examined": gettext_lazy("Pemeriksaan dicatat (BAP)"),
    "decided": gettext_lazy("Hukuman disiplin ditetapkan"),
    "appealed": gettext_lazy("Upaya administratif diajukan"),
    "appeal_upheld": gettext_lazy("Upaya administratif diputus: hukuman tetap"),
    "appeal_changed": gettext_lazy("Upaya administratif diputus: hukuman diubah"),
    "appeal_annulled": gettext_lazy("Upaya administratif diputus: hukuman dibatalkan"),
    "dropped": gettext_lazy("Kasus tidak dilanjutkan"),
}
APPEAL_KIND_LABELS = {"keberatan": gettext_lazy("Keberatan"), "banding": gettext_lazy("Banding administratif")}


def _year(request: HttpRequest) -> int:
    today = timezone.localdate()
    try:
        return sel.parse_year(request.GET.get("tahun") or request.POST.get("year") or today.year, today)
    except DomainError:
        return today.year


def _case(request: HttpRequest, pk: int) -> DisciplineCase:
    try:
        return sel.case_get(request.user, pk)
    except NotVisible as exc:
        raise Http404(str(exc)) from exc


@require_GET
@login_required
@private
def discipline_list(request: HttpRequest) -> HttpResponse:
    a = access_for(request.user)
    year = _year(request)
    today = timezone.localdate()
    visible = sel.cases_visible_to(request.user)
    sees_all = a.sees_all_employees
    cases = visible.filter(year=year).order_by("-opened_at", "-id")
    others = cases.exclude(employee_id=a.employee_id) if a.employee_id else cases
    candidates = []
    if sees_all:
        as_of = today if year == today.year else dt.date(year, 12, 31)
        candidates = sel.discipline_recommendations(year, as_of)
    ctx: dict[str, Any] = {
        "year": year,
        "years": list(range(today.year, max(2021, today.year - 4) - 1, -1)),
        "mine": list(visible.filter(employee_id=a.employee_id).order_by("-year", "-opened_at")[:LIST_MAX])
        if a.employee_id
        else [],  # fmt: skip
        "cases": list(others[:LIST_MAX]),
        "shows_cases": sees_all or bool(a.unit_paths) or a.is_supervisor,
        "candidates": candidates,
        "sees_all": sees_all,
        "can_manage": sel.may_manage(request.user),
        "labels": sel.SANCTION_LABELS,
        "levels": sel.LEVEL_LABELS,
        "bases": sel.BASIS_LABELS,
    }
    return render(request, "attendance/discipline_list.html", ctx)


@require_POST
@login_required
@private
def discipline_open(request: HttpRequest) -> HttpResponse:
    p = request.POST
    year = _year(request)
    manual = p.get("manual") == "1"
    emp_id: int | None = None
    if manual:
        emp = Employee.objects.filter(nip=p.get("nip", "").replace(" ", "")).only("pk").first()
        emp_id = emp.pk if emp else None
    elif p.get("employee", "").isdigit():
        emp_id = int(p["employee"])
    back = redirect(f"{reverse('attendance:discipline_list')}?tahun={year}")
    if emp_id is None:
        messages.error(request, _("Pegawai tidak ditemukan."))
        return back
    today = timezone.localdate()
    try:
        case = svc.discipline_case_open(actor=request.user, employee_id=emp_id, year=year, manual=manual,
                                        description=p.get("description", ""),
                                        as_of=today if year == today.year else dt.date(year, 12, 31))  # fmt: skip
    except Forbidden as exc:
        raise PermissionDenied(str(exc)) from exc
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return back
    messages.success(request, _("Kasus disiplin dibuka."))
    return redirect("attendance:discipline_case", case.pk)


@require_GET
@login_required
@private
def discipline_case(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    a = access_for(request.user)
    manage = sel.may_manage(request.user)
    events = []
    for ev in sel.case_timeline(case):
        verb = ev.action.rsplit(".", 1)[-1]
        if verb in TIMELINE_TITLES:
            events.append({"at": ev.at, "title": TIMELINE_TITLES[verb], "verb": verb, "ch": ev.changes,
                           "reason": ev.reason, "sk": ev.sk_number,
                           "kind": APPEAL_KIND_LABELS.get(str(ev.changes.get("jenis", "")), "")})  # fmt: skip
    rules = sel.discipline_rules(timezone.localdate())
    ctx = {
        "c": case,
        "events": events,
        "sanction": sel.sanction_label(case.sanction_code) if case.sanction_code else "",
        "recommended": sel.sanction_label(case.recommended) if case.recommended else "",
        "basis": sel.BASIS_LABELS.get(case.basis, ""),
        "annulled": case.state == State.CLOSED and case.sanction_id is None and bool(case.sanction_code),
        "can_examine": manage and case.state in (State.OPEN, State.EXAMINED),
        "can_decide": manage and case.state == State.EXAMINED,
        "can_drop": manage and case.state in (State.OPEN, State.EXAMINED),
        "is_employee": a.employee_id == case.employee_id,
        "can_appeal": case.state == State.DECIDED and (manage or a.employee_id == case.employee_id),
        "can_decide_appeal": manage and case.state == State.APPEALED,
        "codes": [(s.code, sel.sanction_label(s.code)) for s in rules.ladder.steps],
        "today": timezone.localdate(),
        "posted": request.session.pop("discipline_posted", {}),
    }
    return render(request, "attendance/discipline_case.html", ctx)


def _act(request: HttpRequest, pk: int, done: str, call: Any) -> HttpResponse:
    case = _case(request, pk)
    try:
        call(case)
    except Forbidden as exc:
        raise PermissionDenied(str(exc)) from exc
    except DomainError as exc:
        messages.error(request, str(exc.message))
        request.session["discipline_posted"] = {
            k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"
        }  # fmt: skip
    else:
        messages.success(request, done)
    return redirect("attendance:discipline_case", case.pk)


@require_POST
@login_required
@private
def discipline_examine(request: HttpRequest, pk: int) -> HttpResponse:
    p, upload = request.POST, request.FILES.get("bap_file")
    return _act(request, pk, _("Hasil pemeriksaan dicatat."),
                lambda c: svc.discipline_case_examine(actor=request.user, case_id=c.pk, bap_date=p.get("bap_date"),
                                                      summary=p.get("bap_summary", ""),
                                                      filename=upload.name if upload else "",
                                                      content=upload.read() if upload else None))  # fmt: skip


@require_POST
@login_required
@private
def discipline_decide(request: HttpRequest, pk: int) -> HttpResponse:
    p = request.POST
    return _act(request, pk, _("Hukuman disiplin ditetapkan."),
                lambda c: svc.discipline_case_decide(actor=request.user, case_id=c.pk, code=p.get("code", ""),
                                                     sk_number=p.get("sk_number", ""), sk_date=p.get("sk_date"),
                                                     tmt=p.get("tmt")))  # fmt: skip


@require_POST
@login_required
@private
def discipline_appeal(request: HttpRequest, pk: int) -> HttpResponse:
    p = request.POST
    return _act(request, pk, _("Upaya administratif dicatat."),
                lambda c: svc.discipline_case_appeal(actor=request.user, case_id=c.pk, kind=p.get("kind", ""),
                                                     text=p.get("appeal_text", "")))  # fmt: skip


@require_POST
@login_required
@private
def discipline_appeal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    p = request.POST
    return _act(request, pk, _("Putusan upaya administratif dicatat."),
                lambda c: svc.discipline_case_appeal_decide(
                    actor=request.user, case_id=c.pk, outcome=p.get("outcome", ""),
                    decision=p.get("appeal_decision", ""), sk_number=p.get("sk_number", ""),
                    sk_date=p.get("sk_date") or None, code=p.get("code", ""), tmt=p.get("tmt") or None))  # fmt: skip


@require_POST
@login_required
@private
def discipline_drop(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, _("Kasus tidak dilanjutkan."),
                lambda c: svc.discipline_case_drop(actor=request.user, case_id=c.pk,
                                                   reason=request.POST.get("reason", "")))  # fmt: skip


@require_GET
@login_required
@private
def discipline_bap(request: HttpRequest, pk: int) -> HttpResponse:
    """The BAP file, to whoever may see the case (stored under a random name; served as an attachment)."""
    case = _case(request, pk)
    if not case.bap_file:
        raise Http404(_("Berkas tidak ditemukan."))
    ext = case.bap_file.name.rsplit(".", 1)[-1]
    types = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}
    return FileResponse(case.bap_file.open("rb"), as_attachment=True, filename=f"BAP-{case.employee.nip}.{ext}",
                        content_type=types.get(ext, "application/octet-stream"))  # fmt: skip
