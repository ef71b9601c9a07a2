from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    """Performance management (PermenPANRB 6/2022): SKP, realisation, feedback, evaluations, third-party ratings and
    their calibration, appeals. engine/ holds the pure computations (predikat, calibration, assignment planning)."""

    name = "pamong.performance"
    label = "performance"
    verbose_name = "Kinerja"
