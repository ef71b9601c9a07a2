"""`pamong payroll simulate` on hostile or mistaken case files: one clear message naming the field, a non-zero exit
and no traceback; the same bounds as the imports (engine/bounds.py); what the spec allows still passes."""

from __future__ import annotations

import contextlib
import copy
import json
from typing import Any

import pytest

from pamong.engine import bounds
from pamong.engine.params import Unsupported
from pamong.engine.simulate import ERRORS, MAX_DEPTH, CaseError, load_case, simulate, simulate_file
from tests.engine.conftest import BASE_CASE, GOLDEN


def case(**edits: Any) -> dict[str, Any]:
    """BASE_CASE with `part__key=value` edits (e.g. employee__mkg_years=41)."""
    c = copy.deepcopy(BASE_CASE)
    for path, value in edits.items():
        *parents, key = path.split("__")
        target = c
        for p in parents:
            target = target[p]
        target[key] = value
    return c


def command(tmp_path, capsys, content: bytes) -> tuple[int, str, str]:
    """Run `pamong payroll simulate FILE` as the CLI does; (exit status, stdout, stderr)."""
    from pamong.payroll.management.commands.payroll import Command

    path = tmp_path / "case.json"
    path.write_bytes(content)
    try:
        Command().run_from_argv(["pamong", "payroll", "simulate", str(path)])
        status = 0
    except SystemExit as exc:
        status = int(exc.code or 0)
    out = capsys.readouterr()
    return status, out.out, out.err


def refused(tmp_path, capsys, content: bytes, message: str) -> str:
    status, out, err = command(tmp_path, capsys, content)
    assert status != 0 and out == ""
    assert "Traceback" not in err and err.count("\n") == 1, err
    assert message in err, err
    return err


def test_utf16_file_is_read_like_utf8(tmp_path, capsys):
    """The spec names no encoding; JSON's own detection reads UTF-16/32 (Notepad's "Unicode"), so it is accepted."""
    want = simulate(BASE_CASE)
    for encoding in ("utf-16", "utf-8-sig", "utf-32"):
        status, out, _err = command(tmp_path, capsys, json.dumps(BASE_CASE).encode(encoding))
        assert status == 0 and json.loads(out) == want


def test_other_encodings_are_one_clear_message(tmp_path, capsys):
    content = json.dumps(case(name="Pegawai é"), ensure_ascii=False).encode("latin-1")
    refused(tmp_path, capsys, content, "bukan teks UTF-8")


def test_mkg_years_1e30_is_refused(tmp_path, capsys):
    content = json.dumps(case(employee__mkg_years=10**30)).encode()
    refused(tmp_path, capsys, content, f"employee.mkg_years: {10**30} melebihi batas {bounds.MKG_YEARS_MAX}")
    content = json.dumps(case(employee__mkg_years=1e30)).encode()
    refused(tmp_path, capsys, content, "employee.mkg_years: 1e+30 bukan bilangan bulat")


def test_tpp_pagu_1e20_is_refused(tmp_path, capsys):
    refused(tmp_path, capsys, json.dumps(case(employee__tpp_pagu=10**20)).encode(), "employee.tpp_pagu:")
    refused(tmp_path, capsys, json.dumps(case(employee__tpp_pagu=1e20)).encode(), "employee.tpp_pagu: 1e+20")


def test_deeply_nested_json_is_refused(tmp_path, capsys):
    refused(tmp_path, capsys, b"[" * 100_000 + b"]" * 100_000, "bersarang terlalu dalam")
    shallow_enough_to_parse = json.dumps(case(notes=[[[]]] * 1)).replace("[[[]]]", "[" * 200 + "]" * 200)
    refused(tmp_path, capsys, shallow_enough_to_parse.encode(), f"paling banyak {MAX_DEPTH} tingkat")


def test_capaian_999_is_refused_like_the_import():
    with pytest.raises(CaseError, match=r"performance.capaian_pct: '999' harus antara 0 dan 200 persen"):
        simulate(case(performance__capaian_pct="999"))
    simulate(case(performance__capaian_pct=str(bounds.CAPAIAN_PCT_MAX)))  # the import's upper bound is allowed
    for huge in ("1e30", "1e999999999", 10**30, "NaN", "-1"):
        with pytest.raises(CaseError, match="performance.capaian_pct"):
            simulate(case(performance__capaian_pct=huge))


def test_unknown_policy_key_is_refused():
    with pytest.raises(CaseError, match=r"policy: kunci tidak dikenal: 'tunjangan_anak_max_child' \(dikenal: "):
        simulate(case(policy__tunjangan_anak_max_child=3))


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        ({"employee__nama": "x"}, "employee"),
        ({"employee__jabatan__kelas": 7}, "employee.jabatan"),
        ({"employee__spouse__allowance": True}, "employee.spouse"),
        ({"performance__capaian": "90"}, "performance"),
    ],
)
def test_unknown_keys_where_the_spec_fixes_them_are_refused(edit, field):
    with pytest.raises(CaseError, match=rf"^{field}: kunci tidak dikenal"):
        simulate(case(**edit))


def test_the_case_document_may_carry_notes_and_optional_keys():
    """The top level is a document (name, expected, notes); optional keys of docs/payroll-engine.md pass."""
    out = simulate(case(hitungan="catatan", sumber={"x": 1}, policy__discipline_cut_max_pct="100", penghargaan=0))
    assert out == simulate(BASE_CASE)


def test_final_period_is_refused_as_not_supported_rather_than_computed_as_an_ordinary_month():
    with pytest.raises(Unsupported, match="employee.final_period"):
        simulate(case(employee__final_period=True))
    simulate(case(employee__final_period=False))


def test_bounds_are_the_imports_bounds():
    from pamong.payroll import inputs
    from pamong.people import records

    assert inputs.MAX_COUNT == bounds.DISCIPLINE_COUNT_MAX
    with pytest.raises(CaseError, match="discipline.TL1"):
        simulate(case(discipline={"TL1": bounds.DISCIPLINE_COUNT_MAX + 1}))
    with pytest.raises(CaseError, match="employee.mkg_years"):
        simulate(case(employee__mkg_years=bounds.MKG_YEARS_MAX + 1))
    assert records.MKG_YEARS_MAX == bounds.MKG_YEARS_MAX
    from pamong.api.schemas import EmployeeCreateIn

    mkg = EmployeeCreateIn.model_json_schema()["properties"]["mkg_years"]
    assert mkg["maximum"] == bounds.MKG_YEARS_MAX


def test_huge_file_is_refused_before_parsing(tmp_path):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case(name="x" * 2_000_000)))
    with pytest.raises(CaseError, match="berkas lebih besar"):
        load_case(path)


NASTY: list[Any] = [[], {}, None, "x", "", 10**30, -1, 1e30, True, "999", "\x00", "1e999999999", "NaN", 2**63, [[[]]]]


def _paths(obj: Any, prefix: tuple[Any, ...] = ()):
    items = obj.items() if isinstance(obj, dict) else enumerate(obj) if isinstance(obj, list) else []
    for k, v in items:
        yield (*prefix, k)
        yield from _paths(v, (*prefix, k))


@pytest.mark.parametrize("name", ["01-pns-iiib-k2-pelaksana.json", "04-pns-iiib-k2-december.json"])
def test_any_value_anywhere_is_a_result_or_a_case_error(name):
    """Every leaf and object of a golden case replaced by each hostile value: never another exception."""
    base = json.loads((GOLDEN / name).read_text())
    for path in _paths(base):
        if path[0] in ("expected", "name"):
            continue
        for value in NASTY:
            c = copy.deepcopy(base)
            target = c
            for k in path[:-1]:
                target = target[k]
            target[path[-1]] = value
            with contextlib.suppress(*ERRORS):
                simulate(c)


def test_simulate_file_still_reads_the_golden_cases():
    for path in sorted(GOLDEN.glob("*.json")):
        assert simulate_file(path)["gaji"]["bersih"] > 0


def test_explain_reads_the_file_the_same_way(tmp_path):
    from pamong.engine.explain import explain_file

    path = tmp_path / "case.json"
    path.write_bytes(json.dumps(BASE_CASE).encode("utf-16"))
    assert explain_file(path) == explain_file_utf8(tmp_path)
    path.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    with pytest.raises(CaseError, match="bersarang terlalu dalam"):
        explain_file(path)


def explain_file_utf8(tmp_path) -> str:
    from pamong.engine.explain import explain_file

    path = tmp_path / "utf8.json"
    path.write_text(json.dumps(BASE_CASE), encoding="utf-8")
    return explain_file(path)
