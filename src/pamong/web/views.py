"""Web pages. Each view parses input, calls selectors (or one service), and renders; visibility is decided in
the selectors (people/selectors.py, org/selectors.py, audit/selectors.py), never here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from pamong.accounts.access import access_for
from pamong.audit import selectors as audit_selectors
from pamong.core.errors import Forbidden, NotVisible
from pamong.org import selectors as org_selectors
from pamong.people import selectors as people
from pamong.people.exports import export_register_xlsx
from pamong.people.models import EmploymentStatus
from pamong.people.selectors import Detail

from .forms import AuditFilterForm, EmployeeFilterForm, PositionFilterForm
from .paging import paginate

View = Callable[..., HttpResponse]
DUE_LIST_LIMIT = 50  # rows shown in the dashboard's KGB and pension lists (the rest through the employee list)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def login_required(view: View) -> View:
    """Like Django's, but an htmx request whose session expired redirects the whole page, not the swapped part."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            if getattr(request, "htmx", False):
                target = request.htmx.current_url_abs_path or request.get_full_path()
                return HttpResponseClientRedirect(redirect_to_login(target).url)
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


def private(view: View) -> View:
    """Pages with personal data: no shared or stored copies (proxies, back-forward cache after logout)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_store=True)
        return response

    return wrapped


def _is_partial(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def _vary_htmx(response: HttpResponse) -> HttpResponse:
    patch_vary_headers(response, ("HX-Request",))
    return response


# --- dashboard -------------------------------------------------------------------------------------------------


def _chart(rows: list[tuple[Any, int]], label: str) -> dict[str, Any]:
    return {"label": label, "labels": [str(k) for k, _n in rows], "values": [n for _k, n in rows]}


def _with_overdue(rows: Any, date_field: str | None) -> list[tuple[Any, int]]:
    """(row, months overdue): a KGB whose date has passed without an SK is overdue (at least 1 month shown)."""
    today = dt.date.today()
    out = []
    for e in rows:
        due = getattr(e, date_field) if date_field else None
        late = max(1, (today.year - due.year) * 12 + today.month - due.month) if due and due < today else 0
        out.append((e, late))
    return out


@require_GET
@login_required
@private
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    a = access_for(user)
    ctx: dict[str, Any] = {"show_stats": bool(a.roles)}
    if a.roles:
        counts = people.headcount(user)
        status_labels = dict(EmploymentStatus.choices)
        by_status = [(status_labels.get(code, code), n) for code, n in counts["status"]]
        ctx.update(
            by_opd=counts["opd"],
            by_golongan=counts["golongan"],
            by_type=counts["type"],
            by_status=by_status,
            total=sum(n for _k, n in counts["type"]),
            opd_chart_rem=max(12, 2 * len(counts["opd"]) + 4),
            charts={
                "chart-opd": _chart(counts["opd"], _("Pegawai aktif")),
                "chart-golongan": _chart(counts["golongan"], _("Pegawai aktif")),
                "chart-type": _chart(counts["type"], _("Pegawai aktif")),
                "chart-status": _chart(by_status, _("Pegawai")),
            },
            kgb=_with_overdue(people.kgb_due(user, within_days=90)[: DUE_LIST_LIMIT + 1], "next_kgb_on"),
            kgb_overdue=people.kgb_due(user, within_days=0).filter(next_kgb_on__lt=dt.date.today()).count(),
            can_kgb=user.has_perm("kgb.manage"),
            pensions=_with_overdue(people.pensions_due(user, within_days=365)[: DUE_LIST_LIMIT + 1], None),
            due_limit=DUE_LIST_LIMIT,
        )
    if a.employee_id is not None and not a.roles:
        me, _level = people.employee_get(user, employee_id=a.employee_id)
        ctx["me"] = me
    return render(request, "web/dashboard/dashboard.html", ctx)


# --- organisation ----------------------------------------------------------------------------------------------


@require_GET
@login_required
def unit_tree(request: HttpRequest) -> HttpResponse:
    root = None
    if request.GET.get("root", "").isdigit():
        root = org_selectors.unit_get(int(request.GET["root"]))
    rows = org_selectors.unit_tree(root=root)
    base = rows[0][1] if rows else 0
    return render(
        request,
        "web/org/unit_tree.html",
        {"rows": [(u, depth - base) for u, depth in rows], "root": root, "total": sum(u.headcount for u, _ in rows)},
    )


@require_GET
@login_required
def position_list(request: HttpRequest) -> HttpResponse:
    form = PositionFilterForm(
        request.GET, units=org_selectors.units_for_choice(request.user, selected=request.GET.get("unit"))
    )
    qs = org_selectors.position_list(**form.values())
    page = paginate(qs, request.GET.get("page"), 50)
    return render(request, "web/org/position_list.html", {"form": form, "page": page})


# --- employees -------------------------------------------------------------------------------------------------


@require_GET
@login_required
@private
def employee_list(request: HttpRequest) -> HttpResponse:
    form = EmployeeFilterForm(
        request.GET, units=org_selectors.units_for_choice(request.user, selected=request.GET.get("unit"))
    )
    f = form.to_filter()
    page = paginate(people.employee_search(request.user, f), request.GET.get("page"), form.page_size())
    ctx = {
        "form": form,
        "page": page,
        "employees": list(page.object_list),
        "can_export": request.user.has_perm("people.export_register"),
        "query": _without(request, "page"),
    }
    template = "web/employees/_results.html" if _is_partial(request) else "web/employees/list.html"
    return _vary_htmx(render(request, template, ctx))


def _without(request: HttpRequest, *keys: str) -> str:
    params = request.GET.copy()
    for k in keys:
        params.pop(k, None)
    return params.urlencode()


@require_GET
@login_required
@private
def employee_export(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("people.export_register"):
        raise PermissionDenied
    form = EmployeeFilterForm(
        request.GET, units=org_selectors.units_for_choice(request.user, selected=request.GET.get("unit"))
    )
    try:
        data = export_register_xlsx(user=request.user, f=form.to_filter())
    except Forbidden as exc:
        raise PermissionDenied(str(exc)) from exc
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="daftar-pegawai-{dt.date.today():%Y%m%d}.xlsx"'
    return response


@require_GET
@login_required
@private
def employee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        employee, level = people.employee_get(request.user, employee_id=pk)
    except NotVisible as exc:
        raise Http404(str(exc)) from exc
    ctx: dict[str, Any] = {
        "e": employee,
        "level": level,
        "show_payroll": level >= Detail.PAYROLL,
        "show_full": level >= Detail.FULL,
        "can_view_audit": audit_selectors.can_view_log(request.user),
        # the edit forms (web/employee_edit.py) follow the API's rule
        "can_change": request.user.has_perm("people.change_employee", employee.unit),
    }
    if level >= Detail.PAYROLL:
        ctx["facts"] = people.family_facts(employee)  # reads the family rows employee_get prefetched
    return render(request, "web/employees/detail.html", ctx)


# --- import: imports_views.py ----------------------------------------------------------------------------------


# --- audit -----------------------------------------------------------------------------------------------------


@require_GET
@login_required
@private
def audit_log(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET)
    before_raw = request.GET.get("before", "")
    before = int(before_raw) if before_raw.isdigit() else None
    try:
        page = audit_selectors.audit_page(request.user, form.to_filter(), before=before)
    except Forbidden as exc:
        raise PermissionDenied(str(exc)) from exc
    return render(request, "web/audit/log.html", {"form": form, "page": page, "query": _without(request, "before")})


@require_POST
@login_required
@private
def audit_verify(request: HttpRequest) -> HttpResponse:
    try:
        result = audit_selectors.audit_chain_verify(request.user)
    except Forbidden as exc:
        raise PermissionDenied(str(exc)) from exc
    ctx = {"result": result}
    if _is_partial(request):
        return render(request, "web/audit/_chain_status.html", ctx)
    form = AuditFilterForm({})
    page = audit_selectors.audit_page(request.user, form.to_filter())
    return render(request, "web/audit/log.html", {**ctx, "form": form, "page": page, "query": ""})
