"""Importing units and positions: parents and superiors defined later in the same file, tree checks,
paths and audit as in a manual edit, idempotent re-import, and the sample files of docs/import-format.md."""

from __future__ import annotations

import pytest

from pamong.audit.models import AuditEvent
from pamong.audit.services import verify_chain
from pamong.core.errors import Forbidden
from pamong.core.tree import child_path
from pamong.org.models import Position, Unit
from pamong.people.imports import import_file
from pamong.people.models import Employee
from tests import factories as f
from tests.people.test_import_helpers import FIXTURES, errors_of, to_csv, to_xlsx


def run(actor, kind: str, content: bytes, *, filename: str = "data.csv", dry_run: bool = False):
    return import_file(actor=actor, kind=kind, filename=filename, content=content, dry_run=dry_run)


def unit_row(code, name, kind, parent=""):
    return {"KODE_UNIT": code, "NAMA_UNIT": name, "JENIS": kind, "KODE_INDUK": parent}


def pos_row(code, name, kind, kelas, unit, superior="", **extra):
    row = {
        "KODE_JABATAN": code,
        "NAMA_JABATAN": name,
        "JENIS_JABATAN": kind,
        "ESELON": "",
        "RUMPUN_JF": "",
        "JENJANG_JF": "",
        "KELAS_JABATAN": str(kelas),
        "KODE_UNIT": unit,
        "KODE_ATASAN": superior,
        "KEBUTUHAN_ABK": "",
    }
    row.update(extra)
    return row


@pytest.fixture
def admin(db):
    return f.user("bkpsdm", role=f.Role.ADMIN_BKPSDM)


def test_units_with_parents_defined_later_in_the_same_file(admin):
    root = f.unit("Dinas Kesehatan", code="DK")
    rows = [
        unit_row("DK.01.01", "Seksi Pelayanan", "seksi", "DK.01"),  # its parent comes two rows later
        unit_row("PKM", "Puskesmas Talawi", "puskesmas", "DK"),
        unit_row("DK.01", "Bidang Pelayanan Kesehatan", "bidang", "DK"),
    ]

    report = run(admin, "units", to_csv(rows))

    assert report.errors == []
    assert (report.rows_total, report.created, report.applied) == (3, 3, True)
    bidang, seksi = Unit.objects.get(code="DK.01"), Unit.objects.get(code="DK.01.01")
    assert seksi.parent == bidang and bidang.parent == root
    assert seksi.path == child_path(child_path(root.path, bidang.pk), seksi.pk)
    assert seksi.opd_id == root.pk
    created = AuditEvent.objects.filter(action="unit.created", object_id=str(seksi.pk)).get()
    assert created.changes["parent"] == [None, bidang.pk]
    assert verify_chain().ok


def test_positions_with_superiors_defined_later_in_the_same_file(admin):
    opd = f.unit("Dinas Kesehatan", code="DK")
    f.unit("Bidang P2P", parent=opd, kind="bidang", code="DK.02")
    rows = [
        pos_row("J-STAF", "Pengelola Data", "pelaksana", 6, "DK.02", "J-KABID", KEBUTUHAN_ABK="3"),
        pos_row(
            "J-EPI",
            "Epidemiolog Ahli Muda",
            "fungsional",
            9,
            "DK.02",
            "J-KABID",
            RUMPUN_JF="Epidemiolog",
            JENJANG_JF="Ahli Muda",
        ),
        pos_row("J-KABID", "Kepala Bidang P2P", "administrator", 11, "DK.02", "J-KADIS", ESELON="III.b"),
        pos_row("J-KADIS", "Kepala Dinas Kesehatan", "jpt", 14, "DK", ESELON="II.b"),
    ]

    report = run(admin, "positions", to_xlsx(rows), filename="jabatan.xlsx")

    assert report.errors == []
    assert report.created == 4
    kadis, kabid, staf = (Position.objects.get(code=c) for c in ("J-KADIS", "J-KABID", "J-STAF"))
    assert staf.superior == kabid and kabid.superior == kadis and kadis.superior is None
    assert staf.path.startswith(kabid.path) and kabid.path.startswith(kadis.path)
    assert (staf.seats_abk, kadis.seats_abk, kadis.eselon) == (3, 1, "II.b")
    epi = Position.objects.get(code="J-EPI")
    assert (epi.jf_family, epi.jf_jenjang) == ("epidemiolog", "ahli_muda")


def test_unknown_parent_cycles_and_duplicates_are_all_reported(admin):
    f.unit("Dinas A", code="A")
    units, events = Unit.objects.count(), AuditEvent.objects.count()
    rows = [
        unit_row("X1", "Satu", "bidang", "X2"),
        unit_row("X2", "Dua", "bidang", "X1"),
        unit_row("X3", "Tiga", "bidang", "TIDAK-ADA"),
        unit_row("X4", "Empat", "bidang", "X4"),
        unit_row("X5", "Lima", "planet", "A"),
        unit_row("X5", "Lima lagi", "bidang", "A"),
    ]

    report = run(admin, "units", to_csv(rows))

    assert errors_of(report) == [
        (2, "KODE_INDUK", "X2"),
        (3, "KODE_INDUK", "X1"),
        (4, "KODE_INDUK", "TIDAK-ADA"),
        (5, "KODE_INDUK", "X4"),
        (6, "JENIS", "planet"),
        (7, "KODE_UNIT", "X5"),
    ]
    assert "siklus" in report.errors[0].message
    assert "ganda" in report.errors[5].message
    assert (Unit.objects.count(), AuditEvent.objects.count()) == (units, events)


def test_position_rules_kelas_eselon_and_jf(admin):
    f.unit("Dinas A", code="A")
    rows = [
        pos_row("P1", "Staf", "pelaksana", 18, "A"),
        pos_row("P2", "Staf", "pelaksana", 6, "A", ESELON="IV.a"),
        pos_row("P3", "Kabid", "administrator", 11, "A", ESELON="IV.a"),
        pos_row("P4", "Guru", "fungsional", 8, "A", RUMPUN_JF="guru"),
        pos_row("P5", "Staf", "pelaksana", 6, "A", JENJANG_JF="ahli_muda"),
        pos_row("P6", "Staf", "pelaksana", 6, "B-TIDAK-ADA", KODE_ATASAN="P404"),
    ]

    report = run(admin, "positions", to_csv(rows))

    assert [(e.row, e.column) for e in report.errors] == [
        (2, "KELAS_JABATAN"),
        (3, "ESELON"),
        (4, "ESELON"),
        (5, "JENJANG_JF"),
        (6, "JENJANG_JF"),
        (7, "KODE_UNIT"),
    ]
    assert report.errors[0].message == "harus antara 1 dan 17"
    assert not Position.objects.filter(code__startswith="P").exists()


def test_reimport_of_units_and_positions_changes_nothing(admin):
    unit_content = (FIXTURES / "units.csv").read_bytes()
    pos_content = (FIXTURES / "positions.csv").read_bytes()
    assert run(admin, "units", unit_content).created == 7
    assert run(admin, "positions", pos_content).created == 8
    events = AuditEvent.objects.count()

    units = run(admin, "units", unit_content)
    positions = run(admin, "positions", pos_content)

    assert (units.created, units.updated, units.unchanged) == (0, 0, 7)
    assert (positions.created, positions.updated, positions.unchanged) == (0, 0, 8)
    assert AuditEvent.objects.count() == events


def test_moving_a_unit_updates_the_subtree_and_audits_before_after(admin):
    a = f.unit("Dinas A", code="A")
    b = f.unit("Dinas B", code="B")
    bidang = f.unit("Bidang", parent=a, kind="bidang", code="A.1")
    seksi = f.unit("Seksi", parent=bidang, kind="seksi", code="A.1.1")

    report = run(admin, "units", to_csv([unit_row("A.1", "Bidang Baru", "bidang", "B")]))

    assert (report.updated, report.errors) == (1, [])
    bidang.refresh_from_db()
    seksi.refresh_from_db()
    assert bidang.path.startswith(b.path) and seksi.path.startswith(bidang.path)
    assert seksi.opd_id == b.pk
    event = AuditEvent.objects.filter(action="unit.updated", object_id=str(bidang.pk)).get()
    assert event.changes == {"name": ["Bidang", "Bidang Baru"], "parent": [a.pk, b.pk]}


def test_dry_run_of_units_writes_nothing(admin):
    report = run(admin, "units", (FIXTURES / "units.csv").read_bytes(), dry_run=True)
    assert (report.created, report.applied, report.errors) == (7, False, [])
    assert not Unit.objects.exists()


def test_only_bkpsdm_changes_the_structure(city):
    with pytest.raises(Forbidden):
        run(city.users["operator_a"], "units", to_csv([unit_row("Z", "Z", "opd")]))


def test_sample_files_import_in_order(admin):
    """tests/fixtures/import: the examples of docs/import-format.md (comma CSV; semicolon CSV with BOM)."""
    for kind in ("units", "positions", "employees"):
        report = run(admin, kind, (FIXTURES / f"{kind}.csv").read_bytes())
        assert report.errors == [], (kind, report.errors)
        assert report.applied
    assert Employee.objects.count() == 6
    guru = Employee.objects.get(name="Fitri Handayani")
    assert (guru.employee_type, guru.golongan, guru.position.code, guru.unit.code) == (
        "PPPK",
        "IX",
        "JAB.1.01.005",
        "1.01.50",
    )
    assert guru.retirement_on is not None  # guru: BUP 60 by rumpun
    assert guru.retirement_on.year == 1995 + 60
