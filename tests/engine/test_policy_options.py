"""Behaviour of the rules beyond the shared spec (docs/payroll-engine.md): cut modes, sanction cuts, PPh methods for
TPP, the PPPK DTP flag, THR/gaji-13 and rapel — what each changes and what each refuses. The amounts themselves are
checked against hand-computed cases (test_cases.py) and the Decimal reference (test_reference_property.py)."""

from __future__ import annotations

import pytest

from pamong.engine.params import Unsupported
from pamong.engine.simulate import CaseError, simulate

EMPTY_YTD = {
    "months": 11,
    "bruto_gaji": 0,
    "bruto_total": 0,
    "pph21_gaji_withheld": 0,
    "pph21_tpp_withheld": 0,
    "iuran_pensiun": 0,
}


def test_whole_tpp_cut_falls_on_both_parts(case):
    case["discipline"] = {"TK": 2}  # 8 %
    part = simulate(case)["tpp"]["lines"]
    case["policy"]["discipline_cut_applies_to"] = "whole_tpp"
    whole = simulate(case)["tpp"]["lines"]
    assert part["tpp_kinerja"] == 1800000 and part["tpp_disiplin"] == 1200000 * 92 // 100
    assert whole["tpp_kinerja"] == 1800000 * 92 // 100 and whole["tpp_disiplin"] == part["tpp_disiplin"]


def test_rupiah_cut_comes_off_disiplin_first_then_kinerja_only_for_whole_tpp(case):
    case["discipline"] = {"TK": 7}
    case["policy"]["discipline_cut_pct"] = {}
    case["policy"]["discipline_cut_rp"] = {"TK": 200000}  # Rp1.400.000 > disiplin part Rp1.200.000
    lines = simulate(case)["tpp"]["lines"]
    assert (lines["tpp_kinerja"], lines["tpp_disiplin"]) == (1800000, 0)
    case["policy"]["discipline_cut_applies_to"] = "whole_tpp"
    lines = simulate(case)["tpp"]["lines"]
    assert (lines["tpp_kinerja"], lines["tpp_disiplin"]) == (1600000, 0)


def test_percentage_cut_is_capped(case):
    case["discipline"] = {"TK": 20}  # 80 %
    case["policy"]["discipline_cut_max_pct"] = "50"
    assert simulate(case)["tpp"]["lines"]["tpp_disiplin"] == 600000


def test_sanction_cut_reduces_the_tpp_before_bpjs_and_tax(case):
    case["discipline"] = {}
    case["policy"]["sanction_cut_pct"] = {"potong_tpp_25": "25"}
    case["sanction"] = "potong_tpp_25"
    tpp = simulate(case)["tpp"]
    assert tpp["lines"]["potongan_hukuman_disiplin"] == 750000
    assert tpp["bruto"] == 2250000
    assert tpp["lines"]["iuran_bpjs_kesehatan"] == (3932180 + 2250000) // 100 - 39321


def test_unknown_sanction_code_is_a_case_error(case):
    case["sanction"] = "berat"
    with pytest.raises(CaseError, match=r"sanction: 'berat' tidak ada di policy.sanction_cut_pct"):
        simulate(case)


def test_ditanggung_pemda_pays_the_tpp_tax_as_an_allowance(case):
    marginal = simulate(case)["tpp"]
    case["policy"]["pph21_tpp_method"] = "ditanggung_pemda"
    borne = simulate(case)["tpp"]
    assert borne["lines"]["pph21"] == borne["lines"]["tunjangan_pph"] == marginal["lines"]["pph21"] == 75057
    assert borne["bersih"] == 2976000 - borne["lines"]["iuran_bpjs_kesehatan"]


def test_gross_up_allowance_is_the_tax_on_itself(case):
    case["policy"]["pph21_tpp_method"] = "gross_up"
    out = simulate(case, trace=True)
    tpp = out["tpp"]["lines"]
    total = out["trace"]["tpp.bruto_pph21_total"]["result"]
    assert tpp["tunjangan_pph"] == tpp["pph21"] > 75057
    assert total == 7505741 + tpp["tunjangan_pph"]
    rate = next(p["value"] for p in out["trace"]["tpp.pph21"]["params"] if p["name"] == "pph21/ter_bulanan")
    assert total * rate // 10000 == tpp["pph21"]  # the gaji tax is 0: T = TER(B + T)


def test_pppk_gaji_tax_is_borne_only_with_the_flag(case):
    case["employee"] |= {"status": "PPPK", "golongan": "XIII", "mkg_years": 10}
    case["employee"]["jabatan"] = {"jenis": "fungsional", "tunjangan_fungsional": 4000000}
    gaji = simulate(case)["gaji"]["lines"]
    assert gaji["pph21"] > 0 and gaji["tunjangan_pph"] == 0
    case["policy"]["pph21_pppk_gaji_dtp"] = True
    gaji = simulate(case)["gaji"]["lines"]
    assert gaji["tunjangan_pph"] == gaji["pph21"] > 0


def thr_case(case, kind="thr", period="2025-03"):
    case |= {"kind": kind, "period": period}
    case["policy"][f"{kind}_tpp_pct"] = "100"
    return case


def test_thr_carries_the_months_gaji_elements_and_one_month_of_tpp(case):
    out = simulate(thr_case(case))
    thr, gaji = out["thr"]["lines"], out["gaji"]["lines"]
    for code in ("gaji_pokok", "tunjangan_istri_suami", "tunjangan_anak", "tunjangan_umum", "tunjangan_beras"):
        assert thr[code] == gaji[code]
    assert thr["tpp"] == 3000000
    assert thr["tunjangan_pph"] > 0 and thr["pph21"] > thr["tunjangan_pph"]  # gaji part DTP, TPP part withheld
    assert "iuran_taspen" not in thr and out["thr"]["bersih"] % 100 == 0


def test_gaji13_share_of_tpp_basis_month(case):
    case = thr_case(case, "gaji13", "2025-06")
    case["policy"] |= {"gaji13_tpp_pct": "50", "thr_tpp_basis": "tpp_bulan"}
    assert simulate(case)["gaji13"]["lines"]["tpp"] == 2976000 // 2


def test_thr_without_a_tpp_share_is_refused(case):
    case["kind"] = "thr"
    with pytest.raises(Unsupported, match=r"policy.thr_tpp_pct: bagian TPP dalam thr wajib ditetapkan daerah"):
        simulate(case)


def test_thr_in_december_is_refused(case):
    case = thr_case(case, period="2025-12")
    case["ytd"] = dict(EMPTY_YTD)
    with pytest.raises(Unsupported, match="Desember"):
        simulate(case)


def rapel_case(case, months=("2025-08", "2025-09", "2025-10")):
    case |= {"kind": "rapel", "rapel": {"months": list(months), "paid": {"mkg_years": 8}}}
    case["employee"]["mkg_years"] = 10
    return case


def test_rapel_pays_each_month_difference(case):
    rapel = simulate(rapel_case(case))["rapel"]
    assert list(rapel["months"]) == ["2025-08", "2025-09", "2025-10"]
    per_month = rapel["months"]["2025-08"]["lines"]
    assert per_month["gaji_pokok"] == 3390500 - 3287000
    assert rapel["lines"]["gaji_pokok"] == 3 * per_month["gaji_pokok"]
    assert rapel["lines"]["iuran_taspen"] == 3 * per_month["iuran_taspen"] > 0
    assert rapel["bersih"] % 100 == 0


def test_rapel_with_nothing_changed_is_zero(case):
    case = rapel_case(case)
    case["rapel"]["paid"] = {"mkg_years": 10}
    rapel = simulate(case)["rapel"]
    assert rapel["bruto"] == rapel["potongan"] == rapel["bersih"] == 0


@pytest.mark.parametrize(
    ("months", "message"),
    [
        (["2025-11"], r"rapel.months\[0\]: '2025-11' harus sebelum period 2025-11"),
        (["2025-08", "2025-08"], r"rapel.months\[1\]: '2025-08' harus sebelum period 2025-11 dan tidak berulang"),
        ([], "rapel.months: harus daftar bulan"),
    ],
)
def test_rapel_months_are_checked(case, months, message):
    with pytest.raises(CaseError, match=message):
        simulate(rapel_case(case, months))


def test_rapel_paid_field_must_exist(case):
    case = rapel_case(case)
    case["rapel"]["paid"] = {"mkg": 8}
    with pytest.raises(CaseError, match="rapel.paid: kolom tidak ada di employee: mkg"):
        simulate(case)


def test_unknown_kind_is_refused(case):
    case["kind"] = "bonus"
    with pytest.raises(CaseError, match="kind: 'bonus' tidak dikenal"):
        simulate(case)


def test_rapel_in_december_is_refused(case):
    case = rapel_case(case, ("2025-10", "2025-11"))
    case["period"] = "2025-12"
    case["ytd"] = dict(EMPTY_YTD)
    with pytest.raises(Unsupported, match="rapel di bulan Desember"):
        simulate(case)


def test_pppk_pelaksana_gets_tunjangan_umum_only_through_the_regions_mapping(case):
    case["employee"] |= {"status": "PPPK", "golongan": "IX", "mkg_years": 2}
    with pytest.raises(CaseError, match="tidak memetakan golongan IX"):
        simulate(case)
    case["policy"]["tunjangan_umum_pppk_golongan"] = {"IX": "III"}
    out = simulate(case, trace=True)
    assert out["gaji"]["lines"]["tunjangan_umum"] == 185000
    used = {p["name"]: p["value"] for p in out["trace"]["gaji.tunjangan_umum"]["params"]}
    assert used["kebijakan.pppk_umum_group"] == "III"


def test_award_is_taxed_with_the_tpp_but_is_not_bpjs_wage(case):
    plain = simulate(case)["tpp"]
    case["penghargaan"] = 1_000_000
    awarded = simulate(case)["tpp"]
    assert awarded["lines"]["penghargaan"] == 1_000_000
    assert awarded["bruto"] == plain["bruto"] + 1_000_000
    assert awarded["lines"]["iuran_bpjs_kesehatan"] == plain["lines"]["iuran_bpjs_kesehatan"]
    assert awarded["lines"]["pph21"] > plain["lines"]["pph21"]
