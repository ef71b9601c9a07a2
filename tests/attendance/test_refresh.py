"""A computed month follows its inputs: an approved or cancelled leave and a surat tugas recompute the recaps of the
months they touch, at once; a month not computed yet is left for its recompute."""

from __future__ import annotations

import datetime as dt

from pamong.attendance.leave import leave_request_cancel, leave_request_decide, leave_request_submit, leave_year_open
from pamong.attendance.models import MonthRecap
from pamong.attendance.month import month_recompute, months_between
from pamong.attendance.travel import travel_order_cancel, travel_order_create

from .factories_leave import leave_city

NOV = dt.date(2026, 11, 1)


def _recap(emp) -> MonthRecap:
    return MonthRecap.objects.get(employee=emp, period=NOV)


def test_months_between_spans_year_ends():
    assert months_between(dt.date(2026, 12, 30), dt.date(2027, 1, 2)) == {dt.date(2026, 12, 1), dt.date(2027, 1, 1)}
    assert months_between(dt.date(2026, 11, 3), dt.date(2026, 11, 3)) == {NOV}


def test_approved_leave_and_its_cancellation_recompute_the_computed_month(city):
    lc = leave_city(city)
    leave_year_open(year=2026, actor=lc.users["admin"])
    month_recompute(period=NOV, actor=None)
    before = _recap(city.staff)
    assert before.tidak_hadir_sah == 0 and before.tk == before.hari_kerja
    req = leave_request_submit(actor=lc.users["staff"], employee_id=city.staff.id, kind="tahunan",
                               start=dt.date(2026, 11, 24), end=dt.date(2026, 11, 25), reason="Keluarga")  # fmt: skip
    assert _recap(city.staff).tidak_hadir_sah == 0  # submitted is not approved
    leave_request_decide(actor=lc.users["kabid"], request_id=req.pk, approve=True)
    after = _recap(city.staff)
    assert after.tidak_hadir_sah == 2 and after.tk == before.tk - 2 and after.days[23:25] == "AA"
    leave_request_cancel(actor=lc.users["staff"], request_id=req.pk, on=dt.date(2026, 11, 20))
    assert _recap(city.staff).tidak_hadir_sah == 0 and _recap(city.staff).tk == before.tk


def test_travel_order_and_its_cancellation_recompute_the_computed_month(city):
    lc = leave_city(city)
    month_recompute(period=NOV, actor=None)
    order, _ = travel_order_create(actor=lc.users["admin"], unit_id=city.opd_a.id, number="094/1/ST/2026",
                                   date=dt.date(2026, 11, 1), start=dt.date(2026, 11, 2), end=dt.date(2026, 11, 4),
                                   destination="Padang", purpose="Rapat", signed_by="Sekda",
                                   employee_ids=[city.staff.id, city.kabid.id])  # fmt: skip
    assert _recap(city.staff).tidak_hadir_sah == 3 and _recap(city.kabid).tidak_hadir_sah == 3
    assert _recap(city.head).tidak_hadir_sah == 0
    travel_order_cancel(actor=lc.users["admin"], order_id=order.pk, reason="Rapat ditunda")
    assert _recap(city.staff).tidak_hadir_sah == 0 and _recap(city.kabid).tidak_hadir_sah == 0


def test_a_month_not_computed_is_not_computed_by_a_leave(city):
    lc = leave_city(city)
    leave_year_open(year=2026, actor=lc.users["admin"])
    req = leave_request_submit(actor=lc.users["staff"], employee_id=city.staff.id, kind="tahunan",
                               start=dt.date(2026, 11, 24), end=dt.date(2026, 11, 24), reason="Keluarga")  # fmt: skip
    leave_request_decide(actor=lc.users["kabid"], request_id=req.pk, approve=True)
    assert not MonthRecap.objects.exists()
