"""Reading a contract's case file (`pamong performance predikat|calibrate`, `pamong attendance recap`): JSON, with
one clear message naming the file for whatever is wrong with it. Pure: no Django."""

from __future__ import annotations

import json
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
