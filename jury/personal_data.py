"""The jury's part of a candidate's archive (« Mes données »): each decision rendered on
their candidacies, as they read it in their space."""

from jury import selectors
from referentiel import french as fr
from vae.models import Candidacy


def collect_decisions(user) -> list[dict]:
    found = []
    for candidacy in Candidacy.objects.filter(candidate=user).order_by("created_at", "pk"):
        decision = selectors.candidate_decision(candidacy)
        if decision is None:
            continue
        found.append(
            {
                "candidature": candidacy.reference,
                "décision": decision.result_label,
                "date": fr.datetime(decision.decided_at),
                "blocs": [
                    {
                        "bloc": f"{row.bloc.code} — {row.bloc.title}",
                        "résultat": "validé" if row.validated else "non validé",
                        "raisons": row.reasons.splitlines(),
                        "motivation du jury": row.motivation,
                    }
                    for row in decision.blocs
                ],
                "observations": decision.observations,
                "préconisations": decision.recommendations,
            }
        )
    return found
