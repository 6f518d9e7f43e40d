from django.apps import AppConfig


class LivretConfig(AppConfig):
    name = "livret"
    default_auto_field = "django.db.models.BigAutoField"
