"""From the database to the engine's Facts for one chunk of employees, in a fixed number of queries (employees with
position and unit, family, monthly inputs, final periodic evaluations, sanctions), whatever the chunk's size. An
employee whose facts cannot be turned into engine inputs (a JF family without a parameter, no monthly input for
TPP, ...) becomes an error row with the reason, never a silent zero."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
from django.db import connection
from django.db.models.expressions import RawSQL

from pamong.engine.facts import DISCIPLINE_BANDS, FUNGSIONAL, JABATAN_CODES, PELAKSANA, STATUS_CODES, STRUKTURAL, Facts
from pamong.engine.params import EngineParams
from pamong.engine.rapel import Correction
from pamong.engine.region import RegionRules
from pamong.org.models import STRUCTURAL_KINDS
from pamong.people import family
from pamong.people.models import Employee, FamilyMember
from pamong.performance.evaluations import MonthCapaian, capaian_for
from pamong.rules.params import params_in_force

from .adjustments import runs_in
from .models import Award, DisciplinarySanction, MonthlyInput, OtherDeduction, RunKind
from .months import add_months, month_end

NEEDS_MONTHLY_INPUT = (RunKind.TPP,)  # the TPP needs the month's score and discipline; the gaji does not


class ChunkPosition(NamedTuple):
    name: str
    code: str
    kind: str
    eselon: str
    jf_family: str
    jf_jenjang: str
    kelas_jabatan: int


class ChunkEmployee(NamedTuple):
    """What a chunk reads of an employee, its position and unit (plain rows: building 6,000 model instances per
    chunk cost more than the engine)."""

    id: int
    nip: str
    name: str
    gender: str
    employee_type: str
    golongan: str
    mkg_years: int
    bank_name: str
    bank_account_number: str
    bank_account_name: str
    unit_id: int
    opd_id: int  # the unit's OPD (the unit itself when it is one)
    unit_name: str
    position: ChunkPosition


_EMPLOYEE_COLUMNS = ("id", "nip", "name", "gender", "employee_type", "golongan", "mkg_years", "bank_name",
                     "bank_account_number", "bank_account_name", "unit_id", "unit__opd_id", "unit__name")  # fmt: skip
_POSITION_COLUMNS = tuple(f"position__{f}" for f in ChunkPosition._fields)
_FAMILY_COLUMNS = ("employee_id", "relation", "receives_spouse_allowance", "spouse_has_income", "ended_on",
                   "birth_date", "in_school", "married", "working")  # fmt: skip


@dataclass
class ChunkFacts:
    employees: list[ChunkEmployee]  # the rows of `facts`, in order
    facts: Facts | None  # None when no employee of the chunk could be computed
    snapshots: list[dict[str, Any]]
    errors: list[tuple[ChunkEmployee, str]]
    corrections: list[Correction] = field(default_factory=list)  # rapel: the earlier months, paid and due
    deductions: list[list[OtherDeduction]] = field(default_factory=list)  # per row: other deductions running


def any_id(ids: list[int]) -> Any:
    """For `field__in=any_id(ids)`: on PostgreSQL one array parameter (a 2,000-item IN list took Django and the
    planner 20-50 ms per query), elsewhere the list itself."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (list(ids),))
    return ids


def running_sanction(sanctions: list[DisciplinarySanction], rules: RegionRules, period: dt.date) -> str | None:
    """The sanction with the largest TPP cut that runs in the month (TMT ≤ month end < TMT + its months)."""
    best: tuple[int, str] | None = None
    for s in sanctions:
        rule = rules.sanctions.get(s.code)
        if rule is None:
            raise ValueError(f"jenis hukuman '{s.code}' (SK {s.sk_number}) tidak ada di paket aturan daerah")
        running = s.tmt <= month_end(period) and add_months(s.tmt, rule.months) > period
        if running and rule.cut_bp > 0 and (best is None or rule.cut_bp > best[0]):
            best = (rule.cut_bp, s.code)
    return best[1] if best else None


def _jabatan(
    emp: ChunkEmployee, fungsional_table: dict[str, dict[str, int]], rules: RegionRules
) -> tuple[str, str, int, str]:
    """(jenis, eselon, tunjangan fungsional, where the amount came from) from the position; raises ValueError with
    the reason. The national table first; the region's supplement only for a family/jenjang the nation lacks."""
    pos = emp.position
    if pos.kind in STRUCTURAL_KINDS:
        if not pos.eselon:
            raise ValueError(f"jabatan {pos.name} ({pos.code}) struktural tanpa eselon")
        return "struktural", pos.eselon, 0, ""
    if pos.kind == "fungsional":
        amount = fungsional_table.get(pos.jf_family, {}).get(pos.jf_jenjang)
        if amount is not None:
            return "fungsional", "", int(amount), "nasional: tunjangan/jabatan_fungsional"
        amount = rules.jf_allowance_extra.get(pos.jf_family, {}).get(pos.jf_jenjang)
        if amount is not None:
            return "fungsional", "", int(amount), rules.jf_allowance_extra_source
        raise ValueError(
            f"tunjangan jabatan fungsional rumpun '{pos.jf_family}' jenjang '{pos.jf_jenjang}' belum ada di "
            "parameter tunjangan/jabatan_fungsional"
        )
    if emp.employee_type == "PPPK" and emp.golongan not in rules.policy.pppk_umum_group:
        raise ValueError(f"tunjangan umum PPPK pelaksana golongan {emp.golongan}: paket daerah tidak memetakannya")
    return "pelaksana", "", 0, ""


def check_tables(row: dict[str, Any], params: EngineParams) -> None:
    """What the engine would refuse for the whole batch, refused here for this one employee with the reason."""
    scheme = "PPPK" if row["status"] == "PPPK" else "PNS"
    table_row = params.gaji_table.keys.get(f"{scheme}:{row['golongan']}")
    if table_row is None:
        raise ValueError(f"golongan {row['golongan']} tidak ada di tabel gaji pokok {scheme}")
    values = params.gaji_table.values
    if values[table_row, min(row["mkg_years"], values.shape[1] - 1)] < 0:
        raise ValueError(
            f"MKG {row['mkg_years']} tahun di bawah MKG pertama tabel gaji pokok golongan {row['golongan']}"
        )
    eselon = row["jabatan"]["eselon"]
    if eselon and eselon not in params.struktural.value:
        raise ValueError(f"eselon {eselon} tidak ada di parameter tunjangan jabatan struktural")


def _employees(ids: list[int]) -> list[ChunkEmployee]:
    out = []
    query = Employee.objects.filter(id__in=any_id(ids)).order_by("id")
    for r in query.values_list(*_EMPLOYEE_COLUMNS, *_POSITION_COLUMNS):
        (emp_id, nip, name, gender, employee_type, golongan, mkg_years, bank_name, bank_account_number,
         bank_account_name, unit_id, opd_id, unit_name, *position) = r  # fmt: skip
        out.append(
            ChunkEmployee(emp_id, nip, name, gender, employee_type, golongan, mkg_years, bank_name,
                          bank_account_number, bank_account_name, unit_id, opd_id or unit_id, unit_name,
                          ChunkPosition(*position))
        )  # fmt: skip
    return out


class MonthInputs(NamedTuple):
    """The month's imported inputs of one employee (payroll.MonthlyInput)."""

    capaian_bp: int
    discipline: dict[str, int]
    source: str


def capaian_source(monthly: MonthInputs | None, evaluated: MonthCapaian | None) -> tuple[int, dict[str, Any]]:
    """The capaian kinerja of the month and where it came from: the employee's final periodic evaluation in
    Pamong when there is one, else the imported figure (a city on an external e-Kinerja). Shown on the run and
    the payslip."""
    if evaluated is not None:
        return evaluated.bp, {"jenis": "evaluasi", "evaluasi": evaluated.evaluation_id, "predikat": evaluated.predikat}
    if monthly is not None:
        return monthly.capaian_bp, {"jenis": "impor", "berkas": monthly.source}
    return 0, {"jenis": "tidak_ada"}


class RecapDiscipline(NamedTuple):
    """The month's discipline counts from attendance (attendance.MonthRecap)."""

    recap_id: int
    discipline: dict[str, int]


def recaps_for(in_chunk: Any, period: dt.date) -> dict[int, RecapDiscipline]:
    """The month's attendance recaps of a chunk's employees (one query): TL1..PSW4 and TK counts."""
    from pamong.attendance.models import MonthRecap

    return {
        emp: RecapDiscipline(rid, {**{b: int(n) for b, n in (bands or {}).items()}, "TK": int(tk)})
        for rid, emp, bands, tk in MonthRecap.objects.filter(employee_id__in=in_chunk, period=period).values_list(
            "id", "employee_id", "bands", "tk"
        )
    }


def discipline_source(
    monthly: MonthInputs | None, recap: RecapDiscipline | None
) -> tuple[dict[str, int], dict[str, Any]]:
    """The month's discipline counts and where they came from: the attendance recap computed in Pamong when there is
    one, else the imported figures (a city on an external attendance system). Shown on the payslip."""
    if recap is not None:
        return recap.discipline, {"jenis": "presensi", "rekap": recap.recap_id}
    if monthly is not None:
        return monthly.discipline or {}, {"jenis": "impor", "berkas": monthly.source}
    return {}, {"jenis": "tidak_ada"}


def chunk_facts(ids: list[int], period: dt.date, kind: str, rules: RegionRules, params: EngineParams) -> ChunkFacts:
    """Eight queries for the whole chunk (employees, family, inputs, evaluations, attendance recaps, sanctions,
    awards, deductions); the rest is Python over the loaded rows."""
    employees = _employees(ids)
    in_chunk = any_id(ids)
    spouses: dict[int, list[family.Spouse]] = defaultdict(list)
    children: dict[int, list[family.Child]] = defaultdict(list)
    for emp_id, relation, allowance, income, ended, birth, school, married, working in FamilyMember.objects.filter(
        employee_id__in=in_chunk
    ).values_list(*_FAMILY_COLUMNS):
        if relation == FamilyMember.Relation.SPOUSE:
            spouses[emp_id].append(family.Spouse(allowance, income, ended))
        elif relation == FamilyMember.Relation.CHILD:
            children[emp_id].append(family.Child(birth, school, married, working, ended))
    inputs: dict[int, MonthInputs] = {
        e: MonthInputs(capaian, discipline, source)
        for e, capaian, discipline, source in MonthlyInput.objects.filter(
            employee_id__in=in_chunk, period=period
        ).values_list("employee_id", "capaian_bp", "discipline", "source")
    }
    evaluated = capaian_for(in_chunk, period) if kind in NEEDS_MONTHLY_INPUT else {}
    recaps = recaps_for(in_chunk, period) if kind in NEEDS_MONTHLY_INPUT else {}
    sanctions: dict[int, list[DisciplinarySanction]] = defaultdict(list)
    for s in DisciplinarySanction.objects.filter(employee_id__in=in_chunk, tmt__lte=month_end(period)):
        sanctions[s.employee_id].append(s)
    awards: dict[int, list[dict[str, Any]]] = defaultdict(list)  # approved, paid with this month's TPP
    for emp_id, amount, number in Award.objects.filter(
        employee_id__in=in_chunk, period=period, approved_at__isnull=False
    ).values_list("employee_id", "amount", "decree_number"):
        awards[emp_id].append({"jumlah": int(amount), "keputusan": number})
    deductions: dict[int, list[OtherDeduction]] = defaultdict(list)  # approved, for this kind of slip, running now
    for d in OtherDeduction.objects.filter(
        employee_id__in=in_chunk, slip_kind=kind, approved_at__isnull=False, start__lte=period
    ):
        if runs_in(d, period):
            deductions[d.employee_id].append(d)

    fungsional_table = params_in_force(period)["tunjangan/jabatan_fungsional"].value  # cached pack, no I/O
    rows: list[dict[str, Any]] = []
    ok: list[ChunkEmployee] = []
    errors: list[tuple[ChunkEmployee, str]] = []
    taken: list[list[OtherDeduction]] = []
    no_sanctions: list[DisciplinarySanction] = []
    for emp in employees:
        try:
            row = _row(emp, spouses.get(emp.id, []), children.get(emp.id, []), inputs.get(emp.id),
                       evaluated.get(emp.id), sanctions.get(emp.id, no_sanctions), period, kind, rules,
                       fungsional_table, recaps.get(emp.id))  # fmt: skip
            check_tables(row, params)
            if kind == RunKind.TPP and awards.get(emp.id):
                row["penghargaan"] = sum(a["jumlah"] for a in awards[emp.id])
                row["penghargaan_rincian"] = awards[emp.id]
            rows.append(row)
            ok.append(emp)
            taken.append(deductions.get(emp.id, []))
        except ValueError as exc:
            errors.append((emp, str(exc)))
    if not rows:
        return ChunkFacts([], None, [], errors)
    facts = facts_of_rows(rows, rules, period)
    snapshots = [
        {**{k: v for k, v in r.items() if not k.startswith("_")}, "tpp_pagu": int(pagu)}
        for r, pagu in zip(rows, facts.tpp_pagu.tolist(), strict=True)
    ]
    return ChunkFacts(ok, facts, snapshots, errors, deductions=taken)


def _row(
    emp: ChunkEmployee,
    spouses: list[family.Spouse],
    children: list[family.Child],
    monthly: MonthInputs | None,
    evaluated: MonthCapaian | None,
    sanctions: list[DisciplinarySanction],
    period: dt.date,
    kind: str,
    rules: RegionRules,
    fungsional_table: dict[str, dict[str, int]],
    recap: RecapDiscipline | None = None,
) -> dict[str, Any]:
    jenis, eselon, fungsional, sumber = _jabatan(emp, fungsional_table, rules)
    fam = family.derive(emp.gender, spouses, children, period)
    needs = kind in NEEDS_MONTHLY_INPUT
    if needs and monthly is None:  # without the import, both must come from Pamong
        if evaluated is None and recap is None:
            raise ValueError(f"belum ada capaian kinerja dan rekap disiplin bulan {period:%m/%Y} (penilaian kinerja "
                             "bulanan yang final dan rekap presensi, atau impor masukan bulanan)")  # fmt: skip
        if recap is None:
            raise ValueError(f"belum ada rekap disiplin bulan {period:%m/%Y} (rekap presensi bulanan, atau impor "
                             "masukan bulanan)")  # fmt: skip
        if evaluated is None:
            raise ValueError(f"belum ada capaian kinerja bulan {period:%m/%Y} (penilaian kinerja bulanan yang "
                             "final, atau impor masukan bulanan)")  # fmt: skip
    discipline, discipline_from = discipline_source(monthly, recap)
    capaian_bp, capaian_from = capaian_source(monthly, evaluated)
    sanction = running_sanction(sanctions, rules, period)
    pos = emp.position
    return {
        "nip": emp.nip,
        "nama": emp.name,
        "status": emp.employee_type,
        "golongan": emp.golongan,
        "mkg_years": emp.mkg_years,
        "jabatan": {
            "jenis": jenis,
            "eselon": eselon,
            "tunjangan_fungsional": fungsional,
            "tunjangan_fungsional_sumber": sumber,
            "nama": pos.name,
        },
        "kelas_jabatan": pos.kelas_jabatan,
        "unit": emp.unit_name,
        "spouse_here": fam.spouse_allowance,
        "children_eligible": fam.children_eligible,
        "ptkp": fam.ptkp,
        "capaian_bp": capaian_bp,
        "capaian_sumber": capaian_from,
        "discipline": {b: int(discipline.get(b, 0)) for b in DISCIPLINE_BANDS if discipline.get(b)},
        **({"disiplin_sumber": discipline_from} if needs else {}),
        "sanction": sanction,
        "bank": {"nama": emp.bank_name, "rekening": emp.bank_account_number, "atas_nama": emp.bank_account_name},
    }


def facts_of_rows(
    rows: list[dict[str, Any]], rules: RegionRules, period: dt.date, *, stored_pagu: bool = False
) -> Facts:
    """Engine facts from rows (fresh, or payslip snapshots; a snapshot's stored TPP ceiling is used as it was)."""

    def i64(key: str) -> np.ndarray:
        return np.array([r[key] for r in rows], dtype=np.int64)

    status = np.array([STATUS_CODES[r["status"]] for r in rows], dtype=np.int8)
    kelas = np.array([r["kelas_jabatan"] for r in rows], dtype=np.int64)
    jabatan = np.array([JABATAN_CODES[r["jabatan"]["jenis"]] for r in rows], dtype=np.int8)
    assert set(np.unique(jabatan).tolist()) <= {PELAKSANA, STRUKTURAL, FUNGSIONAL}
    return Facts(
        status=status,
        golongan=np.array([r["golongan"] for r in rows]),
        mkg_years=i64("mkg_years"),
        jabatan=jabatan,
        eselon=np.array([r["jabatan"]["eselon"] for r in rows]),
        tunjangan_fungsional=np.array([r["jabatan"]["tunjangan_fungsional"] for r in rows], dtype=np.int64),
        spouse_here=np.array([r["spouse_here"] for r in rows], dtype=bool),
        children_eligible=i64("children_eligible"),
        ptkp=np.array([r["ptkp"] for r in rows]),
        tpp_pagu=i64("tpp_pagu") if stored_pagu else rules.tpp_pagu(kelas, status),
        capaian_bp=i64("capaian_bp"),
        discipline=np.array([[r["discipline"].get(b, 0) for b in DISCIPLINE_BANDS] for r in rows], dtype=np.int64),
        sanction_cut_bp=np.array([rules.sanction_cut_bp(r["sanction"]) for r in rows], dtype=np.int64),
        penghargaan=np.array([r.get("penghargaan", 0) for r in rows], dtype=np.int64),
    )
