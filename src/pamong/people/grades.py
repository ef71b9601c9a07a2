"""Golongan ruang (PNS/CPNS) and PPPK grades, with their order and pangkat names (staffing-rules §8.4)."""

from __future__ import annotations

PNS_GOLONGAN: list[tuple[str, str]] = [
    ("I/a", "Juru Muda"),
    ("I/b", "Juru Muda Tingkat I"),
    ("I/c", "Juru"),
    ("I/d", "Juru Tingkat I"),
    ("II/a", "Pengatur Muda"),
    ("II/b", "Pengatur Muda Tingkat I"),
    ("II/c", "Pengatur"),
    ("II/d", "Pengatur Tingkat I"),
    ("III/a", "Penata Muda"),
    ("III/b", "Penata Muda Tingkat I"),
    ("III/c", "Penata"),
    ("III/d", "Penata Tingkat I"),
    ("IV/a", "Pembina"),
    ("IV/b", "Pembina Tingkat I"),
    ("IV/c", "Pembina Utama Muda"),
    ("IV/d", "Pembina Utama Madya"),
    ("IV/e", "Pembina Utama"),
]
PPPK_GOLONGAN: list[str] = [
    "I",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
    "XIII",
    "XIV",
    "XV",
    "XVI",
    "XVII",
]
PANGKAT = dict(PNS_GOLONGAN)
GOLONGAN_CHOICES = [(g, f"{g} – {p}") for g, p in PNS_GOLONGAN] + [(g, f"PPPK {g}") for g in PPPK_GOLONGAN]
# A sortable rank: PNS 1..17, PPPK 101..117, so "≥ III/a" is a range filter.
GOLONGAN_ORDER = {g: i + 1 for i, (g, _) in enumerate(PNS_GOLONGAN)} | {g: 101 + i for i, g in enumerate(PPPK_GOLONGAN)}


def is_pns_golongan(code: str) -> bool:
    return code in PANGKAT


def is_pppk_golongan(code: str) -> bool:
    return code in PPPK_GOLONGAN


def golongan_group(code: str) -> str:
    """'III/b' -> 'III'; PPPK grades are their own group."""
    return code.split("/")[0] if "/" in code else f"PPPK {code}"
