"""The certifier's « À traiter »: the candidacies waiting for a certifier's action, by kind.

Read in one query whatever the number of candidacies (counts as SQL aggregates, never a
loop over candidacies), and the same conditions filter the certifier's list of
candidacies (``portal.admin_filters``), so that a line's link shows exactly what it counts.

Here because the review is the highest app that knows every state involved; the layers'
refactor moves it to the roof.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from review import queries
from review.enums import AssignmentStatus
from review.models import Assignment
from vae.enums import CandidacyState as S
from vae.models import Candidacy


@dataclass(frozen=True)
class Category:
    """A kind of work waiting for the certifier."""

    key: str
    singular: str
    plural: str
    action: str  # what the certifier does about it
    # Where one candidacy of the kind is handled: its page or its evaluation panel.
    url_name: str

    @property
    def title(self) -> str:
        return self.plural[:1].upper() + self.plural[1:]


CATEGORIES = (
    Category(
        "eligibility",
        "recevabilité à examiner",
        "recevabilités à examiner",
        "Livret 1 envoyé : déclarer la demande recevable, la renvoyer ou la rejeter.",
        "candidacy_admin:detail",
    ),
    Category(
        "no_panel",
        "dossier déposé sans jury d'évaluation",
        "dossiers déposés sans jury d'évaluation",
        "Désigner les évaluateurs prévus par le référentiel.",
        "review_admin:panel",
    ),
    Category(
        "panel_incomplete",
        "jury d'évaluation incomplet ou avec un conflit déclaré",
        "jurys d'évaluation incomplets ou avec un conflit déclaré",
        "Un siège est vacant (conflit d'intérêts déclaré, retrait) : désigner un remplaçant.",
        "review_admin:panel",
    ),
    Category(
        "ready_to_start",
        "évaluation à lancer",
        "évaluations à lancer",
        "Jury d'évaluation complet, déclarations faites : lancer l'évaluation.",
        "review_admin:panel",
    ),
    Category(
        "grid_late",
        "évaluation avec une grille en retard",
        "évaluations avec une grille en retard",
        "Échéance dépassée, grille non remise : relancer l'évaluateur.",
        "review_admin:panel",
    ),
    Category(
        "ready_to_close",
        "évaluation à clore",
        "évaluations à clore",
        "Chaque compétence a son appréciation consolidée : clore l'évaluation.",
        "review_admin:panel",
    ),
)
BY_KEY = {category.key: category for category in CATEGORIES}


def conditions(today=None) -> dict[str, Q]:
    """Each category's condition on a candidacy, as SQL (``review.queries``)."""
    today = today or timezone.localdate()
    panel_off = queries.composition_differs()
    has_panel = Q(Exists(queries.holding()))
    awaiting = Q(Exists(queries.holding(status=AssignmentStatus.AWAITING_DECLARATION)))
    late = Q(
        Exists(
            Assignment.objects.filter(
                candidacy=OuterRef("pk"),
                status=AssignmentStatus.ACTIVE,
                due_date__lt=today,
                grid_submitted_at__isnull=True,
            )
        )
    )
    submitted = Q(state=S.DOSSIER_SUBMITTED)
    under_review = Q(state=S.UNDER_REVIEW)
    return {
        "eligibility": Q(state=S.ELIGIBILITY_SUBMITTED),
        # Seats are filled all at once (``services.assign_panel``): a panel is either not
        # there yet, or complete until a conflict or a removal empties a seat.
        "no_panel": submitted & ~has_panel & panel_off,
        "panel_incomplete": ((submitted & has_panel) | under_review) & panel_off,
        "ready_to_start": submitted & ~panel_off & ~awaiting,
        "grid_late": under_review & late,
        "ready_to_close": under_review & queries.consolidation_complete(),
    }


def _not_own(queryset, user):
    # A certifier never decides on their own candidacy (``vae.permissions.acting_role``):
    # it is not work waiting for them.
    return queryset.exclude(candidate=user) if user.is_authenticated else queryset


def filter_candidacies(queryset, key: str, *, user):
    """``queryset`` narrowed to the candidacies of category ``key`` waiting for ``user``."""
    return _not_own(queryset.filter(conditions()[key]), user)


@dataclass(frozen=True)
class TodoLine:
    category: Category
    count: int
    url: str  # the filtered list, or the one candidacy's page
    reference: str = ""  # the candidacy's reference when there is exactly one

    @property
    def label(self) -> str:
        # French: the singular up to one.
        return self.category.singular if self.count <= 1 else self.category.plural


def todo_lines(user) -> list[TodoLine]:
    """Every category with its count and its link, in one query."""
    aggregates = {}
    for key, condition in conditions().items():
        aggregates[f"{key}__count"] = Count("pk", filter=condition)
        # Read together with the count: when it is 1, they are the one candidacy's.
        aggregates[f"{key}__pk"] = Min("pk", filter=condition)
        aggregates[f"{key}__created"] = Max("created_at", filter=condition)
    row = _not_own(Candidacy.objects.all(), user).aggregate(**aggregates)
    lines = []
    for category in CATEGORIES:
        count = row[f"{category.key}__count"]
        reference = ""
        url = f"{reverse('candidacy_admin:list')}?todo={category.key}"
        if count == 1:
            pk = row[f"{category.key}__pk"]
            url = reverse(category.url_name, args=[pk])
            reference = Candidacy(pk=pk, created_at=row[f"{category.key}__created"]).reference
        lines.append(TodoLine(category, count, url, reference))
    return lines
