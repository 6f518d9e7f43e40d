"""The search page of each space: who holds it, where its results lead, what it shows of
a candidacy. What a person may read comes from the engine's scope (``search.scope``),
whatever the space: the space only decides the page around the results."""

from dataclasses import dataclass

from jury.permissions import is_jury_member
from review.permissions import is_evaluator
from search.links import CandidateLinks, CertifierLinks, EvaluatorLinks, JuryLinks
from vae.permissions import is_certifier


@dataclass(frozen=True)
class SearchSpace:
    key: str
    heading: str
    # Where « Retour » leads, and what it says.
    back_url_name: str
    back_label: str
    holds: object
    links: type
    # Staff, evaluators and the jury see the candidate's name; the candidate, their own.
    with_name: bool = True
    refusal: str = ""


EVALUATOR = SearchSpace(
    "evaluation",
    "Rechercher dans mes dossiers",
    "review:workspace",
    "Mes dossiers à évaluer",
    is_evaluator,
    EvaluatorLinks,
    refusal="La recherche de cet espace est réservée aux évaluateurs.",
)
JURY = SearchSpace(
    "jury",
    "Rechercher dans les dossiers de mes sessions",
    "jury:home",
    "Espace du jury",
    is_jury_member,
    JuryLinks,
    refusal="La recherche de cet espace est réservée aux membres du jury.",
)
CANDIDATE = SearchSpace(
    "candidat",
    "Rechercher dans mon dossier",
    "livret:dossier",
    "Livret 2",
    lambda user: True,  # their own candidacy, checked by the view
    CandidateLinks,
    with_name=False,
)
CERTIFIER = SearchSpace(
    "certificateur",
    "Recherche dans les dossiers",
    "wagtailadmin_home",
    "Administration",
    is_certifier,
    CertifierLinks,
    refusal="La recherche dans tous les dossiers est réservée aux certificateurs.",
)
