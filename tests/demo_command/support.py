"""What the demo command's tests compare between runs."""

from review.models import (
    Assignment,
    CompetenceRating,
    ConsolidatedRating,
    CriterionLink,
    EvaluatorProfile,
    ReviewEvent,
)
from vae.models import Candidacy, CandidacyTransition, User


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            User,
            EvaluatorProfile,
            Candidacy,
            CandidacyTransition,
            Assignment,
            ReviewEvent,
            CriterionLink,
            CompetenceRating,
            ConsolidatedRating,
        )
    }
