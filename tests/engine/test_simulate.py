import json

import pytest

from pamong.engine.params import Unsupported
from pamong.engine.simulate import CaseError, main, simulate, simulate_file
from tests.engine.conftest import BASE_CASE, MONTHLY_CASES, load, walk


@pytest.mark.parametrize("path", MONTHLY_CASES, ids=lambda p: p.name)
def test_golden_case_matches_every_expected_amount(path):
    case = load(path)
    out = simulate(case)
    assert list(walk(case["expected"], out)) == []


def test_golden_cases_are_present():
    assert len(MONTHLY_CASES) == 3


def test_inline_case_01_amounts(case):
    out = simulate(case)
    assert out["gaji"]["lines"]["iuran_taspen"] == 299774
    assert out["gaji"]["lines"]["pembulatan"] == 35
    assert out["gaji"]["bersih"] == 3882800
    assert out["tpp"]["lines"]["pph21"] == 75057
    assert out["tpp"]["bersih"] == 2871183
    assert out["pemberi_kerja"] == {"bpjs_kesehatan": 276327, "jkk": 7888, "jkm": 23666}
    assert out["gaji"]["bruto"] + out["gaji"]["lines"]["pembulatan"] - out["gaji"]["potongan"] == out["gaji"]["bersih"]


def test_all_amounts_are_plain_ints(case):
    out = simulate(case)
    for slip in ("gaji", "tpp"):
        assert all(type(v) is int for v in out[slip]["lines"].values())
    json.dumps(out)  # serialisable


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (lambda c: c["employee"].pop("mkg_years"), "employee.mkg_years"),
        (lambda c: c["employee"].update(mkg_years="8"), "employee.mkg_years"),
        (lambda c: c["employee"].update(mkg_years=-1), "employee.mkg_years"),
        (lambda c: c["employee"].update(golongan="III/z"), "employee.golongan"),
        (lambda c: c["employee"].update(golongan="I/b", mkg_years=1), "employee.mkg_years"),
        (lambda c: c["employee"].update(status="Honorer"), "employee.status"),
        (lambda c: c["employee"].update(ptkp="K/4"), "employee.ptkp"),
        (lambda c: c["employee"].update(jabatan={"jenis": "struktural", "eselon": "IX.z"}), "employee.jabatan.eselon"),
        (lambda c: c["employee"].update(jabatan={"jenis": "fungsional"}), "employee.jabatan.tunjangan_fungsional"),
        (lambda c: c["employee"]["spouse"].pop("allowance_here"), "employee.spouse.allowance_here"),
        (lambda c: c["employee"].update(tpp_pagu=1.5), "employee.tpp_pagu"),
        (lambda c: c["performance"].update(capaian_pct="abc"), "performance.capaian_pct"),
        (lambda c: c["performance"].update(capaian_pct="99.999"), "performance.capaian_pct"),
        (lambda c: c["discipline"].update(TL9=1), "discipline"),
        (lambda c: c["discipline"].update(TL1=-2), "discipline.TL1"),
        (lambda c: c.update(period="2025-13"), "period"),
        (
            lambda c: c["policy"].pop("pph21_bruto_includes_employer_premiums"),
            "policy.pph21_bruto_includes_employer_premiums",
        ),
        (lambda c: c["policy"]["discipline_cut_pct"].update(TL1="x"), "policy.discipline_cut_pct.TL1"),
        (lambda c: c["policy"].update(tpp_weight_kinerja_pct="70"), "policy.tpp_weight_kinerja_pct"),
    ],
)
def test_malformed_case_names_the_field(case, edit, field):
    edit(case)
    with pytest.raises(CaseError) as exc:
        simulate(case)
    assert str(exc.value).startswith(field), str(exc.value)


def test_unknown_tpp_method_is_refused_clearly(case):
    case["policy"]["pph21_tpp_method"] = "gross_down"
    with pytest.raises(Unsupported, match=r"pph21_tpp_method: metode 'gross_down' belum didukung"):
        simulate(case)


def test_december_is_refused_clearly(case):
    case["period"] = "2025-12"
    with pytest.raises(Unsupported, match=r"Desember \(ytd\) belum didukung"):
        simulate(case)


def test_main_prints_json_and_exits_zero(tmp_path, capsys):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(BASE_CASE))
    assert main([str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["tpp"]["bersih"] == 2871183


def test_main_malformed_case_exits_nonzero_with_one_message(tmp_path, capsys):
    bad = dict(BASE_CASE, employee={**BASE_CASE["employee"], "ptkp": "X"})
    path = tmp_path / "case.json"
    path.write_text(json.dumps(bad))
    assert main([str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("galat: employee.ptkp:") and "Traceback" not in captured.err


def test_unreadable_or_invalid_json_is_a_case_error(tmp_path):
    with pytest.raises(CaseError, match="tidak dapat dibaca"):
        simulate_file(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(CaseError, match="JSON tidak valid"):
        simulate_file(tmp_path / "bad.json")


def test_management_command_simulate(tmp_path, capsys):
    from pamong.payroll.management.commands.payroll import Command

    path = tmp_path / "case.json"
    path.write_text(json.dumps(BASE_CASE))
    Command().run_from_argv(["pamong", "payroll", "simulate", str(path)])
    assert json.loads(capsys.readouterr().out)["gaji"]["bersih"] == 3882800
