"""Rater calibration: severity/leniency from the overlap of who rated whom, fair scores, flagged ratings, reliability.

Spec: shared spec/performance-calibration.md; background and the worked example: reference/anchors-civic-fairness.md
Part B (B.2.2 additive two-facet model, B.2.4 ICC after McGraw & Wong 1996, B.2.6 Krippendorff's alpha, B.2.7
residual flags, B.5, B.7). numpy only, no Django: the application calls `calibrate_pool`/`calibrate`, the CLI
`calibrate_case`.

Per pool (kelompok), on the ratings x_ij (ratee i, rater j):

- the bipartite rater-ratee graph must be connected, otherwise severity and true performance cannot be told apart
  and nothing is adjusted;
- least squares on x_ij = m_i + c_j + e_ij with sum_j c_j = 0. Eliminating m_i (m_i = mean over i's ratings of
  x_ij - c_j) leaves the reduced normal equations A c = b on the raters only:
      A = diag(n_j) - sum_i (1/n_i) N_i^T N_i,     b_j = sum over j's ratings of (x_ij - mean_i),
  where N_i is the 0/1 row of raters who rated i. A is symmetric, A 1 = 0 and, for a connected pool, its null space
  is exactly 1; so c = (A + 11^T/J)^-1 b is the sum-to-zero solution and (A + 11^T/J)^-1 - 11^T/J = A^+ gives the
  covariance sd^2 A^+ of the rater effects. The system is raters x raters (small); everything else is vectorised.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .cases import CaseError, need_list, need_number, need_object, need_text

DEFAULT_POOL = "semua"
FLAG_Z = 2.0  # |z| above this is flagged (possible favouritism), B.2.7
SHRINK_LAMBDA = 5.0  # c_j * n_j / (n_j + lambda): a simple shrunk rater effect for raters with few ratings (B.5)
EXACT = 1e-9  # residuals smaller than this (in score points) are exact fits: rounding noise, not disagreement


class CalibrationError(CaseError):
    """A malformed calibration case or call; the message names the row."""


@dataclass(frozen=True)
class Rating:
    penilai: str
    dinilai: str
    nilai: float
    kelompok: str = DEFAULT_POOL


@dataclass(frozen=True)
class RaterEffect:
    efek: float  # c_j: positive = lenient, negative = severe (score points)
    n: int
    galat_baku: float | None  # standard error of c_j (None when df <= 0)
    efek_disusutkan: float  # c_j * n / (n + SHRINK_LAMBDA)


@dataclass(frozen=True)
class RateeScore:
    mentah: float  # plain mean of the ratings
    adil: float  # m_i: the fair (adjusted) score
    n: int


@dataclass(frozen=True)
class Flag:
    penilai: str
    dinilai: str
    nilai: float
    residu: float
    z: float


@dataclass(frozen=True)
class Reliability:
    icc_a1: float | None  # two-way ICC(A,1), absolute agreement; only for a fully crossed pool
    icc_c1: float | None  # two-way ICC(C,1), consistency; only for a fully crossed pool
    alpha_interval: float | None  # Krippendorff's alpha, interval metric, ratees with >= 2 ratings


@dataclass(frozen=True)
class PoolResult:
    kelompok: str
    terhubung: bool
    komponen: int
    jumlah_penilaian: int
    penilai: dict[str, RaterEffect] = field(default_factory=dict)
    dinilai: dict[str, RateeScore] = field(default_factory=dict)
    df_residu: int | None = None
    sd_residu: float | None = None
    tanda: list[Flag] = field(default_factory=list)
    reliabilitas: Reliability | None = None
    residu: np.ndarray | None = None  # e_ij in the order of the pool's input ratings (connected pools)


def _components(adjacency: np.ndarray) -> int:
    """Connected components of the rater graph (raters joined when they share a ratee)."""
    count = adjacency.shape[0]
    seen = np.zeros(count, dtype=bool)
    components = 0
    for start in range(count):
        if seen[start]:
            continue
        components += 1
        frontier = np.zeros(count, dtype=bool)
        frontier[start] = True
        seen[start] = True
        while frontier.any():
            reached = adjacency[frontier].any(axis=0) & ~seen
            seen |= reached
            frontier = reached
    return components


def _rater_system(ri: np.ndarray, rj: np.ndarray, n_ratee: int, n_rater: int) -> tuple[np.ndarray, np.ndarray]:
    """The reduced normal matrix A (raters x raters) and the rater adjacency, from every pair of ratings that share a
    ratee (sum over ratees of n_i^2 pairs: small for a few ratings per ratee)."""
    order = np.argsort(ri, kind="stable")
    ri_s, rj_s = ri[order], rj[order]
    n_i = np.bincount(ri, minlength=n_ratee)
    group_start = np.concatenate(([0], np.cumsum(n_i)[:-1]))
    sizes = n_i[ri_s]
    k = np.repeat(np.arange(ri_s.size), sizes)
    block_start = np.repeat(np.cumsum(sizes) - sizes, sizes)
    partner = group_start[ri_s][k] + (np.arange(k.size) - block_start)
    a_idx, b_idx = rj_s[k], rj_s[partner]
    weights = 1.0 / n_i[ri_s][k]
    flat = a_idx * n_rater + b_idx
    A = -np.bincount(flat, weights=weights, minlength=n_rater * n_rater).reshape(n_rater, n_rater)
    A[np.diag_indices(n_rater)] += np.bincount(rj, minlength=n_rater)
    adjacency = np.zeros((n_rater, n_rater), dtype=bool)
    adjacency[a_idx, b_idx] = True
    return A, adjacency


def _krippendorff_interval(ri: np.ndarray, x: np.ndarray, n_ratee: int) -> float | None:
    """Krippendorff's alpha, interval metric delta^2 = (c-k)^2, over the ratees with at least two ratings.
    Coincidence-matrix form: D_o = (1/n) sum_u sum_{c != k in u} (v_c - v_k)^2 / (m_u - 1),
    D_e = sum over all pairs of pairable values (v - v')^2 / (n (n - 1)), alpha = 1 - D_o / D_e."""
    m = np.bincount(ri, minlength=n_ratee)
    keep = m[ri] >= 2
    if not keep.any():
        return None
    ri, x = ri[keep], x[keep]
    m_u = m[m >= 2].astype(float)
    s1 = np.bincount(ri, weights=x, minlength=n_ratee)[m >= 2]
    s2 = np.bincount(ri, weights=x * x, minlength=n_ratee)[m >= 2]
    n = float(x.size)
    observed = float(np.sum(2.0 * (m_u * s2 - s1 * s1) / (m_u - 1.0))) / n
    total1, total2 = float(x.sum()), float((x * x).sum())
    expected = 2.0 * (n * total2 - total1 * total1) / (n * (n - 1.0))
    if expected <= EXACT:
        return None  # every value the same: agreement cannot be told from chance
    return 1.0 - observed / expected


def _icc(ri: np.ndarray, rj: np.ndarray, x: np.ndarray, n: int, k: int) -> tuple[float | None, float | None]:
    """ICC(A,1) and ICC(C,1) (McGraw & Wong 1996; Shrout & Fleiss ICC(2,1)/ICC(3,1)) from the two-way ANOVA of a
    fully crossed n ratees x k raters table."""
    if n < 2 or k < 2:
        return None, None
    table = np.zeros((n, k))
    table[ri, rj] = x
    grand = table.mean()
    ss_rows = k * float(((table.mean(axis=1) - grand) ** 2).sum())
    ss_cols = n * float(((table.mean(axis=0) - grand) ** 2).sum())
    ss_total = float(((table - grand) ** 2).sum())
    msr = ss_rows / (n - 1)
    msc = ss_cols / (k - 1)
    mse = max(ss_total - ss_rows - ss_cols, 0.0) / ((n - 1) * (k - 1))
    den_a = msr + (k - 1) * mse + k * (msc - mse) / n
    den_c = msr + (k - 1) * mse
    icc_a = (msr - mse) / den_a if abs(den_a) > EXACT else None
    icc_c = (msr - mse) / den_c if abs(den_c) > EXACT else None
    return icc_a, icc_c


def calibrate_pool(kelompok: str, penilai: Sequence[str], dinilai: Sequence[str], nilai: Sequence[float]) -> PoolResult:
    """Calibrate one pool from three parallel sequences (one rating each). The caller guarantees each (penilai,
    dinilai) pair at most once and nilai in 0..100 (`ratings_from_case` and the application's forms check it)."""
    x = np.asarray(nilai, dtype=float)
    raters, rj = np.unique(np.asarray(penilai, dtype=object).astype(str), return_inverse=True)
    ratees, ri = np.unique(np.asarray(dinilai, dtype=object).astype(str), return_inverse=True)
    ri, rj = ri.ravel(), rj.ravel()
    n_rating, n_ratee, n_rater = x.size, ratees.size, raters.size
    if n_rating == 0:
        raise CalibrationError(f"kelompok {kelompok!r}: tidak ada penilaian")
    A, adjacency = _rater_system(ri, rj, n_ratee, n_rater)
    components = _components(adjacency)
    if components > 1:
        return PoolResult(kelompok=kelompok, terhubung=False, komponen=components, jumlah_penilaian=n_rating)

    n_i = np.bincount(ri, minlength=n_ratee)
    n_j = np.bincount(rj, minlength=n_rater)
    raw = np.bincount(ri, weights=x, minlength=n_ratee) / n_i
    b = np.bincount(rj, weights=x - raw[ri], minlength=n_rater)
    inverse = np.linalg.inv(A + 1.0 / n_rater)  # (A + 11^T/J)^-1
    c = inverse @ b
    c -= c.mean()  # exact zero sum against rounding
    fair = np.bincount(ri, weights=x - c[rj], minlength=n_ratee) / n_i
    e = x - fair[ri] - c[rj]
    e[np.abs(e) < EXACT] = 0.0

    df = n_rating - n_ratee - (n_rater - 1)
    sd: float | None = None
    flags: list[Flag] = []
    se = np.full(n_rater, np.nan)
    if df > 0:
        sd = math.sqrt(float(e @ e) / df)
        pinv_diag = np.diag(inverse) - 1.0 / n_rater
        se = sd * np.sqrt(np.clip(pinv_diag, 0.0, None))
        if sd > 0:
            z = e / sd
            for k in np.flatnonzero(np.abs(z) > FLAG_Z):
                flags.append(Flag(str(raters[rj[k]]), str(ratees[ri[k]]), float(x[k]), float(e[k]), float(z[k])))
            flags.sort(key=lambda f: (-round(abs(f.z), 9), f.penilai, f.dinilai))

    crossed = n_rating == n_ratee * n_rater
    icc_a, icc_c = _icc(ri, rj, x, n_ratee, n_rater) if crossed else (None, None)
    alpha = _krippendorff_interval(ri, x, n_ratee)

    return PoolResult(
        kelompok=kelompok,
        terhubung=True,
        komponen=1,
        jumlah_penilaian=n_rating,
        penilai={
            name: RaterEffect(
                efek=effect, n=count, galat_baku=None if math.isnan(error) else error, efek_disusutkan=shrunk
            )
            for name, effect, count, error, shrunk in zip(
                raters.tolist(),
                c.tolist(),
                n_j.tolist(),
                se.tolist(),
                (c * n_j / (n_j + SHRINK_LAMBDA)).tolist(),
                strict=True,
            )
        },
        dinilai={
            name: RateeScore(mentah=r, adil=m, n=count)
            for name, r, m, count in zip(ratees.tolist(), raw.tolist(), fair.tolist(), n_i.tolist(), strict=True)
        },
        df_residu=df,
        sd_residu=sd,
        tanda=flags,
        reliabilitas=Reliability(icc_a1=icc_a, icc_c1=icc_c, alpha_interval=alpha),
        residu=e,
    )


def calibrate(ratings: Iterable[Rating]) -> dict[str, PoolResult]:
    """Calibrate every pool, in sorted order of the pool names. Duplicates and out-of-range values are refused."""
    pools: dict[str, tuple[list[str], list[str], list[float]]] = {}
    seen: dict[tuple[str, str, str], int] = {}
    for index, r in enumerate(ratings):
        _check_rating(r, index, seen)
        raters, ratees, values = pools.setdefault(r.kelompok, ([], [], []))
        raters.append(r.penilai)
        ratees.append(r.dinilai)
        values.append(float(r.nilai))
    if not pools:
        raise CalibrationError("penilaian: daftar kosong; sekurang-kurangnya satu penilaian")
    return {name: calibrate_pool(name, *pools[name]) for name in sorted(pools)}


def _check_rating(r: Rating, index: int, seen: dict[tuple[str, str, str], int]) -> None:
    where = f"penilaian[{index}]"
    value = r.nilai
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise CalibrationError(f"{where}.nilai: harus berupa angka")
    if not 0 <= value <= 100:
        raise CalibrationError(f"{where}.nilai: {value} di luar rentang 0..100")
    key = (r.kelompok, r.penilai, r.dinilai)
    if key in seen:
        raise CalibrationError(
            f"{where}: penilai {r.penilai!r} sudah menilai {r.dinilai!r} di kelompok {r.kelompok!r} "
            f"(penilaian[{seen[key]}]); satu pasangan hanya boleh sekali per kelompok"
        )
    seen[key] = index


# ---- the CLI contract -------------------------------------------------------------------------------------------


def ratings_from_case(data: Any) -> list[Rating]:
    data = need_object(data, "kasus", CalibrationError)
    rows = need_list(data, "penilaian", error=CalibrationError)
    out = []
    for i, row in enumerate(rows):
        where = f"penilaian[{i}]"
        row = need_object(row, where, CalibrationError)
        kelompok = need_text(row, "kelompok", where, CalibrationError) if "kelompok" in row else DEFAULT_POOL
        out.append(
            Rating(
                penilai=need_text(row, "penilai", where, CalibrationError),
                dinilai=need_text(row, "dinilai", where, CalibrationError),
                nilai=need_number(row, "nilai", where, 0, 100, CalibrationError),
                kelompok=kelompok,
            )
        )
    return out


# Plain-Indonesian meaning of the output's keys (printed with the CLI output; the UI uses the same texts).
KETERANGAN = {
    "efek": "kelonggaran penilai dalam poin nilai (positif = longgar, negatif = ketat); jumlahnya nol",
    "galat_baku": "galat baku efek penilai (kosong bila derajat bebas residu tidak lebih dari nol)",
    "efek_disusutkan": f"efek x n / (n + {SHRINK_LAMBDA:g}): efek yang dikecilkan untuk penilai dengan sedikit "
    "penilaian",
    "mentah": "rata-rata nilai apa adanya",
    "adil": "nilai yang disesuaikan: rata-rata nilai setelah kelonggaran tiap penilai dikeluarkan",
    "tanda": "penilaian yang menyimpang lebih dari 2 simpangan baku dari perkiraan model (kemungkinan "
    "favoritisme); untuk dibahas di sidang kalibrasi",
    "reliabilitas": "ICC(A,1) dan ICC(C,1) hanya bila setiap penilai menilai setiap pegawai; alpha Krippendorff "
    "(interval) atas pegawai yang dinilai sekurang-kurangnya dua kali",
}


def _r(value: float | None, digits: int = 6) -> float | None:
    return None if value is None else round(value, digits)


def pool_output(pool: PoolResult) -> dict[str, Any]:
    """One pool as the contract's JSON object (spec keys, then the extra keys the spec allows)."""
    out: dict[str, Any] = {"terhubung": pool.terhubung, "komponen": pool.komponen}
    if not pool.terhubung:
        out["keterangan"] = (
            f"Penilai dan pegawai di kelompok ini terbagi dalam {pool.komponen} bagian yang tidak saling berbagi "
            "pegawai yang dinilai, sehingga kelonggaran penilai tidak dapat dibedakan dari kinerja pegawai; nilai "
            "tidak disesuaikan."
        )
        return out
    rel = pool.reliabilitas or Reliability(None, None, None)
    out.update(
        {
            "penilai": {
                name: {
                    "efek": _r(r.efek),
                    "n": r.n,
                    "galat_baku": _r(r.galat_baku),
                    "efek_disusutkan": _r(r.efek_disusutkan),
                }
                for name, r in pool.penilai.items()
            },
            "dinilai": {
                name: {"mentah": _r(s.mentah), "adil": _r(s.adil), "n": s.n} for name, s in pool.dinilai.items()
            },
            "df_residu": pool.df_residu,
            "sd_residu": _r(pool.sd_residu),
            "tanda": [
                {"penilai": f.penilai, "dinilai": f.dinilai, "nilai": f.nilai, "residu": _r(f.residu), "z": _r(f.z)}
                for f in pool.tanda
            ],
            "reliabilitas": {
                "icc_a1": _r(rel.icc_a1),
                "icc_c1": _r(rel.icc_c1),
                "alpha_interval": _r(rel.alpha_interval),
            },
        }
    )
    return out


def calibrate_case(data: Any) -> dict[str, Any]:
    """A case (spec/performance-calibration.md) -> the output object; CalibrationError on a malformed case."""
    pools = calibrate(ratings_from_case(data))
    return {"kelompok": {name: pool_output(pool) for name, pool in pools.items()}, "keterangan_kunci": KETERANGAN}
