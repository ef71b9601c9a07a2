from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    """Attendance, leave and discipline: the work calendar and schedules, machine punches and check-ins, each
    employee's month (engine/recap.py, the `pamong attendance recap` contract), leave with its ledger, official
    travel, corrections, and PP 94/2021 discipline cases. The payroll run takes the TPP's discipline part from here."""

    name = "pamong.attendance"
    label = "attendance"
    verbose_name = "Presensi dan disiplin"
