from django.apps import AppConfig


class CohortsConfig(AppConfig):
    """Cohort analysis: the holders' follow-up surveys, the promotions' insertion tables and
    the certifier's process dashboard. Reads every layer below it; nothing reads it."""

    name = "cohorts"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Analyse des cohortes"
