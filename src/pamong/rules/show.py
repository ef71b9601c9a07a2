"""`pamong rules show`: every parameter in force on a date, with its unit, the date it took effect and its legal
reference, as readable text. Tables are summarised one row per line (gaji pokok: one line per golongan)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from pamong.rules.params import Parameter, merged_pack

WIDTH = 118
UNIT_WORDS = {"years": "tahun", "months": "bulan", "days": "hari", "minutes": "menit", "persons": "orang", "kg": "kg"}


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def format_leaf(unit: str, leaf: Any) -> str:
    if leaf is None:
        return "tanpa batas"
    if unit == "rupiah":
        return f"Rp{_thousands(leaf)}"
    if unit == "basis_points":
        whole, frac = divmod(leaf, 100)
        return f"{whole},{frac:02d}".rstrip("0").rstrip(",") + " %"
    if unit == "boolean":
        return "ya" if leaf else "tidak"
    if unit in ("code",):
        return str(leaf)
    return f"{leaf} {UNIT_WORDS.get(unit, unit)}"


def _unit_text(unit: str | dict[str, str]) -> str:
    if isinstance(unit, str):
        return unit
    return ", ".join(f"{k}: {u}" for k, u in unit.items())


def _is_scalar(v: Any) -> bool:
    return not isinstance(v, dict | list)


def _render(p: Parameter, value: Any, path: tuple[Any, ...], indent: str) -> list[str]:
    """Scalars as 'key: value'; a mapping or list whose items are all scalars (a table row) on one wrapped line."""
    if _is_scalar(value):
        return [f"{indent}{format_leaf(p.unit_of(path), value)}"]
    if _is_bands(value):
        return _wrap(indent, [_band_cell(p, path, i, row) for i, row in enumerate(value)])
    items = list(value.items()) if isinstance(value, dict) else list(enumerate(value, start=1))
    lines: list[str] = []
    if all(_is_scalar(v) for _, v in items):
        cells = [f"{k}: {format_leaf(p.unit_of((*path, k)), v)}" for k, v in items]
        return _wrap(indent, cells)
    for key, item in items:
        sub = (*path, key if isinstance(value, dict) else key - 1)
        if _is_scalar(item):
            lines.append(f"{indent}{key}: {format_leaf(p.unit_of(sub), item)}")
        elif isinstance(item, dict) and all(_is_scalar(v) for v in item.values()):
            cells = [f"{k}: {format_leaf(p.unit_of((*sub, k)), v)}" for k, v in item.items()]
            lines.extend(_wrap(f"{indent}{key} — ", cells, continuation=indent + "    "))
        elif _is_bands(item):
            bands = [_band_cell(p, sub, i, r) for i, r in enumerate(item)]
            lines.extend(_wrap(f"{indent}{key} — ", bands, continuation=indent + "    "))
        else:
            lines.append(f"{indent}{key}:")
            lines.extend(_render(p, item, sub, indent + "  "))
    return lines


def _is_bands(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(r, dict) and "upto" in r for r in value)


def _band_cell(p: Parameter, path: tuple[Any, ...], i: int, row: dict[str, Any]) -> str:
    """One band of a bracket table: '≤ Rp5.400.000: 0 %' (the last, unbounded band: 'selebihnya: 34 %')."""
    upto = row["upto"]
    head = "selebihnya" if upto is None else f"≤ {format_leaf(p.unit_of((*path, i, 'upto')), upto)}"
    rest = ", ".join(format_leaf(p.unit_of((*path, i, k)), v) for k, v in row.items() if k != "upto")
    return f"{head}: {rest}"


def _wrap(first: str, cells: list[str], continuation: str | None = None) -> list[str]:
    lines, current = [], first
    cont = continuation if continuation is not None else first
    for cell in cells:
        sep = "" if current in (first, cont) else " · "
        if len(current) + len(sep) + len(cell) > WIDTH and current not in (first, cont):
            lines.append(current)
            current, sep = cont, ""
        current += sep + cell
    lines.append(current)
    return lines


def show(on: dt.date, region: str | None = None, pack_dir: Path | str | None = None) -> str:
    layers = "nasional" + (f" + wilayah {region}" if region else "") + (f" + paket {pack_dir}" if pack_dir else "")
    out = [f"Parameter yang berlaku pada {on.isoformat()} ({layers})", ""]
    not_in_force = []
    for name, (layer, p) in merged_pack(region, pack_dir).items():
        found = [(since, value) for since, value in p.values if since <= on]
        if not found or found[-1][1] is None:
            not_in_force.append(name)
            continue
        since, value = found[-1]
        out.append(f"{name} — {p.description}")
        out.append(f"  unit: {_unit_text(p.unit)} · berlaku sejak {since.isoformat()} · paket: {layer}")
        for ref in p.reference:
            href = f" <{ref['href']}>" if ref.get("href") else ""
            out.append(f"  dasar: {ref['title']}{href}")
        out.extend(_render(p, value, (), "    "))
        out.append("")
    if not_in_force:
        out.append(f"Tidak berlaku pada tanggal itu: {', '.join(not_in_force)}")
    return "\n".join(out).rstrip() + "\n"
