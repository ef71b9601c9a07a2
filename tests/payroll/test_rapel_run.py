"""A rapel run for a back-dated KGB over three months: the decree entered in November with an August TMT pays the
August–October differences, month by month, exactly as the engine's case simulation of the same facts does."""

from __future__ import annotations

import datetime as dt

from pamong.engine.simulate import Pack, simulate
from pamong.payroll.models import RunState
from pamong.people.services import Sk, kgb_record
from tests.payroll.conftest import monthly_inputs

MONTHS = (dt.date(2026, 8, 1), dt.date(2026, 9, 1), dt.date(2026, 10, 1))
NOV = dt.date(2026, 11, 1)


def paid_months(pay) -> None:
    for month in MONTHS:
        monthly_inputs(month)
        for kind in ("gaji", "tpp"):
            pay.approve(pay.compute(kind, period=month))


def test_back_dated_kgb_pays_three_months_of_differences(pay):
    paid_months(pay)
    staff = pay.city.staff
    assert staff.mkg_years == 8
    kgb_record(actor=pay.bpkad, employee=staff, mkg_years=10, mkg_months=0,
               sk=Sk("822/77/BKPSDM/2026", dt.date(2026, 11, 5), dt.date(2026, 8, 1)))  # fmt: skip

    run = pay.compute("rapel", period=NOV)
    assert run.state == RunState.COMPUTED and run.errors_total == 0
    (slip,) = run.payslips.all()  # only the employee with a back-dated decree
    assert slip.employee_id == staff.id
    months = slip.facts["rapel_bulan"]
    assert list(months) == ["2026-08", "2026-09", "2026-10"]
    assert months["2026-08"]["dibayar"] == {"golongan": "II/c", "mkg_years": 8}
    assert months["2026-08"]["seharusnya"] == {"golongan": "II/c", "mkg_years": 10}
    assert {m["run"] for m in months.values()} == set(
        run.__class__.objects.filter(kind="gaji", period__in=MONTHS).values_list("id", flat=True)
    )

    # the same facts through the engine's case simulation, with the same rule pack
    case = {
        "period": "2026-11",
        "kind": "rapel",
        "employee": {
            "status": "PNS",
            "golongan": "II/c",
            "mkg_years": 10,
            "jabatan": {"jenis": "pelaksana"},
            "spouse": None,
            "children_eligible": 0,
            "ptkp": "TK/0",
            "tpp_pagu": slip.facts["tpp_pagu"],
        },
        "performance": {"capaian_pct": "100"},
        "discipline": {"TL1": 2},
        "ytd": None,
        "rapel": {"months": ["2026-08", "2026-09", "2026-10"], "paid": {"mkg_years": 8}},
    }
    expected = simulate(case, pack=Pack("sawahlunto"))["rapel"]
    lines = {k: v for k, v in slip.lines.items() if not k.startswith("pemberi_kerja_")}
    assert lines == expected["lines"]
    assert (slip.bruto, slip.potongan, slip.bersih) == (expected["bruto"], expected["potongan"], expected["bersih"])
    assert slip.lines["gaji_pokok"] == 3 * (expected["months"]["2026-08"]["lines"]["gaji_pokok"]) > 0
    assert slip.lines["iuran_taspen"] > 0 and slip.bersih % 100 == 0
    # what the back pay adds to the year's PPh 21 (December's recomputation sums it)
    assert slip.year["iuran_pensiun"] == slip.lines["iuran_taspen"] and slip.year["pph_gaji"] == slip.lines["pph21"]
    assert slip.year["bruto_gaji"] >= slip.lines["gaji_pokok"] > 0
    assert (
        slip.trace["rapel.2026-09.gaji_pokok"][1]["dibayar"] < slip.trace["rapel.2026-09.gaji_pokok"][1]["seharusnya"]
    )


def test_no_back_dated_decree_no_rapel(pay):
    paid_months(pay)
    run = pay.compute("rapel", period=NOV)
    assert run.state == RunState.COMPUTED and run.payslips.count() == 0


def test_a_decree_in_force_from_this_month_is_no_rapel(pay):
    paid_months(pay)
    kgb_record(actor=pay.bpkad, employee=pay.city.staff, mkg_years=10, mkg_months=0,
               sk=Sk("822/78/BKPSDM/2026", dt.date(2026, 11, 5), NOV))  # fmt: skip
    assert pay.compute("rapel", period=NOV).payslips.count() == 0


def test_stored_trace_expands_to_the_engines_explanation(pay):
    from pamong.engine.simulate import Pack, simulate
    from pamong.engine.trace import expand

    run = pay.compute("gaji")
    slip = run.payslips.get(employee=pay.city.staff)
    case = {
        "period": "2026-11",
        "employee": {"status": "PNS", "golongan": "II/c", "mkg_years": 8, "jabatan": {"jenis": "pelaksana"},
                     "spouse": None, "children_eligible": 0, "ptkp": "TK/0", "tpp_pagu": slip.facts["tpp_pagu"]},
        "performance": {"capaian_pct": "100"},
        "discipline": {"TL1": 2},
        "ytd": None,
    }  # fmt: skip
    want = simulate(case, trace=True, pack=Pack("sawahlunto"))["trace"]
    got = expand(slip.trace, run.params_catalogue)
    assert got == {code: line for code, line in want.items() if code in got}
    assert "gaji.gaji_pokok" in got and "gaji.pph21" in got
