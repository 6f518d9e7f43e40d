from django.apps import AppConfig
from django.urls import register_converter

from referentiel.ids import IdConverter


class ReferentielConfig(AppConfig):
    name = "referentiel"
    verbose_name = "Référentiel"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registered by the lowest layer so that every app's URLs can say ``<id:pk>``; the
        # URL modules are read after every app is ready.
        register_converter(IdConverter, "id")
