import datetime as dt
from pathlib import Path

import pytest

from pamong.rules.params import ParameterError, ParameterNotInForce, load_parameter, param

GOOD = """description: contoh
unit: rupiah
reference:
  - title: PP 1/2025
    href: https://example.invalid
values:
  2024-01-01: 100
  2025-01-01: 120
  2026-01-01: null
"""


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "x.yaml"
    p.write_text(text)
    return p


def test_value_in_force_on_a_date(tmp_path):
    p = load_parameter(write(tmp_path, GOOD), "x")
    assert p.on(dt.date(2024, 12, 31)) == 100
    assert p.on(dt.date(2025, 1, 1)) == 120
    with pytest.raises(ParameterNotInForce):
        p.on(dt.date(2023, 12, 31))
    with pytest.raises(ParameterNotInForce):
        p.on(dt.date(2026, 6, 1))  # ended by null


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (GOOD.replace("2025-01-01", "2023-01-01"), "berurutan"),
        (GOOD.replace("  - title: PP 1/2025\n    href: https://example.invalid\n", "  []\n"), "reference"),
        (GOOD.replace("2024-01-01", "kemarin"), "bukan tanggal"),
        (GOOD + "extra: 1\n", "tidak dikenal"),
        ("values: [", "YAML tidak valid"),
    ],
)
def test_malformed_files_name_the_problem(tmp_path, text, fragment):
    with pytest.raises(ParameterError, match=fragment) as exc:
        load_parameter(write(tmp_path, text), "x")
    assert "x.yaml" in str(exc.value)


def test_shipped_national_parameters_load():
    assert param("kepegawaian/bup").on(dt.date(2026, 1, 1))["jpt"] == 60
    assert param("tunjangan/anak_syarat").on(dt.date(2026, 1, 1))["max_children_paid"] == 2
