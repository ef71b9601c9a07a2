"""The organisation of the synthetic Kota Sawahlunto: OPD, their bidang/bagian/seksi, UPTD, puskesmas, schools,
the four kecamatan with their kelurahan and desa, and the peta jabatan (positions with kelas, eselon and
superior), planned in memory before anything is written.

OPD names follow the Pemerintah Kota Sawahlunto as best known; bidang and seksi names follow the usual
Permendagri nomenclature. It is a demo, not the official peta jabatan: kelas and ABK figures are illustrative.
Codes are stable and readable: unit "DINKES.YANKES", position "DINKES.YANKES.KABID".
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

# --- catalogue of jabatan fungsional -------------------------------------------------------------------------

JENJANG_TAG = {
    "terampil": "TR",
    "mahir": "MH",
    "penyelia": "PY",
    "ahli_pertama": "AP",
    "ahli_muda": "AM",
    "ahli_madya": "AMD",
    "ahli_utama": "AU",
}
JENJANG_LABEL = {
    "terampil": "Terampil",
    "mahir": "Mahir",
    "penyelia": "Penyelia",
    "ahli_pertama": "Ahli Pertama",
    "ahli_muda": "Ahli Muda",
    "ahli_madya": "Ahli Madya",
    "ahli_utama": "Ahli Utama",
}
JENJANG_KELAS = {
    "terampil": 7,
    "mahir": 8,
    "penyelia": 9,
    "ahli_pertama": 8,
    "ahli_muda": 9,
    "ahli_madya": 11,
    "ahli_utama": 12,
}
AHLI = (("ahli_pertama", 0.45), ("ahli_muda", 0.4), ("ahli_madya", 0.15))
AHLI_PM = (("ahli_pertama", 0.6), ("ahli_muda", 0.4))
TERAMPIL = (("terampil", 0.5), ("mahir", 0.35), ("penyelia", 0.15))
NAKES = (("terampil", 0.35), ("mahir", 0.2), ("ahli_pertama", 0.3), ("ahli_muda", 0.15))


@dataclass(frozen=True)
class Jf:
    name: str
    tag: str  # short code in position codes (≤ 5 characters)
    jenjang: tuple[tuple[str, float], ...]
    group: str  # guru | dokter | nakes | teknis | lapangan: drives gender, education and PPPK share
    female: float = 0.45


JF: dict[str, Jf] = {
    "guru": Jf("Guru", "GURU", AHLI, "guru", 0.7),
    "dokter": Jf("Dokter", "DOK", AHLI, "dokter", 0.55),
    "dokter_gigi": Jf("Dokter Gigi", "DRG", AHLI_PM, "dokter", 0.7),
    "dokter_spesialis": Jf("Dokter Spesialis", "DSP", (("ahli_muda", 0.5), ("ahli_madya", 0.5)), "dokter", 0.45),
    "perawat": Jf("Perawat", "PRWT", NAKES, "nakes", 0.72),
    "bidan": Jf("Bidan", "BIDAN", NAKES, "nakes", 1.0),
    "apoteker": Jf("Apoteker", "APT", AHLI_PM, "nakes", 0.75),
    "farmasi": Jf("Asisten Apoteker", "AA", TERAMPIL, "nakes", 0.8),
    "nutrisionis": Jf("Nutrisionis", "GIZI", (("terampil", 0.6), ("ahli_pertama", 0.4)), "nakes", 0.85),
    "sanitarian": Jf("Sanitarian", "SANI", (("terampil", 0.6), ("ahli_pertama", 0.4)), "nakes", 0.6),
    "pranata_lab": Jf(
        "Pranata Laboratorium Kesehatan", "PLK", (("terampil", 0.6), ("ahli_pertama", 0.4)), "nakes", 0.7
    ),
    "penyuluh_kesmas": Jf("Penyuluh Kesehatan Masyarakat", "PKM", AHLI_PM, "nakes", 0.7),
    "epidemiolog": Jf("Epidemiolog Kesehatan", "EPID", AHLI_PM, "nakes", 0.6),
    "radiografer": Jf("Radiografer", "RAD", (("terampil", 0.7), ("ahli_pertama", 0.3)), "nakes", 0.4),
    "perekam_medis": Jf("Perekam Medis", "PRM", (("terampil", 0.7), ("ahli_pertama", 0.3)), "nakes", 0.7),
    "fisioterapis": Jf("Fisioterapis", "FIS", (("terampil", 1.0),), "nakes", 0.6),
    "auditor": Jf("Auditor", "AUD", AHLI, "teknis", 0.5),
    "p2upd": Jf("Pengawas Penyelenggaraan Urusan Pemerintahan di Daerah", "P2UPD", AHLI, "teknis", 0.45),
    "perencana": Jf("Perencana", "PRC", AHLI, "teknis", 0.5),
    "analis_sdma": Jf("Analis Sumber Daya Manusia Aparatur", "ASDMA", AHLI_PM, "teknis", 0.55),
    "asesor_sdma": Jf("Asesor Sumber Daya Manusia Aparatur", "ASESR", AHLI_PM, "teknis", 0.5),
    "pranata_komputer": Jf(
        "Pranata Komputer", "PRKOM", (("terampil", 0.3), ("ahli_pertama", 0.5), ("ahli_muda", 0.2)), "teknis", 0.35
    ),
    "pranata_humas": Jf("Pranata Hubungan Masyarakat", "HUMAS", AHLI_PM, "teknis", 0.55),
    "statistisi": Jf("Statistisi", "STAT", AHLI_PM, "teknis", 0.5),
    "sandiman": Jf("Sandiman", "SANDI", (("terampil", 0.5), ("ahli_pertama", 0.5)), "teknis", 0.3),
    "arsiparis": Jf(
        "Arsiparis", "ARS", (("terampil", 0.5), ("ahli_pertama", 0.35), ("ahli_muda", 0.15)), "teknis", 0.6
    ),
    "pustakawan": Jf(
        "Pustakawan", "PUST", (("terampil", 0.4), ("ahli_pertama", 0.4), ("ahli_muda", 0.2)), "teknis", 0.7
    ),
    "polisi_pp": Jf(
        "Polisi Pamong Praja", "POLPP", (("terampil", 0.5), ("mahir", 0.3), ("ahli_pertama", 0.2)), "lapangan", 0.15
    ),
    "damkar": Jf("Analis Kebakaran", "DAMKR", (("terampil", 0.6), ("mahir", 0.4)), "lapangan", 0.03),
    "penyuluh_pertanian": Jf(
        "Penyuluh Pertanian", "PPL", (("terampil", 0.4), ("ahli_pertama", 0.4), ("ahli_muda", 0.2)), "teknis", 0.4
    ),
    "medik_veteriner": Jf("Medik Veteriner", "MVET", AHLI_PM, "teknis", 0.5),
    "paramedik_veteriner": Jf("Paramedik Veteriner", "PVET", (("terampil", 0.7), ("mahir", 0.3)), "teknis", 0.3),
    "penyuluh_kb": Jf("Penyuluh Keluarga Berencana", "PKB", AHLI_PM, "teknis", 0.7),
    "pekerja_sosial": Jf("Pekerja Sosial", "PEKSO", (("terampil", 0.4), ("ahli_pertama", 0.6)), "teknis", 0.6),
    "penyuluh_sosial": Jf("Penyuluh Sosial", "PENSO", AHLI_PM, "teknis", 0.55),
    "teknik_jalan": Jf("Teknik Jalan dan Jembatan", "TJJ", AHLI, "teknis", 0.2),
    "teknik_pengairan": Jf("Teknik Pengairan", "TPA", AHLI_PM, "teknis", 0.2),
    "penata_ruang": Jf("Penata Ruang", "PRUANG", AHLI_PM, "teknis", 0.4),
    "tata_bangunan": Jf("Teknik Tata Bangunan dan Perumahan", "TTBP", AHLI_PM, "teknis", 0.3),
    "pengendali_dampak": Jf("Pengendali Dampak Lingkungan", "PEDAL", AHLI_PM, "teknis", 0.45),
    "penguji_kendaraan": Jf(
        "Penguji Kendaraan Bermotor", "PKBM", (("terampil", 0.5), ("mahir", 0.3), ("penyelia", 0.2)), "lapangan", 0.1
    ),
    "pengelola_pbj": Jf("Pengelola Pengadaan Barang/Jasa", "PBJ", AHLI_PM, "teknis", 0.4),
    "analis_kebijakan": Jf("Analis Kebijakan", "AK", AHLI, "teknis", 0.45),
    "analis_keuangan": Jf("Analis Keuangan Pusat dan Daerah", "AKPD", AHLI, "teknis", 0.55),
    "analis_hukum": Jf("Analis Hukum", "AH", AHLI_PM, "teknis", 0.5),
    "perancang_uu": Jf("Perancang Peraturan Perundang-undangan", "PERUU", AHLI_PM, "teknis", 0.5),
    "pamong_budaya": Jf("Pamong Budaya", "PBUD", AHLI_PM, "teknis", 0.5),
    "adyatama": Jf("Adyatama Kepariwisataan dan Ekonomi Kreatif", "ADYA", AHLI_PM, "teknis", 0.5),
    "penera": Jf("Penera", "PENRA", (("terampil", 0.5), ("ahli_pertama", 0.5)), "teknis", 0.3),
    "pengawas_koperasi": Jf("Pengawas Koperasi", "PKOP", AHLI_PM, "teknis", 0.5),
    "mediator_hi": Jf("Mediator Hubungan Industrial", "MHI", AHLI_PM, "teknis", 0.4),
    "pengantar_kerja": Jf("Pengantar Kerja", "PKJ", AHLI_PM, "teknis", 0.5),
    "penyuluh_perikanan": Jf("Penyuluh Perikanan", "PPI", (("terampil", 0.4), ("ahli_pertama", 0.6)), "teknis", 0.35),
    "analis_ketahanan_pangan": Jf("Analis Ketahanan Pangan", "AKP", AHLI_PM, "teknis", 0.5),
    "adminduk": Jf(
        "Administrator Database Kependudukan", "ADBK", (("terampil", 0.4), ("ahli_pertama", 0.6)), "teknis", 0.5
    ),
    "penggerak_swadaya": Jf("Penggerak Swadaya Masyarakat", "PSM", AHLI_PM, "teknis", 0.45),
    "analis_bencana": Jf("Analis Kebencanaan", "ABNC", AHLI_PM, "teknis", 0.3),
    "pengawas_sekolah": Jf("Pengawas Sekolah", "PWSKL", (("ahli_muda", 0.5), ("ahli_madya", 0.5)), "guru", 0.55),
    "penilik": Jf("Penilik", "PNLK", AHLI_PM, "guru", 0.55),
}

# Pelaksana (PermenPANRB 45/2022 nomenclature): tag → (name, kelas).
PELAKSANA = {
    "PP": ("Pengadministrasi Perkantoran", 5),
    "OLO": ("Operator Layanan Operasional", 5),
    "PLO": ("Pengelola Layanan Operasional", 6),
    "PDI": ("Pengolah Data dan Informasi", 6),
    "PNLO": ("Penata Layanan Operasional", 7),
    "PTK": ("Penelaah Teknis Kebijakan", 7),
    "BEND": ("Bendahara Pengeluaran", 7),
    "PKEU": ("Pengadministrasi Keuangan", 6),
    "TSP": ("Teknisi Sarana dan Prasarana", 6),
}


# --- the OPD specification ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bidang:
    code: str  # ≤ 7 characters, unique within the OPD
    name: str
    seksi: tuple[tuple[str, str], ...] = ()  # (code, name) of seksi/subbidang/subbagian under it
    jf: tuple[tuple[str, float], ...] = ()  # (JF family, headcount at the default size)
    staff: float = 3.0  # pelaksana headcount at the default size
    kind: str = "bidang"


@dataclass(frozen=True)
class Opd:
    code: str  # ≤ 8 characters
    name: str
    head: str  # title of the head (kepala)
    bidang: tuple[Bidang, ...] = ()
    kind: str = "opd"
    eselon: str = "II.b"
    kelas: int = 13
    sekretariat: bool = True
    big: float = 1.0  # scales staff headcounts of this OPD


def B(code: str, name: str, *seksi: str, jf: tuple[tuple[str, float], ...] = (), staff: float = 3.0) -> Bidang:
    codes = [f"S{i + 1}" for i in range(len(seksi))]
    return Bidang(code, name, tuple(zip(codes, seksi, strict=True)), jf, staff)


OPDS: tuple[Opd, ...] = (
    Opd(
        "INSP",
        "Inspektorat Daerah",
        "Inspektur",
        kelas=14,
        bidang=tuple(
            Bidang(
                f"IRBAN{i}",
                f"Inspektur Pembantu Wilayah {r}",
                jf=(("auditor", 5), ("p2upd", 3)),
                staff=1,
            )
            for i, r in enumerate(("I", "II", "III", "IV"), start=1)
        ),
    ),
    Opd(
        "BAPPEDA",
        "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah",
        "Kepala Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah",
        kelas=14,
        bidang=(
            B("PPEP", "Bidang Perencanaan, Pengendalian dan Evaluasi Pembangunan", jf=(("perencana", 3),)),
            B("EKOSDA", "Bidang Perekonomian dan Sumber Daya Alam", jf=(("perencana", 3),)),
            B("PPM", "Bidang Pemerintahan dan Pembangunan Manusia", jf=(("perencana", 3),)),
            B("INFRA", "Bidang Infrastruktur dan Kewilayahan", jf=(("perencana", 3),)),
            B("LITBANG", "Bidang Penelitian dan Pengembangan", jf=(("analis_kebijakan", 2),)),
        ),
    ),
    Opd(
        "BKPSDM",
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        kelas=14,
        bidang=(
            B(
                "PPI",
                "Bidang Pengadaan, Pemberhentian dan Informasi",
                jf=(("analis_sdma", 3), ("pranata_komputer", 2)),
                staff=4,
            ),
            B("MUTASI", "Bidang Mutasi dan Promosi", jf=(("analis_sdma", 3),), staff=3),
            B("BANGKOM", "Bidang Pengembangan Kompetensi Aparatur", jf=(("analis_sdma", 2), ("asesor_sdma", 2))),
            B("PKA", "Bidang Penilaian Kinerja Aparatur dan Penghargaan", jf=(("analis_sdma", 3),)),
        ),
    ),
    Opd(
        "BPKAD",
        "Badan Pengelolaan Keuangan dan Aset Daerah",
        "Kepala Badan Pengelolaan Keuangan dan Aset Daerah",
        kelas=14,
        bidang=(
            B("ANGG", "Bidang Anggaran", "Subbidang Anggaran Belanja", jf=(("analis_keuangan", 4),), staff=3),
            B(
                "BEND",
                "Bidang Perbendaharaan",
                "Subbidang Belanja Gaji dan Tunjangan",
                "Subbidang Kas Daerah",
                jf=(("analis_keuangan", 3),),
                staff=5,
            ),
            B("AKUN", "Bidang Akuntansi dan Pelaporan", jf=(("analis_keuangan", 4),), staff=4),
            B("ASET", "Bidang Pengelolaan Aset Daerah", "Subbidang Penatausahaan Aset", staff=5),
        ),
    ),
    Opd(
        "BAPENDA",
        "Badan Pendapatan Daerah",
        "Kepala Badan Pendapatan Daerah",
        bidang=(
            B("DATA", "Bidang Pendataan dan Penetapan", "Subbidang Pendataan", staff=5),
            B("PAJAK", "Bidang Pajak Bumi dan Bangunan dan BPHTB", staff=5),
            B("TAGIH", "Bidang Penagihan, Keberatan dan Pengendalian", "Subbidang Penagihan", staff=5),
        ),
    ),
    Opd(
        "BPBD",
        "Badan Penanggulangan Bencana Daerah",
        "Kepala Pelaksana Badan Penanggulangan Bencana Daerah",
        bidang=(
            B("PK", "Bidang Pencegahan dan Kesiapsiagaan", jf=(("analis_bencana", 2),), staff=3),
            B("DL", "Bidang Kedaruratan dan Logistik", staff=8),
            B("RR", "Bidang Rehabilitasi dan Rekonstruksi", staff=3),
        ),
    ),
    Opd(
        "KESBANG",
        "Badan Kesatuan Bangsa dan Politik",
        "Kepala Badan Kesatuan Bangsa dan Politik",
        bidang=(
            B("IDEO", "Bidang Ideologi, Wawasan Kebangsaan dan Karakter Bangsa", staff=2),
            B("POLDAGRI", "Bidang Politik Dalam Negeri dan Organisasi Kemasyarakatan", staff=2),
            B("KEWASP", "Bidang Kewaspadaan Nasional dan Penanganan Konflik", staff=2),
        ),
    ),
    Opd(
        "DISDIK",
        "Dinas Pendidikan dan Kebudayaan",
        "Kepala Dinas Pendidikan dan Kebudayaan",
        kelas=14,
        bidang=(
            B(
                "PSD",
                "Bidang Pembinaan Sekolah Dasar",
                "Seksi Kurikulum dan Penilaian SD",
                jf=(("pengawas_sekolah", 5),),
                staff=3,
            ),
            B(
                "PSMP",
                "Bidang Pembinaan Sekolah Menengah Pertama",
                "Seksi Kurikulum dan Penilaian SMP",
                jf=(("pengawas_sekolah", 3),),
                staff=3,
            ),
            B("PAUD", "Bidang Pembinaan PAUD dan Pendidikan Nonformal", jf=(("penilik", 4),), staff=2),
            B("GTK", "Bidang Guru dan Tenaga Kependidikan", staff=4),
            B("BUD", "Bidang Kebudayaan", "Seksi Cagar Budaya dan Permuseuman", jf=(("pamong_budaya", 3),), staff=4),
        ),
    ),
    Opd(
        "DINKES",
        "Dinas Kesehatan",
        "Kepala Dinas Kesehatan",
        kelas=14,
        bidang=(
            B(
                "KESMAS",
                "Bidang Kesehatan Masyarakat",
                jf=(("nutrisionis", 2), ("penyuluh_kesmas", 2), ("sanitarian", 1)),
                staff=2,
            ),
            B("P2P", "Bidang Pencegahan dan Pengendalian Penyakit", jf=(("epidemiolog", 3),), staff=2),
            B("YANKES", "Bidang Pelayanan dan Sumber Daya Kesehatan", jf=(("apoteker", 2),), staff=3),
        ),
    ),
    Opd(
        "RSUD",
        "Rumah Sakit Umum Daerah Sawahlunto",
        "Direktur Rumah Sakit Umum Daerah Sawahlunto",
        kind="rsud",
        sekretariat=False,
        bidang=(
            Bidang(
                "TU",
                "Bagian Tata Usaha",
                (("UMUM", "Subbagian Umum dan Kepegawaian"), ("KEU", "Subbagian Keuangan dan Program")),
                (("perekam_medis", 10), ("pranata_komputer", 2)),
                24,
                "bagian",
            ),
            Bidang(
                "YANMED",
                "Bidang Pelayanan Medik dan Keperawatan",
                (("MEDIK", "Seksi Pelayanan Medik"), ("KEP", "Seksi Keperawatan")),
                (("dokter_spesialis", 14), ("dokter", 14), ("dokter_gigi", 2), ("perawat", 110), ("bidan", 22)),
                4,
            ),
            Bidang(
                "PENUNJ",
                "Bidang Penunjang Medik dan Nonmedik",
                (("MEDIK", "Seksi Penunjang Medik"), ("NONMED", "Seksi Penunjang Nonmedik")),
                (
                    ("apoteker", 4),
                    ("farmasi", 10),
                    ("pranata_lab", 8),
                    ("radiografer", 5),
                    ("nutrisionis", 5),
                    ("fisioterapis", 3),
                    ("sanitarian", 2),
                ),
                10,
            ),
        ),
    ),
    Opd(
        "PUPR",
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        "Kepala Dinas Pekerjaan Umum dan Penataan Ruang",
        kelas=14,
        bidang=(
            B(
                "BM",
                "Bidang Bina Marga",
                "Seksi Pembangunan dan Pemeliharaan Jalan",
                jf=(("teknik_jalan", 4),),
                staff=5,
            ),
            B("SDA", "Bidang Sumber Daya Air", jf=(("teknik_pengairan", 3),), staff=4),
            B("CK", "Bidang Cipta Karya", jf=(("tata_bangunan", 2),), staff=4),
            B("TRJK", "Bidang Penataan Ruang dan Jasa Konstruksi", jf=(("penata_ruang", 2),), staff=3),
            Bidang("UPTDPAL", "UPTD Peralatan dan Perbengkelan", staff=6, kind="uptd"),
        ),
    ),
    Opd(
        "PERKIMLH",
        "Dinas Perumahan, Kawasan Permukiman dan Lingkungan Hidup",
        "Kepala Dinas Perumahan, Kawasan Permukiman dan Lingkungan Hidup",
        bidang=(
            B("PKP", "Bidang Perumahan dan Kawasan Permukiman", jf=(("tata_bangunan", 2),), staff=3),
            B("TLPP", "Bidang Tata Lingkungan dan Pengendalian Pencemaran", jf=(("pengendali_dampak", 3),), staff=2),
            B("SAMPAH", "Bidang Persampahan, Pertamanan dan Pemakaman", "Seksi Persampahan", staff=10),
            Bidang("UPTDTPA", "UPTD Tempat Pemrosesan Akhir Sampah", staff=8, kind="uptd"),
        ),
    ),
    Opd(
        "SATPOL",
        "Satuan Polisi Pamong Praja dan Pemadam Kebakaran",
        "Kepala Satuan Polisi Pamong Praja dan Pemadam Kebakaran",
        bidang=(
            B("GAKDA", "Bidang Penegakan Peraturan Daerah", jf=(("polisi_pp", 12),), staff=2),
            B("TRANTIB", "Bidang Ketertiban Umum dan Ketenteraman Masyarakat", jf=(("polisi_pp", 16),), staff=3),
            B("DAMKAR", "Bidang Pemadam Kebakaran dan Penyelamatan", jf=(("damkar", 24),), staff=6),
        ),
    ),
    Opd(
        "DINSOS",
        "Dinas Sosial, Pemberdayaan Perempuan dan Perlindungan Anak",
        "Kepala Dinas Sosial, Pemberdayaan Perempuan dan Perlindungan Anak",
        bidang=(
            B("REHSOS", "Bidang Rehabilitasi dan Perlindungan Jaminan Sosial", jf=(("pekerja_sosial", 3),), staff=2),
            B("DAYASOS", "Bidang Pemberdayaan Sosial dan Penanganan Fakir Miskin", jf=(("penyuluh_sosial", 2),)),
            B("PPPA", "Bidang Pemberdayaan Perempuan dan Perlindungan Anak", staff=3),
        ),
    ),
    Opd(
        "DPPKB",
        "Dinas Pengendalian Penduduk dan Keluarga Berencana",
        "Kepala Dinas Pengendalian Penduduk dan Keluarga Berencana",
        bidang=(
            B("DALDUK", "Bidang Pengendalian Penduduk dan Penyuluhan", jf=(("penyuluh_kb", 8),), staff=2),
            B("KBKK", "Bidang Keluarga Berencana dan Ketahanan Keluarga", jf=(("penyuluh_kb", 4),), staff=2),
        ),
    ),
    Opd(
        "DUKCAPIL",
        "Dinas Kependudukan dan Pencatatan Sipil",
        "Kepala Dinas Kependudukan dan Pencatatan Sipil",
        bidang=(
            B("DAFDUK", "Bidang Pelayanan Pendaftaran Penduduk", staff=6),
            B("CAPIL", "Bidang Pelayanan Pencatatan Sipil", staff=5),
            B("PIAK", "Bidang Pengelolaan Informasi Administrasi Kependudukan", jf=(("adminduk", 3),), staff=2),
        ),
    ),
    Opd(
        "DPMD",
        "Dinas Pemberdayaan Masyarakat dan Desa",
        "Kepala Dinas Pemberdayaan Masyarakat dan Desa",
        bidang=(
            B("PEMDES", "Bidang Pemerintahan Desa", staff=3),
            B("PMKD", "Bidang Pemberdayaan Masyarakat dan Kelembagaan Desa", jf=(("penggerak_swadaya", 3),)),
        ),
    ),
    Opd(
        "DISHUB",
        "Dinas Perhubungan",
        "Kepala Dinas Perhubungan",
        bidang=(
            B("LLAJ", "Bidang Lalu Lintas dan Angkutan Jalan", "Seksi Manajemen dan Rekayasa Lalu Lintas", staff=10),
            B("SARPRAS", "Bidang Sarana dan Prasarana", staff=5),
            Bidang(
                "UPTDPKB", "UPTD Pengujian Kendaraan Bermotor", jf=(("penguji_kendaraan", 4),), staff=2, kind="uptd"
            ),
        ),
    ),
    Opd(
        "KOMINFO",
        "Dinas Komunikasi dan Informatika",
        "Kepala Dinas Komunikasi dan Informatika",
        bidang=(
            B("IKP", "Bidang Informasi dan Komunikasi Publik", jf=(("pranata_humas", 3),), staff=2),
            B("APTIKA", "Bidang Aplikasi Informatika dan Persandian", jf=(("pranata_komputer", 4), ("sandiman", 2))),
            B("STAT", "Bidang Statistik", jf=(("statistisi", 2),), staff=1),
        ),
    ),
    Opd(
        "KUKMP",
        "Dinas Koperasi, Usaha Kecil dan Menengah dan Perdagangan",
        "Kepala Dinas Koperasi, Usaha Kecil dan Menengah dan Perdagangan",
        bidang=(
            B("KUKM", "Bidang Koperasi dan Usaha Kecil dan Menengah", jf=(("pengawas_koperasi", 2),), staff=2),
            B("DAG", "Bidang Perdagangan", "Seksi Pengelolaan Pasar", staff=8),
            Bidang("UPTDMET", "UPTD Metrologi Legal", jf=(("penera", 3),), staff=1, kind="uptd"),
        ),
    ),
    Opd(
        "DPMPTSP",
        "Dinas Penanaman Modal, Pelayanan Terpadu Satu Pintu dan Tenaga Kerja",
        "Kepala Dinas Penanaman Modal, Pelayanan Terpadu Satu Pintu dan Tenaga Kerja",
        bidang=(
            B("PM", "Bidang Penanaman Modal", staff=2),
            B("YANIZIN", "Bidang Pelayanan Perizinan dan Nonperizinan", "Seksi Pelayanan Perizinan", staff=5),
            B("NAKER", "Bidang Tenaga Kerja", jf=(("mediator_hi", 2), ("pengantar_kerja", 2)), staff=2),
        ),
    ),
    Opd(
        "PARPORA",
        "Dinas Pariwisata, Pemuda dan Olahraga",
        "Kepala Dinas Pariwisata, Pemuda dan Olahraga",
        bidang=(
            B("DESTI", "Bidang Destinasi dan Industri Pariwisata", jf=(("adyatama", 2),), staff=3),
            B("PEMASAR", "Bidang Pemasaran Pariwisata dan Ekonomi Kreatif", jf=(("adyatama", 2),), staff=2),
            B("PORA", "Bidang Kepemudaan dan Olahraga", staff=3),
            Bidang("UPTDMUS", "UPTD Museum dan Kawasan Cagar Budaya", jf=(("pamong_budaya", 2),), staff=8, kind="uptd"),
        ),
    ),
    Opd(
        "DISPUSIP",
        "Dinas Perpustakaan dan Kearsipan",
        "Kepala Dinas Perpustakaan dan Kearsipan",
        bidang=(
            B("PUSTAKA", "Bidang Perpustakaan", jf=(("pustakawan", 5),), staff=3),
            B("ARSIP", "Bidang Kearsipan", jf=(("arsiparis", 4),), staff=2),
        ),
    ),
    Opd(
        "DISTAN",
        "Dinas Pertanian",
        "Kepala Dinas Pertanian",
        bidang=(
            B("TPH", "Bidang Tanaman Pangan dan Hortikultura", staff=3),
            B(
                "NAKKESWAN",
                "Bidang Peternakan dan Kesehatan Hewan",
                jf=(("medik_veteriner", 2), ("paramedik_veteriner", 3)),
                staff=2,
            ),
            B("LUHTAN", "Bidang Penyuluhan dan Prasarana Pertanian", jf=(("penyuluh_pertanian", 14),), staff=2),
        ),
    ),
    Opd(
        "DPP",
        "Dinas Pangan dan Perikanan",
        "Kepala Dinas Pangan dan Perikanan",
        bidang=(
            B("PANGAN", "Bidang Ketahanan Pangan", jf=(("analis_ketahanan_pangan", 3),), staff=2),
            B("IKAN", "Bidang Perikanan", jf=(("penyuluh_perikanan", 4),), staff=2),
        ),
    ),
)

# Sekretariat Daerah: Sekda (II.a), three Asisten (II.b) each over three Bagian, and three Staf Ahli.
SETDA_ASISTEN = (
    (
        "ASIS1",
        "Asisten Pemerintahan dan Kesejahteraan Rakyat",
        (
            ("PEM", "Bagian Pemerintahan", ("Subbagian Administrasi Pemerintahan", "Subbagian Kerja Sama")),
            ("HKM", "Bagian Hukum", ("Subbagian Peraturan Perundang-undangan", "Subbagian Bantuan Hukum")),
            ("KESRA", "Bagian Kesejahteraan Rakyat", ("Subbagian Bina Mental dan Spiritual",)),
        ),
    ),
    (
        "ASIS2",
        "Asisten Perekonomian dan Pembangunan",
        (
            ("EKO", "Bagian Perekonomian dan Sumber Daya Alam", ("Subbagian Perekonomian",)),
            ("ADPEM", "Bagian Administrasi Pembangunan", ("Subbagian Pengendalian Pembangunan",)),
            ("PBJ", "Bagian Pengadaan Barang dan Jasa", ("Subbagian Pengelolaan Layanan Pengadaan",)),
        ),
    ),
    (
        "ASIS3",
        "Asisten Administrasi Umum",
        (
            ("UMUM", "Bagian Umum", ("Subbagian Tata Usaha Pimpinan", "Subbagian Rumah Tangga", "Subbagian Keuangan")),
            ("ORG", "Bagian Organisasi", ("Subbagian Kelembagaan dan Analisis Jabatan",)),
            ("PROKOM", "Bagian Protokol dan Komunikasi Pimpinan", ("Subbagian Protokol",)),
        ),
    ),
)
SETDA_BAGIAN_JF = {
    "HKM": (("analis_hukum", 2), ("perancang_uu", 2)),
    "PBJ": (("pengelola_pbj", 5),),
    "ORG": (("analis_kebijakan", 2),),
    "PEM": (("analis_kebijakan", 1),),
}
SETDA_BAGIAN_STAFF = {"UMUM": 14, "PROKOM": 4}
STAF_AHLI = (
    ("SA1", "Staf Ahli Wali Kota Bidang Pemerintahan, Hukum dan Politik"),
    ("SA2", "Staf Ahli Wali Kota Bidang Ekonomi, Keuangan dan Pembangunan"),
    ("SA3", "Staf Ahli Wali Kota Bidang Kemasyarakatan dan Sumber Daya Manusia"),
)
SETWAN_BAGIAN = (
    ("UMKEU", "Bagian Umum dan Keuangan", ("Subbagian Tata Usaha dan Kepegawaian", "Subbagian Keuangan"), 8),
    ("PERSID", "Bagian Persidangan dan Perundang-undangan", ("Subbagian Persidangan dan Risalah",), 3),
    ("FASIL", "Bagian Fasilitasi Penganggaran dan Pengawasan", ("Subbagian Fasilitasi Penganggaran",), 3),
)

# Kecamatan (Kemendagri codes 13.73.01–04) with their kelurahan (K) and desa (D), as best known.
KECAMATAN = (
    (
        "SLK",
        "01",
        "Silungkang",
        (("D", "Silungkang Oso"), ("D", "Silungkang Duo"), ("D", "Silungkang Tigo"), ("D", "Muaro Kalaban"))
        + (("D", "Taratak Bancah"),),
    ),
    (
        "LBS",
        "02",
        "Lembah Segar",
        (
            ("K", "Aur Mulyo"),
            ("K", "Pasar"),
            ("K", "Air Dingin"),
            ("K", "Tanah Lapang"),
            ("K", "Kubang Sirakuk Utara"),
            ("K", "Kubang Sirakuk Selatan"),
            ("D", "Lunto Timur"),
            ("D", "Lunto Barat"),
            ("D", "Pasar Kubang"),
            ("D", "Kubang Tangah"),
        ),
    ),
    (
        "BRG",
        "03",
        "Barangin",
        (
            ("K", "Saringan"),
            ("K", "Lubang Panjang"),
            ("K", "Durian I"),
            ("K", "Durian II"),
            ("D", "Santur"),
            ("D", "Kolok Mudik"),
            ("D", "Kolok Nan Tuo"),
            ("D", "Lumindai"),
            ("D", "Balai Batu Sandaran"),
            ("D", "Talago Gunung"),
            ("D", "Rantih"),
        ),
    ),
    (
        "TLW",
        "04",
        "Talawi",
        tuple(
            ("D", n)
            for n in (
                "Talawi Mudik",
                "Talawi Hilir",
                "Sijantang Koto",
                "Kumbayau",
                "Batu Tanjung",
                "Datar Mansiang",
                "Bukit Gadang",
                "Tumpuk Tangah",
                "Sikalang",
                "Salak",
            )
        ),
    ),
)
KEC_SEKSI = (
    ("PEM", "Seksi Pemerintahan"),
    ("TRANTIB", "Seksi Ketenteraman dan Ketertiban Umum"),
    ("PMD", "Seksi Pemberdayaan Masyarakat dan Desa"),
    ("KESOS", "Seksi Kesejahteraan Sosial"),
    ("YANUM", "Seksi Pelayanan Umum"),
)
# Puskesmas (UPTD of Dinas Kesehatan) with the kecamatan they serve.
PUSKESMAS = (
    ("LUNTO", "Lunto", "LBS"),
    ("SGDURIAN", "Sungai Durian", "BRG"),
    ("KOLOK", "Kolok", "BRG"),
    ("SANTUR", "Santur", "BRG"),
    ("SILUNGKANG", "Silungkang", "SLK"),
    ("TALAWI", "Talawi", "TLW"),
)
SD_SHARE = (("TLW", 0.3), ("BRG", 0.27), ("LBS", 0.25), ("SLK", 0.18))
DEFAULT_SIZE = 2500
SD_PER_DEFAULT, SMP_PER_DEFAULT = 42, 7


# --- the plan -------------------------------------------------------------------------------------------------


@dataclass
class UnitPlan:
    code: str
    name: str
    kind: str
    parent: str | None = None
    kecamatan: str = ""  # for addresses and NIK kecamatan digits


@dataclass
class PositionPlan:
    code: str
    name: str
    kind: str  # jpt | administrator | pengawas | fungsional | pelaksana
    unit: str
    superior: str | None
    kelas: int
    eselon: str = ""
    jf_family: str = ""
    jf_jenjang: str = ""
    weight: float = 0.0  # expected holders at the default size (fungsional/pelaksana)
    priority: int = 9  # structural fill order; lower is filled first when the city is small
    group: str = "pelaksana"  # jpt | administrator | pengawas | guru | dokter | nakes | teknis | lapangan | pelaksana
    female: float = 0.5
    holders: int = 0
    seats_abk: int = 1

    @property
    def structural(self) -> bool:
        return self.kind in ("jpt", "administrator", "pengawas")


@dataclass
class Plan:
    units: list[UnitPlan] = field(default_factory=list)
    positions: list[PositionPlan] = field(default_factory=list)
    unit_by_code: dict[str, UnitPlan] = field(default_factory=dict)
    pos_by_code: dict[str, PositionPlan] = field(default_factory=dict)

    def unit(self, code: str, name: str, kind: str, parent: str | None = None, kecamatan: str = "") -> str:
        assert len(code) <= 30 and code not in self.unit_by_code, code
        if not kecamatan and parent:
            kecamatan = self.unit_by_code[parent].kecamatan
        u = UnitPlan(code, name, kind, parent, kecamatan)
        self.units.append(u)
        self.unit_by_code[code] = u
        return code

    def position(self, unit: str, tag: str, name: str, kind: str, superior: str | None, kelas: int, **kw) -> str:
        code = f"{unit}.{tag}"
        assert len(code) <= 40 and code not in self.pos_by_code, code
        p = PositionPlan(code, name, kind, unit, superior, kelas, **kw)
        if kind == "jpt":
            p.group = "jpt"
        elif kind in ("administrator", "pengawas"):
            p.group = kind
        self.positions.append(p)
        self.pos_by_code[code] = p
        return code

    def jf(self, unit: str, family: str, headcount: float, superior: str, scale: float = 1.0) -> None:
        spec = JF[family]
        for jenjang, share in spec.jenjang:
            self.position(
                unit,
                f"{spec.tag}-{JENJANG_TAG[jenjang]}",
                f"{spec.name} {JENJANG_LABEL[jenjang]}",
                "fungsional",
                superior,
                JENJANG_KELAS[jenjang],
                jf_family=family,
                jf_jenjang=jenjang,
                weight=headcount * share * scale,
                group=spec.group,
                female=spec.female,
            )

    def staff(self, unit: str, headcount: float, superior: str, tags: tuple[str, ...] = ("PTK", "PDI", "PP")) -> None:
        shares = {1: (1.0,), 2: (0.55, 0.45), 3: (0.3, 0.35, 0.35), 4: (0.25, 0.25, 0.25, 0.25)}[len(tags)]
        for tag, share in zip(tags, shares, strict=True):
            name, kelas = PELAKSANA[tag]
            self.position(unit, tag, name, "pelaksana", superior, kelas, weight=headcount * share)


def _sekretariat(plan: Plan, opd: str, head: str, big: float = 1.0, kecamatan: bool = False) -> str:
    """Sekretariat (or sekretariat kecamatan) with two subbagian; returns the sekretaris position."""
    if kecamatan:
        sek_unit = opd
        sek = plan.position(opd, "SEKCAM", "Sekretaris Kecamatan", "administrator", head, 11, eselon="III.b")
    else:
        opd_name = plan.unit_by_code[opd].name
        sek_unit = plan.unit(f"{opd}.SEK", f"Sekretariat {opd_name}", "sekretariat", opd)
        sek = plan.position(
            sek_unit, "SEKRETARIS", f"Sekretaris {opd_name}", "administrator", head, 12, eselon="III.a", priority=2
        )
    for tag, name, staff_tags in (
        ("UMPEG", "Subbagian Umum dan Kepegawaian", ("PDI", "PP", "OLO")),
        ("PK", "Subbagian Perencanaan dan Keuangan", ("BEND", "PKEU", "PTK")),
    ):
        u = plan.unit(f"{sek_unit}.{tag}", name, "subbagian", sek_unit)
        kasub = plan.position(
            u,
            "KASUBBAG",
            f"Kepala {name}",
            "pengawas",
            sek,
            8 if kecamatan else 9,
            eselon="IV.b" if kecamatan else "IV.a",
        )
        plan.staff(u, 3.0 * big, kasub, staff_tags)
    return sek


def _bidang(plan: Plan, opd: Opd, b: Bidang, head: str) -> None:
    big = opd.big
    if b.kind == "uptd":
        u = plan.unit(f"{opd.code}.{b.code}", b.name, "uptd", opd.code)
        chief = plan.position(u, "KEPALA", f"Kepala {b.name}", "pengawas", head, 9, eselon="IV.a", priority=5)
    else:
        u = plan.unit(f"{opd.code}.{b.code}", b.name, b.kind, opd.code)
        title = "Kepala Bagian" if b.kind == "bagian" else "Kepala Bidang"
        if b.name.startswith("Inspektur Pembantu"):
            chief = plan.position(u, "IRBAN", b.name, "administrator", head, 11, eselon="III.a", priority=3)
        else:
            label = b.name.split(" ", 1)[1]
            chief = plan.position(u, "KABID", f"{title} {label}", "administrator", head, 11, eselon="III.b", priority=3)
    for fam, n in b.jf:
        plan.jf(u, fam, n, chief)
    for code, name in b.seksi:
        kind = "subbagian" if name.startswith("Subbagian") else "subbidang" if name.startswith("Subbidang") else "seksi"
        su = plan.unit(f"{u}.{code}", name, kind, u)
        kasi = plan.position(su, "KASI", f"Kepala {name}", "pengawas", chief, 9, eselon="IV.a", priority=5)
        plan.staff(su, 2.0 * big, kasi, ("PDI", "PP"))
    plan.staff(u, b.staff * big, chief)


def _setda(plan: Plan) -> None:
    u = plan.unit("SETDA", "Sekretariat Daerah", "opd")
    sekda = plan.position(u, "SEKDA", "Sekretaris Daerah", "jpt", None, 14, eselon="II.a", priority=0)
    for code, name in STAF_AHLI:
        plan.position(u, code, name, "jpt", sekda, 13, eselon="II.b", priority=1)
    for acode, aname, bagian in SETDA_ASISTEN:
        asis = plan.position(u, acode, aname, "jpt", sekda, 13, eselon="II.b", priority=1)
        for bcode, bname, subs in bagian:
            bu = plan.unit(f"SETDA.{bcode}", bname, "bagian", u)
            kabag = plan.position(bu, "KABAG", f"Kepala {bname}", "administrator", asis, 11, eselon="III.a", priority=3)
            for i, sname in enumerate(subs, start=1):
                su = plan.unit(f"{bu}.SUB{i}", sname, "subbagian", bu)
                kasub = plan.position(
                    su, "KASUBBAG", f"Kepala {sname}", "pengawas", kabag, 9, eselon="IV.a", priority=6
                )
                plan.staff(su, 2.0, kasub, ("PDI", "PP"))
            for fam, n in SETDA_BAGIAN_JF.get(bcode, ()):
                plan.jf(bu, fam, n, kabag)
            plan.staff(bu, SETDA_BAGIAN_STAFF.get(bcode, 2), kabag, ("PTK", "PP", "OLO"))


def _setwan(plan: Plan) -> None:
    u = plan.unit("SETWAN", "Sekretariat DPRD", "opd")
    head = plan.position(u, "SEKWAN", "Sekretaris DPRD", "jpt", None, 13, eselon="II.b", priority=0)
    for bcode, bname, subs, staff in SETWAN_BAGIAN:
        bu = plan.unit(f"SETWAN.{bcode}", bname, "bagian", u)
        kabag = plan.position(bu, "KABAG", f"Kepala {bname}", "administrator", head, 11, eselon="III.a", priority=3)
        for i, sname in enumerate(subs, start=1):
            su = plan.unit(f"{bu}.SUB{i}", sname, "subbagian", bu)
            kasub = plan.position(su, "KASUBBAG", f"Kepala {sname}", "pengawas", kabag, 9, eselon="IV.a", priority=6)
            plan.staff(su, 2.0, kasub, ("PDI", "PP"))
        plan.staff(bu, staff, kabag, ("PTK", "PP", "OLO"))


def _schools(plan: Plan, rng: random.Random, scale: float) -> None:
    n_sd = max(2, round(SD_PER_DEFAULT * scale))
    n_smp = max(1, round(SMP_PER_DEFAULT * scale))
    kabid_sd, kabid_smp = "DISDIK.PSD.KABID", "DISDIK.PSMP.KABID"
    per_kec = _split(n_sd, SD_SHARE)
    for kec, count in per_kec:
        kec_name = next(k[2] for k in KECAMATAN if k[0] == kec)
        for i in range(1, count + 1):
            u = plan.unit(f"DISDIK.SDN{i:02d}-{kec}", f"SD Negeri {i:02d} {kec_name}", "sekolah", "DISDIK", kec)
            pupils = rng.choice((6, 6, 9, 9, 12))  # rombongan belajar: 1–2 classes per grade
            _school(plan, u, kabid_sd, guru=pupils + rng.choice((1, 2, 2, 3)), tu=1 + (pupils > 6), sd=True)
    for i in range(1, n_smp + 1):
        kec = SD_SHARE[(i - 1) % len(SD_SHARE)][0]
        u = plan.unit(f"DISDIK.SMPN{i}", f"SMP Negeri {i} Sawahlunto", "sekolah", "DISDIK", kec)
        _school(plan, u, kabid_smp, guru=rng.randint(18, 32), tu=rng.randint(2, 4), sd=False)


def _school(plan: Plan, u: str, kabid: str, *, guru: int, tu: int, sd: bool) -> None:
    name = plan.unit_by_code[u].name
    head = plan.position(
        u,
        "KEPSEK",
        f"Guru Ahli Madya (Kepala {name})",
        "fungsional",
        kabid,
        11,
        jf_family="guru",
        jf_jenjang="ahli_madya",
        priority=4,
        group="kepsek",
        female=0.55,
    )
    subjects = (("GURU", "Guru"),) if sd else (("GURU", "Guru Mata Pelajaran"), ("GBK", "Guru Bimbingan Konseling"))
    for tag, label in subjects:
        share = 1.0 if tag == "GURU" and sd else 0.9 if tag == "GURU" else 0.1
        for jenjang, jshare in AHLI:
            plan.position(
                u,
                f"{tag}-{JENJANG_TAG[jenjang]}",
                f"{label} {JENJANG_LABEL[jenjang]}",
                "fungsional",
                head,
                JENJANG_KELAS[jenjang],
                jf_family="guru",
                jf_jenjang=jenjang,
                weight=guru * share * jshare,
                group="guru",
                female=0.7,
            )
    plan.staff(u, tu + 0.6, head, ("PP", "OLO"))


def _puskesmas(plan: Plan, rng: random.Random, scale: float) -> None:
    n = max(len(PUSKESMAS), round(len(PUSKESMAS) * scale))
    kasi = "DINKES.YANKES.KABID"
    places = list(PUSKESMAS)
    extra = [(name, kec) for kec, _, _, villages in KECAMATAN for _, name in villages if name != "Pasar"]
    while len(places) < n:  # a bigger "city" (benchmarks): more puskesmas, named after villages, numbered codes
        i = len(places) - len(PUSKESMAS)
        name, kec = extra[i % len(extra)]
        round_ = i // len(extra)
        places.append((f"{len(places) + 1:03d}", f"{name} {round_ + 1}" if round_ else name, kec))
    for code, name, kec in places[:n]:
        u = plan.unit(f"DINKES.PKM-{code}", f"UPTD Puskesmas {name}", "puskesmas", "DINKES", kec)
        head = plan.position(
            u, "KAPUS", f"Kepala UPTD Puskesmas {name}", "pengawas", kasi, 9, eselon="IV.a", priority=4
        )
        f = rng.uniform(0.8, 1.25)
        for fam, hc in (
            ("dokter", 3),
            ("dokter_gigi", 1),
            ("perawat", 9),
            ("bidan", 8),
            ("farmasi", 1.5),
            ("nutrisionis", 1),
            ("sanitarian", 1),
            ("pranata_lab", 1),
            ("penyuluh_kesmas", 1),
        ):
            plan.jf(u, fam, hc * f, head)
        plan.staff(u, 3 * f, head, ("PP", "PKEU", "OLO"))


def _kecamatan(plan: Plan) -> None:
    for code, _, name, villages in KECAMATAN:
        u = plan.unit(f"KEC-{code}", f"Kecamatan {name}", "kecamatan", None, code)
        camat = plan.position(
            u, "CAMAT", f"Camat {name}", "administrator", "SETDA.SEKDA", 12, eselon="III.a", priority=0
        )
        _sekretariat(plan, u, camat, kecamatan=True)
        for scode, sname in KEC_SEKSI:
            su = plan.unit(f"{u}.{scode}", sname, "seksi", u)
            kasi = plan.position(su, "KASI", f"Kepala {sname}", "pengawas", camat, 9, eselon="IV.a", priority=6)
            plan.staff(su, 1.5, kasi, ("PDI", "PP"))
        nk = nd = 0
        for kind, vname in villages:
            if kind == "K":
                nk += 1
                vu = plan.unit(f"{u}.KEL{nk:02d}", f"Kelurahan {vname}", "kelurahan", u)
                lurah = plan.position(vu, "LURAH", f"Lurah {vname}", "pengawas", camat, 9, eselon="IV.a", priority=4)
                plan.staff(vu, 4, lurah, ("PLO", "PDI", "PP"))
            else:
                nd += 1
                plan.unit(f"{u}.DS{nd:02d}", f"Desa {vname}", "desa", u)


def _split(n: int, shares: tuple[tuple[str, float], ...]) -> list[tuple[str, int]]:
    raw = [(k, n * s) for k, s in shares]
    out = [(k, int(v)) for k, v in raw]
    rest = n - sum(v for _, v in out)
    order = sorted(range(len(raw)), key=lambda i: raw[i][1] - int(raw[i][1]), reverse=True)
    for i in order[:rest]:
        out[i] = (out[i][0], out[i][1] + 1)
    return out


def build_plan(size: int, rng: random.Random) -> Plan:
    """Units and positions for a city of `size` employees: schools and puskesmas grow with the size."""
    scale = size / DEFAULT_SIZE
    plan = Plan()
    _setda(plan)
    _setwan(plan)
    for opd in OPDS:
        u = plan.unit(opd.code, opd.name, opd.kind)
        head_tag = "DIREKTUR" if opd.kind == "rsud" else "KEPALA"
        head = plan.position(u, head_tag, opd.head, "jpt", None, opd.kelas, eselon=opd.eselon, priority=0)
        if opd.sekretariat:
            _sekretariat(plan, u, head, opd.big)
        for b in opd.bidang:
            _bidang(plan, opd, b, head)
        if opd.code == "DISDIK":
            _schools(plan, rng, scale)
        if opd.code == "DINKES":
            _puskesmas(plan, rng, scale)
    _kecamatan(plan)
    # Schools and puskesmas grow in number with the size; every other office grows in headcount, so the mix of
    # teachers, health workers and office staff stays the same at any size.
    for p in plan.positions:
        if plan.unit_by_code[p.unit].kind not in ("sekolah", "puskesmas"):
            p.weight *= scale
    return plan
