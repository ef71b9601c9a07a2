"""December (spec rule 9): the annual PPh 21 recomputation by Pasal 17, with the year-to-date totals (`ytd`)."""

import copy
import datetime as dt

import numpy as np
import pytest

from pamong.engine import Facts, NullTracer, Tracer, Ytd, build_params, compute_month
from pamong.engine.pph21 import annual_tax, pasal17_tax
from pamong.engine.simulate import CaseError, month_output, parse_facts, parse_period, parse_policy, parse_ytd, simulate
from tests.engine.conftest import BASE_CASE, GOLDEN, load, walk
from tests.engine.test_batch import CASES

CASE_04 = GOLDEN / "04-pns-iiib-k2-december.json"

# Case 01 after eleven identical months (the worked example in payroll-rules.md §10, Example 1)
YTD_01 = {
    "months": 11,
    "bruto_gaji": 11 * 4410701,
    "bruto_total": 11 * 7505741,
    "pph21_gaji_withheld": 0,
    "pph21_tpp_withheld": 11 * 75057,
    "iuran_pensiun": 11 * 299774,
}


def _december(ytd=YTD_01, **employee):
    case = copy.deepcopy(BASE_CASE)
    case["period"] = "2025-12"
    case["employee"].update(employee)
    case["ytd"] = dict(ytd)
    return case


def _params():
    return build_params(dt.date(2025, 12, 1), parse_policy(BASE_CASE))


def _one(value):
    return np.array([value], dtype=np.int64)


def test_golden_case_04_through_simulate():
    case = load(CASE_04)
    out = simulate(case)
    assert list(walk(case["expected"], out)) == []
    assert out["tpp"]["lines"]["pph21"] == -102227  # a refund on the TPP slip
    assert out["tpp"]["bersih"] == 3048467


def test_inline_case_01_in_december_matches_the_worked_example():
    out = simulate(_december(), trace=True)
    tr = out["trace"]
    # all income: 12 × 7,505,741; biaya jabatan 5 % (under the cap); Taspen 12 × 299,774; PTKP K/2
    assert tr["tpp.bruto_pph21_setahun"]["result"] == 90068892
    assert tr["tpp.biaya_jabatan_setahun"]["result"] == 4503444
    assert tr["gaji.iuran_pensiun_setahun"]["result"] == 3597288
    assert tr["tpp.ptkp_setahun"]["result"] == 67500000
    assert tr["tpp.pkp_setahun"]["result"] == 14468000
    assert tr["tpp.pph21_setahun"]["result"] == 723400
    # gaji-only: 52,928,412 − 2,646,420 − 3,597,288 = 46,684,704 < PTKP → PKP 0, tax 0
    assert tr["gaji.bruto_pph21_setahun"]["result"] == 52928412
    assert tr["gaji.biaya_jabatan_setahun"]["result"] == 2646420
    assert tr["gaji.pkp_setahun"]["result"] == 0
    assert tr["gaji.pph21_setahun"]["result"] == 0
    assert out["gaji"]["lines"]["pph21"] == 0
    assert out["tpp"]["lines"]["pph21"] == 723400 - 825627


def test_every_december_tax_parameter_is_traced_with_its_reference():
    tr = simulate(_december(), trace=True)["trace"]
    names = {
        p["name"]: p
        for code in ("tpp.biaya_jabatan_setahun", "tpp.ptkp_setahun", "tpp.pph21_setahun")
        for p in tr[code]["params"]
    }
    assert set(names) == {"pph21/biaya_jabatan", "pph21/ptkp", "pph21/ptkp_tanggungan", "pph21/pasal17"}
    for p in names.values():
        assert p["since"] and p["reference"] and p["reference"][0]["title"], p


def test_refund_on_the_gaji_slip_pppk_hand_computed():
    """PPPK IX MKG 2, JF 540,000, TK/0, pagu 1,600,000 (payroll-rules.md Example 2), 11 months at the monthly
    figures, with Rp50,000 of gaji tax over-withheld earlier in the year. By hand:
      monthly gaji bruto PPh 4,102,317; all income 5,766,317; TPP TER 28,831 a month
      gaji-only: 11 × 4,102,317 + 4,102,317 = 49,227,804; biaya jabatan 5 % = 2,461,390; neto 46,766,414
                 < PTKP TK/0 54,000,000 → PKP 0 → tax 0 → December gaji PPh 0 − 50,000 = −50,000 (refund)
      all income: 12 × 5,766,317 = 69,195,804; biaya jabatan 3,459,790; neto 65,736,014; − 54,000,000
                 = 11,736,014 → PKP 11,736,000 → 5 % = 586,800
      December TPP PPh = 586,800 − 0 − 11 × 28,831 (317,141) = 269,659
      PPPK is not DTP: tunjangan_pph 0; gaji net 3,916,820 − 38,444 + 50,000 = 3,928,376 → 3,928,400 (pembulatan 24)
      TPP net 1,600,000 − 16,000 − 269,659 = 1,314,341
    """
    ytd = {
        "months": 11,
        "bruto_gaji": 11 * 4102317,
        "bruto_total": 11 * 5766317,
        "pph21_gaji_withheld": 50000,
        "pph21_tpp_withheld": 11 * 28831,
        "iuran_pensiun": 0,
    }
    case = _december(
        ytd,
        status="PPPK",
        golongan="IX",
        mkg_years=2,
        spouse=None,
        children_eligible=0,
        ptkp="TK/0",
        tpp_pagu=1600000,
        jabatan={"jenis": "fungsional", "tunjangan_fungsional": 540000},
    )
    case["discipline"] = {}
    out = simulate(case)
    assert out["gaji"]["lines"]["pph21"] == -50000
    assert out["gaji"]["lines"]["tunjangan_pph"] == 0
    assert out["gaji"]["lines"]["pembulatan"] == 24
    assert out["gaji"]["bersih"] == 3928400
    assert out["tpp"]["lines"]["pph21"] == 269659
    assert out["tpp"]["bersih"] == 1314341


def test_refund_on_a_dtp_gaji_slip_reduces_tunjangan_pph_too():
    """PNS (DTP): tunjangan_pph = pph21 also when it is negative, so the refund goes back to the government and
    the net gaji does not move."""
    out = simulate(_december({**YTD_01, "pph21_gaji_withheld": 12345}))
    assert out["gaji"]["lines"]["pph21"] == -12345
    assert out["gaji"]["lines"]["tunjangan_pph"] == -12345
    assert out["gaji"]["bersih"] == 3882800
    assert out["tpp"]["lines"]["pph21"] == -102227


def test_pkp_below_zero_is_no_tax_and_any_withholding_is_refunded():
    # a year with little income: neto far below PTKP
    ytd = {**YTD_01, "months": 0, "bruto_gaji": 0, "bruto_total": 0, "iuran_pensiun": 0, "pph21_tpp_withheld": 1000}
    out = simulate(_december(ytd), trace=True)
    tr = out["trace"]
    assert tr["tpp.bruto_pph21_setahun"]["result"] - tr["tpp.biaya_jabatan_setahun"]["result"] < 67500000
    assert tr["tpp.pkp_setahun"]["result"] == 0
    assert tr["gaji.pkp_setahun"]["result"] == 0
    assert out["gaji"]["lines"]["pph21"] == 0
    assert out["tpp"]["lines"]["pph21"] == -1000


def test_annual_tax_pkp_negative_and_floor_1000():
    p = _params()
    facts = parse_facts(_december(), p)  # K/2: PTKP 67,500,000
    t = Tracer()
    zero = annual_tax(facts, p, t, "x", _one(10000000), _one(0), _one(12))
    assert zero.tolist() == [0] and t.lines["x.pkp_setahun"].result.tolist() == [0]
    # bruto 71,053,683: biaya jabatan 3,552,684 (5 % floored); neto 67,500,999 = PTKP + 999 → PKP floors to 0
    t = Tracer()
    annual_tax(facts, p, t, "x", _one(71053683), _one(0), _one(12))
    assert t.lines["x.biaya_jabatan_setahun"].result.tolist() == [3552684]
    assert t.lines["x.pkp_setahun"].result.tolist() == [0]
    t = Tracer()  # Rp1,000 more bruto → neto PTKP + 1,949 → PKP 1,000 → 5 % = 50
    assert annual_tax(facts, p, t, "x", _one(71054683), _one(0), _one(12)).tolist() == [50]


def test_biaya_jabatan_cap_is_hit():
    """Bruto 200,000,000: 5 % = 10,000,000 capped at 6,000,000. K/3 PTKP 72,000,000.
    PKP 200,000,000 − 6,000,000 − 2,000,000 (pensiun) − 72,000,000 = 120,000,000;
    tax 5 % × 60,000,000 + 15 % × 60,000,000 = 3,000,000 + 9,000,000 = 12,000,000."""
    p = _params()
    facts = parse_facts(_december(ptkp="K/3"), p)
    t = Tracer()
    tax = annual_tax(facts, p, t, "x", _one(200000000), _one(2000000), _one(12))
    assert t.lines["x.biaya_jabatan_setahun"].result.tolist() == [6000000]
    assert t.lines["x.ptkp_setahun"].result.tolist() == [72000000]
    assert tax.tolist() == [12000000]
    # someone who worked 6 months of the year: at most 6 × 500,000
    t = Tracer()
    annual_tax(facts, p, t, "x", _one(200000000), _one(0), _one(6))
    assert t.lines["x.biaya_jabatan_setahun"].result.tolist() == [3000000]


def test_biaya_jabatan_cap_through_simulate():
    big = {**YTD_01, "bruto_gaji": 150000000, "bruto_total": 300000000}
    tr = simulate(_december(big), trace=True)["trace"]
    assert tr["tpp.biaya_jabatan_setahun"]["result"] == 6000000
    assert tr["gaji.biaya_jabatan_setahun"]["result"] == 6000000


def test_pasal17_every_band():
    p = _params()
    pkp = np.array([0, 60000000, 60001000, 250000000, 500000000, 600000000, 5000000000, 6000000000], dtype=np.int64)
    expected = [
        0,
        3000000,
        3000150,
        3000000 + 28500000,
        3000000 + 28500000 + 62500000,
        94000000 + 30000000,
        94000000 + 1350000000,
        1444000000 + 350000000,
    ]
    assert pasal17_tax(pkp, p).tolist() == expected
    assert pasal17_tax(pkp, p).dtype == np.int64


def _december_cases():
    out = []
    for i, c in enumerate(CASES):
        case = copy.deepcopy(c)
        case["period"] = "2025-12"
        case["ytd"] = {
            "months": 11 - (i % 3) * 4,
            "bruto_gaji": 30000000 + i * 17000000,
            "bruto_total": 60000000 + i * 61000000,
            "pph21_gaji_withheld": i * 150000,
            "pph21_tpp_withheld": 2000000 - i * 300000,
            "iuran_pensiun": 3000000 if case["employee"]["status"] != "PPPK" else 0,
        }
        out.append(case)
    return out


def test_december_batch_equals_each_person_alone():
    cases = _december_cases()
    on = parse_period(cases[0])
    params = build_params(on, parse_policy(cases[0]))
    singles = [parse_facts(c, params) for c in cases]
    ytds = [parse_ytd(c, on) for c in cases]
    assert all(y is not None for y in ytds)
    alone = [month_output(compute_month(f, params, NullTracer(), y), 0) for f, y in zip(singles, ytds, strict=True)]
    batch = compute_month(Facts.concat(singles), params, Tracer(), Ytd.concat([y for y in ytds if y is not None]))
    for i, single in enumerate(alone):
        assert month_output(batch, i) == single, cases[i]["employee"]
    for slip in (batch.gaji, batch.tpp):
        for line in slip.lines.values():
            assert line.dtype == np.int64 and line.shape == (len(cases),)
    # the batch covers refunds and taxes due on both slips
    tpp = [month_output(batch, i)["tpp"]["lines"]["pph21"] for i in range(len(cases))]
    assert min(tpp) < 0 < max(tpp)


def test_december_batch_matches_simulate():
    for case in _december_cases():
        on = parse_period(case)
        params = build_params(on, parse_policy(case))
        m = compute_month(parse_facts(case, params), params, None, parse_ytd(case, on))
        assert month_output(m, 0) == simulate(case)


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (lambda c: c.update(ytd=None), "ytd: wajib diisi"),
        (lambda c: c.update(ytd=[1, 2]), "ytd: harus objek"),
        (lambda c: c["ytd"].pop("bruto_total"), "ytd.bruto_total: wajib diisi"),
        (lambda c: c["ytd"].update(months="11"), "ytd.months"),
        (lambda c: c["ytd"].update(months=12), "ytd.months"),
        (lambda c: c["ytd"].update(bruto_gaji=1.5), "ytd.bruto_gaji"),
        (lambda c: c["ytd"].update(pph21_tpp_withheld=-1), "ytd.pph21_tpp_withheld"),
        (lambda c: c["ytd"].update(iuran_pensiun=True), "ytd.iuran_pensiun"),
        (lambda c: c["ytd"].update(bruto_total=1), "ytd.bruto_total"),
        (lambda c: c["ytd"].update(thr=1), "ytd: kolom tidak dikenal"),
        (lambda c: c.update(period="2025-11"), "ytd: hanya untuk Desember"),
    ],
)
def test_malformed_ytd_names_the_field(edit, field):
    case = _december()
    edit(case)
    with pytest.raises(CaseError) as exc:
        simulate(case)
    assert str(exc.value).startswith(field), str(exc.value)


def test_ytd_rows_must_match_facts():
    p = _params()
    facts = parse_facts(_december(), p)
    ytd = parse_ytd(_december(), dt.date(2025, 12, 1))
    assert ytd is not None
    with pytest.raises(ValueError, match="ytd"):
        compute_month(Facts.concat([facts, facts]), p, None, ytd)
