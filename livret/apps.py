from django.apps import AppConfig


class LivretConfig(AppConfig):
    name = "livret"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # What the candidacy machine needs from the livrets, registered from here: the
        # core (vae) knows no livret.
        from livret import personal_data
        from livret.dossier.coverage import dossier_problems
        from livret.dossier.export import can_read_livret2, queue_submitted_export, render_livret2
        from livret.dossier.services import freeze_submission, reopen_after_return
        from livret.eligibility.completeness import eligibility_problems
        from livret.eligibility.services import open_livret1
        from vae import signals, workflow
        from vae.documents.registry import register_document_type
        from vae.enums import DocumentKind, Transition
        from vae.personal_data.registry import register_purger, register_section

        workflow.register_guard(Transition.SUBMIT_ELIGIBILITY, eligibility_problems)
        workflow.register_guard(Transition.SUBMIT_DOSSIER, dossier_problems)
        workflow.register_effect(Transition.SUBMIT_DOSSIER, freeze_submission)
        # After the freeze: the PDF of what was sent, rendered once after the commit.
        workflow.register_effect(Transition.SUBMIT_DOSSIER, queue_submitted_export)
        workflow.register_effect(Transition.RETURN_DOSSIER, reopen_after_return)
        register_document_type(
            DocumentKind.LIVRET2, render=render_livret2, can_read=can_read_livret2
        )
        register_section(
            "livrets",
            collect=personal_data.collect_livrets,
            files=personal_data.evidence_files,
            rank=10,
        )
        register_purger(
            "livrets",
            purge_files=personal_data.purge_evidence_files,
            anonymise=personal_data.anonymise_livrets,
        )
        signals.candidacy_started.connect(
            lambda sender, candidacy, **kwargs: open_livret1(candidacy=candidacy),
            weak=False,
            dispatch_uid="livret_opens_livret1",
        )
