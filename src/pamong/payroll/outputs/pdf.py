"""Payslip PDFs with WeasyPrint from a Django template: one slip, or many slips (one per page) in one render for
batch printing. No web fonts and no network: the fetcher refuses every URL except inline data."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import segno
from babel.dates import format_date
from django.conf import settings
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from pamong.core.formats import terbilang

from ..labels import slip_sections
from ..models import Payslip

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"
CITY = "Pemerintah Kota Sawahlunto"


class ExternalFetchRefused(ValueError):
    pass


def make_fetcher() -> Any:
    """A WeasyPrint URL fetcher for data: URLs only (inline images); anything else would be a network or disk
    fetch during rendering and is refused. Built late: importing WeasyPrint loads Pango."""
    from weasyprint.urls import URLFetcher

    class DataOnlyFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith("data:"):
                raise ExternalFetchRefused(f"PDF: sumber luar ditolak: {url[:80]}")
            return super().fetch(url, headers)

    return DataOnlyFetcher(allowed_protocols=("data",))


def public_url(request: HttpRequest | None = None) -> str:
    """Where the public verification page is: the PAMONG_PUBLIC_URL setting (environment) when set — behind a proxy
    it is the only reliable answer —, else the host the request came to (validated by ALLOWED_HOSTS), else (the
    worker, the CLI) the local default."""
    configured = str(getattr(settings, "PAMONG_PUBLIC_URL", "") or "")
    if configured:
        return configured.rstrip("/")
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return DEFAULT_PUBLIC_URL


def verification_url(code: str, base: str | None = None) -> str:
    return f"{base or public_url()}/verifikasi/{code}/"


def qr_svg(data: str) -> SafeString:
    """An inline SVG QR code (no XML declaration, no size attributes: the CSS sizes it)."""
    svg = segno.make(data, error="m", micro=False).svg_inline(scale=1, border=2, omitsize=True)
    return mark_safe(svg)  # noqa: S308 - segno output, the data is our own URL


def month_label(period: Any) -> str:
    return format_date(period, "MMMM yyyy", locale="id_ID")  # "November 2026"


def slip_context(p: Payslip, base: str | None = None) -> dict[str, Any]:
    facts = p.facts or {}
    jabatan = facts.get("jabatan") or {}
    bank = facts.get("bank") or {}
    sections = slip_sections(p)
    # a payslip of a run not yet approved is a draft: watermarked, and without a code (none is issued before approval)
    draft = not p.run.frozen or not p.code
    url = "" if draft else verification_url(str(p.code), base)
    return {
        "p": p,
        "s": sections,
        "month": month_label(p.period),
        "nama": facts.get("nama", ""),
        "nip": facts.get("nip", ""),
        "status": facts.get("status", ""),
        "golongan": facts.get("golongan", ""),
        "jabatan": jabatan.get("nama", ""),
        "unit": facts.get("unit", ""),
        "opd": p.opd.name,
        "ptkp": facts.get("ptkp", ""),
        "bank": bank,
        "terbilang": terbilang(int(p.bersih)).capitalize(),
        "region": p.run.region,
        "draft": draft,
        "verify_url": url,
        "qr": qr_svg(url) if url else "",
    }


def render_html(payslips: Iterable[Payslip], base: str | None = None) -> str:
    """`base`: the public address for the verification links (public_url(request) in a view)."""
    with translation.override("id"):
        slips = [slip_context(p, base) for p in payslips]
        return render_to_string("payroll/pdf/payslip.html", {"slips": slips, "city": CITY})


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # imported late: WeasyPrint loads Pango, which the web pages do not need

    pdf: bytes = HTML(string=html, base_url=None, url_fetcher=make_fetcher()).write_pdf()
    return pdf


def payslip_pdf(payslip: Payslip, base: str | None = None) -> bytes:
    """One payslip, one A4 page."""
    return html_to_pdf(render_html([payslip], base))


def payslips_pdf(payslips: Iterable[Payslip], chunk: int = 50, base: str | None = None) -> bytes:
    """Many payslips, one per page, in one PDF (batch printing). Laid out in chunks of `chunk` slips (WeasyPrint's
    layout of one long document grows faster than linearly) whose pages are then written as one document. Pass a
    queryset: it is read with select_related("run", "opd")."""
    from weasyprint import HTML

    if hasattr(payslips, "select_related"):
        payslips = payslips.select_related("run", "opd")  # type: ignore[union-attr]
    slips = list(payslips)
    if not slips:
        return html_to_pdf(render_html([], base))
    fetcher = make_fetcher()
    documents = [
        HTML(string=render_html(slips[i : i + chunk], base), base_url=None, url_fetcher=fetcher).render()
        for i in range(0, len(slips), chunk)
    ]
    pages = [page for doc in documents for page in doc.pages]
    pdf: bytes = documents[0].copy(pages).write_pdf()
    return pdf
