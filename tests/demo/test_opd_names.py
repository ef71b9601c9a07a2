"""The demo city calls each OPD by one official name everywhere: its units and head, the demo logins (label,
what they see, the username's OPD code) and the README's login table. No database needed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pamong.demo.build import LOGINS
from pamong.demo.city import OPDS

ROOT = Path(__file__).resolve().parents[2]
NAMES = sorted((o.name for o in OPDS), key=len, reverse=True)
BY_CODE = {o.code: o for o in OPDS}
# "Dinas Pendidikan …", "Badan …" etc. in prose: must be the start of an official name
INSTITUTION = re.compile(r"\b(?:Dinas|Badan|Satuan|Rumah Sakit|Inspektorat|Sekretariat) [A-Z]")
SHORT_FORMS = re.compile(r"\b(?:Disdikbud|Disdik|Dinkes|Diskes|Dispendik|Bapeda)\b")  # names, not usernames


def misnamed(text: str) -> list[str]:
    bad = [m.group(0) for m in SHORT_FORMS.finditer(text)]
    for m in INSTITUTION.finditer(text):
        if not any(text.startswith(name, m.start()) for name in NAMES):
            bad.append(text[m.start() : m.start() + 40])
    return bad


def test_official_names_are_unique_and_heads_carry_them():
    assert len({o.name for o in OPDS}) == len(OPDS) and len({o.code for o in OPDS}) == len(OPDS)
    for o in OPDS:
        assert o.name in o.head or o.code == "INSP", o.head  # the Inspektorat is led by the Inspektur


@pytest.mark.parametrize("login", [x for x in LOGINS if x.unit], ids=lambda x: x.username)
def test_scoped_logins_name_their_opd_officially(login):
    code = login.unit.split(".")[0]
    opd = BY_CODE[code]
    assert login.username.split(".", 1)[1] == code.lower()  # bendahara.disdik ↔ DISDIK
    assert opd.name in login.label and opd.name in login.sees
    assert misnamed(login.label + " " + login.sees) == []


def test_every_login_text_uses_official_names():
    for login in LOGINS:
        assert misnamed(login.label + " " + login.sees) == [], login.username


def test_readme_login_table_uses_official_names():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text[text.index("## Demo logins") : text.index("## Using it")]
    assert misnamed(table) == []
    for login in LOGINS:
        assert f"`{login.username}`" in table
        if login.unit:
            assert BY_CODE[login.unit.split(".")[0]].name in table


def test_the_checker_catches_the_old_short_forms():
    assert misnamed("Bendahara gaji Dinas Pendidikan (sekolah)") and misnamed("pegawai Disdikbud")
    assert misnamed("Dinas Pendidikan dan Kebudayaan") == []
