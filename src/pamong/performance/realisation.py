"""Writes for the year's work: the monthly realisation of each indicator of the agreed SKP, its evidence (a file
checked by its content, or a link) and continuous feedback.

Evidence files are recognised by their first bytes, never by the name or the browser's content type: PDF, PNG, JPEG,
and Office files (XLSX, DOCX: a zip whose [Content_Types].xml names the workbook or document). The file name's
extension, when it has one, must agree with the content: a "laporan.pdf" that is really a PNG is refused (the
employee renames or re-exports it), so what a reviewer downloads is what its name says. Files are stored under
MEDIA_ROOT/evidence/ with a random name and no extension (outside the web root; only the download view serves them,
after the visibility check), with their SHA-256. Nothing is written when an input is refused."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import secrets
import zipfile
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from pamong.accounts.access import access_for
from pamong.audit import services as audit
from pamong.core.errors import Forbidden, NotVisible, TransitionRefused, ValidationFailed
from pamong.core.notify import notify

from .inputs import clean_text
from .models import Evidence, Feedback, Realisation, SkpIndicator, SkpState
from .selectors import employees_in_scope, realisations_visible_to, skps_visible_to

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
MAX_VALUE = Decimal("999999999999.99")  # the column holds 14 digits, 2 after the point

# detected kind → (content type, the extensions a name may carry for it)
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "pdf": ("application/pdf", (".pdf",)),
    "png": ("image/png", (".png",)),
    "jpeg": ("image/jpeg", (".jpg", ".jpeg")),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",)),
}
_OFFICE_MAIN = {
    "xlsx": b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "docx": b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
}
ALLOWED_EXTENSIONS = tuple(ext for _, exts in KINDS.values() for ext in exts)


def evidence_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "evidence"


def month_start(value: dt.date) -> dt.date:
    return value.replace(day=1)


def _check_month(month: Any) -> dt.date:
    if not isinstance(month, dt.date):
        raise ValidationFailed(gettext("Bulan tidak dikenali."), details={"field": "month"})
    first = month_start(month)
    if first > month_start(timezone.localdate()):
        raise ValidationFailed(gettext("Bulan yang akan datang belum dapat diisi."), details={"field": "month"})
    return first


def _parse_value(value: Any) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(gettext("Isi realisasi dengan angka."), details={"field": "value"}) from None
    if not number.is_finite() or number < 0 or number > MAX_VALUE:
        raise ValidationFailed(
            gettext("Realisasi harus angka antara 0 dan 999.999.999.999,99."), details={"field": "value"}
        )
    if number != number.quantize(Decimal("0.01")):
        raise ValidationFailed(gettext("Paling banyak dua angka di belakang koma."), details={"field": "value"})
    return number.quantize(Decimal("0.01"))


def _require_owner(actor: Any, employee_id: int) -> None:
    if access_for(actor).employee_id != employee_id:
        raise Forbidden(gettext("Hanya pemilik SKP yang dapat mengisi realisasi dan buktinya."))


# ---- realisation ------------------------------------------------------------------------------------------------


def realisation_set(*, actor: Any, indicator_id: int, month: dt.date, value: Any, note: str = "") -> Realisation:
    """The month's realisation of one indicator of the owner's agreed SKP (one row per indicator and month; a second
    entry replaces the first, audited with what it was)."""
    indicator = (
        SkpIndicator.objects.select_related("result__skp")
        .filter(pk=indicator_id, result__skp__in=skps_visible_to(actor))
        .first()
    )
    if indicator is None:
        raise NotVisible(gettext("Indikator tidak ditemukan."))
    skp = indicator.result.skp
    _require_owner(actor, skp.employee_id)
    if skp.state != SkpState.AGREED:
        raise TransitionRefused(gettext("Realisasi hanya diisi pada SKP yang sudah disetujui."))
    first = _check_month(month)
    if first.year != skp.year:
        raise ValidationFailed(
            gettext("Bulan harus di dalam tahun SKP (%(year)d).") % {"year": skp.year}, details={"field": "month"}
        )
    number = _parse_value(value)
    note = clean_text(note, "note", max_len=1000, required=False, multiline=True)
    with transaction.atomic():
        row = Realisation.objects.select_for_update().filter(indicator=indicator, period=first).first()
        if row is None:
            row = Realisation.objects.create(indicator=indicator, period=first, value=number, note=note,
                                             entered_by=actor)  # fmt: skip
            changes: dict[str, Any] = {"bulan": first.isoformat(), "value": [None, str(number)], "note": [None, note]}
        else:
            changes = {"bulan": first.isoformat(), "value": [str(row.value), str(number)], "note": [row.note, note]}
            row.value, row.note, row.entered_by = number, note, actor
            row.save(update_fields=["value", "note", "entered_by", "entered_at"])
        audit.record(actor=actor, action="realisation.set", obj=row, changes=changes)
    return row


def _own_realisation(actor: Any, realisation_id: int) -> Realisation:
    row = realisations_visible_to(actor).select_related("indicator__result__skp").filter(pk=realisation_id).first()
    if row is None:
        raise NotVisible(gettext("Realisasi tidak ditemukan."))
    _require_owner(actor, row.indicator.result.skp.employee_id)
    return row


# ---- evidence ---------------------------------------------------------------------------------------------------


def detect_kind(content: bytes) -> str | None:
    """The kind of a file by its first bytes (and, for a zip, by its [Content_Types].xml); None: not accepted."""
    if content.startswith(b"%PDF-"):
        return "pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if content.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as zf:
                info = zf.getinfo("[Content_Types].xml")
                if info.file_size > 1_000_000:  # a manifest is a few kB; never inflate a bomb
                    return None
                types = zf.read(info)
        except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, NotImplementedError, EOFError):
            return None
        for kind, marker in _OFFICE_MAIN.items():
            if marker in types:
                return kind
    return None


def _clean_filename(filename: Any) -> str:
    name = str(filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    name = clean_text(name, "file", max_len=200)
    if name in (".", ".."):
        raise ValidationFailed(gettext("Nama berkas tidak valid."), details={"field": "file"})
    return name


def evidence_add_file(*, actor: Any, realisation_id: int, filename: str, content: bytes) -> Evidence:
    """Attach a file to the owner's realisation: PDF, PNG, JPEG, XLSX or DOCX (by content), at most 5 MB."""
    row = _own_realisation(actor, realisation_id)
    name = _clean_filename(filename)
    if not isinstance(content, bytes | bytearray) or not content:
        raise ValidationFailed(gettext("Berkas kosong."), details={"field": "file"})
    if len(content) > MAX_EVIDENCE_BYTES:
        raise ValidationFailed(gettext("Berkas lebih dari 5 MB."), details={"field": "file"})
    kind = detect_kind(bytes(content))
    if kind is None:
        raise ValidationFailed(
            gettext("Jenis berkas tidak diterima. Unggah PDF, gambar PNG/JPEG, atau berkas Excel/Word (xlsx, docx)."),
            details={"field": "file"},
        )
    content_type, extensions = KINDS[kind]
    ext = os.path.splitext(name)[1].lower()
    if ext and ext not in extensions:
        raise ValidationFailed(
            gettext("Isi berkas tidak sesuai dengan namanya: berkas ini %(kind)s, bukan %(ext)s. Ganti nama atau "
                    "ekspor ulang berkasnya.") % {"kind": kind.upper(), "ext": ext},
            details={"field": "file"},
        )  # fmt: skip
    if not ext:
        name = (name + extensions[0])[-200:]
    digest = hashlib.sha256(content).hexdigest()
    folder = evidence_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stored = secrets.token_hex(16)
    path = folder / stored
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
        with transaction.atomic():
            ev = Evidence.objects.create(realisation=row, stored_name=stored, original_name=name,
                                         content_type=content_type, size=len(content), sha256=digest,
                                         uploaded_by=actor)  # fmt: skip
            audit.record(actor=actor, action="evidence.file_added", obj=ev,
                         changes={"realisation": row.pk, "berkas": name, "jenis": content_type,
                                  "ukuran": len(content), "sha256": digest})  # fmt: skip
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return ev


def _check_url(url: Any) -> str:
    url = str(url or "").strip()
    if not url:
        raise ValidationFailed(gettext("Isian ini wajib diisi."), details={"field": "link"})
    if len(url) > 500:
        raise ValidationFailed(gettext("Paling banyak %(n)d karakter.") % {"n": 500}, details={"field": "link"})
    bad = gettext("Tautan harus alamat web yang diawali http:// atau https://.")
    if urlsplit(url).scheme.lower() not in ("http", "https") or any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise ValidationFailed(bad, details={"field": "link"})
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationFailed(bad, details={"field": "link"}) from None
    return url


def evidence_add_link(*, actor: Any, realisation_id: int, url: str) -> Evidence:
    """Attach a link (http or https only) to the owner's realisation."""
    row = _own_realisation(actor, realisation_id)
    url = _check_url(url)
    with transaction.atomic():
        ev = Evidence.objects.create(realisation=row, link=url, uploaded_by=actor)
        audit.record(actor=actor, action="evidence.link_added", obj=ev,
                     changes={"realisation": row.pk, "tautan": url})  # fmt: skip
    return ev


def evidence_get(user: Any, evidence_id: int) -> Evidence:
    """An evidence row the user may see (through its realisation's employee), else NotVisible."""
    ev = (
        Evidence.objects.filter(pk=evidence_id, realisation__in=realisations_visible_to(user))
        .select_related("realisation")
        .first()
    )
    if ev is None:
        raise NotVisible(gettext("Bukti tidak ditemukan."))
    return ev


def evidence_path(ev: Evidence) -> Path:
    """Where a file's bytes are (the stored name is ours: hex only, never a path from the user)."""
    if not ev.stored_name or not all(c in "0123456789abcdef" for c in ev.stored_name):
        raise NotVisible(gettext("Bukti tidak ditemukan."))
    return evidence_dir() / ev.stored_name


# ---- feedback ---------------------------------------------------------------------------------------------------


def feedback_add(*, actor: Any, employee_id: int, text: str, month: dt.date) -> Feedback:
    """A note to an employee by anyone who may see their performance, except the employee themself (append-only)."""
    emp = employees_in_scope(actor).filter(pk=employee_id).first()
    if emp is None:
        raise NotVisible(gettext("Pegawai tidak ditemukan."))
    if access_for(actor).employee_id == emp.pk:
        raise Forbidden(gettext("Umpan balik diberikan oleh orang lain, bukan oleh pegawai itu sendiri."))
    text = clean_text(text, "text", max_len=2000, multiline=True)
    first = _check_month(month)
    with transaction.atomic():
        fb = Feedback.objects.create(employee=emp, period=first, author=actor, text=text)
        audit.record(actor=actor, action="feedback.added", obj=fb,
                     changes={"employee": emp.pk, "bulan": first.isoformat()})  # fmt: skip
        notify(users=[emp.user_id], link=f"/kinerja/pegawai/{emp.pk}/",
               text=gettext("Ada umpan balik baru atas kinerja Anda."))  # fmt: skip
    return fb
