"""`payroll simulate CASE.json`: one employee, one month, from a case file (shared spec payroll-simulate.md) to the
output JSON dict. Also runnable without Django: `python -m pamong.engine.simulate CASE.json [--trace]`.

A malformed case raises CaseError with one message naming the field (e.g. `employee.mkg_years: ...`): a file that
is not JSON text (UTF-8, or UTF-16/32 with its byte-order mark, as JSON's own detection reads it), too large or too
deeply nested; a value of the wrong type or outside the bounds the imports use (engine/bounds.py); an unknown key
in a part of the case whose keys the spec fixes (employee, jabatan, spouse, performance, discipline, policy, ytd,
rapel). The top level is the case document: beside the spec's keys it may carry notes (`name`, `expected`, ...).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, DecimalException
from pathlib import Path
from typing import Any

import numpy as np

from pamong.engine import bounds
from pamong.engine.extra import KINDS as EXTRA_KINDS
from pamong.engine.extra import ExtraSlip, extra_slip
from pamong.engine.facts import DISCIPLINE_BANDS, JABATAN_CODES, PPPK, STATUS_CODES, STRUKTURAL, Facts, Ytd
from pamong.engine.gaji import GajiSlip
from pamong.engine.month import Month, compute_month
from pamong.engine.params import EngineParams, Policy, Unsupported, build_params
from pamong.engine.rapel import Correction, RapelSlip, rapel_slip
from pamong.engine.region import RegionRules, region_rules
from pamong.engine.rounding import BP
from pamong.engine.tpp import TppSlip
from pamong.engine.trace import NullTracer, Tracer
from pamong.rules.params import ParameterError, ParameterNotInForce


class CaseError(ValueError):
    """A malformed case; the message names the field."""


class YtdRequired(CaseError, Unsupported):
    """A December case without `ytd`: the annual recomputation cannot be done without the year's totals."""


_PTKP = re.compile(r"^(TK|K)/[0-3]$")
_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


MAX_FILE_BYTES = 1_000_000  # one employee's month; the golden cases are under 3 kB
MAX_DEPTH = 32  # nesting of objects and lists; a case needs five
MAX_TEXT = 100  # characters in a code, a percentage or a month


def _show(value: Any) -> str:
    """A value as the message quotes it, cut short (a message stays one readable line)."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _get(obj: Any, key: str, path: str) -> Any:
    if not isinstance(obj, dict):
        raise CaseError(f"{path or '(kasus)'}: harus objek JSON")
    if key not in obj:
        raise CaseError(f"{path + '.' if path else ''}{key}: wajib diisi")
    return obj[key]


def _keys(obj: Any, allowed: tuple[str, ...], path: str) -> None:
    """Refuse a key the spec does not name here: a misspelt optional key would otherwise be ignored silently."""
    if not isinstance(obj, dict):
        raise CaseError(f"{path}: harus objek JSON")
    unknown = sorted(set(obj) - set(allowed), key=str)
    if unknown:
        raise CaseError(
            f"{path}: kunci tidak dikenal: {', '.join(_show(k) for k in unknown[:5])} (dikenal: {', '.join(allowed)})"
        )


def _int(value: Any, path: str, maximum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise CaseError(f"{path}: {_show(value)} bukan bilangan bulat")
    if value < 0:
        raise CaseError(f"{path}: {_show(value)} negatif")
    if value > maximum:
        limit = f"{maximum:,}".replace(",", ".")  # Indonesian thousands separator
        raise CaseError(f"{path}: {_show(value)} melebihi batas {limit}")
    return value


def _choice(value: Any, options: Any, path: str) -> str:
    if not isinstance(value, str) or value not in options:
        raise CaseError(f"{path}: {_show(value)} tidak dikenal (pilih: {', '.join(options)})")
    return value


def _bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise CaseError(f"{path}: {value!r} bukan true/false")
    return value


def _text(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value or len(value) > MAX_TEXT:
        raise CaseError(f"{path}: {_show(value)} bukan teks (1–{MAX_TEXT} karakter)")
    return value


def _pct_bp(value: Any, path: str, max_pct: int = bounds.PERCENT_MAX) -> int:
    """A percentage as a decimal string ("0.5") or integer, 0..max_pct → basis points; at most two decimals."""
    if isinstance(value, bool) or not isinstance(value, (str, int)) or len(str(value)) > MAX_TEXT:
        raise CaseError(f'{path}: {_show(value)} bukan persen (tulis sebagai teks desimal, mis. "0.5")')
    try:
        pct = Decimal(str(value).strip())
        if not pct.is_finite():
            raise CaseError(f"{path}: {_show(value)} bukan angka desimal")
        if not 0 <= pct <= max_pct:  # compared before scaling: "1e999999999" would overflow
            raise CaseError(f"{path}: {_show(value)} harus antara 0 dan {max_pct} persen")
        bp = pct * 100
    except DecimalException:
        raise CaseError(f"{path}: {_show(value)} bukan angka desimal") from None
    if bp != bp.to_integral_value():
        raise CaseError(f"{path}: {_show(value)} paling banyak dua angka di belakang koma")
    return int(bp)


def parse_period(case: dict[str, Any]) -> dt.date:
    text = _get(case, "period", "")
    m = _PERIOD.match(text) if isinstance(text, str) else None
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise CaseError(f"period: {text!r} bukan bulan YYYY-MM")
    return dt.date(int(m.group(1)), int(m.group(2)), 1)


def parse_policy(case: dict[str, Any]) -> Policy:
    pol = _get(case, "policy", "")
    _keys(pol, POLICY_KEYS, "policy")
    cuts = _get(pol, "discipline_cut_pct", "policy")
    if not isinstance(cuts, dict):
        raise CaseError("policy.discipline_cut_pct: harus objek band → persen")
    unknown = set(cuts) - set(DISCIPLINE_BANDS)
    if unknown:
        names = ", ".join(_show(b) for b in sorted(unknown, key=str)[:5])
        bands = ", ".join(DISCIPLINE_BANDS)
        raise CaseError(f"policy.discipline_cut_pct: band tidak dikenal: {names} (pilih: {bands})")
    weights = {
        k: _pct_bp(_get(pol, k, "policy"), f"policy.{k}") for k in ("tpp_weight_kinerja_pct", "tpp_weight_disiplin_pct")
    }
    if sum(weights.values()) > BP:
        raise CaseError("policy.tpp_weight_kinerja_pct + tpp_weight_disiplin_pct: melebihi 100")
    return Policy(
        tpp_weight_kinerja_bp=weights["tpp_weight_kinerja_pct"],
        tpp_weight_disiplin_bp=weights["tpp_weight_disiplin_pct"],
        discipline_cut_bp={b: _pct_bp(v, f"policy.discipline_cut_pct.{b}") for b, v in cuts.items()},
        discipline_cut_applies_to=_text(
            _get(pol, "discipline_cut_applies_to", "policy"), "policy.discipline_cut_applies_to"
        ),
        tunjangan_anak_max_children=_int(
            _get(pol, "tunjangan_anak_max_children", "policy"),
            "policy.tunjangan_anak_max_children",
            bounds.CHILDREN_MAX,
        ),
        pph21_bruto_includes_employer_premiums=_bool(
            _get(pol, "pph21_bruto_includes_employer_premiums", "policy"),
            "policy.pph21_bruto_includes_employer_premiums",
        ),
        pph21_tpp_method=_text(_get(pol, "pph21_tpp_method", "policy"), "policy.pph21_tpp_method"),
        **_optional_policy(pol),
    )


SPEC_POLICY_KEYS = (
    "tpp_weight_kinerja_pct",
    "tpp_weight_disiplin_pct",
    "discipline_cut_pct",
    "discipline_cut_applies_to",
    "tunjangan_anak_max_children",
    "pph21_bruto_includes_employer_premiums",
    "pph21_tpp_method",
)
OPTIONAL_POLICY_KEYS = (  # docs/payroll-engine.md §1
    "discipline_cut_rp",
    "discipline_cut_max_pct",
    "sanction_cut_pct",
    "pph21_pppk_gaji_dtp",
    "thr_tpp_pct",
    "gaji13_tpp_pct",
    "thr_tpp_basis",
    "tunjangan_umum_pppk_golongan",
)
POLICY_KEYS = SPEC_POLICY_KEYS + OPTIONAL_POLICY_KEYS
EMPLOYEE_KEYS = (
    "status",
    "golongan",
    "mkg_years",
    "jabatan",
    "spouse",
    "children_eligible",
    "ptkp",
    "tpp_pagu",
    "final_period",
)


def _optional_policy(pol: dict[str, Any]) -> dict[str, Any]:
    """The policy keys of docs/payroll-engine.md §1 beyond the spec; absent = the spec's behaviour."""
    out: dict[str, Any] = {}
    rp = pol.get("discipline_cut_rp", {})
    if not isinstance(rp, dict) or set(rp) - set(DISCIPLINE_BANDS):
        raise CaseError(f"policy.discipline_cut_rp: harus objek band → rupiah (band: {', '.join(DISCIPLINE_BANDS)})")
    out["discipline_cut_rp"] = {
        b: _int(v, f"policy.discipline_cut_rp.{b}", bounds.MONTHLY_RUPIAH_MAX) for b, v in rp.items()
    }
    if "discipline_cut_max_pct" in pol:
        out["discipline_cut_max_bp"] = _pct_bp(pol["discipline_cut_max_pct"], "policy.discipline_cut_max_pct")
    if "pph21_pppk_gaji_dtp" in pol:
        out["pph21_pppk_gaji_dtp"] = _bool(pol["pph21_pppk_gaji_dtp"], "policy.pph21_pppk_gaji_dtp")
    for kind in ("thr", "gaji13"):
        if pol.get(f"{kind}_tpp_pct") is not None:
            out[f"{kind}_tpp_bp"] = _pct_bp(pol[f"{kind}_tpp_pct"], f"policy.{kind}_tpp_pct")
    umum = pol.get("tunjangan_umum_pppk_golongan", {})
    if not isinstance(umum, dict) or not all(
        isinstance(v, str) and v in ("I", "II", "III", "IV") for v in umum.values()
    ):
        raise CaseError("policy.tunjangan_umum_pppk_golongan: harus objek golongan PPPK → I, II, III atau IV")
    out["pppk_umum_group"] = {str(k): v for k, v in umum.items()}
    if "thr_tpp_basis" in pol:
        out["thr_tpp_basis"] = _text(pol["thr_tpp_basis"], "policy.thr_tpp_basis")
    for key in ("discipline_cut_max_bp", "thr_tpp_bp", "gaji13_tpp_bp"):
        if out.get(key, 0) > BP:
            raise CaseError(f"policy.{key.removesuffix('_bp')}_pct: melebihi 100")
    return out


def parse_sanction(case: dict[str, Any]) -> int:
    """The case's running disciplinary sanction (a code of policy.sanction_cut_pct) → its TPP cut in basis points."""
    code = _sanction_code(case)
    table = case["policy"].get("sanction_cut_pct", {})
    if not isinstance(table, dict):
        raise CaseError("policy.sanction_cut_pct: harus objek kode hukuman → persen")
    cuts = {str(k): _pct_bp(v, f"policy.sanction_cut_pct.{k}") for k, v in table.items()}
    if any(v > BP for v in cuts.values()):
        raise CaseError("policy.sanction_cut_pct: potongan melebihi 100")
    if code is None:
        return 0
    if code not in cuts:
        known = ", ".join(cuts) or "(kosong)"
        raise CaseError(f"sanction: {_show(code)} tidak ada di policy.sanction_cut_pct (dikenal: {known})")
    return cuts[code]


def _sanction_code(case: dict[str, Any]) -> str | None:
    code = case.get("sanction")
    if code is not None and not isinstance(code, str):
        raise CaseError(f"sanction: {_show(code)} harus kode hukuman (teks) atau null")
    return code


def parse_facts(
    case: dict[str, Any], p: EngineParams, emp: dict[str, Any] | None = None, sanction_bp: int | None = None
) -> Facts:
    """The case's employee (or `emp` in its place), performance and discipline as a batch of one, checked against
    the parameters. `sanction_bp` is the sanction's cut when a region pack (not the case's policy) gives it."""
    emp = _get(case, "employee", "") if emp is None else emp
    _keys(emp, EMPLOYEE_KEYS, "employee")
    if emp.get("final_period") is not None and _bool(emp["final_period"], "employee.final_period"):
        raise Unsupported(
            "employee.final_period: bulan terakhir pegawai yang berhenti (aturan 10 spesifikasi) belum didukung"
        )
    status_text = _choice(_get(emp, "status", "employee"), STATUS_CODES, "employee.status")
    status = STATUS_CODES[status_text]
    golongan = _text(_get(emp, "golongan", "employee"), "employee.golongan")
    scheme = "PPPK" if status == PPPK else "PNS"
    row = p.gaji_table.keys.get(f"{scheme}:{golongan}")
    if row is None:
        known = [k.split(":", 1)[1] for k in p.gaji_table.keys if k.startswith(scheme + ":")]
        choices = ", ".join(known)
        raise CaseError(f"employee.golongan: {_show(golongan)} tidak ada untuk {status_text} (pilih: {choices})")
    mkg = _int(_get(emp, "mkg_years", "employee"), "employee.mkg_years", bounds.MKG_YEARS_MAX)
    if p.gaji_table.values[row, min(mkg, p.gaji_table.values.shape[1] - 1)] < 0:
        raise CaseError(f"employee.mkg_years: {mkg} di bawah MKG pertama tabel gaji pokok golongan {golongan}")

    jab = _get(emp, "jabatan", "employee")
    _keys(jab, ("jenis", "eselon", "tunjangan_fungsional"), "employee.jabatan")
    jenis = _choice(_get(jab, "jenis", "employee.jabatan"), JABATAN_CODES, "employee.jabatan.jenis")
    jabatan = JABATAN_CODES[jenis]
    eselon, fungsional = "", 0
    if jabatan == STRUKTURAL:
        eselon = _text(_get(jab, "eselon", "employee.jabatan"), "employee.jabatan.eselon")
        if eselon not in p.struktural.value:
            eselons = ", ".join(p.struktural.value)
            raise CaseError(f"employee.jabatan.eselon: {_show(eselon)} tidak dikenal (pilih: {eselons})")
    elif jenis == "fungsional":
        path = "employee.jabatan.tunjangan_fungsional"
        fungsional = _int(_get(jab, "tunjangan_fungsional", "employee.jabatan"), path, bounds.MONTHLY_RUPIAH_MAX)
    elif status == PPPK and golongan not in p.pppk_umum_group.value:
        raise CaseError(
            "employee.jabatan: tunjangan umum PPPK pelaksana belum didukung "
            f"(policy.tunjangan_umum_pppk_golongan tidak memetakan golongan {golongan})"
        )

    spouse = _get(emp, "spouse", "employee")
    spouse_here = False
    if spouse is not None:
        _keys(spouse, ("is_pns", "allowance_here"), "employee.spouse")
        if "is_pns" in spouse:
            _bool(spouse["is_pns"], "employee.spouse.is_pns")
        spouse_here = _bool(_get(spouse, "allowance_here", "employee.spouse"), "employee.spouse.allowance_here")
    ptkp = _text(_get(emp, "ptkp", "employee"), "employee.ptkp")
    if not _PTKP.match(ptkp) or ptkp not in p.ter_kategori.value:
        raise CaseError(f"employee.ptkp: {_show(ptkp)} bukan TK/0..TK/3 atau K/0..K/3")

    perf = _get(case, "performance", "")
    _keys(perf, ("capaian_pct",), "performance")
    discipline = case.get("discipline") or {}
    if not isinstance(discipline, dict):
        raise CaseError("discipline: harus objek band → jumlah")
    unknown = set(discipline) - set(DISCIPLINE_BANDS)
    if unknown:
        names = ", ".join(_show(b) for b in sorted(unknown, key=str)[:5])
        raise CaseError(f"discipline: band tidak dikenal: {names} (pilih: {', '.join(DISCIPLINE_BANDS)})")
    counts = [_int(discipline.get(b, 0), f"discipline.{b}", bounds.DISCIPLINE_COUNT_MAX) for b in DISCIPLINE_BANDS]

    def i64(v: int) -> np.ndarray:
        return np.array([v], dtype=np.int64)

    return Facts(
        status=np.array([status], dtype=np.int8),
        golongan=np.array([golongan]),
        mkg_years=i64(mkg),
        jabatan=np.array([jabatan], dtype=np.int8),
        eselon=np.array([eselon]),
        tunjangan_fungsional=i64(fungsional),
        spouse_here=np.array([spouse_here]),
        children_eligible=i64(
            _int(_get(emp, "children_eligible", "employee"), "employee.children_eligible", bounds.CHILDREN_MAX)
        ),
        ptkp=np.array([ptkp]),
        tpp_pagu=i64(_int(_get(emp, "tpp_pagu", "employee"), "employee.tpp_pagu", bounds.MONTHLY_RUPIAH_MAX)),
        capaian_bp=i64(
            _pct_bp(_get(perf, "capaian_pct", "performance"), "performance.capaian_pct", bounds.CAPAIAN_PCT_MAX)
        ),
        discipline=np.array([counts], dtype=np.int64),
        sanction_cut_bp=i64(parse_sanction(case) if sanction_bp is None else sanction_bp),
        penghargaan=i64(_int(case.get("penghargaan", 0), "penghargaan", bounds.MONTHLY_RUPIAH_MAX)),
    )


YTD_FIELDS = ("months", "bruto_gaji", "bruto_total", "pph21_gaji_withheld", "pph21_tpp_withheld", "iuran_pensiun")
YTD_MAX_MONTHS = 11


def parse_ytd(case: dict[str, Any], on: dt.date) -> Ytd | None:
    """The year-to-date totals (spec rule 9): required in December, refused in any other month."""
    ytd = case.get("ytd")
    if on.month != 12:
        if ytd is not None:
            raise CaseError(f"ytd: hanya untuk Desember, bukan period {on:%Y-%m} (isi null)")
        return None
    if ytd is None:
        raise YtdRequired(
            f"ytd: wajib diisi untuk period {on:%Y-%m} — perhitungan ulang setahun Desember (ytd) belum didukung "
            "tanpa jumlah Januari–November"
        )
    if not isinstance(ytd, dict):
        raise CaseError("ytd: harus objek JSON")
    unknown = set(ytd) - set(YTD_FIELDS)
    if unknown:
        raise CaseError(f"ytd: kolom tidak dikenal: {', '.join(sorted(unknown))} (dikenal: {', '.join(YTD_FIELDS)})")
    values = {
        k: _int(_get(ytd, k, "ytd"), f"ytd.{k}", YTD_MAX_MONTHS if k == "months" else bounds.YEARLY_RUPIAH_MAX)
        for k in YTD_FIELDS
    }
    if values["months"] > YTD_MAX_MONTHS:
        raise CaseError(f"ytd.months: {values['months']} lebih dari {YTD_MAX_MONTHS} (bulan sebelum Desember)")
    if values["bruto_total"] < values["bruto_gaji"]:
        raise CaseError(
            f"ytd.bruto_total: {values['bruto_total']} lebih kecil dari ytd.bruto_gaji {values['bruto_gaji']}"
        )
    return Ytd(**{k: np.array([v], dtype=np.int64) for k, v in values.items()})


def ints(lines: dict[str, np.ndarray], i: int) -> dict[str, int]:
    return {k: int(v[i]) for k, v in lines.items()}


def slip_output(slip: GajiSlip | TppSlip | ExtraSlip | RapelSlip, i: int) -> dict[str, Any]:
    return {
        "lines": ints(slip.lines, i),
        "bruto": int(slip.bruto[i]),
        "potongan": int(slip.potongan[i]),
        "bersih": int(slip.bersih[i]),
    }


def month_output(m: Month, i: int) -> dict[str, Any]:
    """Person i of a computed batch as the spec's output dict (plain ints)."""
    return {"gaji": slip_output(m.gaji, i), "tpp": slip_output(m.tpp, i), "pemberi_kerja": ints(m.pemberi_kerja, i)}


def rapel_output(r: RapelSlip, i: int) -> dict[str, Any]:
    return {
        "months": {
            f"{m.on:%Y-%m}": {"lines": ints(m.lines, i), "pemberi_kerja": ints(m.pemberi_kerja, i)} for m in r.months
        },
        **slip_output(r, i),
        "pemberi_kerja": ints(r.pemberi_kerja, i),
    }


KINDS = ("bulanan", *EXTRA_KINDS, "rapel")


def parse_kind(case: dict[str, Any]) -> str:
    return _choice(case.get("kind", "bulanan"), KINDS, "kind")


RAPEL_MAX_MONTHS = 120  # back pay over at most ten years


def parse_rapel(
    case: dict[str, Any], on: dt.date, policy_on: Callable[[dt.date], Policy], sanction_bp: int | None
) -> list[Correction]:
    """docs/payroll-engine.md §6: the months to correct and what was paid then (overrides of `employee`)."""
    rapel = _get(case, "rapel", "")
    _keys(rapel, ("months", "paid"), "rapel")
    months = _get(rapel, "months", "rapel")
    paid = _get(rapel, "paid", "rapel")
    if not isinstance(months, list) or not months or len(months) > RAPEL_MAX_MONTHS:
        raise CaseError(f"rapel.months: harus daftar bulan YYYY-MM (1–{RAPEL_MAX_MONTHS} bulan)")
    if not isinstance(paid, dict):
        raise CaseError("rapel.paid: harus objek kolom employee yang dibayar dulu")
    emp = _get(case, "employee", "")
    unknown = set(paid) - set(emp)
    if unknown:
        names = ", ".join(str(k)[:40] for k in sorted(unknown)[:5])
        raise CaseError(f"rapel.paid: kolom tidak ada di employee: {names}")
    corrections = []
    seen = set()
    for i, text in enumerate(months):
        month = parse_period({"period": text})
        if month >= on or month in seen:
            raise CaseError(f"rapel.months[{i}]: {text!r} harus sebelum period {on:%Y-%m} dan tidak berulang")
        seen.add(month)
        params = build_params(month, policy_on(month))
        try:
            was = parse_facts(case, params, emp | paid, sanction_bp)
            due = parse_facts(case, params, sanction_bp=sanction_bp)
        except CaseError as exc:
            raise CaseError(f"rapel.paid ({text}): {exc}") from None
        corrections.append(Correction(params, was, due))
    return corrections


@dataclass(frozen=True)
class Pack:
    """A region's rule pack to take the policy from instead of the case's `policy` (`--region`, `--pack`)."""

    region: str | None = None
    extra_dir: str | None = None

    def rules(self, on: dt.date) -> RegionRules:
        return region_rules(on, self.region, self.extra_dir)


def simulate(case: Any, *, trace: bool = False, pack: Pack | None = None) -> dict[str, Any]:
    """A case dict → the output dict. Raises CaseError (malformed), Unsupported (not implemented yet). With `pack`
    the regional choices come from that rule pack (the case's `policy` is not read)."""
    if not isinstance(case, dict):
        raise CaseError("(kasus): harus objek JSON")
    on = parse_period(case)
    kind = parse_kind(case)
    ytd = parse_ytd(case, on)
    if pack is None:
        case_policy = parse_policy(case)
        sanction_bp = None

        def policy_on(month: dt.date) -> Policy:
            return case_policy
    else:
        sanction_bp = pack.rules(on).sanction_cut_bp(_sanction_code(case))

        def policy_on(month: dt.date) -> Policy:
            return pack.rules(month).policy

    params = build_params(on, policy_on(on))
    facts = parse_facts(case, params, sanction_bp=sanction_bp)
    corrections = parse_rapel(case, on, policy_on, sanction_bp) if kind == "rapel" else []
    tracer: Tracer = Tracer() if trace else NullTracer()
    month = compute_month(facts, params, tracer, ytd)
    out = month_output(month, 0)
    if kind in EXTRA_KINDS:
        out[kind] = slip_output(extra_slip(kind, facts, params, tracer, month), 0)
    elif kind == "rapel":
        out["rapel"] = rapel_output(rapel_slip(facts, params, tracer, month, corrections), 0)
    if trace:
        out["trace"] = tracer.for_person(0)
    return out


def _depth(value: Any) -> int:
    """How deeply objects and lists nest (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth + 1)
            if deepest > MAX_DEPTH:
                break
            stack += [(v, depth + 1) for v in (item.values() if isinstance(item, dict) else item)]
    return deepest


def load_case(path: str | Path) -> Any:
    """The case file as parsed JSON. UTF-8 (a byte-order mark is allowed) or UTF-16/UTF-32, as JSON's own
    encoding detection reads it (Windows Notepad saves "Unicode" as UTF-16); anything else is one clear error."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise CaseError(f"{path}: tidak dapat dibaca: {exc.strerror}") from None
    if len(data) > MAX_FILE_BYTES:
        raise CaseError(f"{path}: berkas lebih besar dari {MAX_FILE_BYTES // 1000} kB; satu kasus jauh lebih kecil")
    try:
        case = json.loads(data)
    except UnicodeDecodeError:
        raise CaseError(f"{path}: bukan teks UTF-8 (atau UTF-16/32 dengan BOM); simpan ulang sebagai UTF-8") from None
    except json.JSONDecodeError as exc:
        raise CaseError(f"{path}: JSON tidak valid: {exc}") from None
    except RecursionError:
        raise CaseError(f"{path}: JSON bersarang terlalu dalam (paling banyak {MAX_DEPTH} tingkat)") from None
    if _depth(case) > MAX_DEPTH:
        raise CaseError(f"{path}: JSON bersarang terlalu dalam (paling banyak {MAX_DEPTH} tingkat)")
    return case


def simulate_file(path: str | Path, *, trace: bool = False, pack: Pack | None = None) -> dict[str, Any]:
    return simulate(load_case(path), trace=trace, pack=pack)


ERRORS = (CaseError, Unsupported, ParameterError, ParameterNotInForce)


def add_pack_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--region", help="ambil kebijakan daerah dari paket rules/regions/NAMA, bukan dari kasus")
    parser.add_argument("--pack", help="ambil kebijakan daerah dari direktori paket kota sendiri")


def pack_from(region: str | None, directory: str | None) -> Pack | None:
    return Pack(region, directory) if region or directory else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pamong.engine.simulate", description=__doc__.splitlines()[0])
    ap.add_argument("case", help="berkas kasus JSON")
    ap.add_argument("--trace", action="store_true", help="sertakan jejak perhitungan per baris")
    add_pack_arguments(ap)
    args = ap.parse_args(argv)
    try:
        out = simulate_file(args.case, trace=args.trace, pack=pack_from(args.region, args.pack))
    except ERRORS as exc:
        print(f"galat: {exc}", file=sys.stderr)
        return 2
    json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
