"""Forms that change an employee's record. They only parse input (types, required fields); every rule is checked
by the service they feed (people/services.py → people/records.py), the same for the API and the import, and its
errors are shown beside the fields here (`show_errors`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _

from pamong.core.errors import DomainError
from pamong.people.grades import PNS_GOLONGAN, PPPK_GOLONGAN
from pamong.people.models import EducationLevel, Employee, EmploymentStatus, FamilyMember, Gender, PositionHistory

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
BLANK = ("", "–")


def _date(label: Any, required: bool = True, help_text: Any = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE, help_text=help_text)


def _text(label: Any, required: bool = False, **kw: Any) -> forms.CharField:
    # no max_length here: the service reports a too-long value with the same message as the import and the API
    return forms.CharField(label=label, required=required, strip=True, **kw)


class ReasonMixin(forms.Form):
    reason = _text(_("Alasan / dasar perubahan"), help_text=_("dicatat di log audit"))


class SkMixin(forms.Form):
    sk_number = _text(_("Nomor SK"), required=True)
    sk_date = _date(_("Tanggal SK"))
    tmt = _date(_("TMT (terhitung mulai tanggal)"))


class ContactForm(ReasonMixin):
    name = _text(_("Nama (tanpa gelar)"), required=True)
    front_title = _text(_("Gelar depan"))
    back_title = _text(_("Gelar belakang"))
    birth_place = _text(_("Tempat lahir"))
    education_level = forms.ChoiceField(
        label=_("Pendidikan terakhir"), required=False, choices=[BLANK, *EducationLevel.choices]
    )
    address = _text(_("Alamat"), widget=forms.Textarea(attrs={"rows": 3}))
    phone = _text(_("Telepon"), widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
    email = _text(_("Email"), widget=forms.TextInput(attrs={"type": "email", "autocomplete": "off"}))
    field_order = ["name", "front_title", "back_title", "birth_place", "education_level", "address", "phone", "email"]


class BankForm(ReasonMixin):
    bank_name = _text(_("Bank"))
    bank_account_number = _text(
        _("Nomor rekening"), widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
    )
    bank_account_name = _text(_("Nama pemilik rekening"))
    field_order = ["bank_name", "bank_account_number", "bank_account_name"]


RANK_KINDS = [
    ("reguler", _("Reguler")),
    ("pilihan", _("Pilihan (jabatan struktural/fungsional)")),
    ("penyesuaian_ijazah", _("Penyesuaian ijazah")),
    ("anumerta", _("Anumerta / pengabdian")),
]


def golongan_choices_for(employee: Employee) -> list[tuple[str, str]]:
    if employee.employee_type == "PPPK":
        return [(g, f"PPPK {g}") for g in PPPK_GOLONGAN]
    return [(g, f"{g} – {p}") for g, p in PNS_GOLONGAN]


class RankForm(SkMixin, ReasonMixin):
    golongan = forms.ChoiceField(label=_("Golongan ruang"))
    mkg_years = forms.IntegerField(label=_("Masa kerja golongan (tahun)"), min_value=0)
    mkg_months = forms.IntegerField(label=_("Masa kerja golongan (bulan)"), min_value=0, initial=0)
    kind = forms.ChoiceField(label=_("Jenis kenaikan pangkat"), choices=RANK_KINDS, initial="reguler")
    field_order = ["golongan", "mkg_years", "mkg_months", "kind", "sk_number", "sk_date", "tmt", "reason"]

    def __init__(self, *args: Any, employee: Employee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["golongan"].choices = golongan_choices_for(employee)


class PositionForm(SkMixin, ReasonMixin):
    position = forms.TypedChoiceField(label=_("Jabatan baru"), coerce=int)
    mode = forms.ChoiceField(label=_("Jenis penugasan"), choices=PositionHistory.Mode.choices, initial="definitif")
    end_date = _date(_("Sampai (untuk Plt/Plh)"), required=False)
    field_order = ["position", "mode", "end_date", "sk_number", "sk_date", "tmt", "reason"]

    def __init__(self, *args: Any, positions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["position"].choices = [BLANK] + [(p.pk, f"{p.name} — {p.unit.name}") for p in positions]


class StatusForm(SkMixin, ReasonMixin):
    status = forms.ChoiceField(label=_("Status kepegawaian baru"), choices=EmploymentStatus.choices)
    note = _text(_("Keterangan"))
    field_order = ["status", "note", "sk_number", "sk_date", "tmt", "reason"]


class FamilyForm(ReasonMixin):
    relation = forms.ChoiceField(label=_("Hubungan"), choices=FamilyMember.Relation.choices)
    name = _text(_("Nama"), required=True)
    nik = _text(_("NIK"), widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    birth_date = _date(_("Tanggal lahir"))
    gender = forms.ChoiceField(label=_("Jenis kelamin"), choices=Gender.choices)
    marriage_date = _date(_("Tanggal menikah (pasangan)"), required=False)
    spouse_is_pns = forms.BooleanField(label=_("Pasangan juga ASN"), required=False)
    spouse_nip = _text(_("NIP pasangan (bila ASN)"))
    spouse_has_income = forms.BooleanField(label=_("Pasangan berpenghasilan"), required=False)
    receives_spouse_allowance = forms.BooleanField(
        label=_("Tunjangan suami/istri dibayar kepada pegawai ini"), required=False, initial=True
    )
    child_kind = forms.ChoiceField(
        label=_("Status anak"), required=False, choices=[BLANK, *FamilyMember.ChildKind.choices]
    )
    in_school = forms.BooleanField(label=_("Anak masih sekolah/kuliah"), required=False)
    married = forms.BooleanField(label=_("Anak sudah menikah"), required=False)
    working = forms.BooleanField(label=_("Anak sudah bekerja"), required=False)
    ended_on = _date(_("Berakhir (cerai/meninggal)"), required=False)
    field_order = [
        "relation", "name", "nik", "birth_date", "gender", "marriage_date", "spouse_is_pns", "spouse_nip",
        "spouse_has_income", "receives_spouse_allowance", "child_kind", "in_school", "married", "working",
        "ended_on", "reason",
    ]  # fmt: skip


class FamilyEndForm(ReasonMixin):
    ended_on = _date(_("Tanggal berakhir"), help_text=_("tanggal cerai atau meninggal dunia"))
    reason = _text(
        _("Alasan / dasar perubahan"), required=True, help_text=_("mis. nomor akta cerai atau akta kematian")
    )


def show_errors(form: forms.Form, exc: DomainError | DjangoValidationError) -> None:
    """A service's refusal, shown beside the fields it names (the rest above the form)."""
    if isinstance(exc, DjangoValidationError):
        details: Any = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        message = ""
    else:
        details, message = exc.details, str(exc.message)
    shown = False
    if isinstance(details, dict) and "field" in details and isinstance(details["field"], str):
        details = {details["field"]: [message]}
    if isinstance(details, dict):
        for name, msgs in details.items():
            target = name if name in form.fields else None
            for msg in msgs if isinstance(msgs, list) else [msgs]:
                form.add_error(target, str(msg))
                shown = True
    if not shown:
        form.add_error(None, message or str(exc))
