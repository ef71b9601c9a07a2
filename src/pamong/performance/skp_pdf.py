"""The SKP document as an A4 PDF, rendered by WeasyPrint like the SK KGB (kgb/pdf.py): identity of the employee, the
pejabat penilai and the atasan; hasil kerja utama/tambahan with indicators and targets; perilaku kerja (BerAKHLAK)
with the leader's expectations; signature blocks. An SKP not (yet) agreed carries a watermark naming its state."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from pamong.payroll.outputs.pdf import CITY, html_to_pdf

from . import selectors
from .models import BerAkhlak, ResultKind, Skp, SkpState


def _person(e: Any) -> dict[str, str]:
    if e is None:
        return {"name": "Wali Kota Sawahlunto", "nip": "", "golongan": "", "position": "", "unit": ""}
    return {
        "name": e.full_name,
        "nip": e.nip,
        "golongan": e.golongan or "",
        "position": e.position.name if e.position_id else "",
        "unit": e.unit.name if e.unit_id else "",
    }


def skp_context(skp: Skp) -> dict[str, Any]:
    tree = selectors.skp_tree(skp)
    labels = dict(BerAkhlak.choices)
    e = skp.employee
    me = _person(e)
    me["position"] = skp.position.name  # the position held when the SKP was drafted
    me["unit"] = skp.unit.name
    opd = skp.unit.opd if skp.unit.opd_id else skp.unit
    return {
        "skp": skp,
        "city": CITY,
        "opd": opd.name,
        "employee": me,
        "penilai": _person(skp.penilai),
        "atasan": _person(skp.atasan_penilai),
        "utama": [t for t in tree if t["result"].kind == ResultKind.UTAMA],
        "tambahan": [t for t in tree if t["result"].kind == ResultKind.TAMBAHAN],
        "behaviours": [(str(labels.get(b.value, b.value)), b.expectation) for b in skp.behaviours.all()],
        "watermark": "" if skp.state == SkpState.AGREED else str(skp.get_state_display()).upper(),
    }


def skp_pdf(skp: Skp) -> bytes:
    with translation.override("id"):
        html = render_to_string("performance/skp/pdf/skp.html", skp_context(skp))
    return html_to_pdf(html)
