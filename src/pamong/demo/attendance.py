"""The demo city's attendance month, through the module's own services: the standard schedule, the year's leave
rights opened, one fingerprint machine per OPD with its users mapped from a list, leave requested by employees and
decided by their atasan (or BKPSDM), a few surat tugas, then each machine's month exported as an attlog file
(demo/attendance_files.py) and imported, and the month recomputed. The payroll seed then computes that month's TPP
with its discipline part from these recaps."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from pamong.accounts.models import User
from pamong.attendance.calendar import standard_working_dates
from pamong.attendance.devices import device_create, device_users_import
from pamong.attendance.leave import balance, leave_request_decide, leave_request_submit, leave_year_open
from pamong.attendance.models import LeaveRequest, RequestState, Schedule
from pamong.attendance.month import month_employee_ids, month_recompute
from pamong.attendance.punch_import import punch_file_import
from pamong.attendance.schedules import schedule_standard_ensure
from pamong.attendance.travel import travel_order_create
from pamong.audit import services as audit
from pamong.org.models import Unit
from pamong.people.models import Employee

from .attendance_files import Enrolled, WorkDay, attlog, person_punches
from .build import DEMO_PASSWORD, REASON

LEAVE_SHARE = 0.025  # employees with a day or more of cuti tahunan in the month
TRAVEL_OPDS = 8  # OPDs that send two or three people on a surat tugas
TK_SHARE = 0.015  # employees absent a day or two without a reason
HABITUAL = 0.12  # employees often late


@dataclass
class AttendanceSeed:
    period: dt.date
    devices: int = 0
    punches: int = 0
    unmatched: int = 0
    leave: int = 0
    travel: int = 0
    recaps: int = 0
    logins: list[tuple[str, str, str, str]] = field(default_factory=list)


def _seconds(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 3600 + int(m) * 60


def _ensure_logins(emp_ids: list[int]) -> dict[int, User]:
    """A login (username = NIP) for each employee who asks for leave in the demo and has none."""
    emps = {e.pk: e for e in Employee.objects.filter(pk__in=emp_ids).select_related("user")}
    password = make_password(DEMO_PASSWORD)
    out: dict[int, User] = {}
    for emp_id in emp_ids:
        emp = emps[emp_id]
        if emp.user is None:
            user = User.objects.create(username=emp.nip, password=password, first_name=emp.name[:150])
            emp.user = user
            emp.save(update_fields=["user"])
            audit.record(actor=None, action="user.created", obj=user, reason=REASON,
                         changes={"username": [None, user.username]})  # fmt: skip
        out[emp_id] = emp.user
    return out


def _decide(req: LeaveRequest, admin: User) -> None:
    """The atasan decides (BKPSDM when there is none, and for the types that go on to BKPSDM)."""
    approver = Employee.objects.filter(pk=req.approver_id).select_related("user").first() if req.approver_id else None
    actor = approver.user if approver is not None and approver.user is not None else admin
    req = leave_request_decide(actor=actor, request_id=req.pk, approve=True, note="Disetujui (demo)")
    if req.state == RequestState.SUPERVISOR_APPROVED:
        leave_request_decide(actor=admin, request_id=req.pk, approve=True, note="Disetujui BKPSDM (demo)")


def seed_attendance(period: dt.date, *, seed: int = 1) -> AttendanceSeed:
    rng = random.Random(seed + 10)
    first = period.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    res = AttendanceSeed(first)
    admin = User.objects.get(username="admin")
    schedule_standard_ensure()
    leave_year_open(year=first.year, actor=admin)

    ids = month_employee_ids(first)
    rows = list(Employee.objects.filter(pk__in=ids).order_by("id").values_list("id", "nip", "unit__opd_id", "unit_id"))
    opd_of = {e: (opd or unit) for e, _nip, opd, unit in rows}
    nip_of = {e: nip for e, nip, _o, _u in rows}
    dates = standard_working_dates(first, last)

    # leave: the demo employee login first, then a sample; each asks and the atasan decides
    away: dict[int, set[dt.date]] = defaultdict(set)
    pegawai = Employee.objects.filter(user__username="pegawai").values_list("id", flat=True).first()
    takers = [e for e in rng.sample(ids, max(1, round(len(ids) * LEAVE_SHARE))) if e != pegawai]
    takers = ([pegawai] if pegawai in opd_of else []) + takers
    users = _ensure_logins(takers)
    for emp_id in takers:
        n = 3 if emp_id == pegawai else rng.randint(1, 3)
        if balance(emp_id, "tahunan", first.year) < n:
            continue
        k = rng.randrange(0, len(dates) - n)
        start, end = dates[k], dates[k + n - 1]
        req = leave_request_submit(actor=users[emp_id], employee_id=emp_id, kind="tahunan", start=start, end=end,
                                   reason="Keperluan keluarga", address="Sawahlunto")  # fmt: skip
        _decide(req, admin)
        away[emp_id] |= {d for d in dates if start <= d <= end}
        res.leave += 1

    # surat tugas: a few OPDs send two or three people to the province capital
    by_opd: dict[int, list[int]] = defaultdict(list)
    for e, opd in opd_of.items():
        if not away.get(e):
            by_opd[opd].append(e)
    for i, opd in enumerate(rng.sample(sorted(by_opd), min(TRAVEL_OPDS, len(by_opd)))):
        team = rng.sample(by_opd[opd], min(len(by_opd[opd]), rng.randint(2, 3)))
        k = rng.randrange(0, len(dates) - 3)
        start, end = dates[k], dates[k + rng.randint(1, 2)]
        travel_order_create(actor=admin, unit_id=opd, number=f"094/{201 + i}/ST/{first.year}",
                            date=start - dt.timedelta(days=3), start=start, end=end, destination="Padang",
                            purpose="Rapat koordinasi di provinsi", signed_by="Sekretaris Daerah",
                            employee_ids=team)  # fmt: skip
        for e in team:
            away[e] |= {d for d in dates if start <= d <= end}
        res.travel += 1

    # who skips days without a reason: a few a day or two, one three days (a verbal warning is due), one eleven
    # (PP 94/2021: a 25 % TPP cut for six months is due) — the discipline page shows them as cases to open
    free = [e for e in ids if not away.get(e) and e != pegawai]
    tk: dict[int, set[dt.date]] = {}
    for e in rng.sample(free, max(2, round(len(ids) * TK_SHARE))):
        tk[e] = set(rng.sample(dates, rng.randint(1, 2)))
    heavy = [e for e in free if e not in tk]
    if len(heavy) >= 2:
        tk[heavy[0]] = set(rng.sample(dates, 3))
        tk[heavy[1]] = set(rng.sample(dates, 11))

    # one machine per OPD; its users mapped from the machine's user list (PIN, NIP); two non-ASN staff enrolled on
    # the first machines have no employee: their punches are kept and listed as unmatched
    standard = Schedule.objects.get(code="standar").weekly
    days = [WorkDay(d, _seconds(standard[str(d.isoweekday())][0]), _seconds(standard[str(d.isoweekday())][1]))
            for d in dates]  # fmt: skip
    members: dict[int, list[int]] = defaultdict(list)
    for e, opd in opd_of.items():
        members[opd].append(e)
    units = {u.pk: u for u in Unit.objects.filter(pk__in=members)}
    habit = {e: (rng.uniform(0.4, 1.0) if rng.random() < HABITUAL else rng.uniform(0, 0.2)) for e in ids}
    for n, opd in enumerate(sorted(members, key=lambda u: units[u].code)):
        unit = units[opd]
        device = device_create(actor=admin, code=f"MSN-{unit.code}"[:40], name=f"Mesin presensi {unit.name}"[:150],
                               unit_id=opd)  # fmt: skip
        pins = {e: str(1001 + i) for i, e in enumerate(members[opd])}
        mapping = "PIN,NIP\n" + "".join(f"{pins[e]},{nip_of[e]}\n" for e in members[opd])
        device_users_import(device_id=device.pk, data=mapping.encode(), actor=admin)
        punches: list[tuple[str, dt.date, int]] = []
        for e in members[opd]:
            who = Enrolled(pins[e], habit[e], frozenset(away.get(e, ())), frozenset(tk.get(e, ())))
            punches += person_punches(rng, who, days)
        if n < 2:  # honorary staff enrolled on the machine, not ASN
            extra = Enrolled(str(9001 + n), 0.1, frozenset(), frozenset())
            punches += person_punches(rng, extra, days)
        f = punch_file_import(device_id=device.pk, filename=f"{device.code}_attlog_{first:%Y%m}.dat",
                              data=attlog(punches), actor=admin)  # fmt: skip
        res.devices += 1
        res.punches += f.added
        res.unmatched += sum(f.unmatched.values())
    res.recaps = month_recompute(period=first, actor=admin).written
    return res
