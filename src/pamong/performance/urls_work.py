from django.urls import path

from . import views_work as views

urlpatterns: list = [
    path("realisasi/", views.realisation_month, name="realisation"),
    path("bukti/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("pegawai/<int:employee_id>/", views.employee_performance, name="employee_performance"),
    path("penilaian/", views.rating_list, name="rating_list"),
    path("penilaian/<int:pk>/", views.evaluation_detail, name="evaluation_detail"),
    path("tahunan/<int:unit_id>/<int:year>/", views.year_end, name="year_end"),
]
