import pytest
from hypothesis import given
from hypothesis import strategies as st

from pamong.core.formats import terbilang


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (0, "nol rupiah"),
        (1, "satu rupiah"),
        (10, "sepuluh rupiah"),
        (11, "sebelas rupiah"),
        (15, "lima belas rupiah"),
        (20, "dua puluh rupiah"),
        (100, "seratus rupiah"),
        (111, "seratus sebelas rupiah"),
        (1000, "seribu rupiah"),
        (1001, "seribu satu rupiah"),
        (1100, "seribu seratus rupiah"),
        (11_000, "sebelas ribu rupiah"),
        (100_000, "seratus ribu rupiah"),
        (1_000_000, "satu juta rupiah"),
        (1_001_000, "satu juta seribu rupiah"),
        (3_882_800, "tiga juta delapan ratus delapan puluh dua ribu delapan ratus rupiah"),
        (
            12_345_678_901,
            "dua belas miliar tiga ratus empat puluh lima juta enam ratus tujuh puluh delapan ribu sembilan ratus "
            "satu rupiah",
        ),
        (2_000_000_000_000, "dua triliun rupiah"),
        (-7_500, "minus tujuh ribu lima ratus rupiah"),
    ],
)
def test_terbilang_reads_amounts_as_written(amount: int, words: str) -> None:
    assert terbilang(amount) == words


def test_terbilang_without_unit() -> None:
    assert terbilang(1_000, unit="") == "seribu"


def test_terbilang_refuses_non_integers() -> None:
    with pytest.raises(TypeError):
        terbilang(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        terbilang(True)


# a reading back of the words, independent of how they were produced
_DIGITS = {"satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8,
           "sembilan": 9, "sepuluh": 10, "sebelas": 11}  # fmt: skip
_SCALES = {"ribu": 10**3, "juta": 10**6, "miliar": 10**9, "triliun": 10**12}


def _read(words: str) -> int:
    tokens = words.split()
    assert tokens.pop() == "rupiah"
    sign = 1
    if tokens[0] == "minus":
        sign = -1
        tokens.pop(0)
    if tokens == ["nol"]:
        return 0
    total = group = last = 0
    for tok in tokens:
        if tok in _DIGITS:
            last = _DIGITS[tok]
            group += last
        elif tok == "belas":
            group += 10
        elif tok == "puluh":
            group += last * 9
        elif tok == "ratus":
            group += last * 99
        elif tok == "seratus":
            group += 100
        elif tok == "seribu":
            assert group == 0
            total += 1000
        elif tok in _SCALES:
            assert 0 < group < 1000
            total += group * _SCALES[tok]
            group = 0
        else:
            raise AssertionError(f"unexpected word {tok!r} in {words!r}")
    return sign * (total + group)


@given(st.integers(min_value=-(10**15) + 1, max_value=10**15 - 1))
def test_terbilang_reads_back_and_has_no_odd_words(amount: int) -> None:
    words = terbilang(amount)
    assert _read(words) == amount
    tokens = words.split()
    pairs = list(zip(["<"] + tokens, tokens, tokens[1:], strict=False))
    for before, word, after in pairs:
        assert not (word == "satu" and after in ("ratus", "puluh", "belas")), words
        # a thousand alone is "seribu"; "satu ribu" only ends a longer group ("empat puluh satu ribu")
        assert not (word == "satu" and after == "ribu" and (before in _SCALES or before in ("<", "minus"))), words
        assert not (word in ("sepuluh", "sebelas") and after in ("belas", "puluh", "ratus")), words
    assert all(a != b for a, b in zip(tokens, tokens[1:], strict=False)), words
    scales = [t for t in tokens if t in _SCALES or t == "seribu"]
    assert len(scales) == len(set(scales)), words  # each scale once, e.g. no "ribu ... ribu"
    assert ("nol" in tokens) == (amount == 0)
