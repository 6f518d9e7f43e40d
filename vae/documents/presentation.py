"""A generated document's state as the pages and the live status endpoint show it."""

from django.urls import reverse
from django.utils.translation import gettext as _

from referentiel.french import file_size
from vae.enums import DocumentStatus


def status_text(document) -> str:
    """« En préparation… », « Prêt (PDF, 120 Ko) », « Échec : … »."""
    if document.status == DocumentStatus.FAILED:
        return _("Échec : %(reason)s Rechargez la page pour réessayer.") % {
            "reason": document.error or _("motif inconnu.")
        }
    if document.is_ready:
        return _("Prêt (PDF, %(size)s)") % {"size": file_size(document.size or 0)}
    return _("En préparation…")


def document_state(document) -> dict:
    """What the status endpoint returns, and what the status include reads."""
    return {
        "status": document.status,
        "label": status_text(document),
        "final": document.is_final,
        "ready": document.is_ready,
        "url": reverse("documents:download", args=[document.pk]) if document.is_ready else "",
        "status_url": reverse("documents:status", args=[document.pk]),
        "sha256": document.sha256 if document.is_ready else "",
    }
