"""Predikat kinerja (PermenPANRB 6/2022): the kuadran, the unit head's results from the organisation, the pola
distribusi rules at their exact boundaries, and malformed cases (spec/performance-predikat.md)."""

from __future__ import annotations

import pytest

from pamong.performance.engine.predikat import (
    KUADRAN,
    LABEL_PREDIKAT,
    PENJELASAN,
    POLA,
    PREDIKAT,
    Entry,
    PredikatError,
    hasil_pimpinan,
    pola_check,
    predikat_case,
    predikat_of,
    unit_predikat,
)

CELLS = [
    ("di_atas", "di_bawah", "kurang"),
    ("di_atas", "sesuai", "baik"),
    ("di_atas", "di_atas", "sangat_baik"),
    ("sesuai", "di_bawah", "kurang"),
    ("sesuai", "sesuai", "baik"),
    ("sesuai", "di_atas", "baik"),
    ("di_bawah", "di_bawah", "sangat_kurang"),
    ("di_bawah", "sesuai", "butuh_perbaikan"),
    ("di_bawah", "di_atas", "butuh_perbaikan"),
]


@pytest.mark.parametrize(("hasil", "perilaku", "predikat"), CELLS)
def test_every_cell_of_the_kuadran(hasil, perilaku, predikat):
    assert predikat_of(hasil, perilaku) == predikat


def test_the_kuadran_has_exactly_nine_cells_and_bad_behaviour_caps_at_kurang():
    assert len(KUADRAN) == 9
    worst_allowed = PREDIKAT.index("kurang")
    for hasil in ("di_atas", "sesuai", "di_bawah"):
        assert PREDIKAT.index(predikat_of(hasil, "di_bawah")) >= worst_allowed


@pytest.mark.parametrize(
    ("organisasi", "hasil"),
    [
        ("istimewa", "di_atas"),
        ("baik", "sesuai"),
        ("butuh_perbaikan", "di_bawah"),
        ("kurang", "di_bawah"),
        ("sangat_kurang", "di_bawah"),
    ],
)
def test_unit_head_takes_results_from_the_organisation(organisasi, hasil):
    assert hasil_pimpinan(organisasi) == hasil
    result = unit_predikat(organisasi, [Entry("kepala", perilaku="sesuai", pimpinan_unit=True)])
    assert result.predikat == {"kepala": predikat_of(hasil, "sesuai")}


def counts(**kw: int) -> dict[str, int]:
    return {p: kw.get(p, 0) for p in PREDIKAT}


@pytest.mark.parametrize(
    ("organisasi", "holds", "breaks", "code"),
    [
        # istimewa: sangat_baik at most 70 % (7 of 10 holds, 8 breaks) and the majority
        ("istimewa", counts(sangat_baik=7, baik=3), counts(sangat_baik=8, baik=2), "SB_MAKS_70"),
        ("istimewa", counts(sangat_baik=4, baik=3, butuh_perbaikan=3), counts(sangat_baik=4, baik=4, kurang=2),
         "SB_MAYORITAS"),
        # baik
        ("baik", counts(baik=7, butuh_perbaikan=3), counts(baik=8, butuh_perbaikan=2), "B_MAKS_70"),
        ("baik", counts(baik=5, sangat_baik=4, kurang=1), counts(baik=4, sangat_baik=4, butuh_perbaikan=2),
         "B_MAYORITAS"),
        ("baik", counts(baik=6, sangat_baik=3, kurang=1), counts(baik=6, sangat_baik=4), "BP_ATAU_K_ADA"),
        # butuh_perbaikan: sangat_baik at most 10 %, butuh_perbaikan at least 60 % (7 people: 5 holds, 4 breaks:
        # 60 % of 7 is 4.2 and is not rounded down)
        ("butuh_perbaikan", counts(sangat_baik=1, butuh_perbaikan=6, baik=3),
         counts(sangat_baik=2, butuh_perbaikan=6, baik=2), "SB_MAKS_10"),
        ("butuh_perbaikan", counts(butuh_perbaikan=5, baik=2), counts(butuh_perbaikan=4, baik=3), "BP_MIN_60"),
        ("butuh_perbaikan", counts(butuh_perbaikan=6, baik=4), counts(butuh_perbaikan=5, baik=5), "BP_MIN_60"),
        # kurang
        ("kurang", counts(sangat_baik=1, kurang=6, butuh_perbaikan=3),
         counts(sangat_baik=2, kurang=6, butuh_perbaikan=2), "SB_MAKS_10"),
        ("kurang", counts(kurang=6, butuh_perbaikan=1, baik=3), counts(kurang=6, baik=4), "BP_MIN_10"),
        ("kurang", counts(kurang=6, butuh_perbaikan=4), counts(kurang=5, butuh_perbaikan=5), "K_MIN_60"),
        # sangat_kurang
        ("sangat_kurang", counts(sangat_kurang=6, kurang=4), counts(sangat_kurang=6, kurang=3, sangat_baik=1),
         "SB_NOL"),
        ("sangat_kurang", counts(sangat_kurang=9, kurang=1), counts(sangat_kurang=9, baik=1), "BP_K_MIN_10"),
        ("sangat_kurang", counts(sangat_kurang=6, butuh_perbaikan=4), counts(sangat_kurang=5, butuh_perbaikan=5),
         "SK_MIN_60"),
    ],
)  # fmt: skip
def test_each_pola_rule_at_its_boundary(organisasi, holds, breaks, code):
    assert pola_check(organisasi, holds) == []
    assert pola_check(organisasi, breaks) == [code]


def test_violations_are_sorted_and_every_code_is_explained():
    assert pola_check("baik", counts(sangat_baik=10)) == ["BP_ATAU_K_ADA", "B_MAYORITAS"]  # plain string order
    assert pola_check("sangat_kurang", counts(sangat_baik=10)) == ["BP_K_MIN_10", "SB_NOL", "SK_MIN_60"]
    codes = {rule.kode for rules in POLA.values() for rule in rules}
    assert codes == set(PENJELASAN)
    assert all(PENJELASAN[c].endswith(".") for c in codes)


def test_case_output_has_spec_keys_and_labels():
    case = {
        "organisasi": "kurang",
        "pegawai": [
            {"id": "1", "pimpinan_unit": True, "perilaku": "di_atas"},
            {"id": "2", "hasil": "sesuai", "perilaku": "di_bawah"},
        ],
    }
    out = predikat_case(case)
    assert out["pegawai"] == {"1": "butuh_perbaikan", "2": "kurang"}
    assert out["distribusi"] == {"jumlah": 2, "sangat_baik": 0, "baik": 0, "butuh_perbaikan": 1, "kurang": 1,
                                 "sangat_kurang": 0}  # fmt: skip
    assert out["pola"] == {"sesuai": False, "pelanggaran": ["K_MIN_60"]}
    assert out["label"] == {"1": "Butuh Perbaikan", "2": "Kurang/Misconduct"}
    assert out["persentase"]["kurang"] == 50.0
    assert out["penjelasan"] == [{"kode": "K_MIN_60", "penjelasan": PENJELASAN["K_MIN_60"]}]
    assert LABEL_PREDIKAT["sangat_baik"] == "Sangat Baik"


def base() -> dict:
    return {"organisasi": "baik", "pegawai": [{"id": "1", "hasil": "sesuai", "perilaku": "sesuai"}]}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c.pop("organisasi"), r"^organisasi: wajib diisi"),
        (lambda c: c.update(organisasi="hebat"), r"^organisasi: 'hebat' bukan nilai yang dikenal"),
        (lambda c: c.update(pegawai=[]), r"^pegawai: daftar kosong"),
        (lambda c: c.pop("pegawai"), r"^pegawai: wajib diisi"),
        (lambda c: c.update(pegawai="x"), r"^pegawai: harus berupa daftar"),
        (
            lambda c: c["pegawai"].append(dict(c["pegawai"][0])),
            r"^pegawai\[1\]\.id: '1' sudah dipakai oleh pegawai\[0\]",
        ),
        (lambda c: c["pegawai"][0].update(hasil="luar_biasa"), r"^pegawai\[0\]\.hasil: 'luar_biasa' bukan nilai"),
        (lambda c: c["pegawai"][0].update(perilaku=3), r"^pegawai\[0\]\.perilaku: int bukan nilai"),
        (lambda c: c["pegawai"][0].pop("hasil"), r"^pegawai\[0\]\.hasil: wajib diisi"),
        (lambda c: c["pegawai"][0].pop("perilaku"), r"^pegawai\[0\]\.perilaku: wajib diisi"),
        (lambda c: c["pegawai"][0].pop("id"), r"^pegawai\[0\]\.id: wajib diisi"),
        (lambda c: c["pegawai"][0].update(id=""), r"^pegawai\[0\]\.id: harus berupa teks"),
        (lambda c: c["pegawai"][0].update(pimpinan_unit=True), r"^pegawai\[0\]\.hasil: pimpinan unit tidak diberi"),
        (lambda c: c["pegawai"][0].update(pimpinan_unit="ya"), r"^pegawai\[0\]\.pimpinan_unit: harus true atau false"),
        (
            lambda c: c["pegawai"][0].update(perilku="sesuai") or c["pegawai"][0].pop("perilaku"),
            r"^pegawai\[0\]\.perilaku: wajib diisi",
        ),
        (
            lambda c: c["pegawai"].extend(
                [
                    {"id": "2", "pimpinan_unit": True, "perilaku": "sesuai"},
                    {"id": "3", "pimpinan_unit": True, "perilaku": "sesuai"},
                ]
            ),
            r"^pegawai\[2\]\.pimpinan_unit: pimpinan unit sudah ditetapkan pada pegawai\[1\]",
        ),  # fmt: skip
        (lambda c: c["pegawai"].__setitem__(0, "x"), r"^pegawai\[0\]: harus berupa objek"),
    ],
)
def test_malformed_cases_name_the_field(change, message):
    case = base()
    change(case)
    with pytest.raises(PredikatError, match=message):
        predikat_case(case)


def test_other_keys_of_a_row_are_ignored():
    case = base()
    case["pegawai"][0].update(nama="Siti", jabatan="Analis")
    assert predikat_case(case)["pegawai"] == {"1": "baik"}
    case["pegawai"][0]["id"] = 198001012005011001  # a NIP as a number is read as its digits
    assert predikat_case(case)["pegawai"] == {"198001012005011001": "baik"}


def test_a_malformed_case_is_a_value_error():
    assert issubclass(PredikatError, ValueError)
    with pytest.raises(ValueError):
        predikat_case([])
    with pytest.raises(PredikatError, match="distribusi"):
        pola_check("baik", {"baik": -1})
