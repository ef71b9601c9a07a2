"""Dated parameters: one YAML file per concept, every value keyed by the date it takes effect, with its legal
reference. `param("kepegawaian/bup").on(date)` gives the value in force on that date.

File shape (docs/rule-pack.md):
    description: text
    unit: years | rupiah | basis_points | ...
    reference: [{title: ..., href: ...}]
    values: {YYYY-MM-DD: value, ...}      # a null value ends the parameter
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

NATIONAL_DIR = Path(__file__).parent / "national"


class ParameterError(ValueError):
    """A parameter file is malformed; the message names the file, the key and what is wrong."""


class ParameterNotInForce(LookupError):
    pass


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    unit: str
    reference: tuple[dict[str, str], ...]
    values: tuple[tuple[dt.date, Any], ...]  # sorted by date

    def in_force(self, on: dt.date) -> tuple[dt.date, Any]:
        found: tuple[dt.date, Any] | None = None
        for since, value in self.values:
            if since <= on:
                found = (since, value)
        if found is None or found[1] is None:
            raise ParameterNotInForce(f"{self.name}: tidak ada nilai yang berlaku pada {on.isoformat()}")
        return found

    def on(self, on: dt.date) -> Any:
        return self.in_force(on)[1]


def load_parameter(path: Path, name: str) -> Parameter:
    where = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ParameterError(f"{where}: YAML tidak valid: {exc}") from None
    if not isinstance(data, dict):
        raise ParameterError(f"{where}: isi berkas harus berupa mapping")
    unknown = set(data) - {"description", "unit", "reference", "values", "documentation"}
    if unknown:
        raise ParameterError(f"{where}: kunci tidak dikenal: {', '.join(sorted(unknown))}")
    for key in ("description", "unit", "reference", "values"):
        if not data.get(key):
            raise ParameterError(f"{where}: kunci '{key}' wajib diisi")
    refs = data["reference"]
    if not isinstance(refs, list) or not all(isinstance(r, dict) and r.get("title") for r in refs):
        raise ParameterError(f"{where}: 'reference' harus daftar berisi title (dan href)")
    values = []
    for key, value in data["values"].items():
        if not isinstance(key, dt.date):
            raise ParameterError(f"{where}: values: '{key}' bukan tanggal YYYY-MM-DD")
        values.append((key, value))
    dates = [d for d, _ in values]
    if dates != sorted(dates):
        raise ParameterError(f"{where}: values: tanggal harus berurutan naik")
    if len(set(dates)) != len(dates):
        raise ParameterError(f"{where}: values: tanggal ganda")
    return Parameter(name, data["description"], data["unit"], tuple(refs), tuple(values))


@cache
def param(name: str) -> Parameter:
    """A national parameter by its path under rules/national, without '.yaml'."""
    return load_parameter(NATIONAL_DIR / f"{name}.yaml", name)
