"""Derived family facts: who is paid the spouse and child allowances, and the PTKP status for PPh 21.

Pure functions over plain data so the payroll facts builder and the UI derive them the same way; nothing here
is typed in by a user. Thresholds come from dated parameters (rules/national/tunjangan, pph21).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from pamong.rules.params import param


@dataclass(frozen=True)
class Spouse:
    receives_allowance_here: bool
    has_income: bool
    ended_on: dt.date | None = None


@dataclass(frozen=True)
class Child:
    birth_date: dt.date
    in_school: bool = False
    married: bool = False
    working: bool = False
    ended_on: dt.date | None = None


@dataclass(frozen=True)
class FamilyFacts:
    spouse_allowance: bool  # tunjangan istri/suami paid to this employee
    children_eligible: int  # children who qualify for tunjangan anak (before the max-children cap)
    children_paid: int  # after the cap
    ptkp: str  # TK/0..TK/3, K/0..K/3


def age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _active(ended_on: dt.date | None, on: dt.date) -> bool:
    return ended_on is None or ended_on > on


def child_qualifies(child: Child, on: dt.date) -> bool:
    rule = param("tunjangan/anak_syarat").on(on)
    if not _active(child.ended_on, on) or child.married or child.working:
        return False
    age = age_on(child.birth_date, on)
    return age < rule["max_age"] or (child.in_school and age < rule["max_age_in_school"])


def derive(gender: str, spouses: Iterable[Spouse], children: Iterable[Child], on: dt.date) -> FamilyFacts:
    rule = param("tunjangan/anak_syarat").on(on)
    max_dependants = param("pph21/ptkp_tanggungan").on(on)["max_dependants"]
    spouse = next((s for s in spouses if _active(s.ended_on, on)), None)
    eligible = sum(1 for c in children if child_qualifies(c, on))
    # A married man files K; a married woman files TK/0 unless her husband has no income (PMK 168/2023).
    married_status = spouse is not None and (gender == "L" or not spouse.has_income)
    if spouse is not None and not married_status:
        ptkp = "TK/0"
    else:
        ptkp = f"{'K' if married_status else 'TK'}/{min(eligible, max_dependants)}"
    return FamilyFacts(
        spouse_allowance=bool(spouse and spouse.receives_allowance_here),
        children_eligible=eligible,
        children_paid=min(eligible, rule["max_children_paid"]),
        ptkp=ptkp,
    )
