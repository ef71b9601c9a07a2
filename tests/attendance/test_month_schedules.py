"""Schedule services: who may create and assign schedules, roster uploads (all or nothing), audit."""

from __future__ import annotations

import datetime as dt

import pytest

from pamong.attendance.models import RosterDay, ScheduleAssignment, ScheduleKind
from pamong.attendance.schedules import roster_upload, schedule_assign, schedule_create
from pamong.audit.models import AuditEvent
from pamong.core.errors import Forbidden, NotVisible, ValidationFailed

SHIFT = {str(d): ["20:00", "08:00"] for d in range(1, 8)}


def test_admin_creates_a_shift_schedule_and_others_may_not(city):
    s = schedule_create(actor=city.users["admin"], code="sif-malam", name="Sif malam", kind=ScheduleKind.SHIFT,
                        weekly=SHIFT)  # fmt: skip
    assert s.weekly["7"] == ["20:00", "08:00"]
    assert AuditEvent.objects.filter(action="attendance.schedule.create", object_id=str(s.pk)).exists()
    with pytest.raises(Forbidden):
        schedule_create(actor=city.users["operator_a"], code="x", name="x", kind=ScheduleKind.SHIFT, weekly=SHIFT)
    with pytest.raises(ValidationFailed, match="jam"):
        schedule_create(actor=city.users["admin"], code="y", name="y", kind=ScheduleKind.FLEXIBLE,
                        weekly={"1": ["7.30", "16:00"]})  # fmt: skip
    with pytest.raises(ValidationFailed):
        schedule_create(actor=city.users["admin"], code="sif-malam", name="z", kind=ScheduleKind.SHIFT, weekly=SHIFT)


def test_assign_to_a_unit_or_an_employee_within_scope(city):
    s = schedule_create(actor=city.users["admin"], code="enam", name="6 hari", kind=ScheduleKind.SIX_DAY,
                        weekly={str(d): ["07:30", "14:00"] for d in range(1, 7)})  # fmt: skip
    start = dt.date(2026, 11, 1)
    row = schedule_assign(actor=city.users["operator_a"], schedule_id=s.pk, unit_id=city.bidang_a.pk,
                          valid_from=start, reason="SK Kepala Dinas")  # fmt: skip
    assert row.created_by == city.users["operator_a"]
    assert AuditEvent.objects.filter(action="attendance.schedule_assignment.create", object_id=str(row.pk)).exists()
    with pytest.raises(Forbidden):  # Dinas B is not the operator's
        schedule_assign(actor=city.users["operator_a"], schedule_id=s.pk, employee_id=city.other.pk, valid_from=start)
    schedule_assign(actor=city.users["admin"], schedule_id=s.pk, employee_id=city.other.pk, valid_from=start)
    with pytest.raises(ValidationFailed):
        schedule_assign(actor=city.users["admin"], schedule_id=s.pk, valid_from=start)
    with pytest.raises(ValidationFailed):
        schedule_assign(actor=city.users["admin"], schedule_id=s.pk, unit_id=city.opd_b.pk, valid_from=start,
                        valid_until=start - dt.timedelta(1))  # fmt: skip
    with pytest.raises(NotVisible):
        schedule_assign(actor=city.users["admin"], schedule_id=9999, unit_id=city.opd_b.pk, valid_from=start)
    assert ScheduleAssignment.objects.count() == 2


def test_roster_upload_replaces_days_all_or_nothing(city):
    admin = city.users["admin"]
    nip = city.staff.nip
    csv = f"nip,tanggal,mulai,selesai,sif\n{nip},2026-11-02,20:00,08:00,Malam\n{nip},2026-11-03,,,\n"
    assert roster_upload(actor=admin, content=csv.encode()) == 2
    assert RosterDay.objects.get(date=dt.date(2026, 11, 2)).start == dt.time(20, 0)
    assert RosterDay.objects.get(date=dt.date(2026, 11, 3)).start is None
    again = f"nip,tanggal,mulai,selesai,sif\n{city.staff.nip},2026-11-02,07:00,15:00,Pagi\n"
    roster_upload(actor=admin, content=again)
    assert RosterDay.objects.get(date=dt.date(2026, 11, 2)).start == dt.time(7, 0)
    bad = (f"nip,tanggal,mulai,selesai,sif\n{city.staff.nip},2026-11-04,07:00,15:00,P\n"
           f"{city.staff.nip},2026-11-31,07:00,15:00,P\n99,2026-11-05,07:00,15:00,P\n"
           f"{city.staff.nip},2026-11-06,07:00,,P\n")  # fmt: skip
    with pytest.raises(ValidationFailed) as exc:
        roster_upload(actor=admin, content=bad)
    assert [p.split(":")[0] for p in exc.value.details["baris"]] == ["baris 3", "baris 4", "baris 5"]
    assert not RosterDay.objects.filter(date=dt.date(2026, 11, 4)).exists()
    with pytest.raises(ValidationFailed):  # the operator of Dinas A uploading for Dinas B
        foreign = f"nip,tanggal,mulai,selesai\n{city.other.nip},2026-11-02,,\n"
        roster_upload(actor=city.users["operator_a"], content=foreign)
    with pytest.raises(ValidationFailed, match="Kolom"):
        roster_upload(actor=admin, content="a,b\n1,2\n")
