"""Helpers of the search tests: pieces with page texts, and the index built from them."""

from django.utils import timezone

from livret.dossier.services import dossier_for
from livret.enums import EvidenceKind
from livret.models import CompetenceLink, EvidencePage
from search import indexing
from search.api import search
from search.base import Filters
from tests.livret.dossier.support import make_evidence


def add_evidence(candidacy, title, *pages, kind=EvidenceKind.CASH_PLAN, competence=None):
    """A piece of ``candidacy``'s dossier whose extracted pages are ``pages`` (rows only,
    no extraction, no signal); linked by the candidate to ``competence`` if given."""
    dossier = dossier_for(candidacy)
    evidence = make_evidence(dossier, title, pages=max(len(pages), 1), extracted_at=timezone.now())
    if evidence.kind != kind:  # make_evidence's pieces are budgets
        evidence.kind = kind
        evidence.save(update_fields=["kind"])
    EvidencePage.objects.bulk_create(
        EvidencePage(evidence=evidence, number=number, text=text)
        for number, text in enumerate(pages, start=1)
    )
    if competence is not None:
        CompetenceLink.objects.create(
            dossier=dossier, competence=competence, evidence=evidence, justification="Preuve."
        )
    return evidence


def rebuild():
    """The index rebuilt from the rows, as ``search_reindex`` does."""
    return indexing.reindex()


def keys(raw, user, **filters):
    """The keys of every hit ``user`` gets for ``raw`` (all pages), sorted."""
    found, page = [], 1
    while True:
        results = search(raw, user=user, filters=Filters(**filters), page=page)
        found += [hit.key for hit in results.hits]
        if page * results.per_page >= results.total:
            return sorted(found)
        page += 1


def page_key(evidence, number=1):
    return f"evidence_page:{evidence.pk}:{number}"
