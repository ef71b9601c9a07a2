"""Importing employees: all-or-nothing validation with every error named, dry run, idempotent re-import,
updates by NIP with audit, NIP as text in Excel, CSV dialects, the operator's scope."""

from __future__ import annotations

import datetime as dt

import pytest

from pamong.audit.models import AuditEvent
from pamong.core.errors import Forbidden
from pamong.people.imports import import_file
from pamong.people.models import Employee, RankHistory
from tests import factories as f
from tests.people.test_import_helpers import employee_row, errors_of, to_csv, to_xlsx


def run(actor, content: bytes, *, filename: str = "pegawai.csv", dry_run: bool = False, reason: str = ""):
    return import_file(
        actor=actor, kind="employees", filename=filename, content=content, dry_run=dry_run, reason=reason
    )


@pytest.fixture
def admin(city):
    return city.users["admin"]


def test_new_employees_are_created_with_histories_and_audit(city, admin):
    a = f.record(city.staff_pos, name="Baru Satu")
    b = f.record(city.staff_pos, name="Baru Dua", gender="P", birth=dt.date(1990, 1, 30))
    events = AuditEvent.objects.count()

    report = run(admin, to_csv([employee_row(a), employee_row(b)]), reason="Migrasi data SIASN")

    assert report.errors == []
    assert (report.rows_total, report.created, report.updated, report.unchanged, report.applied) == (2, 2, 0, 0, True)
    emp = Employee.objects.get(nip=b.nip)
    assert (emp.name, emp.gender, emp.birth_date, emp.position_id) == ("Baru Dua", "P", b.birth_date, city.staff_pos.pk)
    assert emp.rank_history.get().sk_number == b.rank_sk_number
    assert emp.position_history.get().sk_number == b.position_sk_number
    new_events = AuditEvent.objects.filter(seq__gt=events)
    assert new_events.filter(action="employee.created").count() == 2
    assert set(new_events.values_list("reason", flat=True)) == {"Migrasi data SIASN"}


def test_file_with_one_bad_row_imports_nothing_and_names_the_row(city, admin):
    good = f.record(city.staff_pos)
    bad = f.record(city.staff_pos)
    employees, events = Employee.objects.count(), AuditEvent.objects.count()

    report = run(admin, to_csv([employee_row(good), employee_row(bad, TANGGAL_LAHIR="31-02-1986")]))

    assert errors_of(report) == [(3, "TANGGAL_LAHIR", "31-02-1986")]
    assert report.errors[0].message == "tanggal tidak ada di kalender"
    assert str(report.errors[0]) == "baris 3, kolom TANGGAL_LAHIR, nilai '31-02-1986': tanggal tidak ada di kalender"
    assert not report.applied and report.created == 0
    assert Employee.objects.count() == employees
    assert AuditEvent.objects.count() == events


def test_errors_found_by_the_record_validation_map_to_row_and_column(city, admin):
    ok = f.record(city.staff_pos)
    pppk = f.record(city.staff_pos, employee_type="PPPK")
    wrong_nip = f.record(city.staff_pos)
    rows = [
        employee_row(ok),
        employee_row(pppk, GOLONGAN="III/b"),  # a PPPK has grades I..XVII
        employee_row(wrong_nip, NIP=wrong_nip.nip[:8].replace("1986", "1987") + wrong_nip.nip[8:]),
    ]

    report = run(admin, to_csv(rows))

    assert [(e.row, e.column) for e in report.errors] == [(3, "GOLONGAN"), (4, "NIP")]
    assert report.errors[0].value == "III/b"
    assert "PPPK" in report.errors[0].message
    assert "tanggal lahir dalam NIP" in report.errors[1].message
    assert not Employee.objects.filter(nip=ok.nip).exists()


def test_all_errors_are_reported_not_only_the_first(city, admin):
    recs = [f.record(city.staff_pos) for _ in range(5)]
    rows = [
        employee_row(recs[0]),
        employee_row(recs[1], JENIS_KELAMIN="X", MKG_BULAN="12"),
        employee_row(recs[2], KODE_JABATAN="TIDAK-ADA"),
        employee_row(recs[3], EMAIL="bukan-email", TMT_CPNS="2012/03/01"),
        employee_row(recs[4], NIP=recs[4].nip[:-3] + "000"),  # caught by employees_upsert, not by the parser
    ]

    report = run(admin, to_csv(rows))

    assert [(e.row, e.column) for e in report.errors] == [
        (3, "JENIS_KELAMIN"),
        (3, "MKG_BULAN"),
        (4, "KODE_JABATAN"),
        (5, "TMT_CPNS"),
        (5, "EMAIL"),
        (6, "NIP"),
    ]
    assert report.errors[1].message == "harus antara 0 dan 11"
    assert report.errors[2].message == "kode jabatan tidak ditemukan"
    assert "000" in report.errors[5].message
    assert not Employee.objects.filter(nip__in=[r.nip for r in recs]).exists()


def test_dry_run_reports_what_would_change_and_writes_nothing(city, admin):
    new = f.record(city.staff_pos)
    first = f.record(city.staff_pos)
    run(admin, to_csv([employee_row(first)]))
    employees, events, ranks = Employee.objects.count(), AuditEvent.objects.count(), RankHistory.objects.count()

    report = run(admin, to_csv([employee_row(new), employee_row(first, ALAMAT="Jl. Baru 1")]), dry_run=True)

    assert report.errors == []
    assert (report.created, report.updated, report.unchanged, report.applied) == (1, 1, 0, False)
    assert Employee.objects.count() == employees
    assert AuditEvent.objects.count() == events
    assert RankHistory.objects.count() == ranks
    assert Employee.objects.get(nip=first.nip).address == ""


def test_reimporting_the_same_file_changes_nothing(city, admin):
    content = to_xlsx([employee_row(f.record(city.staff_pos)) for _ in range(3)])
    assert run(admin, content, filename="p.xlsx").created == 3
    employees, events, ranks = Employee.objects.count(), AuditEvent.objects.count(), RankHistory.objects.count()

    report = run(admin, content, filename="p.xlsx")

    assert (report.created, report.updated, report.unchanged, report.applied) == (0, 0, 3, True)
    assert (Employee.objects.count(), AuditEvent.objects.count(), RankHistory.objects.count()) == (
        employees,
        events,
        ranks,
    )


def test_update_matched_by_nip_changes_the_field_and_audits_before_after(city, admin):
    rec = f.record(city.staff_pos)
    run(admin, to_csv([employee_row(rec, ALAMAT="Jl. Lama 1")]))
    emp = Employee.objects.get(nip=rec.nip)

    report = run(admin, to_csv([employee_row(rec, ALAMAT="Jl. Baru 2")]), reason="Perbaikan alamat")

    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    emp.refresh_from_db()
    assert emp.address == "Jl. Baru 2"
    event = AuditEvent.objects.filter(object_type="people.employee", object_id=str(emp.pk)).order_by("-seq").first()
    assert event.action == "employee.updated"
    assert event.changes == {"address": ["Jl. Lama 1", "Jl. Baru 2"]}
    assert event.reason == "Perbaikan alamat"


def test_rank_change_needs_its_decree_and_adds_rank_history(city, admin):
    rec = f.record(city.staff_pos, golongan="III/b")
    run(admin, to_csv([employee_row(rec)]))

    refused = run(admin, to_csv([employee_row(rec, GOLONGAN="III/c", NOMOR_SK_PANGKAT="")]))
    assert errors_of(refused) == [(2, "NOMOR_SK_PANGKAT", "")]

    changed = employee_row(
        rec,
        GOLONGAN="III/c",
        NOMOR_SK_PANGKAT="800/77/2026",
        TANGGAL_SK_PANGKAT="01-03-2026",
        TMT_GOLONGAN="01-04-2026",
        MKG_TAHUN="10",
    )
    report = run(admin, to_csv([changed]))
    emp = Employee.objects.get(nip=rec.nip)
    assert report.updated == 1
    assert (emp.golongan, emp.mkg_years, emp.mkg_set_on) == ("III/c", 10, dt.date(2026, 4, 1))
    assert emp.rank_history.count() == 2
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.sk_number == "800/77/2026"
    assert event.changes["golongan"] == ["III/b", "III/c"]


def test_numeric_nip_cell_in_xlsx_is_refused_with_the_text_hint(city, admin):
    rec = f.record(city.staff_pos)
    row = employee_row(rec, NIP=float(rec.nip), NIK=int(rec.nik), NOMOR_REKENING=int(rec.bank_account_number))

    report = run(admin, to_xlsx([row]), filename="pegawai.xlsx")

    assert [(e.row, e.column) for e in report.errors] == [(2, "NIP"), (2, "NIK"), (2, "NOMOR_REKENING")]
    shown = report.errors[0].value  # as Excel holds it: 15 significant digits, the last ones lost
    # (not compared with format(float, ".15g"): the cell's stored digits and Python's rounding of the 16th digit
    # can differ by one in the last place, depending on the factory's sequence number)
    mantissa = shown.split("e")[0].replace(".", "")
    assert shown.startswith("1.98609262") and shown.endswith("e+17") and len(mantissa) <= 15
    assert abs(float(shown) - float(rec.nip)) < 1e3
    for e in report.errors:
        assert "Teks (Text)" in e.message
    assert not Employee.objects.filter(nik=rec.nik).exists()


def test_nip_in_scientific_notation_from_a_csv_is_refused_with_the_text_hint(city, admin):
    rec = f.record(city.staff_pos)
    report = run(admin, to_csv([employee_row(rec, NIP="1,98609E+17")], delimiter=";"))
    assert errors_of(report) == [(2, "NIP", "1,98609E+17")]
    assert "Teks (Text)" in report.errors[0].message


def test_csv_with_bom_and_semicolons(city, admin):
    rec = f.record(city.staff_pos, name="Nagari; Koto")  # a delimiter inside a quoted value
    content = to_csv([employee_row(rec)], delimiter=";", bom=True)
    assert content.startswith(b"\xef\xbb\xbfNIP;NIK;")

    report = run(admin, content)

    assert report.errors == [] and report.created == 1
    assert Employee.objects.get(nip=rec.nip).name == "Nagari; Koto"


def test_xlsx_date_cells_date_formats_gender_variants_and_header_spelling(city, admin):
    a = f.record(city.staff_pos, gender="P", birth=dt.date(1990, 1, 30))
    b = f.record(city.staff_pos)
    c = f.record(city.staff_pos)
    rows = [
        employee_row(a, TANGGAL_LAHIR=dt.datetime(1990, 1, 30), JENIS_KELAMIN=2, MKG_TAHUN=8, MKG_BULAN=0),
        employee_row(b, TANGGAL_LAHIR="1986-09-26", JENIS_KELAMIN="Laki-laki", TMT_CPNS="01/03/2012"),
        employee_row(c, JENIS_KELAMIN="laki laki", GOLONGAN="iii/b", STATUS="Aktif", JENIS_PEGAWAI="pns"),
    ]
    report = run(admin, to_xlsx(rows), filename="Pegawai.XLSX")

    assert report.errors == [], report.errors
    assert report.created == 3
    emp_a = Employee.objects.get(nip=a.nip)
    assert (emp_a.gender, emp_a.birth_date) == ("P", dt.date(1990, 1, 30))
    assert Employee.objects.get(nip=c.nip).golongan == "III/b"


def test_header_is_case_insensitive_with_spaces(city, admin):
    rec = f.record(city.staff_pos)
    row = {k.lower().replace("_", " ").title(): v for k, v in employee_row(rec).items()}
    report = run(admin, to_csv([row]))
    assert report.errors == [] and report.created == 1


def test_unknown_and_missing_columns_are_one_error_each(city, admin):
    row = employee_row(f.record(city.staff_pos), FOO="x", WARNA="biru")
    del row["NIK"], row["TANGGAL_LAHIR"]

    report = run(admin, to_csv([row]))

    assert [(e.row, e.column) for e in report.errors] == [(1, "FOO, WARNA"), (1, "NIK, TANGGAL_LAHIR")]
    assert report.errors[0].message.startswith("kolom tidak dikenal: FOO, WARNA")
    assert report.errors[1].message == "kolom wajib tidak ada: NIK, TANGGAL_LAHIR"


def test_duplicate_nip_and_nik_in_the_file(city, admin):
    a, b = f.record(city.staff_pos), f.record(city.staff_pos)
    report = run(admin, to_csv([employee_row(a), employee_row(a, NIK=b.nik), employee_row(b)]))
    assert [(e.row, e.column) for e in report.errors] == [(3, "NIP"), (4, "NIK")]
    assert "baris 2" in report.errors[0].message and "baris 3" in report.errors[1].message


def test_absent_optional_column_keeps_the_stored_value(city, admin):
    rec = f.record(city.staff_pos)
    run(admin, to_csv([employee_row(rec, ALAMAT="Jl. Tetap 3", TELEPON="0812")]))
    row = employee_row(rec)
    del row["ALAMAT"], row["TELEPON"]

    report = run(admin, to_csv([row]))

    assert (report.updated, report.unchanged) == (0, 1)
    emp = Employee.objects.get(nip=rec.nip)
    assert (emp.address, emp.phone) == ("Jl. Tetap 3", "0812")


def test_status_since_defaults(city, admin):
    pns = f.record(city.staff_pos)  # aktif, TMT PNS 2013-03-01
    cpns = f.record(city.staff_pos, employee_type="CPNS")
    run(admin, to_csv([employee_row(pns), employee_row(cpns)]))
    assert Employee.objects.get(nip=pns.nip).status_since == dt.date(2013, 3, 1)
    assert Employee.objects.get(nip=cpns.nip).status_since == dt.date(2012, 3, 1)

    report = run(admin, to_csv([employee_row(pns, STATUS="tugas_belajar", TMT_STATUS="01-08-2025")]))
    assert report.updated == 1
    assert Employee.objects.get(nip=pns.nip).status_since == dt.date(2025, 8, 1)


def test_operator_imports_only_into_their_own_opd(city):
    operator = city.users["operator_a"]
    mine = f.record(city.staff_pos)
    other_pos = city.other.position
    theirs = f.record(other_pos)

    refused = run(operator, to_csv([employee_row(mine), employee_row(theirs)]))
    assert [(e.row, e.column) for e in refused.errors] == [(3, "KODE_UNIT")]
    assert "di luar OPD" in refused.errors[0].message

    moved_out = employee_row(f.record(city.staff_pos), NIP=city.other.nip, NIK=city.other.nik)
    assert (3, "NIP") in [(e.row, e.column) for e in run(operator, to_csv([employee_row(mine), moved_out])).errors]

    assert run(operator, to_csv([employee_row(mine)])).created == 1


def test_users_without_import_right_are_refused(city):
    with pytest.raises(Forbidden):
        run(city.users["treasurer_a"], to_csv([employee_row(f.record(city.staff_pos))]))


def test_unreadable_files_are_one_error(city, admin):
    assert errors_of(run(admin, b"\x00\x01", filename="p.xlsx"))[0][0] == 0
    assert "UTF-8" in run(admin, "NIP;NAMA\n1;Andi\xe9\n".encode("latin-1")).errors[0].message
    assert ".xlsx" in run(admin, b"x", filename="p.xls").errors[0].message
    assert "kosong" in run(admin, b"").errors[0].message
