"""Appeals (keberatan) under /kinerja/keberatan/, and BKPSDM's follow-up page (awards, poor performance)."""

from django.urls import path

from . import views_appeals as v

urlpatterns = [
    path("", v.appeal_list, name="appeal_list"),
    path("ajukan/<int:evaluation_id>/", v.appeal_file, name="appeal_file"),
    path("tindak-lanjut/", v.follow_up_page, name="follow_up"),
    path("<int:pk>/", v.appeal_detail, name="appeal_detail"),
    path("<int:pk>/minta-penjelasan/", v.appeal_explain, name="appeal_explain"),
    path("<int:pk>/penjelasan/", v.appeal_statement, name="appeal_statement"),
    path("<int:pk>/putus/", v.appeal_decide, name="appeal_decide"),
    path("<int:pk>/tarik/", v.appeal_withdraw, name="appeal_withdraw"),
]
