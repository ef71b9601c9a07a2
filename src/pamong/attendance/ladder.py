"""The PP 94/2021 ladder for absence without valid reason (tidak masuk kerja tanpa alasan yang sah, TK): the year's
cumulative TK days (plus lateness and early-leave minutes converted to days where the region does so) and the
longest run of consecutive TK working days → the recommended sanction. Pure: no Django, no database; the rule pack's
values come in as plain mappings (rules/national/disiplin/tidak_masuk_kerja.yaml,
rules/regions/<region>/disiplin/konversi_terlambat.yaml)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

TK = "T"  # a working day without valid reason (MonthRecap.days)
NO_WORK = "-"  # not a working day (weekend, holiday): neither counts nor breaks a run


@dataclass(frozen=True)
class Step:
    code: str  # the sanction code (the region's tpp/hukuman_disiplin key)
    level: str  # ringan | sedang | berat
    low: int  # first cumulative day of the step
    high: int | None  # last one (None: no upper bound)


@dataclass(frozen=True)
class Ladder:
    steps: tuple[Step, ...]  # lightest first
    run_days: int  # consecutive TK working days that lead straight to `run_code`
    run_code: str
    run_level: str

    def rank(self, code: str) -> int:
        """The position of a sanction code on the ladder (0 = none or not a ladder code; higher = heavier)."""
        for i, s in enumerate(self.steps, start=1):
            if s.code == code:
                return i
        return 0

    def step(self, code: str) -> Step | None:
        return next((s for s in self.steps if s.code == code), None)


@dataclass(frozen=True)
class Conversion:
    active: bool
    minutes_per_day: int

    def days(self, minutes: int) -> int:
        """Whole absence days from accumulated lateness + early-leave minutes (the remainder is dropped)."""
        if not self.active or self.minutes_per_day <= 0:
            return 0
        return max(minutes, 0) // self.minutes_per_day


NO_CONVERSION = Conversion(active=False, minutes_per_day=0)


@dataclass(frozen=True)
class Recommendation:
    code: str | None  # None: no threshold reached
    level: str  # ringan | sedang | berat | ""
    tk_days: int  # counted TK days (recorded + converted)
    tk_recorded: int
    converted_days: int
    minutes: int  # lateness + early-leave minutes of the year
    longest_run: int
    step: Step | None  # the cumulative step reached
    run_reached: bool  # the consecutive-days threshold reached


def ladder_from(value: Mapping[str, Any]) -> Ladder:
    """The ladder from the rule pack's value (disiplin/tidak_masuk_kerja)."""
    steps = tuple(
        Step(code=str(r["hukuman"]), level=str(r["tingkat"]), low=int(r["dari"]),
             high=None if r.get("sampai") is None else int(r["sampai"]))
        for r in value["kumulatif"]
    )  # fmt: skip
    for a, b in zip(steps, steps[1:], strict=False):
        if a.high is None or b.low != a.high + 1:
            raise ValueError(f"disiplin/tidak_masuk_kerja: tangga tidak bersambung antara {a.code} dan {b.code}")
    run = value["berturut_turut"]
    run_code = str(run["hukuman"])
    if run_code not in {s.code for s in steps}:
        raise ValueError(f"disiplin/tidak_masuk_kerja: hukuman berturut-turut '{run_code}' tidak ada di tangga")
    return Ladder(steps=steps, run_days=int(run["hari"]), run_code=run_code, run_level=str(run["tingkat"]))


def conversion_from(value: Mapping[str, Any] | None) -> Conversion:
    if not value:
        return NO_CONVERSION
    return Conversion(active=bool(value["aktif"]), minutes_per_day=int(value["menit_per_hari"]))


def longest_tk_run(months: Iterable[str | None]) -> int:
    """The longest run of consecutive TK working days over the months' day letters, in date order: 'T' extends the
    run, '-' (no work: weekend, holiday) neither extends nor breaks it, any other letter breaks it. A month without
    letters (None: no recap) breaks it too: a run is never claimed across days nobody computed."""
    best = run = 0
    for letters in months:
        if letters is None:
            run = 0
            continue
        for ch in letters:
            if ch == TK:
                run += 1
                best = max(best, run)
            elif ch != NO_WORK:
                run = 0
    return best


def recommend(ladder: Ladder, *, tk_days: int, minutes: int = 0, longest_run: int = 0,
              conversion: Conversion = NO_CONVERSION) -> Recommendation:  # fmt: skip
    """The heaviest sanction the year's counts reach: the cumulative step that holds the TK days (recorded +
    converted), or the consecutive-days sanction when the run reaches it, whichever is heavier."""
    converted = conversion.days(minutes)
    total = tk_days + converted
    best: Step | None = None
    for s in ladder.steps:
        if total >= s.low:
            best = s
    code, level = (best.code, best.level) if best else (None, "")
    run_reached = longest_run >= ladder.run_days
    if run_reached and ladder.rank(ladder.run_code) > ladder.rank(code or ""):
        code, level = ladder.run_code, ladder.run_level
    return Recommendation(code=code, level=level, tk_days=total, tk_recorded=tk_days, converted_days=converted,
                          minutes=minutes, longest_run=longest_run, step=best, run_reached=run_reached)  # fmt: skip
