"""The payroll dashboard of a month, for the BPKAD head, the treasurers (their OPDs only) and the inspectorate
(read-only, like everything they see): totals by kind and by OPD, runs still in progress (stalled or failed ones
marked), and anomalies — net pay that moved more than 20 % from last month's approved payslip of the same kind,
with the reason where the payslips show one.

Everything is aggregated in the database with a fixed number of queries (nine), whatever the number of employees:
one GROUP BY kind and OPD (the employer premiums summed from the payslip's JSON lines), last month's payslip through
a LEFT JOIN and who left through an anti-join, both answered from the (period, kind, employee) covering index with
ids, amounts and a window count only, then the names and facts of the listed rows in one more query.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BigIntegerField, Count, Exists, F, FilteredRelation, Func, Max, OuterRef, Q, QuerySet, Sum
from django.db.models.expressions import Window
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from pamong.accounts.access import access_for, path_q
from pamong.core.errors import NotVisible
from pamong.core.worker import live_workers
from pamong.org.models import Unit

from .labels import PEMBERI_KERJA
from .models import FROZEN_STATES, PayrollRun, Payslip, RunChunk, RunKind, RunState
from .selectors import runs_visible_to, sees_all_pay, stall_reason

CHANGE_PCT = 20  # a net pay change above this share of last month's is an anomaly
LIST_LIMIT = 50  # anomalies listed (the count covers all)
LEFT_REASON = "Tidak ada slip bulan ini (berhenti, pensiun, pindah, atau belum dihitung)"
IN_PROGRESS = (RunState.DRAFT, RunState.COMPUTED, RunState.VERIFIED)
# a run of these states says nothing about who is paid this month (a cancelled run has no payslips left)
NOT_COMPUTED = (RunState.DRAFT, RunState.CANCELLED)


@dataclass
class Dashboard:
    period: dt.date
    previous: dt.date
    periods: list[dt.date]  # months with payslips the user may see, newest first
    by_kind: list[dict[str, Any]]
    by_opd: list[dict[str, Any]]
    runs: list[dict[str, Any]]
    anomalies: list[dict[str, Any]]
    anomalies_total: int
    left: list[dict[str, Any]]
    left_total: int
    totals: dict[str, int] = field(default_factory=dict)


def dashboard_payslips(user: Any) -> QuerySet[Payslip]:
    """The payslips whose sums the user may see: all for the BPKAD head and the inspectorate, their OPDs' for a
    treasurer. An employee's own payslip is not a dashboard; anyone else is refused (NotVisible → 404)."""
    access = access_for(user)
    if sees_all_pay(access):
        return Payslip.objects.all()
    if access.treasurer_paths:
        return Payslip.objects.filter(path_q("opd__path", access.treasurer_paths))
    raise NotVisible("Dasbor penggajian tidak tersedia untuk Anda")


def previous_month(period: dt.date) -> dt.date:
    return dt.date(period.year - 1, 12, 1) if period.month == 1 else dt.date(period.year, period.month - 1, 1)


def _employer() -> Any:
    """Employer premiums of a payslip, summed from its JSON lines in the database."""
    total: Any = None
    for code in PEMBERI_KERJA:
        part = Coalesce(Cast(KT(f"lines__{code}"), BigIntegerField()), 0)
        total = part if total is None else total + part
    return total


SUMMED = ("n", "bruto", "potongan", "bersih", "employer")


def _sums() -> dict[str, Any]:
    return {"n": Count("id"), "bruto": Sum("bruto"), "potongan": Sum("potongan"), "bersih": Sum("bersih"),
            "employer": Sum(_employer())}  # fmt: skip


def _reason(row: dict[str, Any]) -> str:
    if row["prev_bersih"] is None:
        return "Baru: tidak ada slip bulan lalu"
    reasons = []
    if row["prev_golongan"] != row["golongan"]:
        reasons.append(f"golongan {row['prev_golongan'] or '–'} → {row['golongan'] or '–'}")
    if row["prev_status"] != row["status"]:
        reasons.append(f"status {row['prev_status'] or '–'} → {row['status'] or '–'}")
    if row["prev_jabatan"] != row["jabatan"]:
        reasons.append("jabatan berubah")
    if row["prev_opd"] != row["opd_id"]:
        reasons.append("pindah OPD")
    text = "; ".join(reasons)
    return text[:1].upper() + text[1:]


def _run_row(run: PayrollRun, now: dt.datetime, live_workers: Callable[[], int]) -> dict[str, Any]:
    computing = run.state == RunState.DRAFT and (run.chunks_done < run.chunks_total or not run.chunks_total)
    last = run.last_done or run.created_at  # type: ignore[attr-defined]
    problem = ""
    if run.failed:  # type: ignore[attr-defined]
        problem = "failed"
    elif computing and stall_reason(now - last, live_workers):  # the run page's rule
        problem = "stalled"
    percent = round(100 * run.chunks_done / run.chunks_total) if run.chunks_total else 0
    return {"run": run, "computing": computing, "percent": percent, "problem": problem, "last": last}


def _rollup(cells: list[dict[str, Any]], keys: tuple[str, ...]) -> list[dict[str, Any]]:
    """Sums of the (kind, OPD) cells by `keys`, in the cells' order of first appearance."""
    out: dict[tuple[Any, ...], dict[str, Any]] = {}
    for c in cells:
        row = out.setdefault(tuple(c[k] for k in keys), {**{k: c[k] for k in keys}, **dict.fromkeys(SUMMED, 0)})
        for k in SUMMED:
            row[k] += c[k] or 0
    return list(out.values())


def payroll_dashboard(user: Any, period: dt.date | None = None) -> Dashboard:
    slips = dashboard_payslips(user)
    # a payslip's period is its run's: the few runs with a visible payslip, not a DISTINCT over every payslip
    periods = list(
        PayrollRun.objects.filter(Exists(slips.filter(run=OuterRef("pk"))))
        .values_list("period", flat=True)
        .distinct()
        .order_by("-period")[:24]
    )  # 1 fmt: skip
    period = period or (periods[0] if periods else timezone.localdate().replace(day=1))
    previous = previous_month(period)
    month = slips.filter(period=period)
    kinds = dict(RunKind.choices)
    # one pass over the month (the employer premiums are read from each payslip's JSON once) grouped by kind and OPD
    # id (a hash aggregate: sorting the wide rows by name spilled to disk), rolled up here; OPDs in name order
    cells = list(month.values("kind", "opd_id").annotate(**_sums()).order_by())  # 2
    names = dict(Unit.objects.filter(id__in={c["opd_id"] for c in cells}).order_by("name").values_list("id", "name"))
    # 3
    rank = {opd_id: i for i, opd_id in enumerate(names)}
    cells.sort(key=lambda c: (rank[c["opd_id"]], c["kind"]))
    for c in cells:
        c["opd__name"] = names[c["opd_id"]]
    by_kind = [{**r, "label": kinds.get(r["kind"], r["kind"])}
               for r in sorted(_rollup(cells, ("kind",)), key=lambda r: r["kind"])]  # fmt: skip
    by_opd = _rollup(cells, ("opd_id", "opd__name"))
    totals = {k: sum(r[k] for r in by_kind) for k in SUMMED}

    now = timezone.now()
    runs = (
        runs_visible_to(user)
        .filter(state__in=IN_PROGRESS)
        .annotate(last_done=Max("chunks__done_at"),
                  failed=Count("chunks", filter=Q(chunks__state=RunChunk.State.FAILED)))
        .order_by("-period", "-id")[:LIST_LIMIT]
    )  # fmt: skip
    live = functools.cache(live_workers)  # asked at most once, and only if a run has waited past the grace
    run_rows = [_run_row(r, now, live) for r in runs]  # 3

    # last month's approved kinds: without one, every payslip would look "new"
    approved = list(PayrollRun.objects.filter(period=previous, state__in=FROZEN_STATES).values_list("id", "kind"))  # 4
    compared = sorted({kind for _, kind in approved})
    # last month's payslip of the same kind: one LEFT JOIN on (employee, period, kind) — unique, so a hash join over
    # the month. Only ids and amounts here, with the total as a window count (one query, not a COUNT and a list);
    # names and facts of the listed rows come after. Kinds are those with an approved run last month.
    current = (
        month.filter(kind__in=compared)
        .annotate(
            prev=FilteredRelation("employee__payslips", condition=Q(employee__payslips__period=previous,
                                                                    employee__payslips__kind=F("kind"))),
            prev_id=F("prev__id"),  # the filter below uses these names: one join (a second filter would add one)
            prev_bersih=F("prev__bersih"),
            change=Func(F("bersih") - F("prev__bersih"), function="ABS", output_field=BigIntegerField()),
        )
        .filter(Q(prev_id__isnull=True) | Q(change__gt=F("prev_bersih") * CHANGE_PCT / 100))
    )  # fmt: skip
    rows = list(
        current.values(
            "id", "employee_id", "kind", "bersih", "prev_bersih", "change", "opd_id", total=Window(Count("id"))
        ).order_by(F("change").desc(nulls_first=True), "id")[:LIST_LIMIT]
    )  # 5 fmt: skip
    anomalies_total = rows[0]["total"] if rows else 0

    # who was paid last month and not this month, for the kinds whose run this month is fully computed
    kinds_now = list(
        PayrollRun.objects.filter(period=period)
        .exclude(state__in=NOT_COMPUTED)
        .order_by()
        .values_list("kind", flat=True)
        .distinct()
    )  # 6 fmt: skip
    # an anti-join on (employee, period, kind) as a LEFT JOIN … IS NULL: the planner hashes this month (an EXISTS
    # was probed once per payslip); last month's approved runs by id, which it estimates better than their state
    left_q = (
        slips.filter(period=previous, kind__in=kinds_now, run_id__in=[run_id for run_id, _ in approved])
        .annotate(
            next=FilteredRelation("employee__payslips", condition=Q(employee__payslips__period=period,
                                                                    employee__payslips__kind=F("kind"))),
            next_id=F("next__id"),
        )
        .filter(next_id__isnull=True)
    )  # fmt: skip
    left_rows = list(
        left_q.values("id", "employee_id", "kind", "bersih", total=Window(Count("id"))).order_by("-bersih", "id")[
            :LIST_LIMIT
        ]
    )  # 7 fmt: skip
    left_total = left_rows[0]["total"] if left_rows else 0

    # names and facts of the listed payslips, and last month's facts of the listed anomalies for the visible reason
    # (last month's payslip may lie in an OPD the treasurer does not see: it is only compared, not shown)
    listed = [r["id"] for r in rows] + [r["id"] for r in left_rows]
    details = (
        {
            (p["employee_id"], p["kind"], p["period"]): p
            for p in Payslip.objects.filter(
                Q(id__in=listed)
                | Q(period=previous, kind__in=compared, employee_id__in=[r["employee_id"] for r in rows])
            )
            .order_by()
            .values(
                "employee_id",
                "kind",
                "period",
                "opd_id",
                "opd__name",
                golongan=F("facts__golongan"),
                status=F("facts__status"),
                jabatan=F("facts__jabatan__nama"),
                nama=F("facts__nama"),
                nip=F("facts__nip"),
            )
        }
        if listed
        else {}
    )  # 8 fmt: skip
    anomalies = []
    for r in rows:
        now_facts = details.get((r["employee_id"], r["kind"], period))
        if now_facts is None:  # deleted since (a draft run recomputed): not shown rather than an error page
            continue
        b = details.get((r["employee_id"], r["kind"], previous)) or {}
        r.update(opd__name=now_facts["opd__name"], golongan=now_facts["golongan"], status=now_facts["status"],
                 jabatan=now_facts["jabatan"], nama=now_facts["nama"], nip=now_facts["nip"],
                 prev_golongan=b.get("golongan"), prev_status=b.get("status"), prev_jabatan=b.get("jabatan"),
                 prev_opd=b.get("opd_id"))  # fmt: skip
        del r["total"]
        pct = round(100 * (r["bersih"] - r["prev_bersih"]) / r["prev_bersih"]) if r["prev_bersih"] else None
        anomalies.append({**r, "pct": pct, "reason": _reason(r), "label": kinds.get(r["kind"], r["kind"])})
    left = []
    for r in left_rows:
        p = details.get((r["employee_id"], r["kind"], previous))
        if p is None:
            continue
        del r["total"]
        left.append({**r, "opd__name": p["opd__name"], "nama": p["nama"], "nip": p["nip"],
                     "label": kinds.get(r["kind"], r["kind"]),
                     "reason": LEFT_REASON})  # fmt: skip
    return Dashboard(period, previous, periods, by_kind, by_opd, run_rows, anomalies, anomalies_total, left,
                     left_total, totals)  # fmt: skip
