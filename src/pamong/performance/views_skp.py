"""SKP pages under /kinerja/: "Kinerja saya" (my SKPs, what waits for me as pejabat penilai, the admin's search and
unit copy), one SKP with its forms, the cascade tree and the PDF. Thin: each view reads through
performance.selectors and writes through one service of performance.skp; a refusal (DomainError) becomes a message
on the page and nothing changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pamong.accounts.access import access_for
from pamong.accounts.models import Role
from pamong.core.errors import DomainError, NotVisible
from pamong.org import selectors as org_selectors
from pamong.org.models import Unit
from pamong.people.models import Employee
from pamong.web.paging import paginate
from pamong.web.views import login_required, private

from . import selectors
from . import skp as services
from .models import Aspect, BerAkhlak, ResultKind, Skp, SkpIndicator, SkpResult, SkpState

PER_PAGE = 25
LIST_MAX_ROWS = 5000


def _year_from(value: Any, default: int) -> int:
    try:
        y = int(value)
    except (TypeError, ValueError):
        return default
    return y if services.YEAR_MIN <= y <= services.YEAR_MAX else default


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _error(request: HttpRequest, exc: DomainError) -> None:
    messages.error(request, str(exc.message))
    details = exc.details if isinstance(exc.details, dict) else {}
    for line in details.get("problems", [])[1:]:
        messages.error(request, str(line))


# --- home ------------------------------------------------------------------------------------------------------


@require_GET
@login_required
@private
def home(request: HttpRequest) -> HttpResponse:
    a = access_for(request.user)
    today = dt.date.today()
    year = _year_from(request.GET.get("tahun"), today.year)
    ctx: dict[str, Any] = {
        "year": year,
        "years": list(range(today.year + 1, services.YEAR_MIN - 1, -1)),
        "realisation_url": reverse("performance:realisation"),
        "rating_url": reverse("performance:rating_list"),
        "appeals_url": reverse("performance:appeal_list"),
        "is_supervisor": a.is_supervisor,
        "sees_dashboard": a.is_supervisor
        or bool(a.operator_paths)
        or a.has(Role.ADMIN_BKPSDM)
        or a.has(Role.INSPECTORATE),
        "is_admin": a.has(Role.ADMIN_BKPSDM),
        "states": SkpState.choices,
    }
    if a.employee_id is not None:
        from .calibration_selectors import my_scores

        ctx["own_url"] = reverse("performance:employee_performance", args=[a.employee_id])
        ctx["my_scores"], ctx["my_scores_year"] = my_scores(request.user, year), year
        mine = list(
            Skp.objects.filter(employee_id=a.employee_id)
            .select_related("penilai", "atasan_penilai")
            .order_by("-year", "-version")[:200]
        )
        ctx["this_year"] = [s for s in mine if s.year == year and s.state != SkpState.SUPERSEDED]
        past: dict[int, Skp] = {}
        for s in mine:  # newest version first: keep the one in force (agreed), else the newest
            if s.year == year:
                continue
            if s.year not in past or (s.state == SkpState.AGREED and past[s.year].state != SkpState.AGREED):
                past[s.year] = s
        ctx["past"] = sorted(past.values(), key=lambda s: -s.year)
        ctx["can_create"] = not any(s.year == year for s in mine)
        ctx["has_employee"] = True
    if a.employee_id is not None or a.has(Role.ADMIN_BKPSDM):
        awaiting = selectors.skps_awaiting(request.user)
        if awaiting or a.is_supervisor or a.has(Role.ADMIN_BKPSDM):  # staff without staff: no empty section
            ctx["awaiting"] = awaiting
    if a.is_supervisor:
        ctx["rated"] = selectors.skps_rated_by(request.user, year)
    if selectors.may_list(request.user):
        unit_id = _int(request.GET.get("unit"))
        unit = Unit.objects.filter(pk=unit_id).first() if unit_id else None
        state = request.GET.get("status", "")
        state = state if state in SkpState.values else ""
        page = paginate(
            selectors.skp_search(request.user, year=year, unit=unit, state=state),
            request.GET.get("page"),
            PER_PAGE,
            max_rows=LIST_MAX_ROWS,
        )
        ctx.update(
            listing=True,
            page=page,
            rows=list(page.object_list),
            units=org_selectors.units_for_choice(request.user, selected=unit_id),
            unit_id=unit_id,
            state=state,
            can_copy=a.has(Role.ADMIN_BKPSDM) or bool(a.operator_paths),
        )
    return render(request, "performance/skp/home.html", ctx)


@require_POST
@login_required
@private
def skp_create(request: HttpRequest) -> HttpResponse:
    """Own SKP (the button on the home page) or, for admin BKPSDM, an employee's by NIP with an optional rater
    chain of their own choosing (then a reason)."""
    a = access_for(request.user)
    year = _year_from(request.POST.get("year"), 0)
    nip = request.POST.get("nip", "").strip()
    kwargs: dict[str, Any] = {}
    try:
        if nip:
            emp = selectors.employees_in_scope(request.user).filter(nip=nip).first()
            if emp is None:
                raise NotVisible(_("Pegawai dengan NIP itu tidak ditemukan."))
            employee_id = emp.pk
            for field, key in (("penilai_nip", "penilai_id"), ("atasan_nip", "atasan_penilai_id")):
                other_nip = request.POST.get(field, "").strip()
                if other_nip:
                    other = Employee.objects.filter(nip=other_nip).values_list("pk", flat=True).first()
                    if other is None:
                        raise NotVisible(_("Pejabat dengan NIP %(nip)s tidak ditemukan.") % {"nip": other_nip})
                    kwargs[key] = other
            if kwargs:
                kwargs["override_reason"] = request.POST.get("reason", "")
        elif a.employee_id is not None:
            employee_id = a.employee_id
        else:
            raise NotVisible(_("Isi NIP pegawai."))
        skp = services.skp_create(actor=request.user, employee_id=employee_id, year=year, **kwargs)
    except DomainError as exc:
        _error(request, exc)
        return redirect(reverse("performance:home") + (f"?tahun={year}" if year else ""))
    messages.success(request, _("SKP tahun %(year)d dibuat sebagai draf.") % {"year": year})
    return redirect("performance:skp_detail", skp.pk)


@require_POST
@login_required
@private
def skp_copy(request: HttpRequest) -> HttpResponse:
    unit_id = _int(request.POST.get("unit"))
    from_year = _year_from(request.POST.get("from_year"), 0)
    to_year = _year_from(request.POST.get("to_year"), 0)
    try:
        if unit_id is None:
            raise NotVisible(_("Pilih unit kerja."))
        created = services.skp_copy_unit(actor=request.user, unit_id=unit_id, from_year=from_year, to_year=to_year)
    except DomainError as exc:
        _error(request, exc)
    else:
        messages.success(
            request, _("%(n)d SKP disalin sebagai draf tahun %(year)d.") % {"n": len(created), "year": to_year}
        )
    return redirect(reverse("performance:home") + (f"?tahun={to_year}" if to_year else ""))


# --- one SKP ---------------------------------------------------------------------------------------------------


def _skp(request: HttpRequest, pk: int) -> Skp:
    try:
        return selectors.skp_get(request.user, pk)
    except NotVisible as exc:
        raise Http404(str(exc)) from exc


def _results(skp: Skp) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    tree = selectors.skp_tree(skp)
    return (
        [t for t in tree if t["result"].kind == ResultKind.UTAMA],
        [t for t in tree if t["result"].kind == ResultKind.TAMBAHAN],
    )


def _support_choices(skp: Skp) -> list[SkpResult]:
    """The penilai's results of the year that a result may support (their agreed or open SKP)."""
    if skp.penilai_id is None:
        return []
    return list(
        SkpResult.objects.filter(skp__employee_id=skp.penilai_id, skp__year=skp.year)
        .exclude(skp__state=SkpState.SUPERSEDED)
        .select_related("skp")
        .order_by("-skp__version", "kind", "order", "id")[:200]
    )


@require_GET
@login_required
@private
def skp_detail(request: HttpRequest, pk: int) -> HttpResponse:
    skp = _skp(request, pk)
    acts = services.actions_for(request.user, skp)
    utama, tambahan = _results(skp)
    labels = dict(BerAkhlak.choices)
    versions = list(
        Skp.objects.filter(employee_id=skp.employee_id, year=skp.year)
        .order_by("version")
        .only("pk", "version", "state", "revision_reason", "agreed_at", "created_at")
    )
    open_revision = next((v for v in versions if v.version > skp.version and v.state in ("draft", "submitted")), None)
    ctx: dict[str, Any] = {
        "skp": skp,
        "acts": acts,
        "utama": utama,
        "tambahan": tambahan,
        "behaviours": [(b, labels.get(b.value, b.value)) for b in skp.behaviours.all()],
        "versions": versions,
        "can_revise": "revise" in acts and open_revision is None,
        "open_revision": open_revision,
        "needs_pk": services.is_unit_head(skp) or skp.penilai_id is None,
        "kinds": ResultKind.choices,
        "aspects": Aspect.choices,
        "atasan": skp.atasan_penilai,
    }
    if "edit" in acts:
        ctx["support_choices"] = _support_choices(skp)
    if "submit" in acts:
        ctx["problems"] = services.submit_problems(skp)
    return render(request, "performance/skp/detail.html", ctx)


def _own_result(skp: Skp, value: Any) -> int:
    rid = _int(value)
    if rid is None or not SkpResult.objects.filter(pk=rid, skp=skp).exists():
        raise Http404(_("Hasil kerja tidak ditemukan."))
    return rid


def _own_indicator(skp: Skp, value: Any) -> int:
    iid = _int(value)
    if iid is None or not SkpIndicator.objects.filter(pk=iid, result__skp=skp).exists():
        raise Http404(_("Indikator tidak ditemukan."))
    return iid


def _act(request: HttpRequest, skp: Skp) -> tuple[Callable[[], Any], str]:
    """The service call for the posted action and its success message."""
    p = request.POST
    u = request.user
    action = p.get("action", "")
    if action == "result_add":
        return (
            lambda: services.skp_result_add(
                actor=u,
                skp_id=skp.pk,
                kind=p.get("kind", ""),
                text=p.get("text", ""),
                supports_id=_int(p.get("supports")),
                pk_reference=p.get("pk_reference", ""),
            ),  # fmt: skip
            _("Hasil kerja ditambahkan."),
        )
    if action == "result_delete":
        rid = _own_result(skp, p.get("result"))
        return lambda: services.skp_result_delete(actor=u, result_id=rid), _("Hasil kerja dihapus.")
    if action == "indicator_add":
        rid = _own_result(skp, p.get("result"))
        return (
            lambda: services.skp_indicator_add(
                actor=u,
                result_id=rid,
                text=p.get("text", ""),
                aspect=p.get("aspect", ""),
                target=p.get("target", ""),
                unit_label=p.get("unit_label", ""),
            ),  # fmt: skip
            _("Indikator ditambahkan."),
        )
    if action == "indicator_delete":
        iid = _own_indicator(skp, p.get("indicator"))
        return lambda: services.skp_indicator_delete(actor=u, indicator_id=iid), _("Indikator dihapus.")
    if action == "expectation":
        return (
            lambda: services.skp_expectation_set(
                actor=u, skp_id=skp.pk, value=p.get("value", ""), expectation=p.get("expectation", "")
            ),
            _("Ekspektasi perilaku disimpan."),
        )
    if action == "submit":
        return lambda: services.skp_submit(actor=u, skp_id=skp.pk), _("SKP diajukan kepada pejabat penilai.")
    if action == "return":
        return (
            lambda: services.skp_return(actor=u, skp_id=skp.pk, note=p.get("note", "")),
            _("SKP dikembalikan kepada pegawai dengan catatan."),
        )
    if action == "agree":
        return lambda: services.skp_agree(actor=u, skp_id=skp.pk), _("SKP disetujui.")
    if action == "revise":
        return (
            lambda: services.skp_revise(actor=u, skp_id=skp.pk, reason=p.get("reason", "")),
            _("Versi baru SKP dibuat sebagai draf. Versi yang disetujui tetap berlaku sampai versi baru disetujui."),
        )
    raise Http404(_("Tindakan tidak dikenal."))


@require_POST
@login_required
@private
def skp_action(request: HttpRequest, pk: int) -> HttpResponse:
    skp = _skp(request, pk)
    call, done = _act(request, skp)
    target = skp.pk
    try:
        out = call()
    except DomainError as exc:
        _error(request, exc)
    else:
        messages.success(request, done)
        if isinstance(out, Skp):
            target = out.pk  # a revision: the new version's page
    anchor = request.POST.get("next_anchor", "")
    url = reverse("performance:skp_detail", args=[target])
    return redirect(url + (f"#{anchor}" if anchor.replace("-", "").isalnum() else ""))


# --- cascade ---------------------------------------------------------------------------------------------------


@require_GET
@login_required
@private
def skp_cascade(request: HttpRequest, pk: int) -> HttpResponse:
    skp = _skp(request, pk)
    visible_ids: set[int] = set()
    above = selectors.cascade_above(skp)
    below = selectors.cascade_down(request.user, skp)
    linked = {r.skp_id for chain in above.values() for r in chain}
    if linked:
        visible_ids = set(selectors.skps_visible_to(request.user).filter(pk__in=linked).values_list("pk", flat=True))
    own = {r.pk for r in skp.results.all()}
    direct = {k.skp_id for rid in own for k in below.get(rid, [])}  # the SKPs one level down (cascade_below's set)

    def flat(parent_id: int, level: int) -> list[tuple[str, Any]]:
        """The subtree below a result as open/close events, rendered in one loop (a recursive include per node
        cost ~1 ms each: a Kepala Bidang with 250 staff waited a third of a second)."""
        out: list[tuple[str, Any]] = []
        for k in below.get(parent_id, []):
            out.append(("li", k))
            if level < selectors.CASCADE_DOWN_MAX and below.get(k.pk):
                out += [("ul", None), *flat(k.pk, level + 1), ("/ul", None)]
            out.append(("/li", None))
        return out

    rows = []
    for t in selectors.skp_tree(skp):
        r = t["result"]
        rows.append({"r": r, "above": list(reversed(above.get(r.pk, []))), "below": flat(r.pk, 1)})
    ctx = {"skp": skp, "rows": rows, "visible_ids": visible_ids, "direct_count": len(direct)}
    return render(request, "performance/skp/cascade.html", ctx)


# --- PDF -------------------------------------------------------------------------------------------------------


@require_GET
@login_required
@private
def skp_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    from .skp_pdf import skp_pdf as render_pdf

    skp = _skp(request, pk)
    response = HttpResponse(render_pdf(skp), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="skp-{skp.year}-{skp.employee.nip}-v{skp.version}.pdf"'
    return response
