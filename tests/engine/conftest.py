from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

GOLDEN = Path("/work/shared/golden/payroll")
# the golden cases ship beside the spec; a copy of case 01 is inlined below so the other tests run without them
MONTHLY_CASES = sorted(GOLDEN.glob("0[123]-*.json"))


def walk(expected: dict[str, Any], actual: Any, path: str = ""):
    """Every expected leaf that differs from the actual output (absent counts as 0), like check-payroll-cases."""
    for key, want in expected.items():
        here = f"{path}.{key}" if path else key
        got = actual.get(key) if isinstance(actual, dict) else None
        if isinstance(want, dict):
            yield from walk(want, got if isinstance(got, dict) else {}, here)
        elif (got if got is not None else 0) != want:
            yield here, want, got


BASE_CASE: dict[str, Any] = {
    "name": "PNS III/b MKG 8, pelaksana, K/2",
    "period": "2025-11",
    "employee": {
        "status": "PNS",
        "golongan": "III/b",
        "mkg_years": 8,
        "jabatan": {"jenis": "pelaksana"},
        "spouse": {"is_pns": False, "allowance_here": True},
        "children_eligible": 2,
        "ptkp": "K/2",
        "tpp_pagu": 3000000,
    },
    "performance": {"capaian_pct": "100"},
    "discipline": {"TL1": 2, "TL2": 1},
    "policy": {
        "tpp_weight_kinerja_pct": "60",
        "tpp_weight_disiplin_pct": "40",
        "discipline_cut_pct": {
            "TL1": "0.5",
            "TL2": "1",
            "TL3": "1.25",
            "TL4": "1.5",
            "PSW1": "0.5",
            "PSW2": "1",
            "PSW3": "1.25",
            "PSW4": "1.5",
            "TK": "4",
        },
        "discipline_cut_applies_to": "disiplin_part",
        "tunjangan_anak_max_children": 2,
        "pph21_bruto_includes_employer_premiums": True,
        "pph21_tpp_method": "marginal",
    },
    "ytd": None,
}


@pytest.fixture
def case() -> dict[str, Any]:
    return copy.deepcopy(BASE_CASE)


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))
