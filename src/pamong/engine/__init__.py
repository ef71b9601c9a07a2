"""The payroll engine: pure (no Django, no I/O), vectorised over a batch (numpy int64), traced.

facts (Facts) + parameters (params.build_params) → compute_month → gaji and TPP slip lines per person; December with
the year-to-date totals (Ytd).
"""

from pamong.engine.facts import Facts, Ytd
from pamong.engine.month import Month, compute_month
from pamong.engine.params import EngineParams, Policy, Unsupported, build_params
from pamong.engine.trace import NullTracer, Tracer

__all__ = [
    "EngineParams",
    "Facts",
    "Month",
    "NullTracer",
    "Policy",
    "Tracer",
    "Unsupported",
    "Ytd",
    "build_params",
    "compute_month",
]
