"""The review's rules as SQL conditions, for lists of many candidacies.

``review.rules`` reads one candidacy at a time in Python: fine on its page, one query per
row on a list. The evaluator's workspace and the certifier's « À traiter » panel need the
same answers for every row in one query: these conditions give them, and the tests check
that both readings agree.

Each function takes the names of the outer query's fields (``candidacy`` for the
candidacy's primary key, ``certification`` for its référentiel version), so that the
same condition filters a list of candidacies or a list of assignments.
"""

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from referentiel.enums import Panel
from referentiel.models import Competence, CompositionSeat
from review.enums import HOLDING_STATUSES, AssignmentStatus
from review.models import Assignment, ConsolidatedRating


def composition_differs(
    *, candidacy="pk", certification="certification_id", statuses=HOLDING_STATUSES
) -> Q:
    """``rules.composition_problems`` is not empty for the assignments in ``statuses``:
    a seat of the référentiel held by fewer (or more) evaluators than it counts, or an
    evaluator on a seat the référentiel does not have."""
    statuses = [str(status) for status in statuses]
    held = (
        Assignment.objects.filter(
            candidacy=OuterRef(OuterRef(candidacy)),
            category=OuterRef("role"),
            status__in=statuses,
        )
        .order_by()
        .values("category")
        .annotate(n=Count("pk"))
        .values("n")
    )
    miscounted = (
        CompositionSeat.objects.filter(
            certification=OuterRef(certification), panel=Panel.EVALUATORS
        )
        .annotate(held=Coalesce(Subquery(held, output_field=IntegerField()), 0))
        .exclude(held=F("count"))
    )
    seat_roles = CompositionSeat.objects.filter(
        certification=OuterRef(OuterRef(certification)), panel=Panel.EVALUATORS
    ).values("role")
    stray = Assignment.objects.filter(candidacy=OuterRef(candidacy), status__in=statuses).exclude(
        category__in=seat_roles
    )
    return Q(Exists(miscounted)) | Q(Exists(stray))


def holding(*, candidacy="pk", **filters):
    """The seats of the candidacy's panel still held (awaiting a declaration or active)."""
    return Assignment.objects.filter(
        candidacy=OuterRef(candidacy), status__in=HOLDING_STATUSES, **filters
    )


def all_grids_in(*, candidacy="pk", certification="certification_id") -> Q:
    """``rules.all_grids_submitted``: the active panel is complete per the référentiel
    and every one of its grids is submitted."""
    active = Assignment.objects.filter(
        candidacy=OuterRef(candidacy), status=AssignmentStatus.ACTIVE
    )
    return (
        Q(Exists(active))
        & ~Q(Exists(active.filter(grid_submitted_at__isnull=True)))
        & ~composition_differs(
            candidacy=candidacy,
            certification=certification,
            statuses=(AssignmentStatus.ACTIVE,),
        )
    )


def consolidation_complete(*, candidacy="pk") -> Q:
    """``rules.consolidation_problems`` is empty: every compétence of the targeted blocs
    has its consolidated rating (and there is at least one)."""
    targeted = Competence.objects.filter(activity__bloc__candidacies=OuterRef(candidacy))
    consolidated = ConsolidatedRating.objects.filter(
        candidacy=OuterRef(OuterRef(candidacy)), competence=OuterRef("pk")
    )
    return Q(Exists(targeted)) & ~Q(Exists(targeted.filter(~Q(Exists(consolidated)))))
