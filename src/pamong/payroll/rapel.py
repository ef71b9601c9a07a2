"""Rapel runs: back pay for rank and KGB decrees whose TMT lies in months already paid.

For each of the LOOKBACK months before the run's month that has an approved (or later) gaji payslip, the facts
as paid are that payslip's snapshot, and the facts as due are the same snapshot with the golongan and MKG in force
at that month by the rank and KGB histories (so a decree entered in November with an August TMT shows as August,
September and October differences). The TPP actually paid that month (its payslip's ceiling, score and discipline)
is carried into both, so the combined BPJS cap is applied as it was. Seven queries per chunk."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from pamong.engine.params import build_params
from pamong.engine.rapel import Correction
from pamong.engine.region import region_rules
from pamong.people.models import RankHistory, SalaryRaiseHistory

from .facts import facts_of_rows
from .models import FROZEN_STATES, Payslip, RunKind
from .months import add_months

LOOKBACK = 12  # months a rapel run looks back for decrees with an earlier TMT


@dataclass
class RapelPlan:
    employee_ids: list[int]  # those with a difference, in the order of the batch
    corrections: list[Correction]
    months: dict[int, dict[str, Any]]  # employee id → month → {run, payslip, dibayar, seharusnya}


def _grade_at(history: list[tuple[dt.date, str, int]], month: dt.date) -> tuple[str, int] | None:
    """The golongan and MKG in force on the first day of `month` (the last decree with TMT ≤ that day)."""
    found = None
    for tmt, golongan, mkg in history:  # sorted by TMT
        if tmt <= month:
            found = (golongan, mkg)
    return found


def plan_rapel(ids: list[int], period: dt.date, region: str, due_now: dict[int, dict[str, Any]]) -> RapelPlan:
    """`due_now`: employee id → the payment month's fresh facts row (for employees with nothing paid in a month)."""
    months = [add_months(period, -k) for k in range(LOOKBACK, 0, -1)]
    history: dict[int, list[tuple[dt.date, str, int]]] = defaultdict(list)
    for model in (RankHistory, SalaryRaiseHistory):
        for emp_id, tmt, gol, mkg in model.objects.filter(employee_id__in=ids, tmt__lt=period).values_list(
            "employee_id", "tmt", "golongan", "mkg_years"
        ):
            history[emp_id].append((tmt, gol, mkg))
    for rows in history.values():
        rows.sort(key=lambda r: r[0])
    paid: dict[tuple[int, dt.date, Any], Payslip] = {}
    for slip in Payslip.objects.filter(
        employee_id__in=ids, period__in=months, kind__in=(RunKind.GAJI, RunKind.TPP), run__state__in=FROZEN_STATES
    ).only("id", "run_id", "employee_id", "period", "kind", "facts"):
        paid[(slip.employee_id, slip.period, slip.kind)] = slip

    changed: dict[int, dict[str, Any]] = defaultdict(dict)
    rows_paid: dict[dt.date, dict[int, dict[str, Any]]] = defaultdict(dict)
    rows_due: dict[dt.date, dict[int, dict[str, Any]]] = defaultdict(dict)
    for emp_id in ids:
        for month in months:
            gaji = paid.get((emp_id, month, RunKind.GAJI))
            grade = _grade_at(history[emp_id], month)
            if gaji is None or grade is None:
                continue
            was = dict(gaji.facts)
            tpp = paid.get((emp_id, month, RunKind.TPP))
            for key in ("capaian_bp", "discipline", "sanction", "tpp_pagu"):  # the TPP as it was paid, or none
                was[key] = tpp.facts[key] if tpp else ({} if key == "discipline" else None if key == "sanction" else 0)
            should = was | {"golongan": grade[0], "mkg_years": grade[1]}
            if (should["golongan"], should["mkg_years"]) == (was["golongan"], was["mkg_years"]):
                continue
            rows_paid[month][emp_id], rows_due[month][emp_id] = was, should
            changed[emp_id][f"{month:%Y-%m}"] = {
                "run": gaji.run_id,
                "payslip": gaji.id,
                "dibayar": {"golongan": was["golongan"], "mkg_years": was["mkg_years"]},
                "seharusnya": {"golongan": grade[0], "mkg_years": grade[1]},
            }
    order = [i for i in ids if i in changed]
    corrections = []
    for month in sorted(rows_due):
        rules = region_rules(month, region)
        params = build_params(month, rules.policy)
        # an employee without a difference in this month is paid = due (their fresh row): a zero difference
        as_paid = [rows_paid[month].get(i) or _as_snapshot(due_now[i]) for i in order]
        as_due = [rows_due[month].get(i) or _as_snapshot(due_now[i]) for i in order]
        paid_facts = facts_of_rows(as_paid, rules, month, stored_pagu=True)
        corrections.append(Correction(params, paid_facts, facts_of_rows(as_due, rules, month, stored_pagu=True)))
    return RapelPlan(order, corrections, dict(changed))


def _as_snapshot(row: dict[str, Any]) -> dict[str, Any]:
    return dict(row) | {"tpp_pagu": 0}
