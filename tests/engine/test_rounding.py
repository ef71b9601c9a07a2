import numpy as np
import pytest

from pamong.engine.rounding import floor_1000, pct_floor, round_up_100


def test_pct_floor_floors_each_amount_to_rupiah():
    assert pct_floor(np.array([3287000, 3747180, 1, 9999, 10000]), 800).tolist() == [262960, 299774, 0, 799, 800]
    assert pct_floor(6908180, 400) == 276327  # 276 327,2 → 276 327
    assert pct_floor(np.array([4102317]), np.array([0])).tolist() == [0]


def test_pct_floor_is_exact_on_large_amounts():
    big = np.array([10**12 + 1], dtype=np.int64)
    assert pct_floor(big, 9999).tolist() == [(10**12 + 1) * 9999 // 10000]


def test_pct_floor_refuses_floats():
    with pytest.raises(TypeError):
        pct_floor(np.array([1.5]), 100)


def test_round_up_100_edges():
    assert round_up_100(np.array([0, 1, 99, 100, 101, 3882765, 3882800, -1, -100, -101])).tolist() == [
        0,
        100,
        100,
        100,
        200,
        3882800,
        3882800,
        0,
        -100,
        -100,
    ]


def test_floor_1000_edges():
    assert floor_1000(np.array([0, 999, 1000, 1999, 14468160, -1])).tolist() == [0, 0, 1000, 1000, 14468000, -1000]


def test_results_are_int64():
    for result in (pct_floor(np.array([5]), 100), round_up_100(np.array([5])), floor_1000(np.array([5]))):
        assert result.dtype == np.int64
