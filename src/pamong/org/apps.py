from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "pamong.org"
    label = "org"
    verbose_name = "Organisasi"
