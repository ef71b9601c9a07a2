"""Writes the generated demo city to the database, audited like any other write.

Units and positions go in with bulk inserts whose paths are computed as org.services does (core.tree.child_path)
and one `unit.created` / `position.created` audit event each. Employees go through the real bulk service
`people.services.employees_upsert` in batches (validation, history rows, audit events). Family members,
status history, Plt assignments, logins and role grants are bulk-inserted, each row with the audit event the
matching service would write (audit.services.record_many); education rows get one `education.added` event per
employee listing them. So `pamong audit verify` covers all of it.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from pamong.accounts.models import AssessorAssignment, RoleGrant, User
from pamong.audit import services as audit
from pamong.org import services as org_services
from pamong.org.models import Position, Unit
from pamong.people.models import EducationHistory, Employee, FamilyMember, PositionHistory, StatusHistory
from pamong.people.records import EmployeeRecord
from pamong.people.services import FAMILY_FIELDS, employees_upsert

from .generate import City
from .people import Person, add_months

DEMO_PASSWORD = "pamong-demo"
REASON = "Data demo: Kota Sawahlunto sintetis (pamong demo)"
EMPLOYEE_BATCH = 5000
AUDIT_CHUNK = 20000
EDUCATION_FIELDS = ("employee", "level", "major", "institution", "graduated_on", "certificate_number")
STATUS_FIELDS = ("employee", "status", "note", "sk_number", "sk_date", "tmt")
STATUS_NOTE = {
    "tugas_belajar": "Tugas belajar program magister",
    "cltn": "Cuti di luar tanggungan negara (alasan keluarga)",
    "diberhentikan_sementara": "Diberhentikan sementara (ditahan, menunggu putusan)",
    "pensiun": "Pensiun batas usia (BUP)",
    "meninggal": "Meninggal dunia",
}

T = TypeVar("T")


@dataclass(frozen=True)
class Login:
    username: str
    label: str
    role: str | None  # a pamong.accounts.models.Role value, or None for a plain employee login
    unit: str | None  # unit code of a scoped grant
    sees: str  # what this login can see, for the table printed after the build


LOGINS = (
    Login("admin", "Admin BKPSDM", "admin_bkpsdm", None, "semua pegawai (data lengkap), struktur, log audit"),
    Login(
        "operator.dinkes",
        "Operator OPD Dinas Kesehatan",
        "operator_opd",
        "DINKES",
        "pegawai Dinas Kesehatan dan puskesmasnya (data lengkap)",
    ),
    Login(
        "bendahara.disdik",
        "Bendahara gaji Dinas Pendidikan dan Kebudayaan",
        "treasurer",
        "DISDIK",
        "pegawai Dinas Pendidikan dan Kebudayaan dan sekolahnya (data gaji)",
    ),
    Login("kepala.bpkad", "Kepala BPKAD", "bpkad_head", None, "semua pegawai (data gaji)"),
    Login("inspektorat", "Auditor Inspektorat", "inspectorate", None, "semua pegawai (baca), log audit"),
    Login("penilai", "Penilai independen", "assessor", None, "10 pegawai yang ditugaskan kepadanya"),
    Login("atasan", "Atasan (Kepala Bidang BKPSDM)", None, None, "dirinya dan bawahannya di bidang"),
    Login("pegawai", "Pegawai (pelaksana BKPSDM)", None, None, "data dirinya sendiri"),
)


@dataclass
class BuildResult:
    units: int = 0
    positions: int = 0
    employees: int = 0
    family: int = 0
    education: int = 0
    audit_events: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    logins: list[tuple[Login, Person | None]] = field(default_factory=list)


def _chunks(items: list[T], n: int) -> Iterator[list[T]]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


def _record_all(changes: Iterable[audit.Change]) -> int:
    n, batch = 0, []
    for c in changes:
        batch.append(c)
        if len(batch) >= AUDIT_CHUNK:
            n += len(audit.record_many(None, batch))
            batch = []
    n += len(audit.record_many(None, batch))
    return n


def build(city: City, *, progress: Callable[[str], None] | None = None) -> BuildResult:
    """Write `city` into an empty database, in one transaction."""
    res = BuildResult()
    say = progress or (lambda _msg: None)
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        res.timings[name] = now - clock
        clock = now
        say(f"  {name}: {res.timings[name]:.1f} s")

    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Check foreign keys per statement instead of queueing ~10 deferred checks per row until COMMIT:
            # every pghistory trigger call rolls back two PL/pgSQL exception blocks, and each such rollback
            # rescans the whole deferred queue, which made one big transaction quadratic (100k: 880 s).
            with connection.cursor() as cur:
                cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
        units = _write_units(city, res)
        positions = _write_positions(city, units, res)
        lap("unit & jabatan")
        employees = _write_employees(city, positions, res, say)
        lap("pegawai (employees_upsert)")
        _write_family(city, employees, res)
        lap("keluarga")
        _write_education(city, employees, res)
        lap("riwayat pendidikan")
        _write_status_and_plt(city, employees, positions, res)
        _write_logins(city, employees, units, res)
        lap("status, Plt, akun")
    return res


def _write_units(city: City, res: BuildResult) -> dict[str, Unit]:
    by_code: dict[str, Unit] = {}
    for u in city.plan.units:  # parents come before their children in the plan
        by_code[u.code] = Unit(code=u.code, name=u.name, kind=u.kind, parent=by_code[u.parent] if u.parent else None)
    org_services.units_create_bulk(actor=None, units=list(by_code.values()), reason=REASON)
    res.units = len(by_code)
    res.audit_events += len(by_code)
    return by_code


def _write_positions(city: City, units: dict[str, Unit], res: BuildResult) -> dict[str, Position]:
    by_code: dict[str, Position] = {}
    for p in city.plan.positions:  # superiors come before their subordinates
        by_code[p.code] = Position(
            code=p.code,
            name=p.name,
            kind=p.kind,
            eselon=p.eselon,
            jf_family=p.jf_family,
            jf_jenjang=p.jf_jenjang,
            kelas_jabatan=p.kelas,
            unit=units[p.unit],
            superior=by_code[p.superior] if p.superior else None,
            seats_abk=p.seats_abk,
        )
    org_services.positions_create_bulk(actor=None, positions=list(by_code.values()), reason=REASON)
    res.positions = len(by_code)
    res.audit_events += len(by_code)
    return by_code


def employee_record(p: Person, position: Position) -> EmployeeRecord:
    return EmployeeRecord(
        nip=p.nip,
        nik=p.nik,
        name=p.name,
        birth_date=p.birth_date,
        gender=p.gender,
        employee_type=p.employee_type,
        tmt_cpns=p.tmt_cpns,
        golongan=p.golongan,
        mkg_years=p.mkg_years,
        mkg_months=p.mkg_months,
        mkg_set_on=p.mkg_set_on,
        position_id=position.pk,
        unit_id=position.unit_id,
        status=p.status,
        status_since=p.status_since,
        front_title=p.front_title,
        back_title=p.back_title,
        birth_place=p.birth_place,
        tmt_pns=p.tmt_pns,
        education_level=p.education_level,
        address=p.address,
        phone=p.phone,
        email=p.email,
        bank_name=p.bank_name,
        bank_account_number=p.bank_account_number,
        bank_account_name=p.name if p.bank_name else "",
        rank_sk_number=p.rank_sk_number,
        rank_sk_date=p.rank_sk_date,
        rank_tmt=p.mkg_set_on,
        position_sk_number=p.position_sk_number,
        position_sk_date=p.position_sk_date,
        position_tmt=p.position_tmt,
    )


def _write_employees(
    city: City, positions: dict[str, Position], res: BuildResult, say: Callable[[str], None]
) -> dict[str, int]:
    records = [employee_record(p, positions[p.pos.code]) for p in city.persons]
    for i, batch in enumerate(_chunks(records, EMPLOYEE_BATCH)):
        result = employees_upsert(actor=None, records=batch, reason=REASON, today=city.today)
        res.employees += result.created
        res.audit_events += result.created
        if len(records) > EMPLOYEE_BATCH:
            say(f"    {min((i + 1) * EMPLOYEE_BATCH, len(records)):,} / {len(records):,} pegawai")
    return dict(Employee.objects.values_list("nip", "pk"))


def _write_family(city: City, employees: dict[str, int], res: BuildResult) -> None:
    objs = [
        FamilyMember(
            employee_id=employees[p.nip],
            relation=m.relation,
            name=m.name,
            nik=m.nik,
            birth_date=m.birth_date,
            gender=m.gender,
            marriage_date=m.marriage_date,
            spouse_is_pns=m.spouse_is_pns,
            spouse_nip=m.spouse_nip,
            spouse_has_income=m.spouse_has_income,
            receives_spouse_allowance=m.receives_spouse_allowance,
            child_kind=m.child_kind,
            in_school=m.in_school,
            married=m.married,
            working=m.working,
            ended_on=m.ended_on,
        )
        for p in city.persons
        for m in p.family
    ]
    FamilyMember.objects.bulk_create(objs, batch_size=2000)
    res.family = len(objs)
    res.audit_events += _record_all(  # the same event family_member_save writes
        audit.Change(
            "family.added",
            obj=o,
            reason=REASON,
            changes={"employee": [None, o.employee_id]} | audit.diff({}, audit.snapshot(o, FAMILY_FIELDS)),
        )
        for o in objs
    )


def _write_education(city: City, employees: dict[str, int], res: BuildResult) -> None:
    objs: list[EducationHistory] = []
    events: list[audit.Change] = []
    for p in city.persons:
        rows = [
            EducationHistory(
                employee_id=employees[p.nip],
                level=s.level,
                major=s.major,
                institution=s.institution,
                graduated_on=s.graduated_on,
                certificate_number=s.certificate_number,
            )
            for s in p.schooling
        ]
        objs += rows
    EducationHistory.objects.bulk_create(objs, batch_size=2000)
    res.education = len(objs)
    by_employee: dict[int, list[EducationHistory]] = {}
    for o in objs:
        by_employee.setdefault(o.employee_id, []).append(o)
    for p in city.persons:  # one event per employee listing the schooling recorded for them
        emp_id = employees[p.nip]
        rows_json = [
            {f: v for f, v in audit.snapshot(o, EDUCATION_FIELDS).items() if f != "employee"} | {"id": o.pk}
            for o in by_employee.get(emp_id, [])
        ]
        if rows_json:
            events.append(
                audit.Change(
                    "education.added",
                    object_type="people.employee",
                    object_id=str(emp_id),
                    object_repr=f"{p.name} ({p.nip})",
                    reason=REASON,
                    changes={"education_history": [None, rows_json]},
                )
            )
    res.audit_events += _record_all(events)


def _write_status_and_plt(
    city: City,
    employees: dict[str, int],
    positions: dict[str, Position],
    res: BuildResult,
) -> None:
    gen_sk = _SkNumbers()
    rows = []
    for p in city.persons:
        if p.status in STATUS_NOTE:
            sk_date = p.status_since - dt.timedelta(days=14)
            rows.append(
                StatusHistory(
                    employee_id=employees[p.nip],
                    status=p.status,
                    note=STATUS_NOTE[p.status],
                    sk_number=gen_sk.next("STATUS", sk_date),
                    sk_date=sk_date,
                    tmt=p.status_since,
                )
            )
    StatusHistory.objects.bulk_create(rows, batch_size=2000)
    changes = [
        audit.Change(
            "status_history.added",
            obj=r,
            reason=REASON,
            sk_number=r.sk_number,
            changes=audit.diff({}, audit.snapshot(r, STATUS_FIELDS)),
        )
        for r in rows
    ]
    plts = []
    for plt in city.plt:
        pos = positions[plt.position.code]
        end = add_months(plt.tmt, 6)
        plts.append(
            PositionHistory(
                employee_id=employees[plt.holder.nip],
                position=pos,
                unit_id=pos.unit_id,
                mode=PositionHistory.Mode.PLT,
                end_date=end,
                sk_number=gen_sk.next("PLT", plt.tmt - dt.timedelta(days=3)),
                sk_date=plt.tmt - dt.timedelta(days=3),
                tmt=plt.tmt,
            )
        )
    PositionHistory.objects.bulk_create(plts)
    changes += [  # the same event position_assign writes for a Plt
        audit.Change(
            "employee.position_plt",
            object_type="people.employee",
            object_id=str(r.employee_id),
            object_repr=f"{plt.holder.name} ({plt.holder.nip})",
            reason=REASON,
            sk_number=r.sk_number,
            changes={"position_plt": [None, r.position_id], "end_date": [None, str(r.end_date)]},
        )
        for r, plt in zip(plts, city.plt, strict=True)
    ]
    res.audit_events += _record_all(changes)


class _SkNumbers:
    def __init__(self) -> None:
        self.seq: dict[tuple[str, int], int] = {}

    def next(self, kind: str, on: dt.date) -> str:
        key = (kind, on.year)
        self.seq[key] = self.seq.get(key, 0) + 1
        return f"800.1.6.1/{self.seq[key]:04d}/{kind}/BKPSDM-SWL/{on.year}"


def _write_logins(city: City, employees: dict[str, int], units: dict[str, Unit], res: BuildResult) -> None:
    password = make_password(DEMO_PASSWORD)  # hashed once: the same password for every demo login
    linked = {p.role: p for p in city.persons if p.role}
    users = []
    for login in LOGINS:
        person = linked.get(login.username)
        first, last = (person.name, "") if person else (login.label, "")
        users.append(
            User(
                username=login.username,
                password=password,
                first_name=first[:150],
                last_name=last,
                is_staff=login.username == "admin",
            )
        )
        res.logins.append((login, person))
    User.objects.bulk_create(users)
    users = list(User.objects.filter(username__in=[u.username for u in users]))
    by_name = {u.username: u for u in users}
    changes: list[audit.Change] = [
        audit.Change("user.created", obj=u, reason=REASON, changes={"username": [None, u.username]}) for u in users
    ]
    grants = [
        RoleGrant(user=by_name[lg.username], role=lg.role, unit=units[lg.unit] if lg.unit else None)
        for lg in LOGINS
        if lg.role
    ]
    RoleGrant.objects.bulk_create(grants)
    changes += [
        audit.Change(
            "role_grant.created",
            obj=g,
            reason=REASON,
            changes={"user": [None, g.user_id], "role": [None, g.role], "unit": [None, g.unit_id]},
        )
        for g in grants
    ]
    to_link = []
    for role, person in linked.items():
        emp = Employee(pk=employees[person.nip], user=by_name[role])
        to_link.append(emp)
        changes.append(
            audit.Change(
                "employee.user_linked",
                object_type="people.employee",
                object_id=str(emp.pk),
                object_repr=f"{person.name} ({person.nip})",
                reason=REASON,
                changes={"user": [None, by_name[role].pk]},
            )
        )
    Employee.objects.bulk_update(to_link, ["user"])
    start = dt.date(city.today.year, 1, 1)
    assignments = [
        AssessorAssignment(
            assessor=by_name["penilai"],
            employee_id=employees[p.nip],
            purpose=f"Penilaian kinerja 360° tahun {city.today.year} (pelayanan publik)",
            valid_from=start,
            valid_until=dt.date(city.today.year, 12, 31),
        )
        for p in city.assessed
    ]
    AssessorAssignment.objects.bulk_create(assignments)
    changes += [
        audit.Change(
            "assessor_assignment.created",
            obj=a,
            reason=REASON,
            changes={
                "assessor": [None, a.assessor_id],
                "employee": [None, a.employee_id],
                "purpose": [None, a.purpose],
            },
        )
        for a in assignments
    ]
    res.audit_events += _record_all(changes)
