"""Payroll runs as a state machine: draft → computed → verified (per OPD, by its treasurer) → approved (BPKAD head)
→ paid (SP2D recorded) → closed; a run not yet approved may be cancelled (with a reason). Every transition is a
compare-and-set on (state, version), so two people acting on
the same run at once cannot both succeed; each is recorded with who, when and why, and audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from pamong.accounts.access import Access, access_for
from pamong.accounts.models import Role
from pamong.audit import services as audit
from pamong.core.errors import Conflict, Forbidden, TransitionRefused, ValidationFailed
from pamong.org.models import Unit
from pamong.people.models import Employee, EmploymentStatus

from .models import (
    OPEN_STATES,
    OpdVerification,
    PayrollRun,
    Payslip,
    PayslipError,
    RunChunk,
    RunKind,
    RunState,
    RunTransition,
)

CHUNK_SIZE = 2000
DEFAULT_REGION = settings.PAMONG_REGION  # the city's pack (settings)
# who is paid by a run of each kind (tugas belajar keep their gaji but not the TPP)
PAID_STATUSES = {
    RunKind.GAJI: (EmploymentStatus.AKTIF, EmploymentStatus.CPNS, EmploymentStatus.TUGAS_BELAJAR),
    RunKind.TPP: (EmploymentStatus.AKTIF, EmploymentStatus.CPNS),
    RunKind.THR: (EmploymentStatus.AKTIF, EmploymentStatus.CPNS, EmploymentStatus.TUGAS_BELAJAR),
    RunKind.GAJI13: (EmploymentStatus.AKTIF, EmploymentStatus.CPNS, EmploymentStatus.TUGAS_BELAJAR),
    RunKind.RAPEL: (EmploymentStatus.AKTIF, EmploymentStatus.CPNS, EmploymentStatus.TUGAS_BELAJAR),
}


def _treasurer_of(access: Access, unit: Unit | None) -> bool:
    return unit is not None and any(unit.path.startswith(p) for p in access.treasurer_paths)


def may_manage(access: Access, run: PayrollRun) -> bool:
    """Create and compute: the BPKAD head for any scope, a treasurer for a run scoped to their OPD."""
    return access.has(Role.BPKAD_HEAD) or _treasurer_of(access, run.scope)


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    sources: tuple[Any, ...]  # RunState members (typed Any: mypy runs without django-stubs)
    allowed: Callable[[Access, PayrollRun], bool]
    infinitive: str = ""  # "menyetujui": the verb after "Tidak dapat" (the label is the button's imperative)

    def __post_init__(self) -> None:
        if not self.infinitive:
            object.__setattr__(self, "infinitive", self.label.lower())


def _head(access: Access, run: PayrollRun) -> bool:
    return access.has(Role.BPKAD_HEAD)


ACTIONS = {
    a.name: a
    for a in (
        Action("compute", "Hitung", (RunState.DRAFT, RunState.COMPUTED), may_manage, "menghitung"),
        Action("verify", "Verifikasi", (RunState.COMPUTED,), lambda a, r: bool(a.treasurer_paths), "memverifikasi"),
        Action(
            "return", "Kembalikan untuk diperbaiki", (RunState.COMPUTED, RunState.VERIFIED), _head, "mengembalikan"
        ),  # fmt: skip
        Action("approve", "Setujui", (RunState.VERIFIED,), _head, "menyetujui"),
        Action("pay", "Catat pembayaran (SP2D)", (RunState.APPROVED,), _head, "mencatat pembayaran"),
        Action("close", "Tutup", (RunState.PAID,), _head, "menutup"),
        Action("cancel", "Batalkan", OPEN_STATES, may_manage, "membatalkan"),
    )
}


def allowed_actions(user: Any, run: PayrollRun) -> list[Action]:
    access = access_for(user)
    return [a for a in ACTIONS.values() if run.state in a.sources and a.allowed(access, run)]


def _check(user: Any, run: PayrollRun, action: str) -> Access:
    a = ACTIONS[action]
    access = access_for(user)
    if not a.allowed(access, run):
        raise Forbidden(f"Anda tidak berwenang {a.infinitive} proses penggajian ini")
    if run.state not in a.sources:
        raise TransitionRefused(
            f"Tidak dapat {a.infinitive}: proses penggajian berstatus {RunState(run.state).label}",
            details={"state": run.state},
        )
    return access


def _move(user: Any, run: PayrollRun, action: str, to: Any, *, reason: str = "", opd: Unit | None = None,
          changes: dict[str, Any] | None = None, **fields: Any) -> PayrollRun:  # fmt: skip
    """Compare-and-set the state; the loser of a race gets a clear Conflict naming the state the run is in now."""
    before = run.state
    updated = PayrollRun.objects.filter(id=run.id, state=before, version=run.version).update(
        state=to, version=F("version") + 1, **fields
    )
    if not updated:
        now = PayrollRun.objects.get(id=run.id)
        last = now.transitions.order_by("-at", "-id").first()
        who = f" oleh {last.actor.username}" if last else ""
        raise Conflict(
            f"Proses penggajian ini baru saja diubah{who}: statusnya sekarang {RunState(now.state).label}. "
            "Muat ulang halaman.",
            details={"state": now.state},
        )
    RunTransition.objects.create(run=run, from_state=before, to_state=to, action=action, actor=user, reason=reason,
                                 opd=opd)  # fmt: skip
    changed = {"state": [before, to], **(changes or {})}
    audit.record(actor=user, action=f"payroll.run.{action}", obj=run, changes=changed, reason=reason)
    run.refresh_from_db()
    return run


def run_create(user: Any, *, period: dt.date, kind: str, scope: Unit | None = None, region: str = DEFAULT_REGION,
               note: str = "") -> PayrollRun:  # fmt: skip
    period = period.replace(day=1)
    if kind not in RunKind.values:
        raise ValidationFailed(f"Jenis proses penggajian tidak dikenal: {kind}")
    if period.month == 12 and kind not in (RunKind.GAJI, RunKind.TPP):
        # December's tax is the annual recomputation; THR, gaji-13 and back pay are paid in earlier months
        raise ValidationFailed(
            f"{RunKind(kind).label} di bulan Desember belum didukung: PPh 21 Desember adalah perhitungan ulang setahun"
        )
    run = PayrollRun(period=period, kind=kind, scope=scope, region=region, note=note, created_by=user)
    if not may_manage(access_for(user), run):
        raise Forbidden("Anda tidak berwenang membuat proses penggajian untuk lingkup ini")
    with transaction.atomic():
        _lock_month(period, kind)
        _refuse_open_overlap(run)
        try:
            with transaction.atomic():
                run.save()
        except IntegrityError:  # the one-open-run constraint: a create that raced past the check above
            raise _duplicate(run, None) from None
        RunTransition.objects.create(run=run, from_state=RunState.DRAFT, to_state=RunState.DRAFT, action="create",
                                     actor=user)  # fmt: skip
        audit.record(actor=user, action="payroll.run.create", obj=run, changes={"kind": [None, kind]})
        # who it would pay (checked now, so an empty run is refused at once); the chunks are planned at compute
        PayrollRun.objects.filter(id=run.id).update(employees_total=len(_eligible(run)))
    run.refresh_from_db()
    return run


def _lock_month(period: dt.date, kind: str) -> None:
    """Serialise creates for one month and kind (PostgreSQL: a transaction advisory lock; SQLite's write lock from
    BEGIN IMMEDIATE already does), so the overlap check below and the insert cannot interleave with another's."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"payroll_run:{period:%Y-%m}:{kind}"])


def _duplicate(run: PayrollRun, other: PayrollRun | None) -> Conflict:
    scope = other.scope if other is not None else run.scope
    where = scope.name if scope is not None else "seluruh kota"
    what = f"{RunKind(run.kind).label} {run.period:%m/%Y}"
    ident = f" (#{other.id}, {RunState(other.state).label})" if other is not None else ""
    return Conflict(
        f"Sudah ada proses penggajian {what} untuk {where} yang belum disetujui{ident}. Lanjutkan proses itu, "
        "atau batalkan dulu bila ingin membuat ulang.",
        details={"run": other.id if other is not None else None},
        code="run_exists",
    )


def _refuse_open_overlap(run: PayrollRun) -> None:
    """One unapproved run at a time for a month and kind over any employee: the same scope, an OPD inside a city
    run, or a city run over an OPD's run would each pay the same people twice (the payslip constraint would stop
    the second at computation, with a raw error)."""
    qs = PayrollRun.objects.filter(period=run.period, kind=run.kind, state__in=OPEN_STATES).select_related("scope")
    if run.scope is not None:
        path = run.scope.path  # "00000001/00000007/": its ancestors' paths are its prefixes at each "/"
        ancestors = [path[: i + 1] for i, ch in enumerate(path) if ch == "/"]
        qs = qs.filter(Q(scope__isnull=True) | Q(scope__path__startswith=path) | Q(scope__path__in=ancestors))
    other = qs.order_by("id").first()
    if other is not None:
        raise _duplicate(run, other)


def run_employees(run: PayrollRun) -> list[int]:
    qs = Employee.objects.filter(status__in=PAID_STATUSES[RunKind(run.kind)])
    if run.scope is not None:
        qs = qs.filter(unit__path__startswith=run.scope.path)
    return list(qs.order_by("id").values_list("id", flat=True))


def _eligible(run: PayrollRun) -> list[int]:
    """The run's employees, without those already paid this kind for this month by another run: a second run
    only covers who is missing, and the payslip constraint stops any double payment even if two runs race."""
    ids = run_employees(run)
    taken = set(
        Payslip.objects.filter(period=run.period, kind=run.kind).exclude(run=run).values_list("employee_id", flat=True)
    )
    eligible = [i for i in ids if i not in taken]
    if not eligible:
        raise Conflict(
            f"Tidak ada pegawai yang belum menerima {RunKind(run.kind).label} {run.period:%m/%Y} dalam lingkup ini; "
            "koreksi atas slip yang sudah ada dilakukan dengan rapel",
            details={"already_paid": len(set(ids) & taken)},
        )
    return eligible


def _plan_chunks(run: PayrollRun) -> None:
    """Split the run's employees into chunks, fixed now: a later hire does not join this computation."""
    ids = _eligible(run)
    RunChunk.objects.filter(run=run).delete()
    chunks = [ids[i : i + CHUNK_SIZE] for i in range(0, len(ids), CHUNK_SIZE)]
    RunChunk.objects.bulk_create([RunChunk(run=run, index=i, employee_ids=c) for i, c in enumerate(chunks)])
    PayrollRun.objects.filter(id=run.id).update(
        chunks_total=len(chunks), chunks_done=0, employees_total=len(ids), errors_total=0, computed_at=None
    )


def run_compute(user: Any, run: PayrollRun, *, enqueue: bool = True) -> PayrollRun:
    """(Re)compute: back to draft, remove the old payslips and errors, plan the chunks, enqueue one task per chunk.
    The old payslips disappear in the same transaction that plans the new chunks, so readers see either the old
    complete result or a run in progress, never a mix."""
    _check(user, run, "compute")
    with transaction.atomic():
        if run.state != RunState.DRAFT:
            run = _move(user, run, "compute", RunState.DRAFT, computed_at=None)
        else:
            RunTransition.objects.create(run=run, from_state=run.state, to_state=run.state, action="compute",
                                         actor=user)  # fmt: skip
            audit.record(actor=user, action="payroll.run.compute", obj=run)
        Payslip.objects.filter(run=run).delete()
        PayslipError.objects.filter(run=run).delete()
        OpdVerification.objects.filter(run=run).delete()
        try:
            _plan_chunks(run)
        except IntegrityError as exc:  # pragma: no cover - the check above names the run; this is the backstop
            raise Conflict(str(exc)) from None
    run.refresh_from_db()
    if enqueue:
        from .tasks import enqueue_chunks

        transaction.on_commit(lambda: enqueue_chunks(run))
    return run


def mark_computed(run: PayrollRun) -> None:
    """Called by the last chunk: draft → computed (the actor is whoever started the computation)."""
    last = run.transitions.filter(action__in=("compute", "create")).order_by("-at", "-id").first()
    actor = last.actor if last else run.created_by
    _move(actor, run, "computed", RunState.COMPUTED, computed_at=timezone.now())


def opds_of(run: PayrollRun) -> list[int]:
    """The OPDs with payslips or errors in the run."""
    ids = set(Payslip.objects.filter(run=run).values_list("opd_id", flat=True).distinct())
    ids |= set(PayslipError.objects.filter(run=run).values_list("opd_id", flat=True).distinct())
    return sorted(ids)


def run_verify(user: Any, run: PayrollRun, opd: Unit) -> PayrollRun:
    """A treasurer verifies their OPD's part; when the last OPD is verified the run becomes verified."""
    access = _check(user, run, "verify")
    if not _treasurer_of(access, opd):
        raise Forbidden(f"Anda bukan bendahara {opd.name}")
    if opd.id not in opds_of(run):
        raise ValidationFailed(f"{opd.name} tidak ada dalam proses penggajian ini")
    errors = PayslipError.objects.filter(run=run, opd=opd).count()
    if errors:
        raise TransitionRefused(
            f"{opd.name} masih punya {errors} pegawai yang gagal dihitung; perbaiki lalu hitung ulang"
        )
    with transaction.atomic():
        locked = PayrollRun.objects.select_for_update().get(id=run.id)
        if locked.state != RunState.COMPUTED or locked.version != run.version:
            raise Conflict(f"Proses penggajian ini baru saja diubah: statusnya sekarang {RunState(locked.state).label}")
        try:
            with transaction.atomic():
                OpdVerification.objects.create(run=run, opd=opd, verified_by=user)
        except IntegrityError:
            raise Conflict(f"{opd.name} sudah diverifikasi") from None
        RunTransition.objects.create(run=run, from_state=run.state, to_state=run.state, action="verify_opd",
                                     actor=user, opd=opd)  # fmt: skip
        audit.record(actor=user, action="payroll.run.verify_opd", obj=run, changes={"opd": [None, opd.id]})
        if set(OpdVerification.objects.filter(run=run).values_list("opd_id", flat=True)) >= set(opds_of(run)):
            return _move(user, run, "verify", RunState.VERIFIED)
    run.refresh_from_db()
    return run


def run_return(user: Any, run: PayrollRun, reason: str) -> PayrollRun:
    _check(user, run, "return")
    if not reason.strip():
        raise ValidationFailed("Alasan pengembalian wajib diisi")
    with transaction.atomic():
        OpdVerification.objects.filter(run=run).delete()
        return _move(user, run, "return", RunState.COMPUTED, reason=reason)


# 16 random hex characters per payslip, made by the database in one UPDATE (a run may have 100,000 payslips):
# SQLite's randomblob and PostgreSQL's gen_random_uuid both draw from a cryptographic generator
_NEW_CODE = {
    "sqlite": "hex(randomblob(8))",
    "postgresql": "upper(substr(md5(gen_random_uuid()::text), 1, 16))",
}


def _issue_codes(run: PayrollRun) -> None:
    """Verification codes are issued once, at approval (the payslips are frozen right after): what is printed from
    then on never changes, and a draft has no code the public could check."""
    for attempt in range(3):
        try:
            with transaction.atomic():
                new = RawSQL(_NEW_CODE[connection.vendor], [])
                Payslip.objects.filter(run=run, code__isnull=True).update(code=new)
            return
        except IntegrityError:  # pragma: no cover - two equal 64-bit random codes; draw again
            if attempt == 2:
                raise


def run_approve(user: Any, run: PayrollRun, reason: str = "") -> PayrollRun:
    _check(user, run, "approve")
    with transaction.atomic():
        _issue_codes(run)
        return _move(user, run, "approve", RunState.APPROVED, reason=reason)


def run_pay(user: Any, run: PayrollRun, sp2d_number: str) -> PayrollRun:
    _check(user, run, "pay")
    if not sp2d_number.strip():
        raise ValidationFailed("Nomor SP2D wajib diisi")
    with transaction.atomic():
        return _move(user, run, "pay", RunState.PAID, reason=f"SP2D {sp2d_number.strip()}",
                     sp2d_number=sp2d_number.strip())  # fmt: skip


def run_close(user: Any, run: PayrollRun) -> PayrollRun:
    _check(user, run, "close")
    with transaction.atomic():
        return _move(user, run, "close", RunState.CLOSED)


def run_cancel(user: Any, run: PayrollRun, reason: str) -> PayrollRun:
    """Cancel a run not yet approved (a duplicate, a mistake, a computation that cannot finish): its payslips,
    errors and pending chunks go (nobody was paid by them), the run stays listed as cancelled with the reason, and
    the month can be run again."""
    _check(user, run, "cancel")
    if not reason.strip():
        raise ValidationFailed("Alasan pembatalan wajib diisi")
    with transaction.atomic():
        slips = Payslip.objects.filter(run=run).delete()[0]
        PayslipError.objects.filter(run=run).delete()
        OpdVerification.objects.filter(run=run).delete()
        RunChunk.objects.filter(run=run).delete()
        return _move(user, run, "cancel", RunState.CANCELLED, reason=reason.strip(), changes={"payslips": [slips, 0]})


def payslip_guard(run: PayrollRun) -> None:
    """The service-layer rule behind the PostgreSQL trigger: nothing in an approved run changes."""
    if run.frozen:
        raise TransitionRefused(f"Proses penggajian berstatus {RunState(run.state).label}: slip tidak dapat diubah")
