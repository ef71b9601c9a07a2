"""Payroll pages: runs (list, create + compute, detail with progress, per-OPD verification, approval, payment,
closing), the payslips of an OPD, one payslip with the line-by-line explanation of its computation, the employee's
own payslips, downloads, and the public verification page for a printed payslip's code.

Views parse input, call one service or selector, and render. Who sees what is decided in payroll.selectors (a run or
payslip the user may not see is a 404, never a 403); what may be done is decided in payroll.services (a refusal is a
DomainError, shown as a message on the page with its HTTP status, never a 500)."""

from __future__ import annotations

import datetime as dt
import mimetypes
import re
from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import Count, F, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pamong.accounts.access import Access, access_for
from pamong.accounts.models import Role
from pamong.core.errors import DomainError, NotVisible, ValidationFailed
from pamong.org.models import Unit
from pamong.web.paging import paginate
from pamong.web.views import _is_partial, _vary_htmx, login_required, private

from . import labels, ratelimit, selectors, services
from .explanation import explanation_context
from .models import OpdVerification, PayrollRun, Payslip, PayslipError, RunChunk, RunKind, RunState
from .outputs import bank, contributions, pdf, register

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
SLIPS_PER_PAGE = 100
RUNS_PER_PAGE = 25
# kinds offered in the "Buat proses" form (a rapel finds what it corrects from the rank/KGB history)
CREATABLE_KINDS = ("gaji", "tpp", "thr", "gaji13", "rapel")

SUCCESS = {
    "compute": gettext_lazy("Perhitungan ulang dimulai."),
    "verify": gettext_lazy("OPD diverifikasi."),
    "return": gettext_lazy("Proses penggajian dikembalikan untuk diperbaiki."),
    "approve": gettext_lazy("Proses penggajian disetujui."),
    "pay": gettext_lazy("Pembayaran (SP2D) dicatat."),
    "close": gettext_lazy("Proses penggajian ditutup."),
    "cancel": gettext_lazy("Proses penggajian dibatalkan. Bulan dan jenis ini dapat dibuat lagi."),
}


# --- helpers ---------------------------------------------------------------------------------------------------


def _run_or_404(user: Any, pk: int) -> PayrollRun:
    try:
        return selectors.run_get(user, pk)
    except NotVisible as exc:
        raise Http404(str(exc)) from exc


def _payslip_or_404(user: Any, pk: int) -> Payslip:
    try:
        return selectors.payslip_get(user, pk)
    except NotVisible as exc:
        raise Http404(str(exc)) from exc


def _refused(request: HttpRequest, exc: DomainError) -> int:
    """A service's refusal as a message on the page; returns the HTTP status the page is sent with."""
    if isinstance(exc, NotVisible):
        raise Http404(str(exc.message)) from exc
    messages.error(request, str(exc.message))
    return exc.status


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _opd_scope(user: Any, run: PayrollRun) -> tuple[bool, list[int]]:
    """(sees every OPD of the run, the OPD ids whose part this user sees): BPKAD head and inspectorate all of them,
    a treasurer their own OPDs (selectors decide both)."""
    if selectors.sees_all_pay(access_for(user)):
        return True, services.opds_of(run)
    return False, selectors.treasurer_opds(user, run)


def _opd_or_404(user: Any, run: PayrollRun, opd_id: int) -> Unit:
    _all, ids = _opd_scope(user, run)
    if opd_id not in ids:
        raise Http404(_("OPD tidak ditemukan dalam proses penggajian ini"))
    return Unit.objects.get(id=opd_id)


def _stamp(run: PayrollRun, opd: Unit | None = None) -> str:
    """The file-name part naming a run (and an OPD): gaji-2026-11-disdik."""
    parts = [run.kind, f"{run.period:%Y-%m}"]
    if opd is not None:
        parts.append(opd.code.lower())
    return "-".join(parts).replace("/", "-").replace(" ", "-")


# --- run list and creation -------------------------------------------------------------------------------------


class RunCreateForm(forms.Form):
    month = forms.CharField(
        label=gettext_lazy("Bulan"),
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-11"}),
        help_text=gettext_lazy("Tahun dan bulan, misalnya 2026-11."),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Jenis"), choices=[c for c in RunKind.choices if c[0] in CREATABLE_KINDS]
    )
    scope = forms.ModelChoiceField(
        label=gettext_lazy("Lingkup OPD"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=gettext_lazy("Seluruh kota"),
    )

    def __init__(self, *args: Any, access: Access, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["scope"]
        assert isinstance(field, forms.ModelChoiceField)
        opds = Unit.objects.filter(opd_id=F("pk"), active=True).order_by("name")
        if access.has(Role.BPKAD_HEAD):
            field.queryset = opds
            field.help_text = _("Kosongkan untuk seluruh kota.")
        else:  # a treasurer computes only a run scoped to one of their OPDs
            q = Unit.objects.none()
            for path in access.treasurer_paths:
                q = q | opds.filter(path__startswith=path)
            field.queryset = q
            field.required = True
            field.empty_label = None

    def clean_month(self) -> dt.date:
        raw = self.cleaned_data["month"].strip()
        try:
            return dt.datetime.strptime(raw[:7], "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError(_("Isi bulan dengan format TTTT-BB, misalnya 2026-11.")) from None


def _can_create(access: Access) -> bool:
    return access.has(Role.BPKAD_HEAD) or bool(access.treasurer_paths)


@require_http_methods(["GET", "POST"])
@login_required
@private
def run_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    access = access_for(user)
    can_create = _can_create(access)
    status = 200
    form = RunCreateForm(request.POST or None, access=access) if can_create else None
    if request.method == "POST":
        if form is None:
            messages.error(request, _("Anda tidak berwenang membuat proses penggajian"))
            status = 403
        elif not form.is_valid():
            status = 422
        else:
            data = form.cleaned_data
            try:
                with transaction.atomic():  # a run that cannot start computing is not left behind as a draft
                    run = services.run_create(user, period=data["month"], kind=data["kind"], scope=data["scope"])
                    run = services.run_compute(user, run, enqueue=True)
            except DomainError as exc:
                status = _refused(request, exc)
            else:
                messages.success(request, _("Proses penggajian dibuat; perhitungan berjalan di latar belakang."))
                return redirect("payroll:run_detail", pk=run.pk)
    runs = selectors.runs_visible_to(user).select_related("created_by").order_by("-period", "-created_at", "-id")
    page = paginate(runs, request.GET.get("page"), RUNS_PER_PAGE)
    ctx = {"page": page, "runs": list(page.object_list), "form": form}
    return render(request, "payroll/run_list.html", ctx, status=status)


# --- run detail ------------------------------------------------------------------------------------------------


def _computing(run: PayrollRun) -> bool:
    return run.state == RunState.DRAFT and run.chunks_done < run.chunks_total


def _progress_context(run: PayrollRun) -> dict[str, Any]:
    """The progress box: polling while the chunks move; stopped, with what to do, when a chunk failed or the
    computation stalled (no live worker, or no chunk finished for a long while)."""
    failed = list(RunChunk.objects.filter(run=run, state=RunChunk.State.FAILED).values("index", "error"))
    percent = round(100 * run.chunks_done / run.chunks_total) if run.chunks_total else 0
    stall = selectors.run_stall(run) if _computing(run) and not failed else None
    return {
        "run": run,
        "computing": _computing(run) and not failed and stall is None,
        "stall": stall,
        "failed_chunks": failed,
        "percent": percent,
    }


def _detail_context(request: HttpRequest, run: PayrollRun) -> dict[str, Any]:
    user = request.user
    sees_all, opd_ids = _opd_scope(user, run)
    treasured = set(selectors.treasurer_opds(user, run))
    progress = _progress_context(run)
    actions = services.allowed_actions(user, run)
    if progress["computing"]:  # "Hitung" while it computes would only start over; offered again if it stalls
        actions = [a for a in actions if a.name != "compute"]
    names = {a.name for a in actions}
    units = {u.id: u for u in Unit.objects.filter(id__in=opd_ids)}
    sums = {
        r["opd_id"]: r
        for r in selectors.payslips_visible_to(user)
        .filter(run=run, opd_id__in=opd_ids)
        .values("opd_id")
        .annotate(n=Count("id"), bruto=Sum("bruto"), bersih=Sum("bersih"))
        .order_by()
    }
    errors = list(
        PayslipError.objects.filter(run=run, opd_id__in=opd_ids)
        .select_related("employee", "opd")
        .order_by("opd__name", "employee__nip")
    )
    error_counts: dict[int, int] = {}
    for e in errors:
        error_counts[e.opd_id] = error_counts.get(e.opd_id, 0) + 1
    verifications = {v.opd_id: v for v in OpdVerification.objects.filter(run=run).select_related("verified_by")}
    rows = []
    for opd_id in sorted(opd_ids, key=lambda i: units[i].name if i in units else ""):
        s = sums.get(opd_id, {})
        rows.append(
            {
                "opd": units.get(opd_id),
                "n": s.get("n", 0),
                "bruto": s.get("bruto") or 0,
                "bersih": s.get("bersih") or 0,
                "errors": error_counts.get(opd_id, 0),
                "verification": verifications.get(opd_id),
                "can_verify": "verify" in names and opd_id in treasured and opd_id not in verifications,
            }
        )
    all_opds = services.opds_of(run) if not sees_all else opd_ids
    frozen = run.state in (RunState.APPROVED, RunState.PAID, RunState.CLOSED)
    has_slips = run.state not in (RunState.DRAFT, RunState.CANCELLED)
    return {
        **progress,
        "rows": rows,
        "sees_all": sees_all,
        "errors": errors,
        "opds_total": len(all_opds),
        "opds_verified": len(verifications),
        "totals": {
            "n": sum(r["n"] for r in rows),
            "bruto": sum(r["bruto"] for r in rows),
            "bersih": sum(r["bersih"] for r in rows),
        },
        "actions": [a for a in actions if a.name != "verify"],
        "action_names": names,
        "transitions": list(run.transitions.select_related("actor", "opd").order_by("at", "id")),
        # downloads: registers once computed; the recap to who sees every OPD; bank files and contributions once
        # approved (a bank file of an unapproved run must not exist)
        "show_registers": has_slips and bool(rows),
        "show_recap": has_slips and sees_all,
        "show_bank": frozen and bool(rows),
        "show_contributions": frozen and sees_all,
        "kind_title": labels.KIND_TITLES.get(run.kind, ""),
    }


def _render_detail(request: HttpRequest, run: PayrollRun, status: int = 200) -> HttpResponse:
    return render(request, "payroll/run_detail.html", _detail_context(request, run), status=status)


@require_GET
@login_required
@private
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _run_or_404(request.user, pk))


@require_GET
@login_required
@private
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress box, polled by htmx every 2 s while computing; when done, htmx reloads the whole page (the
    actions and tables change with the state)."""
    run = _run_or_404(request.user, pk)
    ctx = _progress_context(run)
    response = render(request, "payroll/_progress.html", ctx)
    if _is_partial(request) and not ctx["computing"]:
        response["HX-Refresh"] = "true"
    return _vary_htmx(response)


def _verify(user: Any, run: PayrollRun, post: Any) -> PayrollRun:
    opd = Unit.objects.filter(id=int(post["opd"])).first() if str(post.get("opd", "")).isdigit() else None
    if opd is None:
        raise ValidationFailed(_("Pilih OPD yang diverifikasi"))
    return services.run_verify(user, run, opd)


RUN_ACTIONS: dict[str, Callable[[Any, PayrollRun, Any], PayrollRun]] = {
    "compute": lambda user, run, post: services.run_compute(user, run, enqueue=True),
    "verify": _verify,
    "return": lambda user, run, post: services.run_return(user, run, post.get("reason", "")),
    "approve": lambda user, run, post: services.run_approve(user, run, post.get("reason", "")),
    "pay": lambda user, run, post: services.run_pay(user, run, post.get("sp2d_number", "")),
    "close": lambda user, run, post: services.run_close(user, run),
    "cancel": lambda user, run, post: _cancel(user, run, post),
}


def _cancel(user: Any, run: PayrollRun, post: Any) -> PayrollRun:
    if post.get("confirm") != "1":
        raise ValidationFailed(_("Centang konfirmasi untuk membatalkan proses penggajian ini"))
    return services.run_cancel(user, run, post.get("reason", ""))


@require_POST
@login_required
@private
def run_action(request: HttpRequest, pk: int) -> HttpResponse:
    """One transition of the run. The page's `version` goes to the service, so acting on a page that is out of date
    (someone else acted meanwhile) is refused with the Conflict message instead of acting twice."""
    user = request.user
    run = _run_or_404(user, pk)
    action = request.POST.get("action", "")
    version = request.POST.get("version", "")
    if version.isdigit():
        run.version = int(version)
    try:
        do = RUN_ACTIONS.get(action)
        if do is None:
            raise ValidationFailed(_("Tindakan tidak dikenal: %(action)s") % {"action": action})
        do(user, run, request.POST)
    except DomainError as exc:
        status = _refused(request, exc)
        return _render_detail(request, _run_or_404(user, pk), status=status)
    messages.success(request, str(SUCCESS[action]))
    return redirect("payroll:run_detail", pk=pk)


# --- payslips of an OPD, one payslip, own payslips --------------------------------------------------------------


@require_GET
@login_required
@private
def opd_payslips(request: HttpRequest, pk: int, opd_id: int) -> HttpResponse:
    run = _run_or_404(request.user, pk)
    opd = _opd_or_404(request.user, run, opd_id)
    slips = selectors.payslips_visible_to(request.user).filter(run=run, opd=opd).order_by("employee__nip")
    page = paginate(slips, request.GET.get("page"), SLIPS_PER_PAGE)
    totals = slips.aggregate(n=Count("id"), bruto=Sum("bruto"), potongan=Sum("potongan"), bersih=Sum("bersih"))
    ctx = {"run": run, "opd": opd, "page": page, "slips": list(page.object_list), "totals": totals}
    return render(request, "payroll/opd_payslips.html", ctx)


@require_GET
@login_required
@private
def payslip_detail(request: HttpRequest, pk: int) -> HttpResponse:
    slip = _payslip_or_404(request.user, pk)
    sees_all, opd_ids = _opd_scope(request.user, slip.run)
    ctx = {
        "slip": slip,
        "run": slip.run,
        "facts": slip.facts or {},
        "sections": labels.slip_sections(slip),
        **explanation_context(slip, request.user),
        "can_list_opd": slip.opd_id in opd_ids,
    }
    return render(request, "payroll/payslip_detail.html", ctx)


def _slip_filename(slip: Payslip) -> str:
    return f"slip-{slip.kind}-{slip.period:%Y-%m}-{slip.employee.nip}.pdf"


@require_GET
@login_required
@private
def payslip_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    slip = _payslip_or_404(request.user, pk)
    return _download(pdf.payslip_pdf(slip, pdf.public_url(request)), PDF, _slip_filename(slip))


@require_GET
@login_required
@private
def my_payslips(request: HttpRequest) -> HttpResponse:
    slips = selectors.own_payslips(request.user)
    page = paginate(slips, request.GET.get("page"), 24)
    linked = access_for(request.user).employee_id is not None
    ctx = {"page": page, "slips": list(page.object_list), "linked": linked}
    return render(request, "payroll/my_payslips.html", ctx)


# --- downloads -------------------------------------------------------------------------------------------------


def _guarded(request: HttpRequest, run: PayrollRun, make: Callable[[], HttpResponse]) -> HttpResponse:
    """A download whose builder may refuse (a DomainError): the run page with the message instead of a 500."""
    try:
        return make()
    except DomainError as exc:
        status = _refused(request, exc)
        return _render_detail(request, run, status=status)


@require_GET
@login_required
@private
def register_download(request: HttpRequest, pk: int, opd_id: int, fmt: str) -> HttpResponse:
    run = _run_or_404(request.user, pk)
    opd = _opd_or_404(request.user, run, opd_id)
    name = f"daftar-{_stamp(run, opd)}"
    if fmt not in ("xlsx", "pdf"):
        raise Http404(_("Format tidak dikenal"))
    if fmt == "pdf":
        return _guarded(request, run, lambda: _download(register.register_pdf(run, opd), PDF, f"{name}.pdf"))
    return _guarded(request, run, lambda: _download(register.register_xlsx(run, opd), XLSX, f"{name}.xlsx"))


@require_GET
@login_required
@private
def recap_download(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_or_404(request.user, pk)
    if not _opd_scope(request.user, run)[0]:
        raise Http404(_("Rekapitulasi tidak ditemukan"))
    return _guarded(request, run, lambda: _download(register.recap_xlsx(run), XLSX, f"rekap-{_stamp(run)}.xlsx"))


@require_GET
@login_required
@private
def contributions_download(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_or_404(request.user, pk)
    if not _opd_scope(request.user, run)[0]:
        raise Http404(_("Rekap iuran tidak ditemukan"))
    name = f"iuran-{run.period:%Y-%m}.xlsx"
    return _guarded(request, run, lambda: _download(contributions.contributions_xlsx(run.period), XLSX, name))


def _bank_files(user: Any, run: PayrollRun) -> list[tuple[Unit | None, Any]]:
    """(OPD or None for the whole run, BankFile) the user may download: every file of the run for who sees every
    OPD, the files of their own OPDs for a treasurer."""
    sees_all, opd_ids = _opd_scope(user, run)
    if sees_all:
        return [(None, f) for f in [*bank.bank_files(run), *bank.creditor_files(run)]]
    return [
        (opd, f)
        for opd in Unit.objects.filter(id__in=opd_ids).order_by("name")
        for f in [*bank.bank_files(run, opd), *bank.creditor_files(run, opd)]
    ]


@require_GET
@login_required
@private
def bank_list(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_or_404(request.user, pk)
    if not run.frozen:
        messages.error(request, _("Berkas bank baru tersedia setelah proses penggajian disetujui"))
        return _render_detail(request, run, status=409)
    try:
        files = _bank_files(request.user, run)
    except DomainError as exc:
        status = _refused(request, exc)
        return _render_detail(request, run, status=status)
    return render(request, "payroll/bank_files.html", {"run": run, "files": files})


@require_GET
@login_required
@private
def bank_download(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run_or_404(request.user, pk)
    if not run.frozen:
        raise Http404(_("Berkas bank tidak ditemukan"))
    wanted = request.GET.get("berkas", "")
    opd_id = request.GET.get("opd", "")

    def make() -> HttpResponse:
        for opd, f in _bank_files(request.user, run):
            if f.filename == wanted and (opd is None or str(opd.id) == opd_id):
                content_type = mimetypes.guess_type(f.filename)[0] or "application/octet-stream"
                return _download(f.content, content_type, f.filename)
        raise Http404(_("Berkas bank tidak ditemukan"))

    return _guarded(request, run, make)


# --- public verification ---------------------------------------------------------------------------------------


def mask_name(name: str) -> str:
    """Each word shows its first two letters (one for a short word): "Rina Marlina" → "Ri** Ma*****"."""
    out = []
    for word in name.split():
        keep = 1 if len(word) <= 3 else 2
        out.append(word[:keep] + "*" * (len(word) - keep))
    return " ".join(out)


def mask_nip(nip: str) -> str:
    """The first and last four digits: 198302032025212001 → 1983**********2001."""
    if len(nip) <= 8:
        return "*" * len(nip)
    return nip[:4] + "*" * (len(nip) - 8) + nip[-4:]


CODE = re.compile(r"[0-9A-Za-z]{1,32}")


def _limited(request: HttpRequest) -> HttpResponse | None:
    """The public verification pages are rate-limited per client address: the request beyond the limit gets a
    friendly page with status 429."""
    if not ratelimit.over_limit(request, "verify", settings.PAMONG_VERIFY_RATE):
        return None
    response = render(request, "payroll/verify.html", {"limited": True}, status=429)
    response["Retry-After"] = str(ratelimit.WINDOW)
    response["X-Robots-Tag"] = "noindex"
    return response


def _shown(code: str) -> str:
    """A code as typed, safe to show back: at most 32 characters."""
    return code if len(code) <= 32 else code[:32] + "…"


@require_GET
@private
def payslip_lookup(request: HttpRequest) -> HttpResponse:
    """Public: the form where a code read from a printed payslip is typed in. A code that cannot be one (a slash,
    too long, not letters and digits) gets the not-found answer here: it cannot be put into the page's address."""
    limited = _limited(request)
    if limited is not None:
        return limited
    code = "".join(request.GET.get("kode", "").split())  # spaces typed between groups
    if not code:
        return render(request, "payroll/verify.html", {"asked": False})
    if CODE.fullmatch(code):
        return redirect("payslip_verify", code=code.upper())
    response = render(request, "payroll/verify.html", {"asked": True, "code": _shown(code), "slip": None}, status=404)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
@private
def payslip_verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: anyone holding a printed payslip checks its code. Shows only that the slip exists and is approved,
    with the masked name and NIP, month and kind — no amount (pay is private; the holder has the slip) — or that no
    approved slip has this code (404: a draft has no code)."""
    limited = _limited(request)
    if limited is not None:
        return limited
    code = code.strip().upper()
    slip = selectors.payslip_by_code(code) if CODE.fullmatch(code) else None
    ctx: dict[str, Any] = {"asked": True, "code": _shown(code), "slip": slip}
    if slip is not None:
        facts = slip.facts or {}
        ctx.update(
            name=mask_name(str(facts.get("nama") or slip.employee.full_name)),
            nip=mask_nip(str(facts.get("nip") or slip.employee.nip)),
            kind_title=labels.KIND_TITLES.get(slip.kind, slip.get_kind_display()),
        )
    response = render(request, "payroll/verify.html", ctx, status=200 if slip is not None else 404)
    response["X-Robots-Tag"] = "noindex"
    return response
