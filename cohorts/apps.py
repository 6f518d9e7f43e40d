from django.apps import AppConfig


class CohortsConfig(AppConfig):
    """Cohort analysis: the holders' follow-up surveys, the promotions' insertion tables and
    the certifier's process dashboard. Reads every layer below it; nothing reads it."""

    name = "cohorts"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Analyse des cohortes"

    def ready(self):
        # -- the process dashboard (dashboard) --------------------------------------------
        from cohorts import paths, report_document
        from vae import workflow
        from vae.documents.registry import register_document_type
        from vae.enums import DocumentKind, Transition

        # Its read model: each transition folds its candidacy's path again.
        for transition in Transition:
            workflow.register_effect(transition, paths.follow_transition)

        # The process dashboard's PDF report for the CPNEF (cohorts-dashboard).
        register_document_type(
            DocumentKind.COHORT_REPORT,
            render=report_document.render,
            can_read=report_document.can_read,
        )

        # -- the follow-up surveys (survey) ----------------------------------------------
        from cohorts import personal_data, reminders, services
        from jury import rectification
        from vae.personal_data.registry import register_purger, register_section

        # After the jury's effect (the jury app is ready first): the decision is stored.
        workflow.register_effect(Transition.DECIDE, services.create_on_decide)
        # A rectified decision cancels, revives or creates the surveys not sent yet.
        rectification.register_reaction(services.follow_rectification)
        reminders.register()
        register_section("enquetes", collect=personal_data.collect_surveys, rank=40)
        register_purger("enquetes", anonymise=personal_data.anonymise_surveys)
        # -- end of the follow-up surveys ------------------------------------------------
