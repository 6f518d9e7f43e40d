from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "review"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # What the candidacy machine and the core's policies need from the review,
        # registered from here: the core (vae) knows no review.
        from review import permissions, reminders
        from review.grid_document import can_read_grid, render_grid_document
        from review.personal_data import collect_review
        from review.rules import consolidation_problems, panel_problems
        from vae import navigation, workflow
        from vae import permissions as core_permissions
        from vae.documents.registry import register_document_type
        from vae.enums import DocumentKind, Role, Transition
        from vae.personal_data.registry import register_section

        workflow.register_guard(Transition.START_REVIEW, panel_problems)
        workflow.register_guard(Transition.COMPLETE_REVIEW, consolidation_problems)
        core_permissions.DOSSIERS.register("evaluators", permissions.EVALUATOR_READER)
        # Opened by the browser's PDF viewer, as the in-request PDF was.
        register_document_type(
            DocumentKind.EVALUATION_GRID,
            render=render_grid_document,
            can_read=can_read_grid,
            disposition="inline",
        )
        register_section("evaluation", collect=collect_review, rank=20)
        reminders.register()
        navigation.register_space(
            navigation.SpaceDefinition(
                "evaluation",
                "Mes dossiers à évaluer",
                "review:workspace",
                navigation.has_role(Role.EVALUATOR),
                header_rank=20,
                landing_rank=20,
            )
        )
