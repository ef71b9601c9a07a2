"""Travel orders (surat tugas): who records and cancels them, for whom; their days are approved absences; leave
overlapping an order is reported, not refused."""

from __future__ import annotations

import datetime as dt

import pytest

from pamong.attendance import leave as svc
from pamong.attendance import travel
from pamong.attendance.absences import DINAS_LUAR, approved_absences
from pamong.attendance.models import TravelOrder
from pamong.audit.models import AuditEvent
from pamong.core.errors import Forbidden, NotVisible, TransitionRefused, ValidationFailed
from pamong.core.models import Notification
from tests.attendance.factories_leave import leave_city, ledger, lock_month

START, END = dt.date(2026, 7, 6), dt.date(2026, 7, 8)


@pytest.fixture
def lc(city, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # evidence files never land in the working tree
    return leave_city(city)


def create(lc, who="operator_a", unit=None, ids=None, **kw):
    return travel.travel_order_create(
        actor=lc.users[who], unit_id=(unit or lc.opd_a).pk, number=kw.pop("number", "800/123/DISDIK/2026"),
        date=dt.date(2026, 7, 1), start=kw.pop("start", START), end=kw.pop("end", END), destination="Padang",
        purpose="Rapat koordinasi", signed_by="Kepala Dinas A", employee_ids=ids or [lc.staff.pk, lc.staff2.pk],
    )  # fmt: skip


def test_an_operator_records_an_order_for_their_opd_and_its_days_are_absences(lc):
    order, overlaps = create(lc)
    assert overlaps == []
    got = approved_absences([lc.staff.pk, lc.staff2.pk, lc.kabid.pk], START, END)
    assert set(got) == {lc.staff.pk, lc.staff2.pk}
    assert got[lc.staff.pk][0].kind == DINAS_LUAR
    assert AuditEvent.objects.filter(action="attendance.travel.created", object_id=str(order.pk)).exists()
    assert Notification.objects.filter(user=lc.users["staff"], text__contains="Padang").exists()


def test_an_operator_may_not_name_employees_of_another_opd_nor_issue_for_it(lc):
    with pytest.raises(ValidationFailed):
        create(lc, ids=[lc.staff.pk, lc.other.pk])
    with pytest.raises(NotVisible):
        create(lc, unit=lc.opd_b, ids=[lc.other.pk])
    assert not TravelOrder.objects.exists()


@pytest.mark.parametrize("who", ["staff", "kabid", "treasurer_a", "inspector"])
def test_others_may_not_record_orders(lc, who):
    with pytest.raises(Forbidden):
        create(lc, who=who)


def test_bkpsdm_records_for_any_opd(lc):
    order, _ = create(lc, who="admin", unit=lc.opd_b, ids=[lc.other.pk, lc.staff.pk])
    assert set(order.employees.values_list("pk", flat=True)) == {lc.other.pk, lc.staff.pk}


def test_overlapping_leave_is_reported(lc):
    ledger(lc.staff, 2026, 12, lc.users["admin"])
    svc.leave_request_submit(actor=lc.users["staff"], employee_id=lc.staff.pk, kind="tahunan",
                             start=dt.date(2026, 7, 8), end=dt.date(2026, 7, 10), reason="Keluarga")  # fmt: skip
    _, overlaps = create(lc)
    assert [(o.employee, o.start) for o in overlaps] == [("Staf Satu", dt.date(2026, 7, 8))]


def test_cancel_ends_the_absences_and_is_not_repeated(lc):
    order, _ = create(lc)
    travel.travel_order_cancel(actor=lc.users["operator_a"], order_id=order.pk, reason="Rapat ditunda")
    assert approved_absences([lc.staff.pk], START, END) == {}
    with pytest.raises(TransitionRefused):
        travel.travel_order_cancel(actor=lc.users["operator_a"], order_id=order.pk, reason="lagi")


def test_only_the_issuing_opd_or_bkpsdm_cancels(lc):
    order, _ = create(lc)
    with pytest.raises(Forbidden):  # the employee sees it, may not cancel it
        travel.travel_order_cancel(actor=lc.users["staff"], order_id=order.pk, reason="tidak jadi")
    with pytest.raises(NotVisible):
        travel.travel_order_cancel(actor=lc.users["operator_b"], order_id=order.pk, reason="tidak jadi")
    travel.travel_order_cancel(actor=lc.users["admin"], order_id=order.pk, reason="Dibatalkan BKPSDM")


def test_a_locked_month_refuses_new_and_cancelled_orders(lc):
    order, _ = create(lc)
    lock_month(START, lc.users["admin"])
    with pytest.raises(svc.MonthLocked):
        create(lc, number="800/124")
    with pytest.raises(svc.MonthLocked):
        travel.travel_order_cancel(actor=lc.users["operator_a"], order_id=order.pk, reason="Terlambat")


def test_who_sees_which_orders(lc):
    a, _ = create(lc, ids=[lc.staff.pk])
    b, _ = create(lc, who="admin", unit=lc.opd_b, ids=[lc.other.pk], number="800/9/B")
    assert set(travel.travel_orders_visible_to(lc.users["staff"])) == {a}
    assert set(travel.travel_orders_visible_to(lc.users["staff2"])) == set()
    assert set(travel.travel_orders_visible_to(lc.users["kabid"])) == {a}
    assert set(travel.travel_orders_visible_to(lc.users["operator_a"])) == {a}
    assert set(travel.travel_orders_visible_to(lc.users["operator_b"])) == {b}
    assert set(travel.travel_orders_visible_to(lc.users["admin"])) == {a, b}
