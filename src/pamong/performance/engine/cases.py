"""Reading a case file for the performance contracts (`pamong performance predikat|calibrate CASE.json`).

Every refusal is a CaseError (a ValueError) with one message that names the file, field or row."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

MAX_FILE_BYTES = 20_000_000  # a calibration case may hold a whole province's ratings


class CaseError(ValueError):
    """A malformed case; the message names the field or row."""


def load_case(path: str | Path) -> Any:
    """The case file as parsed JSON (UTF-8, a byte-order mark allowed, or UTF-16/32 as JSON detects it)."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise CaseError(f"{path}: tidak dapat dibaca: {exc.strerror}") from None
    if len(data) > MAX_FILE_BYTES:
        raise CaseError(f"{path}: berkas lebih besar dari {MAX_FILE_BYTES // 1_000_000} MB")
    try:
        return json.loads(data)
    except UnicodeDecodeError:
        raise CaseError(f"{path}: bukan teks UTF-8; simpan ulang sebagai UTF-8") from None
    except json.JSONDecodeError as exc:
        raise CaseError(f"{path}: JSON tidak valid: {exc}") from None
    except RecursionError:
        raise CaseError(f"{path}: JSON bersarang terlalu dalam") from None


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
