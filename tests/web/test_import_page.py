"""Import page: upload → dry run with counts and every error → confirm applies exactly the previewed file."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pamong.audit.models import AuditEvent
from pamong.org.models import Unit
from pamong.web import views

UNITS_OK = b"KODE_UNIT,NAMA_UNIT,JENIS,KODE_INDUK\nC,Dinas C,opd,\nC1,Bidang C1,bidang,C\n"
UNITS_BAD = b"KODE_UNIT,NAMA_UNIT,JENIS,KODE_INDUK\nD,Dinas D,planet,\n"


def upload(client, content: bytes, kind: str = "units", name: str = "unit.csv", **extra):
    data = {"step": "dry_run", "kind": kind, "file": SimpleUploadedFile(name, content, "text/csv"), **extra}
    return client.post(reverse("import"), data)


def test_operator_is_offered_employees_only_admin_everything(login, city):
    body = login("operator_a").get(reverse("import")).content.decode()
    assert 'value="employees"' in body and 'value="units"' not in body and 'value="positions"' not in body
    body = login("admin").get(reverse("import")).content.decode()
    assert all(f'value="{k}"' in body for k in ("units", "positions", "employees"))


def test_operator_cannot_post_a_kind_not_offered(login, city):
    response = upload(login("operator_a"), UNITS_OK, kind="units")
    assert response.status_code == 400
    assert not Unit.objects.filter(code="C").exists()


def test_dry_run_then_confirm(login, city):
    c = login("admin")
    events_before = AuditEvent.objects.count()
    response = upload(c, UNITS_OK, reason="Perwali 12/2026")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Hasil uji coba" in body and "akan ditambahkan" in body
    assert not Unit.objects.filter(code="C").exists()  # a dry run writes nothing
    token = body.split('name="token" value="')[1].split('"')[0]

    response = c.post(reverse("import"), {"step": "confirm", "token": token})
    body = response.content.decode()
    assert response.status_code == 200 and "Impor selesai" in body
    assert Unit.objects.filter(code__in=["C", "C1"]).count() == 2
    assert AuditEvent.objects.count() > events_before
    assert AuditEvent.objects.filter(reason="Perwali 12/2026").exists()

    again = c.post(reverse("import"), {"step": "confirm", "token": token})  # a token is used once
    assert again.status_code == 400 and "Unggah ulang" in again.content.decode()


def test_errors_are_listed_and_nothing_can_be_confirmed(login, city):
    body = upload(login("admin"), UNITS_BAD).content.decode()
    table = body[body.index('id="import-errors"') :]
    assert "JENIS" in table and "planet" in table and '<td class="num">2</td>' in table
    assert 'name="token"' not in body and "tidak ada data yang disimpan" in body
    assert not Unit.objects.filter(code="D").exists()


def test_wrong_file_type_is_refused_in_indonesian(login, city):
    response = upload(login("admin"), b"x", name="unit.pdf")
    assert response.status_code == 400
    assert "CSV atau XLSX" in response.content.decode()


def test_tampered_or_foreign_token_is_refused(login, city):
    c = login("admin")
    upload(c, UNITS_OK)
    response = c.post(reverse("import"), {"step": "confirm", "token": "bukan-token"})
    assert response.status_code == 400
    assert not Unit.objects.filter(code="C").exists()


def test_cancel_discards_the_staged_file(login, city, settings):
    c = login("admin")
    body = upload(c, UNITS_OK).content.decode()
    token = body.split('name="token" value="')[1].split('"')[0]
    assert c.post(reverse("import"), {"step": "cancel"}).status_code == 302
    assert c.post(reverse("import"), {"step": "confirm", "token": token}).status_code == 400
    assert not list((settings.MEDIA_ROOT / "import-staging").glob("*.bin"))


# The page against a stand-in for pamong.people.imports, so the page's contract is pinned independently.


@dataclass
class FakeRowError:
    row: int
    column: str
    value: str
    message: str


@dataclass
class FakeReport:
    kind: str
    rows_total: int
    created: int
    updated: int
    unchanged: int
    errors: list = field(default_factory=list)
    applied: bool = False


@pytest.fixture
def fake_imports(monkeypatch):
    calls: list[dict] = []

    def import_file(*, actor, kind, filename, content, dry_run, reason=""):
        calls.append(dict(actor=actor, kind=kind, filename=filename, content=content, dry_run=dry_run))
        if b"salah" in content:
            errs = [FakeRowError(3, "NIP", "19860926", "NIP harus 18 angka"), FakeRowError(5, "NIK", "", "wajib diisi")]
            return FakeReport(kind, 4, 0, 0, 0, errs)
        return FakeReport(kind, 3, 2, 1, 0, [], applied=not dry_run)

    monkeypatch.setattr(views, "import_file", import_file)
    return calls


def test_page_with_stand_in_importer(login, city, fake_imports):
    c = login("operator_a")
    body = upload(c, b"baris salah", kind="employees", name="pegawai.xlsx").content.decode()
    assert "NIP harus 18 angka" in body and "19860926" in body and "wajib diisi" in body
    body = upload(c, b"baik", kind="employees", name="pegawai.xlsx").content.decode()
    token = body.split('name="token" value="')[1].split('"')[0]
    body = c.post(reverse("import"), {"step": "confirm", "token": token}).content.decode()
    assert "Impor selesai" in body
    assert [call["dry_run"] for call in fake_imports] == [True, True, False]
    assert fake_imports[-1]["content"] == b"baik" and fake_imports[-1]["filename"] == "pegawai.xlsx"
    assert fake_imports[-1]["actor"] == city.users["operator_a"]
