"""Bounds of the facts one employee's month is computed from: one definition for every entry path — the employee
import and API (people/records.py), the monthly inputs import (payroll/inputs.py) and the engine's case files
(simulate.py). A value outside them is a typing error, never a fact; inside them no int64 product in the engine
can overflow (the largest is an amount × 20,000 basis points)."""

from __future__ import annotations

MKG_YEARS_MAX = 40  # masa kerja golongan, whole years (the longest PNS career is under 40 years of MKG)
MKG_MONTHS_MAX = 11
CAPAIAN_PCT_MAX = 200  # monthly performance achievement, percent
DISCIPLINE_COUNT_MAX = 31  # a band counts occurrences (or days) in one month
CHILDREN_MAX = 30  # children counted for an allowance; any policy pays at most a few
PERCENT_MAX = 100  # a share, weight or cut of an amount

# Money in a case or an import. Far above any real monthly pay (Rp1 billion) or year (Rp12 billion).
MONTHLY_RUPIAH_MAX = 1_000_000_000
YEARLY_RUPIAH_MAX = 12 * MONTHLY_RUPIAH_MAX
