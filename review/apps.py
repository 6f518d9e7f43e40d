from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "review"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # What the candidacy machine and the core's policies need from the review,
        # registered from here: the core (vae) knows no review.
        from review import permissions
        from review.rules import consolidation_problems, panel_problems
        from vae import navigation, workflow
        from vae import permissions as core_permissions
        from vae.enums import Role, Transition

        workflow.register_guard(Transition.START_REVIEW, panel_problems)
        workflow.register_guard(Transition.COMPLETE_REVIEW, consolidation_problems)
        core_permissions.DOSSIERS.register("evaluators", permissions.EVALUATOR_READER)
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
