"""The stored form of a trace (per person: results, inputs and their own parameter values; per run: each line's
shared parameters and the catalogue of dates and references) expands back to exactly what the tracer gives for
that person — so a payslip's explanation years later is the one computed that month."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from pamong.engine.month import compute_month
from pamong.engine.params import build_params
from pamong.engine.trace import LINES, Tracer, catalogue, compact, expand, shared_params
from tests.engine import reference
from tests.engine.test_reference_property import (
    employees,
    engine_facts,
    engine_policy,
    engine_ytd,
    examples,
    periods,
    policies,
    ytds,
)

PREFIXES = ("gaji.", "tpp.", "pemberi_kerja.")


@examples(60)
@given(
    period=periods,
    policy=policies(),
    people=st.lists(st.tuples(employees(), ytds()), min_size=1, max_size=12),
)
def test_compact_trace_expands_to_the_tracers_view(period: str, policy: dict[str, Any], people):
    persons = [p for p, _ in people]
    ytd = engine_ytd([y for _, y in people]) if period.endswith("-12") else None
    tracer = Tracer()
    facts = engine_facts(persons, policy)
    compute_month(facts, build_params(reference.period_date(period), engine_policy(policy)), tracer, ytd)
    n = facts.size
    stored = compact(tracer, n, PREFIXES)
    cat = catalogue(tracer) | {LINES: shared_params(tracer, n, PREFIXES)}
    for i in range(n):
        assert expand(stored[i], cat) == tracer.for_person(i)


@examples(10)
@given(person=employees(), policy=policies())
def test_shared_parameters_are_not_repeated_per_person(person: dict[str, Any], policy: dict[str, Any]):
    tracer = Tracer()
    facts = engine_facts([person, person], policy)
    compute_month(facts, build_params(reference.period_date("2025-11"), engine_policy(policy)), tracer)
    stored = compact(tracer, 2, PREFIXES)
    taspen = stored[0]["gaji.iuran_taspen"]
    assert taspen[2] == []  # the 8 % is in the run's catalogue, not on every payslip
    assert [name for name, _, own in shared_params(tracer, 2, PREFIXES)["gaji.iuran_taspen"] if not own] == [
        "iuran/taspen"
    ]
    assert stored[0]["gaji.gaji_pokok"][2]  # the table cell is the person's own
