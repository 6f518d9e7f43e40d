from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    # "search" alone is generic; the label keeps it apart from other search apps.
    label = "vae_search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The search pages' parts in the lower apps' pages (boxes, suggestions) and the
        # back office's search page: the lower apps never import search.
        from search import admin_search, parts

        parts.register()
        admin_search.register()
