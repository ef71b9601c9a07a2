"""The read side's pages: landing, an employee's month, the unit's today, the monthly recap and its files."""

from django.urls import path

from . import views_screens as views

urlpatterns = [
    path("", views.home, name="home"),
    path("saya/", views.my_month, name="my_month"),
    path("pegawai/<int:employee_id>/", views.employee_month, name="employee_month"),
    path("hari-ini/", views.today, name="today"),
    path("bulanan/", views.recap, name="recap"),
    path("bulanan/unduh.xlsx", views.recap_xlsx, name="recap_xlsx"),
    path("bulanan/unduh.csv", views.recap_csv, name="recap_csv"),
]
