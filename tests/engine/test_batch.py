"""A batch computes, for every person, exactly the lines that person gets alone (no per-person branching leaks)."""

import copy

import numpy as np

from pamong.engine import Facts, Tracer, build_params, compute_month
from pamong.engine.simulate import month_output, parse_facts, parse_period, parse_policy
from tests.engine.conftest import BASE_CASE


def _employee(**changes):
    case = copy.deepcopy(BASE_CASE)
    case["employee"].update(changes.pop("employee", {}))
    case.update(changes)
    return case


CASES = [
    _employee(),
    _employee(
        employee={
            "status": "CPNS",
            "golongan": "III/a",
            "mkg_years": 0,
            "spouse": None,
            "children_eligible": 0,
            "ptkp": "TK/0",
        }
    ),
    _employee(
        employee={
            "status": "PPPK",
            "golongan": "IX",
            "mkg_years": 2,
            "spouse": None,
            "children_eligible": 0,
            "ptkp": "TK/0",
            "tpp_pagu": 1600000,
            "jabatan": {"jenis": "fungsional", "tunjangan_fungsional": 540000},
        }
    ),
    _employee(
        employee={
            "golongan": "IV/e",
            "mkg_years": 40,
            "children_eligible": 4,
            "ptkp": "K/3",
            "tpp_pagu": 25000000,
            "jabatan": {"jenis": "struktural", "eselon": "II.a"},
        }
    ),
    _employee(
        employee={
            "golongan": "II/a",
            "mkg_years": 1,
            "spouse": {"is_pns": True, "allowance_here": False},
            "children_eligible": 1,
            "ptkp": "K/1",
        },
        performance={"capaian_pct": "87.35"},
        discipline={"TK": 30, "PSW3": 2},
    ),
    _employee(employee={"golongan": "I/d", "mkg_years": 3, "ptkp": "TK/3", "tpp_pagu": 0}, discipline={}),
]


def _alone_and_batch():
    on = parse_period(BASE_CASE)
    params = build_params(on, parse_policy(BASE_CASE))
    singles = [parse_facts(c, params) for c in CASES]
    alone = [month_output(compute_month(f, params), 0) for f in singles]
    batch = compute_month(Facts.concat(singles), params, Tracer())
    return alone, batch


def test_batch_equals_each_person_alone():
    alone, batch = _alone_and_batch()
    for i, single in enumerate(alone):
        assert month_output(batch, i) == single, CASES[i]["employee"]


def test_batch_lines_are_int64_arrays_of_batch_length():
    _, batch = _alone_and_batch()
    for lines in (batch.gaji.lines, batch.tpp.lines, batch.pemberi_kerja):
        for code, arr in lines.items():
            assert arr.dtype == np.int64 and arr.shape == (len(CASES),), code


def test_batch_covers_caps_and_edges():
    alone, _ = _alone_and_batch()
    top, low_discipline, cpns = alone[3], alone[4], alone[1]
    assert top["gaji"]["lines"]["gaji_pokok"] == 6373200  # IV/e MKG 40 → MKG-32 column
    assert top["gaji"]["lines"]["tunjangan_umum"] == 0 and top["gaji"]["lines"]["tunjangan_jabatan_struktural"] > 0
    # BPJS: gaji + TPP share hits the Rp12,000,000 cap exactly: 1 % = 120,000 in total
    assert top["gaji"]["lines"]["iuran_bpjs_kesehatan"] + top["tpp"]["lines"]["iuran_bpjs_kesehatan"] == 120000
    assert top["pemberi_kerja"]["bpjs_kesehatan"] == 480000
    assert top["gaji"]["lines"]["tunjangan_anak"] == 2 * (6373200 * 200 // 10000)  # capped at 2 children
    assert top["gaji"]["lines"]["tunjangan_pph"] == top["gaji"]["lines"]["pph21"] > 0  # DTP for PNS
    assert low_discipline["tpp"]["lines"]["tpp_disiplin"] == 0  # 30 × 4 % + 2 × 1.25 % → capped at 100 %
    assert low_discipline["gaji"]["lines"]["tunjangan_istri_suami"] == 0  # PNS spouse receives it
    assert low_discipline["gaji"]["lines"]["tunjangan_beras"] == 2 * 72420  # employee + 1 child
    assert low_discipline["tpp"]["lines"]["tpp_kinerja"] == 1800000 * 8735 // 10000
    assert cpns["gaji"]["lines"]["gaji_pokok"] == 2785700 * 8000 // 10000
