from django.urls import include, path

from pamong.api.main import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("pamong.web.urls")),
]
