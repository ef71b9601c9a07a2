"""`pamong attendance recap CASE.json` (spec/attendance-recap.md): every public and own case gives exactly its
expected days and recap; a malformed case is a CaseError naming the field. The command is tested through its
Command object (the app is registered in INSTALLED_APPS by the lead, not on this branch)."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from pamong.attendance.engine.cases import CaseError, load_case, recap_case, recap_file
from pamong.attendance.management.commands.attendance import Command

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
SHARED = next((p for p in (ROOT.parent / "shared", Path("/work/shared")) if (p / "golden").is_dir()), None)
OWN = sorted((HERE / "cases").glob("*.json"))
PUBLIC = sorted((SHARED / "golden" / "attendance").glob("*.json")) if SHARED else []


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(Command(), *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("path", PUBLIC + OWN, ids=lambda p: p.name)
def test_case_gives_exactly_the_expected_days_and_recap(path: Path) -> None:
    case = json.loads(path.read_text())
    out = recap_file(path)
    assert out["rekap"] == case["expected"]["rekap"]
    assert list(out["rekap"]) == list(case["expected"]["rekap"])  # the spec's key order
    assert out["hari"] == case["expected"]["hari"]  # working days only: no holiday or weekend among the keys
    for key, value in out["rekap"].items():
        assert type(value) is int, key


def test_own_cases_beside_the_public_ones() -> None:
    assert len(OWN) >= 3
    if SHARED is None:
        pytest.skip("shared/golden is not beside the checkout")
    assert len(PUBLIC) >= 3


def test_the_command_prints_the_recap_as_indented_json() -> None:
    path = OWN[0]
    text = run("recap", str(path))
    assert text.startswith('{\n  "hari": {')
    assert json.loads(text) == recap_file(path)


def test_the_command_turns_a_malformed_case_into_one_command_error(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    path.write_text('{"bulan": "2026-13"}')
    with pytest.raises(CommandError, match="bulan"):
        run("recap", str(path))
    with pytest.raises(CommandError, match="tidak dapat dibaca"):
        run("recap", str(tmp_path / "nope.json"))
    path.write_text('{"bulan": ')
    with pytest.raises(CommandError, match="JSON tidak valid"):
        run("recap", str(path))


def base_case() -> dict[str, Any]:
    return {
        "bulan": "2026-11",
        "jadwal": {"1": ["07:30", "16:00"], "5": ["07:30", "16:30"]},
        "jadwal_khusus": [{"dari": "2026-11-09", "sampai": "2026-11-13", "jadwal": {"1": ["08:00", "15:00"]}}],
        "libur": ["2026-11-10"],
        "ketidakhadiran": [{"dari": "2026-11-16", "sampai": "2026-11-18", "jenis": "cuti_tahunan"}],
        "presensi": ["2026-11-02T07:29:58", "2026-11-02T16:01:12"],
        "kebijakan": {
            "tl": [[1, 30, "TL1"], [31, None, "TL2"]],
            "psw": [[1, 30, "PSW1"], [31, None, "PSW2"]],
            "tanpa_masuk": "TL2",
            "tanpa_pulang": "PSW2",
        },
    }


def with_change(path: str, value: Any) -> dict[str, Any]:
    case = base_case()
    *parents, last = path.split("/")
    node: Any = case
    for key in parents:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if value is KeyError:
        del node[last]
    elif isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return case


MALFORMED = [
    ("bulan", "2026-11-01", "bulan: '2026-11-01' bukan bulan YYYY-MM"),
    ("bulan", "2026-00", "bulan:"),
    ("bulan", 202611, "bulan:"),
    ("bulan", KeyError, "bulan: wajib diisi"),
    ("jadwal/1", ["7:30", "16:00"], "jadwal.1[0]: jam '7:30' tidak dapat dibaca"),
    ("jadwal/1", ["07:30", "24:00"], "jadwal.1[1]: jam '24:00'"),
    ("jadwal/1", ["07:30"], "jadwal.1: harus berupa [jam masuk, jam pulang]"),
    ("jadwal/8", ["07:30", "16:00"], "jadwal.8: hari harus"),
    ("jadwal", [], "jadwal: harus berupa objek"),
    ("jadwal_khusus/0/jadwal/1", ["08:00", "15:60"], "jadwal_khusus[0].jadwal.1[1]"),
    ("jadwal_khusus/0/dari", "2026-11-14", "jadwal_khusus[0].dari: 2026-11-14 sesudah sampai 2026-11-13"),
    ("jadwal_khusus/0/jadwal", KeyError, "jadwal_khusus[0].jadwal: wajib diisi"),
    ("libur/0", "2026-11-31", "libur[0]: tanggal '2026-11-31' tidak dapat dibaca"),
    ("libur", "2026-11-10", "libur: harus berupa daftar"),
    ("ketidakhadiran/0/dari", "2026-11-19", "ketidakhadiran[0].dari: 2026-11-19 sesudah sampai 2026-11-18"),
    ("ketidakhadiran/0/sampai", KeyError, "ketidakhadiran[0].sampai: wajib diisi"),
    ("ketidakhadiran/0/jenis", "", "ketidakhadiran[0].jenis: harus berupa teks"),
    ("ketidakhadiran/0/jenis", "TK", "ketidakhadiran[0].jenis: 'TK' adalah status hari"),
    ("ketidakhadiran/0", "cuti", "ketidakhadiran[0]: harus berupa objek"),
    ("presensi/1", "2026-11-02 16:01:12+07:00", "presensi[1]: '2026-11-02 16:01:12+07:00' bukan tanggal-jam"),
    ("presensi/1", "2026-11-02", "presensi[1]:"),
    ("presensi/1", "2026-11-02T25:00:00", "presensi[1]:"),
    ("presensi", KeyError, "presensi: wajib diisi"),
    ("presensi", "2026-11-02T07:29:58", "presensi: harus berupa daftar"),
    ("kebijakan/tl/1/0", 32, "kebijakan.tl[1]: batas bawah 32 harus 31 (tanpa celah atau tumpang tindih)"),
    ("kebijakan/tl/1/0", 30, "kebijakan.tl[1]: batas bawah 30 harus 31"),
    ("kebijakan/tl/0/0", 0, "kebijakan.tl[0]: batas bawah 0 harus mulai dari 1"),
    ("kebijakan/tl/0/1", None, "kebijakan.tl[1]: baris sesudah rentang tanpa batas atas"),
    ("kebijakan/tl/0/1", 0, "kebijakan.tl[0]: batas atas 0 lebih kecil dari batas bawah 1"),
    ("kebijakan/tl/0/1", 30.5, "kebijakan.tl[0]: batas atas harus bilangan bulat"),
    ("kebijakan/tl/0/2", "TL2", "kebijakan.tl[1]: nama rentang 'TL2' sudah dipakai"),
    ("kebijakan/psw/0/2", "TL1", "kebijakan.psw: nama rentang 'TL1' sudah dipakai di tl"),
    ("kebijakan/psw/0/2", "TK", "kebijakan.psw: nama rentang 'TK' sudah dipakai kolom rekap lain"),
    ("kebijakan/psw", [], "kebijakan.psw: harus berupa daftar"),
    ("kebijakan/psw/0", [1, 30], "kebijakan.psw[0]: harus berupa [dari, sampai, nama]"),
    ("kebijakan/tanpa_masuk", "PSW2", "kebijakan.tanpa_masuk: 'PSW2' bukan salah satu rentang TL1, TL2"),
    ("kebijakan/tanpa_pulang", KeyError, "kebijakan.tanpa_pulang: wajib diisi"),
]


@pytest.mark.parametrize(("path", "value", "message"), MALFORMED, ids=[f"{p}={v!r}" for p, v, _ in MALFORMED])
def test_malformed_case_names_the_field(path: str, value: Any, message: str) -> None:
    with pytest.raises(CaseError) as info:
        recap_case(with_change(path, value))
    assert message in str(info.value)


def test_base_case_is_well_formed() -> None:
    out = recap_case(base_case())
    assert out["hari"]["2026-11-02"]["masuk"] == "07:29:58"
    assert "2026-11-10" not in out["hari"]  # a holiday
    assert out["hari"]["2026-11-09"]["status"] == "TK"  # the special period's Monday
    assert out["hari"]["2026-11-16"]["status"] == "cuti_tahunan"


def test_a_case_that_is_not_an_object_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CaseError, match="kasus: harus berupa objek JSON"):
        recap_case([])
    path = tmp_path / "c.json"
    path.write_bytes(b"\xff\xfe\x00{")
    with pytest.raises(CaseError):
        load_case(path)


def test_optional_parts_may_be_left_out_or_null() -> None:
    case = base_case()
    for key in ("jadwal_khusus", "libur", "ketidakhadiran"):
        del case[key]
    case["name"] = None
    out = recap_case(case)
    assert out["rekap"]["hari_kerja"] == 9  # the 5 Mondays and 4 Fridays of November 2026
    case2 = copy.deepcopy(case)
    case2["libur"] = None
    assert recap_case(case2) == out


def test_punch_fractions_of_a_second_are_dropped_and_seconds_may_be_left_out() -> None:
    case = base_case()
    case["presensi"] = ["2026-11-02T07:30:59.900", "2026-11-02 16:00"]
    day = recap_case(case)["hari"]["2026-11-02"]
    assert (day["masuk"], day["pulang"], day["terlambat_menit"], day["tl"]) == ("07:30:59", "16:00:00", 0, None)
