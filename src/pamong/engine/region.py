"""A region's rule pack (its Perwali as parameter files) turned into what the engine and the payroll run need: the
Policy, the TPP ceiling per kelas jabatan and status, the disciplinary-sanction table and the lateness bands. Each
choice keeps the pack parameter it came from, so the trace names the Perwali and not "the case".

Pack parameters (docs/rule-pack.md): tpp/bobot, tpp/disiplin, tpp/pagu_kelas_jabatan, tpp/porsi_status,
tpp/hukuman_disiplin, tpp/thr_gaji13, pph21/kebijakan; national: tunjangan/anak_syarat.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from pamong.engine.facts import CPNS, PPPK
from pamong.engine.params import Policy
from pamong.engine.rounding import BP, Amount, as_amount, pct_floor
from pamong.engine.trace import ParamUse
from pamong.rules.params import InForce, ParameterError, merged_pack, params_in_force

JF_EXTRA = "tunjangan/jabatan_fungsional_tambahan"
REQUIRED = (
    "tpp/bobot",
    "tpp/disiplin",
    "tpp/pagu_kelas_jabatan",
    "tpp/porsi_status",
    "tpp/hukuman_disiplin",
    "tpp/thr_gaji13",
    "pph21/kebijakan",
    "tunjangan/anak_syarat",
)


@dataclass(frozen=True)
class Sanction:
    cut_bp: int  # the TPP cut while it runs
    months: int  # how long it runs from its TMT


@dataclass(frozen=True)
class RegionRules:
    on: dt.date
    policy: Policy
    pagu_by_kelas: dict[int, int]  # kelas jabatan 1..17 → the month's TPP ceiling (PNS)
    status_share_bp: dict[str, int]  # "CPNS"/"PPPK" → their share of the ceiling
    sanctions: dict[str, Sanction]
    band_start_minutes: dict[str, int]  # TL1..TL4, PSW1..PSW4 → the first minute of the band
    # JF allowances the region's pack adds for families the national pack lacks (family → jenjang → rupiah)
    jf_allowance_extra: dict[str, dict[str, int]] = field(default_factory=dict)
    jf_allowance_extra_source: str = ""

    def tpp_pagu(self, kelas: Amount, status: np.ndarray) -> Amount:
        """The month's TPP ceiling per person: the kelas jabatan's, times the CPNS/PPPK share, floored."""
        table = np.zeros(max(self.pagu_by_kelas) + 1, dtype=np.int64)
        for k, amount in self.pagu_by_kelas.items():
            table[k] = amount
        if (kelas < 1).any() or (kelas >= table.size).any():
            raise ParameterError(f"tpp/pagu_kelas_jabatan: kelas jabatan di luar 1..{table.size - 1}")
        share = np.full(kelas.shape, BP, dtype=np.int64)
        share[status == CPNS] = self.status_share_bp.get("CPNS", BP)
        share[status == PPPK] = self.status_share_bp.get("PPPK", BP)
        return as_amount(pct_floor(table[kelas], share))

    def sanction_cut_bp(self, code: str | None) -> int:
        if code is None:
            return 0
        if code not in self.sanctions:
            raise ParameterError(f"tpp/hukuman_disiplin: jenis hukuman '{code}' tidak ada di paket wilayah")
        return self.sanctions[code].cut_bp


def _layer_use(found: dict[str, InForce], layers: dict[str, str], name: str) -> ParamUse:
    f = found[name]
    return ParamUse(name, f.value, f.since, f.parameter.reference, layers[name])


def region_rules(on: dt.date, region: str | None = None, extra_dir: Path | str | None = None) -> RegionRules:
    """The region's rules in force on `on` (national pack, then regions/<region>, then a city's own directory)."""
    found = params_in_force(on, region, extra_dir)
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        where = region or extra_dir or "(tanpa paket wilayah)"
        raise ParameterError(f"paket wilayah {where}: tidak ada nilai pada {on.isoformat()} untuk {', '.join(missing)}")
    layers = {name: layer for name, (layer, _) in merged_pack(region, extra_dir).items()}

    def use(name: str) -> ParamUse:
        return _layer_use(found, layers, name)

    bobot, disiplin, kebijakan = use("tpp/bobot"), use("tpp/disiplin"), use("pph21/kebijakan")
    thr, anak = use("tpp/thr_gaji13"), use("tunjangan/anak_syarat")
    umum_pppk = use("tunjangan/umum_pppk") if "tunjangan/umum_pppk" in found else None
    policy = Policy(
        tpp_weight_kinerja_bp=int(bobot.value["kinerja"]),
        tpp_weight_disiplin_bp=int(bobot.value["disiplin"]),
        discipline_cut_bp={str(b): int(v) for b, v in disiplin.value["potongan"].items()},
        discipline_cut_applies_to=str(disiplin.value["berlaku_pada"]),
        tunjangan_anak_max_children=int(anak.value["max_children_paid"]),
        pph21_bruto_includes_employer_premiums=bool(kebijakan.value["bruto_includes_employer_premiums"]),
        pph21_tpp_method=str(kebijakan.value["tpp_method"]),
        discipline_cut_rp={str(b): int(v) for b, v in (disiplin.value.get("potongan_rupiah") or {}).items()},
        discipline_cut_max_bp=int(disiplin.value.get("potongan_maks", BP)),
        pph21_pppk_gaji_dtp=bool(kebijakan.value.get("pppk_gaji_dtp", False)),
        thr_tpp_bp=int(thr.value["thr"]),
        gaji13_tpp_bp=int(thr.value["gaji13"]),
        thr_tpp_basis=str(thr.value["dasar"]),
        pppk_umum_group={str(k): str(v) for k, v in (umum_pppk.value if umum_pppk else {}).items()},
        provenance={
            field: replace(source, name=f"{source.name}.{key}" if key else source.name)
            for field, source, key in (
                ("tpp_weight_kinerja_bp", bobot, "kinerja"),
                ("tpp_weight_disiplin_bp", bobot, "disiplin"),
                ("discipline_cut_bp", disiplin, "potongan"),
                ("discipline_cut_rp", disiplin, "potongan_rupiah"),
                ("discipline_cut_max_bp", disiplin, "potongan_maks"),
                ("discipline_cut_applies_to", disiplin, "berlaku_pada"),
                ("tunjangan_anak_max_children", anak, "max_children_paid"),
                ("pph21_bruto_includes_employer_premiums", kebijakan, "bruto_includes_employer_premiums"),
                ("pph21_tpp_method", kebijakan, "tpp_method"),
                ("pph21_pppk_gaji_dtp", kebijakan, "pppk_gaji_dtp"),
                ("thr_tpp_bp", thr, ""),
                ("thr_tpp_basis", thr, "dasar"),
            )
        }
        | ({"pppk_umum_group": umum_pppk} if umum_pppk else {}),
    )
    extra = use(JF_EXTRA) if JF_EXTRA in found else None
    sanctions = {
        str(code): Sanction(int(row["potongan"]), int(row["bulan"]))
        for code, row in use("tpp/hukuman_disiplin").value.items()
    }
    return RegionRules(
        on=on,
        policy=policy,
        pagu_by_kelas={int(k): int(v) for k, v in use("tpp/pagu_kelas_jabatan").value.items()},
        status_share_bp={str(k): int(v) for k, v in use("tpp/porsi_status").value.items()},
        sanctions=sanctions,
        band_start_minutes={str(k): int(v) for k, v in disiplin.value.get("batas_bawah_menit", {}).items()},
        jf_allowance_extra={
            str(f): {str(j): int(a) for j, a in row.items()} for f, row in (extra.value if extra else {}).items()
        },
        jf_allowance_extra_source=f"{extra.source}: {extra.name}" if extra else "",
    )
