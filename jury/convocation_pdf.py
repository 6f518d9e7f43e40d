"""The convocation of a candidate as a PDF (WeasyPrint, through ``vae.documents.pdf``).

Rendered from the plain context of ``ConvocationDetails.context()``, so that the jury's
core can register it as a generated document (``register_document_type``, rendered in a
task, stored with its SHA-256) and attach the stored bytes to the convocation e-mail.
"""

from vae.documents.pdf import render_template_pdf

CONVOCATION_TEMPLATE = "jury/convocation_pdf.html"


def render_convocation_pdf(context: dict) -> bytes:
    # The style sheet is in the page and the fonts are the system's: WeasyPrint fetches
    # nothing, so an address or a link typed by a certifier reaches neither the network
    # nor a file of the server.
    return render_template_pdf(CONVOCATION_TEMPLATE, context, local_files=False)
