"""Who sees which runs and payslips. Pay is private: an employee sees only their own payslips, and only once the run
is approved (a draft is not pay; the public verification page likewise knows approved payslips only); a treasurer the
payslips of the OPDs they are treasurer of; the BPKAD head and the inspectorate all of them. Everyone else —
including BKPSDM and OPD operators — sees none. Something a user may not see is a 404 (NotVisible), never a 403."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from pamong.accounts.access import Access, access_for, path_q
from pamong.accounts.models import Role
from pamong.core.errors import NotVisible

from .models import FROZEN_STATES, PayrollRun, Payslip, RunChunk, RunState

# a run waiting on its chunks is stalled when no worker has been heard from for this long after it started (or
# last progressed), or when, with a worker alive, no chunk has finished for STALL_AFTER
NO_WORKER_GRACE = dt.timedelta(seconds=30)
STALL_AFTER = dt.timedelta(minutes=10)


def sees_all_pay(access: Access) -> bool:
    return access.has(Role.BPKAD_HEAD) or access.has(Role.INSPECTORATE)


def payslips_visible_to(user: Any) -> QuerySet[Payslip]:
    access = access_for(user)
    qs = Payslip.objects.all()
    if sees_all_pay(access):
        return qs
    q = path_q("opd__path", access.treasurer_paths)
    if access.employee_id is not None:
        q |= Q(employee_id=access.employee_id, run__state__in=FROZEN_STATES)
    return qs.filter(q)


def runs_visible_to(user: Any) -> QuerySet[PayrollRun]:
    """Runs the user works on: all for BPKAD head and inspectorate; for a treasurer, city-wide runs and runs
    scoped inside their OPDs (they act only on their OPDs' part)."""
    access = access_for(user)
    qs = PayrollRun.objects.select_related("scope")
    if sees_all_pay(access):
        return qs
    if not access.treasurer_paths:
        return qs.none()
    return qs.filter(Q(scope__isnull=True) | path_q("scope__path", access.treasurer_paths))


def run_get(user: Any, run_id: int) -> PayrollRun:
    run = runs_visible_to(user).filter(id=run_id).first()
    if run is None:
        raise NotVisible("Proses penggajian tidak ditemukan")
    return run


def payslip_get(user: Any, payslip_id: int) -> Payslip:
    slip = payslips_visible_to(user).select_related("run", "employee", "opd").filter(id=payslip_id).first()
    if slip is None:
        raise NotVisible("Slip tidak ditemukan")
    return slip


def own_payslips(user: Any) -> QuerySet[Payslip]:
    access = access_for(user)
    if access.employee_id is None:
        return Payslip.objects.none()
    return (
        Payslip.objects.filter(employee_id=access.employee_id, run__state__in=FROZEN_STATES)
        .select_related("run")
        .order_by("-period", "kind")
    )


def payslip_by_code(code: str) -> Payslip | None:
    """The public verification page: anyone holding a printed slip may check that it exists — a payslip of an
    approved, paid or closed run only (a draft has no code; this is the backstop)."""
    return (
        Payslip.objects.select_related("run", "employee", "opd")
        .filter(code=code.strip().upper(), run__state__in=FROZEN_STATES)
        .first()
    )


def treasurer_opds(user: Any, run: PayrollRun) -> list[int]:
    """The OPDs of the run this user may verify."""
    from .services import opds_of

    access = access_for(user)
    from pamong.org.models import Unit

    ids = opds_of(run)
    return list(
        Unit.objects.filter(id__in=ids).filter(path_q("path", access.treasurer_paths)).values_list("id", flat=True)
    )


def run_stall(run: PayrollRun) -> str | None:
    """Why a run computing in the background is not moving: "no_worker" (no live worker heartbeat), "no_progress"
    (workers alive but no chunk finished for STALL_AFTER), or None (moving, finished, or failed with its error)."""
    from pamong.core.worker import live_workers

    if run.state != RunState.DRAFT or not run.chunks_total or run.chunks_done >= run.chunks_total:
        return None
    chunks = RunChunk.objects.filter(run=run)
    if chunks.filter(state=RunChunk.State.FAILED).exists():
        return None
    started = run.transitions.filter(action__in=("create", "compute")).aggregate(at=Max("at"))["at"]
    progressed = chunks.aggregate(at=Max("done_at"))["at"]
    since = max(t for t in (started, progressed, run.created_at) if t is not None)
    return stall_reason(timezone.now() - since, live_workers)


def stall_reason(idle: dt.timedelta, live_workers: Callable[[], int]) -> str | None:
    """The one stall rule (run page and payroll dashboard), given how long a computing run has not moved;
    live_workers is asked only when the run has waited past the grace (it is a query)."""
    if idle > NO_WORKER_GRACE and not live_workers():
        return "no_worker"
    if idle > STALL_AFTER:
        return "no_progress"
    return None
