"""The evaluation grid PDF as a generated document (``vae.documents``): requested by the
staff page, rendered in a task, stored with its SHA-256, rendered again only when what it
shows has changed (``grid_version``)."""

import hashlib

from review import permissions
from review.grid_pdf import build_grid, render_grid_pdf
from review.models import Assignment, CompetenceRating, ConsolidatedRating
from review.selectors.staff import review_started
from vae.documents.services import request_document
from vae.enums import DocumentKind


def grid_filename(candidacy) -> str:
    return f"grille-evaluation-{candidacy.reference}.pdf"


def grid_version(candidacy, threshold) -> str:
    """A digest of what the grid shows, from a few narrow queries: equal digests, same PDF."""
    assignments = Assignment.objects.filter(candidacy=candidacy).order_by("pk")
    parts = [
        candidacy.state,
        threshold,
        sorted(candidacy.targeted_blocs.values_list("pk", flat=True)),
        list(
            assignments.values_list(
                "pk",
                "status",
                "category",
                "declared_at",
                "ended_at",
                "grid_submitted_at",
                "evaluator__first_name",
                "evaluator__last_name",
                "evaluator__email",
                "evaluator__evaluator_profile__organisation",
            )
        ),
        list(
            CompetenceRating.objects.filter(assignment__candidacy=candidacy)
            .order_by("pk")
            .values_list("pk", "updated_at")
        ),
        list(
            ConsolidatedRating.objects.filter(candidacy=candidacy)
            .order_by("pk")
            .values_list("pk", "decided_at", "decided_by_id")
        ),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def request_grid_pdf(candidacy, *, threshold):
    return request_document(
        candidacy=candidacy,
        kind=DocumentKind.EVALUATION_GRID,
        version=grid_version(candidacy, threshold),
        filename=grid_filename(candidacy),
    )


def render_grid_document(document) -> bytes:
    """The renderer of ``DocumentKind.EVALUATION_GRID`` (registered by ``review.apps``)."""
    return render_grid_pdf(build_grid(document.candidacy))


def can_read_grid(user, document) -> bool:
    """Staff who follow the review (never on their own candidacy), once it has started."""
    candidacy = document.candidacy
    return (
        permissions.can_view_all_ratings_as_staff(user, candidacy)
        and permissions.can_manage_panel(user, candidacy)
        and review_started(candidacy)
    )
