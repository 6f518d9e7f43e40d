from django.apps import AppConfig


class CohortsConfig(AppConfig):
    """Cohort analysis: the holders' follow-up surveys, the promotions' insertion tables and
    the certifier's process dashboard. Reads every layer below it; nothing reads it."""

    name = "cohorts"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Analyse des cohortes"

    def ready(self):
        from cohorts import report_document
        from vae.documents.registry import register_document_type
        from vae.enums import DocumentKind

        # The process dashboard's PDF report for the CPNEF (cohorts-dashboard).
        register_document_type(
            DocumentKind.COHORT_REPORT,
            render=report_document.render,
            can_read=report_document.can_read,
        )
