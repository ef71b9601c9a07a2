"""The year's work services: realisation, evidence (checked by content), links, download visibility, feedback."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.urls import reverse

from pamong.audit.models import AuditEvent
from pamong.core.errors import Forbidden, NotVisible, TransitionRefused, ValidationFailed
from pamong.performance import realisation as work
from pamong.performance.models import Evidence, Feedback, Realisation, SkpIndicator

OCT = dt.date(2026, 10, 1)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
EXE = b"MZ\x90\x00" + b"\x00" * 64


def office(main: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", f'<Types><Override ContentType="{main}"/></Types>')
        zf.writestr("doc.xml", "<x/>")
    return buf.getvalue()


XLSX = office("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")
DOCX = office("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def skps(perf):
    return perf.chain()


def indicator_of(skp) -> SkpIndicator:
    return SkpIndicator.objects.get(result__skp=skp)


def stored_files(media) -> list:
    folder = media / "evidence"
    return sorted(folder.iterdir()) if folder.exists() else []


# ---- realisation ------------------------------------------------------------------------------------------------


def test_owner_sets_a_month_once_and_an_update_is_audited_with_before_and_after(perf, skps):
    staff = perf.users["staff"]
    ind = indicator_of(skps["staff"])
    r1 = work.realisation_set(actor=staff, indicator_id=ind.pk, month=dt.date(2026, 10, 17), value="3", note="Awal")
    r2 = work.realisation_set(actor=staff, indicator_id=ind.pk, month=OCT, value="4,5", note="Ditambah")
    assert r1.pk == r2.pk and Realisation.objects.count() == 1
    r2.refresh_from_db()
    assert r2.period == OCT and r2.value == Decimal("4.50") and r2.note == "Ditambah"
    events = list(AuditEvent.objects.filter(action="realisation.set").order_by("seq"))
    assert len(events) == 2
    assert events[1].changes["value"] == ["3.00", "4.50"] and events[1].changes["note"] == ["Awal", "Ditambah"]


@pytest.mark.parametrize("who", ["kabid", "admin", "operator_a", "staff2", "inspector"])
def test_only_the_owner_sets_a_realisation(perf, skps, who):
    ind = indicator_of(skps["staff"])
    with pytest.raises((Forbidden, NotVisible)):
        work.realisation_set(actor=perf.users[who], indicator_id=ind.pk, month=OCT, value="1")
    assert not Realisation.objects.exists()


def test_other_opd_does_not_even_see_the_indicator(perf, skps):
    with pytest.raises(NotVisible):
        work.realisation_set(actor=perf.users["other"], indicator_id=indicator_of(skps["staff"]).pk, month=OCT,
                             value="1")  # fmt: skip


@pytest.mark.parametrize(
    "month,value",
    [
        (dt.date(2025, 12, 1), "1"),  # another year than the SKP's
        (dt.date(2099, 1, 1), "1"),  # the future
        (OCT, "abc"),
        (OCT, "-1"),
        (OCT, "1.234"),
        (OCT, "NaN"),
        (OCT, "1e20"),
    ],
)
def test_bad_month_or_value_writes_nothing(perf, skps, month, value):
    with pytest.raises(ValidationFailed):
        work.realisation_set(actor=perf.users["staff"], indicator_id=indicator_of(skps["staff"]).pk, month=month,
                             value=value)  # fmt: skip
    assert not Realisation.objects.exists()
    assert not AuditEvent.objects.filter(action="realisation.set").exists()


def test_a_draft_skp_takes_no_realisation(perf):
    from pamong.performance import skp as skp_services

    s = skp_services.skp_create(actor=perf.users["other"], employee_id=perf.city.other.pk, year=2026)
    r = skp_services.skp_result_add(actor=perf.users["other"], skp_id=s.pk, kind="utama", text="Hasil",
                                    pk_reference="PK")  # fmt: skip
    ind = skp_services.skp_indicator_add(actor=perf.users["other"], result_id=r.pk, text="Dokumen",
                                         aspect="kuantitas", target="5", unit_label="dokumen")  # fmt: skip
    with pytest.raises(TransitionRefused):
        work.realisation_set(actor=perf.users["other"], indicator_id=ind.pk, month=OCT, value="1")


# ---- evidence files ---------------------------------------------------------------------------------------------


@pytest.fixture
def real(perf, skps):
    return work.realisation_set(actor=perf.users["staff"], indicator_id=indicator_of(skps["staff"]).pk, month=OCT,
                                value="2")  # fmt: skip


@pytest.mark.parametrize(
    "name,content,ctype",
    [
        ("laporan.pdf", PDF, "application/pdf"),
        ("foto.PNG", PNG, "image/png"),
        ("foto.jpeg", JPEG, "image/jpeg"),
        ("foto.jpg", JPEG, "image/jpeg"),
        ("rekap.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("nota.docx", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_accepted_files_are_stored_outside_the_web_root_with_their_hash(perf, real, media, name, content, ctype):
    import hashlib

    ev = work.evidence_add_file(actor=perf.users["staff"], realisation_id=real.pk, filename=name, content=content)
    assert ev.content_type == ctype and ev.size == len(content)
    assert ev.sha256 == hashlib.sha256(content).hexdigest()
    assert ev.original_name == name
    files = stored_files(media)
    assert [p.name for p in files] == [ev.stored_name] and "." not in ev.stored_name
    assert files[0].read_bytes() == content
    assert AuditEvent.objects.filter(action="evidence.file_added", object_id=str(ev.pk)).exists()


def test_a_name_without_extension_takes_the_contents(perf, real, media):
    ev = work.evidence_add_file(actor=perf.users["staff"], realisation_id=real.pk, filename="scan", content=PNG)
    assert ev.original_name == "scan.png" and ev.content_type == "image/png"


def test_a_path_in_the_name_is_dropped(perf, real, media):
    ev = work.evidence_add_file(actor=perf.users["staff"], realisation_id=real.pk,
                                filename="..\\..\\etc/passwd.pdf", content=PDF)  # fmt: skip
    assert ev.original_name == "passwd.pdf"


@pytest.mark.parametrize(
    "name,content",
    [
        ("laporan.pdf", PNG),  # decided: a .pdf that is really a PNG is refused (the name must match the content)
        ("foto.png", PDF),
        ("program.exe", EXE),
        ("program.pdf", EXE),  # an EXE renamed
        ("kosong.pdf", b""),
        ("besar.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024 - 4)),  # 5 MB + 1 byte
        ("arsip.zip", office("application/zip")),  # a zip that is no Office file
        ("rusak.xlsx", b"PK\x03\x04garbage"),
        ("skrip.html", b"<html><script>alert(1)</script>"),
    ],
)
def test_refused_files_leave_nothing_behind(perf, real, media, name, content):
    with pytest.raises(ValidationFailed) as exc:
        work.evidence_add_file(actor=perf.users["staff"], realisation_id=real.pk, filename=name, content=content)
    assert exc.value.details == {"field": "file"}
    assert not Evidence.objects.exists() and stored_files(media) == []
    assert not AuditEvent.objects.filter(action="evidence.file_added").exists()


def test_exactly_5_mb_is_accepted(perf, real, media):
    content = b"%PDF-" + b"0" * (5 * 1024 * 1024 - 5)
    assert len(content) == work.MAX_EVIDENCE_BYTES
    ev = work.evidence_add_file(actor=perf.users["staff"], realisation_id=real.pk, filename="a.pdf", content=content)
    assert ev.size == work.MAX_EVIDENCE_BYTES


@pytest.mark.parametrize("who", ["kabid", "admin", "other"])
def test_only_the_owner_adds_evidence(perf, real, media, who):
    with pytest.raises((Forbidden, NotVisible)):
        work.evidence_add_file(actor=perf.users[who], realisation_id=real.pk, filename="a.pdf", content=PDF)
    with pytest.raises((Forbidden, NotVisible)):
        work.evidence_add_link(actor=perf.users[who], realisation_id=real.pk, url="https://contoh.go.id/a")
    assert not Evidence.objects.exists() and stored_files(media) == []


def test_a_failed_database_write_removes_the_file(perf, real, media, monkeypatch):
    def boom(**kw):
        raise RuntimeError("db down")

    monkeypatch.setattr(work.audit, "record", boom)
    with pytest.raises(RuntimeError):
        work.evidence_add_file(actor=perf.users["staff"], realisation_id=real.pk, filename="a.pdf", content=PDF)
    assert stored_files(media) == [] and not Evidence.objects.exists()


# ---- links ------------------------------------------------------------------------------------------------------


def test_an_https_link_is_kept(perf, real):
    ev = work.evidence_add_link(actor=perf.users["staff"], realisation_id=real.pk,
                                url="https://drive.sawahlunto.go.id/laporan?id=3")  # fmt: skip
    assert ev.link == "https://drive.sawahlunto.go.id/laporan?id=3" and ev.stored_name == ""
    assert AuditEvent.objects.filter(action="evidence.link_added").exists()


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "ftp://contoh.go.id/a", "file:///etc/passwd", "data:text/html,hi", "contoh.go.id",
     "https://", "https://a b.go.id/", "", "https://contoh.go.id/" + "a" * 600, "//contoh.go.id/a"],
)  # fmt: skip
def test_links_other_than_http_or_https_are_refused(perf, real, url):
    with pytest.raises(ValidationFailed):
        work.evidence_add_link(actor=perf.users["staff"], realisation_id=real.pk, url=url)
    assert not Evidence.objects.exists()


# ---- download ---------------------------------------------------------------------------------------------------


def test_download_for_the_owner_and_the_penilai_as_an_attachment(client, perf, real, media):
    ev = work.evidence_add_file(actor=perf.users["staff"], realisation_id=real.pk, filename="laporan.pdf",
                                content=PDF)  # fmt: skip
    url = reverse("performance:evidence_download", args=[ev.pk])
    for who in ("staff", "kabid", "head", "admin", "inspector"):
        client.force_login(perf.users[who])
        resp = client.get(url)
        assert resp.status_code == 200, who
        assert resp["Content-Type"] == "application/pdf"
        assert resp["Content-Disposition"].startswith("attachment")
        assert "laporan.pdf" in resp["Content-Disposition"]
        assert resp["X-Content-Type-Options"] == "nosniff"
        assert b"".join(resp.streaming_content) == PDF


@pytest.mark.parametrize("who", ["other", "staff2", "treasurer_a", "bpkad"])
def test_download_outside_the_scope_is_404(client, perf, real, media, who):
    ev = work.evidence_add_file(actor=perf.users["staff"], realisation_id=real.pk, filename="laporan.pdf",
                                content=PDF)  # fmt: skip
    client.force_login(perf.users[who])
    assert client.get(reverse("performance:evidence_download", args=[ev.pk])).status_code == 404


def test_evidence_is_not_under_the_static_or_media_url(client, perf, real, media):
    ev = work.evidence_add_file(actor=perf.users["staff"], realisation_id=real.pk, filename="laporan.pdf",
                                content=PDF)  # fmt: skip
    client.force_login(perf.users["staff"])
    for prefix in ("/media/evidence/", "/static/evidence/", "/evidence/"):
        assert client.get(prefix + ev.stored_name).status_code == 404


# ---- feedback ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["kabid", "head", "admin", "operator_a"])
def test_feedback_by_anyone_in_scope_is_appended_and_notifies(perf, skps, who):
    from pamong.core.models import Notification

    fb = work.feedback_add(actor=perf.users[who], employee_id=perf.city.staff.pk, text="Laporan rapi.\nLanjutkan.",
                           month=dt.date(2026, 11, 20))  # fmt: skip
    assert fb.period == dt.date(2026, 11, 1) and fb.author == perf.users[who]
    assert AuditEvent.objects.filter(action="feedback.added", object_id=str(fb.pk)).exists()
    assert Notification.objects.filter(user=perf.users["staff"]).exists()


@pytest.mark.parametrize("who,exc", [("staff", Forbidden), ("other", NotVisible), ("staff2", NotVisible),
                                     ("treasurer_a", NotVisible)])  # fmt: skip
def test_feedback_refused_for_oneself_and_outside_the_scope(perf, skps, who, exc):
    with pytest.raises(exc):
        work.feedback_add(actor=perf.users[who], employee_id=perf.city.staff.pk, text="Catatan", month=OCT)
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("text,month", [("", OCT), ("x" * 2001, OCT), ("a\x00b", OCT), ("Baik", dt.date(2099, 1, 1))])
def test_bad_feedback_writes_nothing(perf, skps, text, month):
    with pytest.raises(ValidationFailed):
        work.feedback_add(actor=perf.users["kabid"], employee_id=perf.city.staff.pk, text=text, month=month)
    assert not Feedback.objects.exists()
