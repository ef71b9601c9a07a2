"""Discipline cases under /presensi/disiplin/ (PP 94/2021)."""

from django.urls import path

from . import views_discipline as v

urlpatterns = [
    path("disiplin/", v.discipline_list, name="discipline_list"),
    path("disiplin/buka/", v.discipline_open, name="discipline_open"),
    path("disiplin/<int:pk>/", v.discipline_case, name="discipline_case"),
    path("disiplin/<int:pk>/periksa/", v.discipline_examine, name="discipline_examine"),
    path("disiplin/<int:pk>/putus/", v.discipline_decide, name="discipline_decide"),
    path("disiplin/<int:pk>/upaya/", v.discipline_appeal, name="discipline_appeal"),
    path("disiplin/<int:pk>/putus-upaya/", v.discipline_appeal_decide, name="discipline_appeal_decide"),
    path("disiplin/<int:pk>/hentikan/", v.discipline_drop, name="discipline_drop"),
    path("disiplin/<int:pk>/bap/", v.discipline_bap, name="discipline_bap"),
]
