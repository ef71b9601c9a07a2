"""The year to date for December (spec rule 9): what the year's approved payslips before this month added to PPh 21
bruto, tax withheld on the gaji and TPP sides, and iuran pensiun, per employee — one query per chunk. Only approved
(or paid, closed) runs count: a draft or computed run of an earlier month is not income paid."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import numpy as np

from pamong.engine.facts import Ytd

from .models import FROZEN_STATES, Payslip, RunKind

FIELDS = ("bruto_gaji", "bruto_tpp", "pph_gaji", "pph_tpp", "iuran_pensiun")


def year_to_date(ids: list[int], period: dt.date) -> Ytd:
    """One row per id, in the order given."""
    sums: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    months: dict[int, set[dt.date]] = defaultdict(set)
    rows = Payslip.objects.filter(
        employee_id__in=ids, period__gte=period.replace(month=1), period__lt=period, run__state__in=FROZEN_STATES
    ).values_list("employee_id", "kind", "period", "year")
    for emp_id, kind, month, year in rows:
        for key in FIELDS:
            sums[emp_id][key] += int((year or {}).get(key, 0))
        if kind == RunKind.GAJI:
            months[emp_id].add(month)

    def col(values: list[int]) -> np.ndarray:
        return np.array(values, dtype=np.int64)

    return Ytd(
        months=col([len(months[i]) for i in ids]),
        bruto_gaji=col([sums[i]["bruto_gaji"] for i in ids]),
        bruto_total=col([sums[i]["bruto_gaji"] + sums[i]["bruto_tpp"] for i in ids]),
        pph21_gaji_withheld=col([sums[i]["pph_gaji"] for i in ids]),
        pph21_tpp_withheld=col([sums[i]["pph_tpp"] for i in ids]),
        iuran_pensiun=col([sums[i]["iuran_pensiun"] for i in ids]),
    )
