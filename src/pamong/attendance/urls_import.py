"""/presensi/ pages of machines, machine file imports and the check-in button (views_import.py)."""

from django.urls import path

from . import views_import as v

urlpatterns = [
    path("mesin/", v.device_list, name="devices"),
    path("mesin/<int:pk>/", v.device_detail, name="device"),
    path("impor/<int:pk>/", v.import_job, name="import_job"),
    path("impor/<int:pk>/kemajuan/", v.import_job_progress, name="import_job_progress"),
    path("berkas/<int:pk>/", v.punch_file, name="punch_file"),
    path("hadir/", v.checkin_page, name="checkin"),
]
