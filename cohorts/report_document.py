"""The dashboard's PDF report for the CPNEF, a generated document (``vae.documents``):
asked for by the certifier's page, rendered in a task by WeasyPrint, stored with its
SHA-256, rendered again only when its figures changed.

The mechanism keeps documents about no single candidacy (a session's PV): the report is
one of them, its key naming its filters (one stored report per period and bloc) and its
version a digest of the figures it prints. So asking twice for the same figures serves
the stored file, and the file the CPNEF received can be checked against its SHA-256.

It prints the candidacies' file numbers where a delay was missed, never a name.
"""

import hashlib
import re

from cohorts.charts import dashboard_with_charts
from cohorts.dashboard import Filters, Quarter, cached_dashboard, can_view
from vae.documents.pdf import render_template_pdf
from vae.documents.services import request_document
from vae.enums import DocumentKind

TEMPLATE = "cohorts/dashboard/report_pdf.html"
KEY_PREFIX = "tdb-"
KEY = re.compile(r"^tdb-(\d{4}-t[1-4])_(\d{4}-t[1-4])_(.+)$")
ALL_BLOCS = "tous"


def report_key(filters: Filters) -> str:
    return f"{KEY_PREFIX}{filters.key}"


def filters_of(document) -> Filters | None:
    """The filters a report's key names; None for any other document."""
    match = KEY.match(document.key) if document.candidacy_id is None else None
    if match is None:
        return None
    first, last = Quarter.parse(match[1].upper()), Quarter.parse(match[2].upper())
    bloc = "" if match[3] == ALL_BLOCS else match[3].upper()
    return Filters(first, last, bloc) if first and last else None


def report_version(board) -> str:
    """A digest of every figure the report prints: equal digests, same PDF."""
    return hashlib.sha256(repr(board).encode()).hexdigest()


def request_report(filters: Filters):
    return request_document(
        candidacy=None,
        kind=DocumentKind.COHORT_REPORT,
        key=report_key(filters),
        version=report_version(cached_dashboard(filters)),
        filename=f"tableau-de-bord-cohortes-{filters.key}.pdf",
    )


def context(filters: Filters) -> dict:
    board, charts = dashboard_with_charts(filters)
    return {"board": board, "charts": charts}


def render(document) -> bytes:
    """The renderer of ``DocumentKind.COHORT_REPORT`` (registered by ``cohorts.apps``)."""
    return render_template_pdf(TEMPLATE, context(filters_of(document)))


def can_read(user, document) -> bool:
    return can_view(user) and filters_of(document) is not None
