"""Who sees which runs and payslips. Pay is private: an employee sees only their own payslips; a treasurer the
payslips of the OPDs they are treasurer of; the BPKAD head and the inspectorate all of them. Everyone else —
including BKPSDM and OPD operators — sees none. Something a user may not see is a 404 (NotVisible), never a 403."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from pamong.accounts.access import Access, access_for, path_q
from pamong.accounts.models import Role
from pamong.core.errors import NotVisible

from .models import PayrollRun, Payslip


def sees_all_pay(access: Access) -> bool:
    return access.has(Role.BPKAD_HEAD) or access.has(Role.INSPECTORATE)


def payslips_visible_to(user: Any) -> QuerySet[Payslip]:
    access = access_for(user)
    qs = Payslip.objects.all()
    if sees_all_pay(access):
        return qs
    q = path_q("opd__path", access.treasurer_paths)
    if access.employee_id is not None:
        q |= Q(employee_id=access.employee_id)
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
    return Payslip.objects.filter(employee_id=access.employee_id).select_related("run").order_by("-period", "kind")


def payslip_by_code(code: str) -> Payslip | None:
    """The public verification page: anyone holding a printed slip may check that it exists (no amounts beyond
    what is printed on it are shown)."""
    return Payslip.objects.select_related("run", "employee", "opd").filter(code=code.strip().upper()).first()


def treasurer_opds(user: Any, run: PayrollRun) -> list[int]:
    """The OPDs of the run this user may verify."""
    from .services import opds_of

    access = access_for(user)
    from pamong.org.models import Unit

    ids = opds_of(run)
    return list(
        Unit.objects.filter(id__in=ids).filter(path_q("path", access.treasurer_paths)).values_list("id", flat=True)
    )
