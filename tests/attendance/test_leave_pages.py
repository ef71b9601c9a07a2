"""The leave and travel pages render for each role, post through the services, and hide what is out of scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pamong.attendance import leave as svc
from pamong.attendance.models import LeaveLedger, LeaveRequest, RequestState, TravelOrder
from tests.attendance.factories_leave import PDF, leave_city, ledger


@pytest.fixture
def lc(city, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # evidence files never land in the working tree
    lc = leave_city(city)
    ledger(city.staff, 2026, 12, lc.users["admin"])
    return lc


def client_for(client, user):
    client.force_login(user)
    return client


def submit(lc, who="staff", start=dt.date(2026, 7, 6), end=dt.date(2026, 7, 10)):
    emp = getattr(lc, who)
    return svc.leave_request_submit(actor=lc.users[who], employee_id=emp.pk, kind="tahunan", start=start, end=end,
                                    reason="Keluarga")  # fmt: skip


@pytest.mark.parametrize("who", ["staff", "kabid", "admin", "operator_a", "inspector", "staff2"])
@pytest.mark.parametrize("name", ["attendance:leave_mine", "attendance:leave_approvals", "attendance:travel_list"])
def test_pages_render_for_every_role(client, lc, who, name):
    r = client_for(client, lc.users[who]).get(reverse(name))
    assert r.status_code == 200
    assert "no-store" in r["Cache-Control"]


def test_my_leave_shows_the_balance_and_the_form(client, lc):
    r = client_for(client, lc.users["staff"]).get(reverse("attendance:leave_mine"))
    html = r.content.decode()
    assert 'id="leave-balance"' in html and 'id="leave-form"' in html
    assert "Cuti besar" in html and "Cuti melahirkan" not in html  # a man: no maternity leave offered


def test_a_login_without_employee_has_no_leave(client, lc):
    r = client_for(client, lc.users["admin"]).get(reverse("attendance:leave_mine"))
    assert 'id="no-employee"' in r.content.decode()


def test_the_form_submits_with_evidence(client, lc):
    c = client_for(client, lc.users["staff"])
    r = c.post(reverse("attendance:leave_mine"), {
        "kind": "sakit", "start": "2026-07-06", "end": "2026-07-07", "reason": "Demam",
        "evidence": SimpleUploadedFile("surat.pdf", PDF, content_type="application/pdf"),
    })  # fmt: skip
    assert r.status_code == 302
    req = LeaveRequest.objects.get()
    assert (req.kind, req.days, req.evidence.read()) == ("sakit", 2, PDF)


def test_a_refusal_is_shown_in_plain_indonesian(client, lc):
    c = client_for(client, lc.users["staff"])
    r = c.post(
        reverse("attendance:leave_mine"),
        {"kind": "tahunan", "start": "2026-07-06", "end": "2026-07-24", "reason": "Liburan"},
        follow=True,
    )
    assert "Sisa cuti tahunan tahun 2026 tinggal 12 hari kerja" in r.content.decode()
    assert not LeaveRequest.objects.exists()


def test_the_atasan_sees_the_queue_and_approves(client, lc):
    req = submit(lc)
    c = client_for(client, lc.users["kabid"])
    html = c.get(reverse("attendance:leave_approvals")).content.decode()
    assert 'id="leave-queue"' in html and "Staf Satu" in html
    r = c.post(reverse("attendance:leave_decide", args=[req.pk]), {"decision": "approve"})
    assert r.status_code == 302
    req.refresh_from_db()
    assert req.state == RequestState.APPROVED


def test_another_atasan_does_not_see_it_in_the_queue_and_may_not_decide(client, lc):
    req = submit(lc)
    c = client_for(client, lc.users["head"])
    assert "Staf Satu" not in c.get(reverse("attendance:leave_approvals")).content.decode()
    c.post(reverse("attendance:leave_decide", args=[req.pk]), {"decision": "approve"})
    req.refresh_from_db()
    assert req.state == RequestState.SUBMITTED


def test_out_of_scope_is_404(client, lc):
    req = submit(lc)
    c = client_for(client, lc.users["other"])
    assert c.post(reverse("attendance:leave_decide", args=[req.pk]), {"decision": "approve"}).status_code == 404
    assert c.post(reverse("attendance:leave_cancel", args=[req.pk])).status_code == 404
    assert c.get(reverse("attendance:leave_evidence", args=[req.pk])).status_code == 404


def test_evidence_download_for_the_atasan(client, lc):
    req = svc.leave_request_submit(actor=lc.users["staff"], employee_id=lc.staff.pk, kind="sakit",
                                   start=dt.date(2026, 7, 6), end=dt.date(2026, 7, 7), reason="Demam",
                                   evidence=("s.pdf", PDF))  # fmt: skip
    r = client_for(client, lc.users["kabid"]).get(reverse("attendance:leave_evidence", args=[req.pk]))
    assert r.status_code == 200
    assert b"".join(r.streaming_content) == PDF


def test_bkpsdm_opens_the_year_from_the_page(client, lc):
    c = client_for(client, lc.users["admin"])
    assert 'id="year-open"' in c.get(reverse("attendance:leave_approvals")).content.decode()
    c.post(reverse("attendance:leave_year_open"), {"year": "2027"})
    assert LeaveLedger.objects.filter(year=2027, entry="grant").count() == 5
    c = client_for(client, lc.users["kabid"])
    assert 'id="year-open"' not in c.get(reverse("attendance:leave_approvals")).content.decode()
    c.post(reverse("attendance:leave_year_open"), {"year": "2028"})
    assert not LeaveLedger.objects.filter(year=2028).exists()


def test_the_operator_records_and_cancels_a_travel_order(client, lc):
    c = client_for(client, lc.users["operator_a"])
    html = c.get(reverse("attendance:travel_list")).content.decode()
    assert 'id="travel-form"' in html and "Pegawai Dinas B" not in html
    r = c.post(reverse("attendance:travel_list"), {
        "unit": lc.opd_a.pk, "number": "800/1", "date": "2026-07-01", "start": "2026-07-06", "end": "2026-07-08",
        "destination": "Padang", "purpose": "Rapat", "signed_by": "Kepala Dinas A", "employees": [lc.staff.pk],
    })  # fmt: skip
    assert r.status_code == 302
    order = TravelOrder.objects.get()
    c.post(reverse("attendance:travel_cancel", args=[order.pk]), {"reason": "Ditunda"})
    order.refresh_from_db()
    assert order.cancelled


def test_an_employee_sees_their_orders_without_the_form(client, lc):
    c = client_for(client, lc.users["staff"])
    assert 'id="travel-form"' not in c.get(reverse("attendance:travel_list")).content.decode()
    r = c.post(reverse("attendance:travel_list"), {"unit": lc.opd_a.pk, "number": "x", "employees": [lc.staff.pk]})
    assert r.status_code == 200
    assert not TravelOrder.objects.exists()


def test_bkpsdm_picks_the_opd_first_then_its_employees_are_listed(client, lc):
    c = client_for(client, lc.users["admin"])
    html = c.get(reverse("attendance:travel_list")).content.decode()
    assert 'id="travel-opd"' in html and 'id="travel-form"' not in html
    html = c.get(reverse("attendance:travel_list"), {"opd": lc.opd_b.pk}).content.decode()
    assert 'id="travel-form"' in html and "Pegawai Dinas B" in html and "Staf Satu" not in html
    r = c.post(reverse("attendance:travel_list"), {
        "unit": lc.opd_b.pk, "number": "800/2/B", "date": "2026-07-01", "start": "2026-07-06", "end": "2026-07-06",
        "destination": "Bukittinggi", "purpose": "Pelatihan", "signed_by": "Kepala Dinas B", "employees": [lc.other.pk],
    })  # fmt: skip
    assert r.status_code == 302
    assert TravelOrder.objects.get().unit == lc.opd_b


def test_the_cancel_form_shows_only_for_orders_the_operator_may_cancel(client, lc):
    from pamong.attendance import travel

    order, _ = travel.travel_order_create(
        actor=lc.users["admin"], unit_id=lc.opd_a.pk, number="800/3/A", date=dt.date(2026, 7, 1),
        start=dt.date(2026, 7, 6), end=dt.date(2026, 7, 6), destination="Solok", purpose="Rapat",
        signed_by="Kepala Dinas A", employee_ids=[lc.other.pk],
    )  # fmt: skip
    action = reverse("attendance:travel_cancel", args=[order.pk])
    html = client_for(client, lc.users["operator_b"]).get(reverse("attendance:travel_list")).content.decode()
    assert "800/3/A" in html and action not in html  # sees it (its employee), may not cancel it
    html = client_for(client, lc.users["operator_a"]).get(reverse("attendance:travel_list")).content.decode()
    assert action in html
