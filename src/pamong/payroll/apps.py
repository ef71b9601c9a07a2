from django.apps import AppConfig


class PayrollConfig(AppConfig):
    name = "pamong.payroll"
    label = "payroll"
    verbose_name = "Penggajian"
