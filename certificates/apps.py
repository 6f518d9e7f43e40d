from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "certificates"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "Certificats et attestations"

    def ready(self):
        # The core renders and serves the PDFs; what they print and who reads them is ours.
        from certificates import document, services
        from jury import rectification
        from vae import workflow
        from vae.documents.registry import register_document_type
        from vae.enums import DocumentKind, Transition

        for kind in (DocumentKind.CERTIFICATE, DocumentKind.BLOC_ATTESTATION):
            # Retained: the holder's proof outlives the anonymisation of their account.
            register_document_type(
                kind, render=document.render, can_read=document.can_read, retained=True
            )
        # After the jury's effect (the jury app is ready first): the decision is stored.
        workflow.register_effect(Transition.DECIDE, services.issue_on_decide)
        # A rectified decision cancels what no longer holds and issues what it now calls for.
        rectification.register_reaction(services.follow_rectification)
