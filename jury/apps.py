from django.apps import AppConfig


class JuryConfig(AppConfig):
    name = "jury"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Jury"

    def ready(self):
        # What the candidacy machine and the core's policies need from the jury, registered
        # from here: the core (vae) knows no jury.
        from jury import guards, permissions, services
        from vae import navigation, workflow
        from vae import permissions as core_permissions
        from vae.enums import Role, Transition

        for name in (Transition.SCHEDULE_JURY, Transition.RESCHEDULE_JURY):
            workflow.register_guard(name, guards.scheduling_problems)
            workflow.register_effect(name, services.issue_convocation)
        workflow.register_guard(Transition.RECORD_ABSENCE, guards.absence_problems)
        workflow.register_effect(Transition.RECORD_ABSENCE, guards.mark_absent)
        workflow.register_guard(Transition.RECORD_INTERVIEW, guards.interview_problems)
        workflow.register_effect(Transition.RECORD_INTERVIEW, guards.mark_interviewed)
        workflow.register_effect(Transition.WITHDRAW, services.cancel_on_withdrawal)
        core_permissions.register_actor(Role.JURY_MEMBER, permissions.acts_as_jury)
        core_permissions.DOSSIERS.register("jury", permissions.JURY_READER)
        navigation.register_space(
            navigation.SpaceDefinition(
                "jury",
                "Jury",
                "jury:home",
                navigation.has_role(Role.JURY_MEMBER),
                header_rank=30,
                landing_rank=30,
            )
        )
