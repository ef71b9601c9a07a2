from __future__ import annotations

import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pamong.org.models import Position, Unit

from .grades import GOLONGAN_CHOICES


class EmployeeType(models.TextChoices):
    PNS = "PNS", "PNS"
    CPNS = "CPNS", "CPNS"
    PPPK = "PPPK", "PPPK"


class Gender(models.TextChoices):
    L = "L", _("Laki-laki")
    P = "P", _("Perempuan")


class EmploymentStatus(models.TextChoices):
    AKTIF = "aktif", _("Aktif")
    CPNS = "cpns", _("CPNS (masa percobaan)")
    TUGAS_BELAJAR = "tugas_belajar", _("Tugas belajar")
    CLTN = "cltn", _("Cuti di luar tanggungan negara")
    DIBERHENTIKAN_SEMENTARA = "diberhentikan_sementara", _("Diberhentikan sementara")
    PENSIUN = "pensiun", _("Pensiun")
    MENINGGAL = "meninggal", _("Meninggal dunia")
    BERHENTI = "berhenti", _("Berhenti")


ACTIVE_STATUSES = (
    EmploymentStatus.AKTIF,
    EmploymentStatus.CPNS,
    EmploymentStatus.TUGAS_BELAJAR,
    EmploymentStatus.CLTN,
    EmploymentStatus.DIBERHENTIKAN_SEMENTARA,
)


class EducationLevel(models.TextChoices):
    SD = "SD", "SD"
    SMP = "SMP", "SMP"
    SMA = "SMA", "SMA/SMK"
    D1 = "D1", "D-I"
    D2 = "D2", "D-II"
    D3 = "D3", "D-III"
    D4 = "D4", "D-IV"
    S1 = "S1", "S-1"
    S2 = "S2", "S-2"
    S3 = "S3", "S-3"


@pghistory.track()
class Employee(models.Model):
    """An ASN. The `current` fields mirror the latest history rows so lists need no joins into histories;
    only services write them, together with the history row that justifies them."""

    nip = models.CharField(_("NIP"), max_length=18, unique=True)
    nik = models.CharField(_("NIK"), max_length=16, unique=True)
    name = models.CharField(_("nama"), max_length=150)
    front_title = models.CharField(_("gelar depan"), max_length=30, blank=True)
    back_title = models.CharField(_("gelar belakang"), max_length=40, blank=True)
    birth_place = models.CharField(_("tempat lahir"), max_length=80, blank=True)
    birth_date = models.DateField(_("tanggal lahir"))
    gender = models.CharField(_("jenis kelamin"), max_length=1, choices=Gender.choices)
    address = models.TextField(_("alamat"), blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    employee_type = models.CharField(_("jenis pegawai"), max_length=4, choices=EmployeeType.choices)
    tmt_cpns = models.DateField(_("TMT CPNS/PPPK"))
    tmt_pns = models.DateField(_("TMT PNS"), null=True, blank=True)
    # current state (derived from the histories below)
    golongan = models.CharField(_("golongan"), max_length=6, choices=GOLONGAN_CHOICES, db_index=True)
    mkg_years = models.PositiveSmallIntegerField(_("MKG tahun"), default=0)
    mkg_months = models.PositiveSmallIntegerField(_("MKG bulan"), default=0)
    mkg_set_on = models.DateField(_("MKG per tanggal"))
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="holders")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="employees")
    position_mode = models.CharField(max_length=10, default="definitif")  # definitif | plt | plh
    status = models.CharField(
        _("status kepegawaian"), max_length=30, choices=EmploymentStatus.choices, default=EmploymentStatus.AKTIF
    )
    status_since = models.DateField(_("status sejak"))
    education_level = models.CharField(_("pendidikan"), max_length=3, choices=EducationLevel.choices, blank=True)
    next_kgb_on = models.DateField(_("KGB berikutnya"), null=True, blank=True, db_index=True)
    retirement_on = models.DateField(_("TMT pensiun (BUP)"), null=True, blank=True, db_index=True)
    bank_name = models.CharField(_("bank"), max_length=60, blank=True)
    bank_account_number = models.CharField(_("nomor rekening"), max_length=30, blank=True)
    bank_account_name = models.CharField(_("nama pemilik rekening"), max_length=150, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="employee"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "nip"]
        verbose_name = _("pegawai")
        indexes = [
            models.Index(fields=["name", "nip"], name="employee_list_order"),  # the list's ORDER BY, paged by OFFSET
            models.Index(fields=["unit", "name"]),
            models.Index(fields=["status", "name"]),
            # NIP prefix search (LIKE 'x%') on PostgreSQL needs the pattern opclass; ignored on SQLite
            models.Index(fields=["nip"], name="employee_nip_prefix", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.nip})"

    @property
    def full_name(self) -> str:
        front = f"{self.front_title} " if self.front_title else ""
        back = f", {self.back_title}" if self.back_title else ""
        return f"{front}{self.name}{back}"


class SkRecord(models.Model):
    """Common columns of every history row: the decree (SK) that made it so and the date it takes effect."""

    sk_number = models.CharField(_("nomor SK"), max_length=100)
    sk_date = models.DateField(_("tanggal SK"))
    tmt = models.DateField(_("TMT"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-tmt", "-id"]


class RankHistory(SkRecord):
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="rank_history")
    golongan = models.CharField(_("golongan"), max_length=6, choices=GOLONGAN_CHOICES)
    mkg_years = models.PositiveSmallIntegerField(_("MKG tahun"))
    mkg_months = models.PositiveSmallIntegerField(_("MKG bulan"), default=0)
    kind = models.CharField(_("jenis kenaikan"), max_length=30, default="reguler")

    class Meta(SkRecord.Meta):
        verbose_name = _("riwayat pangkat/golongan")


class PositionHistory(SkRecord):
    class Mode(models.TextChoices):
        DEFINITIF = "definitif", _("Definitif")
        PLT = "plt", _("Pelaksana Tugas (Plt)")
        PLH = "plh", _("Pelaksana Harian (Plh)")

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="position_history")
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(_("jenis penugasan"), max_length=10, choices=Mode.choices, default=Mode.DEFINITIF)
    end_date = models.DateField(_("sampai"), null=True, blank=True)

    class Meta(SkRecord.Meta):
        verbose_name = _("riwayat jabatan")


class SalaryRaiseHistory(SkRecord):
    """Kenaikan gaji berkala (KGB): a new MKG within the same golongan."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="kgb_history")
    golongan = models.CharField(_("golongan"), max_length=6, choices=GOLONGAN_CHOICES)
    mkg_years = models.PositiveSmallIntegerField(_("MKG tahun"))
    mkg_months = models.PositiveSmallIntegerField(_("MKG bulan"), default=0)

    class Meta(SkRecord.Meta):
        verbose_name = _("riwayat KGB")


class StatusHistory(SkRecord):
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="status_history")
    status = models.CharField(_("status"), max_length=30, choices=EmploymentStatus.choices)
    note = models.CharField(_("keterangan"), max_length=200, blank=True)

    class Meta(SkRecord.Meta):
        verbose_name = _("riwayat status kepegawaian")


class EducationHistory(models.Model):
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="education_history")
    level = models.CharField(_("jenjang"), max_length=3, choices=EducationLevel.choices)
    major = models.CharField(_("jurusan"), max_length=120, blank=True)
    institution = models.CharField(_("lembaga"), max_length=150)
    graduated_on = models.DateField(_("tanggal lulus"))
    certificate_number = models.CharField(_("nomor ijazah"), max_length=80, blank=True)

    class Meta:
        ordering = ["-graduated_on"]
        verbose_name = _("riwayat pendidikan")


class FamilyMember(models.Model):
    """A spouse or a child. Allowance eligibility and PTKP are derived from these facts (people/family.py)."""

    class Relation(models.TextChoices):
        SPOUSE = "spouse", _("Suami/Istri")
        CHILD = "child", _("Anak")

    class ChildKind(models.TextChoices):
        KANDUNG = "kandung", _("Anak kandung")
        ANGKAT = "angkat", _("Anak angkat")
        TIRI = "tiri", _("Anak tiri")

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="family")
    relation = models.CharField(_("hubungan"), max_length=10, choices=Relation.choices)
    name = models.CharField(_("nama"), max_length=150)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    birth_date = models.DateField(_("tanggal lahir"))
    gender = models.CharField(_("jenis kelamin"), max_length=1, choices=Gender.choices)
    # spouse
    marriage_date = models.DateField(_("tanggal menikah"), null=True, blank=True)
    spouse_is_pns = models.BooleanField(_("pasangan PNS/ASN"), default=False)
    spouse_nip = models.CharField(_("NIP pasangan"), max_length=18, blank=True)
    spouse_has_income = models.BooleanField(_("pasangan berpenghasilan"), default=False)
    receives_spouse_allowance = models.BooleanField(_("tunjangan pasangan dibayar kepada pegawai ini"), default=True)
    # child
    child_kind = models.CharField(_("status anak"), max_length=10, choices=ChildKind.choices, blank=True)
    in_school = models.BooleanField(_("masih sekolah/kuliah"), default=False)
    married = models.BooleanField(_("sudah menikah"), default=False)
    working = models.BooleanField(_("sudah bekerja"), default=False)
    # both: the relation ended (divorce, death)
    ended_on = models.DateField(_("berakhir (cerai/meninggal)"), null=True, blank=True)

    class Meta:
        ordering = ["relation", "birth_date"]
        verbose_name = _("anggota keluarga")

    def __str__(self) -> str:
        return self.name


class ImportJob(models.Model):
    """One import of an uploaded file from the web page, run by the background worker (pamong.people.import_jobs):
    a check (dry run) and, once its user confirms it, the apply job that writes the same file (`source`)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Menunggu giliran")
        RUNNING = "running", _("Sedang diproses")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs")
    kind = models.CharField(_("jenis data"), max_length=20)
    filename = models.CharField(_("berkas"), max_length=255)
    reason = models.CharField(_("alasan"), max_length=300, blank=True)
    sha256 = models.CharField(max_length=64)
    dry_run = models.BooleanField(default=True)
    source = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="applied_by"
    )  # the checked job whose file this job writes (one apply per check)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    phase = models.CharField(max_length=10, blank=True)  # "check" (rows read) | "write" (rows saved)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)  # rows to write; 0 while checking
    report = models.JSONField(null=True, blank=True)  # pamong.people.import_jobs.report_to_json
    error = models.TextField(blank=True)  # why the job failed (not a row error: those are in the report)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("impor berkas")

    def __str__(self) -> str:
        return f"{self.kind} {self.filename}"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)
