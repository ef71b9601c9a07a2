"""Payroll pages under /penggajian/ (the public payslip verification is at /verifikasi/, in pamong.urls)."""

from django.urls import path

from . import views, views_dashboard

app_name = "payroll"

urlpatterns = [
    path("", views.run_list, name="run_list"),
    path("slip-saya/", views.my_payslips, name="my_payslips"),
    path("dasbor/", views_dashboard.dashboard, name="payroll_dashboard"),
    path("slip/<int:pk>/", views.payslip_detail, name="payslip_detail"),
    path("slip/<int:pk>/pdf/", views.payslip_pdf, name="payslip_pdf"),
    path("<int:pk>/", views.run_detail, name="run_detail"),
    path("<int:pk>/progres/", views.run_progress, name="run_progress"),
    path("<int:pk>/aksi/", views.run_action, name="run_action"),
    path("<int:pk>/opd/<int:opd_id>/", views.opd_payslips, name="opd_payslips"),
    path("<int:pk>/opd/<int:opd_id>/daftar.<str:fmt>", views.register_download, name="register_download"),
    path("<int:pk>/rekap.xlsx", views.recap_download, name="recap_download"),
    path("<int:pk>/iuran.xlsx", views.contributions_download, name="contributions_download"),
    path("<int:pk>/bank/", views.bank_list, name="bank_list"),
    path("<int:pk>/bank/unduh/", views.bank_download, name="bank_download"),
]
