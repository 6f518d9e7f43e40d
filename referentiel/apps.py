from django.apps import AppConfig


class ReferentielConfig(AppConfig):
    name = "referentiel"
    verbose_name = "Référentiel"
    default_auto_field = "django.db.models.BigAutoField"
