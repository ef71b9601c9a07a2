import io
import json
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pamong.engine.explain import (
    LABELS,
    MINUS,
    explain,
    explain_file,
    fmt_param,
    fmt_value,
    humanise,
    main,
    percent,
    rupiah,
    tanggal,
)
from pamong.engine.simulate import simulate
from tests.engine.conftest import GOLDEN, load

CASE_04 = GOLDEN / "04-pns-iiib-k2-december.json"
ENTRY = re.compile(r"^\d+\. (?P<label>.+) \[(?P<code>[\w.]+)\] = (?P<amount>\S+)")


def entries(text: str) -> list[re.Match[str]]:
    return [m for line in text.splitlines() if (m := ENTRY.match(line))]


def block(text: str, code: str) -> str:
    """The entry for `code`: its head line and indented detail lines, whitespace collapsed (titles may wrap)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if f"[{code}] = " in line)
    end = next((i for i in range(start + 1, len(lines)) if not lines[i].startswith(" ")), len(lines))
    return " ".join(" ".join(lines[start:end]).split())


@pytest.fixture
def out(case: dict[str, Any]) -> dict[str, Any]:
    return simulate(case, trace=True)


@pytest.fixture
def text(out: dict[str, Any], case: dict[str, Any]) -> str:
    return explain(out, case)


def test_golden_01_key_figures_in_indonesian(text: str, out: dict[str, Any]):
    assert text.startswith("Penjelasan perhitungan gaji dan TPP\nKasus   : PNS III/b MKG 8")
    assert "Periode : November 2025" in text
    assert "Pegawai : PNS, golongan III/b, masa kerja golongan 8 tahun, pelaksana" in text
    assert "1. Gaji pokok [gaji.gaji_pokok] = Rp3.287.000" in text

    taspen = block(text, "gaji.iuran_taspen")
    assert taspen.startswith("8. Iuran Taspen (pensiun + THT) [gaji.iuran_taspen] = Rp299.774")
    assert "iuran/taspen = 8%, berlaku sejak 1 Januari 2024" in taspen
    title = out["trace"]["gaji.iuran_taspen"]["params"][0]["reference"][0]["title"]
    assert title.startswith("PP 25/1981") and title in taspen

    pph = block(text, "tpp.pph21")
    assert "PPh 21 atas TPP [tpp.pph21] = Rp75.057" in pph
    assert "pph21/ter_bulanan = 1%, berlaku sejak 1 Januari 2024" in pph
    assert "pph21/ter_kategori = B" in pph
    assert "kebijakan.pph21_tpp_method = marginal, dari kasus" in pph
    assert "Dibayar           : Rp3.882.800" in text
    assert "Dibayar           : Rp2.871.183" in text


def test_inputs_and_params_are_formatted_by_kind(text: str):
    assert "status kepegawaian PNS; golongan III/b; masa kerja golongan 8 tahun" in block(text, "gaji.gaji_pokok")
    assert "tunjangan suami/istri dibayar di sini ya" in block(text, "gaji.tunjangan_istri_suami")
    assert "tunjangan/istri_suami = 10%" in block(text, "gaji.tunjangan_istri_suami")
    assert "jenis jabatan pelaksana" in block(text, "gaji.tunjangan_umum")
    assert "capaian kinerja 100%" in block(text, "tpp.tpp_kinerja")
    disiplin = block(text, "tpp.tpp_disiplin")
    assert "potongan disiplin 2%" in disiplin
    assert "kebijakan.tpp_weight_disiplin_bp = 40%, dari kasus" in disiplin
    assert "TL1 0,5%, TL2 1%, TL3 1,25%" in disiplin
    bpjs = block(text, "gaji.iuran_bpjs_kesehatan")
    # the rate and the cap share a parameter name: 1 % is a rate, Rp12.000.000 is money
    assert "iuran/bpjs_kesehatan = 1%" in bpjs and "iuran/bpjs_kesehatan = Rp12.000.000" in bpjs
    assert "iuran/jkk = 0,24%" in block(text, "pemberi_kerja.jkk")


def test_every_trace_code_is_one_labelled_entry(text: str, out: dict[str, Any]):
    found = entries(text)
    codes = [m["code"] for m in found]
    assert len(codes) == len(out["trace"]) and set(codes) == set(out["trace"])
    for m in found:
        assert m["label"].strip() and m["amount"] == rupiah(out["trace"][m["code"]]["result"])
        if m["code"] in LABELS:
            assert m["label"] == LABELS[m["code"]]


def test_sections_in_order_with_totals(text: str, out: dict[str, Any]):
    titles = ["Slip gaji", "Slip TPP", "Ditanggung pemberi kerja (tidak dipotong dari gaji)"]
    positions = [text.index(f"\n{t}\n") for t in titles]
    assert positions == sorted(positions)
    gaji = text[positions[0] : positions[1]]
    assert f"Penghasilan kotor : {rupiah(out['gaji']['bruto'])}" in gaji
    assert f"Jumlah potongan   : {rupiah(out['gaji']['potongan'])}" in gaji
    employer = text[positions[2] :]
    assert f"Jumlah ditanggung pemberi kerja : {rupiah(sum(out['pemberi_kerja'].values()))}" in employer
    # a line computed only to reach another (not on the slip) says so
    assert "(perhitungan antara, tidak tercetak di slip)" in block(text, "gaji.bruto_pph21")
    assert "perhitungan antara" not in block(text, "gaji.gaji_pokok")


@pytest.mark.skipif(not CASE_04.exists(), reason="golden cases not present")
def test_december_refund_has_a_minus_sign():
    text = explain_file(CASE_04)
    want = load(CASE_04)["expected"]["tpp"]["lines"]["pph21"]
    assert want < 0
    pph = block(text, "tpp.pph21")
    assert f"[tpp.pph21] = {MINUS}Rp{-want:,}".replace(",", ".") in pph
    assert "lebih bayar, dikembalikan kepada pegawai" in pph
    assert "Periode : Desember 2025" in text
    assert "pph21/pasal17 = sampai Rp60.000.000, tarif 5%" in block(text, "tpp.pph21_setahun")


def test_unknown_codes_and_prefixes_render_generically(out: dict[str, Any]):
    out["trace"]["thr.tunjangan_jabatan_fungsional"] = {
        "result": 540000,
        "inputs": {"hari_kerja_efektif": 22, "persen_thr_bp": 125, "ikut_dibayar": False, "status": 1},
        "params": [{"name": "thr/besaran_bp", "value": 5, "since": None, "source": "kasus", "reference": []}],
    }
    out["thr"] = {"lines": {"tunjangan_jabatan_fungsional": 540000}, "bruto": 540000, "potongan": 0, "bersih": 540000}
    out["trace"]["rapel.pph21_kurang_bayar"] = {"result": 1200, "inputs": {}, "params": []}
    text = explain(out)
    assert "1. Tunjangan jabatan fungsional [thr.tunjangan_jabatan_fungsional] = Rp540.000" in text
    thr = block(text, "thr.tunjangan_jabatan_fungsional")
    assert "hari kerja efektif Rp22" in thr  # an unknown whole number is taken as money
    assert "persen THR 1,25%" in thr and "ikut dibayar tidak" in thr and "status kepegawaian CPNS" in thr
    assert "thr/besaran_bp = 0,05%, dari kasus" in thr
    assert "1. PPh 21 kurang bayar [rapel.pph21_kurang_bayar] = Rp1.200" in text
    titles = ("Slip TPP", "Slip THR", "Slip rapel", "Ditanggung pemberi kerja (tidak dipotong dari gaji)")
    order = [text.index(f"\n{t}\n") for t in titles]
    assert order == sorted(order)
    assert "Dibayar           : Rp540.000" in text[order[1] : order[2]]
    assert len(entries(text)) == len(out["trace"])


def test_output_is_deterministic_and_lines_are_short(out: dict[str, Any], case: dict[str, Any]):
    text = explain(out, case)
    assert text == explain(simulate(case, trace=True), case)
    # only an unbreakable link may make a line longer than 120
    assert all(len(line) <= 120 for line in text.splitlines() if "http" not in line)


def test_explain_needs_a_trace(case: dict[str, Any]):
    with pytest.raises(ValueError, match="trace"):
        explain(simulate(case))


@pytest.mark.parametrize(
    ("bp", "want"), [(800, "8%"), (125, "1,25%"), (5, "0,05%"), (50, "0,5%"), (0, "0%"), (10000, "100%")]
)
def test_percent(bp: int, want: str):
    assert percent(bp) == want


@pytest.mark.parametrize(
    ("amount", "want"),
    [(3287000, "Rp3.287.000"), (0, "Rp0"), (999, "Rp999"), (1000, "Rp1.000"), (-102227, "\u2212Rp102.227")],
)
def test_rupiah(amount: int, want: str):
    assert rupiah(amount) == want


def test_small_formatters():
    assert tanggal("2024-01-01") == "1 Januari 2024" and tanggal("2020-12-31") == "31 Desember 2020"
    assert humanise("gaji.tunjangan_jabatan_fungsional") == "Tunjangan jabatan fungsional"
    assert humanise("tpp.pph21_setahun") == "PPh 21 setahun"
    assert fmt_value("jabatan", 2) == "fungsional" and fmt_value("status", 2) == "PPPK"
    assert fmt_value("spouse_here", True) == "ya" and fmt_value("eselon", "") == "—"
    param = {"name": "iuran/jkm", "value": 72, "since": "2024-01-01", "source": "sawahlunto", "reference": []}
    assert fmt_param(param) == "iuran/jkm = 0,72%, berlaku sejak 1 Januari 2024 (daerah: sawahlunto)"


def write_case(tmp_path, case: dict[str, Any]) -> str:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case), encoding="utf-8")
    return str(path)


def test_management_command_explain(tmp_path, case: dict[str, Any]):
    buf = io.StringIO()
    call_command("payroll", "explain", write_case(tmp_path, case), stdout=buf)
    assert buf.getvalue() == explain_file(tmp_path / "case.json")
    assert "[gaji.gaji_pokok] = Rp3.287.000" in buf.getvalue()


def test_management_command_explain_malformed_case(tmp_path, case: dict[str, Any]):
    case["period"] = "2025-13"
    with pytest.raises(CommandError, match="period: '2025-13' bukan bulan YYYY-MM"):
        call_command("payroll", "explain", write_case(tmp_path, case), stdout=io.StringIO())


def test_module_main(tmp_path, case: dict[str, Any], capsys):
    path = write_case(tmp_path, case)
    assert main([path]) == 0
    assert "Dibayar           : Rp3.882.800" in capsys.readouterr().out
    case["period"] = "November"
    assert main([write_case(tmp_path, case)]) == 2
    assert capsys.readouterr().err.startswith("galat: period:")
