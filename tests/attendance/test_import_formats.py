"""Machine export parsers: attlog, CSV and XLSX, told apart by content; every bad row with its line and reason."""

from __future__ import annotations

import datetime as dt

import pytest

from pamong.attendance import punch_formats as pf
from tests.attendance.factories_import import attlog, xlsx

D = dt.date(2026, 3, 2)


def rows(p: pf.ParsedFile) -> list[tuple[str, dt.date, int]]:
    return list(zip(p.user_ids, p.dates, p.seconds, strict=True))


def test_attlog_tab_separated_with_trailing_columns():
    p = pf.parse_punch_file(attlog(("1", "2026-03-02 07:01:02"), ("10234", "2026-03-02 16:05:00")))
    assert p.fmt == "attlog" and not p.errors
    assert rows(p) == [("1", D, 7 * 3600 + 62), ("10234", D, 16 * 3600 + 300)]
    assert p.lines == [1, 2]


def test_attlog_dat_variant_space_separated_fewer_columns_and_blank_lines():
    data = b"\n   7 2026-03-02 07:00:00 1 0\n\n   7 2026-03-02 16:30:00\n"
    p = pf.parse_punch_file(data)
    assert p.fmt == "attlog" and not p.errors
    assert rows(p) == [("7", D, 7 * 3600), ("7", D, 16 * 3600 + 1800)]
    assert p.lines == [2, 4]


def test_attlog_bad_rows_are_listed_with_line_numbers_and_reasons():
    data = attlog(("1", "2026-03-02 07:01:02")) + b"   2\t2026-02-30 07:00:00\t1\n   3\t2026-03-02 25:00:00\n   4\n"
    data += b"   5\t1999-12-31 07:00:00\t1\n"
    p = pf.parse_punch_file(data)
    assert p.rows == 1
    assert [(e.line, e.message) for e in p.errors] == [
        (2, "tanggal tidak ada di kalender"),
        (3, "jam di luar 00:00:00–23:59:59"),
        (4, "baris tidak lengkap: harus berisi ID pengguna, tanggal dan jam"),
        (5, "tahun 1999 tidak wajar: periksa jam dan tanggal mesin presensi"),
    ]


def test_csv_with_no_id_and_one_timestamp_column_semicolon_dmy():
    data = "Nama;No. ID;Waktu;Status\nBudi;12;02/03/2026 07:05:00;C/Masuk\nBudi;12;02/03/2026 16:10;C/Keluar\n"
    p = pf.parse_punch_file(data.encode())
    assert p.fmt == "csv" and not p.errors
    assert rows(p) == [("12", D, 7 * 3600 + 300), ("12", D, 16 * 3600 + 600)]
    assert p.lines == [2, 3]


def test_csv_with_separate_date_and_time_columns_comma_iso_and_bom():
    data = "\ufeffPIN,Tanggal,Jam\n5,2026-03-02,07:30\n".encode()
    p = pf.parse_punch_file(data)
    assert rows(p) == [("5", D, 7 * 3600 + 1800)]


def test_csv_user_id_header_and_bad_rows():
    data = b"User ID,DateTime\n9,2026-03-02 07:00:00\n,2026-03-02 07:00:00\n9,kemarin\n9,2026-03-02 7:61\n"
    p = pf.parse_punch_file(data)
    assert p.rows == 1
    assert [(e.line, e.message) for e in p.errors] == [
        (3, "ID pengguna mesin kosong"),
        (4, "waktu tidak dikenali (gunakan 'dd/mm/yyyy JJ:MM:DD' atau 'yyyy-mm-dd JJ:MM:DD')"),
        (5, "jam di luar 00:00:00–23:59:59"),
    ]


def test_csv_without_recognisable_columns_is_unreadable():
    with pytest.raises(pf.UnreadableFile, match="kolom ID pengguna mesin"):
        pf.parse_punch_file(b"nama,alamat\nBudi,Jl. A\n")


def test_xlsx_with_datetime_cells_and_text_cells():
    data = xlsx([["No. ID", "Tanggal", "Jam"], [3, dt.datetime(2026, 3, 2), dt.time(7, 15)],
                 ["4", "02/03/2026", "16:00:00"], [5, "bukan tanggal", "07:00"]])  # fmt: skip
    p = pf.parse_punch_file(data)
    assert p.fmt == "xlsx"
    assert rows(p) == [("3", D, 7 * 3600 + 900), ("4", D, 16 * 3600)]
    assert [(e.line, e.message) for e in p.errors] == [
        (4, "tanggal tidak dikenali (gunakan dd/mm/yyyy atau yyyy-mm-dd)")
    ]


def test_format_is_told_by_content_not_by_name():
    assert pf.detect_format(attlog(("1", "2026-03-02 07:01:02"))) == "attlog"
    assert pf.detect_format(b"PIN,Waktu\n1,2026-03-02 07:00\n") == "csv"
    assert pf.detect_format(xlsx([["PIN", "Waktu"]])) == "xlsx"


def test_a_broken_zip_is_unreadable_not_a_crash():
    with pytest.raises(pf.UnreadableFile):
        pf.parse_punch_file(pf.ZIP_MAGIC + b"not really a zip")


def test_the_demo_generator_output_parses_cleanly():
    from pamong.demo.attendance_files import attlog as demo_attlog

    data = demo_attlog([("17", D, 25_200), ("17", D, 59_400)])
    p = pf.parse_punch_file(data)
    assert rows(p) == [("17", D, 25_200), ("17", D, 59_400)] and not p.errors


def test_a_clean_file_and_the_same_file_with_one_bad_line_read_alike():
    """The one-pass reader of clean files and the line-by-line reader agree; a bad line switches to the latter."""
    import random

    rng = random.Random(7)

    def stamp() -> str:
        day, h, m, s = rng.randint(1, 31), rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)
        return f"2026-03-{day:02d} {h:02d}:{m:02d}:{s:02d}"

    rows = [(str(rng.randint(1, 500)), stamp()) for _ in range(2000)]
    clean = pf.parse_punch_file(attlog(*rows))
    slow = pf._parse_attlog_lines(attlog(*rows).decode())
    assert rows_of(clean) == rows_of(slow) and clean.lines == slow.lines and not clean.errors
    broken = pf.parse_punch_file(attlog(*rows) + b"   7\t2026-03-02 07:00\\x\n" + attlog(*rows[:1]))
    assert rows_of(broken) == rows_of(clean) + rows_of(clean)[:1]
    assert broken.lines[-1] == 2002 and [e.line for e in broken.errors] == [2001]
    bad = pf.parse_punch_file(b"  7\\x\t2026-03-02 07:00:00\n")
    assert bad.errors[0].message == "ID pengguna mesin berisi karakter yang tidak sah"


def rows_of(p: pf.ParsedFile) -> list[tuple[str, dt.date, int]]:
    return list(zip(p.user_ids, p.dates, p.seconds, strict=True))
