"""Facts: what the engine needs to know about a batch of employees for one month, as arrays (one row per person).

Money and counts are int64, rates basis points (int64), categories small-int codes or fixed-width text codes.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import numpy.typing as npt

from pamong.engine.rounding import Amount

# status
PNS, CPNS, PPPK = 0, 1, 2
STATUS_CODES = {"PNS": PNS, "CPNS": CPNS, "PPPK": PPPK}

# jabatan.jenis
PELAKSANA, STRUKTURAL, FUNGSIONAL = 0, 1, 2
JABATAN_CODES = {"pelaksana": PELAKSANA, "struktural": STRUKTURAL, "fungsional": FUNGSIONAL}

# discipline bands, the column order of Facts.discipline
DISCIPLINE_BANDS = ("TL1", "TL2", "TL3", "TL4", "PSW1", "PSW2", "PSW3", "PSW4", "TK")

Codes = npt.NDArray[np.str_]
Small = npt.NDArray[np.int8]
Flags = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Facts:
    status: Small  # PNS | CPNS | PPPK
    golongan: Codes  # "III/b" (PNS/CPNS) or "IX" (PPPK)
    mkg_years: Amount
    jabatan: Small  # PELAKSANA | STRUKTURAL | FUNGSIONAL
    eselon: Codes  # "III.a" for struktural, "" otherwise
    tunjangan_fungsional: Amount  # the given amount for fungsional, 0 otherwise
    spouse_here: Flags  # a spouse exists and the spouse allowance is paid here
    children_eligible: Amount
    ptkp: Codes  # "K/2"
    tpp_pagu: Amount
    capaian_bp: Amount  # monthly performance achievement, basis points (100 % = 10 000)
    discipline: Amount  # shape (n, len(DISCIPLINE_BANDS)): counts per band
    # the TPP cut of the disciplinary sanction (hukuman disiplin) running this month, basis points; 0 = none. The
    # caller picks the sanction in force and looks its cut up in the region's pack.
    sanction_cut_bp: Amount | None = None
    # awards (penghargaan) paid with this month's TPP by decree, rupiah; 0 = none
    penghargaan: Amount | None = None

    def __post_init__(self) -> None:
        n = self.size
        for optional in ("sanction_cut_bp", "penghargaan"):
            if getattr(self, optional) is None:
                object.__setattr__(self, optional, np.zeros(n, dtype=np.int64))
        for f in fields(self):
            arr = getattr(self, f.name)
            if not isinstance(arr, np.ndarray) or arr.shape[:1] != (n,):
                raise ValueError(f"Facts.{f.name}: harus array dengan {n} baris")
        if self.discipline.shape != (n, len(DISCIPLINE_BANDS)):
            raise ValueError(f"Facts.discipline: harus berbentuk ({n}, {len(DISCIPLINE_BANDS)})")

    @property
    def size(self) -> int:
        return int(self.status.shape[0])

    @classmethod
    def concat(cls, batches: list[Facts]) -> Facts:
        """One batch from several (e.g. one per OPD, or one per person)."""
        return cls(**{f.name: np.concatenate([getattr(b, f.name) for b in batches]) for f in fields(cls)})


@dataclass(frozen=True)
class Ytd:
    """December only (spec rule 9): the year's totals for the months before December, one row per person. Money is
    int64 rupiah; bruto figures are PPh 21 bruto (employer premiums included when the policy says so)."""

    months: Amount  # months worked before December (0..11)
    bruto_gaji: Amount
    bruto_total: Amount  # gaji + TPP
    pph21_gaji_withheld: Amount
    pph21_tpp_withheld: Amount
    iuran_pensiun: Amount  # Taspen paid by the employee

    def __post_init__(self) -> None:
        n = self.size
        for f in fields(self):
            arr = getattr(self, f.name)
            if not isinstance(arr, np.ndarray) or arr.shape != (n,) or arr.dtype != np.int64:
                raise ValueError(f"Ytd.{f.name}: harus array int64 dengan {n} baris")

    @property
    def size(self) -> int:
        return int(self.months.shape[0])

    @classmethod
    def concat(cls, batches: list[Ytd]) -> Ytd:
        return cls(**{f.name: np.concatenate([getattr(b, f.name) for b in batches]) for f in fields(cls)})
