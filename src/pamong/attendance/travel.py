"""Official travel (surat tugas / dinas luar): an OPD operator records the orders of their OPD's employees (admin
BKPSDM any); the working days inside a live order are approved absences (absences.py reads them as `dinas_luar`).
Leave overlapping an order is not refused — the order is signed outside Pamong — but reported back to the operator
so the leave can be sorted out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext

from pamong.accounts.access import access_for, path_q
from pamong.accounts.models import Role
from pamong.audit import services as audit
from pamong.core.errors import Forbidden, NotVisible, TransitionRefused, ValidationFailed
from pamong.core.formats import tanggal
from pamong.core.notify import notify
from pamong.org.models import Unit
from pamong.people.models import Employee

from .leave import LIVE, _clean_text, _refuse_locked
from .models import LeaveRequest, TravelOrder
from .selectors import employee_q

MAX_EMPLOYEES = 200


@dataclass(frozen=True)
class LeaveOverlap:
    employee: str
    start: dt.date
    end: dt.date
    state: str


def travel_orders_visible_to(user: Any) -> QuerySet[TravelOrder]:
    """Orders issued by a unit the user operates, or naming an employee the user may see."""
    a = access_for(user)
    if not a.authenticated:
        return TravelOrder.objects.none()
    q = employee_q(a, "employees__")
    if q is None:
        return TravelOrder.objects.all()
    ids = TravelOrder.objects.filter(q | path_q("unit__path", a.operator_paths)).values("pk")
    return TravelOrder.objects.filter(pk__in=ids)


def may_issue(user: Any) -> bool:
    a = access_for(user)
    return a.has(Role.ADMIN_BKPSDM) or bool(a.operator_paths)


def issuing_units(user: Any) -> QuerySet[Unit]:
    """The OPD (and their sub-units) an order may be issued for."""
    a = access_for(user)
    if a.has(Role.ADMIN_BKPSDM):
        return Unit.objects.all()
    return Unit.objects.filter(path_q("path", a.operator_paths))


def leave_overlaps(order: TravelOrder) -> list[LeaveOverlap]:
    rows = LeaveRequest.objects.filter(
        employee__in=order.employees.all(), state__in=LIVE, start__lte=order.end, end__gte=order.start
    ).select_related("employee")
    return [LeaveOverlap(r.employee.name, r.start, r.end, r.get_state_display()) for r in rows]


def travel_order_create(
    *,
    actor: Any,
    unit_id: int,
    number: str,
    date: dt.date,
    start: dt.date,
    end: dt.date,
    destination: str,
    purpose: str,
    signed_by: str,
    employee_ids: list[int],
) -> tuple[TravelOrder, list[LeaveOverlap]]:
    """Record a signed surat tugas; returns it with the leave of its employees that overlaps it (to be sorted)."""
    unit = issuing_units(actor).filter(pk=unit_id).first()
    if unit is None:
        if not may_issue(actor):
            raise Forbidden(gettext("Hanya operator OPD atau admin BKPSDM yang dapat mencatat surat tugas."))
        raise NotVisible(gettext("Unit tidak ditemukan."))
    if start > end:
        raise ValidationFailed(gettext("Tanggal selesai tidak boleh sebelum tanggal mulai."), details={"field": "end"})
    ids = sorted(set(employee_ids))
    if not ids:
        raise ValidationFailed(gettext("Pilih paling sedikit satu pegawai."), details={"field": "employees"})
    if len(ids) > MAX_EMPLOYEES:
        raise ValidationFailed(
            gettext("Paling banyak %(n)d pegawai per surat tugas.") % {"n": MAX_EMPLOYEES},
            details={"field": "employees"},
        )
    emps = list(Employee.objects.filter(pk__in=ids))
    a = access_for(actor)
    if not a.has(Role.ADMIN_BKPSDM):
        inside = Employee.objects.filter(pk__in=ids, unit__path__startswith=unit.path).count()
        if inside != len(ids):
            raise ValidationFailed(
                gettext("Surat tugas OPD hanya untuk pegawai OPD itu."), details={"field": "employees"}
            )
    elif len(emps) != len(ids):
        raise ValidationFailed(gettext("Pegawai tidak ditemukan."), details={"field": "employees"})
    fields = {
        "number": _clean_text(number, "number", 100),
        "destination": _clean_text(destination, "destination", 200),
        "purpose": _clean_text(purpose, "purpose", 500),
        "signed_by": _clean_text(signed_by, "signed_by", 200),
    }
    _refuse_locked(start, end)
    with transaction.atomic():
        order = TravelOrder.objects.create(unit=unit, date=date, start=start, end=end, created_by=actor, **fields)
        order.employees.set(emps)
        audit.record(
            actor=actor,
            action="attendance.travel.created",
            obj=order,
            changes={**fields, "start": start.isoformat(), "end": end.isoformat(), "employees": ids},
        )
        notify(
            users=[e.user_id for e in emps],
            link=reverse("attendance:travel_list"),
            text=gettext("Anda ditugaskan ke %(d)s, %(a)s – %(b)s (surat tugas %(n)s).")
            % {"d": fields["destination"], "a": tanggal(start), "b": tanggal(end), "n": fields["number"]},
        )
        _refresh(order, ids, actor)
    return order, leave_overlaps(order)


def _refresh(order: TravelOrder, employee_ids: list[int], actor: Any) -> None:
    """A computed month of the order's dates is recomputed for its employees (dinas luar days, or no longer)."""
    from .month import months_between, recaps_refresh

    recaps_refresh(employee_ids=employee_ids, periods=months_between(order.start, order.end), actor=actor)


def travel_order_cancel(*, actor: Any, order_id: int, reason: str) -> TravelOrder:
    order = travel_orders_visible_to(actor).filter(pk=order_id).first()
    if order is None:
        raise NotVisible(gettext("Surat tugas tidak ditemukan."))
    if not issuing_units(actor).filter(pk=order.unit_id).exists():
        raise Forbidden(gettext("Hanya operator OPD penerbit atau admin BKPSDM yang dapat membatalkan surat tugas."))
    reason = _clean_text(reason, "reason", 300)
    _refuse_locked(order.start, order.end)
    with transaction.atomic():
        if TravelOrder.objects.filter(pk=order.pk, cancelled=False).update(cancelled=True) != 1:
            raise TransitionRefused(gettext("Surat tugas ini sudah dibatalkan."))
        order.cancelled = True
        audit.record(
            actor=actor,
            action="attendance.travel.cancelled",
            obj=order,
            reason=reason,
            changes={"cancelled": [False, True]},
        )
        notify(
            users=list(order.employees.values_list("user_id", flat=True)),
            link=reverse("attendance:travel_list"),
            text=gettext("Surat tugas %(n)s (%(a)s – %(b)s) dibatalkan.")
            % {"n": order.number, "a": tanggal(order.start), "b": tanggal(order.end)},
        )
        _refresh(order, list(order.employees.values_list("id", flat=True)), actor)
    return order


def employees_for_orders(user: Any, unit: Unit | None = None) -> QuerySet[Employee]:
    """Employees an order of this user may name: the operator's OPD subtree; BKPSDM everyone (or the unit's)."""
    qs = Employee.objects.filter(status__in=["aktif", "cpns"]).select_related("unit")
    if unit is not None:
        return qs.filter(unit__path__startswith=unit.path)
    a = access_for(user)
    if a.has(Role.ADMIN_BKPSDM):
        return qs
    return qs.filter(path_q("unit__path", a.operator_paths) if a.operator_paths else Q(pk__in=[]))
