"""Attendance, leave and discipline (Perpres 21/2023 working hours, PP 11/2017 leave, PP 94/2021 discipline).

Punches (from attendance machines, the check-in endpoint, or an approved correction) + the schedule in force +
holidays (the rule pack's calendar) + approved absences (leave, official travel) → each working day's status and the
month's counts (MonthRecap), by the pure engine in engine/recap.py — the same code as `pamong attendance recap`.
The payroll run takes the TPP's discipline counts from MonthRecap; discipline cases end in a decision that becomes
a payroll.DisciplinarySanction.

Times are local wall-clock times of the region (machines export them so): a punch is a local date and seconds after
that date's midnight, with no time zone arithmetic anywhere."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pamong.org.models import Unit
from pamong.people.models import Employee

# --- schedules --------------------------------------------------------------------------------------------------


class ScheduleKind(models.TextChoices):
    STANDARD = "standar", _("Standar 5 hari")
    SIX_DAY = "enam_hari", _("6 hari kerja")
    SHIFT = "sif", _("Sif (jadwal bergilir)")
    FLEXIBLE = "fleksibel", _("Pengaturan kerja fleksibel")


class Schedule(models.Model):
    """A weekly schedule: ISO weekday ("1" = Monday .. "7" = Sunday) → ["HH:MM", "HH:MM"]; an end not later than
    the start crosses midnight (a night shift). Special periods (Ramadan) are ScheduleSpecialPeriod rows. A SHIFT
    schedule's days come from the roster (RosterDay) where it has one, else from `weekly`."""

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=150)
    kind = models.CharField(_("jenis"), max_length=12, choices=ScheduleKind.choices, default=ScheduleKind.STANDARD)
    weekly = models.JSONField(_("jadwal mingguan"))
    break_minutes = models.JSONField(_("istirahat (menit) per hari"), default=dict)  # weekday → minutes (info)
    reference = models.CharField(_("dasar"), max_length=300, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ("code",)
        verbose_name = _("jadwal kerja")

    def __str__(self) -> str:
        return self.name


class ScheduleSpecialPeriod(models.Model):
    """A dated period with its own weekly schedule (Ramadan: 32.5 h/week from 08:00, Perpres 21/2023)."""

    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, related_name="special_periods")
    name = models.CharField(_("nama"), max_length=150)
    start = models.DateField(_("dari"))
    end = models.DateField(_("sampai"))
    weekly = models.JSONField(_("jadwal mingguan"))

    class Meta:
        ordering = ("schedule", "start")
        constraints = [models.CheckConstraint(condition=Q(start__lte=models.F("end")), name="att_special_order")]


class ScheduleAssignment(models.Model):
    """Which schedule applies, from/until a date, to a unit (and its sub-units) or to one employee. An employee's
    own assignment wins over a unit's; the deeper unit wins over its parent; no assignment = the standard one."""

    schedule = models.ForeignKey(Schedule, on_delete=models.PROTECT, related_name="assignments")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    employee = models.ForeignKey(Employee, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    valid_from = models.DateField(_("berlaku mulai"))
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    reason = models.CharField(_("dasar"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("valid_from", "id")
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(employee__isnull=True))
                | (Q(unit__isnull=True) & Q(employee__isnull=False)),
                name="att_assignment_unit_xor_employee",
            )
        ]


class RosterDay(models.Model):
    """One employee's shift on one date (hospital, puskesmas with 24-hour service, fire brigade): start/end, or off
    (start None). Overrides the weekly schedule for that date."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("tanggal"))
    start = models.TimeField(_("mulai"), null=True, blank=True)
    end = models.TimeField(_("selesai"), null=True, blank=True)
    shift = models.CharField(_("sif"), max_length=40, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=("employee", "date"), name="att_roster_once"),
            models.CheckConstraint(
                condition=(Q(start__isnull=True) & Q(end__isnull=True))
                | (Q(start__isnull=False) & Q(end__isnull=False)),
                name="att_roster_both_or_off",
            ),
        ]


# --- machines and punches -----------------------------------------------------------------------------------------


class Device(models.Model):
    """An attendance machine (fingerprint/face) of a unit; its user ids map to employees by DeviceUser."""

    code = models.CharField(_("kode mesin"), max_length=40, unique=True)  # serial number or the city's label
    name = models.CharField(_("nama"), max_length=150)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ("code",)
        verbose_name = _("mesin presensi")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class DeviceUser(models.Model):
    """A machine's user id (PIN) → the employee enrolled under it on that machine."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="users")
    machine_user_id = models.CharField(_("ID pengguna mesin"), max_length=20)
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=("device", "machine_user_id"), name="att_device_user_once")]


class Geofence(models.Model):
    """Where a unit's check-in is allowed (a circle); a unit without one accepts check-ins anywhere."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="+")
    latitude = models.DecimalField(max_digits=9, decimal_places=6)
    longitude = models.DecimalField(max_digits=9, decimal_places=6)
    radius_m = models.PositiveIntegerField(_("radius (meter)"))


class PunchSource(models.IntegerChoices):
    MACHINE = 1, _("Mesin presensi")
    CHECKIN = 2, _("Presensi aplikasi")
    CORRECTION = 3, _("Koreksi disetujui")


class PunchFile(models.Model):
    """One imported machine export: what it added, what it already had, which machine ids matched nobody."""

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="files")
    filename = models.CharField(_("berkas"), max_length=255)
    sha256 = models.CharField(max_length=64)
    fmt = models.CharField(_("format"), max_length=12)  # attlog | csv | xlsx
    rows = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    unmatched = models.JSONField(default=dict)  # machine user id → punch count (stored, attached once mapped)
    first_date = models.DateField(null=True)
    last_date = models.DateField(null=True)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-imported_at", "-id")


class Punch(models.Model):
    """One presence record: a local date and the seconds after its midnight. Machine punches keep their machine id
    (so an id mapped later attaches them: employee stays None until then); a re-imported punch adds nothing."""

    employee = models.ForeignKey(Employee, null=True, on_delete=models.PROTECT, related_name="+", db_index=False)
    date = models.DateField()
    seconds = models.PositiveIntegerField()  # 0 .. 86399
    source = models.PositiveSmallIntegerField(choices=PunchSource.choices)
    device = models.ForeignKey(Device, null=True, on_delete=models.PROTECT, related_name="+", db_index=False)
    machine_user_id = models.CharField(max_length=20, blank=True)
    file = models.ForeignKey(PunchFile, null=True, on_delete=models.PROTECT, related_name="+", db_index=False)
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True)  # check-in only
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True)

    class Meta:
        indexes = [models.Index(fields=("employee", "date"), name="att_punch_emp_date")]
        constraints = [
            models.UniqueConstraint(
                fields=("device", "machine_user_id", "date", "seconds"),
                condition=Q(device__isnull=False),
                name="att_punch_machine_once",
            ),
            models.UniqueConstraint(
                fields=("employee", "date", "seconds", "source"),
                condition=Q(device__isnull=True),
                name="att_punch_other_once",
            ),
            models.CheckConstraint(condition=Q(seconds__lt=86400), name="att_punch_seconds_in_day"),
        ]


# --- absences -----------------------------------------------------------------------------------------------------


class RequestState(models.TextChoices):
    SUBMITTED = "submitted", _("Diajukan")
    SUPERVISOR_APPROVED = "supervisor_ok", _("Disetujui atasan, menunggu BKPSDM")
    APPROVED = "approved", _("Disetujui")
    REJECTED = "rejected", _("Ditolak")
    CANCELLED = "cancelled", _("Dibatalkan")


class LeaveRequest(models.Model):
    """A leave request (cuti, PP 11/2017 / Peraturan BKN 24/2017). `kind` is a key of the rule pack's leave types;
    `days` the working days it takes (fixed when submitted). The types that need BKPSDM go to it after the
    supervisor."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="leave_requests")
    kind = models.CharField(_("jenis cuti"), max_length=30)
    start = models.DateField(_("dari"))
    end = models.DateField(_("sampai"))
    days = models.PositiveSmallIntegerField(_("hari kerja"))
    reason = models.CharField(_("alasan"), max_length=500)
    address = models.CharField(_("alamat selama cuti"), max_length=300, blank=True)
    evidence = models.FileField(_("bukti"), upload_to="leave/", blank=True)
    state = models.CharField(max_length=14, choices=RequestState.choices, default=RequestState.SUBMITTED)
    approver = models.ForeignKey(
        Employee, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )  # the supervisor who decides (from the position tree when submitted)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("catatan"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-start", "-id")
        constraints = [models.CheckConstraint(condition=Q(start__lte=models.F("end")), name="att_leave_order")]


class LeaveLedger(models.Model):
    """The leave balance as a ledger: grants, carry-overs, takings and their reversals, lapses. The balance of an
    employee, type and year is the sum of `days`; a taking that would make it negative is refused."""

    class Entry(models.TextChoices):
        GRANT = "grant", _("Hak tahun berjalan")
        CARRY = "carry", _("Sisa tahun lalu")
        TAKEN = "taken", _("Diambil")
        REVERSED = "reversed", _("Dibatalkan, dikembalikan")
        LAPSED = "lapsed", _("Hangus")
        ADJUST = "adjust", _("Penyesuaian")

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=30)
    year = models.PositiveSmallIntegerField()
    entry = models.CharField(max_length=10, choices=Entry.choices)
    days = models.SmallIntegerField()
    request = models.ForeignKey(LeaveRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("year", "created_at", "id")
        indexes = [models.Index(fields=("employee", "kind", "year"), name="att_ledger_balance")]


class TravelOrder(models.Model):
    """A surat tugas (official travel / dinas luar): its employees' working days in it are approved absences."""

    number = models.CharField(_("nomor surat tugas"), max_length=100)
    date = models.DateField(_("tanggal surat"))
    start = models.DateField(_("dari"))
    end = models.DateField(_("sampai"))
    destination = models.CharField(pgettext_lazy("perjalanan dinas", "tujuan"), max_length=200)
    purpose = models.CharField(_("keperluan"), max_length=500)
    signed_by = models.CharField(_("penanda tangan"), max_length=200)
    employees = models.ManyToManyField(Employee, related_name="travel_orders")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")  # the issuing OPD
    cancelled = models.BooleanField(default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-start", "-id")
        constraints = [models.CheckConstraint(condition=Q(start__lte=models.F("end")), name="att_travel_order")]


class Correction(models.Model):
    """A request to correct a day (forgot to punch, machine down): the times it asks for, with evidence. Approved by
    the supervisor, it adds correction punches (PunchSource.CORRECTION) that name it."""

    class Kind(models.TextChoices):
        FORGOT = "lupa", _("Lupa presensi")
        MACHINE_DOWN = "mesin_rusak", _("Mesin presensi rusak/mati")
        OTHER = "lainnya", _("Lainnya")

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("tanggal"))
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    masuk = models.TimeField(_("jam datang"), null=True, blank=True)
    pulang = models.TimeField(_("jam pulang"), null=True, blank=True)
    reason = models.CharField(_("alasan"), max_length=500)
    evidence = models.FileField(_("bukti"), upload_to="corrections/", blank=True)
    state = models.CharField(max_length=14, choices=RequestState.choices, default=RequestState.SUBMITTED)
    approver = models.ForeignKey(Employee, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("catatan"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-date", "-id")
        constraints = [
            models.CheckConstraint(
                condition=Q(masuk__isnull=False) | Q(pulang__isnull=False), name="att_correction_has_time"
            )
        ]


# --- the month ------------------------------------------------------------------------------------------------------


class MonthRecap(models.Model):
    """One employee's month as computed (engine/recap.py): the counts the TPP takes, and `days`, one letter per day
    of the month (H hadir, T TK, A approved absence, - no work) for the calendar and the PP 94/2021 consecutive-days
    check. Recomputed until the month's TPP run is approved (then the month is locked)."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+", db_index=False)
    period = models.DateField()  # first of the month
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")  # the unit during the month
    hari_kerja = models.PositiveSmallIntegerField()
    hadir = models.PositiveSmallIntegerField()
    tidak_hadir_sah = models.PositiveSmallIntegerField()
    tk = models.PositiveSmallIntegerField()
    bands = models.JSONField(default=dict)  # TL1..TL4, PSW1..PSW4 → days (non-zero only)
    terlambat_menit = models.PositiveIntegerField()
    psw_menit = models.PositiveIntegerField()
    days = models.CharField(max_length=31)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=("employee", "period"), name="att_recap_once")]
        indexes = [models.Index(fields=("period", "unit"), name="att_recap_period_unit")]


# --- discipline -----------------------------------------------------------------------------------------------------


class DisciplineCase(models.Model):
    """A PP 94/2021 discipline case: opened by BKPSDM (from a recommendation of the absence ladder or otherwise),
    examined (BAP), decided by SK (which becomes a payroll.DisciplinarySanction), possibly appealed."""

    class State(models.TextChoices):
        OPEN = "open", _("Dibuka")
        EXAMINED = "examined", _("Sudah diperiksa (BAP)")
        DECIDED = "decided", _("Diputus")
        APPEALED = "appealed", _("Dalam upaya administratif")
        CLOSED = "closed", _("Selesai")
        DROPPED = "dropped", _("Tidak dilanjutkan")

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="discipline_cases")
    year = models.PositiveSmallIntegerField(_("tahun"))
    basis = models.CharField(_("dasar"), max_length=30)  # tk_kumulatif | tk_berturut | lainnya
    tk_days = models.PositiveSmallIntegerField(_("hari TK"), default=0)
    recommended = models.CharField(_("hukuman yang disarankan"), max_length=60, blank=True)
    description = models.CharField(_("uraian"), max_length=1000, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    bap_date = models.DateField(_("tanggal pemeriksaan"), null=True, blank=True)
    bap_summary = models.TextField(_("ringkasan BAP"), blank=True)
    bap_file = models.FileField(_("berkas BAP"), upload_to="discipline/", blank=True)
    sanction_code = models.CharField(_("jenis hukuman"), max_length=60, blank=True)
    sk_number = models.CharField(_("nomor SK"), max_length=100, blank=True)
    sk_date = models.DateField(_("tanggal SK"), null=True, blank=True)
    tmt = models.DateField(_("TMT"), null=True, blank=True)
    until = models.DateField(_("berakhir"), null=True, blank=True)
    sanction = models.OneToOneField(
        "payroll.DisciplinarySanction", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    appeal_text = models.TextField(_("alasan upaya administratif"), blank=True)
    appeal_decision = models.TextField(_("putusan upaya administratif"), blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-opened_at", "-id")


class MonthJob(models.Model):
    """One recompute of a month's recaps in the background (month.py): its employees split into chunks, one task
    per chunk; the recompute page polls the counts. Added by att-month (migration 0002)."""

    class State(models.TextChoices):
        RUNNING = "running", _("Sedang dihitung")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    period = models.DateField()
    state = models.CharField(max_length=8, choices=State.choices, default=State.RUNNING)
    chunks = models.JSONField(default=list)  # [[employee id, ...], ...] fixed when started
    chunks_total = models.PositiveIntegerField(default=0)
    chunks_done = models.PositiveIntegerField(default=0)
    employees_total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-started_at", "-id")


# --- machine file uploads (att-import) -------------------------------------------------------------------------------


class PunchImportJob(models.Model):
    """One machine file uploaded from the web page, imported by the background worker (punch_jobs.py) with progress
    the page polls. Its own table rather than people.ImportJob: the people Impor page lists and renders every
    ImportJob of its user with the people import's report shape, which a punch file does not have."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Menunggu giliran")
        RUNNING = "running", _("Sedang diproses")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Ditolak atau gagal")

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(_("berkas"), max_length=255)
    sha256 = models.CharField(max_length=64)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    phase = models.CharField(max_length=10, blank=True)  # "check" (rows read) | "write" (rows saved)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    punch_file = models.OneToOneField(PunchFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="job")
    error = models.TextField(blank=True)  # why the file was refused or the job failed
    bad_rows = models.JSONField(default=list)  # [{line, value, message}] when refused
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)
