"""Dated parameters: one YAML file per concept, every value keyed by the date it takes effect, with its legal
reference. `param("kepegawaian/bup").on(date)` gives the value in force on that date.

File shape (docs/rule-pack.md):
    description: text
    unit: rupiah | basis_points | years | ...      # or {key: unit, ...} when leaves differ (see UNITS)
    reference: [{title: ..., href: ...}]
    values: {YYYY-MM-DD: value, ...}                # a null value ends the parameter
    documentation: text                             # optional

A pack is a directory of such files; a parameter's name is its path under the directory without '.yaml'.
National parameters ship in rules/national/, example regional packs in rules/regions/<name>/; a city can keep its
own pack anywhere and pass it as `extra_dir`. Later packs override earlier ones name by name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

NATIONAL_DIR = Path(__file__).parent / "national"
REGIONS_DIR = Path(__file__).parent / "regions"

BASIS_POINTS_MAX = 10000  # 100 %

# unit → what its leaves must be. A null leaf means "none / no upper limit" (e.g. the last tax band).
_COUNT_UNITS = ("years", "months", "days", "minutes", "persons", "kg")
UNITS: dict[str, str] = {
    "rupiah": "bilangan bulat rupiah ≥ 0",
    "basis_points": f"bilangan bulat basis poin 0..{BASIS_POINTS_MAX} (1 % = 100)",
    **{u: f"bilangan bulat {u} ≥ 0" for u in _COUNT_UNITS},
    "code": "teks (kode)",
    "boolean": "true atau false",
}


class ParameterError(ValueError):
    """A parameter file is malformed; the message names the file, the key and what is wrong."""


class ParameterNotInForce(LookupError):
    pass


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    unit: str | dict[str, str]
    reference: tuple[dict[str, str], ...]
    values: tuple[tuple[dt.date, Any], ...]  # sorted by date
    documentation: str = ""
    source: str = ""  # the file it was loaded from

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

    def unit_of(self, path: tuple[Any, ...]) -> str:
        """The unit of the leaf at `path` (keys from the value's root): the file's unit, or for a per-key unit
        mapping the unit of the nearest key on the path that the mapping names."""
        if isinstance(self.unit, str):
            return self.unit
        for key in reversed(path):
            if isinstance(key, str) and key in self.unit:
                return self.unit[key]
        raise KeyError(path)


@dataclass(frozen=True)
class InForce:
    parameter: Parameter
    since: dt.date
    value: Any


class _DuplicateKey(Exception):
    pass


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key twice in one mapping (plain PyYAML keeps the last one silently)."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
        if not isinstance(key, Hashable):
            continue  # SafeLoader's own construct_mapping reports unhashable keys
        if key in seen:
            raise _DuplicateKey(f"kunci ganda '{key}' (baris {key_node.start_mark.line + 1})")
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _path_text(path: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in path) if path else "(nilai)"


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _leaves(v, (*path, i))
    else:
        yield path, value


def _leaf_problem(unit: str, leaf: Any) -> str | None:
    if leaf is None:
        return None
    if unit == "code":
        return None if isinstance(leaf, str) and leaf else f"{leaf!r} bukan teks"
    if unit == "boolean":
        return None if isinstance(leaf, bool) else f"{leaf!r} bukan true/false"
    if isinstance(leaf, float):
        return f"{leaf!r} pecahan (float); tulis bilangan bulat, persen sebagai basis poin (0,24 % = 24)"
    if isinstance(leaf, bool) or not isinstance(leaf, int):
        return f"{leaf!r} bukan bilangan bulat"
    if leaf < 0:
        return f"{leaf} negatif"
    if unit == "basis_points" and leaf > BASIS_POINTS_MAX:
        return f"{leaf} basis poin melebihi {BASIS_POINTS_MAX} (100 %)"
    return None


def _check_bands(value: Any, path: tuple[Any, ...] = ()) -> str | None:
    """Lists of rows with an 'upto' key are bands: upper bounds strictly ascending, only the last may be null."""
    if isinstance(value, dict):
        for k, v in value.items():
            if problem := _check_bands(v, (*path, k)):
                return problem
    elif isinstance(value, list) and value and all(isinstance(r, dict) and "upto" in r for r in value):
        bounds = [r["upto"] for r in value]
        if any(b is None for b in bounds[:-1]):
            return f"{_path_text(path)}: hanya baris terakhir boleh tanpa batas atas (upto: null)"
        finite = [b for b in bounds if b is not None]
        if any(b >= c for b, c in zip(finite, finite[1:], strict=False)):
            return f"{_path_text(path)}: batas atas (upto) harus naik"
    return None


def _check_value(where: str, unit: str | dict[str, str], since: dt.date, value: Any) -> None:
    at = f"{where}: values: {since.isoformat()}"
    if value is None:
        return  # ends the parameter
    for path, leaf in _leaves(value):
        if isinstance(unit, str):
            leaf_unit = unit
        else:
            named = [k for k in reversed(path) if isinstance(k, str) and k in unit]
            if not named:
                raise ParameterError(f"{at}: {_path_text(path)}: tidak ada unit untuk kunci ini di 'unit'")
            leaf_unit = unit[named[0]]
        if problem := _leaf_problem(leaf_unit, leaf):
            raise ParameterError(f"{at}: {_path_text(path)}: {problem} (unit {leaf_unit}: {UNITS[leaf_unit]})")
    if problem := _check_bands(value):
        raise ParameterError(f"{at}: {problem}")


def _check_unit(where: str, unit: Any) -> str | dict[str, str]:
    if isinstance(unit, str):
        if unit not in UNITS:
            raise ParameterError(f"{where}: unit '{unit}' tidak dikenal (pilih: {', '.join(UNITS)})")
        return unit
    if isinstance(unit, dict) and unit:
        for key, u in unit.items():
            if not isinstance(key, str) or u not in UNITS:
                raise ParameterError(f"{where}: unit: '{key}: {u}' tidak dikenal (pilih: {', '.join(UNITS)})")
        return dict(unit)
    raise ParameterError(f"{where}: 'unit' harus nama unit atau mapping kunci → unit")


def load_parameter(path: Path, name: str) -> Parameter:
    where = str(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # a SafeLoader subclass
    except _DuplicateKey as exc:  # e.g. the same date twice: plain YAML would keep the last value silently
        raise ParameterError(f"{where}: {exc}") from None
    except yaml.YAMLError as exc:
        raise ParameterError(f"{where}: YAML tidak valid: {exc}") from None
    except ValueError as exc:  # e.g. 2024-02-30 fails in the timestamp constructor
        raise ParameterError(f"{where}: tanggal tidak valid: {exc}") from None
    if not isinstance(data, dict):
        raise ParameterError(f"{where}: isi berkas harus berupa mapping")
    unknown = set(data) - {"description", "unit", "reference", "values", "documentation"}
    if unknown:
        raise ParameterError(f"{where}: kunci tidak dikenal: {', '.join(sorted(map(str, unknown)))}")
    for key in ("description", "unit", "reference", "values"):
        if not data.get(key):
            raise ParameterError(f"{where}: kunci '{key}' wajib diisi")
    unit = _check_unit(where, data["unit"])
    refs = data["reference"]
    if not isinstance(refs, list) or not all(isinstance(r, dict) and r.get("title") for r in refs):
        raise ParameterError(f"{where}: 'reference' harus daftar berisi title (dan href)")
    if not isinstance(data["values"], dict):
        raise ParameterError(f"{where}: 'values' harus mapping tanggal → nilai")
    values = []
    for key, value in data["values"].items():
        if not isinstance(key, dt.date) or isinstance(key, dt.datetime):
            raise ParameterError(f"{where}: values: '{key}' bukan tanggal YYYY-MM-DD")
        _check_value(where, unit, key, value)
        values.append((key, value))
    dates = [d for d, _ in values]
    if dates != sorted(dates):
        raise ParameterError(f"{where}: values: tanggal harus berurutan naik")
    return Parameter(
        name,
        str(data["description"]),
        unit,
        tuple(refs),
        tuple(values),
        documentation=str(data.get("documentation") or ""),
        source=where,
    )


def load_pack(directory: Path | str) -> dict[str, Parameter]:
    """Every *.yaml under `directory` (recursively), keyed by its relative path without '.yaml'."""
    root = Path(directory)
    if not root.is_dir():
        raise ParameterError(f"{root}: direktori paket aturan tidak ditemukan")
    pack = {}
    for path in sorted(root.rglob("*.yaml")):
        name = path.relative_to(root).with_suffix("").as_posix()
        pack[name] = load_parameter(path, name)
    return pack


def region_dir(region: str) -> Path:
    path = REGIONS_DIR / region
    if not region or "/" in region or not path.is_dir():
        known = sorted(p.name for p in REGIONS_DIR.iterdir() if p.is_dir()) if REGIONS_DIR.is_dir() else []
        raise ParameterError(f"wilayah '{region}' tidak ada di {REGIONS_DIR} (tersedia: {', '.join(known) or '-'})")
    return path


@cache
def _shipped_pack(directory: str) -> dict[str, Parameter]:
    """Packs shipped inside the package do not change while the process runs: parse them once (~140 ms each
    time otherwise). A city's own directory (extra_dir) is read afresh, so an edited file takes effect."""
    return load_pack(directory)


def merged_pack(region: str | None = None, extra_dir: Path | str | None = None) -> dict[str, tuple[str, Parameter]]:
    """national, then regions/<region>/, then extra_dir; a later file overrides an earlier one with the same name.
    Returns {name: (layer, Parameter)} where layer is 'nasional', the region name, or the extra directory."""
    layers: list[tuple[str, Path]] = [("nasional", NATIONAL_DIR)]
    if region:
        layers.append((region, region_dir(region)))
    if extra_dir is not None:
        layers.append((str(extra_dir), Path(extra_dir)))
    merged: dict[str, tuple[str, Parameter]] = {}
    for layer, directory in layers:
        shipped = directory.resolve().is_relative_to(Path(__file__).parent)
        for name, parameter in (_shipped_pack(str(directory)) if shipped else load_pack(directory)).items():
            merged[name] = (layer, parameter)
    return dict(sorted(merged.items()))


def params_in_force(on: dt.date, region: str | None = None, extra_dir: Path | str | None = None) -> dict[str, InForce]:
    """Every parameter of the merged pack that has a value on `on` (ended or not-yet-started ones are left out)."""
    found = {}
    for name, (_, parameter) in merged_pack(region, extra_dir).items():
        try:
            since, value = parameter.in_force(on)
        except ParameterNotInForce:
            continue
        found[name] = InForce(parameter, since, value)
    return found


@cache
def param(name: str) -> Parameter:
    """A national parameter by its path under rules/national, without '.yaml'."""
    return load_parameter(NATIONAL_DIR / f"{name}.yaml", name)
