"""Helpers of the search tests: pieces with page texts, and the index built from them."""

import datetime as dt

from django.utils import timezone

from livret.dossier.services import dossier_for
from livret.enums import EvidenceKind
from livret.models import CompetenceLink, EvidencePage
from search import indexing
from search.api import search
from search.base import Entry, Filters, Kind
from tests.livret.dossier.support import make_evidence

ENTRY_TIME = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


def entry(key="evidence_page:1:1", text="Bulletin de paie", *, candidacy=1, page=1, object_id=1):
    """An index entry of an evidence page, written straight to a backend (no model)."""
    return Entry(
        key=key,
        kind=Kind.EVIDENCE_PAGE,
        object_id=object_id,
        page=page,
        candidacy_id=candidacy,
        author_id=None,
        title="Pièce",
        text=text,
        blocs=("BC1",),
        competences=("C1.1", "C1.2"),
        evidence_type="bulletin_paie",
        candidacy_state="under_review",
        updated_at=ENTRY_TIME,
    )


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
