"""Loader validation: each malformed file gives one message naming the file, the key, the date and the problem."""

import datetime as dt
from pathlib import Path

import pytest

from pamong.rules.params import ParameterError, load_pack, load_parameter, params_in_force

HEAD = """description: contoh
unit: {unit}
reference:
  - title: PP 1/2025
    href: https://example.invalid
values:
"""


def write(tmp_path: Path, unit: str, values: str, name: str = "contoh.yaml") -> Path:
    path = tmp_path / name
    path.write_text(HEAD.format(unit=unit) + values)
    return path


@pytest.mark.parametrize(
    ("unit", "values", "fragments"),
    [
        ("rupiah", "  2024-01-01: {table: {III/b: {0: 2903600.5}}}\n", ["2024-01-01", "table.III/b.0", "pecahan"]),
        ("basis_points", "  2024-01-01: 0.24\n", ["2024-01-01", "pecahan", "basis poin"]),
        ("rupiah", "  2024-01-01: {I: 175000, II: -180000}\n", ["2024-01-01", "II", "negatif"]),
        ("basis_points", "  2024-01-01: {peserta: 10001}\n", ["peserta", "melebihi 10000"]),
        ("rupiah", "  2024-01-01: {I: '175000'}\n", ["I", "bukan bilangan bulat"]),
        ("rupiah", "  2024-01-01: true\n", ["bukan bilangan bulat"]),
        ("code", "  2024-01-01: {TK/0: 1}\n", ["TK/0", "bukan teks"]),
        ("boolean", "  2024-01-01: {flag: 'yes'}\n", ["flag", "bukan true/false"]),
        ("{upto: rupiah}", "  2024-01-01: [{upto: 1, rate_bp: 5}]\n", ["0.rate_bp", "tidak ada unit"]),
        (
            "{upto: rupiah, rate_bp: basis_points}",
            "  2024-01-01: [{upto: 10, rate_bp: 5}, {upto: 5, rate_bp: 6}]\n",
            ["2024-01-01", "upto", "harus naik"],
        ),
        (
            "{upto: rupiah, rate_bp: basis_points}",
            "  2024-01-01: {A: [{upto: null, rate_bp: 5}, {upto: 5, rate_bp: 6}]}\n",
            ["A", "hanya baris terakhir"],
        ),
        ("rupiah", "  kemarin: 100\n", ["kemarin", "bukan tanggal"]),
        ("rupiah", "  2024-02-30: 100\n", ["tanggal tidak valid"]),
        ("rupiah", "  2024-01-01 10:00:00: 100\n", ["bukan tanggal"]),
        ("rupiah", "  2025-01-01: 100\n  2024-01-01: 120\n", ["berurutan naik"]),
        ("rupiah", "  2024-01-01: 100\n  2024-01-01: 120\n", ["kunci ganda '2024-01-01'", "baris 8"]),
        ("rupiah", "  2024-01-01: {I: 1, I: 2}\n", ["kunci ganda 'I'"]),
        ("rupiah", "  - 100\n", ["'values' harus mapping"]),
        ("rupee", "  2024-01-01: 100\n", ["unit 'rupee' tidak dikenal"]),
        ("{harga: rupee}", "  2024-01-01: {harga: 100}\n", ["harga: rupee", "tidak dikenal"]),
    ],
)
def test_malformed_values_name_file_key_date_and_problem(tmp_path, unit, values, fragments):
    with pytest.raises(ParameterError) as exc:
        load_parameter(write(tmp_path, unit, values), "contoh")
    message = str(exc.value)
    assert "contoh.yaml" in message
    for fragment in fragments:
        assert fragment in message, message


def test_missing_reference_and_unknown_key(tmp_path):
    good = HEAD.format(unit="rupiah") + "  2024-01-01: 100\n"
    (tmp_path / "a.yaml").write_text(good.replace("  - title: PP 1/2025\n    href: https://example.invalid\n", ""))
    with pytest.raises(ParameterError, match=r"a\.yaml: kunci 'reference' wajib diisi"):
        load_parameter(tmp_path / "a.yaml", "a")
    (tmp_path / "b.yaml").write_text(good.replace("  - title: PP 1/2025\n    href:", "  - href:"))
    with pytest.raises(ParameterError, match=r"b\.yaml: 'reference' harus daftar berisi title"):
        load_parameter(tmp_path / "b.yaml", "b")
    (tmp_path / "c.yaml").write_text(good + "catatan: x\n")
    with pytest.raises(ParameterError, match=r"c\.yaml: kunci tidak dikenal: catatan"):
        load_parameter(tmp_path / "c.yaml", "c")


def test_null_ends_a_parameter_and_null_leaf_is_an_open_band(tmp_path):
    path = write(
        tmp_path,
        "{upto: rupiah, rate_bp: basis_points}",
        "  2024-01-01: [{upto: 10, rate_bp: 5}, {upto: null, rate_bp: 6}]\n  2026-01-01: null\n",
    )
    p = load_parameter(path, "contoh")
    assert p.on(dt.date(2025, 1, 1))[1] == {"upto": None, "rate_bp": 6}


def test_load_pack_names_files_by_relative_path_and_reports_the_bad_one(tmp_path):
    (tmp_path / "tpp").mkdir()
    write(tmp_path / "tpp", "rupiah", "  2024-01-01: 1\n", "a.yaml")
    assert list(load_pack(tmp_path)) == ["tpp/a"]
    write(tmp_path / "tpp", "rupiah", "  2024-01-01: 1.5\n", "b.yaml")
    with pytest.raises(ParameterError, match=r"tpp/b\.yaml: values: 2024-01-01: \(nilai\): 1\.5 pecahan"):
        load_pack(tmp_path)


def test_unknown_region_and_missing_pack_directory(tmp_path):
    with pytest.raises(ParameterError, match="wilayah 'atlantis' tidak ada.*sawahlunto"):
        params_in_force(dt.date(2025, 1, 1), region="atlantis")
    with pytest.raises(ParameterError, match="direktori paket aturan tidak ditemukan"):
        params_in_force(dt.date(2025, 1, 1), extra_dir=tmp_path / "nope")
