"""`payroll explain CASE.json`: the trace of one simulated month as readable Indonesian text — every line with its
inputs, the dated parameters used and their legal references, then the slip totals. Also runnable without Django:
`python -m pamong.engine.explain CASE.json`.

The text is built only from the simulate output (with trace), so whatever the engine computes is what is explained;
a trace code or input name without a label here is still shown, with a label made from its name.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path
from typing import Any

from pamong.engine.simulate import ERRORS, Pack, add_pack_arguments, load_case, pack_from, simulate

WIDTH = 120
BP = 10_000  # basis points in 100 %
MINUS = "\u2212"  # a true minus sign, so a refund does not read as a hyphen

LABELS: dict[str, str] = {
    "gaji.gaji_pokok": "Gaji pokok",
    "gaji.tunjangan_istri_suami": "Tunjangan suami/istri",
    "gaji.tunjangan_anak": "Tunjangan anak",
    "gaji.tunjangan_umum": "Tunjangan umum",
    "gaji.tunjangan_jabatan_struktural": "Tunjangan jabatan struktural",
    "gaji.tunjangan_jabatan_fungsional": "Tunjangan jabatan fungsional",
    "gaji.tunjangan_beras": "Tunjangan beras",
    "gaji.iuran_taspen": "Iuran Taspen (pensiun + THT)",
    "gaji.iuran_bpjs_kesehatan": "Iuran BPJS Kesehatan bagian pegawai",
    "gaji.bpjs_kesehatan_pemberi_kerja": "Iuran BPJS Kesehatan bagian pemberi kerja atas gaji",
    "gaji.bruto_pph21": "Penghasilan bruto gaji untuk PPh 21",
    "gaji.bruto_pph21_setahun": "Penghasilan bruto gaji setahun",
    "gaji.iuran_pensiun_setahun": "Iuran pensiun setahun",
    "gaji.biaya_jabatan_setahun": "Biaya jabatan setahun",
    "gaji.ptkp_setahun": "PTKP setahun",
    "gaji.pkp_setahun": "Penghasilan kena pajak setahun (gaji)",
    "gaji.pph21_setahun": "PPh 21 setahun atas gaji (Pasal 17)",
    "gaji.pph21": "PPh 21 atas gaji",
    "gaji.tunjangan_pph": "Tunjangan PPh (pajak gaji ditanggung pemerintah)",
    "gaji.pembulatan": "Pembulatan ke Rp100 di atas",
    "tpp.tpp_kinerja": "TPP kinerja",
    "tpp.tpp_disiplin": "TPP disiplin",
    "tpp.potongan_hukuman_disiplin": "Potongan TPP karena hukuman disiplin",
    "tpp.bruto_pph21_tanpa_tunjangan_pph": "Penghasilan bruto gaji + TPP untuk PPh 21, sebelum tunjangan PPh",
    "tpp.tunjangan_pph": "Tunjangan PPh atas TPP (pajak TPP ditanggung pemerintah)",
    "tpp.iuran_bpjs_kesehatan": "Iuran BPJS Kesehatan bagian pegawai atas TPP",
    "tpp.bpjs_kesehatan_pemberi_kerja": "Iuran BPJS Kesehatan bagian pemberi kerja atas TPP",
    "tpp.bruto_pph21_total": "Penghasilan bruto gaji + TPP untuk PPh 21",
    "tpp.bruto_pph21_setahun": "Penghasilan bruto gaji + TPP setahun",
    "tpp.biaya_jabatan_setahun": "Biaya jabatan setahun (gaji + TPP)",
    "tpp.ptkp_setahun": "PTKP setahun",
    "tpp.pkp_setahun": "Penghasilan kena pajak setahun (gaji + TPP)",
    "tpp.pph21_setahun": "PPh 21 setahun atas gaji + TPP (Pasal 17)",
    "tpp.pph21": "PPh 21 atas TPP",
    "pemberi_kerja.bpjs_kesehatan": "Iuran BPJS Kesehatan bagian pemberi kerja (gaji + TPP)",
    "pemberi_kerja.jkk": "Jaminan Kecelakaan Kerja (JKK)",
    "pemberi_kerja.jkm": "Jaminan Kematian (JKM)",
}

INPUT_LABELS: dict[str, str] = {
    "status": "status kepegawaian",
    "golongan": "golongan",
    "mkg_years": "masa kerja golongan",
    "gaji_pokok": "gaji pokok",
    "spouse_here": "tunjangan suami/istri dibayar di sini",
    "children_eligible": "anak yang memenuhi syarat",
    "children_paid": "anak yang dibayar",
    "jabatan": "jenis jabatan",
    "eselon": "eselon",
    "tunjangan_fungsional": "tunjangan fungsional",
    "jiwa": "jiwa yang ditanggung",
    "dasar": "dasar iuran",
    "dasar_gaji": "dasar iuran dari gaji",
    "tpp_bruto": "TPP kotor",
    "penghasilan": "penghasilan gaji",
    "premi_pemberi_kerja": "premi yang dibayar pemberi kerja",
    "bruto_pph21": "bruto PPh 21",
    "bruto_pph21_gaji": "bruto PPh 21 gaji",
    "bruto_pph21_total": "bruto PPh 21 gaji + TPP",
    "ptkp": "status PTKP",
    "pph21": "PPh 21",
    "pph21_total": "PPh 21 atas gaji + TPP",
    "pph21_gaji": "PPh 21 atas gaji",
    "tunjangan_pph": "tunjangan PPh",
    "tpp_setelah_potongan_disiplin": "TPP setelah potongan disiplin",
    "bersih_sebelum_pembulatan": "bersih sebelum pembulatan",
    "tpp_pagu": "pagu TPP",
    "bagian_kinerja": "bagian kinerja dari pagu",
    "capaian_bp": "capaian kinerja",
    "bagian_disiplin": "bagian disiplin dari pagu",
    "potongan_bp": "potongan disiplin",
    "gaji": "dari gaji",
    "tpp": "dari TPP",
    "bulan": "bulan",
    "batas": "batas",
    "pkp_setahun": "PKP setahun",
    "ytd_bruto_gaji": "bruto gaji Januari–November",
    "ytd_bruto_total": "bruto gaji + TPP Januari–November",
    "ytd_iuran_pensiun": "iuran pensiun Januari–November",
    "ytd_pph21_gaji_withheld": "PPh 21 gaji dipotong Januari–November",
    "ytd_pph21_tpp_withheld": "PPh 21 TPP dipotong Januari–November",
    "pph21_setahun": "PPh 21 setahun",
    "pph21_setahun_total": "PPh 21 setahun atas gaji + TPP",
    "pph21_setahun_gaji": "PPh 21 setahun atas gaji",
    "neto_setahun": "neto setahun",
    "bruto_setahun": "bruto setahun",
}

SECTION_TITLES: dict[str, str] = {
    "gaji": "Slip gaji",
    "tpp": "Slip TPP",
    "thr": "Slip THR",
    "gaji13": "Slip gaji ke-13",
    "rapel": "Slip rapel",
    "pemberi_kerja": "Ditanggung pemberi kerja (tidak dipotong dari gaji)",
}
TOTALS = (("bruto", "Penghasilan kotor"), ("potongan", "Jumlah potongan"), ("bersih", "Dibayar"))

# Rate parameters stored in basis points although their name does not end in `_bp`.
BP_PARAMS = frozenset(
    {
        "iuran/taspen",
        "iuran/jkk",
        "iuran/jkm",
        "iuran/bpjs_kesehatan",
        "pph21/ter_bulanan",
        "gaji/cpns_persen",
        "tunjangan/istri_suami",
        "tunjangan/anak",
    }
)
BP_KEYS = frozenset({"tarif"})  # keys inside a dict-valued parameter that hold a rate (pph21/biaya_jabatan)
# Whole numbers that are neither money nor rates, with the unit they are counted in.
COUNT_UNITS: dict[str, str] = {
    "mkg_years": "tahun",
    "children_eligible": "anak",
    "children_paid": "anak",
    "jiwa": "jiwa",
    "bulan": "bulan",
    "months": "bulan",
    "tunjangan_anak_max_children": "anak",
    "max_children_paid": "anak",
    "max_dependants": "orang",
}
# A parameter file's unit (rules/params.py UNITS) decides how its value reads; the count units in words.
UNIT_WORDS: dict[str, str] = {
    "years": "tahun",
    "months": "bulan",
    "days": "hari",
    "minutes": "menit",
    "persons": "orang",
    "kg": "kg",
}
CODES = {"status": ("PNS", "CPNS", "PPPK"), "jabatan": ("pelaksana", "struktural", "fungsional")}
WORDS = {
    "pph21": "PPh 21",
    "pph": "PPh",
    "tpp": "TPP",
    "thr": "THR",
    "bpjs": "BPJS",
    "jkk": "JKK",
    "jkm": "JKM",
    "ptkp": "PTKP",
    "pkp": "PKP",
    "ytd": "s.d. bulan lalu",
    "withheld": "dipotong",
    "desember": "Desember",
    "max": "maks",
    "dependants": "tanggungan",
    "gaji13": "gaji ke-13",
    "upto": "sampai",
    "rate_bp": "tarif",
}
MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def rupiah(amount: int) -> str:
    """3287000 → "Rp3.287.000", -102227 → "−Rp102.227" (Indonesian thousands separator)."""
    text = f"Rp{abs(amount):,}".replace(",", ".")
    return MINUS + text if amount < 0 else text


def percent(bp: int) -> str:
    """Basis points as an Indonesian percentage: 800 → "8%", 125 → "1,25%", 5 → "0,05%"."""
    whole, frac = divmod(abs(bp), 100)
    text = f"{whole}" + (f",{frac:02d}".rstrip("0") if frac else "")
    return (MINUS if bp < 0 else "") + text + "%"


def tanggal(iso: str) -> str:
    """An ISO date in Indonesian: "2024-01-01" → "1 Januari 2024"."""
    year, month, day = (int(x) for x in iso.split("-"))
    return f"{day} {MONTHS[month - 1]} {year}"


def _words(name: str) -> str:
    """The last part of a code or name as words, acronyms spelled out; a trailing `bp` is dropped because the value
    is then shown as a percentage."""
    words = [w for w in name.rsplit(".", 1)[-1].split("_") if w]
    if len(words) > 1 and words[-1] == "bp":
        words.pop()
    return " ".join(WORDS.get(w, w) for w in words) or name


def humanise(name: str) -> str:
    """A label for a name without one: "tunjangan_jabatan_fungsional" → "Tunjangan jabatan fungsional",
    "gaji.pph21_setahun" → "PPh 21 setahun"."""
    text = _words(name)
    return text[:1].upper() + text[1:]


def label(code: str) -> str:
    return LABELS.get(code) or humanise(code)


def input_label(name: str) -> str:
    return INPUT_LABELS.get(name) or _words(name)


def _last(name: str) -> str:
    return name.replace("/", ".").rsplit(".", 1)[-1]


def _key(name: str) -> str:
    """A key inside a dict-valued parameter, kept close to the rule file ("TL1", "maks per tahun")."""
    return WORDS.get(name) or name.replace("_", " ")


def _is_bp(name: str) -> bool:
    last = _last(name)
    return last.endswith("_bp") or last in BP_KEYS or name.startswith("kebijakan.tpp_weight_")


def fmt_value(name: str, value: Any, bp: bool = False, unit: str | dict[str, str] | None = None) -> str:
    """One value by its parameter file's `unit` when known (a rate, money, a count, a code, a flag), else by what its
    name says it holds; money by default. A per-key unit mapping formats each key of a dict value by its own unit."""
    leaf = unit if isinstance(unit, str) else (unit or {}).get(_last(name)) if isinstance(unit, dict) else None
    if leaf is not None and not isinstance(value, dict | list):
        return _by_unit(name, value, leaf)
    bp = bp or _is_bp(name)
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if value is None:
        return "tanpa batas"
    if isinstance(value, dict):
        keyed = unit if isinstance(unit, dict) else None
        return ", ".join(f"{_key(k)} {fmt_value(k, v, bp, keyed or leaf)}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(fmt_value(name, v, bp, unit) for v in value)
    if isinstance(value, str):
        return value or "—"
    if not isinstance(value, int):
        return str(value)
    if bp:
        return percent(value)
    if name in CODES and 0 <= value < len(CODES[name]):
        return CODES[name][value]
    if _last(name) in COUNT_UNITS:
        return f"{value} {COUNT_UNITS[_last(name)]}"
    return rupiah(value)


def _by_unit(name: str, value: Any, unit: str) -> str:
    if value is None:
        return "tanpa batas"
    if isinstance(value, bool) or unit == "boolean":
        return "ya" if value else "tidak"
    if not isinstance(value, int) or unit == "code":
        return str(value) if value != "" else "—"
    if unit == "basis_points":
        return percent(value)
    if unit in UNIT_WORDS:
        return f"{value} {COUNT_UNITS.get(_last(name)) or UNIT_WORDS[unit]}"
    return rupiah(value)


def param_value(p: dict[str, Any]) -> str:
    """A traced parameter's value: by the unit its file declares; a known rate parameter that also carries its cap
    under the same name (BPJS: 1 % up to Rp12.000.000) reads as a rate only when the value can be one."""
    name, value, unit = p["name"], p.get("value"), p.get("unit")
    if isinstance(unit, dict) and not isinstance(value, dict | list) and _last(name) not in unit:
        unit = None  # one leaf of a mapping whose key the name does not say: judge by name and size
    rate = name in BP_PARAMS and isinstance(value, int) and not isinstance(value, bool) and abs(value) <= BP
    if unit is None or unit == "basis_points":
        return fmt_value(name, value, rate or unit == "basis_points")
    return fmt_value(name, value, False, unit)


def fmt_param(p: dict[str, Any]) -> str:
    text = f"{p['name']} = {param_value(p)}"
    since = p.get("since")
    text += f", berlaku sejak {tanggal(since)}" if since else ", dari kasus"
    source = p.get("source")
    if source and source not in ("nasional", "kasus"):
        text += f" (daerah: {source})"
    return text


def _wrap(text: str, indent: str, rest: str | None = None) -> list[str]:
    # URLs and long titles are never split mid-word, so a link stays clickable even if it makes a long line
    return textwrap.wrap(
        text,
        WIDTH,
        initial_indent=indent,
        subsequent_indent=rest if rest is not None else indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _reference(ref: dict[str, str]) -> str:
    href = ref.get("href")
    return f"{ref.get('title', '')} ({href})" if href else ref.get("title", "")


def _entry(n: int, code: str, line: dict[str, Any], on_slip: bool) -> list[str]:
    result = line.get("result", 0)
    head = f"{n}. {label(code)} [{code}] = {rupiah(result)}"
    if result < 0 and code.endswith(".pph21"):
        head += " (lebih bayar, dikembalikan kepada pegawai)"
    out = [head]
    if not on_slip:
        out.append("   (perhitungan antara, tidak tercetak di slip)")
    inputs = "; ".join(f"{input_label(k)} {fmt_value(k, v)}" for k, v in line.get("inputs", {}).items())
    if inputs:
        out += _wrap("Data: " + inputs, "   ", "         ")
    previous: list[dict[str, str]] | None = None
    for p in line.get("params", []):
        out += _wrap("Parameter: " + fmt_param(p), "   ", "              ")
        refs = p.get("reference") or []
        if refs and refs == previous:
            out.append("     - dasar hukum sama dengan di atas")
        else:
            for ref in refs:
                out += _wrap("- " + _reference(ref), "     ", "       ")
        previous = refs
    return out


def _slip_codes(out: dict[str, Any], prefix: str) -> set[str] | None:
    """The line codes printed on the slip, or None when the output says nothing about this prefix."""
    slip = out.get(prefix)
    if not isinstance(slip, dict):
        return None
    lines = slip.get("lines", slip)
    return set(lines) if isinstance(lines, dict) else None


def _totals(out: dict[str, Any], prefix: str) -> list[str]:
    slip = out.get(prefix)
    if not isinstance(slip, dict):
        return []
    rows = [(title, slip[key]) for key, title in TOTALS if isinstance(slip.get(key), int)]
    if not rows and prefix == "pemberi_kerja" and all(isinstance(v, int) for v in slip.values()):
        rows = [("Jumlah ditanggung pemberi kerja", sum(slip.values()))]
    width = max((len(title) for title, _ in rows), default=0)
    return [f"{title.ljust(width)} : {rupiah(amount)}" for title, amount in rows]


def _sections(trace: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """Trace codes grouped by prefix: gaji, TPP, any other slip in order of first appearance, employer last."""
    groups: dict[str, list[str]] = {}
    for code in trace:
        groups.setdefault(code.split(".", 1)[0], []).append(code)
    rank = {"gaji": 0, "tpp": 1, "pemberi_kerja": 3}
    order = sorted(groups, key=lambda prefix: rank.get(prefix, 2))  # stable: other slips keep their order
    return [(prefix, groups[prefix]) for prefix in order]


def _section(out: dict[str, Any], prefix: str, codes: list[str]) -> list[str]:
    title = SECTION_TITLES.get(prefix) or "Slip " + humanise(prefix).lower()
    lines = [title, "=" * len(title)]
    on_slip = _slip_codes(out, prefix)
    for n, code in enumerate(codes, 1):
        suffix = code.split(".", 1)[1] if "." in code else code
        lines += _entry(n, code, out["trace"][code], on_slip is None or suffix in on_slip)
    totals = _totals(out, prefix)
    if totals:
        lines += ["-" * max(len(t) for t in totals), *totals]
    return lines


def _first_input(trace: dict[str, Any], name: str) -> Any:
    return next((line["inputs"][name] for line in trace.values() if name in line.get("inputs", {})), None)


def _header(trace: dict[str, Any], case: dict[str, Any] | None) -> list[str]:
    lines = ["Penjelasan perhitungan gaji dan TPP"]
    case = case or {}
    if isinstance(case.get("name"), str):
        lines += _wrap("Kasus   : " + case["name"], "", "          ")
    period = case.get("period")
    if isinstance(period, str) and len(period) == 7:
        lines.append(f"Periode : {MONTHS[int(period[5:]) - 1]} {period[:4]}")
    who = [
        fmt_value(name, value) if name in CODES else f"{input_label(name)} {fmt_value(name, value)}"
        for name in ("status", "golongan", "mkg_years", "jabatan", "ptkp")
        if (value := _first_input(trace, name)) is not None
    ]
    if who:
        lines.append("Pegawai : " + ", ".join(who))
    return lines


def explain(out: dict[str, Any], case: dict[str, Any] | None = None) -> str:
    """A simulate output with its trace → the explanation; `case` (the input) adds its name and period."""
    trace = out.get("trace")
    if not isinstance(trace, dict):
        raise ValueError("keluaran simulate tanpa trace: jalankan simulate(..., trace=True)")
    blocks = [_header(trace, case)]
    blocks += [_section(out, prefix, codes) for prefix, codes in _sections(trace)]
    return "\n\n".join("\n".join(block) for block in blocks) + "\n"


def explain_file(path: str | Path, pack: Pack | None = None) -> str:
    case = load_case(path)  # the same reading (encoding, size, nesting) and checks as simulate
    return explain(simulate(case, trace=True, pack=pack), case)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pamong.engine.explain", description=__doc__.splitlines()[0])
    ap.add_argument("case", help="berkas kasus JSON")
    add_pack_arguments(ap)
    args = ap.parse_args(argv)
    try:
        text = explain_file(args.case, pack_from(args.region, args.pack))
    except ERRORS as exc:
        print(f"galat: {exc}", file=sys.stderr)
        return 2
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
