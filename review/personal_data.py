"""The review's part of a candidate's archive (RGPD): the panel's consolidated rating of
each compétence, once the jury has decided (it is then explained to the candidate with
the decision). Evaluators' own notes and names are theirs and the panel's: not included.
"""

from django.utils.translation import gettext as _

from review.models import ConsolidatedRating
from vae.enums import CandidacyState
from vae.models import Candidacy

# The candidate learns the panel's ratings with the jury's decision, not before.
OUTCOME_DISCLOSED_STATES = (CandidacyState.DECIDED,)


def collect_review(user) -> list[dict]:
    candidacies = list(Candidacy.objects.filter(candidate=user).order_by("created_at"))
    ratings = {}
    for rating in (
        ConsolidatedRating.objects.filter(
            candidacy__in=[c for c in candidacies if c.state in OUTCOME_DISCLOSED_STATES]
        )
        .select_related("competence")
        .order_by("competence__code")
    ):
        ratings.setdefault(rating.candidacy_id, []).append(
            {
                "compétence": f"{rating.competence.code} — {rating.competence.statement}",
                "appréciation": rating.get_rating_display(),
                "justification": rating.justification,
            }
        )
    return [
        {
            "candidature": candidacy.reference,
            "appréciations consolidées": ratings.get(candidacy.pk, [])
            if candidacy.state in OUTCOME_DISCLOSED_STATES
            else _("Communiquées avec la décision du jury."),
        }
        for candidacy in candidacies
    ]
