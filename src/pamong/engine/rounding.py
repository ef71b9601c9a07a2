"""Named rounding rules. Money is int64 rupiah, rates are integer basis points (1 % = 100); nothing here uses floats.

Each rule that rounds says which helper it uses, so a reader of a payslip line knows how the rupiah came about.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

Amount = npt.NDArray[np.int64]

BP = 10000  # 100 % in basis points


def as_amount(value: Any) -> Amount:
    """An int64 array (a scalar becomes a 0-d array). Refuses floats: money must never pass through a float."""
    arr = np.asarray(value)
    if arr.dtype.kind == "b":
        return arr.astype(np.int64)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"jumlah uang harus bilangan bulat, bukan {arr.dtype}")
    return arr.astype(np.int64, copy=False)


def pct_floor(amount: Any, bp: Any) -> Amount:
    """amount × bp / 10 000, floored to Rp1 (toward −∞). Every percentage of an amount is floored on its own."""
    return (as_amount(amount) * as_amount(bp)) // BP


def round_up_100(amount: Any) -> Amount:
    """Up (toward +∞) to a multiple of Rp100: net gaji."""
    return -((-as_amount(amount)) // 100) * 100


def floor_1000(amount: Any) -> Amount:
    """Down (toward −∞) to a multiple of Rp1.000: PKP (penghasilan kena pajak)."""
    return (as_amount(amount) // 1000) * 1000
