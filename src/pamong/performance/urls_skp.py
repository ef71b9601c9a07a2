"""SKP pages: my performance, one SKP and its forms, the cascade tree, the PDF."""

from django.urls import path

from . import views_skp as views

urlpatterns = [
    path("", views.home, name="home"),
    path("skp/buat/", views.skp_create, name="skp_create"),
    path("skp/salin/", views.skp_copy, name="skp_copy"),
    path("skp/<int:pk>/", views.skp_detail, name="skp_detail"),
    path("skp/<int:pk>/ubah/", views.skp_action, name="skp_action"),
    path("skp/<int:pk>/kaskade/", views.skp_cascade, name="skp_cascade"),
    path("skp/<int:pk>/pdf/", views.skp_pdf, name="skp_pdf"),
]
