"""Correction requests: every state × role transition, evidence by content, the lock, and what approval does."""

from __future__ import annotations

import datetime as dt

import pytest

from pamong.attendance.corrections import (
    correction_approve,
    correction_cancel,
    correction_reject,
    correction_submit,
    corrections_to_decide,
    corrections_visible_to,
)
from pamong.attendance.locks import MonthLocked
from pamong.attendance.models import Correction, MonthRecap, Punch, PunchSource, RequestState
from pamong.attendance.month import month_recompute
from pamong.audit.models import AuditEvent
from pamong.core.errors import Forbidden, NotVisible, TransitionRefused, ValidationFailed
from pamong.payroll.models import PayrollRun, RunKind, RunState
from tests import factories as f

DAY = dt.date(2026, 3, 2)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 20


def submit(city, **kw):
    args = {"actor": city.users["staff"], "date": DAY, "kind": "lupa", "reason": "lupa rekam",
            "masuk": dt.time(7, 20), "pulang": dt.time(16, 5)}  # fmt: skip
    args.update(kw)
    return correction_submit(**args)


@pytest.fixture
def roles(city):
    """staff files; kabid (staff's atasan) decides; staff2 is a colleague; admin BKPSDM; an outsider of Dinas B."""
    return {"staff": city.users["staff"], "kabid": city.users["kabid"], "admin": city.users["admin"],
            "staff2": f.user("staff2", employee=city.staff2), "other": f.user("other", employee=city.other),
            "head": f.user("kepala", employee=city.head)}  # fmt: skip


def test_submit_sets_the_atasan_as_approver_and_audits(city, roles):
    row = submit(city, evidence=("surat.pdf", PDF))
    assert row.state == RequestState.SUBMITTED and row.approver_id == city.kabid.id
    assert row.evidence.name.startswith("corrections/koreksi") and row.evidence.name.endswith(".pdf")
    assert AuditEvent.objects.filter(action="attendance.correction.submit", object_id=str(row.pk)).exists()
    assert list(corrections_to_decide(roles["kabid"])) == [row]
    assert not corrections_to_decide(roles["staff"]).exists() and not corrections_to_decide(roles["head"]).exists()


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"masuk": None, "pulang": None}, "masuk"),
        ({"reason": "  "}, "reason"),
        ({"kind": "x"}, "kind"),
        ({"date": dt.date(2999, 1, 1)}, "date"),
        ({"evidence": ("a.pdf", b"MZ\x90\x00 not a pdf")}, "evidence"),
        ({"evidence": ("a.png", b"")}, "evidence"),
        ({"evidence": ("a.pdf", PDF + b"0" * (2 * 1024 * 1024))}, "evidence"),
        ({"evidence": ("a.docx", b"PK\x03\x04 zip")}, "evidence"),
    ],
)
def test_submit_refuses_bad_input(city, roles, kw, field):
    with pytest.raises(ValidationFailed) as exc:
        submit(city, **kw)
    assert exc.value.details["field"] == field


def test_png_evidence_and_one_waiting_request_per_date(city, roles):
    submit(city, evidence=("foto", PNG))
    with pytest.raises(ValidationFailed):
        submit(city)


def test_who_may_submit(city, roles):
    with pytest.raises(Forbidden):
        submit(city, actor=roles["admin"])  # no employee record


def test_approve_adds_correction_punches_and_recomputes_a_computed_month(city, roles):
    month_recompute(period=DAY, employee_ids=[city.staff.id], actor=None)
    assert MonthRecap.objects.get(employee=city.staff).days[1] == "T"
    row = submit(city)
    correction_approve(actor=roles["kabid"], correction_id=row.pk, note="ok")
    row.refresh_from_db()
    assert row.state == RequestState.APPROVED and row.decided_by == roles["kabid"]
    punches = set(Punch.objects.filter(employee=city.staff).values_list("date", "seconds", "source"))
    assert punches == {(DAY, 7 * 3600 + 20 * 60, PunchSource.CORRECTION), (DAY, 16 * 3600 + 5 * 60,
                                                                          PunchSource.CORRECTION)}  # fmt: skip
    recap = MonthRecap.objects.get(employee=city.staff)
    assert recap.days[1] == "H" and recap.hadir == 1  # Ramadan 08:00–15:00: on time
    assert AuditEvent.objects.filter(action="attendance.correction.approve", object_id=str(row.pk)).exists()


def test_night_shift_departure_falls_on_the_next_date(city, roles):
    row = submit(city, masuk=dt.time(20, 0), pulang=dt.time(8, 0))
    correction_approve(actor=roles["kabid"], correction_id=row.pk)
    assert set(Punch.objects.values_list("date", "seconds")) == {(DAY, 72000), (DAY + dt.timedelta(1), 28800)}


@pytest.mark.parametrize(
    ("who", "error"),
    [("staff", Forbidden), ("staff2", NotVisible), ("other", NotVisible), ("admin", Forbidden), ("head", Forbidden)],
)
def test_only_the_atasan_decides(city, roles, who, error):
    # head sees staff (below their position) but is not the nearest superior; admin sees all, decides only
    # requests without an atasan; a colleague and another OPD's employee do not see it at all
    row = submit(city)
    with pytest.raises(error):
        correction_approve(actor=roles[who], correction_id=row.pk)
    with pytest.raises(error):
        correction_reject(actor=roles[who], correction_id=row.pk, note="tidak")
    assert Correction.objects.get(pk=row.pk).state == RequestState.SUBMITTED


def test_admin_decides_when_there_is_no_atasan(city, roles):
    row = correction_submit(actor=roles["other"], date=DAY, kind="mesin_rusak", reason="mesin mati",
                            masuk=dt.time(7, 0))  # fmt: skip
    assert row.approver_id is None
    assert list(corrections_to_decide(roles["admin"])) == [row]
    correction_reject(actor=roles["admin"], correction_id=row.pk, note="tidak ada bukti")
    assert Correction.objects.get(pk=row.pk).state == RequestState.REJECTED


def test_reject_needs_a_note(city, roles):
    row = submit(city)
    with pytest.raises(ValidationFailed):
        correction_reject(actor=roles["kabid"], correction_id=row.pk, note=" ")
    correction_reject(actor=roles["kabid"], correction_id=row.pk, note="jam tidak sesuai")
    row.refresh_from_db()
    assert (row.state, row.decision_note) == (RequestState.REJECTED, "jam tidak sesuai")
    assert not Punch.objects.exists()


def test_cancel_by_the_employee_only_while_submitted(city, roles):
    row = submit(city)
    with pytest.raises(Forbidden):
        correction_cancel(actor=roles["kabid"], correction_id=row.pk)
    with pytest.raises(NotVisible):
        correction_cancel(actor=roles["staff2"], correction_id=row.pk)
    correction_cancel(actor=roles["staff"], correction_id=row.pk)
    assert Correction.objects.get(pk=row.pk).state == RequestState.CANCELLED


@pytest.mark.parametrize("final", ["approved", "rejected", "cancelled"])
def test_final_states_refuse_every_transition(city, roles, final):
    row = submit(city)
    if final == "approved":
        correction_approve(actor=roles["kabid"], correction_id=row.pk)
    elif final == "rejected":
        correction_reject(actor=roles["kabid"], correction_id=row.pk, note="tidak")
    else:
        correction_cancel(actor=roles["staff"], correction_id=row.pk)
    with pytest.raises(TransitionRefused):
        correction_approve(actor=roles["kabid"], correction_id=row.pk)
    with pytest.raises(TransitionRefused):
        correction_reject(actor=roles["kabid"], correction_id=row.pk, note="x")
    with pytest.raises(TransitionRefused):
        correction_cancel(actor=roles["staff"], correction_id=row.pk)


def test_locked_month_refuses_submit_and_approve(city, roles):
    row = submit(city)
    PayrollRun.objects.create(period=DAY.replace(day=1), kind=RunKind.TPP, state=RunState.APPROVED,
                              created_by=city.users["bpkad"])  # fmt: skip
    with pytest.raises(MonthLocked):
        correction_approve(actor=roles["kabid"], correction_id=row.pk)
    with pytest.raises(MonthLocked):
        submit(city, date=dt.date(2026, 3, 3))
    assert not Punch.objects.exists()
    correction_cancel(actor=roles["staff"], correction_id=row.pk)  # cancelling changes no attendance


def test_visibility(city, roles):
    row = submit(city)
    assert list(corrections_visible_to(roles["staff"])) == [row]
    assert list(corrections_visible_to(roles["kabid"])) == [row]
    assert list(corrections_visible_to(roles["admin"])) == [row]
    assert not corrections_visible_to(roles["staff2"]).exists()
    assert not corrections_visible_to(roles["other"]).exists()
