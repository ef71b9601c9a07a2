"""Attendance recap engine throughput on a synthetic city month: every employee's punches to TL/PSW/TK counts.

    uv run python bench/attendance_engine.py [--n 100000] [--seed 20261206] [--bulan 2026-11]

The city: N employees; 88 % on the office schedule (Mon–Thu 07:30–16:00, Fri 07:30–16:30), 7 % on night duty
(19:00–07:00 Mon/Wed/Fri), 5 % on a six-day service schedule (Mon–Sat 07:00–14:00). Two holidays; 6 % of
employees have an approved absence of 1–10 days (some running over the month's ends). On each working day an
employee punches in and out around the shift's times (σ 15 min), 3 % of days not at all, 4 % without the arrival,
4 % without the departure, 60 % with two more punches around the break, 5 % with a duplicate, plus stray punches on
days off: about 6 million punches for 100,000 employees. Inputs are built outside the timed part. Target (brief):
a few seconds, well under 1 GiB. Prints JSON and the line `attendance engine N: S s`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import time
import tracemalloc

import numpy as np

from pamong.attendance.engine import Absences, Policy, Punches, Schedule, grid_for_schedules, recap, weekly_times
from pamong.attendance.engine.grid import month_days

DAY = 86_400
BANDS = {
    "tl": [[1, 30, "TL1"], [31, 60, "TL2"], [61, 90, "TL3"], [91, None, "TL4"]],
    "psw": [[1, 30, "PSW1"], [31, 60, "PSW2"], [61, 90, "PSW3"], [91, None, "PSW4"]],
    "tanpa_masuk": "TL4",
    "tanpa_pulang": "PSW4",
}


def schedules() -> list[Schedule]:
    office = {str(d): ["07:30", "16:00"] for d in range(1, 5)} | {"5": ["07:30", "16:30"]}
    night = {str(d): ["19:00", "07:00"] for d in (1, 3, 5)}
    service = {str(d): ["07:00", "14:00"] for d in range(1, 7)}
    return [Schedule(weekly_times(office)), Schedule(weekly_times(night)), Schedule(weekly_times(service))]


def city(n: int, bulan: str, rng: np.random.Generator):
    first, days = month_days(bulan)
    which = rng.choice(3, size=n, p=[0.88, 0.07, 0.05])
    has = rng.random(n) < 0.06
    rows = np.flatnonzero(has)
    begin = rng.integers(-5, days + 1, rows.size)
    length = rng.integers(1, 11, rows.size)
    origin = np.datetime64(first, "D")
    absences = Absences(
        row=rows,
        dari=origin + begin,
        sampai=origin + begin + length - 1,
        kind=rng.integers(0, 3, rows.size),
        kinds=("cuti_tahunan", "sakit", "dinas_luar"),
    )
    holidays = [first + dt.timedelta(days=9), first + dt.timedelta(days=23)]
    grid = grid_for_schedules(first, days, schedules(), which, holidays, absences)

    emp, slot = np.nonzero(grid.start >= 0)  # working days (slot 0 included: a night shift into the 1st)
    start = grid.start[emp, slot].astype(np.int64)
    end = grid.end[emp, slot].astype(np.int64)
    end = np.where(end <= start, end + DAY, end)
    base = slot.astype(np.int64) * DAY
    k = emp.size
    fate = rng.random(k)
    arrive = base + start + rng.normal(-600, 900, k).astype(np.int64)
    leave = base + end + rng.normal(600, 900, k).astype(np.int64)
    # fate < 0.03: no punch; 0.03–0.07: no arrival; 0.07–0.11: no departure
    with_in = fate >= 0.07
    with_out = (fate >= 0.03) & ((fate < 0.07) | (fate >= 0.11))
    extra = rng.random(k) < 0.6  # out and back in around the break
    dup = rng.random(k) < 0.05
    mid = base + (start + end) // 2 + rng.integers(-3600, 0, k)
    back = mid + rng.integers(1800, 5400, k)
    stray_n = n // 2
    parts_emp = [emp[with_in], emp[with_out], emp[extra], emp[extra], emp[dup & with_in], rng.integers(0, n, stray_n)]
    parts_ts = [
        arrive[with_in],
        leave[with_out],
        mid[extra],
        back[extra],
        arrive[dup & with_in],
        rng.integers(0, (days + 2) * DAY, stray_n),
    ]
    order = rng.permutation(sum(p.size for p in parts_emp))
    punches = Punches(
        np.concatenate(parts_emp).astype(np.int32)[order], np.concatenate(parts_ts).astype(np.int64)[order]
    )
    return grid, punches


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=20261206)
    ap.add_argument("--bulan", default="2026-11")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    policy = Policy.parse(BANDS)

    t = time.perf_counter()
    grid, punches = city(a.n, a.bulan, rng)
    t_build = time.perf_counter() - t
    t = time.perf_counter()
    first, days = month_days(a.bulan)
    grid_only = grid_for_schedules(first, days, schedules(), np.zeros(a.n, dtype=np.int64))
    t_grid = time.perf_counter() - t
    del grid_only

    best = float("inf")
    for _ in range(a.repeat):
        t = time.perf_counter()
        result = recap(grid, punches, policy)
        totals = result.rekap()
        best = min(best, time.perf_counter() - t)
    tracemalloc.start()
    result = recap(grid, punches, policy)
    totals = result.rekap()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(
        json.dumps(
            {
                "employees": a.n,
                "days": days,
                "punches": int(punches.ts.size),
                "build_inputs_s": round(t_build, 2),
                "grid_for_schedules_s": round(t_grid, 3),
                "recap_and_rekap_best_s": round(best, 2),
                "recap_peak_mib_tracemalloc": round(peak / 2**20),
                "process_peak_rss_mib": round(rss),
                "totals": {key: int(col.sum()) for key, col in totals.items()},
            },
            indent=2,
        )
    )
    print(f"attendance engine {a.n}: {best:.2f} s (peak {peak / 2**20:.0f} MiB traced, {rss:.0f} MiB RSS)")


if __name__ == "__main__":
    main()
