"""SKP pages: "Kinerja saya", one SKP with its forms, the cascade tree and the PDF, for each role (a SKP the user may
not see is a 404), each form calling its service and showing a refusal in Indonesian with nothing changed."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from django.test import Client
from django.urls import reverse

from pamong.accounts.models import Role
from pamong.performance import skp as svc
from pamong.performance.models import Skp, SkpIndicator, SkpResult
from tests import factories as f

from .conftest import YEAR


@pytest.fixture
def login(perf, client: Client) -> Callable[[str], Client]:
    def _login(key: str) -> Client:
        client.logout()
        client.force_login(perf.users[key])
        return client

    return _login


@pytest.fixture
def operator_b(perf):
    return f.user("operator_b", role=Role.OPERATOR_OPD, unit=perf.city.opd_b)


def _draft(perf, key: str = "staff") -> Skp:
    emp = getattr(perf.city, key)
    return svc.skp_create(actor=perf.users[key], employee_id=emp.pk, year=YEAR)


def _detail(pk: int) -> str:
    return reverse("performance:skp_detail", args=[pk])


def _post(c: Client, skp: Skp, **data) -> str:
    """POST an action to the SKP page and return the page it leads to (with its messages)."""
    resp = c.post(reverse("performance:skp_action", args=[skp.pk]), data, follow=True)
    assert resp.status_code == 200
    return resp.content.decode()


# --- who sees which SKP ---------------------------------------------------------------------------------------

# The staff's SKP: who sees it (200) and who gets a 404.
STAFF_SKP_SEEN = {
    "staff": 200,  # self
    "kabid": 200,  # pejabat penilai
    "head": 200,  # atasan pejabat penilai
    "assessor": 404,  # assigned to staff2 only
    "staff2": 404,  # a colleague
    "other": 404,  # another OPD's employee
    "operator_a": 200,  # the OPD's operator
    "operator_b": 404,  # another OPD's operator
    "admin": 200,
    "inspector": 200,
    "treasurer_a": 404,
    "bpkad": 404,
}


@pytest.mark.parametrize(("key", "status"), STAFF_SKP_SEEN.items())
def test_each_page_of_the_staffs_skp_by_role(perf, login, operator_b, key, status):
    perf.users["operator_b"] = operator_b
    skps = perf.chain()
    pk = skps["staff"].pk
    c = login(key)
    for name in ("performance:skp_detail", "performance:skp_cascade", "performance:skp_pdf"):
        assert c.get(reverse(name, args=[pk])).status_code == status, (key, name)
    # a POST on an SKP not visible is a 404 too, and changes nothing
    resp = c.post(reverse("performance:skp_action", args=[pk]), {"action": "revise", "reason": "Coba"})
    if status == 404:
        assert resp.status_code == 404
    assert Skp.objects.filter(employee=perf.city.staff).count() == (2 if key in ("staff", "admin") else 1)


def test_the_assessor_sees_the_assigned_employees_skp(perf, login):
    skps = perf.chain()
    assert login("assessor").get(_detail(skps["staff2"].pk)).status_code == 200


def test_anonymous_is_sent_to_login(perf, client):
    skps = perf.chain()
    for url in (reverse("performance:home"), _detail(skps["staff"].pk)):
        resp = client.get(url)
        assert resp.status_code == 302 and resp["Location"].startswith(reverse("login"))


# --- home ------------------------------------------------------------------------------------------------------


def test_home_for_an_employee_without_an_skp_offers_to_create_it(perf, login):
    c = login("staff")
    body = c.get(reverse("performance:home"), {"tahun": YEAR}).content.decode()
    assert f"Buat SKP tahun {YEAR}" in body and "Isi realisasi" in body
    assert "Daftar SKP" not in body  # no admin list for an employee
    resp = c.post(reverse("performance:skp_create"), {"year": YEAR})
    skp = Skp.objects.get(employee=perf.city.staff, year=YEAR)
    assert resp.status_code == 302 and resp["Location"] == _detail(skp.pk)
    assert skp.penilai_id == perf.city.kabid.pk and skp.atasan_penilai_id == perf.city.head.pk
    body = c.get(reverse("performance:home"), {"tahun": YEAR}).content.decode()
    assert "Draf" in body and "Kabid A1" in body and "Kepala A" in body and f"Buat SKP tahun {YEAR}" not in body
    # a second time: refused, shown, nothing created
    body = c.post(reverse("performance:skp_create"), {"year": YEAR}, follow=True).content.decode()
    assert f"SKP tahun {YEAR} sudah ada" in body and Skp.objects.filter(employee=perf.city.staff).count() == 1


def test_home_lists_past_years(perf, login):
    perf.agreed_skp("head", year=YEAR - 1)
    body = login("head").get(reverse("performance:home"), {"tahun": YEAR}).content.decode()
    assert "Tahun sebelumnya" in body and f"SKP {YEAR - 1} (versi 1)" in body


def test_perlu_tindakan_lists_the_staffs_submitted_skp_for_the_penilai_only(perf, login):
    head = perf.agreed_skp("head")
    kabid = perf.agreed_skp("kabid", supports=head)
    s = _draft(perf)
    r = svc.skp_result_add(actor=perf.users["staff"], skp_id=s.pk, kind="utama", text="Laporan bulanan",
                           supports_id=kabid.results.first().pk)  # fmt: skip
    svc.skp_indicator_add(actor=perf.users["staff"], result_id=r.pk, text="Laporan", aspect="kuantitas",
                          target="12", unit_label="laporan")  # fmt: skip
    svc.skp_submit(actor=perf.users["staff"], skp_id=s.pk)
    body = login("kabid").get(reverse("performance:home")).content.decode()
    todo = body[body.index('id="perlu-tindakan"') :]
    assert "Staf Satu" in todo[: todo.index("</section>")]
    body = login("head").get(reverse("performance:home")).content.decode()
    todo = body[body.index('id="perlu-tindakan"') :]
    assert "Staf Satu" not in todo[: todo.index("</section>")]  # the atasan does not agree


def test_admin_sees_the_heads_submitted_skp_to_act_on(perf, login):
    s = _draft(perf, "head")
    r = svc.skp_result_add(actor=perf.users["head"], skp_id=s.pk, kind="utama", text="Layanan prima",
                           pk_reference="Sasaran PK 1")  # fmt: skip
    svc.skp_indicator_add(actor=perf.users["head"], result_id=r.pk, text="Indeks", aspect="kualitas", target="90",
                          unit_label="%")  # fmt: skip
    svc.skp_submit(actor=perf.users["head"], skp_id=s.pk)
    body = login("admin").get(reverse("performance:home")).content.decode()
    todo = body[body.index('id="perlu-tindakan"') :]
    assert "Kepala A" in todo[: todo.index("</section>")]


def test_admin_list_filters_by_unit_and_state_and_pages(perf, login):
    perf.chain()
    f.user("op_b", role=Role.OPERATOR_OPD, unit=perf.city.opd_b)
    c = login("admin")
    body = c.get(reverse("performance:home"), {"tahun": YEAR}).content.decode()
    listing = body[body.index('id="skp-list"') :]
    for name in ("Kepala A", "Kabid A1", "Staf Satu", "Staf Dua"):
        assert name in listing
    body = c.get(reverse("performance:home"), {"tahun": YEAR, "unit": perf.city.bidang_a.pk}).content.decode()
    listing = body[body.index('id="skp-list"') : body.index("</table>", body.index('id="skp-list"'))]
    assert "Kabid A1" in listing and "Kepala A" not in listing
    body = c.get(reverse("performance:home"), {"tahun": YEAR, "status": "draft"}).content.decode()
    assert "Tidak ada data yang cocok." in body
    body = c.get(reverse("performance:home"), {"tahun": YEAR - 1}).content.decode()
    assert "Tidak ada data yang cocok." in body


def test_the_list_is_scoped_for_an_operator_and_absent_for_others(perf, login, operator_b):
    perf.chain()
    perf.users["operator_b"] = operator_b
    body = login("operator_a").get(reverse("performance:home")).content.decode()
    assert "Staf Satu" in body and "Salin SKP unit" in body
    body = login("operator_b").get(reverse("performance:home")).content.decode()
    assert "Daftar SKP" in body and "Staf Satu" not in body
    body = login("inspector").get(reverse("performance:home")).content.decode()
    assert "Staf Satu" in body and "Salin SKP unit" not in body and "Buat SKP untuk pegawai" not in body
    for key in ("treasurer_a", "bpkad", "assessor", "staff"):
        assert "Daftar SKP" not in login(key).get(reverse("performance:home")).content.decode()


def test_list_query_count_is_bounded(perf, login, django_assert_max_num_queries):
    perf.chain()
    c = login("admin")
    c.get(reverse("performance:home"))
    with django_assert_max_num_queries(16):
        c.get(reverse("performance:home"), {"tahun": YEAR})


def test_copy_unit_from_the_home_page(perf, login, operator_b):
    perf.chain(year=YEAR - 1)
    data = {"unit": perf.city.opd_a.pk, "from_year": YEAR - 1, "to_year": YEAR}
    # another OPD's operator: refused with a message, nothing copied
    perf.users["operator_b"] = operator_b
    body = login("operator_b").post(reverse("performance:skp_copy"), data, follow=True).content.decode()
    assert "tidak berwenang menyalin" in body and not Skp.objects.filter(year=YEAR).exists()
    body = login("operator_a").post(reverse("performance:skp_copy"), data, follow=True).content.decode()
    assert f"4 SKP disalin sebagai draf tahun {YEAR}." in body
    staff = Skp.objects.get(employee=perf.city.staff, year=YEAR)
    kabid = Skp.objects.get(employee=perf.city.kabid, year=YEAR)
    assert staff.results.get().supports.skp_id == kabid.pk  # re-linked to this year's copy


def test_admin_creates_anothers_skp_with_an_override_needing_a_reason(perf, login):
    c = login("admin")
    data = {"nip": perf.city.staff.nip, "year": YEAR, "penilai_nip": perf.city.head.nip}
    body = c.post(reverse("performance:skp_create"), data, follow=True).content.decode()
    assert "Isian ini wajib diisi." in body and not Skp.objects.exists()
    resp = c.post(reverse("performance:skp_create"), {**data, "reason": "Kabid cuti panjang"}, follow=True)
    skp = Skp.objects.get(employee=perf.city.staff)
    assert skp.penilai_id == perf.city.head.pk and skp.penilai_override_reason == "Kabid cuti panjang"
    assert "Kabid cuti panjang" in resp.content.decode()


def test_an_employee_cannot_create_anothers_skp_by_nip(perf, login):
    body = login("kabid").post(reverse("performance:skp_create"), {"nip": perf.city.staff.nip, "year": YEAR},
                               follow=True).content.decode()  # fmt: skip
    assert "hanya dapat membuat SKP Anda sendiri" in body and not Skp.objects.exists()


# --- the SKP page and its forms --------------------------------------------------------------------------------


def test_the_skp_page_shows_results_supports_indicators_values_and_versions(perf, login):
    skps = perf.chain()
    body = login("staff").get(_detail(skps["staff"].pk)).content.decode()
    assert "Hasil kerja Staf Satu" in body and "Mendukung: Hasil kerja Kabid A1 — Kabid A1" in body
    assert "Dokumen selesai" in body and "Kuantitas" in body and "12 dokumen" in body
    for value in ("Berorientasi Pelayanan", "Akuntabel", "Kompeten", "Harmonis", "Loyal", "Adaptif", "Kolaboratif"):
        assert value in body
    assert "Disetujui" in body and "Kabid A1" in body and "Kepala A" in body
    assert "Buat versi baru" in body and "Tambah rencana hasil kerja" not in body  # agreed: no edit forms
    head = login("head").get(_detail(skps["head"].pk)).content.decode()
    assert "Sasaran perjanjian kinerja: Sasaran PK: layanan prima" in head


def test_the_whole_draft_flow_through_the_page(perf, login):
    skps = perf.chain()
    Skp.objects.filter(employee=perf.city.staff).delete()
    s = _draft(perf)
    c = login("staff")
    page = c.get(_detail(s.pk)).content.decode()
    kabid_result = skps["kabid"].results.first()
    assert f'<option value="{kabid_result.pk}">' in page  # the penilai's results to support
    assert "Tuliskan paling sedikit satu rencana hasil kerja utama." in page and "disabled" in page
    body = _post(c, s, action="result_add", kind="utama", text="Rekap absensi", supports=kabid_result.pk)
    assert "Hasil kerja ditambahkan." in body and "Mendukung: Hasil kerja Kabid A1 — Kabid A1" in body
    r = SkpResult.objects.get(skp=s)
    assert "belum memiliki indikator" in body
    body = _post(c, s, action="indicator_add", result=r.pk, text="Rekap terkirim", aspect="waktu", target="12",
                 unit_label="bulan")  # fmt: skip
    assert "Indikator ditambahkan." in body and "Rekap terkirim" in body and "siap diajukan" in body
    body = _post(c, s, action="expectation", value="akuntabel", expectation="Tepat waktu")
    assert "Ekspektasi perilaku disimpan." in body and 'value="Tepat waktu"' in body
    body = _post(c, s, action="submit")
    assert "SKP diajukan kepada pejabat penilai." in body and "Diajukan" in body
    assert "Tambah rencana hasil kerja" not in body
    # the employee cannot agree their own SKP: refused, shown, unchanged
    body = _post(c, s, action="agree")
    assert "Hanya pejabat penilai yang dapat menyetujui" in body
    s.refresh_from_db()
    assert s.state == "submitted"
    k = login("kabid")
    body = k.get(_detail(s.pk)).content.decode()
    assert "Setujui" in body and "Kembalikan" in body
    body = _post(k, s, action="return", note="Target terlalu rendah")
    assert "dikembalikan" in body and "Target terlalu rendah" in body
    s.refresh_from_db()
    assert s.state == "draft" and s.return_note == "Target terlalu rendah"
    _post(login("staff"), s, action="submit")
    body = _post(login("kabid"), s, action="agree")
    assert "SKP disetujui." in body
    s.refresh_from_db()
    assert s.state == "agreed"
    # the owner revises: a new draft version, its page shows the history
    body = _post(login("staff"), s, action="revise", reason="Tugas baru dari kepala dinas")
    new = Skp.objects.get(employee=perf.city.staff, version=2)
    assert "Versi baru SKP dibuat" in body and "Riwayat versi" in body and "Tugas baru dari kepala dinas" in body
    assert new.state == "draft" and new.previous_id == s.pk


def test_refusals_are_shown_and_change_nothing(perf, login):
    skps = perf.chain()
    c = login("staff")
    s = skps["staff"]
    # an agreed SKP: adding a result is refused by the service
    body = _post(c, s, action="result_add", kind="utama", text="Baru", supports="")
    assert "sudah diajukan atau disetujui" in body and SkpResult.objects.filter(skp=s).count() == 1
    # revising without a reason
    body = _post(c, s, action="revise", reason="")
    assert "Isian ini wajib diisi." in body and Skp.objects.filter(employee=perf.city.staff).count() == 1
    # the penilai cannot revise the staff's SKP
    body = _post(login("kabid"), s, action="revise", reason="Saya ubah")
    assert "Hanya pegawai pemilik SKP" in body and Skp.objects.filter(employee=perf.city.staff).count() == 1


def test_supporting_a_result_outside_the_penilais_skp_is_refused_on_the_page(perf, login):
    skps = perf.chain()
    Skp.objects.filter(employee=perf.city.staff2).delete()
    s = _draft(perf, "staff2")
    wrong = skps["head"].results.first()  # the head is not staff2's penilai
    body = _post(login("staff2"), s, action="result_add", kind="utama", text="X", supports=wrong.pk)
    assert "harus berasal dari SKP pejabat penilai" in body and not SkpResult.objects.filter(skp=s).exists()


def test_other_skps_result_and_indicator_ids_are_404(perf, login):
    skps = perf.chain()
    Skp.objects.filter(employee=perf.city.staff2).delete()
    s = _draft(perf, "staff2")
    other_result = skps["staff"].results.first()
    other_ind = SkpIndicator.objects.filter(result=other_result).first()
    c = login("staff2")
    url = reverse("performance:skp_action", args=[s.pk])
    assert c.post(url, {"action": "result_delete", "result": other_result.pk}).status_code == 404
    assert c.post(url, {"action": "indicator_delete", "indicator": other_ind.pk}).status_code == 404
    assert c.post(url, {"action": "nonsense"}).status_code == 404
    assert SkpResult.objects.filter(pk=other_result.pk).exists()


def test_delete_result_and_indicator(perf, login):
    s = _draft(perf, "head")
    c = login("head")
    _post(c, s, action="result_add", kind="tambahan", text="Pembinaan", pk_reference="")
    r = SkpResult.objects.get(skp=s)
    _post(c, s, action="indicator_add", result=r.pk, text="Rapat", aspect="kuantitas", target="4", unit_label="kali")
    body = _post(c, s, action="indicator_delete", indicator=r.indicators.get().pk)
    assert "Indikator dihapus." in body and not SkpIndicator.objects.filter(result=r).exists()
    body = _post(c, s, action="result_delete", result=r.pk)
    assert "Hasil kerja dihapus." in body and not SkpResult.objects.filter(skp=s).exists()


def test_unit_head_page_asks_for_a_pk_target_not_a_supported_result(perf, login):
    s = _draft(perf, "head")
    body = login("head").get(_detail(s.pk)).content.decode()
    assert "Sasaran perjanjian kinerja yang didukung" in body and 'name="supports"' not in body


def test_a_kabid_heading_a_unit_may_support_the_heads_result_or_name_a_pk_target(perf, login):
    head = perf.agreed_skp("head")
    s = _draft(perf, "kabid")
    body = login("kabid").get(_detail(s.pk)).content.decode()
    assert f'<option value="{head.results.first().pk}">' in body and 'name="pk_reference"' in body


def test_staff_without_staff_get_no_empty_perlu_tindakan(perf, login):
    assert "Perlu tindakan" not in login("staff").get(reverse("performance:home")).content.decode()
    assert "Perlu tindakan" in login("kabid").get(reverse("performance:home")).content.decode()


def test_a_bad_target_is_refused_with_a_message(perf, login):
    s = _draft(perf, "head")
    c = login("head")
    _post(c, s, action="result_add", kind="utama", text="Layanan", pk_reference="PK 1")
    r = SkpResult.objects.get(skp=s)
    body = _post(c, s, action="indicator_add", result=r.pk, text="Indeks", aspect="kualitas", target="banyak",
                 unit_label="%")  # fmt: skip
    assert "Target harus berupa angka." in body and not SkpIndicator.objects.exists()


def test_the_penilai_sets_expectations_while_submitted(perf, login):
    skps = perf.chain()
    Skp.objects.filter(employee=perf.city.staff2).delete()
    s = _draft(perf, "staff2")
    c = login("staff2")
    _post(c, s, action="result_add", kind="utama", text="Arsip", supports=skps["kabid"].results.first().pk)
    r = SkpResult.objects.get(skp=s)
    _post(c, s, action="indicator_add", result=r.pk, text="Arsip", aspect="kuantitas", target="100",
          unit_label="berkas")  # fmt: skip
    _post(c, s, action="submit")
    body = _post(login("kabid"), s, action="expectation", value="loyal", expectation="Menjaga rahasia")
    assert "Ekspektasi perilaku disimpan." in body
    assert s.behaviours.get(value="loyal").expectation == "Menjaga rahasia"
    # the atasan (head) may not
    body = _post(login("head"), s, action="expectation", value="loyal", expectation="Lain")
    assert "tidak dapat mengubah ekspektasi" in body
    assert s.behaviours.get(value="loyal").expectation == "Menjaga rahasia"


# --- cascade ---------------------------------------------------------------------------------------------------


def test_cascade_shows_above_and_below(perf, login, django_assert_max_num_queries):
    skps = perf.chain()
    c = login("kabid")
    with django_assert_max_num_queries(25):
        body = c.get(reverse("performance:skp_cascade", args=[skps["kabid"].pk])).content.decode()
    assert "Hasil kerja Kepala A" in body  # above
    assert "Hasil kerja Staf Satu" in body and "Hasil kerja Staf Dua" in body  # below
    assert "2 SKP staf mendukung langsung" in body
    # the head sees two levels down from the top
    body = login("head").get(reverse("performance:skp_cascade", args=[skps["head"].pk])).content.decode()
    assert "Hasil kerja Kabid A1" in body and "Hasil kerja Staf Satu" in body and "Hasil kerja Staf Dua" in body


def test_cascade_below_shows_only_visible_skps(perf, login):
    skps = perf.chain()
    # the assessor sees staff2 (assigned) but not staff; on the kabid's tree? the kabid's SKP is not visible: 404
    assert login("assessor").get(reverse("performance:skp_cascade", args=[skps["kabid"].pk])).status_code == 404
    # staff's own tree shows the superiors' results above without links to their SKPs
    body = login("staff").get(reverse("performance:skp_cascade", args=[skps["staff"].pk])).content.decode()
    assert "Hasil kerja Kabid A1" in body and "Hasil kerja Kepala A" in body
    assert _detail(skps["kabid"].pk) not in body and "Hasil kerja Staf Dua" not in body


# --- PDF -------------------------------------------------------------------------------------------------------


def _pdf_text(data: bytes) -> str:
    pdf = pdfium.PdfDocument(data)
    if os.environ.get("SKP_SHOTS"):  # look at it: SKP_SHOTS=/tmp/shots/skpui ./dev pytest -k pdf
        for i in range(len(pdf)):
            pdf[i].render(scale=1.5).to_pil().save(Path(os.environ["SKP_SHOTS"]) / f"skp-pdf-{i + 1}.png")
    return " ".join(" ".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf)))


def test_the_pdf_renders_with_the_employee_and_the_results(perf, login):
    skps = perf.chain()
    resp = login("staff").get(reverse("performance:skp_pdf", args=[skps["staff"].pk]))
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    data = resp.content
    assert data.startswith(b"%PDF")
    text = _pdf_text(data)
    for expected in ("SASARAN KINERJA PEGAWAI", "Staf Satu", perf.city.staff.nip, "Kabid A1", "Kepala A",
                     "Hasil kerja Staf Satu", "Dokumen selesai", "Berorientasi Pelayanan", "Kolaboratif"):  # fmt: skip
        assert expected in text, expected


def test_a_draft_pdf_is_marked(perf, login):
    s = _draft(perf, "head")
    text = _pdf_text(login("head").get(reverse("performance:skp_pdf", args=[s.pk])).content)
    assert "DRAF" in text and "Kepala A" in text


# --- nav -------------------------------------------------------------------------------------------------------


def test_nav_entry_for_employees_and_performance_roles(perf, login):
    home = reverse("performance:home")
    for key in ("staff", "admin", "inspector", "operator_a", "kabid"):
        assert f'href="{home}"' in login(key).get(reverse("dashboard")).content.decode(), key
    for key in ("treasurer_a", "bpkad"):
        assert f'href="{home}"' not in login(key).get(reverse("dashboard")).content.decode(), key
