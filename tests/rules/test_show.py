"""`show()` and `pamong rules show`: the values in force on a date, with unit, effective date and reference."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from pamong.rules.params import ParameterError, params_in_force
from pamong.rules.show import format_leaf, show

CITY_JKK = """description: Iuran JKK versi kota (uji)
unit: basis_points
reference:
  - title: Perwali Uji 1/2025
    href: https://example.invalid/perwali-1-2025
values:
  2024-01-01: 30
  2025-07-01: 50
"""

CITY_BONUS = """description: Bonus kota (uji)
unit: rupiah
reference:
  - title: Perwali Uji 2/2025
values:
  2025-01-01: {I: 100000, II: 150000}
  2026-01-01: null
"""


@pytest.fixture
def city_pack(tmp_path: Path) -> Path:
    (tmp_path / "iuran").mkdir()
    (tmp_path / "iuran" / "jkk.yaml").write_text(CITY_JKK)
    (tmp_path / "bonus.yaml").write_text(CITY_BONUS)
    return tmp_path


def section(text: str, name: str) -> str:
    start = text.index(f"\n{name} — ")
    end = text.find("\n\n", start + 1)
    return text[start : end if end != -1 else None]


def test_show_prints_the_value_before_and_after_a_change(city_pack):
    before = section(show(dt.date(2025, 6, 30), pack_dir=city_pack), "iuran/jkk")
    after = section(show(dt.date(2025, 7, 1), pack_dir=city_pack), "iuran/jkk")
    assert "berlaku sejak 2024-01-01" in before
    assert "\n    0,3 %" in before
    assert "berlaku sejak 2025-07-01" in after
    assert "\n    0,5 %" in after
    assert "dasar: Perwali Uji 1/2025 <https://example.invalid/perwali-1-2025>" in after
    assert f"paket: {city_pack}" in after


def test_show_leaves_out_ended_parameters_and_says_so(city_pack):
    in_2025 = show(dt.date(2025, 3, 1), pack_dir=city_pack)
    assert "I: Rp100.000 · II: Rp150.000" in section(in_2025, "bonus")
    in_2026 = show(dt.date(2026, 3, 1), pack_dir=city_pack)
    assert "\nbonus — " not in in_2026
    assert "Tidak berlaku pada tanggal itu: bonus" in in_2026


def test_show_national_values_with_units_dates_and_references():
    text = show(dt.date(2025, 3, 1))
    gaji = section(text, "gaji/pokok_pns")
    assert "unit: rupiah · berlaku sejak 2024-01-01 · paket: nasional" in gaji
    assert "PP 5/2024" in gaji
    assert "III/b — 0: Rp2.903.600 · 2: Rp2.995.000" in gaji
    ter = section(text, "pph21/ter_bulanan")
    assert "A — ≤ Rp5.400.000: 0 % · ≤ Rp5.650.000: 0,25 %" in ter
    assert "selebihnya: 34 %" in ter
    assert "batas_atas_upah: Rp12.000.000" in section(text, "iuran/bpjs_kesehatan")


def test_region_overrides_national_with_the_same_name(tmp_path):
    (tmp_path / "iuran").mkdir()
    (tmp_path / "iuran" / "jkk.yaml").write_text(CITY_JKK)
    assert params_in_force(dt.date(2025, 8, 1))["iuran/jkk"].value == 24
    assert params_in_force(dt.date(2025, 8, 1), extra_dir=tmp_path)["iuran/jkk"].value == 50
    region = params_in_force(dt.date(2025, 8, 1), region="sawahlunto", extra_dir=tmp_path)
    assert region["iuran/jkk"].value == 50  # the city's own directory overrides national and region
    assert region["tpp/bobot"].value["kinerja"] == 6000
    assert "paket: sawahlunto" in section(show(dt.date(2025, 8, 1), region="sawahlunto"), "tpp/bobot")


def test_show_reports_a_broken_pack(tmp_path):
    (tmp_path / "x.yaml").write_text(CITY_JKK.replace("30", "0.3"))
    with pytest.raises(ParameterError, match=r"x\.yaml: values: 2024-01-01"):
        show(dt.date(2025, 1, 1), pack_dir=tmp_path)


@pytest.mark.parametrize(
    ("unit", "leaf", "text"),
    [("rupiah", 1234567, "Rp1.234.567"), ("basis_points", 475, "4,75 %"), ("basis_points", 24, "0,24 %"),
     ("basis_points", 10000, "100 %"), ("basis_points", 50, "0,5 %"), ("years", 58, "58 tahun"),
     ("boolean", True, "ya"), ("rupiah", None, "tanpa batas")],
)  # fmt: skip
def test_format_leaf(unit, leaf, text):
    assert format_leaf(unit, leaf) == text


needs_app = pytest.mark.skipif(
    not apps.is_installed("pamong.rules"), reason="pamong.rules belum ada di INSTALLED_APPS (settings.py)"
)


@needs_app
def test_command_prints_show(city_pack):
    out = io.StringIO()
    call_command("rules", "show", "--on", "2025-07-01", "--region", "sawahlunto", "--pack", str(city_pack), stdout=out)
    assert out.getvalue() == show(dt.date(2025, 7, 1), region="sawahlunto", pack_dir=city_pack)


@needs_app
@pytest.mark.parametrize(
    ("args", "fragment"),
    [(["--on", "2025-13-01"], "bukan tanggal"), (["--region", "atlantis"], "wilayah 'atlantis' tidak ada")],
)
def test_command_refuses_bad_input_with_one_message(args, fragment):
    with pytest.raises(CommandError, match=fragment):
        call_command("rules", "show", *args, stdout=io.StringIO())
