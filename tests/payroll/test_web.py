"""Payroll pages: who sees which run and payslip (a payslip of someone else is a 404), the buttons posting through
the services (state changes; a refusal is a message on the page with its status, never a 500), the htmx progress
box, the public verification page and the downloads' content types."""

from __future__ import annotations

import importlib.util
import re

import pytest
from django.test import Client
from django.urls import reverse

from pamong.payroll.models import OpdVerification, PayrollRun, Payslip, RunChunk, RunState
from pamong.payroll.services import run_return, run_verify
from pamong.payroll.views import mask_name, mask_nip

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def client_for(user) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def users(pay) -> dict:
    return {**pay.city.users, "treasurer_b": pay.treasurer_b, "anonymous": None}


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def post_action(user, run: PayrollRun, action: str, **data):
    version = data.pop("version", run.version)
    return client_for(user).post(
        reverse("payroll:run_action", args=[run.pk]), {"action": action, "version": version, **data}
    )


@pytest.fixture
def gaji(pay) -> PayrollRun:
    return pay.compute("gaji")


@pytest.fixture
def staff_slip(gaji, pay) -> Payslip:
    """The employee's payslip of an approved run (employees see no drafts)."""
    return pay.approve(gaji).payslips.get(employee=pay.city.staff)


# --- payslip detail and PDF: the permission matrix -------------------------------------------------------------

MATRIX = [
    ("staff", 200),  # the employee themself
    ("treasurer_a", 200),  # treasurer of the employee's OPD
    ("treasurer_b", 404),  # treasurer of another OPD
    ("inspector", 200),
    ("bpkad", 200),
    ("admin", 404),  # BKPSDM sees employees, not their pay
    ("operator_a", 404),
    ("kabid", 404),  # the supervisor does not see a subordinate's pay
]


@pytest.mark.parametrize(("who", "status"), MATRIX)
def test_payslip_detail_permission_matrix(pay, staff_slip, who, status):
    response = client_for(users(pay)[who]).get(reverse("payroll:payslip_detail", args=[staff_slip.pk]))
    assert response.status_code == status
    if status == 200:
        assert staff_slip.facts["nip"] in response.content.decode()
        assert "no-store" in response["Cache-Control"]
    else:
        assert staff_slip.facts["nip"] not in response.content.decode()


@pytest.mark.parametrize(("who", "status"), MATRIX)
def test_payslip_pdf_permission_matrix(pay, staff_slip, who, status):
    response = client_for(users(pay)[who]).get(reverse("payroll:payslip_pdf", args=[staff_slip.pk]))
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert "attachment" in response["Content-Disposition"]


@pytest.mark.parametrize("name", ["payroll:payslip_detail", "payroll:payslip_pdf"])
def test_anonymous_is_sent_to_login(staff_slip, name):
    url = reverse(name, args=[staff_slip.pk])
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login")) and "next=" in response["Location"]


def test_payslip_page_shows_lines_totals_and_the_explanation(pay, staff_slip):
    response = client_for(pay.city.users["staff"]).get(reverse("payroll:payslip_detail", args=[staff_slip.pk]))
    body = response.content.decode()
    assert 'data-line="gaji_pokok"' in body and "Gaji pokok" in body
    assert "Dibayar (bersih)" in body
    explanation = response.context["explanation"]  # the employee's: readable names, regulations (test_explanation)
    gp = next(line for line in explanation if line["label"] == "Gaji pokok")
    assert gp["result"] == staff_slip.lines["gaji_pokok"] and gp["on_slip"]
    assert gp["params"] and gp["params"][0]["since"] and gp["params"][0]["regulations"]
    assert "berlaku sejak" in body.lower() and "Dasar hukum" in body
    assert "PP 5/2024" in body  # the legal basis of the gaji pokok table


def test_my_payslips_lists_only_own(pay, gaji, staff_slip):
    response = client_for(pay.city.users["staff"]).get(reverse("payroll:my_payslips"))
    assert response.status_code == 200
    assert [s.pk for s in response.context["slips"]] == [staff_slip.pk]
    response = client_for(pay.city.users["admin"]).get(reverse("payroll:my_payslips"))
    assert response.status_code == 200 and response.context["slips"] == []
    assert "tidak terhubung" in text(response)


# --- runs: visibility, navigation ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("bpkad", 200), ("inspector", 200), ("treasurer_a", 200), ("treasurer_b", 200), ("admin", 404), ("staff", 404),
     ("operator_a", 404), ("anonymous", 302)],
)  # fmt: skip
def test_run_page_visibility(pay, gaji, who, status):
    assert client_for(users(pay)[who]).get(reverse("payroll:run_detail", args=[gaji.pk])).status_code == status


def test_run_scoped_to_another_opd_is_hidden_from_a_treasurer(pay):
    run = pay.compute("gaji", scope=pay.city.opd_b)
    assert client_for(pay.treasurer_a).get(reverse("payroll:run_detail", args=[run.pk])).status_code == 404
    assert client_for(pay.treasurer_b).get(reverse("payroll:run_detail", args=[run.pk])).status_code == 200
    listed = client_for(pay.treasurer_a).get(reverse("payroll:run_list")).context["runs"]
    assert run not in listed


def test_run_list_newest_first_and_create_form_only_for_head_and_treasurer(pay, gaji):
    tpp = pay.compute("tpp")
    response = client_for(pay.bpkad).get(reverse("payroll:run_list"))
    assert response.context["runs"][0] == tpp and response.context["form"] is not None
    assert "Buat proses" in text(response)
    response = client_for(pay.city.users["inspector"]).get(reverse("payroll:run_list"))
    assert len(response.context["runs"]) == 2 and response.context["form"] is None
    response = client_for(pay.city.users["admin"]).get(reverse("payroll:run_list"))
    assert response.status_code == 200 and response.context["runs"] == []


def nav_links(user) -> set[str]:
    body = client_for(user).get(reverse("dashboard")).content.decode()
    nav = body[body.index('class="mainnav"') : body.index("</nav>")]
    return set(re.findall(r'href="([^"]+)"', nav))


def test_nav_links(pay, gaji):
    runs, mine = reverse("payroll:run_list"), reverse("payroll:my_payslips")
    assert runs in nav_links(pay.bpkad) and mine not in nav_links(pay.bpkad)
    assert runs not in nav_links(pay.city.users["staff"]) and mine in nav_links(pay.city.users["staff"])
    assert runs in nav_links(pay.treasurer_a) and runs in nav_links(pay.city.users["inspector"])
    assert runs not in nav_links(pay.city.users["admin"]) and mine not in nav_links(pay.city.users["admin"])


def test_treasurer_sees_only_their_opd_in_the_run(pay, gaji):
    response = client_for(pay.treasurer_a).get(reverse("payroll:run_detail", args=[gaji.pk]))
    assert [r["opd"] for r in response.context["rows"]] == [pay.city.opd_a]
    assert [r["can_verify"] for r in response.context["rows"]] == [True]
    assert not response.context["show_recap"]
    response = client_for(pay.bpkad).get(reverse("payroll:run_detail", args=[gaji.pk]))
    assert {r["opd"] for r in response.context["rows"]} == {pay.city.opd_a, pay.city.opd_b}
    assert not any(r["can_verify"] for r in response.context["rows"])  # the head approves; treasurers verify
    assert response.context["totals"]["bersih"] == sum(gaji.payslips.values_list("bersih", flat=True))


def test_opd_payslip_list(pay, gaji):
    a, b = pay.city.opd_a, pay.city.opd_b
    url_a = reverse("payroll:opd_payslips", args=[gaji.pk, a.pk])
    response = client_for(pay.treasurer_a).get(url_a)
    assert response.status_code == 200
    assert len(response.context["slips"]) == 4
    assert pay.city.staff.nip in response.content.decode()
    assert client_for(pay.treasurer_a).get(reverse("payroll:opd_payslips", args=[gaji.pk, b.pk])).status_code == 404
    assert client_for(pay.city.users["inspector"]).get(url_a).status_code == 200
    assert client_for(pay.city.users["admin"]).get(url_a).status_code == 404


# --- actions through the services ------------------------------------------------------------------------------


def test_create_form_creates_and_plans_the_computation(pay):
    response = client_for(pay.bpkad).post(reverse("payroll:run_list"), {"month": "2026-11", "kind": "gaji"})
    run = PayrollRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("payroll:run_detail", args=[run.pk])
    assert run.state == RunState.DRAFT and run.created_by == pay.bpkad and run.scope is None
    assert run.chunks_total == 1 and run.employees_total == 5
    assert [t.action for t in run.transitions.all()] == ["create", "compute"]


def test_create_refused_shows_the_message_and_leaves_nothing(pay, gaji):
    response = client_for(pay.bpkad).post(reverse("payroll:run_list"), {"month": "2026-11", "kind": "gaji"})
    assert response.status_code == 409
    assert any("Sudah ada proses penggajian Gaji induk 11/2026" in m for m in messages_of(response))
    assert PayrollRun.objects.count() == 1


def test_treasurer_creates_for_their_opd_only(pay):
    c = client_for(pay.treasurer_a)
    form = c.get(reverse("payroll:run_list")).context["form"]
    assert list(form.fields["scope"].queryset) == [pay.city.opd_a]
    response = c.post(reverse("payroll:run_list"), {"month": "2026-11", "kind": "gaji", "scope": pay.city.opd_b.pk})
    assert response.status_code == 422 and not PayrollRun.objects.exists()
    response = c.post(reverse("payroll:run_list"), {"month": "2026-11", "kind": "gaji"})
    assert response.status_code == 422 and not PayrollRun.objects.exists()  # a treasurer must name the OPD
    response = c.post(reverse("payroll:run_list"), {"month": "2026-11", "kind": "gaji", "scope": pay.city.opd_a.pk})
    assert response.status_code == 302 and PayrollRun.objects.get().scope == pay.city.opd_a


def test_others_cannot_create(pay):
    admin = client_for(pay.city.users["admin"])
    response = admin.post(reverse("payroll:run_list"), {"month": "2026-11", "kind": "gaji"})
    assert response.status_code == 403 and not PayrollRun.objects.exists()


def test_bad_month_is_a_form_error(pay):
    response = client_for(pay.bpkad).post(reverse("payroll:run_list"), {"month": "11/2026x", "kind": "gaji"})
    assert response.status_code == 422 and "TTTT-BB" in response.content.decode()


def test_verify_buttons_then_approve_pay_close(pay, gaji):
    a, b = pay.city.opd_a, pay.city.opd_b
    response = post_action(pay.treasurer_a, gaji, "verify", opd=a.pk)
    assert response.status_code == 302
    gaji.refresh_from_db()
    assert gaji.state == RunState.COMPUTED
    assert OpdVerification.objects.get(run=gaji).verified_by == pay.treasurer_a

    # a treasurer cannot verify another OPD: a message, 403, nothing changes
    response = post_action(pay.treasurer_a, gaji, "verify", opd=b.pk)
    assert response.status_code == 403 and any("bukan bendahara" in m for m in messages_of(response))
    assert OpdVerification.objects.filter(run=gaji).count() == 1

    # verifying twice is a conflict
    response = post_action(pay.treasurer_a, gaji, "verify", opd=a.pk)
    assert response.status_code == 409

    assert post_action(pay.treasurer_b, gaji, "verify", opd=b.pk).status_code == 302
    gaji.refresh_from_db()
    assert gaji.state == RunState.VERIFIED

    # only the head approves
    response = post_action(pay.treasurer_a, gaji, "approve")
    assert response.status_code == 403 and any("tidak berwenang" in m for m in messages_of(response))
    response = client_for(pay.bpkad).get(reverse("payroll:run_detail", args=[gaji.pk]))
    assert {a.name for a in response.context["actions"]} == {"approve", "return", "cancel"}
    response = post_action(pay.bpkad, gaji, "approve")
    assert response.status_code == 302
    gaji.refresh_from_db()
    assert gaji.state == RunState.APPROVED

    # pay needs the SP2D number
    response = post_action(pay.bpkad, gaji, "pay", sp2d_number="  ")
    assert response.status_code == 422 and any("SP2D wajib" in m for m in messages_of(response))
    assert post_action(pay.bpkad, gaji, "pay", sp2d_number="SP2D-0042/2026").status_code == 302
    gaji.refresh_from_db()
    assert gaji.state == RunState.PAID and gaji.sp2d_number == "SP2D-0042/2026"
    assert post_action(pay.bpkad, gaji, "close").status_code == 302
    gaji.refresh_from_db()
    assert gaji.state == RunState.CLOSED

    page = client_for(pay.city.users["inspector"]).get(reverse("payroll:run_detail", args=[gaji.pk]))
    history = [(t.action, t.actor) for t in page.context["transitions"]]
    assert ("approve", pay.bpkad) in history and ("verify_opd", pay.treasurer_b) in history
    assert "SP2D SP2D-0042/2026" in text(page)
    assert page.context["actions"] == []  # the inspectorate only reads


def test_second_concurrent_approval_shows_the_conflict_message(pay, gaji):
    run = pay.approve(gaji)  # verified by both treasurers, approved by the head ...
    stale = run.version - 1  # ... while another head still had the verified page open
    run.refresh_from_db()
    response = post_action(pay.bpkad, run, "approve", version=stale)
    assert response.status_code == 409
    assert any("berstatus Disetujui" in m for m in messages_of(response))
    assert run.transitions.filter(action="approve").count() == 1


def test_acting_on_an_out_of_date_page_is_a_conflict_naming_who(pay, gaji):
    a, b = pay.city.opd_a, pay.city.opd_b
    run = run_verify(pay.treasurer_b, run_verify(pay.treasurer_a, gaji, a), b)
    page_version = run.version  # the head opens the verified run ...
    run = run_return(pay.bpkad, run, "cek ulang potongan")  # ... another head returns it, the treasurers verify again
    run = run_verify(pay.treasurer_b, run_verify(pay.treasurer_a, run, a), b)
    assert run.state == RunState.VERIFIED
    response = post_action(pay.bpkad, run, "approve", version=page_version)
    assert response.status_code == 409
    assert any("baru saja diubah oleh treasurer_b" in m for m in messages_of(response))
    run.refresh_from_db()
    assert run.state == RunState.VERIFIED


def test_return_needs_a_reason_and_shows_it_in_history(pay, gaji):
    run = run_verify(pay.treasurer_a, gaji, pay.city.opd_a)
    response = post_action(pay.bpkad, run, "return", reason="")
    assert response.status_code == 422 and any("Alasan" in m for m in messages_of(response))
    assert post_action(pay.bpkad, run, "return", reason="Tunjangan anak salah").status_code == 302
    run.refresh_from_db()
    assert run.state == RunState.COMPUTED and not OpdVerification.objects.filter(run=run).exists()
    page = client_for(pay.bpkad).get(reverse("payroll:run_detail", args=[run.pk]))
    assert "Tunjangan anak salah" in text(page)


def test_recompute_button_goes_back_to_draft(pay, gaji):
    response = post_action(pay.bpkad, gaji, "compute")
    assert response.status_code == 302
    gaji.refresh_from_db()
    assert gaji.state == RunState.DRAFT and not gaji.payslips.exists()
    page = client_for(pay.bpkad).get(reverse("payroll:run_detail", args=[gaji.pk]))
    assert page.context["computing"] and 'hx-trigger="every 2s"' in page.content.decode()


def test_unknown_action_and_refusal_in_wrong_state_are_messages_not_500(pay, gaji):
    response = post_action(pay.bpkad, gaji, "explode")
    assert response.status_code == 422 and any("tidak dikenal" in m for m in messages_of(response))
    response = post_action(pay.bpkad, gaji, "close")
    assert response.status_code == 409 and any("berstatus Dihitung" in m for m in messages_of(response))
    response = post_action(pay.treasurer_a, gaji, "verify")  # no OPD given
    assert response.status_code == 422
    assert client_for(pay.city.users["admin"]).post(reverse("payroll:run_action", args=[gaji.pk])).status_code == 404


def test_get_is_not_allowed_on_actions(pay, gaji):
    assert client_for(pay.bpkad).get(reverse("payroll:run_action", args=[gaji.pk])).status_code == 405


# --- progress (htmx) -------------------------------------------------------------------------------------------


def test_progress_polls_while_computing_and_reloads_when_done(pay):
    from pamong.payroll.compute import work
    from pamong.payroll.services import run_compute, run_create
    from tests.payroll.conftest import PERIOD

    run = run_compute(pay.bpkad, run_create(pay.bpkad, period=PERIOD, kind="gaji"), enqueue=False)
    url = reverse("payroll:run_progress", args=[run.pk])
    c = client_for(pay.bpkad)
    response = c.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "HX-Refresh" not in response
    assert 'hx-trigger="every 2s"' in response.content.decode() and "0 dari 1" in text(response)
    work(run.id)
    response = c.get(url, headers={"HX-Request": "true"})
    assert response["HX-Refresh"] == "true"
    assert 'hx-trigger="every 2s"' not in response.content.decode()


def test_failed_chunk_is_shown_and_polling_stops(pay):
    from pamong.payroll.services import run_compute, run_create
    from tests.payroll.conftest import PERIOD

    run = run_compute(pay.bpkad, run_create(pay.bpkad, period=PERIOD, kind="gaji"), enqueue=False)
    RunChunk.objects.filter(run=run).update(state=RunChunk.State.FAILED, error="tabel gaji tidak ada")
    page = client_for(pay.bpkad).get(reverse("payroll:run_detail", args=[run.pk]))
    assert "tabel gaji tidak ada" in text(page) and not page.context["computing"]


def test_employees_who_failed_are_listed_and_block_verification(pay):
    pay.city.staff.monthly_inputs.all().delete()
    run = pay.compute("tpp")
    page = client_for(pay.treasurer_a).get(reverse("payroll:run_detail", args=[run.pk]))
    assert [e.employee for e in page.context["errors"]] == [pay.city.staff]
    assert pay.city.staff.nip in text(page)
    response = post_action(pay.treasurer_a, run, "verify", opd=pay.city.opd_a.pk)
    assert response.status_code == 409 and any("gagal dihitung" in m for m in messages_of(response))
    # the treasurer of Dinas B does not see Dinas A's failures
    page = client_for(pay.treasurer_b).get(reverse("payroll:run_detail", args=[run.pk]))
    assert page.context["errors"] == []


# --- public verification ---------------------------------------------------------------------------------------


def test_public_verification_found(staff_slip):
    response = Client().get(reverse("payslip_verify", args=[staff_slip.code]))
    assert response.status_code == 200
    body = text(response)
    assert "Slip ini sah" in body
    assert mask_nip(staff_slip.facts["nip"]) in body and staff_slip.facts["nip"] not in body
    assert mask_name(staff_slip.facts["nama"]) in body and staff_slip.facts["nama"] not in body
    assert "November 2026" in body and "Slip Gaji" in body
    assert "Dibayar" not in body and f"{staff_slip.bersih:,}".replace(",", ".") not in body  # no amount, privacy
    # lower case and the lookup form both find it
    assert Client().get(reverse("payslip_verify", args=[staff_slip.code.lower()])).status_code == 200
    response = Client().get(reverse("payslip_lookup"), {"kode": staff_slip.code.lower()})
    assert response.status_code == 302 and response["Location"] == reverse("payslip_verify", args=[staff_slip.code])


def test_public_verification_not_found(db):
    response = Client().get(reverse("payslip_verify", args=["0000000000000000"]))
    assert response.status_code == 404 and "Slip tidak ditemukan" in text(response)
    assert Client().get(reverse("payslip_lookup")).status_code == 200


def test_masks():
    assert mask_name("Rina Marlina") == "Ri** Ma*****"
    assert mask_name("Ani") == "A**"
    assert mask_nip("198302032025212001") == "1983**********2001"


# --- downloads -------------------------------------------------------------------------------------------------

needs_outputs = pytest.mark.skipif(
    importlib.util.find_spec("pamong.payroll.outputs.register") is None
    or importlib.util.find_spec("pamong.payroll.outputs.bank") is None
    or importlib.util.find_spec("pamong.payroll.outputs.contributions") is None,
    reason="payroll outputs not there yet",
)


@needs_outputs
def test_download_content_types(pay, gaji):
    run = pay.approve(gaji)
    a = pay.city.opd_a
    head = client_for(pay.bpkad)
    response = head.get(reverse("payroll:register_download", args=[run.pk, a.pk, "xlsx"]))
    assert response.status_code == 200 and response["Content-Type"] == XLSX and response.content[:2] == b"PK"
    response = head.get(reverse("payroll:register_download", args=[run.pk, a.pk, "pdf"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    response = head.get(reverse("payroll:recap_download", args=[run.pk]))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    response = head.get(reverse("payroll:contributions_download", args=[run.pk]))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    page = head.get(reverse("payroll:bank_list", args=[run.pk]))
    assert page.status_code == 200 and page.context["files"]
    _opd, f = page.context["files"][0]
    response = head.get(reverse("payroll:bank_download", args=[run.pk]), {"berkas": f.filename})
    assert response.status_code == 200 and f.filename in response["Content-Disposition"]
    assert head.get(reverse("payroll:register_download", args=[run.pk, a.pk, "exe"])).status_code == 404


@needs_outputs
def test_downloads_follow_visibility(pay, gaji):
    run = pay.approve(gaji)
    a, b = pay.city.opd_a, pay.city.opd_b
    treasurer = client_for(pay.treasurer_a)
    assert treasurer.get(reverse("payroll:register_download", args=[run.pk, a.pk, "xlsx"])).status_code == 200
    assert treasurer.get(reverse("payroll:register_download", args=[run.pk, b.pk, "xlsx"])).status_code == 404
    assert treasurer.get(reverse("payroll:recap_download", args=[run.pk])).status_code == 404
    assert treasurer.get(reverse("payroll:contributions_download", args=[run.pk])).status_code == 404
    files = treasurer.get(reverse("payroll:bank_list", args=[run.pk])).context["files"]
    assert files and all(opd == a for opd, _f in files)
    inspector = client_for(pay.city.users["inspector"])
    assert inspector.get(reverse("payroll:register_download", args=[run.pk, b.pk, "pdf"])).status_code == 200
    assert inspector.get(reverse("payroll:recap_download", args=[run.pk])).status_code == 200
    for who in ("admin", "staff"):
        c = client_for(pay.city.users[who])
        assert c.get(reverse("payroll:register_download", args=[run.pk, a.pk, "xlsx"])).status_code == 404
        assert c.get(reverse("payroll:recap_download", args=[run.pk])).status_code == 404


def test_bank_files_wait_for_approval(pay, gaji):
    response = client_for(pay.bpkad).get(reverse("payroll:bank_list", args=[gaji.pk]))
    assert response.status_code == 409
    assert any("setelah proses penggajian disetujui" in m for m in messages_of(response))
    page = client_for(pay.bpkad).get(reverse("payroll:run_detail", args=[gaji.pk]))
    assert not page.context["show_bank"] and page.context["show_registers"] and page.context["show_recap"]


# --- first-week polish ------------------------------------------------------------------------------------------


def test_rapel_can_be_created_from_the_web_form(pay):
    c = client_for(pay.bpkad)
    kinds = dict(c.get(reverse("payroll:run_list")).context["form"].fields["kind"].choices)
    assert "rapel" in kinds
    response = c.post(reverse("payroll:run_list"), {"month": "2026-11", "kind": "rapel"})
    assert response.status_code == 302
    assert PayrollRun.objects.get(kind="rapel").period.month == 11


def test_a_refused_approval_says_menyetujui(pay, gaji):
    response = post_action(pay.bpkad, gaji, "approve")
    assert response.status_code == 409
    assert any("Tidak dapat menyetujui: proses penggajian berstatus Dihitung" in m for m in messages_of(response))


def test_an_empty_run_list_shows_one_empty_message(pay):
    body = text(client_for(pay.city.users["admin"]).get(reverse("payroll:run_list")))
    assert "Belum ada proses penggajian yang dapat Anda lihat." in body
    assert "Tidak ada data yang cocok" not in body
    body = text(client_for(pay.city.users["staff"]).get(reverse("payroll:my_payslips")))
    assert "Belum ada slip." in body and "Tidak ada data yang cocok" not in body
