"""The employees of the demo city as plain data: who holds which position, with NIP/NIK, rank and service,
status, family, education and bank account. Everything comes from one `random.Random`, so a seed and a
reference date give the same people.

Consistency kept on purpose (so the demo exercises the rules, not just the screens):
- NIP/NI PPPK and NIK encode the birth date and gender (pamong.core.identifiers); sequences are unique.
- Golongan follows the entry grade of the education (SMA II/a, D-III II/c, S-1 III/a, S-2 and dokter III/b),
  one step per four years of service, within the range the position allows; PPPK grades follow
  jenjang/education. MKG counts months since TMT CPNS (minus 5 years when crossing II → III) and was last set
  at the latest KGB (the column of the gaji table it reached), so about one in eight PNS has a KGB due within
  three months, and a few PNS have one overdue (no SK yet).
- Active employees are younger than their BUP; some reach it within the year.
"""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from pamong.core.identifiers import GENDER_DIGIT, add_years, make_ni_pppk, make_nik, make_nip
from pamong.org.models import Position
from pamong.people.family import age_on
from pamong.people.grades import PNS_GOLONGAN
from pamong.people.records import retirement_age, retirement_date
from pamong.people.salary_steps import columns
from pamong.rules.params import param

from . import names as N
from .city import KECAMATAN, Plan, PositionPlan

GOL = [g for g, _ in PNS_GOLONGAN]
LATE_KGB_EVERY = 6  # of the PNS whose KGB fell due in the last six months, one in six has no SK yet (overdue)
ENTRY_GOL = {"SMA": 4, "D3": 6, "D4": 8, "S1": 8, "S2": 9}
# Years of service that fit each kind of position, and the golongan range (indexes into GOL) it allows.
SERVICE = {
    "jpt": (22, 33),
    "administrator": (14, 32),
    "pengawas": (8, 30),
    "kepsek": (14, 32),
    "ahli_pertama": (1, 12),
    "ahli_muda": (8, 24),
    "ahli_madya": (16, 34),
    "ahli_utama": (24, 34),
    "terampil": (1, 18),
    "mahir": (8, 26),
    "penyelia": (14, 32),
    "pelaksana": (1, 34),
}
GOL_RANGE = {
    "jpt": (14, 15),  # IV/c–IV/d
    "administrator": (10, 13),  # III/c–IV/b
    "pengawas": (9, 12),  # III/b–IV/a
    "kepsek": (12, 13),
    "ahli_pertama": (8, 9),
    "ahli_muda": (10, 11),
    "ahli_madya": (12, 14),
    "ahli_utama": (15, 16),
    "terampil": (5, 7),
    "mahir": (8, 9),
    "penyelia": (10, 11),
}
PELAKSANA_CAP = {"SMA": 9, "D3": 10, "D4": 11, "S1": 11, "S2": 11}  # II/a–III/d by ijazah
ENTRY_AGE = {"SMA": (19, 28), "D3": (21, 30), "D4": (22, 31), "S1": (23, 32), "S2": (26, 35)}
PPPK_SHARE = {"guru": 0.74, "nakes": 0.62, "dokter": 0.35, "teknis": 0.2, "lapangan": 0.35, "pelaksana": 0.5}
CPNS_SHARE = 0.07
PPPK_YEARS = {
    "guru": ((2021, 35), (2022, 30), (2023, 20), (2024, 10), (2025, 5)),
    "nakes": ((2022, 30), (2023, 35), (2024, 25), (2025, 10)),
    "dokter": ((2022, 30), (2023, 35), (2024, 25), (2025, 10)),
    "other": ((2023, 25), (2024, 45), (2025, 30)),
}
KEC_BY_CODE = {code: (nik, name, villages) for code, nik, name, villages in KECAMATAN}
OTHER_REGIONS = {"Pekanbaru": "1471", "Jakarta": "3174", "Medan": "1275", "Jambi": "1571"}

# Titles: (D-III major, D-III title, S-1 major, S-1 title, front title for the S-1 profession)
HEALTH = {
    "perawat": ("Keperawatan", "A.Md.Kep.", "Ilmu Keperawatan", "S.Kep.", "Ns."),
    "bidan": ("Kebidanan", "A.Md.Keb.", "Kebidanan", "S.Tr.Keb.", ""),
    "farmasi": ("Farmasi", "A.Md.Farm.", "Farmasi", "S.Farm.", ""),
    "apoteker": ("Farmasi", "A.Md.Farm.", "Farmasi (Profesi Apoteker)", "S.Farm.", "apt."),
    "nutrisionis": ("Gizi", "A.Md.Gz.", "Gizi", "S.Gz.", ""),
    "sanitarian": ("Kesehatan Lingkungan", "A.Md.KL.", "Sanitasi Lingkungan", "S.Tr.KL.", ""),
    "pranata_lab": ("Analis Kesehatan", "A.Md.AK.", "Teknologi Laboratorium Medis", "S.Tr.Kes.", ""),
    "radiografer": ("Radiodiagnostik dan Radioterapi", "A.Md.Rad.", "Radiologi", "S.Tr.Rad.", ""),
    "perekam_medis": (
        "Rekam Medis dan Informasi Kesehatan",
        "A.Md.RMIK.",
        "Manajemen Informasi Kesehatan",
        "S.Tr.RMIK.",
        "",
    ),
    "fisioterapis": ("Fisioterapi", "A.Md.Ftr.", "Fisioterapi", "S.Ft.", ""),
    "penyuluh_kesmas": ("Kesehatan Masyarakat", "A.Md.Kes.", "Kesehatan Masyarakat", "S.K.M.", ""),
    "epidemiolog": ("Kesehatan Masyarakat", "A.Md.Kes.", "Epidemiologi", "S.K.M.", ""),
}
S1_BY_FAMILY = {
    "auditor": ("Akuntansi", "S.E."),
    "analis_keuangan": ("Akuntansi", "S.Ak."),
    "analis_hukum": ("Ilmu Hukum", "S.H."),
    "perancang_uu": ("Ilmu Hukum", "S.H."),
    "pranata_komputer": ("Teknik Informatika", "S.Kom."),
    "sandiman": ("Sistem Informasi", "S.Kom."),
    "statistisi": ("Statistika", "S.Stat."),
    "teknik_jalan": ("Teknik Sipil", "S.T."),
    "teknik_pengairan": ("Teknik Sipil", "S.T."),
    "tata_bangunan": ("Arsitektur", "S.Ars."),
    "penata_ruang": ("Perencanaan Wilayah dan Kota", "S.T."),
    "pengendali_dampak": ("Teknik Lingkungan", "S.T."),
    "penyuluh_pertanian": ("Agroteknologi", "S.P."),
    "paramedik_veteriner": ("Peternakan", "S.Pt."),
    "penyuluh_perikanan": ("Budidaya Perairan", "S.Pi."),
    "analis_ketahanan_pangan": ("Agribisnis", "S.P."),
    "pustakawan": ("Ilmu Perpustakaan", "S.I.P."),
    "arsiparis": ("Ilmu Perpustakaan dan Kearsipan", "S.I.P."),
    "pekerja_sosial": ("Kesejahteraan Sosial", "S.Sos."),
    "penyuluh_sosial": ("Kesejahteraan Sosial", "S.Sos."),
    "penyuluh_kb": ("Kesehatan Masyarakat", "S.K.M."),
    "pranata_humas": ("Ilmu Komunikasi", "S.I.Kom."),
    "pamong_budaya": ("Sejarah", "S.Hum."),
    "adyatama": ("Pariwisata", "S.Par."),
    "analis_sdma": ("Psikologi", "S.Psi."),
    "asesor_sdma": ("Psikologi", "S.Psi."),
}
GURU_SMP = (
    "Pendidikan Matematika",
    "Pendidikan Bahasa Indonesia",
    "Pendidikan Bahasa Inggris",
    "Pendidikan Biologi",
    "Pendidikan Fisika",
    "Pendidikan Ilmu Pengetahuan Sosial",
    "Pendidikan Agama Islam",
    "Pendidikan Jasmani, Kesehatan dan Rekreasi",
    "Pendidikan Pancasila dan Kewarganegaraan",
    "Pendidikan Seni Rupa",
    "Pendidikan Teknologi Informasi",
)
SPESIALIS = (
    ("Ilmu Penyakit Dalam", "Sp.PD."),
    ("Obstetri dan Ginekologi", "Sp.OG."),
    ("Ilmu Kesehatan Anak", "Sp.A."),
    ("Ilmu Bedah", "Sp.B."),
    ("Anestesiologi", "Sp.An."),
    ("Radiologi", "Sp.Rad."),
    ("Neurologi", "Sp.N."),
    ("Kardiologi dan Kedokteran Vaskular", "Sp.JP."),
    ("Ilmu Kesehatan Mata", "Sp.M."),
    ("Patologi Klinik", "Sp.PK."),
)
D3_GENERAL = (("Manajemen Informatika", "A.Md."), ("Akuntansi", "A.Md.Ak."), ("Administrasi Perkantoran", "A.Md."))


def fom(d: dt.date) -> dt.date:
    return d.replace(day=1)


@cache
def _first_steps(on: dt.date) -> dict[str, int]:
    steps = {}
    for name, scheme in (("gaji/pokok_pns", "PNS"), ("gaji/pokok_pppk", "PPPK")):
        for gol, row in param(name).on(on)["table"].items():
            steps[f"{scheme}:{gol}"] = min(int(m) for m in row)
    return steps


def first_table_step(etype: str, golongan: str) -> int:
    return _first_steps(dt.date(2025, 1, 1))[f"{'PPPK' if etype == 'PPPK' else 'PNS'}:{golongan}"]


def table_columns(etype: str, golongan: str) -> list[int]:
    return columns(etype, golongan, dt.date(2025, 1, 1))


def add_months(d: dt.date, n: int) -> dt.date:
    m = d.month - 1 + n
    y, m = d.year + m // 12, m % 12 + 1
    last = 28 if m == 2 else 30 if m in (4, 6, 9, 11) else 31
    if m == 2 and (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)):
        last = 29
    return dt.date(y, m, min(d.day, last))


def months_between(a: dt.date, b: dt.date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


@dataclass
class Member:
    relation: str
    name: str
    nik: str
    birth_date: dt.date
    gender: str
    marriage_date: dt.date | None = None
    spouse_is_pns: bool = False
    spouse_nip: str = ""
    spouse_has_income: bool = False
    receives_spouse_allowance: bool = True
    child_kind: str = ""
    in_school: bool = False
    married: bool = False
    working: bool = False
    ended_on: dt.date | None = None


@dataclass
class Schooling:
    level: str
    major: str
    institution: str
    graduated_on: dt.date
    certificate_number: str


@dataclass
class Person:
    pos: PositionPlan
    as_of: dt.date  # the date the career is computed for (today; the retirement or death date for former staff)
    gender: str
    name: str
    birth_date: dt.date
    birth_place: str
    employee_type: str
    education_level: str
    entry_education: str
    tmt_cpns: dt.date
    tmt_pns: dt.date | None
    golongan: str
    mkg_years: int
    mkg_months: int
    mkg_set_on: dt.date
    status: str
    status_since: dt.date
    nip: str = ""
    nik: str = ""
    kecamatan: str = ""
    front_title: str = ""
    back_title: str = ""
    majors: tuple[str, str] = ("", "")  # S-1/D-III major, S-2 major
    address: str = ""
    phone: str = ""
    email: str = ""
    bank_name: str = ""
    bank_account_number: str = ""
    rank_sk_number: str = ""
    rank_sk_date: dt.date | None = None
    position_sk_number: str = ""
    position_sk_date: dt.date | None = None
    position_tmt: dt.date | None = None
    role: str = ""  # the demo login linked to this employee, if any
    married: bool = False
    family: list[Member] = field(default_factory=list)
    schooling: list[Schooling] = field(default_factory=list)

    @property
    def age(self) -> int:
        return age_on(self.birth_date, self.as_of)


class People:
    """Generates the people for a plan whose positions already carry their `holders`."""

    def __init__(self, plan: Plan, rng: random.Random, today: dt.date) -> None:
        self.plan, self.rng, self.today = plan, rng, today
        self._kgb_due_seen = 0  # every LATE_KGB_EVERY-th PNS whose KGB fell due lately still waits for its SK
        self._nip_seq: dict[str, int] = defaultdict(int)
        self._nik_seq: dict[str, int] = defaultdict(int)
        self._sk_seq: dict[tuple[str, int], int] = defaultdict(int)
        self._acct = 0
        self._bup: dict[tuple[str, str, str], int] = {}

    # --- identifiers -----------------------------------------------------------------------------------------

    def nip(self, birth: dt.date, tmt: dt.date, gender: str) -> str:
        key = f"{birth:%Y%m%d}{tmt:%Y%m}{GENDER_DIGIT[gender]}"
        self._nip_seq[key] += 1
        return make_nip(birth, tmt, gender, self._nip_seq[key])

    def ni_pppk(self, birth: dt.date, year: int, gender: str) -> str:
        key = f"{birth:%Y%m%d}{year}21{GENDER_DIGIT[gender]}"
        self._nip_seq[key] += 1
        return make_ni_pppk(birth, year, 21, gender, self._nip_seq[key])

    def nik(self, birth_place: str, kecamatan: str, birth: dt.date, gender: str) -> str:
        region = N.NIK_REGION.get(birth_place) or OTHER_REGIONS.get(birth_place, "1373")
        if region == "1373":
            district = KEC_BY_CODE[kecamatan][0] if kecamatan else self.rng.choice(("01", "02", "03", "04"))
        else:
            district = f"{self.rng.randint(1, 9):02d}"
        key = f"{region}{district}{birth:%d%m%y}{gender}"
        self._nik_seq[key] += 1
        return make_nik(region + district, birth, gender, self._nik_seq[key])

    def sk(self, kind: str, on: dt.date) -> str:
        self._sk_seq[(kind, on.year)] += 1
        n = self._sk_seq[(kind, on.year)]
        code = {
            "CPNS": "800.1.2.2",
            "PPPK": "800.1.2.5",
            "KP": "800.1.3.1",
            "KGB": "800.1.11.13",
            "JAB": "800.1.3.3",
            "STATUS": "800.1.6.1",
        }[kind]
        return f"{code}/{n:04d}/{kind}/BKPSDM-SWL/{on.year}"

    def bup(self, pos: PositionPlan) -> int:
        key = (pos.kind, pos.jf_family, pos.jf_jenjang)
        if key not in self._bup:
            probe = Position(kind=pos.kind, jf_family=pos.jf_family, jf_jenjang=pos.jf_jenjang)
            self._bup[key] = retirement_age(probe, self.today)
        return self._bup[key]

    # --- one person ------------------------------------------------------------------------------------------

    def _role_key(self, pos: PositionPlan) -> str:
        if pos.group in ("jpt", "administrator", "pengawas", "kepsek"):
            return pos.group
        return pos.jf_jenjang or "pelaksana"

    def _education(self, pos: PositionPlan) -> str:
        r = self.rng.random()
        g, j = pos.group, pos.jf_jenjang
        if g == "jpt":
            return "S2" if r < 0.85 else "S1"
        if g == "administrator":
            return "S2" if r < 0.45 else "S1"
        if g == "pengawas":
            return "S2" if r < 0.15 else "S1" if r < 0.88 else "D4" if r < 0.94 else "D3"
        if g == "dokter":
            return "S2" if pos.jf_family == "dokter_spesialis" else "S1"
        if j in ("terampil", "mahir", "penyelia"):
            return "D3"
        if j:
            s2 = 0.1 + (0.2 if j in ("ahli_madya", "ahli_utama") else 0)
            if pos.jf_family == "bidan":
                return "D4" if r < 0.5 else "S1"
            return "S2" if r < s2 else "D4" if r < s2 + 0.05 and g != "guru" else "S1"
        if pos.kelas <= 5:
            return "SMA" if r < 0.75 else "D3" if r < 0.9 else "S1"
        if pos.kelas == 6:
            return "SMA" if r < 0.35 else "D3" if r < 0.7 else "S1"
        return "S1" if r < 0.8 else "D3"

    def _type(self, pos: PositionPlan, forced: bool) -> str:
        if forced or pos.structural or pos.group == "kepsek":
            return "PNS"
        j = pos.jf_jenjang
        r = self.rng.random()
        pppk_ok = j not in ("ahli_madya", "ahli_utama", "penyelia")
        cpns_ok = j in ("", "ahli_pertama", "terampil")
        share = PPPK_SHARE.get(pos.group, 0.2) * (0.5 if j == "ahli_muda" else 1.0)
        if pppk_ok and r < share:
            return "PPPK"
        if cpns_ok and r < share + CPNS_SHARE:
            return "CPNS"
        return "PNS"

    def _gender(self, pos: PositionPlan) -> str:
        female = {"jpt": 0.22, "administrator": 0.35, "pengawas": 0.45}.get(pos.group, pos.female)
        if pos.group == "pelaksana" and pos.code.endswith(".OLO"):
            female = 0.15
        return "P" if self.rng.random() < female else "L"

    def person(
        self, pos: PositionPlan, *, as_of: dt.date | None = None, birth: dt.date | None = None, role: str = ""
    ) -> Person:
        rng = self.rng
        as_of = as_of or self.today
        now = fom(as_of)
        gender = "P" if pos.jf_family == "bidan" else self._gender(pos)
        etype = self._type(pos, forced=bool(role) or birth is not None)
        edu = self._education(pos)
        entry_edu = edu
        if edu == "S2" and etype == "PNS" and (pos.jf_family == "dokter_spesialis" or rng.random() < 0.8):
            entry_edu = "S1"  # the master's degree (or the specialisation) came later, on tugas/izin belajar
        bup = self.bup(pos)
        key = self._role_key(pos)
        elo, ehi = ENTRY_AGE[entry_edu]
        if pos.group == "dokter":
            elo, ehi = 25, 33

        tmt_pns: dt.date | None
        if etype == "PPPK":
            kind = pos.group if pos.group in PPPK_YEARS else "other"
            years = [(y, w) for y, w in PPPK_YEARS[kind] if dt.date(y, 1, 1) <= add_months(now, -2)]
            year = rng.choices([y for y, _ in years], weights=[w for _, w in years])[0] if years else now.year - 1
            tmt = dt.date(year, rng.choice((1, 3, 4, 7, 10)), 1)
            tmt = min(tmt, add_months(now, -1))
            if birth is None:
                age = int(rng.triangular(25, bup - 0.01, 40))
                birth = add_years(as_of, -age) - dt.timedelta(days=rng.randint(0, 364))
            if age_on(birth, tmt) < 20:
                birth = add_years(birth, -(20 - age_on(birth, tmt)))
            tmt_cpns, tmt_pns = tmt, None
            total = months_between(tmt, now)
        elif etype == "CPNS":
            tmt_cpns = add_months(now, -rng.randint(2, 20))
            entry_age = rng.randint(max(elo, 22), max(min(ehi, 34), 22))
            birth = add_years(tmt_cpns, -entry_age) - dt.timedelta(days=rng.randint(1, 364))
            tmt_pns = None
            total = months_between(tmt_cpns, now)
        else:
            smin, smax = SERVICE[key]
            if birth is None:  # an ageing workforce: ages lean towards the late forties and fifties
                lo, hi = max(22, elo + smin), min(bup - 1, ehi + smax)
                age = min(hi, int(rng.triangular(lo, hi + 2, lo + (hi - lo) * 0.75)))
                entry_age = rng.randint(elo, max(elo, min(ehi, age - smin)))
                service = min(age - entry_age, smax)
                entry_age = age - service
                birth = add_years(as_of, -age) - dt.timedelta(days=rng.randint(0, 364))
            else:
                age = age_on(birth, as_of)
                service = min(rng.randint(smin, smax), age - elo)
                entry_age = age - service
            start = add_months(fom(add_years(birth, entry_age)), rng.randint(0, 11))
            tmt_cpns = min(start, add_months(now, -14))
            if tmt_cpns < add_years(birth, 19):
                tmt_cpns = fom(add_months(add_years(birth, 19), 1))
            tmt_pns = add_months(tmt_cpns, 12 if rng.random() < 0.7 else rng.randint(13, 24))
            tmt_pns = min(tmt_pns, add_months(now, -1))
            total = months_between(tmt_cpns, now)

        # golongan
        if etype == "PPPK":
            golongan = self._pppk_grade(pos, edu)
            reduction = 0
        else:
            entry = ENTRY_GOL[entry_edu] + (1 if pos.group == "dokter" and entry_edu == "S1" else 0)
            if etype == "CPNS":
                idx = entry
            else:
                idx = max(entry, entry + total // 48 - (1 if rng.random() < 0.35 else 0))
                if key in GOL_RANGE:
                    lo, hi = GOL_RANGE[key]
                    idx = min(max(idx, lo), hi)
                else:
                    idx = max(entry, min(idx, PELAKSANA_CAP[edu]))
            golongan = GOL[idx]
            reduction = 60 if entry <= 7 and idx >= 8 else 0
        mkg_total = min(max(0, total - reduction), 40 * 12)
        since = mkg_total % 24
        # the gaji tables have no step below 3 years for I/b–I/d, II/b–II/d and PPPK II–IV, VI–VIII: a synthetic
        # entrant there carries at least the first step (as credited prior service), so every person can be paid
        at = max(mkg_total - since, 12 * first_table_step(etype, golongan))
        # MKG was last set by the KGB that reached its current column of the gaji table (odd years for I/b–II/d)
        cols = table_columns(etype, golongan)
        reached = [c for c in cols if c * 12 <= mkg_total]
        if reached and reached[-1] != cols[-1]:
            at, since = reached[-1] * 12, mkg_total - reached[-1] * 12
            if etype == "PNS" and 1 <= since <= 6 and len(reached) > 1:
                self._kgb_due_seen += 1
                if self._kgb_due_seen % LATE_KGB_EVERY == 0:  # a KGB not yet decreed: still at the step before
                    at, since = reached[-2] * 12, mkg_total - reached[-2] * 12
        mkg_set_on = add_months(now, -since)

        if etype == "CPNS":
            status, status_since = "cpns", tmt_cpns
        elif etype == "PPPK":
            status, status_since = "aktif", tmt_cpns
        else:
            status, status_since = "aktif", tmt_pns or tmt_cpns

        unit = self.plan.unit_by_code[pos.unit]
        kec = unit.kecamatan if unit.kecamatan and rng.random() < 0.75 else rng.choice(list(KEC_BY_CODE))
        place = N.weighted(rng, N.BIRTH_PLACES)
        p = Person(
            pos=pos,
            as_of=as_of,
            gender=gender,
            name=N.person_name(rng, gender),
            birth_date=birth,
            birth_place=place,
            employee_type=etype,
            education_level=edu,
            entry_education=entry_edu,
            tmt_cpns=tmt_cpns,
            tmt_pns=tmt_pns,
            golongan=golongan,
            mkg_years=at // 12,
            mkg_months=at % 12,
            mkg_set_on=mkg_set_on,
            status=status,
            status_since=status_since,
            kecamatan=kec,
            role=role,
        )
        if etype == "PPPK":
            p.nip = self.ni_pppk(birth, tmt_cpns.year, gender)
        else:
            p.nip = self.nip(birth, tmt_cpns, gender)
        p.nik = self.nik(place, kec, birth, gender)
        self._titles(p)
        self._contact(p)
        self._decrees(p)
        return p

    def _pppk_grade(self, pos: PositionPlan, edu: str) -> str:
        j = pos.jf_jenjang
        if j == "ahli_pertama":
            return "X" if pos.group == "dokter" or edu == "S2" else "IX"
        if j == "ahli_muda":
            return "XI"
        if j == "terampil":
            return "VII"
        if j == "mahir":
            return "VIII"
        return {"SMA": "V", "D3": "VII", "D4": "IX", "S1": "IX", "S2": "X"}[edu]

    def _titles(self, p: Person) -> None:
        rng, pos, edu = self.rng, p.pos, p.education_level
        fam = pos.jf_family
        front, back, major, major2 = "", "", "", ""
        if edu in ("SMA",):
            pass
        elif fam in ("dokter", "dokter_spesialis", "dokter_gigi"):
            front = "drg." if fam == "dokter_gigi" else "dr."
            major = "Kedokteran Gigi" if fam == "dokter_gigi" else "Pendidikan Dokter"
            if fam == "dokter_spesialis":
                major2, back = rng.choice(SPESIALIS)
            elif edu == "S2":
                major2, back = "Kesehatan Masyarakat", "M.Kes."
        elif fam == "medik_veteriner":
            front, major = "drh.", "Kedokteran Hewan"
        elif fam in HEALTH:
            d3m, d3t, s1m, s1t, f = HEALTH[fam]
            if edu == "D3":
                major, back = d3m, d3t
            else:
                major, back, front = s1m, s1t, f
        elif fam == "guru" or pos.group == "kepsek":
            sd = ".SDN" in pos.unit
            major = "Pendidikan Guru Sekolah Dasar" if sd else rng.choice(GURU_SMP)
            if pos.code.split(".")[-1].startswith("GBK"):
                major = "Bimbingan dan Konseling"
            back = "S.Pd."
        elif edu == "D3":
            major, back = rng.choice(D3_GENERAL)
        elif fam in S1_BY_FAMILY:
            major, back = S1_BY_FAMILY[fam]
        elif pos.group in ("jpt", "administrator", "pengawas") and rng.random() < 0.25:
            major, back = "Manajemen Pemerintahan (IPDN)", "S.STP."
        else:
            major, back = rng.choice(N.GENERAL_MAJORS)
        if edu == "S2" and fam not in ("dokter", "dokter_spesialis", "dokter_gigi"):
            if pos.group in ("guru", "kepsek"):
                major2, t = "Pendidikan", "M.Pd."
            elif pos.group == "nakes":
                major2, t = "Kesehatan Masyarakat", "M.Kes."
            elif back in ("S.T.", "S.Ars.", "S.Kom."):
                major2, t = "Teknik Sipil" if back != "S.Kom." else "Sistem Informasi", "M.T."
            elif back == "S.H.":
                major2, t = "Ilmu Hukum", "M.H."
            else:
                major2, t = rng.choice(
                    (("Ilmu Administrasi Publik", "M.AP."), ("Manajemen", "M.M."), ("Ilmu Pemerintahan", "M.Si."))
                )
            back = f"{back}, {t}" if back else t
        if not front and p.age >= 45 and rng.random() < 0.1:
            front = "H." if p.gender == "L" else "Hj."
        p.front_title, p.back_title, p.majors = front, back, (major, major2)

    def _contact(self, p: Person) -> None:
        rng = self.rng
        _, kec_name, villages = KEC_BY_CODE[p.kecamatan]
        kind, village = rng.choice(villages)
        p.address = (
            f"{rng.choice(N.STREETS)} No. {rng.randint(1, 120)}, {'Kelurahan' if kind == 'K' else 'Desa'} {village}, "
            f"Kecamatan {kec_name}, Kota Sawahlunto"
        )
        p.phone = rng.choice(N.PHONE_PREFIX) + "".join(rng.choices("0123456789", k=rng.choice((7, 8))))
        slug = "".join(ch for ch in p.name.lower().replace(" ", ".") if ch.isalnum() or ch == ".").strip(".")
        p.email = f"{slug.replace('..', '.')}{rng.randint(1, 99)}@sawahlunto.example" if rng.random() < 0.85 else ""
        bank = N.weighted(rng, N.BANKS)
        if bank:
            self._acct += 1
            p.bank_name = bank
            p.bank_account_number = f"{N.BANK_PREFIX[bank]}{rng.randint(10, 99)}{self._acct:09d}"

    def _decrees(self, p: Person) -> None:
        rng = self.rng
        if p.mkg_set_on <= p.tmt_cpns:
            kind = "PPPK" if p.employee_type == "PPPK" else "CPNS"
        else:
            kind = "KGB" if rng.random() < 0.6 or p.employee_type == "PPPK" else "KP"
        p.rank_sk_date = max(p.mkg_set_on - dt.timedelta(days=rng.randint(10, 60)), p.birth_date)
        p.rank_sk_number = self.sk(kind, p.rank_sk_date)
        if p.employee_type in ("CPNS", "PPPK"):
            tmt = p.tmt_cpns
        else:
            start = p.tmt_pns or p.tmt_cpns
            span = months_between(start, fom(p.as_of))
            back = rng.randint(3, 72) if p.pos.structural else rng.randint(1, 120)
            tmt = max(start, add_months(fom(p.as_of), -min(back, max(span, 0))))
        p.position_tmt = tmt
        p.position_sk_date = tmt - dt.timedelta(days=rng.randint(5, 40))
        p.position_sk_number = self.sk(kind if kind in ("CPNS", "PPPK") else "JAB", p.position_sk_date)

    # --- families and schooling ------------------------------------------------------------------------------

    def families(self, persons: list[Person]) -> None:
        """Spouses (a few couples both in the city), children, and the end of some marriages."""
        rng = self.rng
        married = []
        for p in persons:
            age = p.age
            chance = 0.2 if age < 25 else 0.55 if age < 30 else 0.8 if age < 35 else 0.9
            if p.role == "pegawai" or rng.random() < chance:
                p.married = True
                married.append(p)
        # couples within the city: both ASN, only the husband receives the spouse allowance
        women = sorted((p for p in married if p.gender == "P"), key=lambda p: p.birth_date)
        women_births = [w.birth_date for w in women]
        taken: set[int] = set()
        couples: dict[int, Person] = {}
        for m in married:
            if m.gender != "L" or rng.random() >= 0.08 or id(m) in couples:
                continue
            i = bisect_left(women_births, m.birth_date)
            for w in women[i : i + 12]:
                if id(w) not in taken and w.birth_date <= add_years(m.birth_date, 8) and not w.role:
                    taken.add(id(w))
                    couples[id(m)], couples[id(w)] = w, m
                    break
        for p in married:
            partner = couples.get(id(p))
            if partner is not None and p.gender == "P":
                continue  # handled with her husband
            self._marry(p, partner)

    def _marry(self, p: Person, partner: Person | None) -> None:
        rng = self.rng
        if partner is not None:
            sb, sg = partner.birth_date, "P"  # p is the husband
        else:
            gap = int(rng.triangular(0, 9, 3) * 365)
            sg = "P" if p.gender == "L" else "L"
            sb = p.birth_date + dt.timedelta(days=gap) if sg == "P" else p.birth_date - dt.timedelta(days=gap)
        earliest = max(add_years(p.birth_date, 20), add_years(sb, 19))
        marriage = max(earliest, add_years(p.birth_date, int(rng.triangular(22, 33, 26))))
        marriage += dt.timedelta(days=rng.randint(0, 300))
        if marriage > p.as_of - dt.timedelta(days=30):
            marriage = max(earliest, p.as_of - dt.timedelta(days=rng.randint(30, 400)))
        ended = None
        if not p.role and rng.random() < 0.04:
            end = add_years(marriage, rng.randint(3, 15))
            ended = end if end < p.as_of - dt.timedelta(days=30) else None
        if partner is not None:
            p.family.append(self._spouse_of(partner, marriage, receives=True, ended=ended))
            partner.family.append(self._spouse_of(p, marriage, receives=False, ended=ended))
        else:
            is_pns = rng.random() < 0.1
            tmt = fom(add_years(sb, rng.randint(22, 30)))
            if tmt > add_months(fom(p.as_of), -14):
                is_pns = False
            p.family.append(
                Member(
                    relation="spouse",
                    name=N.person_name(rng, sg),
                    nik=self.nik(
                        rng.choice(("Sawahlunto", "Sawahlunto", "Solok", "Sijunjung", "Padang")), p.kecamatan, sb, sg
                    ),
                    birth_date=sb,
                    gender=sg,
                    marriage_date=marriage,
                    spouse_is_pns=is_pns,
                    spouse_nip=self.nip(sb, tmt, sg) if is_pns else "",
                    spouse_has_income=is_pns or rng.random() < (0.85 if sg == "L" else 0.35),
                    # of two ASN spouses only the husband's payroll carries the spouse allowance
                    receives_spouse_allowance=not is_pns or p.gender == "L",
                    ended_on=ended,
                )
            )
        mother_birth = sb if p.gender == "L" else p.birth_date
        n = rng.choices((0, 1, 2, 3, 4), cum_weights=(12, 32, 65, 88, 100))[0]
        if p.role == "pegawai":
            n = max(n, 2)
        t = add_months(marriage, rng.randint(10, 30))
        last_child = ended or p.as_of
        for _ in range(n):
            if t > last_child or age_on(mother_birth, t) > 44:
                break
            born = t + dt.timedelta(days=rng.randint(0, 27))
            if born > p.as_of:
                break
            p.family.append(self._child(p, born))
            t = add_months(t, rng.randint(18, 60))

    def _spouse_of(self, other: Person, marriage: dt.date, *, receives: bool, ended: dt.date | None) -> Member:
        return Member(
            relation="spouse",
            name=other.name,
            nik=other.nik,
            birth_date=other.birth_date,
            gender=other.gender,
            marriage_date=marriage,
            spouse_is_pns=True,
            spouse_nip=other.nip,
            spouse_has_income=True,
            receives_spouse_allowance=receives,
            ended_on=ended,
        )

    def _child(self, parent: Person, born: dt.date) -> Member:
        rng = self.rng
        g = rng.choice("LP")
        age = age_on(born, parent.as_of)
        in_school = 6 <= age <= 18 or (19 <= age <= 25 and rng.random() < 0.55)
        married = age >= 21 and rng.random() < (0.5 if age >= 24 else 0.2)
        working = age >= 21 and not in_school and rng.random() < 0.5
        r = rng.random()
        return Member(
            relation="child",
            name=N.person_name(rng, g),
            nik=self.nik("Sawahlunto", parent.kecamatan, born, g) if rng.random() < 0.9 else "",
            birth_date=born,
            gender=g,
            child_kind="kandung" if r < 0.95 else "angkat" if r < 0.98 else "tiri",
            in_school=in_school,
            married=married,
            working=working,
        )

    def schooling(self, p: Person) -> None:
        rng, b = self.rng, p.birth_date
        edu, entry = p.education_level, p.entry_education
        major, major2 = p.majors
        rows: list[Schooling] = []

        def when(age: int, months: tuple[int, ...] = (6, 7, 8, 9, 10)) -> dt.date:
            d = dt.date(b.year + age, rng.choice(months), rng.randint(1, 28))
            return min(d, p.tmt_cpns - dt.timedelta(days=30)) if d > p.tmt_cpns else d

        sma = rng.choice(N.SCHOOLS_SMA)
        rows.append(Schooling("SMA", "IPA" if rng.random() < 0.6 else "IPS", sma, when(18, (5, 6)), self._ijazah("DN")))
        if "D3" in (edu, entry):
            inst = rng.choice(N.HEALTH_SCHOOLS if p.pos.group == "nakes" else N.POLYTECHNICS)
            rows.append(Schooling("D3", major or "Administrasi Perkantoran", inst, when(21), self._ijazah("D3")))
        if edu in ("S1", "D4", "S2") and (entry != "SMA"):
            level = "D4" if edu == "D4" else "S1"
            if p.pos.group in ("guru", "kepsek"):
                inst = rng.choice(N.TEACHER_SCHOOLS)
            elif p.pos.group in ("nakes",):
                inst = rng.choice(N.HEALTH_SCHOOLS)
            elif "IPDN" in major:
                inst = "Institut Pemerintahan Dalam Negeri"
            elif p.pos.group == "dokter":
                inst = "Universitas Andalas" if rng.random() < 0.6 else rng.choice(N.UNIVERSITIES[:4])
            else:
                inst = rng.choice(N.UNIVERSITIES)
            rows.append(Schooling(level, major or "Ilmu Administrasi Negara", inst, when(23), self._ijazah(level)))
        if edu == "S2":
            if entry == "S2":
                grad = when(26)
            else:
                lo = add_years(p.tmt_cpns, 3)
                hi = p.as_of - dt.timedelta(days=90)
                grad = lo + dt.timedelta(days=rng.randint(0, max(0, (hi - lo).days))) if hi > lo else hi
            inst = "Universitas Andalas" if rng.random() < 0.5 else rng.choice(N.UNIVERSITIES)
            rows.append(Schooling("S2", major2 or "Ilmu Administrasi", inst, grad, self._ijazah("S2")))
        p.schooling = rows

    def _ijazah(self, level: str) -> str:
        n = self.rng.randint(1, 9_999_999)
        if level == "DN":
            return f"DN-03 Ma {n:07d}"
        return f"{level}/{self.rng.randint(1, 99):02d}/{n:07d}"


def person_count_sanity(persons: list[Person], today: dt.date) -> None:
    """Guards the generator: nobody active is past the BUP, every NIP/NIK is unique."""
    nips = {p.nip for p in persons}
    niks = {p.nik for p in persons}
    assert len(nips) == len(persons) and len(niks) == len(persons), "duplicate NIP/NIK"
    probes: dict[tuple[str, str, str], Position] = {}
    for p in persons:
        if p.status not in ("pensiun", "meninggal"):
            key = (p.pos.kind, p.pos.jf_family, p.pos.jf_jenjang)
            probe = probes.get(key) or probes.setdefault(
                key, Position(kind=key[0], jf_family=key[1], jf_jenjang=key[2])
            )
            assert retirement_date(p.birth_date, probe, today) > today, p.nip
