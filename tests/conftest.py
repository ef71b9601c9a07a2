from __future__ import annotations

from dataclasses import dataclass

import pytest

from pamong.accounts.models import Role, User
from pamong.org.models import Position, Unit
from pamong.people.models import Employee
from tests import factories as f


def pytest_configure(config) -> None:
    from django.conf import settings

    # Real hashing costs ~0.3 s per user; tests need logins, not password strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Never the developer's real checkpoint file (it anchors another database's chain).
    import tempfile
    from pathlib import Path

    settings.AUDIT_CHECKPOINT_FILE = Path(tempfile.mkdtemp(prefix="pamong-test-")) / "audit-checkpoints.jsonl"


@dataclass
class City:
    """Two OPD. Dinas A: head → kabid → staff (and a sub-unit). Dinas B: one employee. One user per role."""

    opd_a: Unit
    bidang_a: Unit
    opd_b: Unit
    head_pos: Position
    kabid_pos: Position
    staff_pos: Position
    head: Employee
    kabid: Employee
    staff: Employee
    staff2: Employee
    other: Employee
    users: dict[str, User]


@pytest.fixture
def city(db) -> City:
    opd_a = f.unit("Dinas A", code="A")
    bidang_a = f.unit("Bidang A1", parent=opd_a, kind="bidang", code="A1")
    opd_b = f.unit("Dinas B", code="B")
    head_pos = f.position(opd_a, "Kepala Dinas A", kind="jpt", kelas=14, eselon="II.b")
    kabid_pos = f.position(
        bidang_a, "Kepala Bidang A1", kind="administrator", superior=head_pos, kelas=11, eselon="III.b"
    )
    staff_pos = f.position(bidang_a, "Pengadministrasi A1", superior=kabid_pos, seats_abk=3)
    other_pos = f.position(opd_b, "Pengadministrasi B")
    head = f.employee(head_pos, name="Kepala A", golongan="IV/c")
    kabid = f.employee(kabid_pos, name="Kabid A1", golongan="IV/a", gender="P", birth=f_date(1978, 5, 2))
    staff = f.employee(staff_pos, name="Staf Satu", golongan="II/c")
    staff2 = f.employee(staff_pos, name="Staf Dua", golongan="III/a", employee_type="PPPK")
    other = f.employee(other_pos, name="Pegawai Dinas B")
    users = {
        "admin": f.user("admin", role=Role.ADMIN_BKPSDM),
        "operator_a": f.user("operator_a", role=Role.OPERATOR_OPD, unit=opd_a),
        "treasurer_a": f.user("treasurer_a", role=Role.TREASURER, unit=opd_a),
        "bpkad": f.user("bpkad", role=Role.BPKAD_HEAD),
        "inspector": f.user("inspector", role=Role.INSPECTORATE),
        "assessor": f.user("assessor", role=Role.ASSESSOR),
        "kabid": f.user("kabid", employee=kabid),
        "staff": f.user("staff", employee=staff),
    }
    f.assign(users["assessor"], staff2)
    return City(opd_a, bidang_a, opd_b, head_pos, kabid_pos, staff_pos, head, kabid, staff, staff2, other, users)


def f_date(y: int, m: int, d: int):
    import datetime as dt

    return dt.date(y, m, d)
