"""Forms for the web UI: filters (GET) and the import upload. Labels and errors are Indonesian msgids."""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pamong.audit.selectors import AuditFilter
from pamong.org.models import PositionKind
from pamong.people.grades import PNS_GOLONGAN, PPPK_GOLONGAN
from pamong.people.models import EmployeeType, EmploymentStatus
from pamong.people.selectors import EmployeeFilter

from .paging import DEFAULT_PER_PAGE, PER_PAGE_CHOICES

ALL = ("", _("Semua"))
NIP_LIKE = re.compile(r"\d[\d .\-]*\d")


def unit_choices(units: Any) -> list[tuple[str, str]]:
    """Units in tree order, indented by depth, as select choices (one query)."""
    out = [ALL]
    for pk, name, path in units.values_list("pk", "name", "path"):
        depth = path.count("/") - 1
        out.append((str(pk), "\u00a0\u00a0" * depth + name))
    return out


def golongan_choices() -> list[tuple[str, Any]]:
    groups = [(g, _("Golongan %(g)s (semua)") % {"g": g}) for g in ("I", "II", "III", "IV")]
    pns = [(g, f"{g} – {p}") for g, p in PNS_GOLONGAN]
    pppk = [(g, f"PPPK {g}") for g in PPPK_GOLONGAN]
    return [ALL, (_("Kelompok"), groups), (_("PNS/CPNS"), pns), (_("PPPK"), pppk)]


class EmployeeFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Nama atau NIP"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "placeholder": _("cari nama atau NIP")}),
    )
    unit = forms.TypedChoiceField(
        label=_("Unit kerja (termasuk sub-unit)"), required=False, coerce=int, empty_value=None
    )
    golongan = forms.ChoiceField(label=_("Golongan"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[ALL, *EmploymentStatus.choices])
    employee_type = forms.ChoiceField(label=_("Jenis pegawai"), required=False, choices=[ALL, *EmployeeType.choices])
    per_page = forms.TypedChoiceField(
        label=_("Baris per halaman"),
        required=False,
        coerce=int,
        empty_value=DEFAULT_PER_PAGE,
        choices=[(str(n), str(n)) for n in PER_PAGE_CHOICES],
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices(units)
        self.fields["golongan"].choices = golongan_choices()

    def clean_q(self) -> str:
        """A NIP is often written in groups ("19860926 201203 1 005"): search by its digits."""
        q = (self.cleaned_data.get("q") or "").strip()
        return re.sub(r"\D", "", q) if NIP_LIKE.fullmatch(q) else q

    def to_filter(self) -> EmployeeFilter:
        """The filter from the valid fields; an invalid field is ignored (and shown as an error)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return EmployeeFilter(
            q=data.get("q") or "",
            unit_id=data.get("unit"),
            golongan=data.get("golongan") or "",
            status=data.get("status") or "",
            employee_type=data.get("employee_type") or "",
        )

    def page_size(self) -> int:
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get("per_page") or DEFAULT_PER_PAGE


class PositionFilterForm(forms.Form):
    q = forms.CharField(label=_("Nama atau kode jabatan"), required=False, max_length=100)
    unit = forms.TypedChoiceField(
        label=_("Unit kerja (termasuk sub-unit)"), required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(label=_("Jenis jabatan"), required=False, choices=[ALL, *PositionKind.choices])

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices(units)

    def values(self) -> dict[str, Any]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"q": data.get("q") or "", "unit_id": data.get("unit"), "kind": data.get("kind") or ""}


class AuditFilterForm(forms.Form):
    action = forms.CharField(
        label=_("Aksi"), required=False, max_length=80, help_text=_("awal nama aksi, mis. employee. atau rank.added")
    )
    object_type = forms.CharField(label=_("Jenis objek"), required=False, max_length=60)
    object_id = forms.CharField(label=_("ID objek"), required=False, max_length=40)
    actor = forms.CharField(label=_("Pelaku (nama pengguna)"), required=False, max_length=150)
    date_from = forms.DateField(label=_("Dari tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Sampai tanggal"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def to_filter(self) -> AuditFilter:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return AuditFilter(
            action=(data.get("action") or "").strip(),
            object_type=(data.get("object_type") or "").strip(),
            object_id=(data.get("object_id") or "").strip(),
            actor=(data.get("actor") or "").strip(),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


IMPORT_KINDS = [
    ("units", _("Unit kerja")),
    ("positions", _("Jabatan")),
    ("employees", _("Pegawai")),
    ("monthly", _("Masukan bulanan TPP (capaian kinerja, disiplin)")),
    ("sanctions", _("Hukuman disiplin")),
]
IMPORT_EXTENSIONS = (".csv", ".xlsx")
IMPORT_MAX_BYTES = 20 * 1024 * 1024


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis data"), choices=IMPORT_KINDS, widget=forms.RadioSelect)
    file = forms.FileField(
        label=_("Berkas CSV atau XLSX"), widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"})
    )
    reason = forms.CharField(
        label=_("Alasan / dasar (opsional)"),
        required=False,
        max_length=300,
        help_text=_("dicatat di log audit, mis. nomor SK atau keperluan pemutakhiran data"),
    )

    def __init__(self, *args: Any, kinds: list[tuple[str, Any]] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = kinds
            if len(kinds) == 1:
                self.fields["kind"].initial = kinds[0][0]

    def clean_file(self) -> Any:
        f = self.cleaned_data["file"]
        if PurePath(f.name).suffix.lower() not in IMPORT_EXTENSIONS:
            raise forms.ValidationError(_("Berkas harus berformat CSV atau XLSX."))
        if f.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("Berkas terlalu besar (maksimal 20 MB)."))
        return f
