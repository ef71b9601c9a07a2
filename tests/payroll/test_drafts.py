"""Drafts are not pay: employees and the public see payslips of approved (paid, closed) runs only; staff see drafts
watermarked; verification codes are issued at approval and never change; the public page shows no amount; the
QR/link address comes from PAMONG_PUBLIC_URL, else the request's host."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction
from django.test import Client
from django.urls import reverse

from pamong.core.errors import TransitionRefused
from pamong.core.formats import rupiah
from pamong.payroll.models import Payslip, RunState
from pamong.payroll.outputs import pdf
from pamong.payroll.services import run_close, run_compute, run_pay
from tests.payroll.test_outputs import pdf_text


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def codes(run) -> dict[int, str | None]:
    return dict(Payslip.objects.filter(run=run).values_list("employee_id", "code"))


# --- who sees a draft ------------------------------------------------------------------------------------------


def test_employee_sees_no_payslip_of_a_computed_run_until_it_is_approved(pay):
    run = pay.compute("gaji")
    staff = client_for(pay.city.users["staff"])
    slip = run.payslips.get(employee=pay.city.staff)
    assert staff.get(reverse("payroll:my_payslips")).context["slips"] == []
    assert staff.get(reverse("payroll:payslip_detail", args=[slip.pk])).status_code == 404
    assert staff.get(reverse("payroll:payslip_pdf", args=[slip.pk])).status_code == 404
    pay.approve(run)
    assert [s.pk for s in staff.get(reverse("payroll:my_payslips")).context["slips"]] == [slip.pk]
    assert staff.get(reverse("payroll:payslip_detail", args=[slip.pk])).status_code == 200


def test_staff_see_a_draft_payslip_watermarked_on_the_page(pay):
    run = pay.compute("gaji")
    slip = run.payslips.get(employee=pay.city.staff)
    body = client_for(pay.treasurer_a).get(reverse("payroll:payslip_detail", args=[slip.pk])).content.decode()
    assert "DRAF – BELUM DISETUJUI" in body and 'id="slip-draft"' in body
    assert "belum ada (draf)" in body  # no verification code
    pay.approve(run)
    slip.refresh_from_db()
    body = client_for(pay.treasurer_a).get(reverse("payroll:payslip_detail", args=[slip.pk])).content.decode()
    assert 'id="slip-draft"' not in body and slip.code in body


def test_draft_payslip_pdf_is_watermarked_and_has_no_code(pay):
    run = pay.compute("gaji")
    slip = run.payslips.select_related("run", "opd").get(employee=pay.city.staff)
    text = pdf_text(pdf.payslip_pdf(slip))
    assert "BELUM DISETUJUI" in text and "bukan bukti pembayaran" in text
    assert "Kode verifikasi:" not in text and "/verifikasi/" not in text
    pay.approve(run)
    slip = Payslip.objects.select_related("run", "opd").get(pk=slip.pk)
    text = pdf_text(pdf.payslip_pdf(slip))
    assert "BELUM DISETUJUI" not in text and f"Kode verifikasi: {slip.code}" in text


# --- codes -----------------------------------------------------------------------------------------------------


def test_codes_are_issued_at_approval_and_never_change(pay):
    run = pay.compute("gaji")
    assert set(codes(run).values()) == {None}  # a draft has no code
    run = run_compute(pay.bpkad, run, enqueue=False)  # recomputing a draft: still none to invalidate
    from pamong.payroll.compute import work

    work(run.id)
    run.refresh_from_db()
    assert set(codes(run).values()) == {None}
    run = pay.approve(run)
    issued = codes(run)
    assert all(c and len(c) == 16 and c == c.upper() for c in issued.values())
    assert len(set(issued.values())) == len(issued)
    with pytest.raises(TransitionRefused):
        run_compute(pay.bpkad, run, enqueue=False)
    with pytest.raises(DatabaseError), transaction.atomic():
        Payslip.objects.filter(run=run).update(code="AAAAAAAAAAAAAAAA")
    run = run_close(pay.bpkad, run_pay(pay.bpkad, run, "SP2D-1"))
    assert run.state == RunState.CLOSED and codes(run) == issued


def test_a_draft_payslip_code_is_not_valid_publicly(pay):
    run = pay.compute("gaji")
    slip = run.payslips.get(employee=pay.city.staff)
    Payslip.objects.filter(pk=slip.pk).update(code="ABCDEF0123456789")  # even if one were written by hand
    response = Client().get(reverse("payslip_verify", args=["ABCDEF0123456789"]))
    assert response.status_code == 404 and "tidak sah" in response.content.decode()


def test_public_page_shows_masked_name_nip_month_kind_and_no_amount(pay):
    run = pay.approve(pay.compute("gaji"))
    slip = run.payslips.get(employee=pay.city.staff)
    response = Client().get(reverse("payslip_verify", args=[slip.code]))
    body = response.content.decode()
    assert response.status_code == 200 and "Slip ini sah" in body
    assert slip.facts["nama"] not in body and slip.facts["nip"] not in body
    assert "November 2026" in body and "Slip Gaji" in body
    assert rupiah(slip.bersih) not in body and rupiah(slip.bruto) not in body and "Dibayar (bersih)" not in body


# --- the public address in the QR code -------------------------------------------------------------------------


def test_public_url_setting_wins_over_the_request_host(pay, settings):
    settings.PAMONG_PUBLIC_URL = "https://pamong.sawahluntokota.go.id/"
    settings.ALLOWED_HOSTS = ["intranet.local"]
    run = pay.approve(pay.compute("gaji"))
    slip = run.payslips.get(employee=pay.city.staff)
    data = client_for(pay.bpkad).get(reverse("payroll:payslip_pdf", args=[slip.pk]), HTTP_HOST="intranet.local")
    text = pdf_text(data.content)
    assert f"https://pamong.sawahluntokota.go.id/verifikasi/{slip.code}/" in text and "intranet.local" not in text


def test_without_the_setting_the_qr_points_to_the_requests_host(pay, settings):
    settings.PAMONG_PUBLIC_URL = ""
    settings.ALLOWED_HOSTS = ["pamong.kota.test"]
    run = pay.approve(pay.compute("gaji"))
    slip = run.payslips.select_related("run", "opd").get(employee=pay.city.staff)
    data = client_for(pay.bpkad).get(reverse("payroll:payslip_pdf", args=[slip.pk]), HTTP_HOST="pamong.kota.test")
    assert f"http://pamong.kota.test/verifikasi/{slip.code}/" in pdf_text(data.content)
    # no request (the worker, the CLI): the setting, else the local default
    assert f"{pdf.DEFAULT_PUBLIC_URL}/verifikasi/{slip.code}/" in pdf.render_html([slip])
    settings.PAMONG_PUBLIC_URL = "https://gaji.example.go.id"
    assert f"https://gaji.example.go.id/verifikasi/{slip.code}/" in pdf.render_html([slip])
