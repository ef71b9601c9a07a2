"""The SK KGB (surat pemberitahuan kenaikan gaji berkala) as a one-page A4 PDF, rendered by WeasyPrint like the
payroll PDFs (no network, DejaVu fonts). A draft carries a DRAF watermark and no signature block."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from pamong.core.formats import terbilang
from pamong.payroll.outputs.pdf import CITY, html_to_pdf
from pamong.rules.params import param

from .models import KgbDecree, KgbState


def _references() -> list[str]:
    refs = []
    for name in ("kepegawaian/kgb", "gaji/pokok_pns"):
        p = param(name)
        refs += [str(r["title"]).split(" (")[0] for r in p.reference[:1]]
    return refs


def decree_context(d: KgbDecree) -> dict[str, Any]:
    e = d.employee
    return {
        "d": d,
        "e": e,
        "city": CITY,
        "draft": d.state != KgbState.APPROVED,
        "cancelled": d.state == KgbState.CANCELLED,
        "terbilang": terbilang(int(d.new_gaji_pokok)).capitalize(),
        "references": _references(),
        "position": e.position.name if e.position_id else "",
        "opd": e.unit.opd.name if e.unit.opd_id else e.unit.name,
    }


def decree_pdf(d: KgbDecree) -> bytes:
    with translation.override("id"):
        html = render_to_string("kgb/pdf/sk_kgb.html", decree_context(d))
    return html_to_pdf(html)
