"""The annual leave ledger: the year's grant, the carry-over limits (6/18, 12/24 after two unused years), lapses,
takings refused beyond the balance, reversals on cancel, and cuti besar taking the year's own grant."""

from __future__ import annotations

import datetime as dt

import pytest

from pamong.attendance import leave as svc
from pamong.attendance.leave_rules import leave_types
from pamong.attendance.models import LeaveLedger, RequestState
from pamong.audit.models import AuditEvent
from pamong.core.errors import Forbidden
from pamong.people.models import Employee
from tests.attendance.factories_leave import leave_city, ledger


@pytest.fixture
def lc(city, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # evidence files never land in the working tree
    return leave_city(city)


def entries(emp, year):
    return sorted(LeaveLedger.objects.filter(employee=emp, kind="tahunan", year=year).values_list("entry", "days"))


def test_rule_pack_lists_the_seven_types_and_pppk_gets_four():
    types = leave_types(dt.date(2026, 1, 1))
    assert set(types) == {"tahunan", "besar", "sakit", "melahirkan", "alasan_penting", "bersama", "cltn"}
    assert {k for k, t in types.items() if "PPPK" in t.employee_types} == {"tahunan", "sakit", "melahirkan", "bersama"}
    assert {k for k, t in types.items() if t.bkpsdm} == {"besar", "melahirkan", "cltn"}
    assert types["tahunan"].ledger and not types["bersama"].requestable


def test_year_open_grants_twelve_days_to_the_eligible_and_is_idempotent(lc):
    admin = lc.users["admin"]
    counts = svc.leave_year_open(year=2026, actor=admin)
    assert counts["granted"] == 5  # head, kabid, staff (PNS 2012), staff2 (PPPK 2022), other
    assert svc.balance(lc.staff.pk, "tahunan", 2026) == 12
    assert svc.balance(lc.staff2.pk, "tahunan", 2026) == 12
    again = svc.leave_year_open(year=2026, actor=admin)
    assert again["granted"] == 0
    assert svc.balance(lc.staff.pk, "tahunan", 2026) == 12
    assert AuditEvent.objects.filter(action="attendance.leave_year.opened").count() == 2


def test_a_new_employee_gets_the_grant_of_the_year_of_their_first_anniversary_only(lc):
    new = lc.other
    Employee.objects.filter(pk=new.pk).update(tmt_cpns=dt.date(2026, 6, 1))
    svc.leave_year_open(year=2026, actor=lc.users["admin"])
    assert svc.balance(new.pk, "tahunan", 2026) == 0
    svc.leave_year_open(year=2027, actor=lc.users["admin"])
    assert svc.balance(new.pk, "tahunan", 2027) == 12


def test_an_employee_on_cltn_gets_no_grant(lc):
    lc.other.status = "cltn"
    lc.other.save(update_fields=["status"])
    svc.leave_year_open(year=2026, actor=lc.users["admin"])
    assert svc.balance(lc.other.pk, "tahunan", 2026) == 0


@pytest.mark.parametrize(
    ("left", "carried", "lapsed"),
    [(0, 0, 0), (4, 4, 0), (6, 6, 0), (10, 6, 4), (12, 6, 6)],
)
def test_carry_over_is_at_most_six_days_and_the_rest_lapses(lc, left, carried, lapsed):
    admin = lc.users["admin"]
    ledger(lc.staff, 2025, 12, admin)
    ledger(lc.staff, 2025, -(12 - left), admin, entry="taken")
    ledger(lc.staff, 2024, 12, admin)
    ledger(lc.staff, 2024, -1, admin, entry="taken")  # used the right the year before: the 6-day limit applies
    svc.leave_year_open(year=2026, actor=admin)
    assert svc.balance(lc.staff.pk, "tahunan", 2026) == 12 + carried
    assert svc.balance(lc.staff.pk, "tahunan", 2025) == 0  # the previous year closes at zero
    got = dict((e, d) for e, d in entries(lc.staff, 2025) if e == "lapsed")
    assert got.get("lapsed", 0) == -lapsed


def test_carry_over_after_two_unused_years_reaches_twenty_four_in_total(lc):
    admin = lc.users["admin"]
    ledger(lc.staff, 2024, 12, admin)
    ledger(lc.staff, 2025, 12, admin)
    ledger(lc.staff, 2025, 6, admin, entry="carry")
    svc.leave_year_open(year=2026, actor=admin)
    assert svc.balance(lc.staff.pk, "tahunan", 2026) == 24
    assert ("lapsed", -6) in entries(lc.staff, 2025)


def test_a_taking_reversed_by_a_cancel_still_counts_as_unused(lc):
    admin = lc.users["admin"]
    ledger(lc.staff, 2024, 12, admin)
    ledger(lc.staff, 2025, 12, admin)
    ledger(lc.staff, 2025, -3, admin, entry="taken")
    ledger(lc.staff, 2025, 3, admin, entry="reversed")
    svc.leave_year_open(year=2026, actor=admin)
    assert svc.balance(lc.staff.pk, "tahunan", 2026) == 24


def test_only_bkpsdm_opens_the_year(lc):
    for key in ("operator_a", "kabid", "staff"):
        with pytest.raises(Forbidden):
            svc.leave_year_open(year=2026, actor=lc.users[key])
    assert not LeaveLedger.objects.exists()


def test_approval_writes_the_taking_and_cancel_reverses_it(lc):
    admin = lc.users["admin"]
    svc.leave_year_open(year=2026, actor=admin)
    req = svc.leave_request_submit(
        actor=lc.users["staff"],
        employee_id=lc.staff.pk,
        kind="tahunan",
        start=dt.date(2026, 7, 6),
        end=dt.date(2026, 7, 10),
        reason="Pulang kampung",
    )
    assert svc.balance(lc.staff.pk, "tahunan", 2026) == 12  # pending: not yet in the ledger
    svc.leave_request_decide(actor=lc.users["kabid"], request_id=req.pk, approve=True)
    assert svc.balance(lc.staff.pk, "tahunan", 2026) == 7
    svc.leave_request_cancel(actor=lc.users["staff"], request_id=req.pk, on=dt.date(2026, 7, 1))
    assert svc.balance(lc.staff.pk, "tahunan", 2026) == 12
    assert ("reversed", 5) in entries(lc.staff, 2026)


def test_a_taking_beyond_the_balance_is_refused_counting_pending_requests(lc):
    admin = lc.users["admin"]
    ledger(lc.staff, 2026, 6, admin)
    staff = lc.users["staff"]
    svc.leave_request_submit(
        actor=staff,
        employee_id=lc.staff.pk,
        kind="tahunan",
        start=dt.date(2026, 7, 6),
        end=dt.date(2026, 7, 10),
        reason="Liburan",
    )
    with pytest.raises(svc.LeaveRefused) as exc:
        svc.leave_request_submit(
            actor=staff,
            employee_id=lc.staff.pk,
            kind="tahunan",
            start=dt.date(2026, 7, 13),
            end=dt.date(2026, 7, 14),
            reason="Liburan lagi",
        )
    assert "tinggal 1 hari kerja" in exc.value.message
    assert exc.value.details["needed"] == 2


def test_a_balance_lowered_after_submission_is_checked_again_at_approval(lc):
    admin = lc.users["admin"]
    ledger(lc.staff, 2026, 5, admin)
    req = svc.leave_request_submit(
        actor=lc.users["staff"],
        employee_id=lc.staff.pk,
        kind="tahunan",
        start=dt.date(2026, 7, 6),
        end=dt.date(2026, 7, 10),
        reason="Liburan",
    )
    ledger(lc.staff, 2026, -1, admin, entry="adjust")
    with pytest.raises(svc.LeaveRefused):
        svc.leave_request_decide(actor=lc.users["kabid"], request_id=req.pk, approve=True)
    req.refresh_from_db()
    assert req.state == RequestState.SUBMITTED
    assert svc.balance(lc.staff.pk, "tahunan", 2026) == 4


def test_across_new_year_each_year_pays_its_own_part(lc, monkeypatch):
    from tests.attendance.factories_leave import with_2027_calendar

    with_2027_calendar(monkeypatch)
    admin = lc.users["admin"]
    ledger(lc.staff, 2026, 4, admin)
    ledger(lc.staff, 2027, 12, admin)
    staff = lc.users["staff"]
    # 28–31 Dec 2026 = 4 working days; 1 Jan 2027 holiday; 4–5 Jan 2027 = 2
    req = svc.leave_request_submit(
        actor=staff,
        employee_id=lc.staff.pk,
        kind="tahunan",
        start=dt.date(2026, 12, 28),
        end=dt.date(2027, 1, 5),
        reason="Akhir tahun",
    )
    assert req.days == 6
    svc.leave_request_decide(actor=lc.users["kabid"], request_id=req.pk, approve=True)
    assert svc.balance(lc.staff.pk, "tahunan", 2026) == 0
    assert svc.balance(lc.staff.pk, "tahunan", 2027) == 10


def test_across_new_year_a_short_year_is_refused_even_with_days_left_in_the_other(lc, monkeypatch):
    from tests.attendance.factories_leave import with_2027_calendar

    with_2027_calendar(monkeypatch)
    admin = lc.users["admin"]
    ledger(lc.staff, 2026, 3, admin)
    ledger(lc.staff, 2027, 12, admin)
    with pytest.raises(svc.LeaveRefused) as exc:
        svc.leave_request_submit(
            actor=lc.users["staff"],
            employee_id=lc.staff.pk,
            kind="tahunan",
            start=dt.date(2026, 12, 28),
            end=dt.date(2027, 1, 5),
            reason="Akhir tahun",
        )
    assert exc.value.details["year"] == 2026


def test_cuti_besar_lapses_what_is_left_of_the_years_own_grant_and_its_cancel_restores_it(lc):
    admin = lc.users["admin"]
    ledger(lc.staff, 2026, 12, admin)
    ledger(lc.staff, 2026, 4, admin, entry="carry")
    ledger(lc.staff, 2026, -2, admin, entry="taken")
    req = svc.leave_request_submit(
        actor=lc.users["staff"],
        employee_id=lc.staff.pk,
        kind="besar",
        start=dt.date(2026, 9, 1),
        end=dt.date(2026, 11, 30),
        reason="Ibadah",
    )
    svc.leave_request_decide(actor=lc.users["kabid"], request_id=req.pk, approve=True)
    svc.leave_request_decide(actor=admin, request_id=req.pk, approve=True)
    assert svc.balance(lc.staff.pk, "tahunan", 2026) == 2  # 14 left, of which 12 were this year's grant
    svc.leave_request_cancel(actor=lc.users["staff"], request_id=req.pk, on=dt.date(2026, 8, 1))
    assert svc.balance(lc.staff.pk, "tahunan", 2026) == 14


def test_ledger_summary_reads_positive_numbers(lc):
    admin = lc.users["admin"]
    ledger(lc.staff, 2026, 12, admin)
    ledger(lc.staff, 2026, 3, admin, entry="carry")
    ledger(lc.staff, 2026, -5, admin, entry="taken")
    ledger(lc.staff, 2026, 2, admin, entry="reversed")
    [row] = svc.ledger_summary(lc.staff.pk)
    assert row == {
        "kind": "tahunan",
        "year": 2026,
        "grant": 12,
        "carry_in": 3,
        "used": 3,
        "gone": 0,
        "adjust": 0,
        "balance": 12,
    }
