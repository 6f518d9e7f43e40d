from django.apps import AppConfig


class FrenchConfig(AppConfig):
    """An app only so that Django finds the ``french`` template library: no models."""

    name = "french"
    verbose_name = "Typographie française"
