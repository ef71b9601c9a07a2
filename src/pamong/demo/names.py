"""Synthetic Minangkabau/Indonesian-style names, places and institutions for the demo city.

Names are assembled from syllables and common given names, so they sound local without copying anyone: any
resemblance to a real person is chance. Everything is drawn from the caller's `random.Random`.
"""

from __future__ import annotations

import random


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Whole given names that are common across West Sumatra (no family names: Minang names rarely have one).
MALE_GIVEN = _words(
    "Afrizal Zulkifli Rahmat Hendra Syafri Efendi Irwan Novrizal Yondri Fadhil Rizki Andika Fauzan Arif Budi "
    "Doni Ferdi Gusnaldi Hafiz Ilham Jasman Khairul Mardianto Nofrizon Rinaldi Syahrul Taufik Wendi Zulhendri "
    "Yusrizal Asrul Basri Dasril Erizon Fikri Hanif Iqbal Jufri Kasman Lukman Masril Nasrul Rusdi Safrudin "
    "Tasrif Yuhendri Zainal Alfian Benny Dedi Edwar Firdaus Gilang Harmen Indra Joni Kurniawan Mulyadi Nopriadi"
)
FEMALE_GIVEN = _words(
    "Yulia Desi Fitri Rahmi Nurhayati Yusnita Elvira Fitriani Gusmawati Hasnita Indah Jumiati Kurniati Lisa "
    "Mira Nofia Oktaviani Putri Rosmaniar Sari Tuti Ulfa Vivi Wilda Yessi Zulfa Nelly Mardiah Ernawati "
    "Rahmayeni Syafrida Yenni Elfi Delfi Afni Betriza Citra Dewi Elsa Febria Gustina Hayati Irma Jusnidar "
    "Kartini Lenny Murni Novita Resti Silvia Tri Umi Welly Yanti Zurnila Annisa Dian Eka Farida Ratna"
)
# Syllables for the many composed Minang names (Yul-nofri, Syaf-rida, Nov-rizal ...).
PREFIX = _words(
    "Af Yul Syaf Nov Zul Ri Des Ok Jon El Gus Fer Hen Ir Mar Yus Wen Ed Ar As Del Er Fit Her Nas Ros Sus Tas"
)
MALE_SUFFIX = _words("rizal nofri hendri nardi rizon man di win zal li mon wandi nedi fendi naldi ril son mizal dison")
FEMALE_SUFFIX = _words("nita wati yeni fitri mi niar sari dawati liana mawati ni rida nelli yanti lina suarni wita")
MALE_SECOND = _words(
    "Putra Saputra Syahputra Hidayat Pratama Rahman Effendi Yunus Malin Sutan Chaniago Koto Piliang Tanjung "
    "Caniago Guci Jambak Sikumbang Rangkuti Hakim Fauzi Amri Maulana Kurnia Wijaya Ramadhan Halim"
)
FEMALE_SECOND = _words(
    "Putri Sari Wahyuni Handayani Novita Rahmawati Yulianti Fitria Lestari Anggraini Ramadhani Safitri "
    "Marlina Oktavia Susanti Agustina Yusra Febrianti Maharani Permata Zahara Amelia"
)


def given_name(rng: random.Random, gender: str) -> str:
    if rng.random() < 0.45:
        pre = rng.choice(PREFIX)
        suf = rng.choice(MALE_SUFFIX if gender == "L" else FEMALE_SUFFIX)
        return pre + suf
    return rng.choice(MALE_GIVEN if gender == "L" else FEMALE_GIVEN)


def person_name(rng: random.Random, gender: str) -> str:
    parts = []
    r = rng.random()
    if gender == "L" and r < 0.12:
        parts.append(rng.choice(("Muhammad", "M.", "Ahmad")))
    elif gender == "P" and r < 0.08:
        parts.append(rng.choice(("Siti", "Nur")))
    parts.append(given_name(rng, gender))
    r = rng.random()
    if r < 0.55:
        parts.append(rng.choice(MALE_SECOND if gender == "L" else FEMALE_SECOND))
    elif r < 0.7:
        parts.append(given_name(rng, gender))
    return " ".join(dict.fromkeys(parts))  # no "Putri Putri"


# Birth places (weights favour the city and its neighbours).
BIRTH_PLACES = (
    ("Sawahlunto", 40),
    ("Talawi", 6),
    ("Silungkang", 6),
    ("Solok", 8),
    ("Sijunjung", 7),
    ("Padang", 10),
    ("Bukittinggi", 3),
    ("Batusangkar", 4),
    ("Payakumbuh", 3),
    ("Padang Panjang", 2),
    ("Muaro Sijunjung", 3),
    ("Pekanbaru", 2),
    ("Jakarta", 2),
    ("Medan", 1),
    ("Jambi", 1),
)
# NIK region (province+regency) by birth place; kecamatan digits follow. 1373 = Kota Sawahlunto.
NIK_REGION = {
    "Sawahlunto": "1373",
    "Talawi": "1373",
    "Silungkang": "1373",
    "Solok": "1372",
    "Sijunjung": "1303",
    "Muaro Sijunjung": "1303",
    "Padang": "1371",
    "Bukittinggi": "1375",
    "Batusangkar": "1304",
    "Payakumbuh": "1376",
    "Padang Panjang": "1374",
}

STREETS = (
    "Jl. Soekarno-Hatta",
    "Jl. Ahmad Yani",
    "Jl. Muhammad Yamin",
    "Jl. Khatib Sulaiman",
    "Jl. Pahlawan",
    "Jl. Lintas Sumatera",
    "Jl. Imam Bonjol",
    "Jl. Sudirman",
    "Jl. Abdul Muis",
    "Jl. Tan Malaka",
    "Jl. Pasar Remaja",
    "Jl. Lubang Mbah Soero",
    "Jl. Kampung Teleng",
    "Jl. Datuak Tan Malaka",
    "Jl. Bagindo Aziz Chan",
)

BANKS = (("Bank Nagari", 80), ("BRI", 7), ("BNI", 5), ("Bank Mandiri", 4), ("BSI", 2), ("", 2))
BANK_PREFIX = {"Bank Nagari": "21", "BRI": "54", "BNI": "03", "Bank Mandiri": "11", "BSI": "72"}
PHONE_PREFIX = ("0812", "0813", "0852", "0853", "0821", "0822", "0811", "0857", "0858", "0817", "0877", "0895")

SCHOOLS_SMA = (
    "SMA Negeri 1 Sawahlunto",
    "SMA Negeri 2 Sawahlunto",
    "SMA Negeri 3 Sawahlunto",
    "SMK Negeri 1 Sawahlunto",
    "SMK Negeri 2 Sawahlunto",
    "MAN 1 Sawahlunto",
    "SMA Negeri 1 Padang",
    "SMA Negeri 1 Solok",
    "SMA Negeri 1 Sijunjung",
    "SMK Negeri 1 Padang",
)
UNIVERSITIES = (
    "Universitas Andalas",
    "Universitas Negeri Padang",
    "UIN Imam Bonjol Padang",
    "Universitas Bung Hatta",
    "Universitas Muhammadiyah Sumatera Barat",
    "Universitas Ekasakti",
    "Universitas Putra Indonesia YPTK Padang",
    "Universitas Terbuka",
    "UIN Mahmud Yunus Batusangkar",
    "Universitas Mahaputra Muhammad Yamin",
)
POLYTECHNICS = ("Politeknik Negeri Padang", "Universitas Negeri Padang", "Universitas Andalas")
HEALTH_SCHOOLS = (
    "Poltekkes Kemenkes Padang",
    "Universitas Perintis Indonesia",
    "STIKes Syedza Saintika",
    "Universitas Andalas",
    "STIKes Mercubaktijaya Padang",
)
TEACHER_SCHOOLS = (
    "Universitas Negeri Padang",
    "STKIP PGRI Sumatera Barat",
    "UIN Imam Bonjol Padang",
    "Universitas Terbuka",
    "UIN Mahmud Yunus Batusangkar",
    "Universitas Bung Hatta",
)
GENERAL_MAJORS = (
    ("Ilmu Pemerintahan", "S.IP."),
    ("Administrasi Negara", "S.AP."),
    ("Manajemen", "S.E."),
    ("Akuntansi", "S.E."),
    ("Ilmu Hukum", "S.H."),
    ("Teknik Sipil", "S.T."),
    ("Teknik Informatika", "S.Kom."),
    ("Sistem Informasi", "S.Kom."),
    ("Ekonomi Pembangunan", "S.E."),
    ("Agribisnis", "S.P."),
    ("Sosiologi", "S.Sos."),
    ("Ilmu Komunikasi", "S.I.Kom."),
    ("Kesehatan Masyarakat", "S.K.M."),
    ("Perencanaan Wilayah dan Kota", "S.T."),
)
MASTER_TITLES = ("M.Si.", "M.M.", "M.AP.", "M.H.", "M.T.", "M.Pd.", "M.Kes.", "M.E.")


_CUM: dict[int, tuple[list[str], list[int]]] = {}


def weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    if id(pairs) not in _CUM:
        cum, total = [], 0
        for _, w in pairs:
            total += w
            cum.append(total)
        _CUM[id(pairs)] = ([p for p, _ in pairs], cum)
    items, cum = _CUM[id(pairs)]
    return rng.choices(items, cum_weights=cum)[0]
