"""Performance pages under /kinerja/: one URL module per part, each with its own views module."""

from django.urls import include, path

app_name = "performance"

urlpatterns = [
    path("", include("pamong.performance.urls_skp")),  # my performance, SKP editor, cascade, PDF
    path("", include("pamong.performance.urls_work")),  # realisation, evidence, feedback, evaluations, year-end
    path("kalibrasi/", include("pamong.performance.urls_calibration")),  # ratings, planner, sessions
    path("keberatan/", include("pamong.performance.urls_appeals")),  # appeals
    path("ringkasan/", include("pamong.performance.urls_dashboards")),  # unit and city dashboards
]
