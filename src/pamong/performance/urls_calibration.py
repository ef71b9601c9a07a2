from django.urls import path

from . import views_calibration as v

urlpatterns: list = [
    path("", v.session_list, name="calibration_list"),
    path("hitung/", v.session_compute, name="calibration_compute"),
    path("rencana/", v.plan, name="calibration_plan"),
    path("nilai/", v.rate_list, name="calibration_rate_list"),
    path("nilai/<int:employee_id>/", v.rate, name="calibration_rate"),
    path("<int:pk>/", v.session_detail, name="calibration_session"),
    path("<int:pk>/ubah/", v.override_add, name="calibration_override"),
    path("<int:pk>/tutup/", v.session_close, name="calibration_close"),
]
