from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "pamong.web"
    label = "web"
