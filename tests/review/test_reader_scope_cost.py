"""The dossiers an evaluator or a jury member may read are found from their own seats, so
the cost of the condition grows with their dossiers, not with the platform's.

``vae.permissions.DOSSIERS.where(user)`` is the condition of every list of dossiers and
of every search of an evaluator or a jury member. Written as an EXISTS per candidacy,
SQLite tested each candidacy in a reading state: at 1,000 candidacies, half of an
evaluator's search with no hit. The work is counted in SQLite's virtual-machine steps
(``set_progress_handler``), which a slower machine does not change.
"""

import pytest
from django.db import connection

from jury.models import ConflictDeclaration
from tests.factories import CandidacyFactory
from tests.factories.jury import make_session, make_slot
from tests.factories.review import make_panel
from vae import permissions
from vae.enums import CandidacyState
from vae.models import Candidacy

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="counts SQLite's virtual-machine steps"
    ),
]

OTHERS = 30


def _steps(user) -> tuple[int, set[int]]:
    """The steps SQLite runs to list the dossiers ``user`` may read, and their ids."""
    counted = [0]

    def tick():
        counted[0] += 1
        return 0  # go on

    connection.ensure_connection()
    raw = connection.connection
    raw.set_progress_handler(tick, 1)
    try:
        ids = set(
            Candidacy.objects.filter(permissions.DOSSIERS.where(user)).values_list("pk", flat=True)
        )
    finally:
        raw.set_progress_handler(None, 1)
    return counted[0], ids


def _others(state):
    for _ in range(OTHERS):
        CandidacyFactory(state=state, livret=None, dossier=None)


def test_an_evaluators_dossiers_cost_the_same_whatever_the_other_dossiers(referentiel):
    own = CandidacyFactory(state=CandidacyState.UNDER_REVIEW, livret=None, dossier=None)
    evaluator = make_panel(own, declared=True)[0].evaluator
    before, ids = _steps(evaluator)
    assert ids == {own.pk}

    _others(CandidacyState.UNDER_REVIEW)
    after, ids = _steps(evaluator)

    assert ids == {own.pk}
    # The same lookups (a deeper index may cost a step or two), not one test a candidacy.
    assert after - before < OTHERS, (before, after)


def test_a_jury_members_dossiers_cost_the_same_whatever_the_other_dossiers(referentiel):
    heard = CandidacyFactory(state=CandidacyState.JURY_SCHEDULED, livret=None, dossier=None)
    session = make_session()
    member = session.seats.order_by("pk").first().member
    make_slot(heard, session)
    ConflictDeclaration.objects.create(
        member=member, candidacy=heard, session=session, no_conflict=True
    )
    before, ids = _steps(member.user)
    assert ids == {heard.pk}

    _others(CandidacyState.JURY_SCHEDULED)
    after, ids = _steps(member.user)

    assert ids == {heard.pk}
    assert after - before < OTHERS, (before, after)
