"""Leave requests: who may submit, decide and cancel in each state; overlaps, locked months, evidence by content,
the type's rules, working days across holidays and month ends, notifications and audit."""

from __future__ import annotations

import datetime as dt

import pytest

from pamong.attendance import leave as svc
from pamong.attendance.absences import approved_absences
from pamong.attendance.models import LeaveRequest, RequestState
from pamong.audit.models import AuditEvent
from pamong.core.errors import Conflict, Forbidden, NotVisible, TransitionRefused, ValidationFailed
from pamong.core.models import Notification
from tests.attendance.factories_leave import NOT_A_PDF, PDF, PNG, leave_city, ledger, lock_month

JULY = (dt.date(2026, 7, 6), dt.date(2026, 7, 10))  # Monday–Friday, no holiday: 5 working days


@pytest.fixture
def lc(city, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # evidence files never land in the working tree
    lc = leave_city(city)
    for emp in (city.head, city.kabid, city.staff, city.staff2, city.other):
        ledger(emp, 2026, 12, lc.users["admin"])
    return lc


def submit(lc, who="staff", kind="tahunan", start=JULY[0], end=JULY[1], **kw):
    emp = getattr(lc, who)
    return svc.leave_request_submit(
        actor=lc.users[who],
        employee_id=emp.pk,
        kind=kind,
        start=start,
        end=end,
        reason=kw.pop("reason", "Keperluan keluarga"),
        **kw,
    )


# ---- submission ---------------------------------------------------------------------------------------------------


def test_submit_fixes_the_working_days_and_the_atasan_and_notifies_the_atasan(lc):
    req = submit(lc)
    assert (req.state, req.days, req.approver_id) == (RequestState.SUBMITTED, 5, lc.kabid.pk)
    assert Notification.objects.filter(user=lc.users["kabid"], text__contains="mengajukan cuti tahunan").exists()
    assert AuditEvent.objects.filter(action="attendance.leave.submitted", object_id=str(req.pk)).exists()


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        ((2026, 3, 16), (2026, 3, 27), 5),  # Nyepi, Idul Fitri and four cuti bersama inside
        ((2026, 7, 29), (2026, 8, 4), 5),  # across a month end and a weekend
        ((2026, 8, 14), (2026, 8, 18), 2),  # 17 August
        ((2026, 12, 21), (2026, 12, 31), 7),  # 24 (cuti bersama) and 25 December
    ],
)
def test_working_days_skip_weekends_holidays_and_cuti_bersama(lc, start, end, days):
    req = submit(lc, start=dt.date(*start), end=dt.date(*end))
    assert req.days == days


def test_a_range_without_working_days_is_refused(lc):
    with pytest.raises(svc.LeaveRefused):
        submit(lc, start=dt.date(2026, 3, 21), end=dt.date(2026, 3, 24))  # Sat, Sun Idul Fitri, cuti bersama


def test_only_the_employee_submits_their_own_leave(lc):
    for key in ("kabid", "admin", "operator_a", "head"):
        with pytest.raises(Forbidden):
            svc.leave_request_submit(
                actor=lc.users[key],
                employee_id=lc.staff.pk,
                kind="tahunan",
                start=JULY[0],
                end=JULY[1],
                reason="Atas nama",
            )
    assert not LeaveRequest.objects.exists()


@pytest.mark.parametrize("state", [RequestState.SUBMITTED, RequestState.SUPERVISOR_APPROVED, RequestState.APPROVED])
def test_an_overlapping_request_is_refused_while_the_first_is_live(lc, state):
    first = submit(lc)
    LeaveRequest.objects.filter(pk=first.pk).update(state=state)
    with pytest.raises(Conflict) as exc:
        submit(lc, kind="sakit", start=dt.date(2026, 7, 10), end=dt.date(2026, 7, 13), evidence=("s.pdf", PDF))
    assert exc.value.code == "leave_overlap"


@pytest.mark.parametrize("state", [RequestState.REJECTED, RequestState.CANCELLED])
def test_a_rejected_or_cancelled_request_no_longer_blocks_its_dates(lc, state):
    first = submit(lc)
    LeaveRequest.objects.filter(pk=first.pk).update(state=state)
    assert submit(lc).pk != first.pk


def test_a_locked_month_refuses_submission(lc):
    lock_month(dt.date(2026, 7, 1), lc.users["admin"])
    with pytest.raises(svc.MonthLocked):
        submit(lc, start=dt.date(2026, 6, 29), end=dt.date(2026, 7, 1))
    assert submit(lc, start=dt.date(2026, 6, 22), end=dt.date(2026, 6, 26)).days == 5


def test_sick_leave_needs_evidence_checked_by_content(lc):
    with pytest.raises(ValidationFailed) as exc:
        submit(lc, kind="sakit")
    assert exc.value.details == {"field": "evidence"}
    with pytest.raises(ValidationFailed):
        submit(lc, kind="sakit", evidence=("surat.pdf", NOT_A_PDF))
    with pytest.raises(ValidationFailed):
        submit(lc, kind="sakit", evidence=("surat.pdf", PDF + b"0" * svc.EVIDENCE_MAX_BYTES))
    req = submit(lc, kind="sakit", evidence=("foto surat.png", PNG))
    assert req.evidence.name.endswith(".png")
    assert req.evidence.read() == PNG


def test_pppk_may_not_take_cuti_besar_nor_alasan_penting(lc):
    for kind in ("besar", "alasan_penting", "cltn"):
        with pytest.raises(svc.LeaveRefused):
            submit(lc, who="staff2", kind=kind, evidence=("s.pdf", PDF))
    assert submit(lc, who="staff2").state == RequestState.SUBMITTED


def test_cuti_bersama_is_not_requested(lc):
    with pytest.raises(svc.LeaveRefused):
        submit(lc, kind="bersama")


def test_maternity_leave_is_for_women_and_at_most_three_months(lc):
    with pytest.raises(svc.LeaveRefused):
        submit(lc, kind="melahirkan", evidence=("b.pdf", PDF))  # Staf Satu is a man
    with pytest.raises(svc.LeaveRefused):
        submit(
            lc,
            who="kabid",
            kind="melahirkan",
            start=dt.date(2026, 7, 6),
            end=dt.date(2026, 10, 6),
            evidence=("b.pdf", PDF),
        )
    req = submit(
        lc, who="kabid", kind="melahirkan", start=dt.date(2026, 7, 6), end=dt.date(2026, 10, 5), evidence=("b.pdf", PDF)
    )
    assert req.state == RequestState.SUBMITTED


def test_service_years_are_checked(lc):
    from pamong.people.models import Employee

    Employee.objects.filter(pk=lc.staff.pk).update(tmt_cpns=dt.date(2022, 1, 1))
    with pytest.raises(svc.LeaveRefused) as exc:
        submit(lc, kind="besar", start=dt.date(2026, 9, 1), end=dt.date(2026, 9, 30))
    assert "5 tahun" in exc.value.message
    Employee.objects.filter(pk=lc.staff.pk).update(tmt_cpns=dt.date(2025, 9, 1))
    with pytest.raises(svc.LeaveRefused):  # annual leave before the first anniversary
        submit(lc)


# ---- decisions: every state × role ---------------------------------------------------------------------------------


def decide(lc, who, req, approve=True, note=""):
    return svc.leave_request_decide(actor=lc.users[who], request_id=req.pk, approve=approve, note=note)


def test_the_atasan_approves_annual_leave_and_the_employee_is_told(lc):
    req = decide(lc, "kabid", submit(lc))
    assert req.state == RequestState.APPROVED
    assert Notification.objects.filter(user=lc.users["staff"], text__contains="disetujui").exists()
    assert approved_absences([lc.staff.pk], *JULY)[lc.staff.pk][0].kind == "cuti_tahunan"


def test_a_rejection_needs_a_note(lc):
    req = submit(lc)
    with pytest.raises(ValidationFailed):
        decide(lc, "kabid", req, approve=False)
    assert decide(lc, "kabid", req, approve=False, note="Ada audit minggu itu").state == RequestState.REJECTED
    assert svc.balance(lc.staff.pk, "tahunan", 2026) == 12


@pytest.mark.parametrize(
    ("who", "error"),
    [
        ("head", Forbidden),
        ("admin", Forbidden),
        ("operator_a", Forbidden),
        ("staff", Forbidden),
        ("other", NotVisible),
        ("operator_b", NotVisible),
    ],
)
def test_no_one_but_the_atasan_decides_a_submitted_request(lc, who, error):
    req = submit(lc)
    with pytest.raises(error):
        decide(lc, who, req)
    req.refresh_from_db()
    assert req.state == RequestState.SUBMITTED


def test_types_needing_bkpsdm_go_to_it_after_the_atasan(lc):
    req = submit(lc, kind="besar", start=dt.date(2026, 9, 1), end=dt.date(2026, 11, 30), reason="Ibadah haji")
    req = decide(lc, "kabid", req)
    assert req.state == RequestState.SUPERVISOR_APPROVED
    assert Notification.objects.filter(user=lc.users["admin"], text__contains="menunggu keputusan BKPSDM").exists()
    assert list(svc.to_decide_for(lc.users["admin"])) == [req]
    assert not svc.to_decide_for(lc.users["kabid"]).exists()
    for who in ("kabid", "head", "operator_a", "staff"):
        with pytest.raises(Forbidden):
            decide(lc, who, req)
    assert decide(lc, "admin", req).state == RequestState.APPROVED


def test_bkpsdm_may_reject_at_its_stage(lc):
    req = decide(lc, "kabid", submit(lc, kind="besar", start=dt.date(2026, 9, 1), end=dt.date(2026, 9, 30)))
    req = decide(lc, "admin", req, approve=False, note="Kuota cuti besar unit penuh")
    assert req.state == RequestState.REJECTED
    assert Notification.objects.filter(user=lc.users["staff"], text__contains="ditolak").exists()


def test_long_sick_leave_goes_to_bkpsdm_short_does_not(lc):
    short = submit(lc, kind="sakit", start=dt.date(2026, 7, 6), end=dt.date(2026, 7, 19), evidence=("s.pdf", PDF))
    assert decide(lc, "kabid", short).state == RequestState.APPROVED
    long = submit(lc, kind="sakit", start=dt.date(2026, 8, 3), end=dt.date(2026, 8, 17), evidence=("s.pdf", PDF))
    assert decide(lc, "kabid", long).state == RequestState.SUPERVISOR_APPROVED


def test_a_unit_head_without_atasan_is_decided_by_bkpsdm_in_one_step(lc):
    req = submit(lc, who="head")
    assert req.approver_id is None
    assert Notification.objects.filter(user=lc.users["admin"], text__contains="Kepala A").exists()
    assert decide(lc, "admin", req).state == RequestState.APPROVED


def test_a_decided_request_is_not_decided_again(lc):
    req = decide(lc, "kabid", submit(lc))
    with pytest.raises(TransitionRefused):
        decide(lc, "kabid", req, approve=False, note="berubah pikiran")


def test_a_locked_month_refuses_the_decision(lc):
    req = submit(lc)
    lock_month(JULY[0], lc.users["admin"])
    with pytest.raises(svc.MonthLocked):
        decide(lc, "kabid", req)


# ---- cancel -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("to_bkpsdm", [False, True])
def test_the_employee_cancels_a_pending_request_and_the_decider_is_told(lc, to_bkpsdm):
    req = submit(lc, kind="besar" if to_bkpsdm else "tahunan", start=dt.date(2026, 9, 1), end=dt.date(2026, 9, 4))
    if to_bkpsdm:
        decide(lc, "kabid", req)
    req = svc.leave_request_cancel(actor=lc.users["staff"], request_id=req.pk, on=dt.date(2026, 8, 1))
    assert req.state == RequestState.CANCELLED
    told = lc.users["admin"] if to_bkpsdm else lc.users["kabid"]
    assert Notification.objects.filter(user=told, text__contains="membatalkan").exists()


def test_cancel_is_refused_from_the_first_day_on(lc):
    req = decide(lc, "kabid", submit(lc))
    with pytest.raises(TransitionRefused):
        svc.leave_request_cancel(actor=lc.users["staff"], request_id=req.pk, on=JULY[0])
    assert svc.balance(lc.staff.pk, "tahunan", 2026) == 7


@pytest.mark.parametrize(("who", "error"), [("kabid", Forbidden), ("admin", Forbidden), ("other", NotVisible)])
def test_only_the_employee_cancels(lc, who, error):
    req = submit(lc)
    with pytest.raises(error):
        svc.leave_request_cancel(actor=lc.users[who], request_id=req.pk, on=dt.date(2026, 7, 1))


def test_a_rejected_request_cannot_be_cancelled(lc):
    req = decide(lc, "kabid", submit(lc), approve=False, note="Tidak bisa")
    with pytest.raises(TransitionRefused):
        svc.leave_request_cancel(actor=lc.users["staff"], request_id=req.pk, on=dt.date(2026, 7, 1))


def test_a_locked_month_refuses_the_cancel(lc):
    req = decide(lc, "kabid", submit(lc))
    lock_month(JULY[0], lc.users["admin"])
    with pytest.raises(svc.MonthLocked):
        svc.leave_request_cancel(actor=lc.users["staff"], request_id=req.pk, on=dt.date(2026, 7, 1))


# ---- visibility -----------------------------------------------------------------------------------------------------


def test_an_employee_sees_only_their_own_leave(lc):
    mine = submit(lc)
    theirs = submit(lc, who="other")
    assert list(svc.leave_requests_visible_to(lc.users["staff"])) == [mine]
    assert list(svc.leave_requests_visible_to(lc.users["other"])) == [theirs]
    with pytest.raises(NotVisible):
        svc.leave_request_get(lc.users["staff"], theirs.pk)


def test_atasan_operator_and_bkpsdm_see_their_scope(lc):
    a = submit(lc)
    b = submit(lc, who="other")
    assert set(svc.leave_requests_visible_to(lc.users["kabid"])) == {a}
    assert set(svc.leave_requests_visible_to(lc.users["head"])) == {a}
    assert set(svc.leave_requests_visible_to(lc.users["operator_a"])) == {a}
    assert set(svc.leave_requests_visible_to(lc.users["operator_b"])) == {b}
    assert set(svc.leave_requests_visible_to(lc.users["admin"])) == {a, b}


def test_decisions_are_audited_with_a_verb(lc):
    req = decide(lc, "kabid", submit(lc, kind="besar", start=dt.date(2026, 9, 1), end=dt.date(2026, 9, 30)))
    decide(lc, "admin", req)
    actions = set(AuditEvent.objects.filter(object_id=str(req.pk)).values_list("action", flat=True))
    assert {"attendance.leave.supervisor_approved", "attendance.leave.approved"} <= actions


def test_cuti_besar_again_only_five_years_after_the_last(lc):
    first = decide(lc, "admin", decide(lc, "kabid", submit(lc, kind="besar", start=dt.date(2026, 1, 5),
                                                          end=dt.date(2026, 1, 30))))  # fmt: skip
    assert first.state == RequestState.APPROVED
    with pytest.raises(svc.LeaveRefused) as exc:
        submit(lc, kind="besar", start=dt.date(2026, 9, 1), end=dt.date(2026, 9, 30))
    assert "5 tahun" in exc.value.message


def test_the_fourth_maternity_leave_is_refused(lc):
    for n in range(3):
        start = dt.date(2026, 1 + 4 * n, 5)
        req = submit(lc, who="kabid", kind="melahirkan", start=start, end=start + dt.timedelta(days=30),
                     evidence=("b.pdf", PDF))  # fmt: skip
        LeaveRequest.objects.filter(pk=req.pk).update(state=RequestState.APPROVED)
    with pytest.raises(svc.LeaveRefused) as exc:
        submit(lc, who="kabid", kind="melahirkan", start=dt.date(2026, 12, 1), end=dt.date(2026, 12, 10),
               evidence=("b.pdf", PDF))  # fmt: skip
    assert "cuti besar" in exc.value.message
