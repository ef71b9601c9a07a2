"""A second, independent reading of shared/spec/payroll-simulate.md rules 1–8 (January–November), for property tests.

Plain Python, one employee at a time, Decimal and int only. The national values come straight from the dated YAML
parameters (pamong.rules.params), the regional ones from the case's `policy` (decimal-string percentages). Nothing
here calls pamong.engine: if the engine and this module agree, two readings of the spec agree.

Input: a case dict shaped like the spec's input (`period`, `employee`, `performance`, `discipline`, `policy`).
Output: the spec's output shape, with the engine's line codes.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from pamong.rules.params import params_in_force

BANDS = ("TL1", "TL2", "TL3", "TL4", "PSW1", "PSW2", "PSW3", "PSW4", "TK")
HUNDRED = Decimal(100)
GAJI_INCOME = (
    "gaji_pokok",
    "tunjangan_istri_suami",
    "tunjangan_anak",
    "tunjangan_umum",
    "tunjangan_jabatan_struktural",
    "tunjangan_jabatan_fungsional",
    "tunjangan_beras",
    "tunjangan_pph",
)


def pct(amount: int, percent: Decimal) -> int:
    """percent % of amount, floored to Rp1 ("every percentage of an amount is floored to Rp1 on its own")."""
    return int((Decimal(amount) * percent / HUNDRED).to_integral_value(rounding=ROUND_FLOOR))


def bp_pct(bp: Any) -> Decimal:
    """A basis-point parameter (1 % = 100) as a percent."""
    return Decimal(int(bp)) / HUNDRED


def period_date(period: str) -> dt.date:
    year, month = period.split("-")
    return dt.date(int(year), int(month), 1)


class National:
    """The national parameter values in force on a date, read from the YAML files."""

    def __init__(self, on: dt.date) -> None:
        v = {name: f.value for name, f in params_in_force(on).items()}
        self.table_pns: dict[str, dict[int, int]] = {
            str(g): {int(m): int(a) for m, a in steps.items()} for g, steps in v["gaji/pokok_pns"]["table"].items()
        }
        self.table_pppk: dict[str, dict[int, int]] = {
            str(g): {int(m): int(a) for m, a in steps.items()} for g, steps in v["gaji/pokok_pppk"]["table"].items()
        }
        self.cpns_pct = bp_pct(v["gaji/cpns_persen"])
        self.istri_pct = bp_pct(v["tunjangan/istri_suami"])
        self.anak_pct = bp_pct(v["tunjangan/anak"])
        self.umum: dict[str, int] = {str(k): int(a) for k, a in v["tunjangan/umum"].items()}
        self.struktural: dict[str, int] = {str(k): int(a) for k, a in v["tunjangan/jabatan_struktural"].items()}
        beras = v["tunjangan/beras"]
        self.beras_per_jiwa = int(beras["kg_per_jiwa"]) * int(beras["harga_per_kg"])
        self.taspen_pct = sum((bp_pct(x) for x in v["iuran/taspen"].values()), Decimal(0))
        bpjs = v["iuran/bpjs_kesehatan"]
        self.bpjs_employee_pct = bp_pct(bpjs["peserta"])
        self.bpjs_employer_pct = bp_pct(bpjs["pemberi_kerja"])
        self.bpjs_cap = int(bpjs["batas_atas_upah"])
        self.jkk_pct = bp_pct(v["iuran/jkk"])
        self.jkm_pct = bp_pct(v["iuran/jkm"])
        self.ter_category: dict[str, str] = {str(k): str(c) for k, c in v["pph21/ter_kategori"].items()}
        self.ter_bands: dict[str, list[tuple[int | None, Decimal]]] = {
            str(cat): [(None if r["upto"] is None else int(r["upto"]), bp_pct(r["rate_bp"])) for r in rows]
            for cat, rows in v["pph21/ter_bulanan"].items()
        }

    def gaji_pokok_full(self, status: str, golongan: str, mkg: int) -> int:
        steps = (self.table_pppk if status == "PPPK" else self.table_pns)[golongan]
        usable = [m for m in steps if m <= mkg]
        if not usable:
            raise ValueError(f"MKG {mkg} below the first step of {golongan}")
        return steps[max(usable)]

    def ter(self, ptkp: str, bruto: int) -> int:
        """Rule 6: the TER of the category's band whose (inclusive) upper bound is the first ≥ bruto."""
        for upto, rate in self.ter_bands[self.ter_category[ptkp]]:
            if upto is None or bruto <= upto:
                return pct(bruto, rate)
        raise ValueError("TER table has no open last band")


_NATIONAL: dict[dt.date, National] = {}


def national(on: dt.date) -> National:
    if on not in _NATIONAL:
        _NATIONAL[on] = National(on)
    return _NATIONAL[on]


def month(case: dict[str, Any]) -> dict[str, Any]:
    """One employee, one month (January–November), rules 1–8."""
    on = period_date(case["period"])
    if on.month == 12:
        raise ValueError("December (rule 9) is not in the reference")
    n = national(on)
    emp = case["employee"]
    pol = case["policy"]
    status: str = emp["status"]
    jab = emp["jabatan"]
    spouse = emp["spouse"]
    spouse_here = spouse is not None and bool(spouse["allowance_here"])

    # Rule 1
    full = n.gaji_pokok_full(status, emp["golongan"], emp["mkg_years"])
    gp = pct(full, n.cpns_pct) if status == "CPNS" else full

    # Rule 2
    istri = pct(gp, n.istri_pct) if spouse_here else 0
    paid_children = min(emp["children_eligible"], pol["tunjangan_anak_max_children"])
    anak = paid_children * pct(gp, n.anak_pct)
    umum = struktural = fungsional = 0
    if jab["jenis"] == "pelaksana":
        umum = n.umum[emp["golongan"].split("/")[0]]
    elif jab["jenis"] == "struktural":
        struktural = n.struktural[jab["eselon"]]
    else:
        fungsional = int(jab["tunjangan_fungsional"])
    beras = n.beras_per_jiwa * (1 + int(spouse_here) + paid_children)

    # Rule 3
    taspen = pct(gp + istri + anak, n.taspen_pct) if status in ("PNS", "CPNS") else 0

    # Rule 4 (gaji slip)
    bpjs_base = gp + istri + anak + umum + struktural + fungsional
    bpjs_gaji_ee = pct(min(bpjs_base, n.bpjs_cap), n.bpjs_employee_pct)
    bpjs_gaji_er = pct(min(bpjs_base, n.bpjs_cap), n.bpjs_employer_pct)

    # Rule 5
    jkk = pct(gp, n.jkk_pct)
    jkm = pct(gp, n.jkm_pct)

    # Rule 6 (gaji)
    premiums = bool(pol["pph21_bruto_includes_employer_premiums"])
    income = gp + istri + anak + umum + struktural + fungsional + beras
    bruto_gaji_pph = income + ((bpjs_gaji_er + jkk + jkm) if premiums else 0)
    pph_gaji = n.ter(emp["ptkp"], bruto_gaji_pph)
    tunj_pph = pph_gaji if status in ("PNS", "CPNS") else 0

    # Rule 7
    net = income + tunj_pph - (taspen + bpjs_gaji_ee + pph_gaji)
    bersih = -(-net // 100) * 100
    pembulatan = bersih - net

    # Rule 8
    pagu = int(emp["tpp_pagu"])
    kinerja = pct(pct(pagu, Decimal(pol["tpp_weight_kinerja_pct"])), Decimal(case["performance"]["capaian_pct"]))
    cuts = pol["discipline_cut_pct"]
    discipline = case.get("discipline") or {}
    cut = sum((int(discipline.get(b, 0)) * Decimal(cuts.get(b, "0")) for b in BANDS), Decimal(0))
    cut = min(cut, HUNDRED)
    disiplin = pct(pct(pagu, Decimal(pol["tpp_weight_disiplin_pct"])), HUNDRED - cut)
    tpp_bruto = kinerja + disiplin

    # Rule 4 (TPP slip)
    bpjs_tpp_ee = pct(min(bpjs_base + tpp_bruto, n.bpjs_cap), n.bpjs_employee_pct) - bpjs_gaji_ee
    bpjs_tpp_er = pct(min(bpjs_base + tpp_bruto, n.bpjs_cap), n.bpjs_employer_pct) - bpjs_gaji_er

    # Rule 6 (TPP, marginal)
    if pol["pph21_tpp_method"] != "marginal":
        raise ValueError("only the marginal TPP method is in the reference")
    total = bruto_gaji_pph + tpp_bruto + (bpjs_tpp_er if premiums else 0)
    pph_tpp = n.ter(emp["ptkp"], total) - pph_gaji

    return {
        "gaji": {
            "lines": {
                "gaji_pokok": gp,
                "tunjangan_istri_suami": istri,
                "tunjangan_anak": anak,
                "tunjangan_umum": umum,
                "tunjangan_jabatan_struktural": struktural,
                "tunjangan_jabatan_fungsional": fungsional,
                "tunjangan_beras": beras,
                "tunjangan_pph": tunj_pph,
                "pembulatan": pembulatan,
                "iuran_taspen": taspen,
                "iuran_bpjs_kesehatan": bpjs_gaji_ee,
                "pph21": pph_gaji,
            },
            "bersih": bersih,
        },
        "tpp": {
            "lines": {
                "tpp_kinerja": kinerja,
                "tpp_disiplin": disiplin,
                "iuran_bpjs_kesehatan": bpjs_tpp_ee,
                "pph21": pph_tpp,
            },
            "bruto": tpp_bruto,
            "bersih": tpp_bruto - bpjs_tpp_ee - pph_tpp,
        },
        "pemberi_kerja": {"bpjs_kesehatan": bpjs_gaji_er + bpjs_tpp_er, "jkk": jkk, "jkm": jkm},
    }
