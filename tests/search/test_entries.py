"""Entries built from the rows: what each kind says, which blocs and compétences it
concerns, and a constant number of queries whatever the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from livret.dossier.services import dossier_for
from livret.models import CompetenceLink, Narrative
from referentiel.enums import Rating
from review.enums import PassageKind
from review.models import CompetenceRating, CriterionLink
from search.base import Kind
from search.entries import all_entries, entries
from tests.factories import CandidacyFactory
from tests.factories.review import make_panel
from tests.search.support import add_evidence
from vae.enums import CandidacyState

pytestmark = pytest.mark.django_db


@pytest.fixture
def candidacy(referentiel):
    return CandidacyFactory(state=CandidacyState.UNDER_REVIEW, dossier="empty")


def test_evidence_pages_take_the_candidates_links_of_their_pages(candidacy):
    first, second = candidacy.targeted_competences()[:2]
    evidence = add_evidence(candidacy, "Plan", "Page un", "Page deux", "")
    CompetenceLink.objects.create(
        dossier=dossier_for(candidacy),
        competence=first,
        evidence=evidence,
        page_from=2,
        page_to=2,
        justification="La page deux.",
    )
    CompetenceLink.objects.create(
        dossier=dossier_for(candidacy), competence=second, evidence=evidence, justification="Tout."
    )
    pages = list(entries(Kind.EVIDENCE_PAGE, object_ids=[evidence.pk]))
    assert [(e.key, e.page, e.text) for e in pages] == [
        (f"evidence_page:{evidence.pk}:1", 1, "Page un"),
        (f"evidence_page:{evidence.pk}:2", 2, "Page deux"),
    ]  # the empty third page has nothing to find
    assert pages[0].competences == (second.code,)
    assert pages[1].competences == tuple(sorted({first.code, second.code}))
    assert pages[1].blocs == tuple(sorted({first.activity.bloc.code, second.activity.bloc.code}))
    assert (pages[0].evidence_type, pages[0].title) == (evidence.kind, "Plan")
    assert (pages[0].candidacy_id, pages[0].candidacy_state) == (candidacy.pk, candidacy.state)


def test_a_withdrawn_piece_has_no_entries(candidacy):
    evidence = add_evidence(candidacy, "Plan", "Page un")
    evidence.withdrawn_at = timezone.now()
    evidence.save()
    assert list(entries(Kind.EVIDENCE_PAGE, object_ids=[evidence.pk])) == []


def test_a_narrative_concerns_its_activitys_bloc(candidacy):
    activity = candidacy.referentiel_tree()[0].activities.all()[0]
    narrative = Narrative.objects.create(
        dossier=dossier_for(candidacy), activity=activity, text="J'ai tenu la caisse.", version=1
    )
    (found,) = entries(Kind.NARRATIVE, object_ids=[narrative.pk])
    assert found.key == f"narrative:{narrative.pk}"
    assert found.title.startswith(f"Récit — {activity.code} ")
    assert found.blocs == (activity.bloc.code,)
    assert found.author_id is None


def test_review_notes_carry_their_author_and_competences(candidacy):
    assignment = make_panel(candidacy)[0]
    competence = candidacy.targeted_competences()[0]
    rating = CompetenceRating.objects.create(
        assignment=assignment, competence=competence, rating=Rating.ACQUIRED, justification="Net."
    )
    evidence = add_evidence(candidacy, "Plan", "Page un")
    link = CriterionLink.objects.create(
        assignment=assignment,
        kind=PassageKind.PAGE,
        evidence=evidence,
        page=1,
        quote="Page",
        comment="Bien vu.",
    )
    link.criteria.set(competence.criteria.all()[:1])
    (rated,) = entries(Kind.RATING, object_ids=[rating.pk])
    assert (rated.author_id, rated.competences, rated.text) == (
        assignment.evaluator_id,
        (competence.code,),
        "Net.",
    )
    assert rated.title == f"{Kind.RATING.label} — {competence.code}"
    (passage,) = entries(Kind.PASSAGE, object_ids=[link.pk])
    assert passage.text == "Bien vu.\n\nPage"
    assert passage.competences == (competence.code,)


def test_queries_do_not_grow_with_the_rows(referentiel):
    small = CandidacyFactory(state=CandidacyState.UNDER_REVIEW, dossier="empty")
    big = CandidacyFactory(state=CandidacyState.UNDER_REVIEW, dossier="empty")
    add_evidence(small, "Un", "Page")
    for number in range(15):
        add_evidence(big, f"Pièce {number}", *[f"Page {n}" for n in range(5)])
    counted = {}
    for candidacy in (small, big):
        with CaptureQueriesContext(connection) as queries:
            found = list(all_entries(candidacy_ids=[candidacy.pk]))
        counted[candidacy] = (len(queries), len(found))
    assert counted[small][1] == 1
    assert counted[big][1] == 75
    assert counted[small][0] == counted[big][0]
