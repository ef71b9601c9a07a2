"""The attendance screens (/presensi/): the landing page, "Presensi saya" (an employee's month as a calendar),
"Presensi hari ini" (atasan, operator) and "Rekap bulanan" (OPD operator, BKPSDM/inspectorate/BPKAD) with its
charts and exports. Thin: parse the query string, call reports.py, render."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from pamong.accounts.access import Access, access_for
from pamong.core.errors import NotVisible
from pamong.org.models import Unit
from pamong.web.paging import per_page_from
from pamong.web.views import login_required, private

from . import recap_files, reports
from .selectors import sees_all


def _month(value: str | None, default: dt.date) -> dt.date:
    """?bulan=2026-11 → 1 November 2026; anything else → `default`'s month (a bad value is no error page)."""
    try:
        year, month = (int(x) for x in (value or "").split("-"))
        return dt.date(year, month, 1) if 2000 <= year <= 2100 else reports.month_start(default)
    except ValueError:
        return reports.month_start(default)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _today() -> dt.date:
    return dt.date.today()


# ---- the landing page -------------------------------------------------------------------------------------------

# (URL name, label, description, who); a name listed twice (one page for two roles) is shown once, first match
LINKS: tuple[tuple[str, Any, Any, str], ...] = (
    ("attendance:my_month", gettext_lazy("Presensi saya"),
     gettext_lazy("Kalender kehadiran Anda per bulan: jam datang dan pulang."), "employee"),
    ("attendance:checkin", gettext_lazy("Presensi lewat aplikasi"),
     gettext_lazy("Catat kedatangan atau kepulangan dari lokasi kantor."), "employee"),
    ("attendance:leave_mine", gettext_lazy("Cuti saya"),
     gettext_lazy("Sisa cuti, riwayat, dan pengajuan cuti."), "employee"),
    ("attendance:corrections", gettext_lazy("Koreksi presensi"),
     gettext_lazy("Ajukan koreksi bila lupa presensi atau mesin rusak."), "employee"),
    ("attendance:discipline_list", gettext_lazy("Kasus disiplin saya"),
     gettext_lazy("Kasus disiplin atas nama Anda."), "employee"),
    ("attendance:today", gettext_lazy("Presensi hari ini"),
     gettext_lazy("Siapa yang sudah datang, cuti, dinas luar, atau belum presensi hari ini."), "today"),
    ("attendance:leave_approvals", gettext_lazy("Persetujuan cuti"),
     gettext_lazy("Pengajuan cuti bawahan yang menunggu keputusan Anda."), "supervisor"),
    ("attendance:corrections_to_decide", gettext_lazy("Persetujuan koreksi"),
     gettext_lazy("Koreksi presensi bawahan yang menunggu keputusan Anda."), "supervisor"),
    ("attendance:recap", gettext_lazy("Rekap bulanan"),
     gettext_lazy("Hari kerja, hadir, TK, terlambat dan pulang cepat per pegawai, grafik, dan unduhan."), "recap"),
    ("attendance:travel_list", gettext_lazy("Surat tugas (dinas luar)"),
     gettext_lazy("Surat tugas pegawai OPD."), "operator"),
    ("attendance:devices", gettext_lazy("Mesin presensi dan impor"),
     gettext_lazy("Daftar mesin, pemetaan ID pengguna, unggah berkas mesin."), "operator"),
    ("attendance:leave_approvals", gettext_lazy("Cuti menunggu BKPSDM"),
     gettext_lazy("Cuti yang perlu persetujuan BKPSDM dan pembukaan hak cuti tahunan."), "bkpsdm"),
    ("attendance:month", gettext_lazy("Hitung ulang rekap bulan"),
     gettext_lazy("Hitung rekap presensi semua pegawai untuk satu bulan."), "bkpsdm"),
    ("attendance:discipline_list", gettext_lazy("Kasus disiplin"),
     gettext_lazy("Rekomendasi dan kasus disiplin PP 94/2021."), "discipline"),
)  # fmt: skip


def _allowed(a: Access, who: str) -> bool:
    admin = a.has("admin_bkpsdm")
    return {
        "employee": a.employee_id is not None,
        "today": reports.may_view_today(a),
        "supervisor": a.is_supervisor,
        "recap": reports.may_view_recap(a),
        "operator": admin or bool(a.operator_paths),
        "bkpsdm": admin,
        "discipline": sees_all(a) or bool(a.operator_paths),
    }.get(who, False)


def home_links(user: Any) -> list[dict[str, Any]]:
    a = access_for(user)
    out, seen = [], set()
    for name, label, text, who in LINKS:
        if not _allowed(a, who) or name in seen:
            continue
        seen.add(name)
        out.append({"url": reverse(name), "label": label, "text": text, "name": name})
    return out


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "attendance/screens_home.html", {"links": home_links(request.user)})


# ---- one employee's month -----------------------------------------------------------------------------------------


def _month_page(request: HttpRequest, employee_id: int | None) -> HttpResponse:
    try:
        emp = reports.my_month_employee(request.user, employee_id)
    except NotVisible as exc:
        raise Http404(str(exc)) from exc
    today = _today()
    period = _month(request.GET.get("bulan"), today)
    days = reports.month_days(emp.pk, period, today=today)
    return render(request, "attendance/screens_month.html", {
        "emp": emp,
        "own": employee_id is None,
        "period": period,
        "prev": reports.add_months(period, -1),
        "next": reports.add_months(period, 1) if period < reports.month_start(today) else None,
        "weeks": reports.calendar_weeks(days),
        "days": days,
        "counts": reports.month_counts(days),
        "legend": [(k, str(v)) for k, v in reports.STATUS_LABELS.items()],
        "weekdays": [_("Sen"), _("Sel"), _("Rab"), _("Kam"), _("Jum"), _("Sab"), _("Min")],
    })  # fmt: skip


@require_GET
@login_required
@private
def my_month(request: HttpRequest) -> HttpResponse:
    return _month_page(request, None)


@require_GET
@login_required
@private
def employee_month(request: HttpRequest, employee_id: int) -> HttpResponse:
    return _month_page(request, employee_id)


# ---- the unit's today ---------------------------------------------------------------------------------------------


def _unit_choices(a: Access) -> list[Unit]:
    """The units offered by the filter: the OPDs for the city, the operator's units; none for an atasan alone."""
    if sees_all(a):
        return list(Unit.objects.filter(parent__isnull=True, active=True).order_by("name"))
    if a.operator_paths:
        q = reports._paths_q("path", a.operator_paths)
        return list(Unit.objects.filter(q, active=True).order_by("path")[:500])
    return []


@require_GET
@login_required
@private
def today(request: HttpRequest) -> HttpResponse:
    only = request.GET.get("tampil", "")
    only = only if only in ("hadir", "absen", "belum") else ""
    try:
        t = reports.unit_today(
            request.user,
            today=_today(),
            unit_id=_int(request.GET.get("unit")),
            only=only,
            page=request.GET.get("page"),
            per_page=per_page_from(request.GET.get("per_page") or 50),
        )
    except NotVisible as exc:
        raise Http404(str(exc)) from exc
    rows = [(e, reports.today_status(e)) for e in t.page.object_list]
    return render(request, "attendance/screens_today.html", {
        "t": t, "rows": rows, "only": only, "units": _unit_choices(access_for(request.user)),
        "clock": reports.clock,
    })  # fmt: skip


# ---- the monthly recap --------------------------------------------------------------------------------------------


def _recap_args(request: HttpRequest) -> tuple[dt.date, int | None]:
    default = reports.add_months(reports.month_start(_today()), -1)  # last month: the one being paid
    return _month(request.GET.get("bulan"), default), _int(request.GET.get("unit"))


@require_GET
@login_required
@private
def recap(request: HttpRequest) -> HttpResponse:
    period, unit_id = _recap_args(request)
    try:
        r = reports.month_recap(request.user, period=period, unit_id=unit_id, page=request.GET.get("page") or 1,
                                per_page=per_page_from(request.GET.get("per_page") or 50))  # fmt: skip
    except NotVisible as exc:
        raise Http404(str(exc)) from exc
    rows = [(m, [reports.band(m, b) for b in reports.BANDS]) for m in (r.page.object_list if r.page else [])]
    charts = {
        "chart-late": {
            "label": _("% hari kerja dengan terlambat"),
            "labels": [u.name for u, _f in r.chart_groups],
            "values": [f.tl_share or 0 for _u, f in r.chart_groups],
        },
        "chart-tk": {
            "label": _("Hari TK"),
            "labels": [date_format(m, "M Y") for m, _tk, _hk in r.trend],
            "values": [tk for _m, tk, _hk in r.trend],
        },
    }
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "attendance/screens_recap.html", {
        "r": r, "rows": rows, "bands": reports.BANDS, "charts": charts,
        "periods": reports.recap_periods(request.user, around=_today()),
        "units": _unit_choices(access_for(request.user)), "unit_id": unit_id,
        "export_query": query.urlencode(),
        "late_chart_rem": max(12, 2 * len(r.chart_groups) + 4),
    })  # fmt: skip


def _download(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@login_required
@private
def recap_xlsx(request: HttpRequest) -> HttpResponse:
    period, unit_id = _recap_args(request)
    try:
        content = recap_files.recap_xlsx(request.user, period=period, unit_id=unit_id)
    except NotVisible as exc:
        raise Http404(str(exc)) from exc
    return _download(content, recap_files.filename(period, "xlsx"),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")  # fmt: skip


@require_GET
@login_required
@private
def recap_csv(request: HttpRequest) -> HttpResponse:
    period, unit_id = _recap_args(request)
    try:
        content = recap_files.recap_csv(request.user, period=period, unit_id=unit_id)
    except NotVisible as exc:
        raise Http404(str(exc)) from exc
    return _download(content, recap_files.filename(period, "csv"), "text/csv; charset=utf-8")
