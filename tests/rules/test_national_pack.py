"""The shipped national pack and the example regional pack: every file loads, and spot checks against
shared/reference/payroll-rules.md."""

import datetime as dt

import pytest

from pamong.people.grades import PPPK_GOLONGAN
from pamong.rules.params import NATIONAL_DIR, REGIONS_DIR, load_pack, param, params_in_force

ON = dt.date(2025, 3, 1)


def test_every_shipped_file_loads():
    national = load_pack(NATIONAL_DIR)
    assert len(national) >= 22
    for region in (p for p in REGIONS_DIR.iterdir() if p.is_dir()):
        assert load_pack(region)


@pytest.mark.parametrize(
    ("golongan", "mkg", "amount"),
    [("I/a", 0, 1685700), ("II/a", 33, 3643400), ("III/b", 8, 3287000), ("III/b", 10, 3390500), ("IV/e", 32, 6373200)],
)
def test_gaji_pokok_pns_cells_match_pp_5_2024(golongan, mkg, amount):
    assert param("gaji/pokok_pns").on(ON)["table"][golongan][mkg] == amount


def test_gaji_pokok_pns_has_all_272_cells_with_the_reference_steps():
    table = param("gaji/pokok_pns").on(ON)["table"]
    assert sum(len(row) for row in table.values()) == 272
    assert list(table["I/a"]) == list(range(0, 27, 2))
    assert list(table["I/c"]) == list(range(3, 28, 2))
    assert list(table["II/a"]) == [0, *range(1, 34, 2)]
    assert list(table["II/d"]) == list(range(3, 34, 2))
    assert list(table["IV/e"]) == list(range(0, 33, 2))


def test_gaji_pokok_pppk_table():
    table = param("gaji/pokok_pppk").on(ON)["table"]
    assert list(table) == PPPK_GOLONGAN  # I..XVII, the grades employee records use
    assert table["I"][0] == 1938500
    assert table["IX"][2] == 3304400
    assert table["XVII"][32] == 7329000


def test_ter_tables_have_125_rows_with_inclusive_upper_bounds():
    ter = param("pph21/ter_bulanan").on(ON)
    assert {k: len(v) for k, v in ter.items()} == {"A": 44, "B": 40, "C": 41}
    assert ter["A"][0] == {"upto": 5400000, "rate_bp": 0}
    assert ter["A"][1] == {"upto": 5650000, "rate_bp": 25}
    assert ter["B"][4] == {"upto": 9200000, "rate_bp": 100}  # K/1 example: 1 % band
    assert ter["C"][19] == {"upto": 35400000, "rate_bp": 1300}  # a row some public code gets wrong
    for rows in ter.values():
        assert rows[-1] == {"upto": None, "rate_bp": 3400}


def test_ter_category_mapping():
    mapping = param("pph21/ter_kategori").on(ON)
    assert [s for s, k in mapping.items() if k == "A"] == ["TK/0", "TK/1", "K/0"]
    assert [s for s, k in mapping.items() if k == "B"] == ["TK/2", "TK/3", "K/1", "K/2"]
    assert [s for s, k in mapping.items() if k == "C"] == ["K/3"]


def test_ptkp_components_give_the_reference_amounts():
    ptkp = param("pph21/ptkp").on(ON)
    max_dependants = param("pph21/ptkp_tanggungan").on(ON)["max_dependants"]
    assert ptkp["wajib_pajak"] == 54000000
    assert ptkp["wajib_pajak"] + ptkp["kawin"] + max_dependants * ptkp["tanggungan"] == 72000000  # K/3


def test_rates_and_amounts():
    assert param("gaji/cpns_persen").on(ON) == 8000
    assert param("tunjangan/istri_suami").on(ON) == 1000
    assert param("tunjangan/anak").on(ON) == 200
    beras = param("tunjangan/beras").on(ON)
    assert beras["kg_per_jiwa"] * beras["harga_per_kg"] == 72420
    assert param("tunjangan/umum").on(ON) == {"I": 175000, "II": 180000, "III": 185000, "IV": 190000}
    assert param("tunjangan/jabatan_struktural").on(ON)["III.a"] == 1260000
    assert param("tunjangan/jabatan_fungsional").on(ON)["analis_perbendaharaan_negara"]["ahli_pertama"] == 540000
    taspen = param("iuran/taspen").on(ON)
    assert (taspen["pensiun"], taspen["tht"], taspen["pensiun"] + taspen["tht"]) == (475, 325, 800)
    assert param("iuran/bpjs_kesehatan").on(ON) == {"peserta": 100, "pemberi_kerja": 400, "batas_atas_upah": 12000000}
    assert param("iuran/jkk").on(ON) == 24
    assert param("iuran/jkm").on(ON) == 72
    assert param("pph21/biaya_jabatan").on(ON) == {"tarif": 500, "maks_per_bulan": 500000, "maks_per_tahun": 6000000}
    assert [b["rate_bp"] for b in param("pph21/pasal17").on(ON)] == [500, 1500, 2500, 3000, 3500]


def test_thr_components_by_year():
    thr = param("thr/komponen")
    for year in (2024, 2025):
        value = thr.on(dt.date(year, 3, 1))
        assert "tunjangan_beras" in value["komponen"] and "gaji_pokok" in value["komponen"]
        assert value["tpp_maks"] == 10000  # at most one month of TPP
    assert "iuran_taspen" not in thr.on(dt.date(2025, 3, 1))["komponen"]


def test_sawahlunto_example_pack_is_labelled_as_an_example():
    pack = load_pack(REGIONS_DIR / "sawahlunto")
    for parameter in pack.values():
        assert "CONTOH, bukan Perwali Sawahlunto" in parameter.description
        assert all("CONTOH, bukan Perwali Sawahlunto" in r["title"] for r in parameter.reference)


def test_sawahlunto_example_values():
    found = params_in_force(ON, region="sawahlunto")
    assert list(found["tpp/pagu_kelas_jabatan"].value) == list(range(1, 18))
    assert found["tpp/pagu_kelas_jabatan"].value[7] == 3000000
    assert found["tpp/bobot"].value == {"kinerja": 6000, "disiplin": 4000}
    disiplin = found["tpp/disiplin"].value
    assert disiplin["berlaku_pada"] == "disiplin_part"
    assert disiplin["potongan"] == {
        "TL1": 50, "TL2": 100, "TL3": 125, "TL4": 150, "PSW1": 50, "PSW2": 100, "PSW3": 125, "PSW4": 150, "TK": 400,
    }  # fmt: skip
    assert found["tpp/porsi_status"].value["CPNS"] == 8000
    assert found["pph21/kebijakan"].value == {
        "bruto_includes_employer_premiums": True,
        "tpp_method": "marginal",
        "pppk_gaji_dtp": False,
    }
    assert found["tpp/hukuman_disiplin"].value["potong_tpp_25_12_bulan"] == {"potongan": 2500, "bulan": 12}
    assert found["tpp/thr_gaji13"].value == {"thr": 10000, "gaji13": 10000, "dasar": "pagu"}
    # national parameters are still there
    assert found["iuran/jkk"].value == 24
