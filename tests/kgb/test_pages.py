"""KGB pages: the due list per role (overdue marked), drafts from the selection, approval by admin BKPSDM only,
cancel, the SK PDF."""

from __future__ import annotations

from django.urls import reverse

from pamong.kgb.models import KgbDecree
from pamong.people.models import SalaryRaiseHistory


def test_due_list_for_the_operator_marks_overdue_and_hides_other_opds(login, city):
    body = login("operator_a").get(reverse("kgb:due_list"), {"hari": "365"}).content.decode()
    assert city.staff.nip in body and city.head.nip in body and city.other.nip not in body
    row = body[body.rindex("<tr", 0, body.index(city.staff.nip)) : body.index("</tr>", body.index(city.staff.nip))]
    assert 'class="overdue"' in row and "terlambat" in row and "Rp2.728.300" in row  # II/c MKG 9
    assert f'name="employee" value="{city.staff.pk}"' in row


def test_roles_without_kgb_get_403_and_no_menu(login, city):
    for role in ("treasurer_a", "bpkad", "staff"):
        c = login(role)
        assert c.get(reverse("kgb:due_list")).status_code == 403
        assert c.post(reverse("kgb:draft_create"), {"employee": [city.staff.pk]}).status_code == 403
        assert reverse("kgb:due_list") not in c.get(reverse("dashboard")).content.decode()
    assert not KgbDecree.objects.exists()
    assert reverse("kgb:due_list") in login("operator_a").get(reverse("dashboard")).content.decode()


def test_draft_from_the_selection_then_admin_approves(login, city):
    c = login("operator_a")
    resp = c.post(reverse("kgb:draft_create"), {"employee": [city.staff.pk, city.head.pk]})
    assert resp.status_code == 302 and resp["Location"].startswith(reverse("kgb:decree_list"))
    assert KgbDecree.objects.filter(state="draft").count() == 2
    listing = c.get(resp["Location"]).content.decode()
    assert "2 draf SK KGB dibuat." in listing and "Setujui SK yang dipilih" not in listing  # operator: no approval
    d = KgbDecree.objects.get(employee=city.staff)
    assert c.post(reverse("kgb:decrees_approve"), {"decree": [d.pk]}).status_code == 403

    admin = login("admin")
    assert "Setujui SK yang dipilih" in admin.get(reverse("kgb:decree_list")).content.decode()
    resp = admin.post(reverse("kgb:decrees_approve"), {"decree": [d.pk]})
    assert resp.status_code == 302
    d.refresh_from_db()
    assert d.state == "approved" and SalaryRaiseHistory.objects.get(employee=city.staff).sk_number == d.sk_number
    # approving again: refused with the state named, nothing written twice
    admin.post(reverse("kgb:decrees_approve"), {"decree": [d.pk]})
    assert "berstatus Disetujui" in admin.get(reverse("kgb:decree_list")).content.decode()
    assert SalaryRaiseHistory.objects.filter(employee=city.staff).count() == 1


def test_double_draft_from_the_page_is_refused_with_a_message(login, city):
    c = login("admin")
    c.post(reverse("kgb:draft_create"), {"employee": [city.staff.pk]})
    resp = c.post(reverse("kgb:draft_create"), {"employee": [city.staff.pk]}, follow=True)
    body = resp.content.decode()
    assert "sudah dibuat; tidak ada draf baru" in body and city.staff.nip in body
    assert KgbDecree.objects.count() == 1


def test_operator_cannot_open_or_draft_another_opds_kgb(login, city):
    login("admin").post(reverse("kgb:draft_create"), {"employee": [city.other.pk]})
    d = KgbDecree.objects.get()
    c = login("operator_a")
    assert c.get(reverse("kgb:decree_detail", args=[d.pk])).status_code == 404
    assert c.get(reverse("kgb:decree_pdf", args=[d.pk])).status_code == 404
    assert c.post(reverse("kgb:decree_cancel", args=[d.pk]), {"reason": "x"}).status_code == 404
    c.post(reverse("kgb:draft_create"), {"employee": [city.other.pk]})
    assert KgbDecree.objects.count() == 1


def test_cancel_needs_a_reason_and_is_shown(login, city):
    c = login("operator_a")
    c.post(reverse("kgb:draft_create"), {"employee": [city.staff.pk]})
    d = KgbDecree.objects.get()
    body = c.post(reverse("kgb:decree_cancel", args=[d.pk]), {"reason": ""}, follow=True).content.decode()
    assert "Alasan pembatalan wajib diisi." in body
    body = c.post(reverse("kgb:decree_cancel", args=[d.pk]), {"reason": "salah MKG"}, follow=True).content.decode()
    assert "Dibatalkan" in body and "salah MKG" in body


def test_sk_pdf_renders_a_draft_and_an_approved_decree(login, city):
    c = login("admin")
    c.post(reverse("kgb:draft_create"), {"employee": [city.staff.pk]})
    d = KgbDecree.objects.get()
    resp = c.get(reverse("kgb:decree_pdf", args=[d.pk]))
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    assert resp.content.startswith(b"%PDF")
    from pamong.kgb.pdf import decree_context

    ctx = decree_context(d)
    assert ctx["draft"] and ctx["terbilang"].startswith("Dua juta tujuh ratus dua puluh delapan ribu tiga ratus")


def test_due_list_is_bounded_and_says_so(login, city, monkeypatch):
    from pamong.kgb import views

    monkeypatch.setattr(views, "DUE_LIST_MAX", 2)
    body = login("admin").get(reverse("kgb:due_list"), {"hari": "365"}).content.decode()
    assert body.count('name="employee"') == 2 and 'id="kgb-more"' in body
