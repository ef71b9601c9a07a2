import datetime as dt

import pytest

from pamong.core.identifiers import (
    IdentifierError,
    make_ni_pppk,
    make_nik,
    make_nip,
    parse_nip,
    validate_nik,
    validate_nip,
)

BIRTH = dt.date(1986, 9, 26)


def test_valid_nip_parses_into_its_parts():
    parts = parse_nip("198609262015051001")
    assert parts.birth_date == BIRTH
    assert parts.appointed == dt.date(2015, 5, 1)
    assert parts.gender == "L"
    assert parts.sequence == 1


def test_valid_nip_consistent_with_birth_and_gender_is_returned_normalised():
    assert validate_nip("19860926 201505 1 001", birth_date=BIRTH, gender="L") == "198609262015051001"


@pytest.mark.parametrize(
    ("nip", "fragment"),
    [
        ("19860926201505100", "18 digit"),
        ("1986092620150510011", "18 digit"),
        ("19860926201505100A", "hanya boleh berisi angka"),
        ("", "wajib diisi"),
        ("198613262015051001", "tanggal lahir dalam NIP tidak valid"),
        ("198609262015131001", "TMT CPNS dalam NIP tidak valid"),
        ("198609262015053001", "jenis kelamin"),
        ("198609262015051000", "tidak boleh 000"),
        ("198609262000051001", "sebelum usia 18"),
    ],
)
def test_malformed_nip_is_refused_with_a_reason(nip, fragment):
    with pytest.raises(IdentifierError, match=fragment):
        validate_nip(nip, birth_date=None, gender=None)


def test_nip_inconsistent_with_stored_birth_date_is_refused():
    with pytest.raises(IdentifierError, match="tidak sama dengan tanggal lahir pegawai"):
        validate_nip("198609262015051001", birth_date=dt.date(1986, 9, 27), gender="L")


def test_nip_inconsistent_with_stored_gender_is_refused():
    with pytest.raises(IdentifierError, match="jenis kelamin"):
        validate_nip("198609262015051001", birth_date=BIRTH, gender="P")


def test_ni_pppk_has_its_own_layout():
    ni = make_ni_pppk(BIRTH, 2022, 21, "P", 7)
    assert ni == "198609262022212007"
    parts = parse_nip(ni, pppk=True)
    assert parts.appointed == dt.date(2022, 1, 1) and parts.gender == "P" and parts.sequence == 7
    # The same digits read as a PNS NIP have month "21": invalid.
    with pytest.raises(IdentifierError):
        parse_nip(ni)


def test_nik_women_have_day_plus_40_and_must_match_the_employee():
    nik = make_nik("137201", BIRTH, "P", 12)
    assert nik == "1372016609860012"
    assert validate_nik(nik, birth_date=BIRTH, gender="P") == nik
    with pytest.raises(IdentifierError, match="jenis kelamin"):
        validate_nik(nik, birth_date=BIRTH, gender="L")
    with pytest.raises(IdentifierError, match="tanggal lahir"):
        validate_nik(nik, birth_date=dt.date(1986, 9, 25), gender="P")


@pytest.mark.parametrize(
    ("nik", "fragment"),
    [
        ("137201260986001", "16 digit"),
        ("13720126098600123", "16 digit"),
        ("13720126O9860012", "hanya boleh berisi angka"),
        ("1372017209860012", "tanggal lahir dalam NIK"),
        ("1372012613860012", "tanggal lahir dalam NIK"),
        ("1372012609860000", "nomor urut nol"),
    ],
)
def test_malformed_nik_is_refused(nik, fragment):
    with pytest.raises(IdentifierError, match=fragment):
        validate_nik(nik, birth_date=None, gender=None)


def test_make_nip_round_trips():
    nip = make_nip(dt.date(1990, 2, 28), dt.date(2019, 3, 1), "P", 42)
    assert validate_nip(nip, birth_date=dt.date(1990, 2, 28), gender="P") == "199002282019032042"
