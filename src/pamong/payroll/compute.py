"""Computing one chunk of a run: facts (fixed number of queries) → engine → payslips with lines, facts snapshot and
trace, stored in bulk. A chunk is one transaction that first removes whatever an earlier attempt left, so a worker
killed half-way loses nothing and a re-run neither duplicates nor skips a payslip."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import orjson
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from pamong.engine.extra import extra_slip
from pamong.engine.month import Month, YearShare, compute_month, gaji_year_share, tpp_year_share
from pamong.engine.params import EngineParams, build_params
from pamong.engine.rapel import rapel_slip
from pamong.engine.region import RegionRules, region_rules
from pamong.engine.trace import LINES, Tracer, catalogue, compact, shared_params

from .adjustments import take_deductions
from .facts import ChunkFacts, any_id, chunk_facts, facts_of_rows
from .models import PayrollRun, Payslip, PayslipError, RunChunk, RunKind, RunState
from .rapel import plan_rapel
from .ytd import FIELDS as YEAR_FIELDS
from .ytd import year_to_date

PREFIXES = {
    RunKind.GAJI: ("gaji.", "pemberi_kerja.jkk", "pemberi_kerja.jkm"),
    RunKind.TPP: ("tpp.",),
    RunKind.THR: ("thr.",),
    RunKind.GAJI13: ("gaji13.",),
    RunKind.RAPEL: ("rapel.",),
}


class RunNotComputable(ValueError):
    pass


@dataclass(frozen=True)
class Slips:
    lines: dict[str, Any]  # code → int64 array over the chunk
    bruto: Any
    potongan: Any
    bersih: Any
    year: YearShare  # what each payment adds to the year's PPh 21 (December sums it)


def rules_and_params(run: PayrollRun) -> tuple[RegionRules, EngineParams]:
    if run.period.month == 12 and run.kind not in (RunKind.GAJI, RunKind.TPP):
        raise RunNotComputable("Desember: hanya gaji dan TPP (perhitungan ulang PPh 21 setahun)")
    rules = region_rules(run.period, run.region)
    return rules, build_params(run.period, rules.policy)


def slips_for(run: PayrollRun, cf: ChunkFacts, params: EngineParams, tracer: Tracer) -> Slips:
    assert cf.facts is not None
    # December: the annual recomputation, from what the year's approved payslips already paid and withheld
    ytd = year_to_date([e.id for e in cf.employees], run.period) if run.period.month == 12 else None
    month: Month = compute_month(cf.facts, params, tracer, ytd)
    year: YearShare | None = None
    if run.kind == RunKind.GAJI:
        slip: Any = month.gaji
        year = gaji_year_share(month)
    elif run.kind == RunKind.TPP:
        slip = month.tpp
        year = tpp_year_share(month)
    elif run.kind == RunKind.RAPEL:
        slip = rapel_slip(cf.facts, params, tracer, month, cf.corrections)
    else:
        slip = extra_slip(run.kind, cf.facts, params, tracer, month)
    lines = dict(slip.lines)
    if run.kind == RunKind.RAPEL:
        lines |= {f"pemberi_kerja_{code}": amount for code, amount in slip.pemberi_kerja.items()}
    if run.kind == RunKind.GAJI:  # employer premiums shown on the register, not paid to the employee
        lines["pemberi_kerja_bpjs_kesehatan"] = slip.bpjs_pemberi_kerja
        lines["pemberi_kerja_jkk"] = month.gaji.jkk
        lines["pemberi_kerja_jkm"] = month.gaji.jkm
    elif run.kind == RunKind.TPP:
        lines["pemberi_kerja_bpjs_kesehatan"] = slip.bpjs_pemberi_kerja
    return Slips(lines, slip.bruto, slip.potongan, slip.bersih, year if year is not None else slip.year)


def rapel_for(run: PayrollRun, cf: ChunkFacts, rules: RegionRules, params: EngineParams, tracer: Tracer) -> ChunkFacts:
    """Narrow the chunk to the employees with a back-dated difference and compute their rapel slip; the facts
    snapshot names, per month, the payslip corrected and the golongan/MKG paid and due."""
    due_now = {emp.id: snap for emp, snap in zip(cf.employees, cf.snapshots, strict=True)}
    plan = plan_rapel([e.id for e in cf.employees], run.period, run.region, due_now)
    if not plan.employee_ids:
        return ChunkFacts([], None, [], cf.errors)
    by_id = {e.id: e for e in cf.employees}
    rows = [due_now[i] for i in plan.employee_ids]
    facts = facts_of_rows(rows, rules, run.period)
    snapshots = [due_now[i] | {"rapel_bulan": plan.months[i]} for i in plan.employee_ids]
    return ChunkFacts([by_id[i] for i in plan.employee_ids], facts, snapshots, cf.errors, plan.corrections)


def record_catalogue(run: PayrollRun, tracer: Tracer, n: int) -> None:
    """The run's parameter catalogue (each parameter's date, source, unit, reference, and each line's parameters
    that are the same for everyone), written once — again only when a chunk traces a line the catalogue lacks (a
    rapel month another chunk did not have), under a lock on the run row so two such chunks cannot lose each
    other's lines."""
    prefixes = PREFIXES[RunKind(run.kind)]
    lines = shared_params(tracer, n, prefixes)
    known = (run.params_catalogue or {}).get(LINES, {})
    if run.params_catalogue and set(lines) <= set(known):
        return
    locked = PayrollRun.objects.select_for_update(of=("self",)).only("params_catalogue").get(id=run.id)
    merged = dict(locked.params_catalogue or {}) | catalogue(tracer)
    merged[LINES] = dict(merged.get(LINES, {})) | lines
    PayrollRun.objects.filter(id=run.id).update(params_catalogue=merged)


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """A chunk builds some 300,000 small acyclic dicts and lists (facts snapshots, traces) that all stay alive until
    stored; the cyclic collector kept rescanning them (and everything Django and numpy hold), which measured 3-4
    times the cost of building them. Reference counting still frees them; cycles wait for the next collection."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def compute_chunk(run_id: int, index: int, worker: str = "") -> bool:
    """Compute and store one chunk; True if this call did the work, False if it was already done or is being done
    by another worker (PostgreSQL: SKIP LOCKED)."""
    with no_cyclic_gc(), transaction.atomic():
        if connection.vendor == "postgresql":
            # Don't wait for the WAL flush at commit: the chunk's payslips and its "done" mark commit together, so
            # a crash can only lose a whole chunk, which stays pending and is recomputed — never half of one.
            with connection.cursor() as cur:
                cur.execute("SET LOCAL synchronous_commit TO OFF")
        # lock the chunk row only: RunChunk's default ordering joins the run, and FOR UPDATE without OF would lock
        # the run row too, so a second worker would skip every chunk while the first computes one
        chunk_qs = RunChunk.objects.filter(run_id=run_id, index=index).order_by()
        if connection.features.has_select_for_update_skip_locked:
            chunk_qs = chunk_qs.select_for_update(skip_locked=True, of=("self",))
        chunk = chunk_qs.first()
        if chunk is None or chunk.state == RunChunk.State.DONE:
            return False
        run = PayrollRun.objects.get(id=run_id)
        if run.state != RunState.DRAFT:
            return False  # recomputation started over, or the run moved on
        ids = list(chunk.employee_ids)
        # whatever an earlier, interrupted attempt left (it rolled back, but be explicit and cheap)
        Payslip.objects.filter(run=run, employee_id__in=any_id(ids)).delete()
        PayslipError.objects.filter(run=run, employee_id__in=any_id(ids)).delete()

        rules, params = rules_and_params(run)
        cf = chunk_facts(ids, run.period, run.kind, rules, params)
        tracer = Tracer()
        if run.kind == RunKind.RAPEL and cf.facts is not None:
            cf = rapel_for(run, cf, rules, params, tracer)
        payslips: list[tuple[Any, ...]] = []  # rows in PAYSLIP_COLUMNS order
        if cf.facts is not None:
            slips = slips_for(run, cf, params, tracer)
            traces = compact(tracer, cf.facts.size, PREFIXES[RunKind(run.kind)])
            codes = list(slips.lines)
            columns = [arr.tolist() for arr in slips.lines.values()]
            lines = [dict(zip(codes, amounts, strict=True)) for amounts in zip(*columns, strict=True)] if codes else [
                {} for _ in cf.employees
            ]  # fmt: skip
            bruto, potongan, bersih = slips.bruto.tolist(), slips.potongan.tolist(), slips.bersih.tolist()
            year_cols = {key: getattr(slips.year, key).tolist() for key in YEAR_FIELDS}
            years = [{key: col[i] for key, col in year_cols.items()} for i in range(len(cf.employees))]
            for i, running in enumerate(cf.deductions):  # after the slip: from net pay, by priority
                if running:
                    taken = take_deductions(bersih[i], running)
                    lines[i]["potongan_lain"] = taken.total
                    potongan[i] += taken.total
                    bersih[i] -= taken.total
                    cf.snapshots[i]["potongan_lain"] = taken.lines
            for i, emp in enumerate(cf.employees):
                payslips.append(
                    (run.id, emp.id, run.period, run.kind, emp.opd_id, cf.snapshots[i], lines[i], bruto[i],
                     potongan[i], bersih[i], traces[i], None, years[i])  # code: issued at approval
                )  # fmt: skip
            record_catalogue(run, tracer, cf.facts.size)
        store_payslips(payslips)
        PayslipError.objects.bulk_create(
            [
                PayslipError(run=run, employee_id=emp.id, opd_id=emp.opd_id, message=msg) for emp, msg in cf.errors
            ]  # fmt: skip
        )
        chunk.state = RunChunk.State.DONE
        chunk.attempts += 1
        chunk.worker = worker
        chunk.done_at = timezone.now()
        chunk.error = ""
        chunk.save(update_fields=["state", "attempts", "worker", "done_at", "error"])
        PayrollRun.objects.filter(id=run.id).update(
            chunks_done=F("chunks_done") + 1, errors_total=F("errors_total") + len(cf.errors)
        )
        finish_if_complete(run.id)
    return True


PAYSLIP_COLUMNS = ("run_id", "employee_id", "period", "kind", "opd_id", "facts", "lines", "bruto", "potongan",
                   "bersih", "trace", "code", "year")  # fmt: skip


def _json(value: Any) -> str:
    """JSON text for a jsonb column: orjson encodes a chunk's facts, lines and traces ~5× faster than the standard
    library (PostgreSQL parses and normalises either into the same jsonb)."""
    return orjson.dumps(value).decode()


def store_payslips(rows: list[tuple[Any, ...]]) -> None:
    """Insert the chunk's payslips (rows in PAYSLIP_COLUMNS order): one COPY on PostgreSQL (Django's bulk INSERT
    quotes every JSON value into an array literal in Python, which cost more than the whole computation),
    bulk_create elsewhere. One statement per chunk either way; the COPY is logged like a query, so
    CaptureQueriesContext counts it."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        Payslip.objects.bulk_create([Payslip(**dict(zip(PAYSLIP_COLUMNS, r, strict=True))) for r in rows],
                                    batch_size=2000)  # fmt: skip
        return
    sql = f"COPY {Payslip._meta.db_table} ({', '.join(PAYSLIP_COLUMNS)}) FROM STDIN"
    started = time.monotonic()
    # the raw psycopg cursor's errors wrapped as Django's (a duplicate payslip is an IntegrityError, as elsewhere)
    with connection.wrap_database_errors, connection.cursor() as cur, cur.cursor.copy(sql) as copy:
        write = copy.write_row
        for run_id, employee_id, period, kind, opd_id, facts, lines, bruto, potongan, bersih, trace, code, year in rows:
            write((run_id, employee_id, period, kind, opd_id, _json(facts), _json(lines), bruto, potongan, bersih,
                   _json(trace), code, _json(year)))  # fmt: skip
    if connection.queries_logged:
        connection.queries_log.append(
            {"sql": f"{sql} -- {len(rows)} rows", "time": f"{time.monotonic() - started:.3f}"}
        )


def finish_if_complete(run_id: int) -> None:
    """draft → computed once every chunk is done (called inside the last chunk's transaction)."""
    from .services import mark_computed  # the state machine lives in services; imported late to avoid a cycle

    run = PayrollRun.objects.get(id=run_id)
    if run.state == RunState.DRAFT and run.chunks_total and run.chunks_done >= run.chunks_total:
        mark_computed(run)


def pending_chunks(run_id: int) -> list[int]:
    return list(
        RunChunk.objects.filter(run_id=run_id).exclude(state=RunChunk.State.DONE).values_list("index", flat=True)
    )


def failure_message(exc: BaseException) -> str:
    """What the run page says about a failed chunk: a payslip the database refused as a second one for the month is
    explained (another run paid these employees meanwhile), not shown as the raw constraint error."""
    # SQLite: "UNIQUE constraint failed: payroll_payslip.employee_id, ..."; PostgreSQL names the constraint
    if isinstance(exc, IntegrityError) and "payroll_payslip" in str(exc):
        return (
            "Sebagian pegawai kelompok ini sudah punya slip jenis dan bulan yang sama dari proses penggajian lain. "
            "Batalkan proses yang tidak dipakai, lalu hitung ulang."
        )
    return str(exc)[:2000]


def mark_failed(run_id: int, index: int, exc: BaseException) -> None:
    """Record a chunk's failure for the run page; the chunk stays retryable (a recompute or another worker)."""
    RunChunk.objects.filter(run_id=run_id, index=index).update(
        state=RunChunk.State.FAILED, error=failure_message(exc), attempts=F("attempts") + 1
    )


def work(run_id: int, worker: str = "", on_chunk: Any = None) -> int:
    """Take the run's pending chunks one by one until none is left; returns how many this worker computed."""
    done = 0
    for index in pending_chunks(run_id):
        try:
            if compute_chunk(run_id, index, worker):
                done += 1
        except Exception as exc:
            mark_failed(run_id, index, exc)
            raise
        if on_chunk is not None:
            on_chunk(index)
    return done
