"""The payroll dashboard page (/penggajian/dasbor/): thin — parse the month, call the selector, render."""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from pamong.core.errors import NotVisible
from pamong.web.views import login_required, private

from .dashboard import CHANGE_PCT, payroll_dashboard


def _month(value: str | None) -> dt.date | None:
    """?bulan=2026-11 → 1 November 2026; anything else → the latest month (a bad value is not an error page)."""
    try:
        year, month = (int(x) for x in (value or "").split("-"))
        return dt.date(year, month, 1) if 2000 <= year <= 2100 else None
    except ValueError:
        return None


@require_GET
@login_required
@private
def dashboard(request: HttpRequest) -> HttpResponse:
    try:
        data = payroll_dashboard(request.user, _month(request.GET.get("bulan")))
    except NotVisible as exc:
        raise Http404(str(exc)) from exc
    return render(request, "payroll/dashboard.html", {"d": data, "change_pct": CHANGE_PCT})
