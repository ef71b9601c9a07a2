"""Predikat kinerja of one unit's evaluation period (PermenPANRB 6/2022) and its pola distribusi check.

Spec: shared spec/performance-predikat.md; sources: reference/staffing-rules.md §1.3-1.5 (the kuadran kinerja pegawai
of the Lampiran, the unit head's rating from the capaian kinerja organisasi, and the pola distribusi per organisation
predikat). Pure Python, no Django: the application calls `unit_predikat`, the CLI `predikat_case`.

The pola distribusi is a consideration (pertimbangan): a unit that breaks it is warned and gives a reason to
finalise; nothing here changes a predikat to fit the pattern.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from .cases import CaseError, need_list, need_object

# ---- vocabulary -------------------------------------------------------------------------------------------------

EKSPEKTASI = ("di_atas", "sesuai", "di_bawah")  # rating hasil kerja / perilaku kerja
PREDIKAT = ("sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang")  # best first
ORGANISASI = ("istimewa", "baik", "butuh_perbaikan", "kurang", "sangat_kurang")  # capaian kinerja organisasi

LABEL_EKSPEKTASI = {
    "di_atas": "Di atas ekspektasi",
    "sesuai": "Sesuai ekspektasi",
    "di_bawah": "Di bawah ekspektasi",
}
LABEL_PREDIKAT = {
    "sangat_baik": "Sangat Baik",
    "baik": "Baik",
    "butuh_perbaikan": "Butuh Perbaikan",
    "kurang": "Kurang/Misconduct",
    "sangat_kurang": "Sangat Kurang",
}
LABEL_ORGANISASI = {
    "istimewa": "Istimewa",
    "baik": "Baik",
    "butuh_perbaikan": "Butuh Perbaikan",
    "kurang": "Kurang",
    "sangat_kurang": "Sangat Kurang",
}

# ---- rules (PermenPANRB 6/2022, Lampiran: kuadran kinerja pegawai; pola distribusi) ---------------------------------

# Kuadran kinerja pegawai: (rating hasil kerja, rating perilaku kerja) -> predikat kinerja.
# Behaviour below expectation never gives better than Kurang/Misconduct, whatever the results.
KUADRAN: dict[tuple[str, str], str] = {
    ("di_atas", "di_atas"): "sangat_baik",
    ("di_atas", "sesuai"): "baik",
    ("di_atas", "di_bawah"): "kurang",
    ("sesuai", "di_atas"): "baik",
    ("sesuai", "sesuai"): "baik",
    ("sesuai", "di_bawah"): "kurang",
    ("di_bawah", "di_atas"): "butuh_perbaikan",
    ("di_bawah", "sesuai"): "butuh_perbaikan",
    ("di_bawah", "di_bawah"): "sangat_kurang",
}

# The unit head's rating hasil kerja is the unit's capaian kinerja organisasi.
HASIL_PIMPINAN: dict[str, str] = {
    "istimewa": "di_atas",
    "baik": "sesuai",
    "butuh_perbaikan": "di_bawah",
    "kurang": "di_bawah",
    "sangat_kurang": "di_bawah",
}

Jenis = Literal["mayoritas", "maks", "min"]


@dataclass(frozen=True)
class Aturan:
    """One rule of the pola distribusi on the unit's counts.

    mayoritas: the count of `predikat[0]` is larger than the count of every other predikat;
    maks p: 100*n <= p*N; min p: 100*n >= p*N, where n is the sum of the counts of `predikat` and N the unit's size
    (exact integer comparison, no rounding). `min` with persen 0 is written as "at least one" (`ada`)."""

    kode: str
    jenis: Jenis
    predikat: tuple[str, ...]
    persen: int = 0
    ada: bool = False  # "at least one" instead of a percentage

    def berlaku(self, counts: dict[str, int]) -> bool:
        total = sum(counts[p] for p in PREDIKAT)
        n = sum(counts[p] for p in self.predikat)
        if self.jenis == "mayoritas":
            return all(n > counts[p] for p in PREDIKAT if p not in self.predikat)
        if self.ada:
            return n >= 1
        if self.jenis == "maks":
            return 100 * n <= self.persen * total
        return 100 * n >= self.persen * total


# Pola distribusi predikat kinerja pegawai per predikat kinerja organisasi (PermenPANRB 6/2022, Lampiran; as
# summarised in reference/staffing-rules.md §1.5 and spec/performance-predikat.md rule 3).
POLA: dict[str, tuple[Aturan, ...]] = {
    "istimewa": (
        Aturan("SB_MAYORITAS", "mayoritas", ("sangat_baik",)),
        Aturan("SB_MAKS_70", "maks", ("sangat_baik",), 70),
    ),
    "baik": (
        Aturan("B_MAYORITAS", "mayoritas", ("baik",)),
        Aturan("B_MAKS_70", "maks", ("baik",), 70),
        Aturan("BP_ATAU_K_ADA", "min", ("butuh_perbaikan", "kurang"), ada=True),
    ),
    "butuh_perbaikan": (
        Aturan("SB_MAKS_10", "maks", ("sangat_baik",), 10),
        Aturan("BP_MIN_60", "min", ("butuh_perbaikan",), 60),
    ),
    "kurang": (
        Aturan("SB_MAKS_10", "maks", ("sangat_baik",), 10),
        Aturan("BP_MIN_10", "min", ("butuh_perbaikan",), 10),
        Aturan("K_MIN_60", "min", ("kurang",), 60),
    ),
    "sangat_kurang": (
        Aturan("SB_NOL", "maks", ("sangat_baik",), 0),
        Aturan("BP_K_MIN_10", "min", ("butuh_perbaikan", "kurang"), 10),
        Aturan("SK_MIN_60", "min", ("sangat_kurang",), 60),
    ),
}

# Plain-Indonesian explanation of each rule that does not hold (shown to the pejabat penilai and the panel).
PENJELASAN: dict[str, str] = {
    "SB_MAYORITAS": "Pegawai berpredikat Sangat Baik seharusnya menjadi kelompok terbanyak, lebih banyak daripada "
    "predikat lain mana pun, karena capaian organisasi Istimewa.",
    "SB_MAKS_70": "Pegawai berpredikat Sangat Baik paling banyak 70% dari seluruh pegawai unit.",
    "B_MAYORITAS": "Pegawai berpredikat Baik seharusnya menjadi kelompok terbanyak, lebih banyak daripada predikat "
    "lain mana pun, karena capaian organisasi Baik.",
    "B_MAKS_70": "Pegawai berpredikat Baik paling banyak 70% dari seluruh pegawai unit.",
    "BP_ATAU_K_ADA": "Harus ada sekurang-kurangnya satu pegawai berpredikat Butuh Perbaikan atau Kurang/Misconduct.",
    "SB_MAKS_10": "Pegawai berpredikat Sangat Baik paling banyak 10% dari seluruh pegawai unit.",
    "BP_MIN_60": "Pegawai berpredikat Butuh Perbaikan sekurang-kurangnya 60% dari seluruh pegawai unit.",
    "BP_MIN_10": "Pegawai berpredikat Butuh Perbaikan sekurang-kurangnya 10% dari seluruh pegawai unit.",
    "K_MIN_60": "Pegawai berpredikat Kurang/Misconduct sekurang-kurangnya 60% dari seluruh pegawai unit.",
    "SB_NOL": "Tidak boleh ada pegawai berpredikat Sangat Baik, karena capaian organisasi Sangat Kurang.",
    "BP_K_MIN_10": "Pegawai berpredikat Butuh Perbaikan dan Kurang/Misconduct bersama-sama sekurang-kurangnya 10% "
    "dari seluruh pegawai unit.",
    "SK_MIN_60": "Pegawai berpredikat Sangat Kurang sekurang-kurangnya 60% dari seluruh pegawai unit.",
}


class PredikatError(CaseError):
    """A malformed predikat case or call; the message names the field."""


# ---- computation ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One employee of the unit. A unit head (pimpinan_unit) gives no hasil: it comes from the organisation."""

    id: str
    perilaku: str
    hasil: str | None = None
    pimpinan_unit: bool = False


@dataclass(frozen=True)
class Result:
    predikat: dict[str, str]  # employee id -> predikat, in input order
    distribusi: dict[str, int]  # predikat -> count (every predikat present, zeros included)
    jumlah: int
    pelanggaran: list[str] = field(default_factory=list)  # codes of the rules that do not hold, sorted

    @property
    def sesuai(self) -> bool:
        return not self.pelanggaran


def _one_of(value: Any, allowed: Sequence[str], where: str) -> str:
    if not isinstance(value, str) or value not in allowed:
        shown = repr(value) if isinstance(value, str) else type(value).__name__
        raise PredikatError(f"{where}: {shown} bukan nilai yang dikenal; pilih salah satu: {', '.join(allowed)}")
    return value


def predikat_of(hasil: str, perilaku: str) -> str:
    """The kuadran: rating hasil kerja x rating perilaku kerja -> predikat kinerja."""
    _one_of(hasil, EKSPEKTASI, "hasil")
    _one_of(perilaku, EKSPEKTASI, "perilaku")
    return KUADRAN[(hasil, perilaku)]


def hasil_pimpinan(organisasi: str) -> str:
    """The unit head's rating hasil kerja, from the unit's capaian kinerja organisasi."""
    return HASIL_PIMPINAN[_one_of(organisasi, ORGANISASI, "organisasi")]


def pola_check(organisasi: str, counts: dict[str, int]) -> list[str]:
    """Codes of the pola distribusi rules that do not hold on `counts` (predikat -> count), sorted."""
    _one_of(organisasi, ORGANISASI, "organisasi")
    full = {p: 0 for p in PREDIKAT}
    for key, n in counts.items():
        _one_of(key, PREDIKAT, "distribusi")
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise PredikatError(f"distribusi.{key}: harus bilangan bulat tidak negatif")
        full[key] = n
    return sorted(rule.kode for rule in POLA[organisasi] if not rule.berlaku(full))


def unit_predikat(organisasi: str, pegawai: Sequence[Entry]) -> Result:
    """Every employee's predikat, the unit's counts and the pola distribusi check. Raises PredikatError (naming the
    field as `pegawai[i].x`) on an empty list, a duplicate id, an unknown word, or a wrong unit head."""
    _one_of(organisasi, ORGANISASI, "organisasi")
    if not pegawai:
        raise PredikatError("pegawai: daftar kosong; sekurang-kurangnya satu pegawai")
    seen: dict[str, int] = {}
    head: int | None = None
    predikat: dict[str, str] = {}
    for i, e in enumerate(pegawai):
        where = f"pegawai[{i}]"
        if not isinstance(e.id, str) or not e.id.strip():
            raise PredikatError(f"{where}.id: harus berupa teks yang tidak kosong")
        if e.id in seen:
            raise PredikatError(f"{where}.id: {e.id!r} sudah dipakai oleh pegawai[{seen[e.id]}]")
        seen[e.id] = i
        perilaku = _one_of(e.perilaku, EKSPEKTASI, f"{where}.perilaku")
        if e.pimpinan_unit:
            if head is not None:
                raise PredikatError(
                    f"{where}.pimpinan_unit: pimpinan unit sudah ditetapkan pada pegawai[{head}]; hanya boleh satu"
                )
            head = i
            if e.hasil is not None:
                raise PredikatError(
                    f"{where}.hasil: pimpinan unit tidak diberi hasil kerja sendiri; hasilnya mengikuti capaian "
                    "kinerja organisasi"
                )
            hasil = HASIL_PIMPINAN[organisasi]
        else:
            if e.hasil is None:
                raise PredikatError(f"{where}.hasil: wajib diisi (kecuali untuk pimpinan unit)")
            hasil = _one_of(e.hasil, EKSPEKTASI, f"{where}.hasil")
        predikat[e.id] = KUADRAN[(hasil, perilaku)]
    counts = {p: 0 for p in PREDIKAT}
    for p in predikat.values():
        counts[p] += 1
    return Result(
        predikat=predikat, distribusi=counts, jumlah=len(predikat), pelanggaran=pola_check(organisasi, counts)
    )


# ---- the CLI contract -------------------------------------------------------------------------------------------


def _entries(data: dict[str, Any]) -> list[Entry]:
    rows = need_list(data, "pegawai")
    out = []
    for i, row in enumerate(rows):
        where = f"pegawai[{i}]"
        row = need_object(row, where)
        unknown = sorted(set(row) - {"id", "hasil", "perilaku", "pimpinan_unit", "nama"})
        if unknown:
            raise PredikatError(f"{where}.{unknown[0]}: kolom tidak dikenal")
        if "id" not in row:
            raise PredikatError(f"{where}.id: wajib diisi")
        if "perilaku" not in row:
            raise PredikatError(f"{where}.perilaku: wajib diisi")
        head = row.get("pimpinan_unit", False)
        if not isinstance(head, bool):
            raise PredikatError(f"{where}.pimpinan_unit: harus true atau false")
        out.append(Entry(id=row["id"], perilaku=row["perilaku"], hasil=row.get("hasil"), pimpinan_unit=head))
    return out


def predikat_case(data: Any) -> dict[str, Any]:
    """A case (spec/performance-predikat.md) -> the output object; PredikatError on a malformed case."""
    data = need_object(data, "kasus")
    if "organisasi" not in data:
        raise PredikatError("organisasi: wajib diisi")
    organisasi = _one_of(data["organisasi"], ORGANISASI, "organisasi")
    result = unit_predikat(organisasi, _entries(data))
    n = result.jumlah
    return {
        "pegawai": dict(result.predikat),
        "distribusi": {"jumlah": n, **result.distribusi},
        "pola": {"sesuai": result.sesuai, "pelanggaran": list(result.pelanggaran)},
        # extra keys (the spec allows more): labels, shares and explanations for people
        "organisasi": {"kode": organisasi, "label": LABEL_ORGANISASI[organisasi]},
        "label": {pid: LABEL_PREDIKAT[p] for pid, p in result.predikat.items()},
        "persentase": {p: round(100 * c / n, 2) for p, c in result.distribusi.items()},
        "penjelasan": [{"kode": code, "penjelasan": PENJELASAN[code]} for code in result.pelanggaran],
    }
