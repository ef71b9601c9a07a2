"""recap() equals a plain per-employee, per-day reference written from the spec's rules (spec/attendance-recap.md
rules 1–6 and the decisions in docs/attendance-engine.md), on random grids, punches and band tables. The reference
defines each working day's window of punches directly, where the engine assigns each punch to a day."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pamong.attendance.engine.recap import (
    DAY,
    NOON,
    STATUS_ABSEN,
    STATUS_HADIR,
    STATUS_LIBUR,
    STATUS_TK,
    Bands,
    MonthGrid,
    Policy,
    Punches,
    recap,
)

SCALE = int(os.environ.get("PAMONG_PROPERTY_SCALE", "1"))

# times that sit on the rules' edges: noon, midnight, shift starts and ends, midpoints
EDGES = [0, 1, 6 * 3600, 7 * 3600 + 1800, 11 * 3600 + 2700, NOON - 1, NOON, NOON + 1, 16 * 3600, 20 * 3600,
         DAY - 1]  # fmt: skip
SHIFTS = [(7 * 3600 + 1800, 16 * 3600), (8 * 3600, 15 * 3600 + 1800), (20 * 3600, 8 * 3600),
          (19 * 3600, 7 * 3600), (22 * 3600, 6 * 3600), (8 * 3600, 8 * 3600), (13 * 3600, 21 * 3600),
          (0, 12 * 3600), (12 * 3600, 23 * 3600 + 3599)]  # fmt: skip


def reference_day(start: int, end: int, night_before: bool, slot: int, pts: list[int], absent: bool,
                  policy: Policy) -> dict[str, Any]:  # fmt: skip
    """One working day from the rules: its window, its punches, its status, minutes and bands."""
    night = end <= start
    base = slot * DAY
    if night:  # rule 6: 12:00 on the date to 12:00 on the next
        lo, hi = base + NOON, base + DAY + NOON
        end_abs = end + DAY
    else:  # its own date, less the morning a working night shift the day before owns
        lo, hi = base + (NOON if night_before else 0), base + DAY
        end_abs = end
    if absent:
        return {"status": STATUS_ABSEN, "masuk": -1, "pulang": -1, "late": 0, "early": 0, "tl": -1, "psw": -1}
    mine = sorted({t for t in pts if lo <= t < hi})
    if not mine:
        return {"status": STATUS_TK, "masuk": -1, "pulang": -1, "late": 0, "early": 0, "tl": -1, "psw": -1}
    if len(mine) >= 2:
        masuk, pulang = mine[0], mine[-1]
    elif mine[0] - base < (start + end_abs) / 2:
        masuk, pulang = mine[0], -1
    else:
        masuk, pulang = -1, mine[0]
    late = max(0, (masuk - base - start) // 60) if masuk >= 0 else 0
    early = max(0, (base + end_abs - pulang) // 60) if pulang >= 0 else 0

    def band(bands: Bands, minutes: int) -> int:
        for k, (a, b) in enumerate(zip(bands.lo.tolist(), bands.hi.tolist(), strict=True)):
            if a <= minutes and (b < 0 or minutes <= b):
                return k
        return -1

    tl = band(policy.tl, late) if masuk >= 0 else policy.tl.names.index(policy.tanpa_masuk)
    psw = band(policy.psw, early) if pulang >= 0 else policy.psw.names.index(policy.tanpa_pulang)
    return {"status": STATUS_HADIR, "masuk": masuk, "pulang": pulang, "late": late, "early": early, "tl": tl,
            "psw": psw}  # fmt: skip


@st.composite
def band_table(draw: st.DrawFn, prefix: str) -> list[list[Any]]:
    cuts = sorted(draw(st.sets(st.integers(1, 200), max_size=4)))
    bounds = [1, *[c + 1 for c in cuts]]
    rows: list[list[Any]] = []
    for k, a in enumerate(bounds):
        b = bounds[k + 1] - 1 if k + 1 < len(bounds) else draw(st.sampled_from([None, a, a + 50]))
        rows.append([a, b, f"{prefix}{k + 1}"])
    return rows


@st.composite
def month(draw: st.DrawFn) -> tuple[MonthGrid, Punches, Policy]:
    n_emp = draw(st.integers(1, 4))
    days = draw(st.integers(1, 6))
    n_slot = days + 1
    shift = st.one_of(st.none(), st.sampled_from(SHIFTS), st.tuples(st.sampled_from(EDGES), st.sampled_from(EDGES)))
    cells = draw(st.lists(st.lists(shift, min_size=n_slot, max_size=n_slot), min_size=n_emp, max_size=n_emp))
    start = np.array([[-1 if c is None else c[0] for c in row] for row in cells], dtype=np.int32)
    end = np.array([[-1 if c is None else c[1] for c in row] for row in cells], dtype=np.int32)
    absence = np.array(
        draw(st.lists(st.lists(st.sampled_from([0, 0, 0, 1, 2]), min_size=n_slot, max_size=n_slot),
                      min_size=n_emp, max_size=n_emp)),
        dtype=np.int16,
    )  # fmt: skip
    moment = st.one_of(
        st.integers(-DAY, (n_slot + 2) * DAY),
        st.builds(lambda d, e, k: d * DAY + e + k, st.integers(-1, n_slot + 1), st.sampled_from(EDGES),
                  st.sampled_from([-1, 0, 0, 1, 59, 60])),
    )  # fmt: skip
    pairs = draw(st.lists(st.tuples(st.integers(-1, n_emp), moment), max_size=20))
    # and punches aimed at the edges of the drawn shifts: start, end, midpoint, noon and midnight around them
    for _ in range(draw(st.integers(0, 30))):
        e, j = draw(st.integers(0, n_emp - 1)), draw(st.integers(0, n_slot - 1))
        a, b = (NOON, NOON) if cells[e][j] is None else cells[e][j]
        b = b + DAY if b <= a else b
        edge = draw(st.sampled_from([a, b, (a + b) // 2, (a + b + 1) // 2, NOON, DAY, DAY + NOON]))
        pairs.append((e, j * DAY + edge + draw(st.sampled_from([-60, -1, 0, 0, 0, 1, 60]))))
    pairs += draw(st.lists(st.sampled_from(pairs), max_size=5)) if pairs else []  # duplicates
    emp = np.array([e for e, _ in pairs], dtype=np.int32)
    ts = np.array([t for _, t in pairs], dtype=np.int64)
    tl, psw = draw(band_table("TL")), draw(band_table("PSW"))
    policy = Policy.parse({"tl": tl, "psw": psw, "tanpa_masuk": draw(st.sampled_from([r[2] for r in tl])),
                           "tanpa_pulang": draw(st.sampled_from([r[2] for r in psw]))})  # fmt: skip
    grid = MonthGrid(dt.date(2026, 3, 1), start, end, absence, ("cuti", "sakit"))
    return grid, Punches(emp, ts), policy


@settings(max_examples=250 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(month())
def test_recap_equals_the_per_day_reference(data: tuple[MonthGrid, Punches, Policy]) -> None:
    grid, punches, policy = data
    result = recap(grid, punches, policy)
    n_emp, n_slot = grid.start.shape
    for e in range(n_emp):
        pts = [int(t) for emp, t in zip(punches.emp.tolist(), punches.ts.tolist(), strict=True) if emp == e]
        counts: dict[str, int] = {key: 0 for key in policy.columns}
        for j in range(1, n_slot):
            got = {
                "status": int(result.status[e, j - 1]),
                "masuk": int(result.masuk[e, j - 1]),
                "pulang": int(result.pulang[e, j - 1]),
                "late": int(result.late_min[e, j - 1]),
                "early": int(result.psw_min[e, j - 1]),
                "tl": int(result.tl[e, j - 1]),
                "psw": int(result.psw[e, j - 1]),
            }
            start, end = int(grid.start[e, j]), int(grid.end[e, j])
            if start < 0:
                assert got == {"status": STATUS_LIBUR, "masuk": -1, "pulang": -1, "late": 0, "early": 0, "tl": -1,
                               "psw": -1}  # fmt: skip
                continue
            before_start, before_end = int(grid.start[e, j - 1]), int(grid.end[e, j - 1])
            night_before = before_start >= 0 and before_end <= before_start
            want = reference_day(start, end, night_before, j, pts, bool(grid.absence[e, j]), policy)
            assert got == want, (e, j)
            counts["hari_kerja"] += 1
            counts["hadir"] += want["status"] == STATUS_HADIR
            counts["tidak_hadir_sah"] += want["status"] == STATUS_ABSEN
            counts["TK"] += want["status"] == STATUS_TK
            if want["tl"] >= 0:
                counts[policy.tl.names[want["tl"]]] += 1
            if want["psw"] >= 0:
                counts[policy.psw.names[want["psw"]]] += 1
            counts["terlambat_menit"] += want["late"]
            counts["psw_menit"] += want["early"]
        assert {k: int(v[e]) for k, v in result.rekap().items()} == counts


@settings(max_examples=60 * SCALE, deadline=None)
@given(month(), st.randoms(use_true_random=False))
def test_punch_order_and_batch_split_do_not_matter(data: tuple[MonthGrid, Punches, Policy], rnd: Any) -> None:
    grid, punches, policy = data
    whole = recap(grid, punches, policy)
    order = list(range(punches.ts.size))
    rnd.shuffle(order)
    shuffled = recap(grid, Punches(punches.emp[order], punches.ts[order]), policy)
    assert (whole.status == shuffled.status).all() and (whole.masuk == shuffled.masuk).all()
    for e in range(grid.start.shape[0]):
        alone = MonthGrid(grid.first_day, grid.start[e : e + 1], grid.end[e : e + 1], grid.absence[e : e + 1],
                          grid.absence_kinds)  # fmt: skip
        mine = punches.emp == e
        r = recap(alone, Punches(np.zeros(int(mine.sum()), dtype=np.int32), punches.ts[mine]), policy)
        for name in ("status", "masuk", "pulang", "late_min", "psw_min", "tl", "psw"):
            assert (getattr(r, name)[0] == getattr(whole, name)[e]).all(), name
