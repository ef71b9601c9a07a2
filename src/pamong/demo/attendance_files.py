"""Synthetic attendance machine exports for the demo city: what each OPD's fingerprint machine would have recorded
over a month, written in the ZKTeco attlog text format that Pamong imports. Pure data and `random.Random`.

The habits are plausible rather than measured: most people arrive between 06:50 and 07:30 and leave after the end of
the day; a minority are habitually late (a long tail of 1–60 minutes, rarely more); one in a few hundred days has
only one punch (a forgotten punch); a few people miss a day or two without leave (TK). Days on leave or on travel
have no punches."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Enrolled:
    """An employee enrolled on a machine: the machine's PIN for them, and the days they are away (leave, travel)."""

    pin: str
    habit: float  # 0 punctual .. 1 habitually late
    away: frozenset[dt.date]
    tk_days: frozenset[dt.date]


@dataclass(frozen=True)
class WorkDay:
    date: dt.date
    start: int  # seconds after midnight
    end: int


def _clamp(x: int) -> int:
    return max(0, min(86399, x))


def person_punches(rng: random.Random, who: Enrolled, days: Iterable[WorkDay]) -> list[tuple[str, dt.date, int]]:
    out: list[tuple[str, dt.date, int]] = []
    for day in days:
        if day.date in who.away or day.date in who.tk_days:
            continue
        late = rng.random() < 0.04 + 0.35 * who.habit
        if late:
            arrive = day.start + 60 + int(rng.expovariate(1 / (900 + 1500 * who.habit)))
        else:
            arrive = day.start - rng.randint(0, 40 * 60)
        early = rng.random() < 0.02 + 0.08 * who.habit
        depart = day.end - 60 - int(rng.expovariate(1 / 1500)) if early else day.end + rng.randint(0, 75 * 60)
        arrive, depart = _clamp(arrive), _clamp(depart)
        if rng.random() > 0.002:  # else forgot to punch on arrival
            out.append((who.pin, day.date, arrive))
            if rng.random() < 0.03:  # a second touch a few seconds later: machines record both
                out.append((who.pin, day.date, _clamp(arrive + rng.randint(2, 20))))
        if rng.random() > 0.003:  # else forgot to punch on leaving
            out.append((who.pin, day.date, depart))
    return out


def attlog(rows: Iterable[tuple[str, dt.date, int]]) -> bytes:
    """ZKTeco attlog lines: PIN, local date-time, verify mode, in/out state, work code, reserved (tab-separated)."""
    lines = []
    for pin, date, sec in sorted(rows, key=lambda r: (r[1], r[2], r[0])):
        h, rem = divmod(sec, 3600)
        m, s = divmod(rem, 60)
        lines.append(f"{pin:>9}\t{date:%Y-%m-%d} {h:02d}:{m:02d}:{s:02d}\t1\t0\t1\t0")
    return ("\r\n".join(lines) + "\r\n").encode("ascii")
