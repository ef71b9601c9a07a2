"""A region's rule pack feeding the engine: the policy, the TPP ceiling, the sanction table, a city's own directory
overriding the example pack, and the trace naming the pack parameter instead of "the case"."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest

from pamong.engine.facts import CPNS, PNS, PPPK
from pamong.engine.region import region_rules
from pamong.engine.simulate import Pack, main, simulate
from pamong.rules.params import ParameterError
from tests.engine.conftest import BASE_CASE

NOV = dt.date(2025, 11, 1)

CITY_BOBOT = """\
description: bobot kota contoh
unit: basis_points
reference:
  - title: Perwali Kota Contoh 1/2025 Pasal 5
values:
  2025-01-01: {kinerja: 7000, disiplin: 3000}
"""


def test_example_pack_gives_the_spec_example_policy():
    policy = region_rules(NOV, "sawahlunto").policy
    assert (policy.tpp_weight_kinerja_bp, policy.tpp_weight_disiplin_bp) == (6000, 4000)
    assert policy.discipline_cut_bp["TL3"] == 125 and policy.discipline_cut_bp["TK"] == 400
    assert policy.discipline_cut_applies_to == "disiplin_part"
    assert policy.tunjangan_anak_max_children == 2
    assert policy.pph21_tpp_method == "marginal" and policy.pph21_bruto_includes_employer_premiums
    assert policy.thr_tpp_bp == policy.gaji13_tpp_bp == 10000


def test_case_01_under_the_example_pack_equals_the_case_policy():
    case = {k: v for k, v in BASE_CASE.items() if k != "policy"}
    assert simulate(case, pack=Pack("sawahlunto")) == simulate(BASE_CASE)


def test_trace_names_the_pack_parameter_and_its_region():
    case = {k: v for k, v in BASE_CASE.items() if k != "policy"}
    params = simulate(case, trace=True, pack=Pack("sawahlunto"))["trace"]["tpp.tpp_kinerja"]["params"]
    (weight,) = params
    assert weight["name"] == "tpp/bobot.kinerja"
    assert (weight["value"], weight["unit"], weight["source"], weight["since"]) == (
        6000,
        "basis_points",
        "sawahlunto",
        "2025-01-01",
    )
    assert weight["reference"][0]["title"].startswith("CONTOH, bukan Perwali Sawahlunto")


def test_city_directory_overrides_the_example_pack(tmp_path: Path):
    (tmp_path / "tpp").mkdir()
    (tmp_path / "tpp" / "bobot.yaml").write_text(CITY_BOBOT)
    rules = region_rules(NOV, "sawahlunto", tmp_path)
    assert (rules.policy.tpp_weight_kinerja_bp, rules.policy.tpp_weight_disiplin_bp) == (7000, 3000)
    case = {k: v for k, v in BASE_CASE.items() if k != "policy"}
    out = simulate(case, trace=True, pack=Pack("sawahlunto", str(tmp_path)))
    assert out["tpp"]["lines"]["tpp_kinerja"] == 2100000
    assert out["trace"]["tpp.tpp_kinerja"]["params"][0]["source"] == str(tmp_path)


def test_a_pack_without_the_tpp_rules_is_refused_by_name():
    with pytest.raises(ParameterError, match=r"paket wilayah \(tanpa paket wilayah\): .*tpp/bobot"):
        region_rules(NOV)


def test_tpp_pagu_by_kelas_and_status_share():
    rules = region_rules(NOV, "sawahlunto")
    pagu = rules.tpp_pagu(np.array([7, 7, 7, 1]), np.array([PNS, CPNS, PPPK, PNS], dtype=np.int8))
    assert pagu.tolist() == [3000000, 2400000, 3000000, 2200000]
    with pytest.raises(ParameterError, match="kelas jabatan di luar 1..17"):
        rules.tpp_pagu(np.array([18]), np.array([PNS], dtype=np.int8))


def test_sanction_table_cut_and_duration():
    rules = region_rules(NOV, "sawahlunto")
    assert rules.sanctions["potong_tpp_25_9_bulan"].cut_bp == 2500
    assert rules.sanctions["potong_tpp_25_9_bulan"].months == 9
    assert rules.sanction_cut_bp(None) == 0
    case = {k: v for k, v in BASE_CASE.items() if k != "policy"} | {"sanction": "potong_tpp_25_6_bulan"}
    tpp = simulate(case, pack=Pack("sawahlunto"))["tpp"]
    assert tpp["lines"]["potongan_hukuman_disiplin"] == 2976000 // 4
    with pytest.raises(ParameterError, match="jenis hukuman 'cuti' tidak ada"):
        simulate(case | {"sanction": "cuti"}, pack=Pack("sawahlunto"))


def test_command_line_region_option(tmp_path: Path, capsys):
    path = tmp_path / "case.json"
    path.write_text(json.dumps({k: v for k, v in BASE_CASE.items() if k != "policy"}))
    assert main([str(path), "--region", "sawahlunto"]) == 0
    assert json.loads(capsys.readouterr().out)["tpp"]["bersih"] == 2871183
    assert main([str(path)]) == 2
    assert "policy: wajib diisi" in capsys.readouterr().err
