from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demonstration data (``manage.py demo``): a story told through the services of
    every layer, as real users would have written it. Part of the roof: nothing imports it."""

    name = "demo"
    verbose_name = "Démonstration"
