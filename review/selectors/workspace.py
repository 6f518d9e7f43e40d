"""The evaluator's workspace: the panels they sit on, with their progress."""

from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from referentiel.models import Competence
from review import permissions, queries, rules
from review.enums import HOLDING_STATUSES
from review.models import Assignment, CompetenceRating, CriterionLink
from vae.pagination import PageOf, paginate

ROWS_PER_PAGE = 25


@dataclass(frozen=True)
class WorkspaceRow:
    """One seat of the evaluator, what they did on it and what they may do next."""

    assignment: Assignment
    links_count: int  # their criterion links
    rated_count: int  # their rated compétences
    competence_total: int  # compétences of the targeted blocs
    # ``rules.all_grids_submitted`` of the candidacy, read in the same query.
    all_grids_in: bool
    is_late: bool  # due date passed, grid not submitted
    must_declare: bool  # the declaration comes before anything else
    readable: bool  # the dossier can be opened
    can_consolidate: bool  # the certifier's seat, every grid in

    @property
    def pk(self) -> int:
        return self.assignment.pk


def _count(queryset, outer: str) -> Subquery:
    return Coalesce(
        Subquery(
            queryset.order_by().values(outer).annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def workspace_assignments(user):
    """The user's seats on panels still held, soonest due first, with what the rows show
    annotated (one query for any slice of it)."""
    competences = Competence.objects.filter(activity__bloc__candidacies=OuterRef("candidacy_id"))
    # Subqueries rather than two Counts over joins: two joined Counts multiply each other.
    return (
        Assignment.objects.filter(evaluator=user, status__in=HOLDING_STATUSES)
        .select_related("candidacy")
        .annotate(
            links_count=_count(
                CriterionLink.objects.filter(assignment=OuterRef("pk")), "assignment"
            ),
            rated_count=_count(
                CompetenceRating.objects.filter(assignment=OuterRef("pk")), "assignment"
            ),
            competence_total=_count(competences, "activity__bloc__candidacies"),
            all_grids_in=ExpressionWrapper(
                queries.all_grids_in(
                    candidacy="candidacy_id", certification="candidacy__certification_id"
                ),
                output_field=BooleanField(),
            ),
        )
        .order_by("grid_submitted_at", "due_date", "assigned_at", "pk")
    )


def _rows(user, assignments) -> list[WorkspaceRow]:
    today = timezone.localdate()
    return [
        WorkspaceRow(
            assignment=assignment,
            links_count=assignment.links_count,
            rated_count=assignment.rated_count,
            competence_total=assignment.competence_total,
            all_grids_in=assignment.all_grids_in,
            is_late=rules.is_late(
                assignment.due_date, submitted=assignment.grid_submitted, today=today
            ),
            must_declare=permissions.can_declare(user, assignment),
            readable=permissions.can_read_dossier_as_evaluator(user, assignment),
            can_consolidate=permissions.can_consolidate(user, assignment, assignment.all_grids_in),
        )
        for assignment in assignments
    ]


def workspace_rows(user) -> list[WorkspaceRow]:
    """Every seat of the user, in one query (the workspace shows them by pages)."""
    return _rows(user, workspace_assignments(user))


@dataclass(frozen=True)
class WorkspacePage:
    pages: PageOf
    rows: list[WorkspaceRow]


def workspace_page(user, page=1) -> WorkspacePage:
    """One page of the user's seats (``page`` as read from the query string), in two
    queries (the count, the page) however many seats they hold."""
    pages = paginate(workspace_assignments(user), page, per_page=ROWS_PER_PAGE)
    return WorkspacePage(pages=pages, rows=_rows(user, pages.rows))
