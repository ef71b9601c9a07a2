"""KGB: the due list (overdue marked with how long), drafts in bulk from the gaji table, the draft → approved /
cancelled state machine with its refusals, approval writing the KGB history, postponement by a sanction."""

from __future__ import annotations

import datetime as dt

import pytest

from pamong.audit.models import AuditEvent
from pamong.core.errors import Conflict, Forbidden, NotVisible, TransitionRefused, ValidationFailed
from pamong.kgb import selectors
from pamong.kgb.models import KgbDecree
from pamong.kgb.selectors import kgb_due_list, postponements
from pamong.kgb.services import kgb_decree_approve, kgb_decree_cancel, kgb_drafts_create
from pamong.payroll.models import DisciplinarySanction
from pamong.people.models import Employee, SalaryRaiseHistory
from pamong.people.services import Sk, rank_change

JAN = dt.date(2026, 1, 15)


def test_due_list_marks_overdue_with_how_long_and_keeps_the_window(city):
    # staff: II/c MKG 8 since 2024-03-01 → column 9 reached 2025-03-01 (overdue); head: IV/c MKG 8 → MKG 10 on
    # 2026-03-01 (due in 45 days); the factory sets every MKG on 2024-03-01
    rows = {r.employee.pk: r for r in kgb_due_list(city.users["admin"], within_days=90, today=JAN)}
    staff, head = rows[city.staff.pk], rows[city.head.pk]
    assert (staff.plan.tmt, staff.plan.new_mkg_years, staff.overdue, staff.overdue_months) == (
        dt.date(2025, 3, 1), 9, True, 10
    )  # fmt: skip
    assert (head.plan.tmt, head.plan.new_mkg_years, head.overdue) == (dt.date(2026, 3, 1), 10, False)
    assert (staff.plan.old_gaji_pokok, staff.plan.new_gaji_pokok) == (2645000, 2728300)  # PP 5/2024 II/c 7 → 9
    assert list(rows) == [city.staff.pk] + [r for r in rows if r != city.staff.pk]  # oldest first
    assert city.head.pk not in {r.employee.pk for r in kgb_due_list(city.users["admin"], within_days=30, today=JAN)}


def test_due_list_scope_operator_own_opd_and_no_other_role(city):
    ids = {r.employee.pk for r in kgb_due_list(city.users["operator_a"], within_days=365, today=JAN)}
    assert city.staff.pk in ids and city.head.pk in ids and city.other.pk not in ids
    assert city.other.pk in {r.employee.pk for r in kgb_due_list(city.users["admin"], within_days=365, today=JAN)}
    for role in ("treasurer_a", "bpkad", "inspector", "staff"):
        with pytest.raises(Forbidden):
            kgb_due_list(city.users[role], today=JAN)


def test_bulk_drafts_from_the_gaji_table_with_numbers_and_audit(city):
    drafts = kgb_drafts_create(actor=city.users["operator_a"], employee_ids=[city.staff.pk, city.head.pk], today=JAN)
    by_emp = {d.employee_id: d for d in drafts}
    head, staff = by_emp[city.head.pk], by_emp[city.staff.pk]
    assert (staff.old_mkg_years, staff.new_mkg_years) == (8, 9)
    assert (staff.old_gaji_pokok, staff.new_gaji_pokok) == (2645000, 2728300)
    assert (head.new_mkg_years, head.old_gaji_pokok, head.new_gaji_pokok) == (10, 4043600, 4170900)
    assert (staff.tmt, staff.next_due_on, staff.state) == (dt.date(2025, 3, 1), dt.date(2027, 3, 1), "draft")
    assert sorted(d.sk_number for d in drafts) == ["800.1.11.13/0001/SK-KGB/2026", "800.1.11.13/0002/SK-KGB/2026"]
    assert AuditEvent.objects.filter(action="kgb.drafted").count() == 2
    # the due list now shows the draft and offers no checkbox
    row = {r.employee.pk: r for r in kgb_due_list(city.users["admin"], today=JAN)}[city.staff.pk]
    assert row.decree == staff and not row.selectable and row.overdue


def test_sk_number_pattern_from_settings(city, settings):
    settings.PAMONG_KGB_SK_NUMBER = "822/{seq}/BKPSDM-SWL/{year}"
    (d,) = kgb_drafts_create(actor=city.users["admin"], employee_ids=[city.staff.pk], today=JAN)
    assert d.sk_number == "822/1/BKPSDM-SWL/2026"


def test_a_second_draft_for_the_same_step_is_refused_and_nothing_is_added(city):
    kgb_drafts_create(actor=city.users["admin"], employee_ids=[city.staff.pk], today=JAN)
    events = AuditEvent.objects.count()
    with pytest.raises(Conflict) as exc:
        kgb_drafts_create(actor=city.users["admin"], employee_ids=[city.head.pk, city.staff.pk], today=JAN)
    assert exc.value.details[0]["nip"] == city.staff.nip
    assert KgbDecree.objects.count() == 1 and AuditEvent.objects.count() == events  # head's draft not made either


def test_operator_cannot_draft_for_another_opd(city):
    with pytest.raises(NotVisible):
        kgb_drafts_create(actor=city.users["operator_a"], employee_ids=[city.staff.pk, city.other.pk], today=JAN)
    assert not KgbDecree.objects.exists()
    with pytest.raises(Forbidden):
        kgb_drafts_create(actor=city.users["treasurer_a"], employee_ids=[city.staff.pk], today=JAN)


def test_not_yet_due_and_last_step_are_refused(city):
    with pytest.raises(ValidationFailed) as exc:
        kgb_drafts_create(actor=city.users["admin"], employee_ids=[city.head.pk], today=dt.date(2025, 6, 1))
    assert "baru jatuh tempo" in exc.value.details[0]["message"]
    Employee.objects.filter(pk=city.head.pk).update(mkg_years=32)  # IV/c's last column
    with pytest.raises(ValidationFailed) as exc:
        kgb_drafts_create(actor=city.users["admin"], employee_ids=[city.head.pk], today=JAN)
    assert "langkah tertinggi" in exc.value.details[0]["message"]
    with pytest.raises(ValidationFailed):
        kgb_drafts_create(actor=city.users["admin"], employee_ids=[], today=JAN)
    assert not KgbDecree.objects.exists()


def test_approval_writes_the_kgb_history_from_the_tmt_with_the_sk(city):
    (d,) = kgb_drafts_create(actor=city.users["operator_a"], employee_ids=[city.staff.pk], today=JAN)
    d = kgb_decree_approve(actor=city.users["admin"], decree_id=d.pk, today=dt.date(2026, 1, 20))
    assert (d.state, d.decided_by, d.sk_date) == ("approved", city.users["admin"], dt.date(2026, 1, 20))
    row = SalaryRaiseHistory.objects.get(employee=city.staff)
    assert (row.sk_number, row.tmt, row.mkg_years, row.golongan) == (d.sk_number, dt.date(2025, 3, 1), 9, "II/c")
    assert d.history == row
    emp = Employee.objects.get(pk=city.staff.pk)
    assert (emp.mkg_years, emp.mkg_months) == (9, 0)
    assert (emp.mkg_set_on, emp.next_kgb_on) == (dt.date(2025, 3, 1), dt.date(2027, 3, 1))
    assert AuditEvent.objects.filter(action="kgb.approved", sk_number=d.sk_number).exists()
    assert AuditEvent.objects.filter(action="employee.kgb_recorded", sk_number=d.sk_number).exists()
    # the employee leaves the due list: their next step is two years on
    assert city.staff.pk not in {r.employee.pk for r in kgb_due_list(city.users["admin"], today=JAN)}


def test_approve_twice_wrong_role_and_cancelled_are_refused(city):
    drafts = kgb_drafts_create(actor=city.users["admin"], employee_ids=[city.staff.pk, city.head.pk], today=JAN)
    a, b = sorted(drafts, key=lambda d: d.employee_id != city.staff.pk)  # a: staff's, b: head's
    with pytest.raises(Forbidden):
        kgb_decree_approve(actor=city.users["operator_a"], decree_id=a.pk)
    with pytest.raises(Forbidden):
        kgb_decree_approve(actor=city.users["bpkad"], decree_id=a.pk)
    kgb_decree_approve(actor=city.users["admin"], decree_id=a.pk)
    with pytest.raises(TransitionRefused, match="Tidak dapat menyetujui: SK KGB ini berstatus Disetujui"):
        kgb_decree_approve(actor=city.users["admin"], decree_id=a.pk)
    assert SalaryRaiseHistory.objects.filter(employee=city.staff).count() == 1
    with pytest.raises(ValidationFailed):
        kgb_decree_cancel(actor=city.users["operator_a"], decree_id=b.pk, reason="  ")
    b = kgb_decree_cancel(actor=city.users["operator_a"], decree_id=b.pk, reason="data MKG keliru")
    assert (b.state, b.cancel_reason) == ("cancelled", "data MKG keliru")
    assert AuditEvent.objects.get(action="kgb.cancelled").reason == "data MKG keliru"
    with pytest.raises(TransitionRefused):
        kgb_decree_approve(actor=city.users["admin"], decree_id=b.pk)
    with pytest.raises(TransitionRefused):
        kgb_decree_cancel(actor=city.users["admin"], decree_id=a.pk, reason="terlambat")
    # a cancelled draft frees the step: a new draft (with a new number) may be made
    (c,) = kgb_drafts_create(actor=city.users["admin"], employee_ids=[city.head.pk], today=JAN)
    assert c.sk_number not in (a.sk_number, b.sk_number)


def test_operator_of_another_opd_cannot_cancel(city):
    from tests import factories as f

    (d,) = kgb_drafts_create(actor=city.users["admin"], employee_ids=[city.staff.pk], today=JAN)
    op_b = f.user("operator_b", role="operator_opd", unit=city.opd_b)
    with pytest.raises(NotVisible):
        kgb_decree_cancel(actor=op_b, decree_id=d.pk, reason="x")
    assert KgbDecree.objects.get(pk=d.pk).state == "draft"


def test_a_rank_change_after_the_draft_blocks_its_approval(city):
    (d,) = kgb_drafts_create(actor=city.users["admin"], employee_ids=[city.staff.pk], today=JAN)
    rank_change(actor=None, employee=city.staff, golongan="II/d", mkg_years=9, mkg_months=0,
                sk=Sk("KP/1", dt.date(2026, 1, 2), dt.date(2026, 1, 1)))  # fmt: skip
    with pytest.raises(Conflict, match="berubah sejak draf dibuat"):
        kgb_decree_approve(actor=city.users["admin"], decree_id=d.pk)
    assert KgbDecree.objects.get(pk=d.pk).state == "draft" and not SalaryRaiseHistory.objects.exists()


def test_postponement_is_dated_data_pp53_had_one_pp94_has_none():
    assert postponements(dt.date(2015, 1, 1)) == {"penundaan_kgb_1_tahun": 12}
    assert postponements(dt.date(2026, 1, 1)) == {}


def test_a_sanction_that_postpones_moves_the_tmt(city, monkeypatch):
    monkeypatch.setattr(selectors, "postponements", lambda on: {"penundaan_kgb_1_tahun": 12})
    DisciplinarySanction.objects.create(employee=city.staff, code="penundaan_kgb_1_tahun", tmt=dt.date(2025, 1, 1),
                                        sk_number="HD/1", sk_date=dt.date(2024, 12, 20))  # fmt: skip
    DisciplinarySanction.objects.create(employee=city.head, code="teguran_lisan", tmt=dt.date(2026, 1, 1),
                                        sk_number="HD/2", sk_date=dt.date(2025, 12, 20))  # fmt: skip
    rows = {r.employee.pk: r for r in kgb_due_list(city.users["admin"], today=JAN)}
    staff = rows[city.staff.pk]
    assert (staff.plan.due_on, staff.plan.tmt, staff.plan.postponed_by) == (
        dt.date(2025, 3, 1), dt.date(2026, 1, 1), "penundaan_kgb_1_tahun"
    )  # fmt: skip
    assert rows[city.head.pk].plan.tmt == dt.date(2026, 3, 1)  # a sanction that does not postpone
    (d,) = kgb_drafts_create(actor=city.users["admin"], employee_ids=[city.staff.pk], today=JAN)
    assert (d.tmt, d.due_on, d.postponed_by) == (dt.date(2026, 1, 1), dt.date(2025, 3, 1), "penundaan_kgb_1_tahun")


def test_sk_numbers_count_on_from_the_years_highest_even_after_a_late_approval(city):
    (a,) = kgb_drafts_create(actor=city.users["admin"], employee_ids=[city.staff.pk], today=dt.date(2026, 1, 10))
    kgb_decree_approve(actor=city.users["admin"], decree_id=a.pk, today=dt.date(2027, 1, 5))  # signed next year
    (b,) = kgb_drafts_create(actor=city.users["admin"], employee_ids=[city.head.pk], today=JAN)
    assert (a.sk_number, b.sk_number) == ("800.1.11.13/0001/SK-KGB/2026", "800.1.11.13/0002/SK-KGB/2026")


def test_far_ahead_rows_are_listed_but_not_offered_for_a_draft(city):
    rows = {r.employee.pk: r for r in kgb_due_list(city.users["admin"], within_days=365, today=dt.date(2025, 6, 1))}
    head = rows[city.head.pk]  # due 2026-03-01: 273 days ahead
    assert not head.overdue and head.days_until == 273 and not head.selectable
