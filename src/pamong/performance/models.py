"""Performance management (PermenPANRB 6/2022, PP 30/2019): the year's SKP, its realisation, feedback, periodic and
annual evaluations, third-party numeric ratings and their calibration, appeals.

Final evaluations are never changed: an appeal decision makes a new evaluation that names the one it corrects
(database triggers refuse an UPDATE or DELETE of a final evaluation, migration 0002)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pamong.org.models import Position, Unit
from pamong.people.models import Employee


class SkpState(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    AGREED = "agreed", _("Disetujui")
    SUPERSEDED = "superseded", _("Diganti versi baru")


OPEN_SKP_STATES = (SkpState.DRAFT, SkpState.SUBMITTED)


class Skp(models.Model):
    """One version of an employee's annual SKP. A revision of an agreed SKP is a new version (with its reason); the
    agreed one stays in force until the new one is agreed, then it is superseded."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="skps")
    year = models.PositiveSmallIntegerField(_("tahun"))
    version = models.PositiveSmallIntegerField(_("versi"), default=1)
    state = models.CharField(_("status"), max_length=12, choices=SkpState.choices, default=SkpState.DRAFT)
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="+")  # held when drafted
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    penilai = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.PROTECT, related_name="skps_as_penilai"
    )  # pejabat penilai; None: the head of the region (Wali Kota), who is no employee here
    atasan_penilai = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.PROTECT, related_name="skps_as_atasan_penilai"
    )
    penilai_override_reason = models.CharField(_("alasan penetapan penilai"), max_length=300, blank=True)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="revision"
    )  # the agreed version this one revises
    revision_reason = models.CharField(_("alasan perubahan"), max_length=500, blank=True)
    return_note = models.CharField(_("catatan pengembalian"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ("-year", "employee_id", "-version")
        verbose_name = "SKP"
        constraints = [
            models.UniqueConstraint(fields=("employee", "year", "version"), name="skp_version_unique"),
            models.UniqueConstraint(
                fields=("employee", "year"), condition=Q(state__in=["draft", "submitted"]), name="skp_one_open"
            ),
            models.UniqueConstraint(fields=("employee", "year"), condition=Q(state="agreed"), name="skp_one_agreed"),
        ]
        indexes = [models.Index(fields=("year", "unit")), models.Index(fields=("penilai", "year"))]

    def __str__(self) -> str:
        return f"SKP {self.year} v{self.version} – {self.employee_id}"


class ResultKind(models.TextChoices):
    UTAMA = "utama", _("Utama")
    TAMBAHAN = "tambahan", _("Tambahan")


class SkpResult(models.Model):
    """A rencana hasil kerja. It supports one result of the pejabat penilai's agreed SKP (cascading); a unit head's
    result names the Perjanjian Kinerja target it delivers instead."""

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="results")
    kind = models.CharField(_("jenis"), max_length=10, choices=ResultKind.choices, default=ResultKind.UTAMA)
    text = models.CharField(_("rencana hasil kerja"), max_length=500)
    supports = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="supported_by"
    )  # the superior's result (rencana hasil kerja atasan yang diintervensi)
    pk_reference = models.CharField(_("sasaran perjanjian kinerja"), max_length=500, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("skp_id", "kind", "order", "id")


class Aspect(models.TextChoices):
    KUANTITAS = "kuantitas", _("Kuantitas")
    KUALITAS = "kualitas", _("Kualitas")
    WAKTU = "waktu", _("Waktu")
    BIAYA = "biaya", _("Biaya")


class SkpIndicator(models.Model):
    """An indikator kinerja individu: what is measured, on which aspect, the year's target and its unit."""

    result = models.ForeignKey(SkpResult, on_delete=models.CASCADE, related_name="indicators")
    text = models.CharField(_("indikator"), max_length=500)
    aspect = models.CharField(_("aspek"), max_length=10, choices=Aspect.choices)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    unit_label = models.CharField(_("satuan"), max_length=60)  # "dokumen", "%", "bulan", "rupiah"
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("result_id", "order", "id")


class BerAkhlak(models.TextChoices):
    """The 7 core values (SE MenPANRB 20/2021) that perilaku kerja is rated on."""

    BERORIENTASI_PELAYANAN = "berorientasi_pelayanan", _("Berorientasi Pelayanan")
    AKUNTABEL = "akuntabel", _("Akuntabel")
    KOMPETEN = "kompeten", _("Kompeten")
    HARMONIS = "harmonis", _("Harmonis")
    LOYAL = "loyal", _("Loyal")
    ADAPTIF = "adaptif", _("Adaptif")
    KOLABORATIF = "kolaboratif", _("Kolaboratif")


class SkpBehaviour(models.Model):
    """One BerAKHLAK value of the SKP with the leader's specific expectation (ekspektasi khusus pimpinan)."""

    skp = models.ForeignKey(Skp, on_delete=models.CASCADE, related_name="behaviours")
    value = models.CharField(_("nilai"), max_length=30, choices=BerAkhlak.choices)
    expectation = models.CharField(_("ekspektasi khusus pimpinan"), max_length=500, blank=True)

    class Meta:
        ordering = ("skp_id", "id")
        constraints = [models.UniqueConstraint(fields=("skp", "value"), name="skp_behaviour_once")]


class Realisation(models.Model):
    """What was achieved on an indicator in one month (cumulative or for the month, as the indicator reads)."""

    indicator = models.ForeignKey(SkpIndicator, on_delete=models.PROTECT, related_name="realisations")
    period = models.DateField(_("bulan"))  # first day of the month
    value = models.DecimalField(_("realisasi"), max_digits=14, decimal_places=2)
    note = models.CharField(_("keterangan"), max_length=1000, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("indicator_id", "period")
        constraints = [models.UniqueConstraint(fields=("indicator", "period"), name="realisation_once_per_month")]


class Evidence(models.Model):
    """A file (stored outside the web root, checked by content) or a link that supports a realisation."""

    realisation = models.ForeignKey(Realisation, on_delete=models.CASCADE, related_name="evidence")
    link = models.URLField(_("tautan"), max_length=500, blank=True)
    stored_name = models.CharField(max_length=100, blank=True)  # file name under MEDIA_ROOT/evidence/ (random)
    original_name = models.CharField(_("nama berkas"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("realisation_id", "id")
        constraints = [
            models.CheckConstraint(condition=~Q(link="") | ~Q(stored_name=""), name="evidence_file_or_link"),
        ]


class Feedback(models.Model):
    """Umpan balik berkelanjutan: a dated note to an employee by the supervisor or anyone else who works with them.
    Append-only."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="feedback")
    period = models.DateField(_("bulan"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.CharField(_("umpan balik"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=("employee", "period"))]


class Rating3(models.TextChoices):
    """The three-point scale for hasil kerja and perilaku kerja."""

    DI_ATAS = "di_atas", _("Di atas ekspektasi")
    SESUAI = "sesuai", _("Sesuai ekspektasi")
    DI_BAWAH = "di_bawah", _("Di bawah ekspektasi")


class Predikat(models.TextChoices):
    SANGAT_BAIK = "sangat_baik", _("Sangat Baik")
    BAIK = "baik", _("Baik")
    BUTUH_PERBAIKAN = "butuh_perbaikan", _("Butuh Perbaikan")
    KURANG = "kurang", _("Kurang/Misconduct")
    SANGAT_KURANG = "sangat_kurang", _("Sangat Kurang")


class EvaluationKind(models.TextChoices):
    PERIODIC = "periodic", _("Periodik")
    ANNUAL = "annual", _("Tahunan")


class EvaluationState(models.TextChoices):
    DRAFT = "draft", _("Draf")
    FINAL = "final", _("Final")


class Evaluation(models.Model):
    """A rating of hasil and perilaku for a period, and the predikat they give (kuadran). A periodic evaluation also
    holds the TPP's capaian kinerja (from the city's pack). Final evaluations are immutable: an appeal decision
    writes a new final evaluation whose `corrects` names the one it replaces."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="evaluations")
    skp = models.ForeignKey(Skp, on_delete=models.PROTECT, related_name="evaluations")
    kind = models.CharField(_("jenis"), max_length=10, choices=EvaluationKind.choices)
    period_start = models.DateField(_("awal periode"))
    period_end = models.DateField(_("akhir periode"))
    state = models.CharField(_("status"), max_length=6, choices=EvaluationState.choices, default="draft")
    hasil = models.CharField(_("hasil kerja"), max_length=10, choices=Rating3.choices)
    perilaku = models.CharField(_("perilaku kerja"), max_length=10, choices=Rating3.choices)
    predikat = models.CharField(_("predikat"), max_length=16, choices=Predikat.choices)
    capaian_bp = models.PositiveIntegerField(null=True, blank=True)  # periodic: TPP capaian, 100 % = 10 000
    capaian_source = models.CharField(max_length=200, blank=True)  # the pack parameter and its date
    note = models.CharField(_("catatan penilai"), max_length=2000, blank=True)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    rated_at = models.DateTimeField(auto_now_add=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    corrects = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="correction"
    )  # the final evaluation this one replaces (an appeal decision)

    class Meta:
        ordering = ("-period_start", "employee_id", "id")
        constraints = [
            models.UniqueConstraint(
                fields=("employee", "kind", "period_start"),
                condition=Q(corrects__isnull=True),
                name="evaluation_once_per_period",
            ),
            models.CheckConstraint(
                condition=Q(capaian_bp__isnull=True) | Q(capaian_bp__lte=20000), name="evaluation_capaian_max_200"
            ),
            models.CheckConstraint(
                condition=Q(corrects__isnull=True) | Q(state="final"), name="evaluation_correction_is_final"
            ),
        ]
        indexes = [models.Index(fields=("period_start", "kind", "state"))]


class OrganisationRating(models.TextChoices):
    ISTIMEWA = "istimewa", _("Istimewa")
    BAIK = "baik", _("Baik")
    BUTUH_PERBAIKAN = "butuh_perbaikan", _("Butuh Perbaikan")
    KURANG = "kurang", _("Kurang")
    SANGAT_KURANG = "sangat_kurang", _("Sangat Kurang")


class UnitYear(models.Model):
    """A unit's year-end: the capaian kinerja organisasi, and its finalisation with the pola distribusi check. A
    unit that breaks the pattern finalises only with a reason."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun"))
    organisasi = models.CharField(_("capaian kinerja organisasi"), max_length=16, choices=OrganisationRating.choices)
    organisasi_basis = models.CharField(_("dasar penetapan"), max_length=1000, blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now_add=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    distribution = models.JSONField(default=dict, blank=True)  # the predikat counts when finalised
    violations = models.JSONField(default=list, blank=True)  # pola codes that did not hold
    violation_reason = models.CharField(_("alasan"), max_length=1000, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("unit", "year"), name="unit_year_once")]


class RaterRole(models.TextChoices):
    SUPERVISOR = "supervisor", _("Atasan langsung")
    ASSESSOR = "assessor", _("Penilai independen")
    PEER = "peer", _("Rekan kerja")
    CITIZEN = "citizen", _("Masyarakat (angka layanan unit)")


class Rating(models.Model):
    """A numeric rating (0–100, per criterion) of one employee by one rater for a period, for calibration. A
    citizen-facing figure has no user: its rater_key names the source (until the citizen module feeds it)."""

    period_start = models.DateField(_("awal periode"))
    pool = models.CharField(_("kelompok pembanding"), max_length=120)
    ratee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="ratings_received")
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")  # fmt: skip
    rater_key = models.CharField(max_length=60)  # "u<user id>" or "warga:<unit code>"
    rater_role = models.CharField(_("peran penilai"), max_length=12, choices=RaterRole.choices)
    scores = models.JSONField(default=dict)  # criterion → 0..100
    value = models.DecimalField(_("nilai"), max_digits=5, decimal_places=2)  # mean of the criteria
    comment = models.CharField(_("catatan"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    locked = models.BooleanField(default=False)  # locked when a calibration session closes

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("period_start", "rater_key", "ratee"), name="rating_once_per_rater"),
            models.CheckConstraint(condition=Q(value__gte=0) & Q(value__lte=100), name="rating_value_0_100"),
        ]
        indexes = [models.Index(fields=("period_start", "pool"))]


class CalibrationState(models.TextChoices):
    OPEN = "open", _("Berjalan")
    CLOSED = "closed", _("Selesai")


class CalibrationSession(models.Model):
    """A calibration panel's session for one pool and period: the contract's result on the stored ratings, and the
    panel's overrides. Closing it locks the ratings."""

    period_start = models.DateField(_("awal periode"))
    pool = models.CharField(_("kelompok pembanding"), max_length=120)
    state = models.CharField(max_length=6, choices=CalibrationState.choices, default=CalibrationState.OPEN)
    result = models.JSONField(default=dict)  # engine output for the pool (rater effects, fair scores, flags)
    computed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("period_start", "pool"), name="calibration_once_per_pool")]


class CalibrationOverride(models.Model):
    """The panel's change of one employee's fair score, with its reason (append-only; the latest counts)."""

    session = models.ForeignKey(CalibrationSession, on_delete=models.PROTECT, related_name="overrides")
    ratee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+")
    old_value = models.DecimalField(max_digits=7, decimal_places=4)
    new_value = models.DecimalField(max_digits=7, decimal_places=4)
    reason = models.CharField(_("alasan"), max_length=1000)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("session_id", "ratee_id", "-at", "-id")


class AppealState(models.TextChoices):
    FILED = "filed", _("Diajukan")
    EXAMINING = "examining", _("Dalam pemeriksaan")
    UPHELD = "upheld", _("Ditolak — penilaian tetap")
    CHANGED = "changed", _("Dikabulkan — penilaian diubah")
    WITHDRAWN = "withdrawn", _("Ditarik")


class Appeal(models.Model):
    """Keberatan (PP 30/2019 Pasal 59): filed by the employee within the pack's days of receiving a final
    evaluation, to the atasan pejabat penilai, who hears both sides and decides; the decision is final."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="appeals")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="appeals")
    atasan = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.PROTECT, related_name="appeals_to_decide"
    )  # None: decided by BKPSDM on the head of region's behalf
    state = models.CharField(_("status"), max_length=10, choices=AppealState.choices, default=AppealState.FILED)
    reasons = models.CharField(_("alasan keberatan"), max_length=4000)
    filed_at = models.DateTimeField(auto_now_add=True)
    decide_by = models.DateField(_("batas keputusan"))
    penilai_statement = models.CharField(_("penjelasan pejabat penilai"), max_length=4000, blank=True)
    employee_statement = models.CharField(_("penjelasan pegawai"), max_length=4000, blank=True)
    examining_at = models.DateTimeField(null=True, blank=True)  # when the atasan asked both sides to explain
    penilai_statement_at = models.DateTimeField(null=True, blank=True)
    employee_statement_at = models.DateTimeField(null=True, blank=True)
    new_hasil = models.CharField(max_length=10, choices=Rating3.choices, blank=True)
    new_perilaku = models.CharField(max_length=10, choices=Rating3.choices, blank=True)
    decision_reason = models.CharField(_("pertimbangan keputusan"), max_length=4000, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    correction = models.OneToOneField(
        Evaluation, null=True, blank=True, on_delete=models.PROTECT, related_name="appeal_decision"
    )

    class Meta:
        ordering = ("-filed_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=("evaluation",), condition=~Q(state="withdrawn"), name="appeal_once_per_evaluation"
            ),
        ]


class AwardProposal(models.Model):
    """A payroll award (penghargaan) proposed for an annual predikat Sangat Baik: one per employee and year, so a
    second proposal of the same year does not pay twice. The award itself is approved in payroll as any other."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("tahun"))
    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="+")
    award = models.OneToOneField("payroll.Award", on_delete=models.PROTECT, related_name="performance_proposal")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-year", "employee_id")
        constraints = [models.UniqueConstraint(fields=("employee", "year"), name="award_proposal_once_per_year")]
