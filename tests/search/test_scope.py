"""Who finds what: the scope is in the query, so a text one may not read is neither a hit
nor a facet count nor a snippet (the search for « trésorerie » is in every text below)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from jury.models import ConflictDeclaration, InterviewBlocNote, InterviewRecord
from referentiel.enums import Rating
from review.models import CompetenceRating, ConsolidatedRating
from search.api import backend, search
from search.backends import database
from search.backends.database import DatabaseBackend
from search.base import Filters, Kind
from search.scope import scope_for
from tests.factories import CandidacyFactory, UserFactory
from tests.factories.jury import make_session, make_slot
from tests.factories.review import make_panel
from tests.search.support import add_evidence, keys, page_key, rebuild
from vae.enums import CandidacyState, Role

pytestmark = pytest.mark.django_db

WORD = "trésorerie"


def rate(assignment, text):
    competence = assignment.candidacy.targeted_competences()[0]
    return CompetenceRating.objects.create(
        assignment=assignment, competence=competence, rating=Rating.ACQUIRED, justification=text
    )


@pytest.fixture
def world(referentiel):
    reviewed = CandidacyFactory(state=CandidacyState.UNDER_REVIEW, dossier="empty")
    awaiting = CandidacyFactory(state=CandidacyState.UNDER_REVIEW, dossier="empty")
    heard = CandidacyFactory(state=CandidacyState.JURY_SCHEDULED, dossier="empty")
    panel = make_panel(reviewed, declared=True)
    undeclared = make_panel(awaiting, declared=False)
    pieces = {
        name: add_evidence(candidacy, name, f"Plan de {WORD} de {name}.")
        for name, candidacy in (("reviewed", reviewed), ("awaiting", awaiting), ("heard", heard))
    }
    own = rate(panel[0], f"La {WORD} est suivie chaque semaine.")
    others = rate(panel[1], f"{WORD} bien tenue.")
    consolidated = ConsolidatedRating.objects.create(
        candidacy=reviewed,
        competence=reviewed.targeted_competences()[0],
        rating=Rating.ACQUIRED,
        justification=f"Le panel retient la {WORD}.",
        decided_by=panel[2].evaluator,
    )
    session = make_session()
    sitting, conflicted = [seat.member for seat in session.seats.order_by("pk")]
    slot = make_slot(heard, session)
    ConflictDeclaration.objects.create(
        member=sitting, candidacy=heard, session=session, no_conflict=True
    )
    ConflictDeclaration.objects.create(
        member=conflicted,
        candidacy=heard,
        session=session,
        no_conflict=False,
        details="Ancien collègue.",
    )
    record = InterviewRecord.objects.create(slot=slot)
    note = InterviewBlocNote.objects.create(
        record=record,
        bloc=heard.targeted_competences()[0].activity.bloc,
        questions=f"Comment suivez-vous la {WORD} ?",
    )
    other_session = make_session(days_ahead=40)
    rebuild()
    return {
        "reviewed": reviewed,
        "awaiting": awaiting,
        "heard": heard,
        "panel": panel,
        "undeclared": undeclared,
        "sitting": sitting.user,
        "conflicted": conflicted.user,
        "elsewhere": other_session.seats.first().member.user,
        "pages": {name: page_key(piece) for name, piece in pieces.items()},
        "own": f"{Kind.RATING}:{own.pk}",
        "others": f"{Kind.RATING}:{others.pk}",
        "consolidated": f"{Kind.CONSOLIDATED_RATING}:{consolidated.pk}",
        "note": f"{Kind.BLOC_NOTE}:{note.pk}",
    }


def found(user):
    return keys(WORD, user)


def test_a_candidate_finds_their_own_documents_only(world):
    candidate = world["reviewed"].candidate
    assert found(candidate) == [world["pages"]["reviewed"]]
    facets = search(WORD, user=candidate).facets
    assert [(v.value, v.count) for v in facets["candidacy"]] == [(str(world["reviewed"].pk), 1)]
    assert [v.value for v in facets["kind"]] == [Kind.EVIDENCE_PAGE]


def test_a_candidacy_filter_never_widens_the_scope(world):
    candidate = world["reviewed"].candidate
    for candidacy, expected in ((world["reviewed"], 1), (world["awaiting"], 0)):
        results = search(WORD, user=candidate, filters=Filters(candidacy=candidacy.pk))
        assert (results.total, len(results.hits)) == (expected, expected)
    certifier = UserFactory(role=Role.CERTIFIER)
    results = search(WORD, user=certifier, filters=Filters(candidacy=world["heard"].pk))
    assert sorted(hit.key for hit in results.hits) == sorted(
        [world["pages"]["heard"], world["note"]]
    )


def test_an_evaluator_finds_the_dossier_and_their_own_notes_before_their_grid(world):
    evaluator = world["panel"][0].evaluator
    assert found(evaluator) == sorted([world["pages"]["reviewed"], world["own"]])
    results = search(WORD, user=evaluator)
    assert results.total == 2
    assert sum(v.count for v in results.facets["kind"]) == 2


def test_after_their_grid_an_evaluator_finds_the_others_notes_too(world):
    assignment = world["panel"][0]
    assignment.grid_submitted_at = timezone.now()
    assignment.save(update_fields=["grid_submitted_at"])
    assert found(assignment.evaluator) == sorted(
        [world["pages"]["reviewed"], world["own"], world["others"], world["consolidated"]]
    )


def test_an_evaluator_before_their_declaration_finds_nothing(world):
    assert found(world["undeclared"][0].evaluator) == []


def test_an_evaluator_of_another_dossier_finds_nothing_of_this_one(world):
    outsider = make_panel(world["awaiting"], declared=True)[0].evaluator
    assert world["pages"]["reviewed"] not in found(outsider)
    assert found(outsider) == [world["pages"]["awaiting"]]


def test_a_jury_member_who_declared_finds_the_heard_candidates_dossier_and_notes(world):
    assert found(world["sitting"]) == sorted([world["pages"]["heard"], world["note"]])


@pytest.mark.parametrize("who", ["conflicted", "elsewhere"], ids=["conflict", "other-session"])
def test_a_jury_member_with_a_conflict_or_of_another_session_finds_nothing(world, who):
    results = search(WORD, user=world[who])
    assert (results.total, results.hits) == (0, [])
    assert all(values == [] for values in results.facets.values())


def test_a_certifier_finds_everything(world):
    expected = sorted(
        [
            *world["pages"].values(),
            world["own"],
            world["others"],
            world["consolidated"],
            world["note"],
        ]
    )
    assert found(UserFactory(role=Role.CERTIFIER)) == expected


@pytest.mark.skipif(not isinstance(backend(), DatabaseBackend), reason="database backend only")
def test_the_scope_finds_the_same_matched_within_its_candidacies_or_not(world, monkeypatch):
    """A scope of a few candidacies is matched within them first (an accelerator); the
    scope's SQL still decides, the same as for a scope of many."""
    outsider = make_panel(world["awaiting"], declared=True)[0].evaluator
    users = [
        world["reviewed"].candidate,
        world["panel"][0].evaluator,
        world["undeclared"][0].evaluator,
        outsider,
        world["sitting"],
        world["conflicted"],
        world["elsewhere"],
    ]

    def seen(user):
        results = search(WORD, user=user)
        return (
            sorted(hit.key for hit in results.hits),
            results.total,
            {facet: sorted(values, key=str) for facet, values in results.facets.items()},
        )

    evaluator = world["panel"][0].evaluator
    assert DatabaseBackend()._narrowed(scope_for(evaluator), {}) == [world["reviewed"].pk]
    narrowed = [seen(user) for user in users]
    monkeypatch.setattr(database, "NARROW_SCOPE", 0)
    assert DatabaseBackend()._narrowed(scope_for(evaluator), {}) is None
    assert [seen(user) for user in users] == narrowed
    assert narrowed[1][0] == sorted([world["pages"]["reviewed"], world["own"]])


@pytest.mark.skipif(not isinstance(backend(), DatabaseBackend), reason="database backend only")
def test_a_grant_of_a_few_candidacies_is_read_once_as_their_list(world, monkeypatch):
    """Each grant whose candidacies are few is read once, whole, and its list stands for
    its subquery in the search's queries; a grant beyond the limit keeps its subquery."""
    evaluator = world["panel"][0].evaluator
    scope = scope_for(evaluator)
    compiled = {}
    assert DatabaseBackend()._narrowed(scope, compiled) == [world["reviewed"].pk]
    grants = [index for index, grant in enumerate(scope.grants) if grant.kinds]
    assert sorted(compiled) == grants
    # The documents and the evaluator's own notes: the dossier they review; the others'
    # notes, once their grid is in: none yet.
    assert compiled[0] == ("%s", [world["reviewed"].pk])
    assert compiled[2] == ("NULL", [])
    sql, params = database.scope_sql(scope, compiled)
    assert "vae_candidacy" not in sql
    assert world["reviewed"].pk in params
    assert search(WORD, user=evaluator).total == 2

    monkeypatch.setattr(database, "NARROW_SCOPE", 0)
    compiled = {}
    assert DatabaseBackend()._narrowed(scope, compiled) is None
    assert compiled[0][0].startswith("SELECT") and compiled[1][0].startswith("SELECT")
    assert compiled[2] == ("NULL", [])  # reads none: a list, whatever the limit


def test_anonymous_and_inactive_users_find_nothing(world):
    inactive = UserFactory(role=Role.CERTIFIER, is_active=False)
    for user in (AnonymousUser(), inactive, None):
        assert scope_for(user).grants == ()
        assert search(WORD, user=user).total == 0
