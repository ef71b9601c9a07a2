from django.apps import AppConfig


class RulesPackConfig(AppConfig):
    """Only so Django finds `pamong rules show`; the rule packs themselves need no Django. Label 'rules_pack'
    because the django-rules package already uses the label 'rules'."""

    name = "pamong.rules"
    label = "rules_pack"
    verbose_name = "Paket aturan"
