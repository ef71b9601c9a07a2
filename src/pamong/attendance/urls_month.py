"""/presensi/: corrections (request, decide, cancel, evidence) and the month's recompute (BKPSDM)."""

from django.urls import path

from . import views_month as views

urlpatterns: list = [
    path("koreksi/", views.my_corrections, name="corrections"),
    path("koreksi/persetujuan/", views.corrections_to_decide, name="corrections_to_decide"),
    path("koreksi/<int:pk>/putus/", views.correction_decide, name="correction_decide"),
    path("koreksi/<int:pk>/batal/", views.correction_cancel, name="correction_cancel"),
    path("koreksi/<int:pk>/bukti/", views.correction_evidence, name="correction_evidence"),
    path("rekap/", views.month_page, name="month"),
    path("rekap/proses/<int:pk>/", views.month_job_progress, name="month_job_progress"),
]
