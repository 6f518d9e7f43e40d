from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    # "search" alone is generic; the label keeps it apart from other search apps.
    label = "vae_search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The lower apps announce their indexed texts through signals; search listens here,
        # they never import search.
        from django.db.models.signals import post_delete, post_save

        from search import synonyms
        from search.models import Synonym

        for signal in (post_save, post_delete):
            signal.connect(synonyms.invalidate, sender=Synonym, dispatch_uid=f"search-syn-{signal}")
