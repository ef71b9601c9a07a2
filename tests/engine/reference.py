"""A second, independent reading of shared/spec/payroll-simulate.md rules 1–9 and docs/payroll-engine.md §1–§6, for
property tests.

Plain Python, one employee at a time, Decimal and int only. The national values come straight from the dated YAML
parameters (pamong.rules.params), the regional ones from the case's `policy` (decimal-string percentages). Nothing
here calls pamong.engine: if the engine and this module agree, two readings of the rules agree.

Input: a case dict shaped like the spec's input (`period`, `employee`, `performance`, `discipline`, `policy`, `ytd`
in December) plus the doc's optional keys (`sanction`, `kind`: `thr` | `gaji13` | `rapel`, `rapel`).
Output: `simulate()`'s output shape (`month_output`), with the engine's line codes; `thr` / `gaji13` / `rapel` as a
third key for those kinds.
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
GAJI_EARNED = GAJI_INCOME[:-1]  # the income lines without tunjangan_pph
METHODS = ("marginal", "ditanggung_pemda", "gross_up")
GROSS_UP_MAX_ROUNDS = 1000


def pct(amount: int, percent: Decimal) -> int:
    """percent % of amount, floored to Rp1 ("every percentage of an amount is floored to Rp1 on its own")."""
    return int((Decimal(amount) * percent / HUNDRED).to_integral_value(rounding=ROUND_FLOOR))


def bp_pct(bp: Any) -> Decimal:
    """A basis-point parameter (1 % = 100) as a percent."""
    return Decimal(int(bp)) / HUNDRED


def round_up_100(amount: int) -> int:
    return -(-amount // 100) * 100


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
        # rule 9
        self.pasal17: list[tuple[int | None, Decimal]] = [
            (None if r["upto"] is None else int(r["upto"]), bp_pct(r["rate_bp"])) for r in v["pph21/pasal17"]
        ]
        bj = v["pph21/biaya_jabatan"]
        self.biaya_jabatan_pct = bp_pct(bj["tarif"])
        self.biaya_jabatan_per_month = int(bj["maks_per_bulan"])
        self.biaya_jabatan_per_year = int(bj["maks_per_tahun"])
        ptkp = v["pph21/ptkp"]
        self.ptkp_wp, self.ptkp_kawin, self.ptkp_tanggungan = (
            int(ptkp["wajib_pajak"]),
            int(ptkp["kawin"]),
            int(ptkp["tanggungan"]),
        )
        self.ptkp_max_dependants = int(v["pph21/ptkp_tanggungan"]["max_dependants"])
        # doc §5 (THR / gaji-13); absent before the file's first date
        thr = v.get("thr/komponen")
        self.thr_komponen: tuple[str, ...] | None = None if thr is None else tuple(str(k) for k in thr["komponen"])
        self.thr_tpp_max_pct: Decimal | None = None if thr is None else bp_pct(thr["tpp_maks"])

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

    def ptkp(self, code: str) -> int:
        status, dependants = code.split("/")
        n = min(int(dependants), self.ptkp_max_dependants)
        return self.ptkp_wp + (self.ptkp_kawin if status == "K" else 0) + self.ptkp_tanggungan * n

    def annual_tax(self, ptkp: str, bruto: int, pensiun: int, months: int) -> int:
        """Rule 9: Pasal 17 on PKP = bruto − biaya jabatan − iuran pensiun − PTKP, floored to Rp1.000 (not below 0).
        Biaya jabatan 5 % of bruto, at most the monthly maximum × months worked and at most the annual maximum."""
        biaya = min(
            pct(bruto, self.biaya_jabatan_pct), self.biaya_jabatan_per_month * months, self.biaya_jabatan_per_year
        )
        pkp = max(bruto - biaya - pensiun - self.ptkp(ptkp), 0) // 1000 * 1000
        tax, lower = 0, 0
        for upto, rate in self.pasal17:
            top = pkp if upto is None else min(pkp, upto)
            if top > lower:
                tax += pct(top - lower, rate)
            if upto is None or pkp <= upto:
                break
            lower = upto
        return tax


_NATIONAL: dict[dt.date, National] = {}


def national(on: dt.date) -> National:
    if on not in _NATIONAL:
        _NATIONAL[on] = National(on)
    return _NATIONAL[on]


def policy_pct(pol: dict[str, Any], key: str, default: str) -> Decimal:
    value = pol.get(key)
    return Decimal(str(default if value is None else value))


def sanction_pct(case: dict[str, Any]) -> Decimal:
    """Doc §1: the case's running sanction, looked up in the region's table (none = 0 %)."""
    code = case.get("sanction")
    if code is None:
        return Decimal(0)
    return Decimal(str(case["policy"].get("sanction_cut_pct", {})[code]))


def gaji_dtp(status: str, pol: dict[str, Any]) -> bool:
    """Rule 6 and doc §3: whose gaji tax the government bears."""
    return status in ("PNS", "CPNS") or (status == "PPPK" and bool(pol.get("pph21_pppk_gaji_dtp", False)))


def fixed_point(tax: Any) -> int:
    """Doc §4 gross-up: T = tax(T), iterating from T = 0 until it repeats."""
    t = 0
    for _ in range(GROSS_UP_MAX_ROUNDS):
        nxt = tax(t)
        if nxt == t:
            return t
        t = nxt
    raise ArithmeticError("gross-up did not converge")


def base(case: dict[str, Any], on: dt.date) -> dict[str, Any]:
    """Everything of one month that does not depend on PPh 21: gaji lines, Taspen, BPJS, JKK/JKM, TPP parts and cuts,
    and the PPh bruto without any TPP tunjangan PPh (B of doc §4)."""
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
        if status == "PPPK":
            raise ValueError("tunjangan umum for a PPPK pelaksana is refused (doc §3)")
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

    # Rule 6 (gaji bruto)
    premiums = bool(pol["pph21_bruto_includes_employer_premiums"])
    income = gp + istri + anak + umum + struktural + fungsional + beras
    bruto_gaji_pph = income + ((bpjs_gaji_er + jkk + jkm) if premiums else 0)

    # Rule 8 and doc §2: TPP parts, discipline cuts (percent, capped; rupiah), sanction cut
    pagu = int(emp["tpp_pagu"])
    bagian_kinerja = pct(pagu, Decimal(pol["tpp_weight_kinerja_pct"]))
    bagian_disiplin = pct(pagu, Decimal(pol["tpp_weight_disiplin_pct"]))
    kinerja = pct(bagian_kinerja, Decimal(case["performance"]["capaian_pct"]))
    cuts = pol["discipline_cut_pct"]
    cuts_rp = pol.get("discipline_cut_rp") or {}
    discipline = case.get("discipline") or {}
    cut = sum((int(discipline.get(b, 0)) * Decimal(str(cuts.get(b, "0"))) for b in BANDS), Decimal(0))
    cut = min(cut, policy_pct(pol, "discipline_cut_max_pct", "100"))
    cut_rp = sum(int(discipline.get(b, 0)) * int(cuts_rp.get(b, 0)) for b in BANDS)
    disiplin = pct(bagian_disiplin, HUNDRED - cut)
    if pol["discipline_cut_applies_to"] == "whole_tpp":
        kinerja = pct(kinerja, HUNDRED - cut)
        from_disiplin = min(cut_rp, disiplin)
        disiplin -= from_disiplin
        kinerja = max(kinerja - (cut_rp - from_disiplin), 0)
    elif pol["discipline_cut_applies_to"] == "disiplin_part":
        disiplin = max(disiplin - cut_rp, 0)
    else:
        raise ValueError(pol["discipline_cut_applies_to"])
    hukdis = pct(kinerja + disiplin, sanction_pct(case))
    tpp = kinerja + disiplin - hukdis

    # Rule 4 (TPP slip): on the TPP the region pays (after the sanction, before any tunjangan PPh)
    bpjs_tpp_ee = pct(min(bpjs_base + tpp, n.bpjs_cap), n.bpjs_employee_pct) - bpjs_gaji_ee
    bpjs_tpp_er = pct(min(bpjs_base + tpp, n.bpjs_cap), n.bpjs_employer_pct) - bpjs_gaji_er

    return {
        "n": n,
        "status": status,
        "ptkp": emp["ptkp"],
        "premiums": premiums,
        "gaji": {
            "gaji_pokok": gp,
            "tunjangan_istri_suami": istri,
            "tunjangan_anak": anak,
            "tunjangan_umum": umum,
            "tunjangan_jabatan_struktural": struktural,
            "tunjangan_jabatan_fungsional": fungsional,
            "tunjangan_beras": beras,
        },
        "income": income,
        "taspen": taspen,
        "bpjs_gaji_ee": bpjs_gaji_ee,
        "bpjs_gaji_er": bpjs_gaji_er,
        "jkk": jkk,
        "jkm": jkm,
        "bruto_gaji_pph": bruto_gaji_pph,
        "kinerja": kinerja,
        "disiplin": disiplin,
        "hukdis": hukdis,
        "tpp": tpp,
        "bpjs_tpp_ee": bpjs_tpp_ee,
        "bpjs_tpp_er": bpjs_tpp_er,
        "award": int(case.get("penghargaan", 0)),
        # B of doc §4 (an award is income of the month but not BPJS wage)
        "bruto_tpp_pph": bruto_gaji_pph + tpp + int(case.get("penghargaan", 0)) + (bpjs_tpp_er if premiums else 0),
    }


def regular(case: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """One employee, one month: the `simulate()` output for a regular month, and the month's total PPh bruto (the
    `tpp.bruto_pph21_total` of doc §4: B, plus T under gross-up)."""
    on = period_date(case["period"])
    b = base(case, on)
    n: National = b["n"]
    pol = case["policy"]
    method = pol["pph21_tpp_method"]
    if method not in METHODS:
        raise ValueError(method)
    ptkp = b["ptkp"]
    ytd = case.get("ytd")
    if (on.month == 12) != (ytd is not None):
        raise ValueError("ytd is given in December and only then")

    # Rule 6 / rule 9 (gaji)
    if ytd is None:
        pph_gaji = n.ter(ptkp, b["bruto_gaji_pph"])

        def tax(x: int) -> int:
            return n.ter(ptkp, x) - pph_gaji
    else:
        months = int(ytd["months"]) + 1
        pensiun = int(ytd["iuran_pensiun"]) + b["taspen"]
        annual_gaji = n.annual_tax(ptkp, int(ytd["bruto_gaji"]) + b["bruto_gaji_pph"], pensiun, months)
        pph_gaji = annual_gaji - int(ytd["pph21_gaji_withheld"])

        def tax(x: int) -> int:
            annual = n.annual_tax(ptkp, int(ytd["bruto_total"]) + x, pensiun, months)
            return annual - annual_gaji - int(ytd["pph21_tpp_withheld"])

    tunj_gaji = pph_gaji if gaji_dtp(b["status"], pol) else 0

    # Rule 7
    gaji_bruto = b["income"] + tunj_gaji
    gaji_potongan = b["taspen"] + b["bpjs_gaji_ee"] + pph_gaji
    net = gaji_bruto - gaji_potongan
    bersih = round_up_100(net)

    # Doc §4: the three methods
    B = b["bruto_tpp_pph"]
    if method == "gross_up":
        tunj_tpp = fixed_point(lambda t: tax(B + t))
        pph_tpp, total = tunj_tpp, B + tunj_tpp
    else:
        pph_tpp, total = tax(B), B
        tunj_tpp = pph_tpp if method == "ditanggung_pemda" else 0
    tpp_bruto = b["tpp"] + b["award"] + tunj_tpp
    tpp_potongan = b["bpjs_tpp_ee"] + pph_tpp

    out = {
        "gaji": {
            "lines": {
                **b["gaji"],
                "tunjangan_pph": tunj_gaji,
                "pembulatan": bersih - net,
                "iuran_taspen": b["taspen"],
                "iuran_bpjs_kesehatan": b["bpjs_gaji_ee"],
                "pph21": pph_gaji,
            },
            "bruto": gaji_bruto,
            "potongan": gaji_potongan,
            "bersih": bersih,
        },
        "tpp": {
            "lines": {
                "tpp_kinerja": b["kinerja"],
                "tpp_disiplin": b["disiplin"],
                "potongan_hukuman_disiplin": b["hukdis"],
                "penghargaan": b["award"],
                "tunjangan_pph": tunj_tpp,
                "iuran_bpjs_kesehatan": b["bpjs_tpp_ee"],
                "pph21": pph_tpp,
            },
            "bruto": tpp_bruto,
            "potongan": tpp_potongan,
            "bersih": tpp_bruto - tpp_potongan,
        },
        "pemberi_kerja": {"bpjs_kesehatan": b["bpjs_gaji_er"] + b["bpjs_tpp_er"], "jkk": b["jkk"], "jkm": b["jkm"]},
    }
    return out, total


def month(case: dict[str, Any]) -> dict[str, Any]:
    """One employee, one month (rules 1–9, doc §1–§4): `simulate()`'s output for a regular case."""
    return regular(case)[0]


def extra_tax(n: National, ptkp: str, method: str, dtp: bool, M: int, G: int, P: int) -> tuple[int, int]:
    """Doc §5/§6: PPh 21 marginal on top of the month, (pph21, tunjangan_pph)."""
    pph_gaji = n.ter(ptkp, M + G) - n.ter(ptkp, M)
    if method == "gross_up":
        pph_tpp = fixed_point(lambda t: n.ter(ptkp, M + G + P + t) - n.ter(ptkp, M + G))
    else:
        pph_tpp = n.ter(ptkp, M + G + P) - n.ter(ptkp, M + G)
    tunj = (pph_gaji if dtp else 0) + (pph_tpp if method in ("ditanggung_pemda", "gross_up") else 0)
    return pph_gaji + pph_tpp, tunj


def thr(case: dict[str, Any]) -> dict[str, Any]:
    """Doc §5: THR or gaji-13 with the regular month it is paid in."""
    kind = case["kind"]
    on = period_date(case["period"])
    if on.month == 12:
        raise ValueError("THR / gaji-13 in December is refused")
    pol = case["policy"]
    out, M = regular(case)
    n = national(on)
    komponen = n.thr_komponen or GAJI_EARNED
    lines = {k: out["gaji"]["lines"][k] if k in komponen else 0 for k in GAJI_EARNED}
    share = Decimal(str(pol[f"{kind}_tpp_pct"]))
    if n.thr_tpp_max_pct is not None and share > n.thr_tpp_max_pct:
        raise ValueError("TPP share above the national ceiling")
    tpp_lines = out["tpp"]["lines"]
    bases = {
        "pagu": int(case["employee"]["tpp_pagu"]),
        # the month's `tpp` after the discipline and sanction cuts, before any tunjangan PPh (doc §2)
        "tpp_bulan": tpp_lines["tpp_kinerja"] + tpp_lines["tpp_disiplin"] - tpp_lines["potongan_hukuman_disiplin"],
    }
    basis = bases[pol.get("thr_tpp_basis") or "pagu"]
    lines["tpp"] = pct(basis, share)
    G = sum(v for k, v in lines.items() if k != "tpp")
    pph, tunj = extra_tax(
        n,
        case["employee"]["ptkp"],
        pol["pph21_tpp_method"],
        gaji_dtp(case["employee"]["status"], pol),
        M,
        G,
        lines["tpp"],
    )
    bruto = G + lines["tpp"] + tunj
    net = bruto - pph
    bersih = round_up_100(net)
    lines |= {"tunjangan_pph": tunj, "pembulatan": bersih - net, "pph21": pph}
    out[kind] = {"lines": lines, "bruto": bruto, "potongan": pph, "bersih": bersih}
    return out


def shift(period: str, months: int) -> str:
    y, m = (int(x) for x in period.split("-"))
    k = y * 12 + m - 1 + months
    return f"{k // 12}-{k % 12 + 1:02d}"


RAPEL_SLIP = (
    *GAJI_EARNED,
    "tpp_kinerja",
    "tpp_disiplin",
    "potongan_hukuman_disiplin",
    "iuran_taspen",
    "iuran_bpjs_kesehatan",
)
RAPEL_EMPLOYER = ("bpjs_kesehatan", "jkk", "jkm")


def _rapel_month(b: dict[str, Any]) -> dict[str, int]:
    return {
        **b["gaji"],
        "tpp_kinerja": b["kinerja"],
        "tpp_disiplin": b["disiplin"],
        "potongan_hukuman_disiplin": b["hukdis"],
        "iuran_taspen": b["taspen"],
        "iuran_bpjs_kesehatan": b["bpjs_gaji_ee"] + b["bpjs_tpp_ee"],
        "bpjs_kesehatan": b["bpjs_gaji_er"] + b["bpjs_tpp_er"],
        "jkk": b["jkk"],
        "jkm": b["jkm"],
        # for the tax only: the employer BPJS split into its gaji and TPP parts
        "bpjs_gaji_er": b["bpjs_gaji_er"],
        "bpjs_tpp_er": b["bpjs_tpp_er"],
    }


def rapel(case: dict[str, Any]) -> dict[str, Any]:
    """Doc §6: back pay for earlier months, each computed as paid and as due with the parameters of that month."""
    pol = case["policy"]
    spec = case["rapel"]
    paid_case = {**case, "employee": {**case["employee"], **spec.get("paid", {})}}
    out, M = regular(case)
    per_month: dict[str, dict[str, int]] = {}
    for m in spec["months"]:
        if period_date(m) >= period_date(case["period"]):
            raise ValueError("rapel months are before the period")
        on = period_date(m)
        due = _rapel_month(base(case, on))
        paid = _rapel_month(base(paid_case, on))
        per_month[m] = {k: due[k] - paid[k] for k in due}
    total = {k: sum(d[k] for d in per_month.values()) for k in next(iter(per_month.values()))}
    premiums = bool(pol["pph21_bruto_includes_employer_premiums"])
    G = sum(total[k] for k in GAJI_EARNED) + ((total["bpjs_gaji_er"] + total["jkk"] + total["jkm"]) if premiums else 0)
    tpp = total["tpp_kinerja"] + total["tpp_disiplin"] - total["potongan_hukuman_disiplin"]
    P = tpp + (total["bpjs_tpp_er"] if premiums else 0)
    emp = case["employee"]
    n = national(period_date(case["period"]))
    pph, tunj = extra_tax(n, emp["ptkp"], pol["pph21_tpp_method"], gaji_dtp(emp["status"], pol), M, G, P)
    bruto = sum(total[k] for k in GAJI_EARNED) + tpp + tunj
    potongan = total["iuran_taspen"] + total["iuran_bpjs_kesehatan"] + pph
    net = bruto - potongan
    bersih = round_up_100(net)
    lines = {k: total[k] for k in RAPEL_SLIP} | {"tunjangan_pph": tunj, "pembulatan": bersih - net, "pph21": pph}
    # the output shape of `simulate()`: per month the slip lines and the employer's premiums, then the sums
    out["rapel"] = {
        "months": {
            m: {"lines": {k: d[k] for k in RAPEL_SLIP}, "pemberi_kerja": {k: d[k] for k in RAPEL_EMPLOYER}}
            for m, d in per_month.items()
        },
        "lines": lines,
        "bruto": bruto,
        "potongan": potongan,
        "bersih": bersih,
        "pemberi_kerja": {k: total[k] for k in RAPEL_EMPLOYER},
    }
    return out


def simulate(case: dict[str, Any]) -> dict[str, Any]:
    """The reference's `simulate()`: a regular month, THR / gaji-13, or rapel by the case's `kind`."""
    kind = case.get("kind") or "bulanan"
    if kind in ("thr", "gaji13"):
        return thr(case)
    if kind == "rapel":
        return rapel(case)
    return month(case)
