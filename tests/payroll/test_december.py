"""December: the gaji and TPP runs recompute the year's PPh 21 (spec rule 9) from what the year's approved payslips
already paid and withheld — the same numbers as the engine's case simulation given that year to date."""

from __future__ import annotations

import datetime as dt

from pamong.engine.simulate import Pack, simulate
from pamong.payroll.models import Payslip, RunState
from pamong.payroll.ytd import year_to_date
from tests.payroll.conftest import monthly_inputs

YEAR = 2026
DEC = dt.date(YEAR, 12, 1)


def pay_the_year(pay, months=range(1, 12)) -> None:
    for m in months:
        period = dt.date(YEAR, m, 1)
        monthly_inputs(period)
        for kind in ("gaji", "tpp"):
            pay.approve(pay.compute(kind, period=period))


def case_for(slip, ytd: dict[str, int]) -> dict:
    f = slip.facts
    return {
        "period": f"{YEAR}-12",
        "employee": {
            "status": f["status"],
            "golongan": f["golongan"],
            "mkg_years": f["mkg_years"],
            "jabatan": {"jenis": "pelaksana"},
            "spouse": None,
            "children_eligible": f["children_eligible"],
            "ptkp": f["ptkp"],
            "tpp_pagu": f["tpp_pagu"],
        },
        "performance": {"capaian_pct": "100"},
        "discipline": f["discipline"],
        "ytd": ytd,
    }


def test_year_to_date_sums_the_approved_payslips(pay):
    pay_the_year(pay, months=(1, 2, 3))
    pay.compute("gaji", period=dt.date(YEAR, 4, 1))  # computed, not approved: not income paid yet
    staff = pay.city.staff
    ytd = year_to_date([staff.id], DEC)
    slips = Payslip.objects.filter(employee=staff, run__state=RunState.APPROVED)
    assert int(ytd.months[0]) == 3
    assert int(ytd.pph21_gaji_withheld[0]) == sum(p.lines["pph21"] for p in slips.filter(kind="gaji"))
    assert int(ytd.pph21_tpp_withheld[0]) == sum(p.lines["pph21"] for p in slips.filter(kind="tpp"))
    assert int(ytd.iuran_pensiun[0]) == sum(p.lines["iuran_taspen"] for p in slips.filter(kind="gaji"))
    assert int(ytd.bruto_total[0]) == sum(p.year["bruto_gaji"] + p.year["bruto_tpp"] for p in slips)


def test_december_runs_recompute_the_year_like_the_case_simulation(pay):
    pay_the_year(pay)
    monthly_inputs(DEC)
    gaji = pay.compute("gaji", period=DEC)
    tpp = pay.compute("tpp", period=DEC)
    assert gaji.state == tpp.state == RunState.COMPUTED and gaji.errors_total == tpp.errors_total == 0
    staff = pay.city.staff
    y = year_to_date([staff.id], DEC)
    ytd = {
        "months": int(y.months[0]),
        "bruto_gaji": int(y.bruto_gaji[0]),
        "bruto_total": int(y.bruto_total[0]),
        "pph21_gaji_withheld": int(y.pph21_gaji_withheld[0]),
        "pph21_tpp_withheld": int(y.pph21_tpp_withheld[0]),
        "iuran_pensiun": int(y.iuran_pensiun[0]),
    }
    assert ytd["months"] == 11
    g = gaji.payslips.get(employee=staff)
    t = tpp.payslips.get(employee=staff)
    want = simulate(case_for(g, ytd), pack=Pack("sawahlunto"))
    assert g.lines["pph21"] == want["gaji"]["lines"]["pph21"]
    assert t.lines["pph21"] == want["tpp"]["lines"]["pph21"]
    assert (g.bersih, t.bersih) == (want["gaji"]["bersih"], want["tpp"]["bersih"])
    assert "gaji.pph21_setahun" in g.trace and "tpp.pph21_setahun" in t.trace  # the explanation shows the year
