from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    # "search" alone is generic; the label keeps it apart from other search apps.
    label = "vae_search"
    default_auto_field = "django.db.models.BigAutoField"
