"""The payslip explanation: a plain-Indonesian summary per line for the employee, regulations as the only sources,
the technical trace behind a toggle, provenance for those who administer or audit the rules; counts as counts."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from pamong.engine import explain
from pamong.payroll.explanation import regulation_names
from pamong.rules.params import merged_pack

RESEARCH = re.compile(r"\[[^\]]*\]|\.(md|json|yaml|yml|pdf|csv)\b|https?://|github|§|\bvia\b|CONTOH", re.I)


def test_regulation_rule_on_the_national_pack():
    pack = merged_pack(None)
    found: dict[str, list[str]] = {}
    for name, (_, parameter) in pack.items():
        names = regulation_names(parameter.reference)
        for n in names:
            assert not RESEARCH.search(n), (name, n)
            assert len(n) < 60, (name, n)  # a citation, not a sentence
        found[name] = names
    assert "PP 7/1977 Pasal 16" in found["tunjangan/anak_syarat"] and "UU 8/1974" in found["tunjangan/anak_syarat"]
    assert found["gaji/pokok_pns"] == ["PP 5/2024", "PP 7/1977"]
    assert "PMK 250/2008" in found["pph21/biaya_jabatan"]
    assert any(n.startswith("PP 25/1981") for n in found["iuran/taspen"])
    # most parameters cite at least one regulation an employee can look up
    assert sum(1 for v in found.values() if v) >= len(found) * 0.8


@pytest.mark.parametrize(
    ("title", "want"),
    [
        ("BKD Trenggalek, Tunjangan keluarga PNS (KP4) (10 % gaji pokok)", []),
        ('CNN Indonesia, "Tunjangan beras PNS, TNI dan Polri naik 38 persen" (2015)', []),
        ("PP 66/2017 tentang Perubahan atas PP 70/2015 [K, belum dibaca ulang]", ["PP 66/2017", "PP 70/2015"]),
        ("CONTOH — payroll-rules.md §10, §5.1 (PMK 168/2023 Pasal 5: premi) [A]", ["PMK 168/2023 Pasal 5"]),
        ("UU PPh Pasal 7 ayat (1) jo. UU HPP 7/2021", ["UU PPh Pasal 7 ayat (1)", "UU HPP 7/2021"]),
        ("Perdirjen Perbendaharaan PER-3/PB/2015, via Kontan", ["Perdirjen Perbendaharaan PER-3/PB/2015"]),
        ("Lampiran [PP 99/2099 di catatan]", []),
    ],
)
def test_regulation_rule(title, want):
    assert regulation_names([{"title": title, "href": "https://example.org/x.pdf"}]) == want


def test_count_parameters_are_counts_not_rupiah():
    p = {"name": "tunjangan/anak_syarat.max_children_paid", "value": 2,
         "unit": {"max_age": "years", "max_age_in_school": "years", "max_children_paid": "persons"}}
    assert explain.param_value(p) == "2 anak"
    assert explain.param_value({"name": "x/y.batas_usia", "value": 25, "unit": {"batas_usia": "years"}}) == "25 tahun"
    assert explain.param_value({"name": "x/jumlah", "value": 3, "unit": "persons"}) == "3 orang"
    assert explain.param_value({"name": "x/tarif", "value": 250, "unit": "basis_points"}) == "2,5%"
    assert explain.param_value({"name": "x/harga", "value": 72420, "unit": "rupiah"}) == "Rp72.420"
    dict_value = {"name": "pph21/ptkp_tanggungan", "value": {"max_dependants": 3},
                  "unit": {"max_dependants": "persons"}}
    assert explain.param_value(dict_value).endswith(" 3 orang")
    # a leaf of a per-key mapping that the name does not say: a known rate stays a rate, its cap money
    bpjs = {"peserta": "basis_points", "batas_atas_upah": "rupiah"}
    assert explain.param_value({"name": "iuran/bpjs_kesehatan", "value": 100, "unit": bpjs}) == "1%"
    assert explain.param_value({"name": "iuran/bpjs_kesehatan", "value": 12_000_000, "unit": bpjs}) == "Rp12.000.000"


@pytest.fixture
def slip(pay):
    run = pay.approve(pay.compute("gaji"))
    return run.payslips.get(employee=pay.city.staff)


def page(user, slip) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("payroll:payslip_detail", args=[slip.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_employee_reads_a_plain_summary_without_codes_or_research_notes(pay, slip):
    body = page(pay.city.users["staff"], slip)
    summary = body[body.index('id="explain-summary"') : body.index('class="explain-trace"')]
    gp = slip.lines["gaji_pokok"]
    assert "Gaji pokok" in summary and explain.rupiah(gp) in summary
    assert "Menurut tabel gaji pokok PNS golongan II/c dengan masa kerja golongan" in summary
    assert "Dasar hukum: PP 5/2024; PP 7/1977" in summary
    assert "per jiwa untuk" in summary  # tunjangan beras: the inputs in words
    assert "<details" in body and body.index("explain-summary") < body.index("<details")  # summary first, trace behind
    text = re.sub(r"<[^>]+>", " ", body)
    for leak in ("gaji.gaji_pokok", "tunjangan/anak", "anak_syarat", "max_children_paid", "belum dibaca ulang",
                 "[K", ".md", ".json", "github", "glama.ai", "CONTOH"):
        assert leak not in text, leak
    assert "http" not in body.split('id="explain-title"')[1]  # no links to sources on the employee's explanation
    assert "<script" not in body.split('id="explain-title"')[1]


def test_treasurer_sees_regulations_only_the_inspector_sees_provenance(pay, slip):
    treasurer = page(pay.city.users["treasurer_a"], slip)
    assert "belum dibaca ulang" not in treasurer and "gaji.gaji_pokok" not in treasurer
    inspector = page(pay.city.users["inspector"], slip)
    assert "gaji.gaji_pokok" in inspector and "gaji/pokok_pns" in inspector
    assert "https://" in inspector and "hanya ditampilkan kepada administrator" in inspector


def test_cli_explain_uses_the_unit_for_counts(tmp_path):
    from pamong.engine.explain import fmt_param

    p = {"name": "tunjangan/anak_syarat.max_children_paid", "value": 2, "since": "1977-01-01", "source": "nasional",
         "unit": {"max_children_paid": "persons"}}
    assert fmt_param(p) == "tunjangan/anak_syarat.max_children_paid = 2 anak, berlaku sejak 1 Januari 1977"
