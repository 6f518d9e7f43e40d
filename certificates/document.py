"""Each credential's PDF as a generated document (``vae.documents``): one frozen version
per credential (key ``credential-<number>``), rendered once in a task, stored with its
SHA-256, kept when the holder's account is anonymised (a retained kind).

The QR code printed on it is the verification address (segno, drawn inline as SVG:
WeasyPrint fetches nothing)."""

from django.urls import reverse
from django.utils.safestring import mark_safe

from certificates import permissions, selectors
from vae.documents.pdf import render_template_pdf
from vae.emails import site_url

TEMPLATE = "certificates/credential_pdf.html"


def verification_url(credential) -> str:
    return site_url(reverse("certificates:verify", args=[credential.number]))


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as an inline SVG element (medium error correction: a folded
    or stamped paper still reads)."""
    # Imported here: segno is needed only where a PDF is rendered (the tasks worker).
    import segno

    return segno.make(url, error="m").svg_inline(scale=3, border=2, title=url)


def context(credential) -> dict:
    url = verification_url(credential)
    return {"credential": credential, "verification_url": url, "qr": mark_safe(qr_svg(url))}


def render(document) -> bytes:
    credential = selectors.credential_for_document(document)
    if credential is None:
        raise LookupError(f"No credential for document {document.pk} ({document.key})")
    # The style sheet is in the page: nothing is read from disk or the network.
    return render_template_pdf(TEMPLATE, context(credential), local_files=False)


def can_read(user, document) -> bool:
    credential = selectors.credential_for_document(document)
    return credential is not None and permissions.CREDENTIALS.can(user, credential)
