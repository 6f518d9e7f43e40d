from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    # "search" alone is generic; the label keeps it apart from other search apps.
    label = "vae_search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The lower apps announce their indexed texts through signals and the candidacy's
        # moves through the workflow's effects; search listens here, they never import it.
        from django.db.models.signals import post_delete, post_save

        from jury import signals as jury_signals
        from livret import signals as livret_signals
        from review import signals as review_signals
        from search import receivers, synonyms
        from search.models import Synonym
        from vae import workflow
        from vae.enums import Transition

        for signal in (post_save, post_delete):
            signal.connect(synonyms.invalidate, sender=Synonym, dispatch_uid=f"search-{signal}")
        for signal, receiver in (
            (livret_signals.evidence_text_extracted, receivers.evidence_extracted),
            (livret_signals.evidence_removed, receivers.evidence_removed),
            (livret_signals.narrative_saved, receivers.narrative_saved),
            (livret_signals.links_changed, receivers.links_changed),
            (review_signals.review_note_saved, receivers.note_saved),
            (review_signals.review_note_deleted, receivers.note_deleted),
            (jury_signals.jury_note_saved, receivers.note_saved),
        ):
            signal.connect(receiver, dispatch_uid=f"search-{receiver.__name__}")
        for transition in Transition:
            workflow.register_effect(transition, receivers.candidacy_moved)

        # The search pages' parts in the lower apps' pages (boxes, suggestions) and the
        # back office's search page: the lower apps never import search.
        from search import admin_search, parts

        parts.register()
        admin_search.register()
