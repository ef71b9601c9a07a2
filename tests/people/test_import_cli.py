"""`pamong import KIND FILE [--dry-run] [--reason] [--as]`: the report on stdout, exit status 1 on errors."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from pamong.audit.models import AuditEvent
from pamong.cli import ALIASES
from pamong.org.models import Unit
from tests import factories as f
from tests.people.test_import_helpers import FIXTURES


def call(*args: str) -> str:
    out = io.StringIO()
    call_command("import_data", *args, stdout=out)
    return out.getvalue()


def test_import_prints_counts_and_writes(db):
    out = call("units", str(FIXTURES / "units.csv"), "--reason", "Peta jabatan 2026")
    assert "baris: 7, baru: 7, diubah: 0, tetap: 0, kesalahan: 0" in out
    assert Unit.objects.count() == 7
    assert set(AuditEvent.objects.values_list("reason", "actor_label").distinct()) == {("Peta jabatan 2026", "system")}


def test_dry_run_prints_counts_and_writes_nothing(db):
    out = call("units", str(FIXTURES / "units.csv"), "--dry-run")
    assert "baru: 7" in out and "Uji coba selesai" in out
    assert not Unit.objects.exists()


def test_errors_are_listed_and_the_exit_status_is_1(db, tmp_path):
    bad = tmp_path / "unit.csv"
    bad.write_text("KODE_UNIT,NAMA_UNIT,JENIS,KODE_INDUK\nA,Dinas A,opd,\nB,,planet,Z\n", encoding="utf-8")
    out = io.StringIO()

    with pytest.raises(CommandError) as exc:
        call_command("import_data", "units", str(bad), stdout=out)

    assert exc.value.returncode == 1  # manage.py / pamong exit with this status
    lines = out.getvalue().splitlines()
    assert "baris: 2, baru: 0, diubah: 0, tetap: 0, kesalahan: 3" in lines
    assert "baris 3, kolom NAMA_UNIT, nilai '': wajib diisi" in lines
    assert any(line.startswith("baris 3, kolom JENIS, nilai 'planet': jenis unit tidak dikenal") for line in lines)
    assert "baris 3, kolom KODE_INDUK, nilai 'Z': kode tidak ditemukan, baik di berkas ini maupun di database" in lines
    assert not Unit.objects.exists()
    assert ALIASES["import"] == "import_data"  # `pamong import ...`


def test_as_user_runs_with_that_users_rights(db):
    f.user("operator", role=f.Role.OPERATOR_OPD, unit=f.unit("Dinas A", code="A"))
    with pytest.raises(CommandError, match="tidak berhak"):
        call("units", str(FIXTURES / "units.csv"), "--as", "operator")
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call("units", str(FIXTURES / "units.csv"), "--as", "siapa")
