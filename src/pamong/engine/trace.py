"""The trace of a computation: for every line, its inputs, the parameters used (name, date in force, value, legal
reference) and its result. The engine calls `tracer.line(...)` on the same code path that computes the amount, so
the explanation cannot drift from the computation. `NullTracer` returns the result and records nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from pamong.engine.rounding import Amount


@dataclass(frozen=True)
class ParamUse:
    """One parameter as the engine used it. `value` is a scalar, or a per-person array when the parameter is a
    table and each person uses one cell of it (gaji pokok, TER rate)."""

    name: str
    value: Any
    since: dt.date | None = None  # the date the value took effect (None for a value given by the case)
    reference: tuple[dict[str, str], ...] = ()
    source: str = "nasional"  # "nasional", a region, or "kasus" (the case's policy)
    unit: str | dict[str, str] | None = None  # as in the parameter file (rupiah, basis_points, ...), for display

    def at(self, value: Any, unit: str | dict[str, str] | None = None) -> ParamUse:
        """The same parameter with a different (e.g. per-person) value, and unit if that changes too."""
        return ParamUse(self.name, value, self.since, self.reference, self.source, unit or self.unit)


def _pick(value: Any, i: int) -> Any:
    if isinstance(value, np.ndarray):
        value = value[i] if value.ndim else value[()]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return {k: _pick(v, i) for k, v in value.items()}
    return value


@dataclass
class TraceLine:
    code: str
    result: Amount
    inputs: dict[str, Any]
    params: list[ParamUse]

    def for_person(self, i: int) -> dict[str, Any]:
        return {
            "result": _pick(self.result, i),
            "inputs": {k: _pick(v, i) for k, v in self.inputs.items()},
            "params": [
                {
                    "name": p.name,
                    "value": _pick(p.value, i),
                    "since": p.since.isoformat() if p.since else None,
                    "source": p.source,
                    "unit": p.unit,
                    "reference": [dict(r) for r in p.reference],
                }
                for p in self.params
                if _pick(p.value, i) is not None
            ],
        }


@dataclass
class Tracer:
    lines: dict[str, TraceLine] = field(default_factory=dict)

    def line(
        self,
        code: str,
        result: Amount,
        *,
        inputs: dict[str, Any] | None = None,
        params: list[ParamUse] | None = None,
    ) -> Amount:
        self.lines[code] = TraceLine(code, result, dict(inputs or {}), list(params or []))
        return result

    def for_person(self, i: int) -> dict[str, Any]:
        return {code: line.for_person(i) for code, line in self.lines.items()}


class NullTracer(Tracer):
    """Records nothing; `line` only hands back the result."""

    def line(
        self,
        code: str,
        result: Amount,
        *,
        inputs: dict[str, Any] | None = None,
        params: list[ParamUse] | None = None,
    ) -> Amount:
        return result


def catalogue(tracer: Tracer) -> dict[str, dict[str, Any]]:
    """Every parameter the traced lines used: name → date in force, source, unit and legal reference. Stored once
    per payroll run, so a stored per-person trace only carries each parameter's name and value."""
    out: dict[str, dict[str, Any]] = {}
    for line in tracer.lines.values():
        for p in line.params:
            out.setdefault(
                p.name,
                {
                    "since": p.since.isoformat() if p.since else None,
                    "source": p.source,
                    "unit": p.unit,
                    "reference": [dict(r) for r in p.reference],
                },
            )
    return out


def _as_list(value: Any, n: int) -> list[Any]:
    """A per-person column as a plain list of n (a scalar or dict is repeated; dicts are picked per person)."""
    if isinstance(value, np.ndarray) and value.ndim == 1 and value.shape[0] == n:
        return value.tolist()
    if isinstance(value, dict):
        cols = {k: _as_list(v, n) for k, v in value.items()}
        return [{k: cols[k][i] for k in cols} for i in range(n)]
    return [_pick(value, 0)] * n


def _per_person(value: Any, n: int) -> bool:
    if isinstance(value, np.ndarray) and value.ndim == 1 and value.shape[0] == n:
        return True
    return isinstance(value, dict) and any(_per_person(v, n) for v in value.values())


LINES = "_lines"  # the catalogue key holding each line's parameters that are the same for everyone


def shared_params(tracer: Tracer, n: int, prefixes: tuple[str, ...]) -> dict[str, list[list[Any]]]:
    """code → its parameters in order, as [name, value, per_person]: the value when it is the same for everyone
    (a rate, a policy choice, a whole table), None and per_person=True when each person used their own cell."""
    return {
        code: [
            [p.name, None, True] if _per_person(p.value, n) else [p.name, _pick(p.value, 0), False] for p in line.params
        ]
        for code, line in tracer.lines.items()
        if code.startswith(prefixes)
    }


def compact(tracer: Tracer, n: int, prefixes: tuple[str, ...]) -> list[dict[str, list[Any]]]:
    """The trace of lines whose code starts with one of `prefixes`, per person, compactly:
    code → [result, {input: value}, [[position of the parameter in the line, value], ...]] for the parameters whose
    value is the person's own (the others are stored once, by shared_params). Arrays are turned into lists once per
    line, not once per person."""
    people: list[dict[str, list[Any]]] = [{} for _ in range(n)]
    for code, line in tracer.lines.items():
        if not code.startswith(prefixes):
            continue
        results = _as_list(line.result, n)
        inputs = {k: _as_list(v, n) for k, v in line.inputs.items()}
        own = [(i, _as_list(p.value, n)) for i, p in enumerate(line.params) if _per_person(p.value, n)]
        for i in range(n):
            people[i][code] = [
                results[i],
                {k: col[i] for k, col in inputs.items()},
                [[pos, col[i]] for pos, col in own if col[i] is not None],
            ]
    return people


def expand(compacted: dict[str, list[Any]], catalogue: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A stored compact trace back in the shape of Tracer.for_person (what pamong.engine.explain reads)."""
    lines = catalogue.get(LINES, {})
    out = {}
    for code, (result, inputs, own) in compacted.items():
        mine = dict((pos, value) for pos, value in own)
        params = []
        for pos, (name, value, per_person) in enumerate(lines.get(code, [])):
            value = mine.get(pos) if per_person else value
            if value is not None:
                params.append({"name": name, "value": value, **catalogue.get(name, {})})
        out[code] = {"result": result, "inputs": inputs, "params": params}
    return out
