import datetime as dt

import pytest

from pamong.audit.models import AuditEvent
from pamong.core.errors import Conflict, ValidationFailed
from pamong.people.models import Employee, FamilyMember, RankHistory
from pamong.people.records import next_kgb_date, retirement_date
from pamong.people.selectors import family_facts
from pamong.people.services import (
    Sk,
    employee_create,
    employee_update_contact,
    employees_upsert,
    family_member_save,
    kgb_record,
    rank_change,
    status_change,
)
from tests import factories as f


def test_create_writes_rank_and_position_history_with_sk_and_an_audit_event(city):
    emp = Employee.objects.get(pk=city.staff.pk)
    rank = emp.rank_history.get()
    assert (rank.golongan, rank.sk_number) == ("II/c", rank.sk_number) and rank.sk_number.startswith("SK-PKT/")
    assert emp.position_history.get().position_id == city.staff_pos.pk
    ev = AuditEvent.objects.get(action="employee.created", object_id=str(emp.pk))
    assert ev.changes["nip"] == [None, emp.nip]


def test_duplicate_nip_is_a_conflict(city):
    rec = f.record(city.staff_pos)
    rec.nip = city.staff.nip
    with pytest.raises(Conflict):
        employee_create(actor=None, record=rec)


def test_invalid_record_in_a_batch_writes_nothing(city):
    good = f.record(city.staff_pos, name="Baik")
    bad = f.record(city.staff_pos, name="Salah")
    bad.birth_date = dt.date(1990, 1, 1)  # NIP says 1986-09-26
    count, events = Employee.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        employees_upsert(actor=None, records=[good, bad])
    assert exc.value.details[0]["index"] == 1 and exc.value.details[0]["field"] == "nip"
    assert (Employee.objects.count(), AuditEvent.objects.count()) == (count, events)


def test_new_employee_needs_the_sk_of_rank_and_position(city):
    rec = f.record(city.staff_pos, rank_sk_number="", position_tmt=None)
    with pytest.raises(ValidationFailed) as exc:
        employees_upsert(actor=None, records=[rec])
    fields = {d["field"] for d in exc.value.details}
    assert fields == {"rank_sk_number", "position_tmt"}


def test_upsert_same_records_twice_changes_nothing(city):
    recs = [f.record(city.staff_pos) for _ in range(3)]
    first = employees_upsert(actor=None, records=recs)
    events = AuditEvent.objects.count()
    again = employees_upsert(actor=None, records=[f.record(city.staff_pos, **_same(r)) for r in recs])
    assert (first.created, again.created, again.updated, again.unchanged) == (3, 0, 0, 3)
    assert AuditEvent.objects.count() == events


def _same(r):
    from dataclasses import asdict

    return {k: v for k, v in asdict(r).items() if k not in ("position_id", "unit_id")}


def test_rank_change_updates_current_fields_and_keeps_history(city):
    sk = Sk("800/KP/2026/01", dt.date(2026, 3, 20), dt.date(2026, 4, 1))
    rank_change(actor=city.users["admin"], employee=city.staff, golongan="II/d", mkg_years=10, mkg_months=0, sk=sk)
    emp = Employee.objects.get(pk=city.staff.pk)
    assert (emp.golongan, emp.mkg_years, emp.mkg_set_on) == ("II/d", 10, dt.date(2026, 4, 1))
    assert emp.next_kgb_on == dt.date(2027, 4, 1)  # II/d's next column is MKG 11
    assert list(emp.rank_history.values_list("golongan", flat=True)) == ["II/d", "II/c"]
    ev = AuditEvent.objects.filter(action="employee.rank_changed").get()
    assert ev.sk_number == "800/KP/2026/01" and ev.changes["golongan"] == ["II/c", "II/d"]


def test_back_dated_rank_sk_adds_history_without_overwriting_a_later_rank(city):
    rank_change(actor=None, employee=city.staff, golongan="II/d", mkg_years=10, mkg_months=0,
                sk=Sk("A", dt.date(2026, 3, 1), dt.date(2026, 4, 1)))
    rank_change(actor=None, employee=city.staff, golongan="II/c", mkg_years=9, mkg_months=0,
                sk=Sk("B", dt.date(2026, 5, 1), dt.date(2025, 4, 1)))
    emp = Employee.objects.get(pk=city.staff.pk)
    assert emp.golongan == "II/d"
    assert RankHistory.objects.filter(employee=emp).count() == 3


def test_kgb_moves_mkg_and_next_due_date(city):
    kgb_record(actor=None, employee=city.staff, mkg_years=11, mkg_months=0,
               sk=Sk("KGB/1", dt.date(2026, 2, 1), dt.date(2026, 3, 1)))
    emp = Employee.objects.get(pk=city.staff.pk)
    assert (emp.mkg_years, emp.next_kgb_on) == (11, dt.date(2028, 3, 1))  # II/c: MKG 11 → column 13


def test_status_change_cpns_to_pns(city):
    cpns = f.employee(city.staff_pos, employee_type="CPNS", golongan="III/a", tmt_pns=None)
    status_change(actor=None, employee=cpns, status="aktif", sk=Sk("PNS/1", dt.date(2026, 1, 1), dt.date(2026, 2, 1)))
    cpns.refresh_from_db()
    assert (cpns.employee_type, cpns.tmt_pns, cpns.status) == ("PNS", dt.date(2026, 2, 1), "aktif")


def test_contact_update_refuses_fields_that_need_an_sk(city):
    with pytest.raises(ValidationFailed):
        employee_update_contact(actor=None, employee=city.staff, golongan="IV/e")


def test_family_rows_drive_derived_allowance_and_ptkp(city):
    emp = city.staff  # a man
    on = dt.date(2026, 11, 1)
    family_member_save(actor=None, employee=emp, relation="spouse", name="Istri", birth_date=dt.date(1988, 1, 1),
                       gender="P", spouse_has_income=False, receives_spouse_allowance=True)
    for year in (2010, 2012, 2015, 2018):
        family_member_save(actor=None, employee=emp, relation="child", name=f"Anak {year}",
                           birth_date=dt.date(year, 1, 1), gender="L", child_kind="kandung")
    facts = family_facts(emp, on)
    assert (facts.spouse_allowance, facts.children_eligible, facts.children_paid, facts.ptkp) == (True, 4, 2, "K/3")
    assert AuditEvent.objects.filter(action="family.added").count() == 5


def test_a_second_active_spouse_is_refused(city):
    kw = dict(relation="spouse", birth_date=dt.date(1988, 1, 1), gender="P")
    family_member_save(actor=None, employee=city.staff, name="Satu", **kw)
    with pytest.raises(ValidationFailed):
        family_member_save(actor=None, employee=city.staff, name="Dua", **kw)
    assert FamilyMember.objects.filter(employee=city.staff).count() == 1


def test_next_kgb_is_the_next_column_of_the_golongans_gaji_table():
    pns = {"employee_type": "PNS"}
    assert next_kgb_date(8, 0, dt.date(2024, 3, 1), golongan="III/b", **pns) == dt.date(2026, 3, 1)
    assert next_kgb_date(8, 6, dt.date(2024, 3, 1), golongan="III/b", **pns) == dt.date(2025, 9, 1)
    # golongan II/b–II/d have their columns at odd MKG years: MKG 7 → 9, not → 8 (which would pay nothing more)
    assert next_kgb_date(7, 0, dt.date(2024, 11, 1), golongan="II/c", **pns) == dt.date(2026, 11, 1)
    assert next_kgb_date(8, 0, dt.date(2024, 11, 1), golongan="II/c", **pns) == dt.date(2025, 11, 1)
    assert next_kgb_date(3, 0, dt.date(2025, 7, 1), golongan="VII", employee_type="PPPK") == dt.date(2027, 7, 1)
    # the last column (III/a MKG 32): no further KGB
    assert next_kgb_date(32, 0, dt.date(2024, 1, 1), golongan="III/a", **pns) is None
    assert next_kgb_date(31, 0, dt.date(2024, 1, 1), golongan="III/a", **pns) == dt.date(2025, 1, 1)
    # an MKG set before the first PP 5/2024 table counts on the same columns
    assert next_kgb_date(8, 0, dt.date(2019, 3, 1), golongan="III/b", **pns) == dt.date(2021, 3, 1)


def test_retirement_date_follows_bup_by_position(city):
    birth = dt.date(1970, 5, 17)
    assert retirement_date(birth, city.staff_pos, dt.date(2026, 1, 1)) == dt.date(2028, 6, 1)  # pelaksana 58
    assert retirement_date(birth, city.head_pos, dt.date(2026, 1, 1)) == dt.date(2030, 6, 1)  # JPT 60
    guru = f.position(city.bidang_a, "Guru Ahli Muda", kind="fungsional", jf_family="guru", jf_jenjang="ahli_muda")
    assert retirement_date(birth, guru, dt.date(2026, 1, 1)) == dt.date(2030, 6, 1)  # guru 60
    born_dec = dt.date(1970, 12, 3)
    assert retirement_date(born_dec, city.staff_pos, dt.date(2026, 1, 1)) == dt.date(2029, 1, 1)


def test_the_same_nik_twice_in_one_batch_is_a_row_error_not_a_database_conflict(city):
    a, b = f.record(city.staff_pos), f.record(city.staff_pos)
    b.nik = a.nik
    with pytest.raises(ValidationFailed) as exc:
        employees_upsert(actor=None, records=[a, b])
    assert {k: exc.value.details[0][k] for k in ("index", "field")} == {"index": 1, "field": "nik"}


def test_migration_recomputes_next_kgb_from_the_table(city):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("pamong.people.migrations.0005_next_kgb_from_gaji_table")
    Employee.objects.update(next_kgb_on=dt.date(2000, 1, 1))  # as the 24-month rule (or anything) left it
    migration.recompute(apps, None)
    staff = Employee.objects.get(pk=city.staff.pk)
    assert staff.next_kgb_on == dt.date(2025, 3, 1)  # II/c MKG 8 since 2024-03-01 → column 9
