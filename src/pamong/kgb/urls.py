"""KGB pages under /kgb/."""

from django.urls import path

from . import views

app_name = "kgb"

urlpatterns = [
    path("", views.due_list, name="due_list"),
    path("draf/", views.draft_create, name="draft_create"),
    path("sk/", views.decree_list, name="decree_list"),
    path("sk/setujui/", views.decrees_approve, name="decrees_approve"),
    path("sk/<int:pk>/", views.decree_detail, name="decree_detail"),
    path("sk/<int:pk>/batal/", views.decree_cancel, name="decree_cancel"),
    path("sk/<int:pk>/pdf/", views.decree_pdf, name="decree_pdf"),
]
