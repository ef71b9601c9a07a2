"""A payslip's explanation as the employee reads it: per printed line a plain-Indonesian sentence (what, how much,
why, with the inputs in words) and its legal basis by regulation name; the technical trace behind a toggle.

Sources shown to employees are regulations only: a parameter file's reference titles also carry research notes
("[K, belum dibaca ulang]"), file names ("payroll-rules.md §10"), and secondary sources (news sites, a code
repository). The rule (``regulation_names``): keep only citations of a regulation by its kind and number
(UU/PP/Perpres/PMK/Permen…/Perdirjen/Perwali/SE… with a number, or UU PPh with its article), taken out of the
title; everything else is provenance, shown to administrators with the titles and links as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from pamong.accounts.access import access_for
from pamong.accounts.models import Role
from pamong.engine import explain as ex
from pamong.engine.trace import expand
from pamong.rules.params import params_in_force

from .labels import label as slip_label
from .labels import ordered_codes
from .models import Payslip

_KIND = (
    r"UU(?:\s+(?:HPP|ASN|PPh))?|PP|Perpres|Keppres|Permen[A-Za-z]*|PMK|Perdirjen(?:\s+Perbendaharaan)?|"
    r"Perwali(?:\s+[A-Z][a-z]+)?|Perda|Perkada|Perka\s+BKN|Peraturan\s+BKN|SE(?:\s+Mendagri|\s+Menpan\w*)?|"
    r"Kepmen[A-Za-z]*"
)
_NUMBER = r"(?:No\.?\s*)?(?:[A-Z]+-)?\d[\w./-]*"  # 7/1977, 101/PMK.010/2016, PER-3/PB/2015, 900/471/SJ
_ARTICLE = r"(?:\s+Pasal\s+\d+[A-Za-z]?(?:\s+ayat\s+\(\d+\))?)?"
REGULATION = re.compile(rf"\b(?:(?:{_KIND})\s+{_NUMBER}{_ARTICLE}|UU\s+PPh\s+Pasal\s+\d+(?:\s+ayat\s+\(\d+\))?)")


def regulation_names(references: Iterable[dict[str, Any]]) -> list[str]:
    """The regulations cited by a parameter's references, in order, each once: "PP 7/1977 Pasal 16", "PMK
    168/2023 Pasal 5". A reference that cites no regulation (a news article, a handbook, a note) gives nothing."""
    seen: dict[str, None] = {}
    for ref in references:
        title = re.sub(r"\[[^\]]*\]", "", str(ref.get("title") or ""))  # research notes in brackets
        for match in REGULATION.finditer(title):
            seen.setdefault(match.group(0).rstrip(".,;"), None)
    return list(seen)


PROVENANCE_ROLES = (Role.ADMIN_BKPSDM, Role.BPKAD_HEAD, Role.INSPECTORATE)


def sees_provenance(user: Any) -> bool:
    """Who administers or audits the rules (BKPSDM admin, the BPKAD head who runs payroll, the inspectorate) sees
    where each parameter's value was found (notes, files, links) and the internal codes; employees and treasurers
    see the regulations."""
    access = access_for(user)
    return bool(getattr(user, "is_superuser", False)) or any(access.has(r) for r in PROVENANCE_ROLES)


# ---- the summary: one sentence per printed line --------------------------------------------------------------------


def _rp(v: Any) -> str:
    return ex.rupiah(int(v)) if isinstance(v, int) and not isinstance(v, bool) else str(v)


def _param(line: dict[str, Any], base: str) -> dict[str, Any] | None:
    return next((p for p in line.get("params", []) if p["name"].split(".")[0] == base), None)


def _rate(line: dict[str, Any], base: str) -> str | None:
    p = _param(line, base)
    if p is None:
        return None
    value = p.get("value")
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) <= ex.BP:
        return ex.percent(value)
    return None


def _why(suffix: str, line: dict[str, Any]) -> str:
    """Why this amount, in words, from the traced inputs and parameters."""
    i = line.get("inputs", {})
    status = ex.fmt_value("status", i["status"]) if "status" in i else ""
    if suffix == "gaji_pokok":
        return (f"Menurut tabel gaji pokok {status} golongan {i.get('golongan', '')} dengan masa kerja golongan "
                f"{i.get('mkg_years', 0)} tahun.")  # fmt: skip
    if suffix == "tunjangan_istri_suami":
        if not i.get("spouse_here", True):
            return "Tidak dibayar di sini (dibayar kepada suami/istri yang juga ASN, atau tidak ada)."
        return f"{_rate(line, 'tunjangan/istri_suami') or '10%'} dari gaji pokok {_rp(i.get('gaji_pokok', 0))}."
    if suffix == "tunjangan_anak":
        cap = _param(line, "tunjangan/anak_syarat")
        most = f"; paling banyak {cap['value']} anak" if cap and isinstance(cap.get("value"), int) else ""
        return (f"{_rate(line, 'tunjangan/anak') or '2%'} dari gaji pokok {_rp(i.get('gaji_pokok', 0))} untuk "
                f"{i.get('children_paid', 0)} anak (dari {i.get('children_eligible', 0)} anak yang memenuhi syarat"
                f"{most}).")  # fmt: skip
    if suffix == "tunjangan_beras":
        p = _param(line, "tunjangan/beras")
        per = _rp(p["value"]) if p and isinstance(p.get("value"), int) else "harga beras"
        return f"{per} per jiwa untuk {i.get('jiwa', 0)} jiwa (Anda dan keluarga yang ditanggung)."
    if suffix == "tunjangan_umum":
        return f"Tunjangan umum untuk golongan {i.get('golongan', '')}, bagi yang tidak menerima tunjangan jabatan."
    if suffix in ("tunjangan_jabatan_struktural", "tunjangan_jabatan_fungsional"):
        jenis = ex.fmt_value("jabatan", i["jabatan"]) if "jabatan" in i else ""
        return f"Menurut jabatan Anda ({jenis}{', eselon ' + str(i['eselon']) if i.get('eselon') else ''})."
    if suffix == "iuran_taspen":
        if status == "PPPK":
            return "PPPK tidak membayar iuran Taspen."
        return f"{_rate(line, 'iuran/taspen') or '8%'} dari gaji pokok dan tunjangan keluarga {_rp(i.get('dasar', 0))}."
    if suffix in ("iuran_bpjs_kesehatan", "bpjs_kesehatan_pemberi_kerja", "bpjs_kesehatan"):
        base = sum(v for k, v in i.items() if k.startswith(("dasar", "tpp")) and isinstance(v, int))
        who = "bagian Anda" if suffix == "iuran_bpjs_kesehatan" else "dibayar pemerintah daerah, tidak dipotong"
        return f"Iuran jaminan kesehatan ({who}) dari gaji dan tunjangan {_rp(base)}, dengan batas atas dasar iuran."
    if suffix in ("jkk", "jkm"):
        what = "kecelakaan kerja" if suffix == "jkk" else "kematian"
        rate = _rate(line, f"iuran/{suffix}") or ""
        return f"Jaminan {what}: {rate} dari gaji pokok {_rp(i.get('gaji_pokok', 0))}, dibayar pemerintah daerah."
    if suffix == "pph21":
        return "Pajak penghasilan Pasal 21 atas penghasilan bulan ini, menurut status PTKP Anda."
    if suffix == "tunjangan_pph":
        return "Pajak PPh 21 yang ditanggung pemerintah: dibayar sebagai tunjangan sebesar pajaknya."
    if suffix == "pembulatan":
        return "Jumlah yang dibayar dibulatkan ke Rp100 di atas."
    if suffix == "tpp_kinerja":
        return (f"Bagian kinerja dari pagu TPP {_rp(i.get('tpp_pagu', 0))} "
                f"({_rp(i.get('bagian_kinerja', 0))}) dikali capaian kinerja Anda "
                f"{ex.percent(int(i.get('capaian_bp', 0)))}.")  # fmt: skip
    if suffix == "tpp_disiplin":
        return (f"Bagian disiplin dari pagu TPP ({_rp(i.get('bagian_disiplin', 0))}) dikurangi potongan karena "
                f"ketidakhadiran atau keterlambatan {ex.percent(int(i.get('potongan_bp', 0)))}.")  # fmt: skip
    if suffix == "potongan_hukuman_disiplin":
        return "Potongan TPP karena hukuman disiplin yang sedang dijalani."
    words = [f"{ex.input_label(k)} {ex.fmt_value(k, v)}" for k, v in i.items()]
    return ("Dihitung dari " + ", ".join(words) + ".") if words else ""


def _printed_code(code: str) -> str:
    """The slip line a trace code prints as (gaji.gaji_pokok → gaji_pokok, gaji.bpjs_kesehatan_pemberi_kerja →
    pemberi_kerja_bpjs_kesehatan, pemberi_kerja.jkk → pemberi_kerja_jkk)."""
    prefix, _, suffix = code.partition(".")
    if suffix.endswith("_pemberi_kerja"):
        return "pemberi_kerja_" + suffix.removesuffix("_pemberi_kerja")
    return code.replace(".", "_") if prefix == "pemberi_kerja" else suffix


def summary(slip: Payslip, trace: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The printed lines with an amount, in slip order: label, amount, sentence, regulations."""
    trace = trace if trace is not None else expand(slip.trace or {}, slip.run.params_catalogue or {})
    lines = slip.lines or {}
    by_printed: dict[str, tuple[str, dict[str, Any]]] = {}
    for code, line in trace.items():
        printed = _printed_code(code)
        if printed in lines and printed not in by_printed:
            by_printed[printed] = (code, line)
    out = []
    for printed in ordered_codes(lines):
        amount = int(lines[printed])
        if amount == 0 or printed not in by_printed:
            continue
        code, line = by_printed[printed]
        refs = [r for p in line.get("params", []) for r in (p.get("reference") or [])]
        why = _why(code.partition(".")[2], line)
        if printed == "tpp_kinerja":
            why = f"{why} {capaian_origin(slip.facts or {})}".strip()
        if printed == "tpp_disiplin":
            why = f"{why} {disiplin_origin(slip.facts or {})}".strip()
        out.append({"code": printed, "label": slip_label(printed), "amount": amount, "why": why,
                    "basis": regulation_names(refs)})  # fmt: skip
    return out


PREDIKAT_WORDS = {"sangat_baik": "Sangat Baik", "baik": "Baik", "butuh_perbaikan": "Butuh Perbaikan",
                  "kurang": "Kurang", "sangat_kurang": "Sangat Kurang"}  # fmt: skip


def capaian_origin(facts: dict[str, Any]) -> str:
    """Where the month's capaian kinerja came from, in a sentence (older payslips have no record of it)."""
    src = facts.get("capaian_sumber") or {}
    if src.get("jenis") == "evaluasi":
        word = PREDIKAT_WORDS.get(str(src.get("predikat")), "")
        return f"Capaian ini berasal dari penilaian kinerja bulanan Anda yang sudah final (predikat {word})."
    if src.get("jenis") == "impor":
        return "Capaian ini berasal dari data kinerja yang diimpor oleh BKPSDM."
    return ""


def disiplin_origin(facts: dict[str, Any]) -> str:
    """Where the month's discipline counts came from, in a sentence (older payslips have no record of it)."""
    src = facts.get("disiplin_sumber") or {}
    if src.get("jenis") == "presensi":
        return "Jumlah terlambat, pulang cepat dan tidak masuk berasal dari rekap presensi bulanan Anda di Pamong."
    if src.get("jenis") == "impor":
        return "Jumlah terlambat, pulang cepat dan tidak masuk berasal dari data presensi yang diimpor."
    return ""


# ---- the technical trace ------------------------------------------------------------------------------------------

KEY_LABELS = {
    "max_children_paid": "jumlah anak paling banyak dibayar",
    "peserta": "bagian peserta",
    "pemberi_kerja": "bagian pemberi kerja",
    "batas_atas_upah": "batas atas dasar iuran",
    "bruto_includes_employer_premiums": "premi pemberi kerja dihitung dalam penghasilan bruto",
    "tpp_method": "cara menghitung PPh 21 atas TPP",
    "pppk_gaji_dtp": "PPh 21 gaji PPPK ditanggung pemerintah",
}
SAMPLE_NOTE = re.compile(r"^\s*CONTOH\b[^:]*:\s*")  # a sample regional pack says so in its description


def _description(text: str) -> str:
    """A parameter file's description as an employee may read it: no sample-pack note, no bracketed notes."""
    return re.sub(r"\s*\[[^\]]*\]", "", SAMPLE_NOTE.sub("", text)).strip()


def _param_title(name: str, descriptions: dict[str, str]) -> str:
    base, _, key = name.partition(".")
    if base == "kebijakan":
        return "Kebijakan daerah: " + ex.humanise(key).lower()
    text = _description(descriptions.get(base, "")) or ex.humanise(base)
    return f"{text} — {KEY_LABELS.get(key) or ex.humanise(key).lower()}" if key else text


def technical(slip: Payslip, *, provenance: bool, trace: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Every traced line (intermediate ones too) with its inputs and parameters. For administrators the codes,
    parameter names, sources and references as written; for everyone else readable names and regulations only."""
    trace = trace if trace is not None else expand(slip.trace or {}, slip.run.params_catalogue or {})
    descriptions = {}
    if not provenance:
        descriptions = {n: f.parameter.description for n, f in params_in_force(slip.period, slip.run.region).items()}
    lines = slip.lines or {}
    out = []
    for code, line in trace.items():
        params = []
        for p in line.get("params", []):
            refs = p.get("reference") or []
            params.append({
                "name": p["name"] if provenance else _param_title(p["name"], descriptions),
                "value": ex.param_value(p),
                "since": ex.tanggal(p["since"]) if p.get("since") else None,
                "source": p.get("source") or "" if provenance else "",
                "references": refs if provenance else [],
                "regulations": regulation_names(refs),
            })  # fmt: skip
        result = line.get("result", 0)
        out.append({
            "code": code if provenance else "",
            "label": ex.label(code),
            "result": result if isinstance(result, int) else 0,
            "on_slip": _printed_code(code) in lines,
            "inputs": [(ex.input_label(k), ex.fmt_value(k, v)) for k, v in line.get("inputs", {}).items()],
            "params": params,
        })  # fmt: skip
    return out


def explanation_context(slip: Payslip, user: Any) -> dict[str, Any]:
    trace = expand(slip.trace or {}, slip.run.params_catalogue or {})
    provenance = sees_provenance(user)
    return {"summary": summary(slip, trace), "explanation": technical(slip, provenance=provenance, trace=trace),
            "provenance": provenance}  # fmt: skip
