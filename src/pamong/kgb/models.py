"""An SK KGB (kenaikan gaji berkala) as a document with a state: draft → approved, or draft → cancelled.

The draft freezes what the decree says (the MKG and gaji pokok before and after, the TMT, the SK number); on
approval the new MKG enters the employee's KGB history through people.services.kgb_record, with the SK."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pamong.people.grades import GOLONGAN_CHOICES
from pamong.people.models import Employee, SalaryRaiseHistory


class KgbState(models.TextChoices):
    DRAFT = "draft", _("Draf")
    APPROVED = "approved", _("Disetujui")
    CANCELLED = "cancelled", _("Dibatalkan")


class KgbDecree(models.Model):
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="kgb_decrees")
    state = models.CharField(_("status"), max_length=10, choices=KgbState.choices, default=KgbState.DRAFT)
    golongan = models.CharField(_("golongan"), max_length=6, choices=GOLONGAN_CHOICES)
    employee_type = models.CharField(_("jenis pegawai"), max_length=4)
    old_mkg_years = models.PositiveSmallIntegerField(_("MKG lama (tahun)"))
    old_mkg_months = models.PositiveSmallIntegerField(_("MKG lama (bulan)"))
    old_gaji_pokok = models.BigIntegerField(_("gaji pokok lama"))
    new_mkg_years = models.PositiveSmallIntegerField(_("MKG baru (tahun)"))
    new_mkg_months = models.PositiveSmallIntegerField(_("MKG baru (bulan)"), default=0)
    new_gaji_pokok = models.BigIntegerField(_("gaji pokok baru"))
    tmt = models.DateField(_("TMT"))
    due_on = models.DateField(_("jatuh tempo langkah MKG"))  # = tmt unless a sanction postponed it
    next_due_on = models.DateField(_("KGB berikutnya"), null=True, blank=True)
    postponed_by = models.CharField(_("ditunda oleh hukuman"), max_length=100, blank=True)
    sk_number = models.CharField(_("nomor SK"), max_length=100, unique=True)  # a number, once given, is not reused
    sk_year = models.PositiveSmallIntegerField(_("tahun nomor SK"))  # the numbering year: the draft's
    sk_seq = models.PositiveIntegerField(_("urutan nomor SK"))
    sk_date = models.DateField(_("tanggal SK"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(_("alasan pembatalan"), max_length=300, blank=True)
    history = models.OneToOneField(
        SalaryRaiseHistory, null=True, blank=True, on_delete=models.PROTECT, related_name="decree"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("SK kenaikan gaji berkala")
        constraints = [
            # one live decree per step: a second draft for the same KGB is refused by the database too
            models.UniqueConstraint(
                fields=["employee", "due_on"], condition=~Q(state="cancelled"), name="kgb_one_live_decree_per_step"
            ),
            models.UniqueConstraint(fields=["sk_year", "sk_seq"], name="kgb_sk_number_sequence"),
            models.CheckConstraint(condition=Q(state__in=["draft", "approved", "cancelled"]), name="kgb_state_known"),
        ]

    def __str__(self) -> str:
        return f"SK KGB {self.sk_number}"
