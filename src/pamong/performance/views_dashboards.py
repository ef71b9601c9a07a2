"""The performance dashboards (/kinerja/ringkasan/): thin — call the selector, render."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pamong.core.errors import NotVisible
from pamong.web.views import login_required, private

from .dashboards import SKP_LABELS, SKP_STATES, performance_dashboard


def _render(request: HttpRequest, unit_id: int | None) -> HttpResponse:
    try:
        d = performance_dashboard(request.user, unit_id=unit_id)
    except NotVisible as exc:
        raise Http404(str(exc)) from exc
    skp_rows = [(_(SKP_LABELS[k]), d.total.skp[k]) for k in SKP_STATES]
    charts = {
        "chart-skp": {
            "label": _("Pegawai"),
            "labels": [str(k) for k, _n in skp_rows],
            "values": [n for _k, n in skp_rows],
        },
        "chart-periodic": d.chart(d.periodic, _("Pegawai")),
    }
    if d.annual_year is not None:
        charts["chart-annual"] = d.chart(d.total.annual, _("Pegawai"))
    return render(request, "performance/dashboards/dashboard.html",
                  {"d": d, "skp_rows": skp_rows, "charts": charts})  # fmt: skip


@require_GET
@login_required
@private
def city(request: HttpRequest) -> HttpResponse:
    return _render(request, None)


@require_GET
@login_required
@private
def unit(request: HttpRequest, unit_id: int) -> HttpResponse:
    return _render(request, unit_id)
