"""/presensi/: each part of the module has its own urls_<part>.py, included here."""

from django.urls import URLPattern, URLResolver, include, path

app_name = "attendance"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("pamong.attendance.urls_discipline")),
    path("", include("pamong.attendance.urls_screens")),
    path("", include("pamong.attendance.urls_month")),  # corrections, the month's recompute
    path("", include("pamong.attendance.urls_leave")),
    path("", include("pamong.attendance.urls_import")),
]
