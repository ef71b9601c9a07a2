from django.apps import AppConfig


class KgbConfig(AppConfig):
    """Kenaikan gaji berkala: the due list, SK KGB drafts and their approval. Its own app because it reads both
    people (the history it writes to) and payroll (the disciplinary sanctions that may postpone a KGB), and people
    must not depend on payroll."""

    name = "pamong.kgb"
    label = "kgb"
    verbose_name = "Kenaikan gaji berkala"
