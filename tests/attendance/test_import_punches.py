"""Importing machine files: all or nothing, idempotent, unmatched ids stored then attached, locked months refused,
and only BKPSDM and the machine's OPD operator may do it."""

from __future__ import annotations

import datetime as dt

import pytest

from pamong.attendance import devices, punch_import
from pamong.attendance.models import Punch, PunchFile
from pamong.audit.models import AuditEvent
from pamong.core.errors import Conflict, Forbidden, ImportRejected, NotVisible
from tests.attendance import factories_import as af

TODAY = dt.date(2026, 3, 31)


def imp(city, dev, data, user="operator_a", name="attlog.dat"):
    return punch_import.punch_file_import(device_id=dev.pk, filename=name, data=data, actor=city.users[user],
                                          today=TODAY)  # fmt: skip


@pytest.fixture
def dev(city):
    d = af.device(city.opd_a)
    af.enrol(d, "1", city.staff)
    af.enrol(d, "2", city.kabid)
    return d


FILE = af.attlog(("1", "2026-03-02 07:01:02"), ("1", "2026-03-02 16:05:00"), ("2", "2026-03-02 07:30:00"))


def test_import_stores_punches_for_mapped_ids_and_reports_counts(city, dev):
    f = imp(city, dev, FILE)
    assert (f.rows, f.added, f.duplicates, f.unmatched, f.fmt) == (3, 3, 0, {}, "attlog")
    assert (f.first_date, f.last_date) == (dt.date(2026, 3, 2), dt.date(2026, 3, 2))
    got = sorted(Punch.objects.values_list("employee_id", "date", "seconds", "source", "machine_user_id"))
    assert got == sorted([(city.staff.pk, dt.date(2026, 3, 2), 25262, 1, "1"),
                          (city.staff.pk, dt.date(2026, 3, 2), 57900, 1, "1"),
                          (city.kabid.pk, dt.date(2026, 3, 2), 27000, 1, "2")])  # fmt: skip
    assert AuditEvent.objects.filter(action="attendance.punch_file.imported", object_id=str(f.pk)).count() == 1


def test_the_same_file_twice_adds_nothing(city, dev):
    imp(city, dev, FILE)
    again = imp(city, dev, FILE)
    assert (again.rows, again.added, again.duplicates) == (3, 0, 3)
    assert Punch.objects.count() == 3


def test_an_overlapping_export_adds_only_the_new_punches(city, dev):
    imp(city, dev, FILE)
    later = FILE + af.attlog(("1", "2026-03-03 07:00:00"), ("2", "2026-03-03 07:10:00"))
    f = imp(city, dev, later)
    assert (f.rows, f.added, f.duplicates) == (5, 2, 3)
    assert Punch.objects.count() == 5


def test_a_line_repeated_in_one_file_is_one_punch(city, dev):
    f = imp(city, dev, FILE + FILE)
    assert (f.rows, f.added, f.duplicates) == (6, 3, 3)


def test_one_bad_row_rejects_the_file_and_writes_nothing(city, dev):
    data = FILE + b"   1\t2026-03-32 07:00:00\t1\n" + af.attlog(("2", "2026-03-03 07:10:00")) + b"   3\t2026-03-03\n"
    with pytest.raises(ImportRejected) as exc:
        imp(city, dev, data)
    assert exc.value.status == 422
    assert [(r["line"], r["message"]) for r in exc.value.details["rows"]] == [
        (4, "tanggal tidak ada di kalender"),
        (6, "baris tidak lengkap: harus berisi ID pengguna, tanggal dan jam"),
    ]
    assert Punch.objects.count() == 0 and PunchFile.objects.count() == 0


def test_future_dates_are_refused(city, dev):
    with pytest.raises(ImportRejected) as exc:
        imp(city, dev, af.attlog(("1", "2026-04-01 07:00:00")))
    assert "masa depan" in exc.value.details["rows"][0]["message"]


def test_an_unreadable_file_is_rejected(city, dev):
    with pytest.raises(ImportRejected, match="tidak dapat dibaca"):
        imp(city, dev, b"nama,alamat\nBudi,Jl. A\n")
    with pytest.raises(ImportRejected, match="kosong"):
        imp(city, dev, b"\r\n\r\n")


def test_unmatched_ids_are_stored_listed_and_attached_when_mapped(city, dev):
    data = FILE + af.attlog(("77", "2026-03-02 07:00:00"), ("77", "2026-03-02 16:00:00"), ("78", "2026-03-02 08:00"))
    f = imp(city, dev, data)
    assert f.added == 6 and f.unmatched == {"77": 2, "78": 1}
    assert Punch.objects.filter(employee__isnull=True).count() == 3
    m = devices.device_user_map(device_id=dev.pk, machine_user_id="77", employee_id=city.staff2.pk,
                                actor=city.users["operator_a"])  # fmt: skip
    assert (m.attached, m.left_locked) == (2, 0)
    assert Punch.objects.filter(employee=city.staff2).count() == 2
    f.refresh_from_db()
    assert f.unmatched == {"78": 1}
    assert AuditEvent.objects.filter(action="attendance.device_user.mapped").count() == 1
    # later imports of a mapped id attach at once
    f2 = imp(city, dev, af.attlog(("77", "2026-03-03 07:00:00")))
    assert f2.unmatched == {} and Punch.objects.filter(employee=city.staff2).count() == 3


def test_mapping_an_id_to_another_employee_is_a_conflict(city, dev):
    with pytest.raises(Conflict):
        devices.device_user_map(device_id=dev.pk, machine_user_id="1", employee_id=city.staff2.pk,
                                actor=city.users["operator_a"])  # fmt: skip
    same = devices.device_user_map(device_id=dev.pk, machine_user_id="1", employee_id=city.staff.pk,
                                   actor=city.users["operator_a"])  # fmt: skip
    assert same.attached == 0


def test_mapping_from_a_csv_all_or_nothing(city, dev):
    imp(city, dev, af.attlog(("77", "2026-03-02 07:00:00"), ("78", "2026-03-02 07:00:00")))
    bad = f"PIN;NIP\n77;{city.staff2.nip}\n78;199901012020011999\n79;\n".encode()
    with pytest.raises(ImportRejected) as exc:
        devices.device_users_import(device_id=dev.pk, data=bad, actor=city.users["operator_a"])
    assert [r["line"] for r in exc.value.details["rows"]] == [3, 4]
    assert Punch.objects.filter(employee__isnull=True).count() == 2  # nothing attached
    good = f"No. ID,NIP\n77,{city.staff2.nip}\n78,{city.head.nip}\n1,{city.staff.nip}\n".encode()
    done = devices.device_users_import(device_id=dev.pk, data=good, actor=city.users["operator_a"])
    assert [m.attached for m in done] == [1, 1, 0]
    assert Punch.objects.filter(employee__isnull=True).count() == 0


def test_mapping_from_xlsx_refuses_an_employee_outside_the_operators_units(city, dev):
    data = af.xlsx([["ID", "NIP"], ["77", city.other.nip]])
    with pytest.raises(ImportRejected) as exc:
        devices.device_users_import(device_id=dev.pk, data=data, actor=city.users["operator_a"])
    assert "NIP tidak ditemukan" in exc.value.details["rows"][0]["message"]


# --- locked months ------------------------------------------------------------------------------------------------


def test_new_punches_in_a_locked_month_are_refused(city, dev):
    af.lock_month(dt.date(2026, 2, 1), city.users["admin"])
    data = FILE + af.attlog(("1", "2026-02-27 07:00:00"))
    with pytest.raises(ImportRejected) as exc:
        imp(city, dev, data)
    rows = exc.value.details["rows"]
    assert [r["line"] for r in rows] == [4] and "02/2026 sudah dikunci" in rows[0]["message"]
    assert Punch.objects.count() == 0


def test_punches_already_stored_in_a_locked_month_pass_as_duplicates(city, dev):
    feb = af.attlog(("1", "2026-02-27 07:00:00"))
    imp(city, dev, feb)
    af.lock_month(dt.date(2026, 2, 1), city.users["admin"])
    f = imp(city, dev, feb + FILE)  # an overlapping export that repeats February
    assert (f.added, f.duplicates) == (3, 1)


@pytest.mark.parametrize(("kind", "state", "locked"), [("tpp", "approved", True), ("tpp", "paid", True),
                                                       ("tpp", "verified", False), ("tpp", "cancelled", False),
                                                       ("gaji", "approved", False)])  # fmt: skip
def test_month_locked_follows_the_tpp_run(city, kind, state, locked):
    from pamong.attendance.locks import month_locked

    af.lock_month(dt.date(2026, 2, 1), city.users["admin"], state=state, kind=kind)
    assert month_locked(dt.date(2026, 2, 14)) is locked
    assert month_locked(dt.date(2026, 3, 1)) is False


def test_mapping_leaves_punches_of_a_locked_month_unattached(city, dev):
    imp(city, dev, af.attlog(("77", "2026-02-27 07:00:00"), ("77", "2026-03-02 07:00:00")))
    af.lock_month(dt.date(2026, 2, 1), city.users["admin"])
    m = devices.device_user_map(device_id=dev.pk, machine_user_id="77", employee_id=city.staff2.pk,
                                actor=city.users["admin"])  # fmt: skip
    assert (m.attached, m.left_locked) == (1, 1)


# --- who may ------------------------------------------------------------------------------------------------------


def test_admin_may_import_into_any_machine(city):
    d = af.device(city.opd_b)
    assert imp(city, d, FILE, user="admin").added == 3


def test_an_operator_does_not_see_another_opds_machine(city):
    d = af.device(city.opd_b)
    with pytest.raises(NotVisible):
        imp(city, d, FILE)
    with pytest.raises(NotVisible):
        devices.device_user_map(device_id=d.pk, machine_user_id="1", employee_id=city.other.pk,
                                actor=city.users["operator_a"])  # fmt: skip


@pytest.mark.parametrize("role", ["staff", "kabid", "treasurer_a", "inspector"])
def test_employees_and_other_roles_may_not_import(city, dev, role):
    with pytest.raises(Forbidden):
        imp(city, dev, FILE, user=role)
    assert Punch.objects.count() == 0


def test_device_create_in_the_operators_units_only(city):
    op = city.users["operator_a"]
    d = devices.device_create(actor=op, code="SN-1", name="Lobi", unit_id=city.bidang_a.pk)
    assert d.unit == city.bidang_a
    with pytest.raises(NotVisible):
        devices.device_create(actor=op, code="SN-2", name="Lobi", unit_id=city.opd_b.pk)
    with pytest.raises(Conflict):
        devices.device_create(actor=city.users["admin"], code="SN-1", name="Lagi", unit_id=city.opd_b.pk)
    with pytest.raises(Forbidden):
        devices.device_create(actor=city.users["staff"], code="SN-3", name="x", unit_id=city.opd_a.pk)
    assert list(devices.devices_visible_to(op)) == [d]
    assert list(devices.devices_visible_to(city.users["staff"])) == []


def test_an_import_recomputes_a_month_already_computed(city, dev):
    from pamong.attendance.models import MonthRecap
    from pamong.attendance.month import month_recompute

    month_recompute(period=dt.date(2026, 3, 1), actor=None)
    before = MonthRecap.objects.get(employee=city.staff, period=dt.date(2026, 3, 1))
    imp(city, dev, af.attlog(("1", "2026-03-02 07:20:00"), ("1", "2026-03-02 16:10:00")))
    after = MonthRecap.objects.get(employee=city.staff, period=dt.date(2026, 3, 1))
    assert after.hadir == before.hadir + 1 and after.tk == before.tk - 1 and after.days[1] == "H"


def test_mapping_an_id_recomputes_a_month_already_computed(city, dev):
    from pamong.attendance.models import MonthRecap
    from pamong.attendance.month import month_recompute

    imp(city, dev, af.attlog(("77", "2026-03-02 07:20:00"), ("77", "2026-03-02 16:10:00")))
    month_recompute(period=dt.date(2026, 3, 1), actor=None)
    assert MonthRecap.objects.get(employee=city.staff2, period=dt.date(2026, 3, 1)).hadir == 0
    devices.device_user_map(device_id=dev.pk, machine_user_id="77", employee_id=city.staff2.pk,
                            actor=city.users["operator_a"])  # fmt: skip
    assert MonthRecap.objects.get(employee=city.staff2, period=dt.date(2026, 3, 1)).hadir == 1
