"""Importing the TPP's monthly inputs (capaian kinerja, discipline counts) and disciplinary sanctions from a sheet
(docs/import-format.md §5–6), until the performance and attendance modules feed the same tables.

Both importers run through the one entry point `pamong.people.imports.import_file` (kinds "monthly" and
"sanctions"): header and cell checks, every error reported before anything is written, writes in bounded steps,
dry run, the operator's scope. Lookups
are prefetched (employees, stored inputs or sanctions, approved TPP payslips: one query each), never one per row.

Decisions, documented for users:
- A monthly row is the month's complete record: a band column that is absent or blank counts 0. It is unchanged
  when the score and every count equal what is stored (the `source` then stays the file that set them).
- A monthly row that would change (or create) the input of a month whose TPP payslip for that employee is already
  approved, paid or closed is refused: that payslip cannot change, the correction goes through a rapel. An
  unchanged row of such a month is fine, so re-importing the same file after approval still passes.
- A sanction is identified by NIP + JENIS + TMT: the same again is unchanged, a different SK number or date
  updates it. JENIS must be a code of the region's sanction table in force on the TMT (or, when the pack has no
  table yet on that date, the one in force today); it is matched ignoring case, spaces, hyphens and underscores.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

from django.utils import timezone

from pamong.audit import services as audit
from pamong.core.text import plain_text_error
from pamong.engine.bounds import CAPAIAN_PCT_MAX, DISCIPLINE_COUNT_MAX
from pamong.engine.facts import DISCIPLINE_BANDS
from pamong.engine.region import region_rules
from pamong.people.io.report import Context, Outcome, RowError, Step
from pamong.people.io.table import (
    CellError,
    Column,
    Table,
    _to_date,
    as_text,
    check_header,
    choice_key,
    date,
    parse_rows,
    text,
    text_number,
)
from pamong.people.models import Employee
from pamong.rules.params import ParameterError

from .models import FROZEN_STATES, DisciplinarySanction, MonthlyInput, Payslip, RunKind
from .services import DEFAULT_REGION

__all__ = ["MONTHLY_COLUMNS", "SANCTION_COLUMNS", "import_monthly", "import_sanctions"]

MAX_COUNT = DISCIPLINE_COUNT_MAX  # a band counts days of one month
FROZEN_MESSAGE = "TPP bulan itu sudah disetujui; koreksi melalui rapel"


# --- cell parsers --------------------------------------------------------------------------------------------

_YM = re.compile(r"^(\d{4})[-/.](\d{1,2})$")
_MY = re.compile(r"^(\d{1,2})[-/.](\d{4})$")
_MONTH_FORMATS = "YYYY-MM (mis. 2026-11), MM-YYYY, atau sel tanggal"


def _month(v: Any) -> dt.date:
    """BULAN: 'YYYY-MM', 'MM-YYYY', a date (cell or text) → the first day of that month."""
    if isinstance(v, (bool, int, float)):
        raise CellError(f"bukan bulan; isi {_MONTH_FORMATS}")
    if isinstance(v, (dt.date, dt.datetime)):
        day = _to_date(v)
        assert day is not None
        return day.replace(day=1)
    s = as_text(v)
    if not s:
        raise CellError("wajib diisi")
    if m := _YM.match(s):
        y, mo = int(m[1]), int(m[2])
    elif m := _MY.match(s):
        mo, y = int(m[1]), int(m[2])
    else:
        try:
            day = _to_date(s)
        except CellError:
            raise CellError(f"format bulan tidak dikenal; gunakan {_MONTH_FORMATS}") from None
        assert day is not None
        return day.replace(day=1)
    if not 1 <= mo <= 12:
        raise CellError("bulan harus 1–12")
    if not 1900 <= y <= 2100:
        raise CellError("tahun di luar rentang 1900–2100")
    return dt.date(y, mo, 1)


_PERCENT = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")


def _capaian(v: Any) -> int:
    """CAPAIAN: percent 0–200 with at most two decimals, comma or dot ('87,5', '87.5', '87,5 %') → basis points."""
    if isinstance(v, bool):
        raise CellError("harus angka persen, mis. 87,5")
    if isinstance(v, (int, float)):
        if isinstance(v, float) and not math.isfinite(v):
            raise CellError("harus angka persen, mis. 87,5")
        pct = Decimal(repr(v))
    else:
        s = as_text(v).replace(" ", "").removesuffix("%")
        if not s:
            raise CellError("wajib diisi")
        if not _PERCENT.match(s):
            raise CellError(f"harus angka persen (0–{CAPAIAN_PCT_MAX}), desimal dengan koma atau titik, mis. 87,5")
        try:
            pct = Decimal(s.replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern already rules it out
            raise CellError("harus angka persen, mis. 87,5") from None
    if not 0 <= pct <= CAPAIAN_PCT_MAX:
        raise CellError(f"capaian harus antara 0 dan {CAPAIAN_PCT_MAX} persen")
    bp = pct * 100
    if bp != bp.to_integral_value():
        raise CellError("paling banyak dua angka di belakang koma")
    return int(bp)


_INT = re.compile(r"^[+-]?\d+(?:[.,]0+)?$")


def _count(v: Any) -> int:
    """A discipline count: a whole number 0..31; blank = 0."""
    if isinstance(v, bool):
        raise CellError("harus bilangan bulat")
    if isinstance(v, float):
        if not v.is_integer():
            raise CellError("harus bilangan bulat")
        n = int(v)
    elif isinstance(v, int):
        n = v
    else:
        s = as_text(v)
        if not s:
            return 0
        if not _INT.match(s):
            raise CellError("harus bilangan bulat")
        n = int(re.split(r"[.,]", s)[0])
    if n < 0:
        raise CellError("tidak boleh negatif")
    if n > MAX_COUNT:
        raise CellError(f"paling banyak {MAX_COUNT} (hari dalam sebulan)")
    return n


def _plain(parse: Callable[[Any], str], label: str) -> Callable[[Any], str]:
    """A free-text cell that is stored: one line, no control characters (core/text.py, as every text field)."""

    def check(v: Any) -> str:
        value = parse(v)
        if err := plain_text_error(label, value):
            raise CellError(err)
        return value

    return check


C = Column
_NIP = C("NIP", text_number("NIP", 18, required=True), required=True)
MONTHLY_COLUMNS: list[Column] = [
    _NIP,
    C("BULAN", _month, required=True),
    C("CAPAIAN", _capaian, required=True),
    *(C(band, _count) for band in DISCIPLINE_BANDS),
]
SANCTION_COLUMNS: list[Column] = [
    _NIP,
    C("JENIS", text(60, required=True), required=True),
    C("TMT", date(required=True), required=True),
    C("NOMOR_SK", _plain(text(100, required=True), "nomor SK"), required=True),
    C("TANGGAL_SK", date(required=True), required=True),
]


# --- shared --------------------------------------------------------------------------------------------------


class _Employees:
    """The file's NIPs resolved in one query, with the operator's scope."""

    def __init__(self, ctx: Context, nips: set[str]) -> None:
        self.ctx = ctx
        self.by_nip: dict[str, tuple[int, str]] = {
            nip: (pk, path or "")
            for nip, pk, path in Employee.objects.filter(nip__in=nips).values_list("nip", "pk", "unit__path")
        }

    def resolve(self, n: int, nip: str, errors: list[RowError]) -> int | None:
        found = self.by_nip.get(nip)
        if found is None:
            errors.append(RowError(n, "NIP", nip, "NIP tidak ditemukan di data pegawai"))
            return None
        pk, path = found
        scope = self.ctx.scope_paths
        if scope is not None and not path.startswith(scope):
            errors.append(RowError(n, "NIP", nip, "pegawai ini terdaftar di unit kerja di luar OPD yang Anda kelola"))
            return None
        return pk


def _nip(p: dict[str, Any]) -> str:
    return (p.get("NIP") or "").replace(" ", "")


def _check_duplicate(
    seen: dict[Any, int], key: Any, n: int, column: str, value: str, what: str, errors: list[RowError]
) -> bool:
    if key in seen:
        errors.append(RowError(n, column, value, f"{what} ganda dalam berkas (juga di baris {seen[key]})"))
        return False
    seen[key] = n
    return True


# --- monthly inputs ------------------------------------------------------------------------------------------


def _discipline_state(discipline: dict[str, Any]) -> dict[str, int]:
    """Every band's count (0 where absent): what the audit trail compares."""
    return {band: int(discipline.get(band) or 0) for band in DISCIPLINE_BANDS}


def _monthly_snapshot(capaian_bp: int, discipline: dict[str, Any], source: str) -> dict[str, Any]:
    counts = {f"discipline.{band}": n for band, n in _discipline_state(discipline).items()}
    return {"capaian_bp": capaian_bp, **counts, "source": source}


def import_monthly(ctx: Context, table: Table) -> Outcome:
    """Kind "monthly": upsert MonthlyInput by (employee, month); source = the file name (ctx.filename)."""
    outcome = Outcome()
    errors = outcome.errors
    header_errors = check_header(table.columns, MONTHLY_COLUMNS)
    if header_errors:
        errors += header_errors
        return outcome
    source = (ctx.filename or "impor")[:200]

    parsed: list[tuple[int, str, dt.date, int, dict[str, int]]] = []
    seen: dict[tuple[str, dt.date], int] = {}
    for n, p, ok in parse_rows(table, MONTHLY_COLUMNS, errors):
        outcome.rows_total += 1
        nip, period = _nip(p), p.get("BULAN")
        if nip and period is not None:
            ok = (
                _check_duplicate(seen, (nip, period), n, "BULAN", f"{period:%Y-%m}", f"NIP {nip} dan BULAN", errors)
                and ok
            )
        if not nip:
            continue
        if ok and period is not None:
            counts = {band: p[band] for band in DISCIPLINE_BANDS if p.get(band)}
            parsed.append((n, nip, period, p["CAPAIAN"], counts))
        else:  # still check the NIP, so every error of the file is reported
            parsed.append((n, nip, dt.date.min, -1, {}))

    employees = _Employees(ctx, {nip for _, nip, *_ in parsed})
    rows: list[tuple[int, int, dt.date, int, dict[str, int]]] = []
    for n, nip, period, capaian_bp, counts in parsed:
        emp_id = employees.resolve(n, nip, errors)
        if emp_id is not None and capaian_bp >= 0:
            rows.append((n, emp_id, period, capaian_bp, counts))

    ids = {emp_id for _, emp_id, *_ in rows}
    periods = {period for _, _, period, *_ in rows}
    stored = {
        (m.employee_id, m.period): m for m in MonthlyInput.objects.filter(employee_id__in=ids, period__in=periods)
    }
    frozen = set(
        Payslip.objects.filter(
            employee_id__in=ids, period__in=periods, kind=RunKind.TPP, run__state__in=FROZEN_STATES
        ).values_list("employee_id", "period")
    )
    nip_of = {pk: nip for nip, (pk, _) in employees.by_nip.items()}
    now = timezone.now()
    created: list[MonthlyInput] = []
    changed: list[tuple[MonthlyInput, dict[str, Any]]] = []
    for n, emp_id, period, capaian_bp, counts in rows:
        old = stored.get((emp_id, period))
        if (
            old is not None
            and old.capaian_bp == capaian_bp
            and _discipline_state(old.discipline) == _discipline_state(counts)
        ):
            outcome.unchanged += 1
            continue
        if (emp_id, period) in frozen:
            errors.append(RowError(n, "BULAN", f"{period:%Y-%m}", FROZEN_MESSAGE))
            continue
        if old is None:
            created.append(
                MonthlyInput(employee_id=emp_id, period=period, capaian_bp=capaian_bp, discipline=counts, source=source)
            )
        else:
            before = _monthly_snapshot(old.capaian_bp, old.discipline, old.source)
            old.capaian_bp, old.discipline, old.source, old.updated_at = capaian_bp, counts, source, now
            changed.append((old, before))
    if errors:
        return outcome

    def change(action: str, m: MonthlyInput, before: dict[str, Any]) -> audit.Change:
        after = _monthly_snapshot(m.capaian_bp, m.discipline, m.source)
        if not before:  # a new input also names whose and which month
            after = {"employee": m.employee_id, "period": m.period.isoformat()} | after
        return audit.Change(
            action,
            obj=m,
            object_repr=f"Masukan TPP {nip_of.get(m.employee_id, m.employee_id)} {m.period:%m/%Y}",
            changes=audit.diff(before, after),
            reason=ctx.reason,
        )

    row_of = {(emp_id, period): n for n, emp_id, period, *_ in rows}

    def write(new: list[MonthlyInput], upd: list[tuple[MonthlyInput, dict[str, Any]]]) -> list[RowError]:
        keys = [(m.employee_id, m.period) for m in new] + [(m.employee_id, m.period) for m, _ in upd]
        now_frozen = set(  # approved since the file was checked? (this step holds the write lock)
            Payslip.objects.filter(
                employee_id__in={e for e, _ in keys},
                period__in={p for _, p in keys},
                kind=RunKind.TPP,
                run__state__in=FROZEN_STATES,
            ).values_list("employee_id", "period")
        )
        refused = [RowError(row_of[k], "BULAN", f"{k[1]:%Y-%m}", FROZEN_MESSAGE) for k in keys if k in now_frozen]
        if refused:
            return refused
        MonthlyInput.objects.bulk_create(new, batch_size=1000)
        MonthlyInput.objects.bulk_update(
            [m for m, _ in upd], ["capaian_bp", "discipline", "source", "updated_at"], batch_size=1000
        )
        audit.record_many(
            ctx.actor,
            [change("monthly_input.created", m, {}) for m in new]
            + [change("monthly_input.updated", m, before) for m, before in upd],
        )
        return []

    outcome.created, outcome.updated = len(created), len(changed)
    outcome.steps = _steps(created, changed, ctx.batch_rows, write)
    return outcome


def _steps(
    created: list[Any], changed: list[Any], size: int, write: Callable[[list[Any], list[Any]], list[RowError]]
) -> list[Step]:
    """The created and the changed rows in write steps of `size` rows (created first)."""
    items: list[tuple[bool, Any]] = [(True, x) for x in created] + [(False, x) for x in changed]
    steps = []
    for i in range(0, len(items), size):
        chunk = items[i : i + size]
        new = [x for is_new, x in chunk if is_new]
        upd = [x for is_new, x in chunk if not is_new]
        steps.append(Step(len(chunk), partial(write, new, upd)))
    return steps


# --- disciplinary sanctions ----------------------------------------------------------------------------------


def _sanction_codes(region: str) -> Callable[[dt.date], dict[str, str]]:
    """TMT → {normalised code: code} of the region's sanction table in force then (else today's); cached per date."""
    cache: dict[dt.date, dict[str, str]] = {}

    def codes(on: dt.date) -> dict[str, str]:
        if on not in cache:
            try:
                table = region_rules(on, region).sanctions
            except ParameterError:
                try:
                    table = region_rules(dt.date.today(), region).sanctions
                except ParameterError:
                    table = {}
            cache[on] = {choice_key(code): code for code in table}
        return cache[on]

    return codes


_SANCTION_FIELDS = ("employee", "code", "tmt", "sk_number", "sk_date")


def import_sanctions(ctx: Context, table: Table) -> Outcome:
    """Kind "sanctions": DisciplinarySanction by (employee, JENIS, TMT); SK number and date are updated."""
    outcome = Outcome()
    errors = outcome.errors
    header_errors = check_header(table.columns, SANCTION_COLUMNS)
    if header_errors:
        errors += header_errors
        return outcome
    codes_on = _sanction_codes(DEFAULT_REGION)

    parsed: list[tuple[int, str, dict[str, Any] | None]] = []
    seen: dict[tuple[str, str, dt.date], int] = {}
    for n, p, ok in parse_rows(table, SANCTION_COLUMNS, errors):
        outcome.rows_total += 1
        nip, jenis, tmt = _nip(p), p.get("JENIS") or "", p.get("TMT")
        code = ""
        if jenis:
            codes = codes_on(tmt or dt.date.today())
            code = codes.get(choice_key(jenis), "")
            if not code:
                shown = ", ".join(sorted(codes.values())) or "(paket aturan daerah tidak memuat tabel hukuman)"
                errors.append(
                    RowError(n, "JENIS", jenis, f"jenis hukuman tidak dikenal; gunakan salah satu dari: {shown}")
                )
                ok = False
        if nip and code and tmt is not None:
            ok = (
                _check_duplicate(
                    seen, (nip, code, tmt), n, "TMT", f"{tmt:%d-%m-%Y}", f"NIP {nip}, JENIS dan TMT", errors
                )
                and ok
            )
        if not nip:
            continue
        found = {"code": code, "tmt": tmt, "sk_number": p.get("NOMOR_SK"), "sk_date": p.get("TANGGAL_SK")}
        parsed.append((n, nip, found if ok else None))  # a bad row still has its NIP checked

    employees = _Employees(ctx, {nip for _, nip, _ in parsed})
    rows: list[tuple[int, int, dict[str, Any]]] = []
    for n, nip, values in parsed:
        emp_id = employees.resolve(n, nip, errors)
        if emp_id is not None and values is not None:
            rows.append((n, emp_id, values))
    if errors:
        return outcome

    stored: dict[tuple[int, str, dt.date], DisciplinarySanction] = {}
    for s in DisciplinarySanction.objects.filter(employee_id__in={e for _, e, _ in rows}).order_by("pk"):
        stored.setdefault((s.employee_id, s.code, s.tmt), s)
    created: list[DisciplinarySanction] = []
    changed: list[tuple[DisciplinarySanction, dict[str, Any]]] = []
    for _, emp_id, v in rows:
        old = stored.get((emp_id, v["code"], v["tmt"]))
        if old is None:
            created.append(DisciplinarySanction(employee_id=emp_id, **v))
        elif (old.sk_number, old.sk_date) == (v["sk_number"], v["sk_date"]):
            outcome.unchanged += 1
        else:
            before = audit.snapshot(old, _SANCTION_FIELDS)
            old.sk_number, old.sk_date = v["sk_number"], v["sk_date"]
            changed.append((old, before))

    nip_of = {pk: nip for nip, (pk, _) in employees.by_nip.items()}

    def change(action: str, s: DisciplinarySanction, before: dict[str, Any]) -> audit.Change:
        return audit.Change(
            action,
            obj=s,
            object_repr=f"Hukuman disiplin {nip_of.get(s.employee_id, s.employee_id)} {s.code} TMT {s.tmt:%d-%m-%Y}",
            changes=audit.diff(before, audit.snapshot(s, _SANCTION_FIELDS)),
            reason=ctx.reason,
            sk_number=s.sk_number,
        )

    def write(
        new: list[DisciplinarySanction], upd: list[tuple[DisciplinarySanction, dict[str, Any]]]
    ) -> list[RowError]:
        DisciplinarySanction.objects.bulk_create(new, batch_size=1000)
        DisciplinarySanction.objects.bulk_update([s for s, _ in upd], ["sk_number", "sk_date"], batch_size=1000)
        audit.record_many(
            ctx.actor,
            [change("sanction.created", s, {}) for s in new]
            + [change("sanction.updated", s, before) for s, before in upd],
        )
        return []

    outcome.created, outcome.updated = len(created), len(changed)
    outcome.steps = _steps(created, changed, ctx.batch_rows, write)
    return outcome
