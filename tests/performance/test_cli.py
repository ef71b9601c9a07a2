"""`pamong performance predikat|calibrate CASE.json`: every public and own case matches its "expected" part (the
comparison of shared/tools/check-cases); a malformed or unreadable case is one message, a non-zero exit and no
traceback."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
SHARED = next((p for p in (ROOT.parent / "shared", Path("/work/shared")) if (p / "golden").is_dir()), None)
MISSING = object()


def cases(kind: str) -> list[Path]:
    own = sorted((HERE / "cases" / kind).glob("*.json"))
    public = sorted((SHARED / "golden" / kind).glob("*.json")) if SHARED else []
    return public + own


def diffs(want: Any, got: Any, tol: float, path: str = ""):
    """Like check-cases: every expected leaf must equal the output's value at the same path."""
    if isinstance(want, dict):
        if not isinstance(got, dict):
            yield path or "(top)", want, got
            return
        for key, w in want.items():
            yield from diffs(w, got.get(key, MISSING), tol, f"{path}.{key}" if path else key)
    elif isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            yield path, want, got
            return
        for i, (w, g) in enumerate(zip(want, got, strict=True)):
            yield from diffs(w, g, tol, f"{path}[{i}]")
    elif isinstance(want, bool) or want is None or isinstance(want, str):
        if got is MISSING or got != want or type(got) is not type(want):
            yield path, want, got
    elif isinstance(want, (int, float)) and (
        isinstance(got, bool) or not isinstance(got, (int, float)) or abs(got - want) > tol
    ):
        yield path, want, got


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("performance", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("action", "path"),
    [("predikat", p) for p in cases("predikat")] + [("calibrate", p) for p in cases("calibration")],
    ids=lambda v: v.name if isinstance(v, Path) else v,
)
def test_case_matches_expected(action: str, path: Path) -> None:
    case = json.loads(path.read_text())
    out = json.loads(run(action, str(path)))
    found = list(diffs(case["expected"], out, float(case.get("tolerance", 0))))
    assert not found, "\n".join(f"{where}: expected {want!r}, got {got!r}" for where, want, got in found)


def test_there_are_own_cases_beside_the_public_ones() -> None:
    assert len(list((HERE / "cases" / "predikat").glob("*.json"))) >= 3
    assert len(list((HERE / "cases" / "calibration").glob("*.json"))) >= 2
    if SHARED is None:
        pytest.skip("shared/golden is not beside the checkout")
    assert len(cases("predikat")) >= 6 and len(cases("calibration")) >= 6


def test_output_is_indented_utf8_json(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text(
        json.dumps({"organisasi": "baik", "pegawai": [{"id": "1", "hasil": "sesuai", "perilaku": "sesuai"}]})
    )
    text = run("predikat", str(path))
    assert text.startswith('{\n  "pegawai": {\n    "1": "baik"')
    assert "Pegawai berpredikat Baik paling banyak 70%" in text  # the explanations of the codes are printed too
    path.write_text(json.dumps({"penilaian": [{"penilai": "Bu Ñoman", "dinilai": "Ayu", "nilai": 70}]}))
    assert '"Bu Ñoman": {' in run("calibrate", str(path))  # not escaped


MALFORMED = [
    ("predikat", '{"organisasi": "baik", "pegawai": []}', "pegawai: daftar kosong"),
    ("predikat", '{"organisasi": "baik", "pegawai": [{"id": "1", "hasil": "bagus", "perilaku": "sesuai"}]}',
     "pegawai[0].hasil: 'bagus' bukan nilai yang dikenal"),
    ("calibrate", '{"penilaian": [{"penilai": "A", "dinilai": "P", "nilai": 101}]}',
     "penilaian[0].nilai: 101 di luar rentang 0..100"),
    ("calibrate", '{"penilaian": [{"penilai": "A", "dinilai": "P", "nilai": 1}, {"penilai": "A", "dinilai": "P", '
     '"nilai": 2}]}', "penilaian[1]: penilai 'A' sudah menilai 'P'"),
    ("calibrate", '{"penilaian": [', "JSON tidak valid"),
    ("calibrate", "[]", "kasus: harus berupa objek JSON"),
]  # fmt: skip


@pytest.mark.parametrize(("action", "text", "message"), MALFORMED)
def test_malformed_case_is_a_command_error(tmp_path: Path, action: str, text: str, message: str) -> None:
    path = tmp_path / "c.json"
    path.write_text(text)
    with pytest.raises(CommandError) as info:
        run(action, str(path))
    assert message in str(info.value)


def test_unreadable_file_is_a_command_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="tidak dapat dibaca"):
        run("calibrate", str(tmp_path / "nope.json"))


@pytest.mark.parametrize(("action", "text", "message"), [MALFORMED[1], MALFORMED[3], MALFORMED[4]])
def test_the_real_command_exits_non_zero_without_traceback(tmp_path: Path, action: str, text: str, message: str):
    path = tmp_path / "c.json"
    path.write_text(text)
    env = {**os.environ, "PAMONG_ENV": os.environ.get("PAMONG_ENV", "test")}
    p = subprocess.run(
        [sys.executable, "-m", "pamong.cli", "performance", action, str(path)],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert p.returncode != 0
    assert p.stdout == ""
    assert message in p.stderr and "Traceback" not in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1
