"""Importing the TPP's monthly inputs (capaian kinerja, discipline counts) and disciplinary sanctions through the one
import entry point: all-or-nothing with every error named, dry run, idempotent re-import with audit, the operator's
scope, the approved-month refusal, and a TPP run that reads what was imported."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from openpyxl import Workbook

from pamong.audit.models import AuditEvent
from pamong.core.errors import Forbidden
from pamong.payroll.compute import work
from pamong.payroll.inputs import FROZEN_MESSAGE
from pamong.payroll.models import DisciplinarySanction, MonthlyInput
from pamong.payroll.services import run_compute, run_create
from pamong.people.imports import KINDS, import_file
from tests.payroll.conftest import PERIOD
from tests.people.test_import_helpers import errors_of, to_csv
from tests.web.test_import_page import IMMEDIATE as IMMEDIATE_TASKS

MONTHLY = ["NIP", "BULAN", "CAPAIAN", "TL1", "TL2", "TL3", "TL4", "PSW1", "PSW2", "PSW3", "PSW4", "TK"]
SANCTIONS = ["NIP", "JENIS", "TMT", "NOMOR_SK", "TANGGAL_SK"]


def monthly_row(emp, **overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"NIP": emp.nip, "BULAN": "2026-11", "CAPAIAN": "87,5", "TL1": "2", "TK": "1"}
    row.update(overrides)
    return row


def sanction_row(emp, **overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "NIP": emp.nip,
        "JENIS": "potong_tpp_25_6_bulan",
        "TMT": "01-09-2026",
        "NOMOR_SK": "800/77/BKPSDM-SWL/2026",
        "TANGGAL_SK": "25-08-2026",
    }
    row.update(overrides)
    return row


def xlsx(columns: list[str], rows: list[list[Any]]) -> bytes:
    """Cells as given: a Python str stays a text cell, numbers and dates become number/date cells."""
    wb = Workbook()
    ws = wb.active
    ws.append(columns)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def monthly(actor, content: bytes, *, filename: str = "kinerja-2026-11.csv", dry_run: bool = False, reason: str = ""):
    return import_file(actor=actor, kind="monthly", filename=filename, content=content, dry_run=dry_run, reason=reason)


def sanctions(actor, content: bytes, *, filename: str = "hukdis.csv", dry_run: bool = False):
    return import_file(actor=actor, kind="sanctions", filename=filename, content=content, dry_run=dry_run)


@pytest.fixture
def admin(city):
    return city.users["admin"]


# --- monthly inputs ------------------------------------------------------------------------------------------


def test_a_good_csv_creates_the_months_inputs_with_audit(city, admin):
    events = AuditEvent.objects.count()
    rows = [monthly_row(city.staff), monthly_row(city.other, CAPAIAN="100.25", TL1="", TK="", PSW4="3")]

    report = monthly(admin, to_csv(rows, columns=MONTHLY), reason="Rekap e-Kinerja November")

    assert report.errors == []
    assert (report.rows_total, report.created, report.updated, report.unchanged, report.applied) == (2, 2, 0, 0, True)
    staff = MonthlyInput.objects.get(employee=city.staff)
    assert (staff.period, staff.capaian_bp, staff.discipline, staff.source) == (
        PERIOD,
        8750,
        {"TL1": 2, "TK": 1},
        "kinerja-2026-11.csv",
    )
    other = MonthlyInput.objects.get(employee=city.other)
    assert (other.capaian_bp, other.discipline) == (10025, {"PSW4": 3})
    new = AuditEvent.objects.filter(seq__gt=events)
    assert new.count() == 2 and set(new.values_list("action", flat=True)) == {"monthly_input.created"}
    ev = new.get(object_id=str(staff.pk))
    assert ev.changes["capaian_bp"] == [None, 8750] and ev.changes["discipline.TL1"] == [None, 2]
    assert ev.reason == "Rekap e-Kinerja November" and ev.object_repr == f"Masukan TPP {city.staff.nip} 11/2026"


def test_a_good_xlsx_with_number_and_date_cells_imports(city, admin):
    content = xlsx(
        MONTHLY,
        [
            [city.staff.nip, dt.datetime(2026, 11, 1), 92.5, 1, 0, 0, 0, 0, 0, 0, 0, None],
            [city.kabid.nip, "11-2026", 100, None, None, 2, None, None, None, None, None, 3],
        ],
    )

    report = monthly(admin, content, filename="kinerja.xlsx")

    assert report.errors == [] and report.created == 2
    assert MonthlyInput.objects.get(employee=city.staff).capaian_bp == 9250
    kabid = MonthlyInput.objects.get(employee=city.kabid)
    assert (kabid.period, kabid.capaian_bp, kabid.discipline) == (PERIOD, 10000, {"TL3": 2, "TK": 3})


def test_one_bad_row_imports_nothing_and_every_error_is_reported(city, admin):
    rows = [
        monthly_row(city.staff),  # good
        monthly_row(city.kabid, CAPAIAN="200,5"),  # 3: over 200
        monthly_row(city.head, TL2="-1", PSW1="1,5", BULAN="2026-13"),  # 4: three bad cells
        monthly_row(city.other, CAPAIAN="87,555"),  # 5: more than two decimals
        monthly_row(city.staff2, CAPAIAN="banyak", NIP="199001012020121999"),  # 6: bad percent and unknown NIP
        monthly_row(city.staff),  # 7: the same NIP and month again
    ]
    events = AuditEvent.objects.count()

    report = monthly(admin, to_csv(rows, columns=MONTHLY))

    assert errors_of(report) == [
        (3, "CAPAIAN", "200,5"),
        (4, "BULAN", "2026-13"),
        (4, "TL2", "-1"),
        (4, "PSW1", "1,5"),
        (5, "CAPAIAN", "87,555"),
        (6, "CAPAIAN", "banyak"),
        (6, "NIP", "199001012020121999"),
        (7, "BULAN", "2026-11"),
    ]
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert messages[(3, "CAPAIAN")] == "capaian harus antara 0 dan 200 persen"
    assert messages[(4, "TL2")] == "tidak boleh negatif"
    assert messages[(4, "PSW1")] == "harus bilangan bulat"
    assert messages[(5, "CAPAIAN")] == "paling banyak dua angka di belakang koma"
    assert "harus angka persen" in messages[(6, "CAPAIAN")]
    assert messages[(6, "NIP")] == "NIP tidak ditemukan di data pegawai"
    assert messages[(7, "BULAN")] == f"NIP {city.staff.nip} dan BULAN ganda dalam berkas (juga di baris 2)"
    assert (report.rows_total, report.created, report.applied) == (6, 0, False)
    assert not MonthlyInput.objects.exists()
    assert AuditEvent.objects.count() == events


def test_a_count_over_a_months_days_and_an_unknown_column_are_refused(city, admin):
    report = monthly(admin, to_csv([monthly_row(city.staff, TK="32")], columns=MONTHLY))
    assert errors_of(report) == [(2, "TK", "32")] and "31" in report.errors[0].message

    report = monthly(admin, to_csv([monthly_row(city.staff, TL5="1")], columns=[*MONTHLY, "TL5"]))
    assert [(e.row, e.column) for e in report.errors] == [(1, "TL5")]
    assert "kolom tidak dikenal" in report.errors[0].message

    report = monthly(admin, to_csv([{"NIP": city.staff.nip, "TL1": "1"}], columns=["NIP", "TL1"]))
    assert report.errors[0].message == "kolom wajib tidak ada: BULAN, CAPAIAN"


def test_a_nip_stored_as_a_number_cell_is_refused_with_the_text_hint(city, admin):
    content = xlsx(MONTHLY, [[float(city.staff.nip), "2026-11", 90, 0, 0, 0, 0, 0, 0, 0, 0, 0]])

    report = monthly(admin, content, filename="kinerja.xlsx")

    assert [(e.row, e.column) for e in report.errors] == [(2, "NIP")]
    assert "format kolom ini sebagai Teks (Text)" in report.errors[0].message
    assert not MonthlyInput.objects.exists()


def test_dry_run_gives_the_exact_counts_and_writes_nothing(city, admin):
    MonthlyInput.objects.create(employee=city.staff, period=PERIOD, capaian_bp=8750, discipline={"TL1": 2, "TK": 1},
                                source="lama.csv")  # fmt: skip
    MonthlyInput.objects.create(employee=city.kabid, period=PERIOD, capaian_bp=9000, discipline={}, source="lama.csv")
    rows = [monthly_row(city.staff), monthly_row(city.kabid), monthly_row(city.head)]
    events = AuditEvent.objects.count()

    report = monthly(admin, to_csv(rows, columns=MONTHLY), dry_run=True)

    assert (report.rows_total, report.created, report.updated, report.unchanged, report.applied) == (3, 1, 1, 1, False)
    assert MonthlyInput.objects.count() == 2
    assert MonthlyInput.objects.get(employee=city.kabid).capaian_bp == 9000
    assert AuditEvent.objects.count() == events


def test_reimporting_the_same_file_changes_nothing_and_records_no_event(city, admin):
    content = to_csv([monthly_row(city.staff), monthly_row(city.kabid)], columns=MONTHLY)
    assert monthly(admin, content).created == 2
    stamps = list(MonthlyInput.objects.order_by("pk").values_list("updated_at", flat=True))
    events = AuditEvent.objects.count()

    again = monthly(admin, content)

    assert (again.created, again.updated, again.unchanged, again.applied) == (0, 0, 2, True)
    assert AuditEvent.objects.count() == events
    assert list(MonthlyInput.objects.order_by("pk").values_list("updated_at", flat=True)) == stamps


def test_a_changed_row_updates_the_input_with_before_and_after(city, admin):
    monthly(admin, to_csv([monthly_row(city.staff)], columns=MONTHLY))
    events = AuditEvent.objects.count()

    report = monthly(admin, to_csv([monthly_row(city.staff, CAPAIAN="90", TK="")], columns=MONTHLY), filename="r2.csv")

    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    stored = MonthlyInput.objects.get(employee=city.staff)
    assert (stored.capaian_bp, stored.discipline, stored.source) == (9000, {"TL1": 2}, "r2.csv")
    (ev,) = AuditEvent.objects.filter(seq__gt=events)
    assert ev.action == "monthly_input.updated"
    assert ev.changes == {
        "capaian_bp": [8750, 9000],
        "discipline.TK": [1, 0],
        "source": ["kinerja-2026-11.csv", "r2.csv"],
    }


def test_an_operator_imports_only_their_opds_employees(city):
    operator = city.users["operator_a"]
    rows = [monthly_row(city.staff), monthly_row(city.other)]  # Dinas A, Dinas B

    refused = monthly(operator, to_csv(rows, columns=MONTHLY))

    assert errors_of(refused) == [(3, "NIP", city.other.nip)]
    assert refused.errors[0].message == "pegawai ini terdaftar di unit kerja di luar OPD yang Anda kelola"
    assert not MonthlyInput.objects.exists()
    assert monthly(operator, to_csv(rows[:1], columns=MONTHLY)).created == 1
    assert monthly(city.users["admin"], to_csv(rows[1:], columns=MONTHLY)).created == 1  # BKPSDM: everyone


def test_roles_without_the_permission_are_refused(city):
    for name in ("treasurer_a", "inspector", "staff"):
        with pytest.raises(Forbidden, match="masukan bulanan"):
            monthly(city.users[name], to_csv([monthly_row(city.staff)], columns=MONTHLY))
        with pytest.raises(Forbidden, match="hukuman disiplin"):
            sanctions(city.users[name], to_csv([sanction_row(city.staff)], columns=SANCTIONS))


def test_a_month_with_an_approved_tpp_payslip_is_refused_unless_unchanged(pay):
    city = pay.city
    pay.approve(pay.compute("tpp"))  # the fixture's inputs: 100 %, TL1 = 2 for everyone
    rows = [
        monthly_row(city.staff, CAPAIAN="100", TK="", TL1="2"),  # the same as paid: fine
        monthly_row(city.kabid, CAPAIAN="95"),  # a correction of an approved month
        monthly_row(city.kabid, BULAN="2026-12"),  # the next month: fine
    ]

    report = monthly(city.users["admin"], to_csv(rows, columns=MONTHLY))

    assert errors_of(report) == [(3, "BULAN", "2026-11")]
    assert report.errors[0].message == FROZEN_MESSAGE == "TPP bulan itu sudah disetujui; koreksi melalui rapel"
    assert MonthlyInput.objects.get(employee=city.kabid, period=PERIOD).capaian_bp == 10000
    assert not MonthlyInput.objects.filter(period=dt.date(2026, 12, 1)).exists()

    report = monthly(city.users["admin"], to_csv([rows[0], rows[2]], columns=MONTHLY))
    assert (report.created, report.unchanged, report.errors) == (1, 1, [])


def test_a_tpp_run_computed_after_the_import_uses_the_imported_inputs(city, admin):
    employees = [city.head, city.kabid, city.staff, city.staff2, city.other]
    rows = [monthly_row(e, CAPAIAN="100", TL1="", TK="") for e in employees]
    rows[2] = monthly_row(city.staff, CAPAIAN="75", TL1="", TK="", TL3="2")
    assert monthly(admin, to_csv(rows, columns=MONTHLY)).created == 5
    assert sanctions(admin, to_csv([sanction_row(city.other)], columns=SANCTIONS)).created == 1

    bpkad = city.users["bpkad"]
    run = run_create(bpkad, period=PERIOD, kind="tpp")
    run = run_compute(bpkad, run, enqueue=False)
    work(run.id)
    run.refresh_from_db()

    assert run.errors_total == 0
    staff = run.payslips.get(employee=city.staff)
    assert (staff.facts["capaian_bp"], staff.facts["discipline"], staff.facts["sanction"]) == (7500, {"TL3": 2}, None)
    kabid = run.payslips.get(employee=city.kabid)
    assert (kabid.facts["capaian_bp"], kabid.facts["discipline"]) == (10000, {})
    assert run.payslips.get(employee=city.other).facts["sanction"] == "potong_tpp_25_6_bulan"  # TMT 1 Sep, 6 months


# --- disciplinary sanctions ----------------------------------------------------------------------------------


def test_sanctions_are_created_once_and_a_new_sk_updates_them(city, admin):
    content = to_csv(
        [sanction_row(city.staff), sanction_row(city.kabid, JENIS="Teguran Tertulis", TMT="2026-03-02")],
        columns=SANCTIONS,
    )
    events = AuditEvent.objects.count()

    report = sanctions(admin, content)

    assert report.errors == [] and (report.created, report.updated, report.unchanged) == (2, 0, 0)
    s = DisciplinarySanction.objects.get(employee=city.kabid)
    assert (s.code, s.tmt, s.sk_number, s.sk_date) == (
        "teguran_tertulis",
        dt.date(2026, 3, 2),
        "800/77/BKPSDM-SWL/2026",
        dt.date(2026, 8, 25),
    )
    created = AuditEvent.objects.filter(seq__gt=events)
    assert set(created.values_list("action", "sk_number")) == {("sanction.created", "800/77/BKPSDM-SWL/2026")}

    events = AuditEvent.objects.count()
    again = sanctions(admin, content)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert AuditEvent.objects.count() == events

    fixed = sanctions(admin, to_csv([sanction_row(city.staff, NOMOR_SK="800/78/BKPSDM-SWL/2026")], columns=SANCTIONS))
    assert (fixed.created, fixed.updated) == (0, 1)
    (ev,) = AuditEvent.objects.filter(seq__gt=events)
    assert ev.action == "sanction.updated"
    assert ev.changes == {"sk_number": ["800/77/BKPSDM-SWL/2026", "800/78/BKPSDM-SWL/2026"]}
    assert DisciplinarySanction.objects.count() == 2


def test_sanction_errors_are_all_reported_and_nothing_is_imported(city, admin):
    rows = [
        sanction_row(city.staff),  # good
        sanction_row(city.kabid, JENIS="hukuman_mati"),  # 3: not in the region's table
        sanction_row(city.head, TMT="31-02-2026", NOMOR_SK=""),  # 4: two bad cells
        sanction_row(city.staff, JENIS="POTONG TPP 25 6 BULAN"),  # 5: the same NIP + JENIS + TMT as row 2
        sanction_row(city.staff2, NIP="199001012020121999"),  # 6: unknown NIP
    ]

    report = sanctions(admin, to_csv(rows, columns=SANCTIONS))

    assert errors_of(report) == [
        (3, "JENIS", "hukuman_mati"),
        (4, "TMT", "31-02-2026"),
        (4, "NOMOR_SK", ""),
        (5, "TMT", "01-09-2026"),
        (6, "NIP", "199001012020121999"),
    ]
    unknown = report.errors[0].message
    assert unknown.startswith("jenis hukuman tidak dikenal; gunakan salah satu dari: ") and "teguran_lisan" in unknown
    assert "ganda dalam berkas (juga di baris 2)" in report.errors[3].message
    assert not DisciplinarySanction.objects.exists()


def test_sanction_dry_run_and_operator_scope(city):
    operator = city.users["operator_a"]
    rows = [sanction_row(city.staff), sanction_row(city.other)]

    refused = sanctions(operator, to_csv(rows, columns=SANCTIONS), dry_run=True)
    assert errors_of(refused) == [(3, "NIP", city.other.nip)]

    dry = sanctions(operator, to_csv(rows[:1], columns=SANCTIONS), dry_run=True)
    assert (dry.created, dry.applied) == (1, False) and not DisciplinarySanction.objects.exists()


# --- the other doors: command line and web page ---------------------------------------------------------------


def test_the_import_command_knows_the_new_kinds(city, tmp_path):
    assert {"monthly", "sanctions"} <= set(KINDS)
    path = tmp_path / "kinerja.csv"
    path.write_bytes(to_csv([monthly_row(city.staff)], columns=MONTHLY))
    out = io.StringIO()

    call_command("import_data", "monthly", str(path), "--dry-run", stdout=out)
    assert "baris: 1, baru: 1, diubah: 0, tetap: 0, kesalahan: 0" in out.getvalue()
    assert not MonthlyInput.objects.exists()

    call_command("import_data", "monthly", str(path), stdout=io.StringIO())
    assert MonthlyInput.objects.get(employee=city.staff).source == "kinerja.csv"


def test_the_web_import_page_offers_and_runs_the_new_kinds(city):
    client = Client()
    client.force_login(city.users["operator_a"])
    page = client.get(reverse("import"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="monthly"' in html and 'value="sanctions"' in html and 'value="units"' not in html

    upload = io.BytesIO(to_csv([monthly_row(city.staff)], columns=MONTHLY))
    upload.name = "kinerja.csv"
    with override_settings(TASKS=IMMEDIATE_TASKS):  # the import runs as a background job
        dry = client.post(reverse("import"), {"kind": "monthly", "file": upload, "reason": ""})
        assert dry.status_code == 302 and not MonthlyInput.objects.exists()
        job = client.get(dry["Location"])
        assert job.context["report"].created == 1
        done = client.post(dry["Location"], {"step": "confirm"})
        assert client.get(done["Location"]).context["report"].applied
    assert MonthlyInput.objects.get(employee=city.staff).capaian_bp == 8750
