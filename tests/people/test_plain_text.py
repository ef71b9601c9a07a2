"""Every text field refuses control characters (CR/LF, tab, NUL, zero-width and bidi marks), whatever the entry
path — import, API, service — with an Indonesian message naming the field; names may not start like a formula."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from pamong.core.errors import ValidationFailed
from pamong.core.text import bad_char, fixed_field, flatten, name_error
from pamong.org.services import position_create, unit_create, unit_update, units_create_bulk
from pamong.people.imports import import_file
from pamong.people.models import Employee, FamilyMember
from pamong.people.records import validate
from pamong.people.services import Sk, employee_update_contact, employees_upsert, family_member_save, status_change
from tests import factories as f
from tests.people.test_import_helpers import employee_row, to_csv

INJECTIONS = ["Budi\r\nEVIL;1;999", "Budi\nx", "Budi\tSantoso", "Budi\x00", "Bu\u200bdi", "Budi\u202eiduB", "A\u2028B"]


@pytest.mark.parametrize("value", INJECTIONS)
def test_control_and_format_characters_are_found(value):
    assert bad_char(value) is not None


@pytest.mark.parametrize("value", ["Budi Santoso", "Siti Nur'aini, S.Pd.", "Ñoño Ütama", "O'Neil-Putra", ""])
def test_ordinary_text_passes(value):
    assert bad_char(value) is None and name_error("nama", value) is None


@pytest.mark.parametrize("value", ['=HYPERLINK("x")', "+62", "-Budi", "@SUM(A1)", "  =1+1"])
def test_names_may_not_start_like_a_formula(value):
    assert "tidak boleh diawali" in (name_error("nama", value) or "")


def test_record_validation_names_each_bad_text_field(city):
    rec = f.record(city.staff_pos, name="Budi\r\nEVIL", bank_account_name="=cmd|' /C calc'!A0")
    rec.address, rec.rank_sk_number = "Jl. Mawar\t1", "SK\x00/1"
    errs = dict(validate(rec, city.staff_pos))
    assert errs["name"] == "nama berisi karakter kendali: pindah baris (CR); isi dengan teks satu baris tanpa tab"
    assert errs["bank_account_name"] == "nama pemilik rekening tidak boleh diawali =, +, -, @"
    assert "alamat berisi karakter kendali: tab" in errs["address"]
    assert "nomor SK pangkat berisi karakter kendali: NUL" in errs["rank_sk_number"]


def test_address_and_phone_may_start_with_plus_or_minus(city):
    rec = f.record(city.staff_pos)
    rec.phone, rec.address = "+62812345678", "-"
    assert validate(rec, city.staff_pos) == []


def test_service_refuses_a_batch_with_a_line_break_in_a_name(city):
    rec = f.record(city.staff_pos, name="Budi\nEVIL")
    with pytest.raises(ValidationFailed) as exc:
        employees_upsert(actor=None, records=[rec])
    assert {(d["index"], d["field"]) for d in exc.value.details} >= {(0, "name")}
    assert not Employee.objects.filter(nip=rec.nip).exists()


def test_import_refuses_control_characters_and_names_row_and_column(city):
    rec = f.record(city.staff_pos)
    report = import_file(
        actor=city.users["admin"],
        kind="employees",
        filename="pegawai.csv",
        content=to_csv([employee_row(rec, NAMA="Budi\r\nEVIL;1;999", NAMA_REKENING="@SUM(1)")]),
        dry_run=False,
    )
    assert {(e.row, e.column) for e in report.errors} == {(2, "NAMA"), (2, "NAMA_REKENING")}
    assert all("nama" in e.message for e in report.errors)
    assert not report.applied and not Employee.objects.filter(nip=rec.nip).exists()


def test_contact_update_refuses_control_characters_and_changes_nothing(city):
    with pytest.raises(ValidationFailed) as exc:
        employee_update_contact(actor=None, employee=city.staff, bank_account_name="Budi\r\n2,999,EVIL")
    assert list(exc.value.details) == ["bank_account_name"]
    assert str(exc.value).startswith("Nama pemilik rekening berisi karakter kendali")
    city.staff.refresh_from_db()
    assert city.staff.bank_account_name == "Staf Satu"


def test_history_and_family_rows_refuse_control_characters(city):
    sk = Sk(number="SK\r\n1", date=dt.date(2026, 1, 5), tmt=dt.date(2026, 2, 1))
    with pytest.raises(ValidationError) as exc:
        status_change(actor=None, employee=city.staff, status="tugas_belajar", sk=sk)
    assert "sk_number" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        family_member_save(
            actor=None, employee=city.staff, relation="child", name="=Anak", birth_date=dt.date(2015, 1, 1), gender="L",
            child_kind="kandung",
        )
    assert "tidak boleh diawali" in exc.value.message_dict["name"][0]
    assert not FamilyMember.objects.filter(name="=Anak").exists()


def test_units_and_positions_refuse_control_characters(city):
    with pytest.raises(ValidationError) as exc:
        unit_create(actor=None, code="X1", name="Dinas\nBaru", kind="opd")
    assert "name" in exc.value.message_dict
    with pytest.raises(ValidationError):
        unit_update(actor=None, unit=city.opd_a, name="=Dinas")
    with pytest.raises(ValidationError):
        position_create(actor=None, code="J\t1", name="Staf", kind="pelaksana", kelas_jabatan=5, unit=city.opd_a)
    from pamong.org.models import Unit

    with pytest.raises(ValidationFailed) as bulk:
        units_create_bulk(actor=None, units=[Unit(code="X2", name="Bagian\r\nX", kind="opd")])
    assert bulk.value.details[0]["field"] == "name"


def test_flatten_and_fixed_fields():
    assert flatten("Budi\r\nEVIL;1;999") == "Budi EVIL;1;999"
    assert flatten(" a\t\tb\u200b ") == "a b"
    assert fixed_field("=-@+ Budi") == "Budi"
    assert fixed_field("- =HYPERLINK(1)") == "HYPERLINK(1)"


def test_contact_update_refuses_a_blank_name(city):
    with pytest.raises(ValidationFailed, match="Nama wajib diisi"):
        employee_update_contact(actor=None, employee=city.staff, name="   ")
    city.staff.refresh_from_db()
    assert city.staff.name == "Staf Satu"
