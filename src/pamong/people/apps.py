from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "pamong.people"
    label = "people"
    verbose_name = "Kepegawaian"
