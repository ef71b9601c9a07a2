"""Reading a case file for the performance contracts (`pamong performance predikat|calibrate CASE.json`).

Every refusal is a CaseError (a ValueError) with one message that names the file, field or row."""

from __future__ import annotations

import json
import math
from typing import Any

from pamong.core.cases import MAX_FILE_BYTES, CaseError, load_case  # noqa: F401  (re-exported)


def need_object(value: Any, where: str, error: type[CaseError] = CaseError) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise error(f"{where}: harus berupa objek JSON {{...}}")
    return value


def need_text(obj: dict[str, Any], key: str, where: str, error: type[CaseError] = CaseError) -> str:
    if key not in obj:
        raise error(f"{where}.{key}: wajib diisi")
    value = obj[key]
    if not isinstance(value, str) or not value.strip():
        raise error(f"{where}.{key}: harus berupa teks yang tidak kosong")
    return value


def need_number(
    obj: dict[str, Any], key: str, where: str, low: float, high: float, error: type[CaseError] = CaseError
) -> float:
    if key not in obj:
        raise error(f"{where}.{key}: wajib diisi")
    value = obj[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise error(f"{where}.{key}: harus berupa angka, bukan {json.dumps(value, ensure_ascii=False)[:40]}")
    if not low <= value <= high:
        raise error(f"{where}.{key}: {value} di luar rentang {low:g}..{high:g}")
    return float(value)


def need_list(obj: dict[str, Any], key: str, where: str = "", error: type[CaseError] = CaseError) -> list[Any]:
    name = f"{where}.{key}" if where else key
    if key not in obj:
        raise error(f"{name}: wajib diisi")
    value = obj[key]
    if not isinstance(value, list):
        raise error(f"{name}: harus berupa daftar [...]")
    if not value:
        raise error(f"{name}: daftar kosong; sekurang-kurangnya satu baris")
    return value
