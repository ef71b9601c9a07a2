"""Helpers for the calibration tests: a pool of ratees in Bidang A1 rated by several raters, rows written directly
(the engine comparison does not depend on who may rate)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pamong.accounts.models import Role
from pamong.performance.models import Rating
from pamong.performance.ratings import pool_of
from tests import factories as f

PERIOD = dt.date(2026, 1, 1)

# anchors B.7: raters A, B neutral, C lenient by +10; P1..P6
B7 = {
    "A": [60, 66, 69, 75, 81, 84],
    "B": [61, 64, 71, 74, 79, 86],
    "C": [71, 74, 80, 86, 89, 95],
}


def make_pool(perf: Any, table: dict[str, list[float | None]], role: str = "assessor") -> dict[str, Any]:
    """Ratees P1..Pn (pelaksana in Bidang A1) and one assessor login per rater name; returns names → objects."""
    n = len(next(iter(table.values())))
    ratees = [f.employee(perf.city.staff_pos, name=f"P{i + 1}") for i in range(n)]
    raters = {name: f.user(f"rater_{name.lower()}", role=Role.ASSESSOR) for name in table}
    pool = pool_of(ratees[0], PERIOD)
    for name, values in table.items():
        for emp, v in zip(ratees, values, strict=True):
            if v is None:
                continue
            Rating.objects.create(
                period_start=PERIOD,
                pool=pool,
                ratee=emp,
                rater=raters[name],
                rater_key=f"u{raters[name].pk}",
                rater_role=role,
                scores={"hasil_kerja": v},
                value=Decimal(str(v)),
            )
    return {"ratees": ratees, "raters": raters, "pool": pool}
