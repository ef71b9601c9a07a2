"""The year's work pages: my realisation of the month (with evidence), an employee's performance (realisation grid,
feedback, evaluations), the pejabat penilai's periodic ratings, one evaluation as the employee sees it, and the
unit's year-end. Thin: parse the input, call one selector or service, render or redirect with the message."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pamong.accounts.access import access_for
from pamong.core.errors import DomainError, NotVisible
from pamong.payroll.selectors import payslips_visible_to
from pamong.web.paging import paginate
from pamong.web.views import login_required, private

from . import evaluations, realisation
from . import selectors_work as sel
from .chain import unit_head_position
from .engine.predikat import (
    EKSPEKTASI,
    KUADRAN,
    LABEL_EKSPEKTASI,
    LABEL_ORGANISASI,
    LABEL_PREDIKAT,
    PENJELASAN,
    POLA,
    PREDIKAT,
)
from .models import EvaluationKind, EvaluationState, OrganisationRating, Predikat, Rating3
from .selectors import current_skp, employee_in_scope, evaluations_visible_to

RATINGS = [(v, LABEL_EKSPEKTASI[v]) for v in EKSPEKTASI]
SHORT = {"di_atas": "Di atas", "sesuai": "Sesuai", "di_bawah": "Di bawah"}  # the kuadran's row heads
STAFF_PER_PAGE = 50  # rating forms per page: the head of a large office may rate thousands


def _404(exc: DomainError) -> Http404:
    return Http404(str(exc.message))


def _month_param(month: dt.date) -> str:
    return month.strftime("%Y-%m")


def _error(request: HttpRequest, exc: DomainError) -> None:
    messages.error(request, str(exc.message))


def _percent(bp: int | None) -> str:
    if bp is None:
        return "–"
    whole, frac = divmod(int(bp), 100)
    return f"{whole}%" if frac == 0 else f"{whole},{frac:02d}%".rstrip("0")


# ---- my realisation ---------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
@private
def realisation_month(request: HttpRequest) -> HttpResponse:
    emp_id = access_for(request.user).employee_id
    if emp_id is None:
        raise Http404(_("Halaman ini untuk pegawai."))
    today = timezone.localdate()
    month = sel.parse_month(request.GET.get("bulan") or request.POST.get("bulan"), today.replace(day=1))
    if month > today.replace(day=1):
        month = today.replace(day=1)
    back = reverse("performance:realisation") + "?bulan=" + _month_param(month)
    if request.method == "POST":
        _realisation_post(request, month)
        return redirect(back)
    skp = current_skp(emp_id, month.year)
    ctx: dict[str, Any] = {
        "skp": skp,
        "month": month,
        "months": [(_month_param(m), m) for m in sel.months_of(month.year, today)],
        "years": [today.year - 1, today.year],
        "rows": sel.indicator_months(skp, month) if skp else [],
        "max_mb": realisation.MAX_EVIDENCE_BYTES // (1024 * 1024),
        "accept": ",".join(realisation.ALLOWED_EXTENSIONS),
    }
    return render(request, "performance/work/realisation.html", ctx)


def _indicator_id(request: HttpRequest) -> int:
    raw = request.POST.get("indicator", "")
    return int(raw) if raw.isdigit() else 0


def _realisation_post(request: HttpRequest, month: dt.date) -> None:
    action = request.POST.get("action")
    user = request.user
    try:
        if action == "set":
            realisation.realisation_set(actor=user, indicator_id=_indicator_id(request), month=month,
                                        value=request.POST.get("value", ""),
                                        note=request.POST.get("note", ""))  # fmt: skip
            messages.success(request, _("Realisasi disimpan."))
            return
        raw = request.POST.get("realisation", "")
        rid = int(raw) if raw.isdigit() else 0
        if action == "file":
            upload = request.FILES.get("file")
            if upload is None:
                messages.error(request, _("Pilih berkas yang akan diunggah."))
                return
            content = upload.read(realisation.MAX_EVIDENCE_BYTES + 1)
            realisation.evidence_add_file(actor=user, realisation_id=rid, filename=upload.name or "",
                                          content=content)  # fmt: skip
            messages.success(request, _("Bukti diunggah."))
        elif action == "link":
            realisation.evidence_add_link(actor=user, realisation_id=rid, url=request.POST.get("url", ""))
            messages.success(request, _("Tautan bukti disimpan."))
    except DomainError as exc:
        _error(request, exc)


@require_GET
@login_required
@private
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        ev = realisation.evidence_get(request.user, pk)
        path = realisation.evidence_path(ev)
    except NotVisible as exc:
        raise _404(exc) from exc
    if ev.link:  # a link is shown as a link on the pages; this address serves stored files only
        raise Http404(_("Bukti ini berupa tautan, bukan berkas."))
    try:
        fh = open(path, "rb")  # noqa: SIM115 (FileResponse closes it)
    except OSError as exc:
        raise Http404(_("Berkas bukti tidak ditemukan.")) from exc
    resp = FileResponse(fh, as_attachment=True, filename=ev.original_name, content_type=ev.content_type)
    resp["X-Content-Type-Options"] = "nosniff"
    resp["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return resp


# ---- an employee's performance ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
@private
def employee_performance(request: HttpRequest, employee_id: int) -> HttpResponse:
    try:
        emp = employee_in_scope(request.user, employee_id)
    except NotVisible as exc:
        raise _404(exc) from exc
    today = timezone.localdate()
    raw_year = request.GET.get("tahun", "")
    year = int(raw_year) if raw_year.isdigit() and 2000 <= int(raw_year) <= today.year else today.year
    if request.method == "POST":
        month = sel.parse_month(request.POST.get("bulan"), today.replace(day=1))
        try:
            realisation.feedback_add(actor=request.user, employee_id=emp.pk, text=request.POST.get("text", ""),
                                     month=month)  # fmt: skip
        except DomainError as exc:
            _error(request, exc)
        else:
            messages.success(request, _("Umpan balik disimpan."))
        return redirect(reverse("performance:employee_performance", args=[emp.pk]) + f"?tahun={year}")
    skp = current_skp(emp.pk, year)
    own = access_for(request.user).employee_id == emp.pk
    ctx = {
        "emp": emp,
        "year": year,
        "years": list(range(today.year, today.year - 3, -1)),
        "skp": skp,
        "grid": sel.realisation_grid(request.user, skp) if skp else [],
        "evidence": sel.skp_evidence(request.user, skp) if skp else [],
        "month_labels": [dt.date(year, m, 1) for m in range(1, 13)],
        "feedback": sel.employee_feedback(request.user, emp.pk),
        "evaluations": sel.employee_evaluations(request.user, emp.pk),
        "may_feedback": not own,
        "own": own,
        "months": [(_month_param(m), m) for m in reversed(sel.months_of(today.year, today))],
    }
    return render(request, "performance/work/employee.html", ctx)


# ---- the pejabat penilai's periodic ratings --------------------------------------------------------------------


def _previous_period(start: dt.date) -> dt.date:
    return evaluations.period_of(start - dt.timedelta(days=1))[0]


@require_http_methods(["GET", "POST"])
@login_required
@private
def rating_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    month = sel.parse_month(request.GET.get("bulan") or request.POST.get("bulan"), today.replace(day=1))
    if month > today.replace(day=1):
        month = today.replace(day=1)
    start, end = evaluations.period_of(month)
    back = reverse("performance:rating_list") + "?bulan=" + _month_param(start)
    if str(request.GET.get("page", "")).isdigit():  # a form posts to the page it is on (the URL keeps ?page=)
        back += f"&page={request.GET['page']}"
    if request.method == "POST":
        _rating_post(request, start)
        return redirect(back + (f"#e{request.POST.get('employee', '')}" if request.POST.get("employee") else ""))
    skps = sel.rated_skps(request.user, start.year)
    previous = _previous_period(start)
    same_year_previous = previous if previous.year == start.year else None
    page = paginate(skps, request.GET.get("page"), STAFF_PER_PAGE)
    rows = sel.staff_periods(list(page.object_list), start, same_year_previous)
    periods = []
    seen = set()
    for m in sel.months_of(today.year, today)[::-1]:
        p = evaluations.period_of(m)
        if p[0] not in seen:
            seen.add(p[0])
            periods.append((_month_param(p[0]), p[0], p[1]))
    ctx = {
        "rows": rows,
        "start": start,
        "end": end,
        "quarterly": end.month != start.month,
        "periods": periods,
        "previous": previous,
        "ratings": RATINGS,
        "overdue": sel.overdue_count(skps, same_year_previous),
        "page": page,
        "units": sel.year_end_units(request.user, start.year),
        "year": start.year,
        "capaian": {r.skp.employee_id: _percent(r.current.capaian_bp) for r in rows if r.current},
    }
    return render(request, "performance/work/rating_list.html", ctx)


def _rating_post(request: HttpRequest, start: dt.date) -> None:
    raw = request.POST.get("employee", "")
    emp_id = int(raw) if raw.isdigit() else 0
    finalise = request.POST.get("action") == "finalise"
    try:
        ev = evaluations.evaluation_rate(actor=request.user, employee_id=emp_id, month=start,
                                         hasil=request.POST.get("hasil", ""),
                                         perilaku=request.POST.get("perilaku", ""),
                                         note=request.POST.get("note", ""), finalise=finalise)  # fmt: skip
    except DomainError as exc:
        _error(request, exc)
        return
    text = (
        _("Penilaian difinalkan: %(p)s, capaian kinerja %(c)s.")
        if finalise
        else _("Draf penilaian disimpan: %(p)s, capaian kinerja %(c)s.")
    )
    messages.success(request, text % {"p": ev.get_predikat_display(), "c": _percent(ev.capaian_bp)})


# ---- one evaluation ---------------------------------------------------------------------------------------------


def _matrix(hasil: str, perilaku: str) -> list[dict[str, Any]]:
    """The 3×3 kuadran: rows = perilaku (di atas first), columns = hasil (di bawah first, as in the Lampiran)."""
    cols = ("di_bawah", "sesuai", "di_atas")
    return [
        {
            "perilaku": SHORT[p],
            "cells": [
                {
                    "label": str(Predikat(KUADRAN[(h, p)]).label).replace("/", "/\u200b"),
                    "here": (h, p) == (hasil, perilaku),
                }
                for h in cols
            ],
        }
        for p in ("di_atas", "sesuai", "di_bawah")
    ]


@require_GET
@login_required
@private
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        ev = sel.evaluation_get(request.user, pk)
    except NotVisible as exc:
        raise _404(exc) from exc
    correction = evaluations.current(evaluations_visible_to(request.user).filter(corrects=ev)).first()
    slips = []
    if ev.kind == EvaluationKind.PERIODIC and ev.state == EvaluationState.FINAL:
        for slip in (
            payslips_visible_to(request.user)
            .filter(employee_id=ev.employee_id, kind="tpp", period__gte=ev.period_start, period__lte=ev.period_end)
            .order_by("period")
        ):
            src = (slip.facts or {}).get("capaian_sumber") or {}
            slips.append({"slip": slip, "amount": int((slip.lines or {}).get("tpp_kinerja", 0)),
                          "from_this": src.get("evaluasi") in (ev.pk, getattr(correction, "pk", None))})  # fmt: skip
    own = access_for(request.user).employee_id == ev.employee_id
    appeal = getattr(ev, "appeal_decision", None) if ev.corrects_id else None
    ctx = {
        "ev": ev,
        "matrix": _matrix(ev.hasil, ev.perilaku),
        "capaian": _percent(ev.capaian_bp),
        "slips": slips,
        "correction": correction,
        "appeal": appeal,
        "may_appeal": own and ev.state == EvaluationState.FINAL and correction is None and ev.corrects_id is None,
        "appeal_url": f"/kinerja/keberatan/ajukan/{ev.pk}/",
        "periodic": ev.kind == EvaluationKind.PERIODIC,
    }
    return render(request, "performance/work/evaluation_detail.html", ctx)


# ---- year end ---------------------------------------------------------------------------------------------------


def _rules(organisasi: str, pelanggaran: list[str]) -> list[dict[str, Any]]:
    return [{"text": PENJELASAN[a.kode], "ok": a.kode not in pelanggaran} for a in POLA.get(organisasi, ())]


@require_http_methods(["GET", "POST"])
@login_required
@private
def year_end(request: HttpRequest, unit_id: int, year: int) -> HttpResponse:
    try:
        acc = sel.year_end_access(request.user, unit_id, year)
    except NotVisible as exc:
        raise _404(exc) from exc
    here = reverse("performance:year_end", args=[unit_id, year])
    if request.method == "POST":
        _year_end_post(request, acc, unit_id, year)
        return redirect(here)
    preview = evaluations.unit_year_preview(unit_id, year)
    uy = preview.unit_year
    skps = sel.unit_skps(unit_id, year)
    rated = {e.employee_id: e for e in preview.drafts}
    head_pos = unit_head_position(unit_id)
    heads = {s.employee_id for s in skps if s.position_id == head_pos}
    finalised = uy is not None and uy.finalised_at is not None
    rows = [
        {"skp": s, "ev": rated.get(s.employee_id), "head": s.employee_id in heads,
         "may_rate": s.employee_id in acc.rates and not finalised,
         "predikat": preview.predikat.get(str(s.employee_id))}
        for s in skps
    ]  # fmt: skip
    counts = [(p, preview.distribusi.get(p, 0)) for p in PREDIKAT] if preview.distribusi else []
    ctx = {
        "unit": acc.unit,
        "year": year,
        "uy": uy,
        "finalised": finalised,
        "may_decide": acc.may_decide and not finalised,
        "read_only": not acc.may_decide and not acc.rates,
        "rows": rows,
        "missing": len(preview.missing),
        "counts": [(LABEL_PREDIKAT[p], n) for p, n in counts],
        "rules": _rules(uy.organisasi, preview.pelanggaran) if uy else [],
        "explanations": [PENJELASAN[c] for c in uy.violations] if uy and finalised else preview.explanations,
        "breaks": bool(preview.pelanggaran),
        "organisasi_choices": OrganisationRating.choices,
        "organisasi_label": LABEL_ORGANISASI.get(uy.organisasi, "") if uy else "",
        "ratings": RATINGS,
        "rating_labels": dict(Rating3.choices),
    }
    return render(request, "performance/work/year_end.html", ctx)


def _year_end_post(request: HttpRequest, acc: sel.YearEndAccess, unit_id: int, year: int) -> None:
    action = request.POST.get("action")
    user = request.user
    try:
        if action == "organisasi":
            evaluations.unit_year_set(actor=user, unit_id=unit_id, year=year,
                                      organisasi=request.POST.get("organisasi", ""),
                                      basis=request.POST.get("basis", ""))  # fmt: skip
            messages.success(request, _("Capaian kinerja organisasi disimpan."))
        elif action == "rate":
            raw = request.POST.get("employee", "")
            ev = evaluations.annual_rate(actor=user, employee_id=int(raw) if raw.isdigit() else 0, year=year,
                                         perilaku=request.POST.get("perilaku", ""),
                                         hasil=request.POST.get("hasil") or None,
                                         note=request.POST.get("note", ""))  # fmt: skip
            messages.success(
                request, _("Penilaian tahunan %(name)s disimpan sebagai draf.") % {"name": ev.employee.name}
            )
        elif action == "finalise":
            evaluations.unit_year_finalise(actor=user, unit_id=unit_id, year=year,
                                           reason=request.POST.get("reason", ""))  # fmt: skip
            messages.success(request, _("Penilaian tahunan unit ini sudah final. Pegawai menerima pemberitahuan."))
    except DomainError as exc:
        _error(request, exc)
        details = exc.details if isinstance(exc.details, dict) else {}
        for line in details.get("penjelasan", []) or []:
            messages.error(request, line)
