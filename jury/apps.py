from django.apps import AppConfig


class JuryConfig(AppConfig):
    name = "jury"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Jury"

    def ready(self):
        # What the candidacy machine and the core's policies need from the jury, registered
        # from here: the core (vae) knows no jury.
        from jury import (
            convocation_document,
            deliberation,
            guards,
            minutes,
            permissions,
            personal_data,
            reminders,
            services,
        )
        from vae import navigation, notifications, workflow
        from vae import permissions as core_permissions
        from vae.documents.registry import register_document_type
        from vae.enums import DocumentKind, Role, Transition
        from vae.personal_data.registry import register_section

        for name in (Transition.SCHEDULE_JURY, Transition.RESCHEDULE_JURY):
            workflow.register_guard(name, guards.scheduling_problems)
            workflow.register_effect(name, services.issue_convocation)
        workflow.register_guard(Transition.RECORD_ABSENCE, guards.absence_problems)
        workflow.register_effect(Transition.RECORD_ABSENCE, guards.mark_absent)
        # After mark_absent (registration order): it reads the slot just marked absent.
        workflow.register_effect(Transition.RECORD_ABSENCE, services.cancel_on_absence)
        workflow.register_guard(Transition.RECORD_INTERVIEW, guards.interview_problems)
        workflow.register_effect(Transition.RECORD_INTERVIEW, guards.mark_interviewed)
        workflow.register_guard(Transition.DECIDE, deliberation.decide_problems)
        workflow.register_effect(Transition.DECIDE, deliberation.record_decision)
        # After the decision or the absence is stored: the session's PV is drawn up once
        # its last candidate is decided or absent.
        workflow.register_effect(Transition.DECIDE, minutes.on_slot_final)
        # The decision e-mail gives the result, bloc by bloc, and the jury's texts.
        notifications.register_summary(Transition.DECIDE, deliberation.decision_summary)
        workflow.register_effect(Transition.RECORD_ABSENCE, minutes.on_slot_final)
        register_document_type(
            DocumentKind.JURY_PV,
            render=minutes.render,
            can_read=minutes.can_read,
            retained=True,
            subjects=minutes.subjects,
        )
        workflow.register_effect(Transition.WITHDRAW, services.cancel_on_withdrawal)
        # The PDF is rendered in the documents' task; its e-mail leaves when it is final.
        register_document_type(
            DocumentKind.CONVOCATION,
            render=services.render_convocation_document,
            can_read=convocation_document.can_read,
            on_finished=services.deliver_convocation,
        )
        register_section("decision", collect=personal_data.collect_decisions, rank=30)
        reminders.register()
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
