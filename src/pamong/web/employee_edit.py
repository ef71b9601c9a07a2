"""Web forms that change an employee's record: contacts, bank account, rank, position and status (each with its
SK), family members. Thin: parse the form, call one service, show its refusal beside the fields.

Who may change what is the API's rule (`people.change_employee` on the employee's unit: admin BKPSDM anywhere,
an OPD operator in their OPD): an employee the user may not see is a 404, one they may see but not change a 403.
A position in another unit also needs the right to change that unit (an operator moves people within their OPD).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from pamong.accounts.access import access_for, path_q
from pamong.accounts.models import Role
from pamong.core.errors import DomainError, Forbidden, NotVisible
from pamong.org.models import Position
from pamong.people import selectors as people
from pamong.people import services
from pamong.people.models import Employee, FamilyMember
from pamong.people.services import CONTACT_FIELDS, FAMILY_FIELDS, Sk

from .employee_forms import (
    BankForm,
    ContactForm,
    FamilyEndForm,
    FamilyForm,
    PositionForm,
    RankForm,
    StatusForm,
    show_errors,
)
from .views import login_required, private

CHANGE_PERM = "people.change_employee"


def may_change(user: Any, employee: Employee) -> bool:
    return bool(user.has_perm(CHANGE_PERM, employee.unit))


def _changeable(request: HttpRequest, pk: int) -> Employee:
    try:
        employee, _level = people.employee_get(request.user, employee_id=pk)
    except NotVisible as exc:
        raise Http404(str(exc)) from exc
    if not may_change(request.user, employee):
        raise PermissionDenied(_("Anda tidak berwenang mengubah data pegawai ini."))
    return employee


def _sk(data: dict[str, Any]) -> Sk:
    return Sk(number=data["sk_number"], date=data["sk_date"], tmt=data["tmt"])


def _edit(
    request: HttpRequest,
    employee: Employee,
    *,
    form: Any,
    title: str,
    save: Callable[[dict[str, Any]], Any],
    done: str,
    intro: str = "",
) -> HttpResponse:
    """GET: the form. POST: the service, then back to the record with a message; a refusal re-shows the form with
    the errors beside their fields and nothing changed (the service is atomic)."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except Forbidden as exc:
            raise PermissionDenied(str(exc)) from exc
        except (DomainError, DjangoValidationError) as exc:
            show_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("employee_detail", employee.pk)
    status = 422 if request.method == "POST" else 200
    ctx = {"e": employee, "form": form, "title": title, "intro": intro}
    return render(request, "web/employees/edit.html", ctx, status=status)


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@require_http_methods(["GET", "POST"])
@login_required
@private
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    e = _changeable(request, pk)
    initial = {f: getattr(e, f) for f in ContactForm.base_fields if f in CONTACT_FIELDS}

    def save(d: dict[str, Any]) -> None:
        values = {f: d[f] for f in ContactForm.base_fields if f in CONTACT_FIELDS}
        services.employee_update_contact(actor=request.user, employee=e, reason=d["reason"], **values)

    return _edit(request, e, form=ContactForm(_data(request), initial=initial), title=_("Ubah data pribadi dan kontak"),
                 save=save, done=_("Data pribadi dan kontak disimpan."))  # fmt: skip


@require_http_methods(["GET", "POST"])
@login_required
@private
def bank_edit(request: HttpRequest, pk: int) -> HttpResponse:
    e = _changeable(request, pk)
    initial = {f: getattr(e, f) for f in BankForm.base_fields if f in CONTACT_FIELDS}

    def save(d: dict[str, Any]) -> None:
        values = {f: d[f] for f in BankForm.base_fields if f in CONTACT_FIELDS}
        services.employee_update_contact(actor=request.user, employee=e, reason=d["reason"], **values)

    return _edit(request, e, form=BankForm(_data(request), initial=initial), title=_("Ubah rekening bank"),
                 save=save, done=_("Rekening bank disimpan."),
                 intro=_("Gaji dan TPP dibayar ke rekening ini mulai proses penggajian berikutnya."))  # fmt: skip


@require_http_methods(["GET", "POST"])
@login_required
@private
def rank_add(request: HttpRequest, pk: int) -> HttpResponse:
    e = _changeable(request, pk)
    initial = {"golongan": e.golongan, "mkg_years": e.mkg_years, "mkg_months": e.mkg_months}

    def save(d: dict[str, Any]) -> None:
        services.rank_change(actor=request.user, employee=e, golongan=d["golongan"], mkg_years=d["mkg_years"],
                             mkg_months=d["mkg_months"], kind=d["kind"], sk=_sk(d), reason=d["reason"])  # fmt: skip

    form = RankForm(_data(request), initial=initial, employee=e)
    return _edit(request, e, form=form, title=_("Catat kenaikan pangkat/golongan"), save=save,
                 done=_("Kenaikan pangkat/golongan dicatat."),
                 intro=_("SK dengan TMT sebelum riwayat terakhir hanya ditambahkan ke riwayat."))  # fmt: skip


@require_http_methods(["GET", "POST"])
@login_required
@private
def position_add(request: HttpRequest, pk: int) -> HttpResponse:
    e = _changeable(request, pk)
    positions = _assignable_positions(request.user)

    def save(d: dict[str, Any]) -> None:
        position = Position.objects.select_related("unit").get(pk=d["position"])
        if not request.user.has_perm(CHANGE_PERM, position.unit):
            raise Forbidden(_("Anda tidak berwenang menempatkan pegawai pada unit kerja ini."))
        services.position_assign(actor=request.user, employee=e, position=position, mode=d["mode"],
                                 end_date=d["end_date"], sk=_sk(d), reason=d["reason"])  # fmt: skip

    form = PositionForm(_data(request), initial={"position": e.position_id}, positions=positions)
    return _edit(request, e, form=form, title=_("Catat jabatan"), save=save, done=_("Jabatan dicatat."),
                 intro=_("Penugasan Plt/Plh tidak mengganti jabatan definitif."))  # fmt: skip


def _assignable_positions(user: Any) -> Any:
    """Positions the user may place someone in: every one for admin BKPSDM, an operator's own units'."""
    a = access_for(user)
    qs = Position.objects.select_related("unit").order_by("unit__path", "name")
    return qs if a.has(Role.ADMIN_BKPSDM) else qs.filter(path_q("unit__path", a.operator_paths))


@require_http_methods(["GET", "POST"])
@login_required
@private
def status_add(request: HttpRequest, pk: int) -> HttpResponse:
    e = _changeable(request, pk)

    def save(d: dict[str, Any]) -> None:
        services.status_change(actor=request.user, employee=e, status=d["status"], note=d["note"], sk=_sk(d),
                               reason=d["reason"])  # fmt: skip

    return _edit(request, e, form=StatusForm(_data(request), initial={"status": e.status}),
                 title=_("Catat perubahan status kepegawaian"), save=save,
                 done=_("Perubahan status kepegawaian dicatat."))  # fmt: skip


def _member(e: Employee, mid: int) -> FamilyMember:
    m = FamilyMember.objects.filter(employee=e, pk=mid).first()
    if m is None:
        raise Http404(_("Anggota keluarga tidak ditemukan."))
    return m


@require_http_methods(["GET", "POST"])
@login_required
@private
def family_add(request: HttpRequest, pk: int) -> HttpResponse:
    e = _changeable(request, pk)

    def save(d: dict[str, Any]) -> None:
        services.family_member_save(actor=request.user, employee=e, reason=d["reason"],
                                    **{f: d[f] for f in FAMILY_FIELDS})  # fmt: skip

    return _edit(request, e, form=FamilyForm(_data(request)), title=_("Tambah anggota keluarga"), save=save,
                 done=_("Anggota keluarga ditambahkan."),
                 intro=_("Tunjangan keluarga dan PTKP dihitung dari data ini."))  # fmt: skip


@require_http_methods(["GET", "POST"])
@login_required
@private
def family_edit(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    e = _changeable(request, pk)
    m = _member(e, mid)

    def save(d: dict[str, Any]) -> None:
        services.family_member_save(actor=request.user, employee=e, member=m, reason=d["reason"],
                                    **{f: d[f] for f in FAMILY_FIELDS})  # fmt: skip

    form = FamilyForm(_data(request), initial={f: getattr(m, f) for f in FAMILY_FIELDS})
    return _edit(request, e, form=form, title=_("Ubah anggota keluarga: %(name)s") % {"name": m.name}, save=save,
                 done=_("Data anggota keluarga disimpan."))  # fmt: skip


@require_http_methods(["GET", "POST"])
@login_required
@private
def family_end(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    e = _changeable(request, pk)
    m = _member(e, mid)

    def save(d: dict[str, Any]) -> None:
        services.family_member_save(actor=request.user, employee=e, member=m, reason=d["reason"],
                                    ended_on=d["ended_on"])  # fmt: skip

    return _edit(request, e, form=FamilyEndForm(_data(request), initial={"ended_on": m.ended_on}),
                 title=_("Akhiri hubungan keluarga: %(name)s") % {"name": m.name}, save=save,
                 done=_("Hubungan keluarga diakhiri."),
                 intro=_("Data tetap tersimpan; tunjangan untuknya berhenti sejak tanggal berakhir."))  # fmt: skip
