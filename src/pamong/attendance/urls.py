"""/presensi/: each part of the module has its own urls_<part>.py, included here."""

from django.urls import URLPattern, URLResolver, include, path

app_name = "attendance"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("pamong.attendance.urls_import")),
]
