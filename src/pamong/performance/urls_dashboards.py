from django.urls import path

from . import views_dashboards as views

urlpatterns = [
    path("", views.city, name="dashboard_city"),
    path("unit/<int:unit_id>/", views.unit, name="dashboard_unit"),
]
