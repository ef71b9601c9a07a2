"""Payroll runs and what they produce. A run (month × kind × scope) is split into chunks of employees computed
independently; each payslip keeps the facts it was computed from, its lines, totals and the engine's trace, so a
later change to the employee cannot change what a past payslip says.

Monthly inputs (performance score, discipline counts) and disciplinary sanctions are the run's inputs until the
performance and attendance modules feed the same tables."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from pamong.org.models import Unit
from pamong.people.models import Employee


class RunKind(models.TextChoices):
    GAJI = "gaji", _("Gaji induk")
    TPP = "tpp", _("TPP")
    THR = "thr", _("THR")
    GAJI13 = "gaji13", _("Gaji ke-13")
    RAPEL = "rapel", _("Rapel")


class RunState(models.TextChoices):
    DRAFT = "draft", _("Draf")
    COMPUTED = "computed", _("Dihitung")
    VERIFIED = "verified", _("Diverifikasi")
    APPROVED = "approved", _("Disetujui")
    PAID = "paid", _("Dibayar")
    CLOSED = "closed", _("Ditutup")
    CANCELLED = "cancelled", _("Dibatalkan")


# a payslip of a run in these states can no longer change, and the run never moves back (database triggers on
# PostgreSQL and SQLite, the services first): employees and the public see payslips of these runs only
FROZEN_STATES = (RunState.APPROVED, RunState.PAID, RunState.CLOSED)
# a run not yet approved nor cancelled: at most one per month, kind and scope (a database constraint)
OPEN_STATES = (RunState.DRAFT, RunState.COMPUTED, RunState.VERIFIED)


# row history by triggers on PostgreSQL: even a raw UPDATE of a run's state is recorded
@pghistory.track(exclude=["params_catalogue"])
class PayrollRun(models.Model):
    period = models.DateField(_("bulan"))  # the first day of the month paid
    kind = models.CharField(_("jenis"), max_length=10, choices=RunKind.choices)
    scope = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("lingkup OPD")
    )  # None = the whole city
    state = models.CharField(_("status"), max_length=10, choices=RunState.choices, default=RunState.DRAFT)
    region = models.CharField(_("paket aturan daerah"), max_length=60)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )  # a rapel names the run it corrects
    note = models.TextField(_("catatan"), blank=True)
    sp2d_number = models.CharField(_("nomor SP2D"), max_length=80, blank=True)
    params_catalogue = models.JSONField(default=dict)  # parameter name → since, source, unit, reference (for traces)
    chunks_total = models.PositiveIntegerField(default=0)
    chunks_done = models.PositiveIntegerField(default=0)
    employees_total = models.PositiveIntegerField(default=0)
    errors_total = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)  # bumped by every transition: optimistic locking

    class Meta:
        ordering = ("-period", "kind", "id")
        verbose_name = _("proses penggajian")
        verbose_name_plural = _("proses penggajian")
        constraints = [
            # two creates racing for the same month, kind and scope: the second fails here (the service turns it
            # into a Conflict); a supplementary run for who is still missing may follow once this one is approved
            models.UniqueConstraint(
                Coalesce("scope", Value(0)),
                "period",
                "kind",
                condition=Q(state__in=OPEN_STATES),
                name="payroll_run_one_open_per_month_kind_scope",
            ),
        ]

    def __str__(self) -> str:
        where = self.scope.name if self.scope_id and self.scope else _("seluruh kota")
        return f"{self.get_kind_display()} {self.period:%m/%Y} — {where}"

    @property
    def frozen(self) -> bool:
        return self.state in FROZEN_STATES


class RunTransition(models.Model):
    run = models.ForeignKey(PayrollRun, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=10, choices=RunState.choices)
    to_state = models.CharField(max_length=10, choices=RunState.choices)
    action = models.CharField(max_length=20)
    opd = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ("at", "id")


class OpdVerification(models.Model):
    """A treasurer's verification of one OPD's part of a run; the run is verified when every OPD in it is."""

    run = models.ForeignKey(PayrollRun, on_delete=models.CASCADE, related_name="verifications")
    opd = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    verified_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("run", "opd"), name="payroll_verification_once_per_opd")]


class RunChunk(models.Model):
    class State(models.TextChoices):
        PENDING = "pending"
        DONE = "done"
        FAILED = "failed"

    run = models.ForeignKey(PayrollRun, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    employee_ids = models.JSONField()  # fixed when the run is (re)computed: a later hire does not join it
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    worker = models.CharField(max_length=80, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("run", "index")
        constraints = [models.UniqueConstraint(fields=("run", "index"), name="payroll_chunk_index_unique")]


# Payslips are written once in bulk (no insert copy: the row is the record); a change or a deletion keeps the row as
# it was before (PostgreSQL). The trace is left out: it is large and derived from the facts and the run's parameters.
@pghistory.track(
    pghistory.UpdateEvent("before_update", row=pghistory.Old),
    pghistory.DeleteEvent("before_delete"),
    exclude=["trace"],
)
class Payslip(models.Model):
    run = models.ForeignKey(PayrollRun, on_delete=models.PROTECT, related_name="payslips")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="payslips")
    period = models.DateField()
    kind = models.CharField(max_length=10, choices=RunKind.choices)
    opd = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")  # snapshot at computation
    facts = models.JSONField()  # what the engine was given, and the names printed on the slip
    lines = models.JSONField()  # line code → rupiah
    bruto = models.BigIntegerField()
    potongan = models.BigIntegerField()
    bersih = models.BigIntegerField()
    trace = models.JSONField()  # line code → [result, inputs, [[param name, value], ...]] (catalogue on the run)
    # what this payment adds to the year's PPh 21 (bruto_gaji, bruto_tpp, pph_gaji, pph_tpp, iuran_pensiun): the
    # December recomputation sums these over the year's approved payslips
    year = models.JSONField(default=dict)
    # verification code printed on the PDF and its QR: issued when the run is approved, never changed after (a draft
    # has none, so nothing printed from a draft can be verified)
    code = models.CharField(max_length=16, unique=True, null=True, blank=True)

    class Meta:
        ordering = ("run", "opd", "employee")
        constraints = [
            # no employee is paid the same kind twice for a month, whichever run tries
            models.UniqueConstraint(fields=("employee", "period", "kind"), name="payroll_payslip_once_per_month"),
        ]
        indexes = [
            models.Index(fields=("run", "opd")),
            # a month's payslips by kind and employee with what the payroll dashboard compares (PostgreSQL answers
            # its anomaly and "left" lists from the index alone; SQLite ignores the INCLUDE)
            models.Index(
                fields=("period", "kind", "employee"),
                include=("id", "bersih", "opd", "run"),
                name="payroll_payslip_month",
            ),  # fmt: skip
        ]


class PayslipError(models.Model):
    """An employee of a run who could not be computed, and why (shown on the run; verification waits for it)."""

    run = models.ForeignKey(PayrollRun, on_delete=models.CASCADE, related_name="errors")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+")
    opd = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    message = models.TextField()

    class Meta:
        ordering = ("run", "opd", "employee")
        constraints = [models.UniqueConstraint(fields=("run", "employee"), name="payroll_error_once")]


class MonthlyInput(models.Model):
    """The month's performance achievement and discipline counts for TPP (imported; later from the modules)."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="monthly_inputs")
    period = models.DateField()
    capaian_bp = models.PositiveIntegerField()  # 100 % = 10 000
    discipline = models.JSONField(default=dict)  # band → count (TL1..TL4, PSW1..PSW4, TK days)
    source = models.CharField(max_length=200)  # the imported file, or the module
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("employee", "period"), name="payroll_input_once_per_month"),
            models.CheckConstraint(condition=Q(capaian_bp__lte=20000), name="payroll_input_capaian_max_200"),
        ]


class DisciplinarySanction(models.Model):
    """A disciplinary sanction (hukuman disiplin, PP 94/2021) by its decree; the region's pack gives its TPP cut
    and how many months it runs from its TMT."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="sanctions")
    code = models.CharField(_("jenis hukuman"), max_length=60)
    tmt = models.DateField(_("TMT"))
    sk_number = models.CharField(_("nomor SK"), max_length=100)
    sk_date = models.DateField(_("tanggal SK"))

    class Meta:
        ordering = ("employee", "tmt")


class Approved(models.Model):
    """Entered by one person, approved by another (the BPKAD head); only approved rows reach a run."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class Award(Approved):
    """An award (penghargaan) by decree, paid with the TPP of its month once the BPKAD head approves it."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="awards")
    period = models.DateField(_("dibayar bulan"))
    amount = models.BigIntegerField(_("jumlah"))
    decree_number = models.CharField(_("nomor keputusan"), max_length=100)
    decree_date = models.DateField(_("tanggal keputusan"))
    description = models.CharField(_("uraian"), max_length=200)

    class Meta:
        ordering = ("-period", "employee")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payroll_award_positive")]


class DeductionKind(models.TextChoices):
    ZAKAT = "zakat", _("Zakat (BAZNAS)")
    KOPERASI = "koperasi", _("Koperasi")
    PINJAMAN = "pinjaman", _("Angsuran pinjaman bank")
    LAINNYA = "lainnya", _("Lainnya")


class OtherDeduction(Approved):
    """A deduction for a creditor (zakat, koperasi, bank loan instalment) taken from net pay each month from `start`
    for `months` months (None: until ended), in order of `priority` (1 first) while the net pay lasts."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="deductions")
    kind = models.CharField(_("jenis"), max_length=10, choices=DeductionKind.choices)
    creditor = models.CharField(_("penerima"), max_length=150)
    reference = models.CharField(_("nomor perjanjian/surat kuasa"), max_length=100)
    amount = models.BigIntegerField(_("jumlah per bulan"))
    slip_kind = models.CharField(_("dipotong dari"), max_length=10, choices=RunKind.choices, default=RunKind.GAJI)
    start = models.DateField(_("mulai bulan"))
    months = models.PositiveIntegerField(_("lama (bulan)"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(_("urutan"), default=10)
    ended_on = models.DateField(_("dihentikan"), null=True, blank=True)

    class Meta:
        ordering = ("employee", "priority", "id")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payroll_deduction_positive")]
