"""How payslip lines are named and grouped on every output (HTML page, PDF, registers, bank and recap files), so
each shows the same lines under the same labels in the same order.

A payslip's totals are the engine's: ``bruto`` (penghasilan kotor, the income lines less the reductions of income,
without pembulatan), ``potongan`` (the deductions) and ``bersih`` = bruto − potongan + pembulatan. Employer
premiums (``pemberi_kerja_*``) are shown for information; they are neither paid to nor deducted from the employee.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from pamong.engine.extra import GAJI_ELEMENTS

KIND_TITLES: dict[str, str] = {
    "gaji": "Slip Gaji",
    "tpp": "Slip Tambahan Penghasilan Pegawai (TPP)",
    "thr": "Slip Tunjangan Hari Raya (THR)",
    "gaji13": "Slip Gaji Ke-13",
    "rapel": "Slip Rapel (Kekurangan Gaji dan TPP)",
}

# short names for file names and transfer descriptions
KIND_SHORT: dict[str, str] = {"gaji": "GAJI", "tpp": "TPP", "thr": "THR", "gaji13": "GAJI13", "rapel": "RAPEL"}

# income, in slip order
PENGHASILAN: tuple[str, ...] = (
    *GAJI_ELEMENTS,  # the gaji slip's income lines, in the engine's order
    "tpp",
    "tpp_kinerja",
    "tpp_disiplin",
    "penghargaan",
    "tunjangan_pph",
)
# reductions of income (stored as positive amounts, shown negative; already inside bruto)
PENGURANG: tuple[str, ...] = ("potongan_hukuman_disiplin",)
PEMBULATAN: tuple[str, ...] = ("pembulatan",)
POTONGAN: tuple[str, ...] = ("iuran_taspen", "iuran_bpjs_kesehatan", "pph21", "potongan_lain")
PEMBERI_KERJA: tuple[str, ...] = ("pemberi_kerja_bpjs_kesehatan", "pemberi_kerja_jkk", "pemberi_kerja_jkm")

SLIP_ORDER: tuple[str, ...] = (*PENGHASILAN, *PENGURANG, *PEMBULATAN, *POTONGAN, *PEMBERI_KERJA)

LINE_LABELS: dict[str, str] = {
    "gaji_pokok": "Gaji pokok",
    "tunjangan_istri_suami": "Tunjangan suami/istri",
    "tunjangan_anak": "Tunjangan anak",
    "tunjangan_umum": "Tunjangan umum",
    "tunjangan_jabatan_struktural": "Tunjangan jabatan struktural",
    "tunjangan_jabatan_fungsional": "Tunjangan jabatan fungsional",
    "tunjangan_beras": "Tunjangan beras",
    "tpp": "TPP",
    "tpp_kinerja": "TPP kinerja",
    "tpp_disiplin": "TPP disiplin",
    "penghargaan": "Penghargaan (dengan keputusan)",
    "tunjangan_pph": "Tunjangan PPh",
    "potongan_hukuman_disiplin": "Potongan hukuman disiplin",
    "pembulatan": "Pembulatan",
    "iuran_taspen": "Iuran Taspen (pensiun + THT) 8%",
    "iuran_bpjs_kesehatan": "Iuran BPJS Kesehatan (peserta)",
    "pph21": "PPh Pasal 21",
    "potongan_lain": "Potongan lain (zakat, koperasi, pinjaman; rinciannya di bawah)",
    "pemberi_kerja_bpjs_kesehatan": "BPJS Kesehatan (ditanggung pemberi kerja)",
    "pemberi_kerja_jkk": "JKK (ditanggung pemberi kerja)",
    "pemberi_kerja_jkm": "JKM (ditanggung pemberi kerja)",
}

SECTION_TITLES: dict[str, str] = {
    "penghasilan": "Penghasilan",
    "pengurang": "Pengurang penghasilan",
    "potongan": "Potongan",
    "pemberi_kerja": "Ditanggung pemberi kerja (tidak dipotong dari penghasilan)",
}

Line = tuple[str, str, int]  # (code, label, amount)


class SlipLike(Protocol):
    kind: str
    lines: Any  # Mapping[str, int] (a JSONField)
    bruto: int
    potongan: int
    bersih: int


def label(code: str) -> str:
    """The Indonesian label of a line code; an unknown code gets a readable fallback, never an error."""
    return LINE_LABELS.get(code) or code.replace("_", " ").capitalize()


def section_of(code: str) -> str:
    if code in PENGURANG:
        return "pengurang"
    if code in PEMBULATAN:
        return "pembulatan"
    if code in POTONGAN:
        return "potongan"
    if code in PEMBERI_KERJA or code.startswith("pemberi_kerja_"):
        return "pemberi_kerja"
    return "penghasilan"  # the known income lines, and any code a later engine adds


def ordered_codes(codes: Iterable[str]) -> list[str]:
    """Codes in slip order; unknown codes after the known ones of their section, alphabetically."""
    rank = {code: i for i, code in enumerate(SLIP_ORDER)}
    sections = ("penghasilan", "pengurang", "pembulatan", "potongan", "pemberi_kerja")
    return sorted(set(codes), key=lambda c: (sections.index(section_of(c)), rank.get(c, len(rank)), c))


def slip_sections(payslip: SlipLike, *, include_zero: bool = False) -> dict[str, Any]:
    """The payslip's lines grouped and ordered for display.

    Returns ``penghasilan``, ``pengurang`` (amounts negated), ``pembulatan``, ``potongan`` and ``pemberi_kerja`` as
    lists of (code, label, amount), and ``totals`` with ``penghasilan`` (sum of the income lines), ``pengurang``
    (negative), ``bruto``, ``potongan``, ``pembulatan``, ``bersih`` and ``pemberi_kerja``. Zero lines are left
    out unless ``include_zero``; gaji pokok always shows on a gaji slip.
    """
    lines: Mapping[str, int] = payslip.lines or {}
    out: dict[str, list[Line]] = {"penghasilan": [], "pengurang": [], "pembulatan": [], "potongan": [],
                                  "pemberi_kerja": []}  # fmt: skip
    for code in ordered_codes(lines):
        amount = int(lines[code])
        if amount == 0 and not include_zero and code != "gaji_pokok":
            continue
        section = section_of(code)
        out[section].append((code, label(code), -amount if section == "pengurang" else amount))
    totals = {
        "penghasilan": sum(a for _, _, a in out["penghasilan"]),
        "pengurang": sum(a for _, _, a in out["pengurang"]),
        "bruto": int(payslip.bruto),
        "potongan": int(payslip.potongan),
        "pembulatan": int(lines.get("pembulatan", 0)),
        "bersih": int(payslip.bersih),
        "pemberi_kerja": sum(a for _, _, a in out["pemberi_kerja"]),
    }
    return {**out, "totals": totals, "title": KIND_TITLES.get(payslip.kind, "Slip"), "section_titles": SECTION_TITLES}
