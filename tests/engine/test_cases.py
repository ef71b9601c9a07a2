"""Hand-computed payroll cases (tests/engine/cases/*.json, golden format plus a `hitungan` list) against the engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from pamong.engine.simulate import simulate

from .conftest import load, walk

CASES_DIR = Path(__file__).parent / "cases"
CASES = sorted(CASES_DIR.glob("*.json"))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case_matches_hand_computation(path: Path) -> None:
    case = load(path)
    result = simulate(case)
    mismatches = list(walk(case["expected"], result))
    assert not mismatches, "\n".join(f"{where}: expected {want}, got {got}" for where, want, got in mismatches)


def test_there_are_enough_cases_and_each_shows_its_working() -> None:
    assert len(CASES) >= 10
    for path in CASES:
        case = load(path)
        hitungan = case.get("hitungan")
        assert isinstance(hitungan, list) and hitungan, f"{path.name}: empty hitungan"
        assert all(isinstance(line, str) and line.strip() for line in hitungan), path.name
        assert case.get("expected"), f"{path.name}: empty expected"
