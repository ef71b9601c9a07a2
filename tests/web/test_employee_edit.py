"""The edit forms: each saves through its service and writes an audit event; invalid input changes nothing and
shows the Indonesian error beside the field; permissions are the API's (404 when not visible, 403 when visible
but not changeable)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from pamong.audit.models import AuditEvent
from pamong.people.models import Employee, FamilyMember, PositionHistory, RankHistory, StatusHistory
from pamong.people.services import family_member_save
from tests import factories as f

SK = {"sk_number": "800/12/BKPSDM/2026", "sk_date": "2026-03-01", "tmt": "2026-04-01"}


def events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def field_error(body: str, field: str) -> str:
    """The error paragraph rendered beside a field."""
    marker = f'id="id_{field}_error">'
    assert marker in body, f"no error beside {field}"
    start = body.index(marker) + len(marker)
    return body[start : body.index("</p>", start)]


def contact_post(e: Employee, **changes: str) -> dict[str, str]:
    data = {f: getattr(e, f) for f in ("name", "front_title", "back_title", "birth_place", "education_level",
                                         "address", "phone", "email")}  # fmt: skip
    return data | {"reason": "surat pegawai"} | changes


def test_contact_form_saves_through_the_service_with_an_audit_event(login, city):
    c = login("admin")
    url = reverse("employee_contact_edit", args=[city.staff.pk])
    assert c.get(url).status_code == 200
    before = events("employee.updated")
    resp = c.post(url, contact_post(city.staff, phone="0812-6600-1234", email="staf@contoh.id"))
    assert resp.status_code == 302 and resp["Location"] == reverse("employee_detail", args=[city.staff.pk])
    city.staff.refresh_from_db()
    assert (city.staff.phone, city.staff.email) == ("0812-6600-1234", "staf@contoh.id")
    assert events("employee.updated") == before + 1
    ev = AuditEvent.objects.filter(action="employee.updated").latest("seq")
    assert ev.changes["phone"][1] == "0812-6600-1234" and ev.reason == "surat pegawai" and ev.actor_id
    assert "Data pribadi dan kontak disimpan." in c.get(resp["Location"]).content.decode()


def test_bank_form_refuses_a_non_digit_account_and_changes_nothing(login, city):
    c = login("operator_a")
    url = reverse("employee_bank_edit", args=[city.staff.pk])
    old = city.staff.bank_account_number
    before = AuditEvent.objects.count()
    resp = c.post(url, {"bank_name": "Bank Nagari", "bank_account_number": "12-34", "bank_account_name": "Staf"})
    assert resp.status_code == 422
    body = resp.content.decode()
    assert field_error(body, "bank_account_number") == "Nomor rekening hanya boleh berisi angka."
    assert "Data belum disimpan" in body
    city.staff.refresh_from_db()
    assert city.staff.bank_account_number == old and AuditEvent.objects.count() == before


def test_bank_form_needs_the_bank_for_an_account_number(login, city):
    resp = login("admin").post(
        reverse("employee_bank_edit", args=[city.staff.pk]),
        {"bank_name": "", "bank_account_number": "555000111", "bank_account_name": "Staf"},
    )
    assert resp.status_code == 422
    assert field_error(resp.content.decode(), "bank_name") == "Nama bank wajib diisi bila ada nomor rekening."


def test_bank_form_saves_and_audits(login, city):
    before = events("employee.updated")
    resp = login("operator_a").post(
        reverse("employee_bank_edit", args=[city.staff.pk]),
        {"bank_name": "Bank BRI", "bank_account_number": "555000111", "bank_account_name": "Staf Satu"},
    )
    assert resp.status_code == 302
    city.staff.refresh_from_db()
    assert (city.staff.bank_name, city.staff.bank_account_number) == ("Bank BRI", "555000111")
    assert events("employee.updated") == before + 1


def test_contact_form_too_long_value_gets_the_import_message(login, city):
    resp = login("admin").post(
        reverse("employee_contact_edit", args=[city.staff.pk]), contact_post(city.staff, phone="1" * 31)
    )
    assert resp.status_code == 422
    assert field_error(resp.content.decode(), "phone") == "Terlalu panjang: paling banyak 30 karakter."


def test_rank_form_records_history_with_sk_and_audits(login, city):
    c = login("operator_a")
    url = reverse("employee_rank_add", args=[city.staff.pk])
    assert 'value="II/c" selected' in c.get(url).content.decode()
    resp = c.post(url, SK | {"golongan": "II/d", "mkg_years": "10", "mkg_months": "0", "kind": "reguler"})
    assert resp.status_code == 302
    row = RankHistory.objects.filter(employee=city.staff).latest("tmt")
    assert (row.golongan, row.sk_number, row.tmt) == ("II/d", "800/12/BKPSDM/2026", dt.date(2026, 4, 1))
    city.staff.refresh_from_db()
    assert city.staff.golongan == "II/d"
    assert AuditEvent.objects.filter(action="employee.rank_changed", sk_number="800/12/BKPSDM/2026").exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"mkg_months": "12"}, "mkg_months", "MKG bulan harus 0 sampai 11."),
        ({"sk_number": " "}, "sk_number", "Bidang ini tidak boleh kosong."),
        (
            {"golongan": "V/z"},
            "golongan",
            "Masukkan pilihan yang valid. V/z bukan salah satu dari pilihan yang tersedia.",
        ),
        ({"tmt": "31-02-2026"}, "tmt", "Masukkan tanggal yang valid."),
    ],
)
def test_rank_form_invalid_input_shows_the_error_and_changes_nothing(login, city, change, field, message):
    before = (RankHistory.objects.count(), AuditEvent.objects.count())
    data = SK | {"golongan": "II/d", "mkg_years": "10", "mkg_months": "0", "kind": "reguler"} | change
    resp = login("admin").post(reverse("employee_rank_add", args=[city.staff.pk]), data)
    assert resp.status_code == 422
    assert field_error(resp.content.decode(), field) == message
    assert (RankHistory.objects.count(), AuditEvent.objects.count()) == before
    city.staff.refresh_from_db()
    assert city.staff.golongan == "II/c"


def test_pppk_rank_form_offers_pppk_grades_only(login, city):
    body = login("admin").get(reverse("employee_rank_add", args=[city.staff2.pk])).content.decode()
    assert 'value="IX"' in body and 'value="III/a"' not in body


def test_status_form_records_history_and_audits(login, city):
    resp = login("admin").post(
        reverse("employee_status_add", args=[city.other.pk]), SK | {"status": "tugas_belajar", "note": "S2"}
    )
    assert resp.status_code == 302
    row = StatusHistory.objects.get(employee=city.other)
    assert (row.status, row.note, row.sk_number) == ("tugas_belajar", "S2", "800/12/BKPSDM/2026")
    assert AuditEvent.objects.filter(action="employee.status_changed", object_id=str(city.other.pk)).exists()


def test_position_form_moves_within_the_operators_opd(login, city):
    c = login("operator_a")
    url = reverse("employee_position_add", args=[city.staff.pk])
    body = c.get(url).content.decode()
    assert "Kepala Bidang A1" in body and "Pengadministrasi B" not in body  # other OPD's positions not offered
    resp = c.post(url, SK | {"position": str(city.kabid_pos.pk), "mode": "plt", "end_date": "2026-12-31"})
    assert resp.status_code == 302
    row = PositionHistory.objects.filter(employee=city.staff, mode="plt").get()
    assert row.position_id == city.kabid_pos.pk and row.end_date == dt.date(2026, 12, 31)
    assert AuditEvent.objects.filter(action="employee.position_plt", object_id=str(city.staff.pk)).exists()


def test_operator_cannot_place_into_another_opds_position(login, city):
    other_pos = city.other.position
    before = PositionHistory.objects.count()
    resp = login("operator_a").post(
        reverse("employee_position_add", args=[city.staff.pk]),
        SK | {"position": str(other_pos.pk), "mode": "definitif"},
    )
    assert resp.status_code == 422
    assert "Masukkan pilihan yang valid" in field_error(resp.content.decode(), "position")
    assert PositionHistory.objects.count() == before


FAMILY = {
    "relation": "child", "name": "Anak Pertama", "nik": "", "birth_date": "2015-06-01", "gender": "P",
    "child_kind": "kandung", "in_school": "on", "reason": "akta kelahiran",
}  # fmt: skip


def test_family_add_edit_and_end_each_audited(login, city):
    c = login("operator_a")
    resp = c.post(reverse("employee_family_add", args=[city.staff.pk]), FAMILY)
    assert resp.status_code == 302
    m = FamilyMember.objects.get(employee=city.staff)
    assert (m.name, m.child_kind, m.in_school) == ("Anak Pertama", "kandung", True)
    assert AuditEvent.objects.filter(action="family.added", reason="akta kelahiran").exists()

    resp = c.post(reverse("employee_family_edit", args=[city.staff.pk, m.pk]), FAMILY | {"working": "on"})
    assert resp.status_code == 302
    m.refresh_from_db()
    assert m.working is True
    assert AuditEvent.objects.get(action="family.changed").changes["working"] == [False, True]

    resp = c.post(reverse("employee_family_end", args=[city.staff.pk, m.pk]),
                  {"ended_on": "2026-05-01", "reason": "akta kematian 12/2026"})  # fmt: skip
    assert resp.status_code == 302
    m.refresh_from_db()
    assert m.ended_on == dt.date(2026, 5, 1)
    assert AuditEvent.objects.filter(action="family.changed").count() == 2


def test_family_child_without_kind_is_refused_beside_the_field(login, city):
    resp = login("admin").post(reverse("employee_family_add", args=[city.staff.pk]), FAMILY | {"child_kind": ""})
    assert resp.status_code == 422
    assert field_error(resp.content.decode(), "child_kind") == "Status anak (kandung/angkat/tiri) wajib diisi."
    assert not FamilyMember.objects.exists() and not AuditEvent.objects.filter(action="family.added").exists()


def test_family_second_active_spouse_is_refused(login, city):
    family_member_save(actor=None, employee=city.staff, relation="spouse", name="Satu", birth_date=dt.date(1988, 1, 1),
                       gender="P")  # fmt: skip
    spouse = FAMILY | {"relation": "spouse", "name": "Dua", "child_kind": "", "in_school": ""}
    resp = login("admin").post(reverse("employee_family_add", args=[city.staff.pk]), spouse)
    assert resp.status_code == 422
    assert "Masih ada pasangan" in field_error(resp.content.decode(), "relation")
    assert FamilyMember.objects.filter(employee=city.staff).count() == 1


def test_family_member_of_another_employee_is_404(login, city):
    m = family_member_save(actor=None, employee=city.head, relation="spouse", name="Istri", gender="P",
                           birth_date=dt.date(1970, 1, 1))  # fmt: skip
    resp = login("admin").get(reverse("employee_family_edit", args=[city.staff.pk, m.pk]))
    assert resp.status_code == 404


EDIT_URLS = [
    "employee_contact_edit", "employee_bank_edit", "employee_rank_add", "employee_position_add",
    "employee_status_add", "employee_family_add",
]  # fmt: skip


@pytest.mark.parametrize("name", EDIT_URLS)
def test_operator_cannot_edit_another_opds_employee(login, city, name):
    c = login("operator_a")
    url = reverse(name, args=[city.other.pk])
    before = AuditEvent.objects.count()
    assert c.get(url).status_code == 404
    assert c.post(url, SK | {"bank_account_number": "1", "status": "pensiun", "golongan": "IV/e"}).status_code == 404
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("role", ["treasurer_a", "bpkad", "inspector", "staff", "kabid"])
def test_who_may_see_but_not_change_gets_403(login, city, role):
    c = login(role)
    url = reverse("employee_bank_edit", args=[city.staff.pk])
    assert c.get(url).status_code == 403
    assert c.post(url, {"bank_name": "X", "bank_account_number": "1", "bank_account_name": "X"}).status_code == 403
    city.staff.refresh_from_db()
    assert city.staff.bank_name == "Bank Nagari"


def test_detail_page_offers_the_forms_only_to_who_may_change(login, city):
    link = reverse("employee_bank_edit", args=[city.staff.pk])
    assert link in login("operator_a").get(reverse("employee_detail", args=[city.staff.pk])).content.decode()
    assert link not in login("treasurer_a").get(reverse("employee_detail", args=[city.staff.pk])).content.decode()
    assert link not in login("staff").get(reverse("employee_detail", args=[city.staff.pk])).content.decode()


def test_anonymous_is_sent_to_login(client, city):
    resp = client.get(reverse("employee_contact_edit", args=[city.staff.pk]))
    assert resp.status_code == 302 and "/masuk/" in resp["Location"]


def test_an_employee_added_later_in_a_sub_unit_is_editable_by_the_operator(login, city):
    sub = f.employee(city.staff_pos, name="Baru")
    assert login("operator_a").get(reverse("employee_status_add", args=[sub.pk])).status_code == 200
