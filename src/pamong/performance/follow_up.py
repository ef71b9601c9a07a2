"""Tindak lanjut penilaian kinerja (PP 30/2019 Pasal 53–58): awards for an annual predikat Sangat Baik, and the
poor-performance list for BKPSDM.

Awards are the payroll's own (payroll.Award): proposed here through payroll.adjustments.award_create, so they are
unapproved until the BPKAD head approves them on the payroll's page exactly like any other award, and only then
reach the TPP slip of their month. The amount is the city's kinerja/penghargaan (sangat_baik) in force in the month
paid. One proposal per employee and year (AwardProposal, unique), so proposing again adds only the newcomers.

The poor-performance path flags employees whose periodic predikat in force was Butuh Perbaikan or Sangat Kurang in
two consecutive periods (issue 9: "Butuh Perbaikan / Sangat Kurang two periods running"; Kurang/Misconduct is a
discipline matter and not part of this rule)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext

from pamong.accounts.access import access_for
from pamong.accounts.models import Role
from pamong.core.errors import DomainError, Forbidden, ValidationFailed
from pamong.payroll.adjustments import award_create
from pamong.people.models import Employee
from pamong.rules.params import params_in_force

from .evaluations import current
from .inputs import clean_text
from .models import AwardProposal, Evaluation, EvaluationKind, EvaluationState, Predikat

POOR = (Predikat.BUTUH_PERBAIKAN, Predikat.SANGAT_KURANG)


def _require_admin(actor: Any) -> None:
    if not access_for(actor).has(Role.ADMIN_BKPSDM):
        raise Forbidden(gettext("Hanya admin BKPSDM yang mengusulkan penghargaan kinerja."))


def may_read(user: Any) -> bool:
    a = access_for(user)
    return a.has(Role.ADMIN_BKPSDM) or a.has(Role.INSPECTORATE)


def award_amount(period: dt.date) -> int:
    found = params_in_force(period, region=settings.PAMONG_REGION).get("kinerja/penghargaan")
    if found is None or not isinstance(found.value, dict) or not found.value.get(Predikat.SANGAT_BAIK):
        raise ValidationFailed(
            gettext("Paket aturan daerah belum memuat besaran penghargaan kinerja Sangat Baik untuk %(d)s.")
            % {"d": period.strftime("%m/%Y")}
        )
    return int(found.value[Predikat.SANGAT_BAIK])


def sangat_baik(year: int) -> list[Evaluation]:
    """The final annual evaluations in force for the year with predikat Sangat Baik (corrections included)."""
    return list(
        current(Evaluation.objects.filter(kind=EvaluationKind.ANNUAL, state=EvaluationState.FINAL,
                                          period_start=dt.date(year, 1, 1), predikat=Predikat.SANGAT_BAIK))
        .select_related("employee__unit").order_by("employee__name", "employee_id")
    )  # fmt: skip


def awards_propose(
    *, actor: Any, year: int, period: dt.date, decree_number: str, decree_date: dt.date
) -> list[AwardProposal]:
    """Propose (unapproved) payroll awards for everyone whose annual predikat in force for `year` is Sangat Baik,
    paid with the TPP of `period`. Idempotent per employee and year. All or nothing: a refusal for one employee
    (e.g. their TPP of that month is already approved) names them and writes nothing."""
    _require_admin(actor)
    decree_number = clean_text(decree_number, "decree_number", max_len=100)
    period = period.replace(day=1)
    amount = award_amount(period)
    done = set(AwardProposal.objects.filter(year=year).values_list("employee_id", flat=True))
    todo = [ev for ev in sangat_baik(year) if ev.employee_id not in done]
    description = gettext("Penghargaan kinerja Sangat Baik tahun %(y)d") % {"y": year}
    created = []
    with transaction.atomic():
        for ev in todo:
            try:
                award = award_create(actor, employee=ev.employee, period=period, amount=amount,
                                     decree_number=decree_number, decree_date=decree_date,
                                     description=description)  # fmt: skip
            except DomainError as exc:
                raise type(exc)(f"{ev.employee.name}: {exc.message}", details=exc.details) from exc
            created.append(AwardProposal.objects.create(employee_id=ev.employee_id, year=year, evaluation=ev,
                                                        award=award, created_by=actor))  # fmt: skip
    return created


def proposals(year: int) -> list[AwardProposal]:
    return list(
        AwardProposal.objects.filter(year=year)
        .select_related("employee__unit", "award", "evaluation")
        .order_by("employee__name", "employee_id")
    )


@dataclass(frozen=True)
class PoorRun:
    employee: Employee
    periods: list[tuple[dt.date, dt.date, str]]  # (start, end, predikat) of the consecutive poor periods


def poor_performance(year: int) -> list[PoorRun]:
    """Employees with two (or more) consecutive periodic evaluations in force, each Butuh Perbaikan or Sangat
    Kurang, where the run reaches into `year` (a December–January pair counts for January's year). One query."""
    rows = list(
        current(Evaluation.objects.filter(kind=EvaluationKind.PERIODIC, state=EvaluationState.FINAL, predikat__in=POOR,
                                          period_start__gte=dt.date(year - 1, 12, 1),
                                          period_start__lte=dt.date(year, 12, 31)))
        .select_related("employee__unit").order_by("employee_id", "period_start")
    )  # fmt: skip
    out: list[PoorRun] = []
    run: list[Evaluation] = []

    def close() -> None:
        if len(run) >= 2 and run[-1].period_start.year == year:
            out.append(PoorRun(run[0].employee, [(e.period_start, e.period_end, e.predikat) for e in run]))

    for ev in rows:
        if (
            run
            and run[-1].employee_id == ev.employee_id
            and run[-1].period_end + dt.timedelta(days=1) == ev.period_start
        ):
            run.append(ev)
        else:
            close()
            run = [ev]
    close()
    return sorted(out, key=lambda r: (r.employee.name, r.employee.pk))
