"""The PP 94/2021 absence ladder (pure): every threshold, the consecutive-days rule, lateness conversion."""

from __future__ import annotations

import datetime as dt

import pytest

from pamong.attendance.ladder import Conversion, conversion_from, ladder_from, longest_tk_run, recommend
from pamong.rules.params import params_in_force


@pytest.fixture(scope="module")
def ladder():
    return ladder_from(params_in_force(dt.date(2026, 6, 1))["disiplin/tidak_masuk_kerja"].value)


@pytest.mark.parametrize(
    ("days", "code", "level"),
    [
        (0, None, ""),
        (2, None, ""),
        (3, "teguran_lisan", "ringan"),
        (4, "teguran_tertulis", "ringan"),
        (6, "teguran_tertulis", "ringan"),
        (7, "pernyataan_tidak_puas", "ringan"),
        (10, "pernyataan_tidak_puas", "ringan"),
        (11, "potong_tpp_25_6_bulan", "sedang"),
        (13, "potong_tpp_25_6_bulan", "sedang"),
        (14, "potong_tpp_25_9_bulan", "sedang"),
        (16, "potong_tpp_25_9_bulan", "sedang"),
        (17, "potong_tpp_25_12_bulan", "sedang"),
        (20, "potong_tpp_25_12_bulan", "sedang"),
        (21, "penurunan_jabatan", "berat"),
        (24, "penurunan_jabatan", "berat"),
        (25, "pembebasan_jabatan", "berat"),
        (27, "pembebasan_jabatan", "berat"),
        (28, "pemberhentian", "berat"),
        (60, "pemberhentian", "berat"),
    ],
)
def test_cumulative_days_reach_their_step(ladder, days, code, level):
    rec = recommend(ladder, tk_days=days)
    assert (rec.code, rec.level, rec.tk_days) == (code, level, days)


def test_ten_consecutive_days_lead_to_dismissal_nine_do_not(ladder):
    nine = recommend(ladder, tk_days=9, longest_run=9)
    assert (nine.code, nine.run_reached) == ("pernyataan_tidak_puas", False)
    ten = recommend(ladder, tk_days=10, longest_run=10)
    assert (ten.code, ten.level, ten.run_reached) == ("pemberhentian", "berat", True)
    assert ten.step is not None and ten.step.code == "pernyataan_tidak_puas"  # the cumulative step is kept too


def test_ladder_codes_are_the_regions_sanction_codes(ladder):
    table = params_in_force(dt.date(2026, 6, 1), "sawahlunto")["tpp/hukuman_disiplin"].value
    assert {s.code for s in ladder.steps} <= set(table)
    assert table["pemberhentian"] == {"potongan": 0, "bulan": 0}


def test_a_holiday_or_weekend_does_not_break_a_run_any_other_day_does():
    assert longest_tk_run(["TTTTT--TTTTT"]) == 10  # a weekend inside
    assert longest_tk_run(["TTTT-TTTTTT"]) == 10  # a holiday inside
    assert longest_tk_run(["TTTTTATTTTT"]) == 5  # an approved absence breaks it
    assert longest_tk_run(["TTTTTHTTTT"]) == 5  # a day present breaks it
    assert longest_tk_run(["HHHTTTT--", "TTTTTT-"]) == 10  # across months
    assert longest_tk_run(["HHHTTTT--", None, "TTTTTT-"]) == 6  # a month without recap breaks it
    assert longest_tk_run([]) == 0


def test_lateness_minutes_convert_to_days_when_active(ladder):
    on = Conversion(active=True, minutes_per_day=450)
    off = Conversion(active=False, minutes_per_day=450)
    assert recommend(ladder, tk_days=2, minutes=449, conversion=on).code is None
    rec = recommend(ladder, tk_days=2, minutes=450, conversion=on)
    assert (rec.code, rec.tk_days, rec.tk_recorded, rec.converted_days) == ("teguran_lisan", 3, 2, 1)
    assert recommend(ladder, tk_days=2, minutes=4500, conversion=off).code is None
    assert recommend(ladder, tk_days=0, minutes=11 * 450, conversion=on).code == "potong_tpp_25_6_bulan"


def test_the_regions_example_pack_converts_every_450_minutes():
    conv = conversion_from(params_in_force(dt.date(2026, 6, 1), "sawahlunto")["disiplin/konversi_terlambat"].value)
    assert conv == Conversion(active=True, minutes_per_day=450)
    assert conversion_from(None).days(10_000) == 0


def test_a_ladder_with_a_gap_is_refused():
    value = {
        "kumulatif": [
            {"dari": 3, "sampai": 3, "tingkat": "ringan", "hukuman": "a"},
            {"dari": 5, "sampai": None, "tingkat": "berat", "hukuman": "b"},
        ],
        "berturut_turut": {"hari": 10, "tingkat": "berat", "hukuman": "b"},
    }
    with pytest.raises(ValueError, match="tidak bersambung"):
        ladder_from(value)
