"""« Consolider » in the evaluator's workspace: on the rows where the evaluator holds the
certifier's seat and every grid of the panel is in, nowhere else, without a query per row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from review import rules
from review.enums import AssignmentStatus, EvaluatorCategory
from review.models import Assignment
from review.selectors.workspace import workspace_rows
from tests.factories import CandidacyFactory, make_grids, make_panel
from tests.review.support import login
from vae.enums import CandidacyState

pytestmark = pytest.mark.django_db

S = CandidacyState


def seat(panel, category):
    return next(a for a in panel if a.category == category)


def consolider(assignment) -> str:
    return f'href="{reverse("review:consolidation", args=[assignment.pk])}"'


def panel_with_grids(state=S.UNDER_REVIEW, *, submitted=True):
    candidacy = CandidacyFactory(state=state)
    panel = make_panel(candidacy)
    make_grids(candidacy, panel, submit=submitted)
    return candidacy, panel


def move_to(evaluator, *assignments):
    """Give ``evaluator`` the seats of ``assignments`` (one evaluator, several dossiers)."""
    Assignment.objects.filter(pk__in=[a.pk for a in assignments]).update(evaluator=evaluator)


def workspace(client, user) -> str:
    response = login(client, user).get(reverse("review:workspace"))
    assert response.status_code == 200
    return response.content.decode()


def test_certifier_representative_consolidates_once_every_grid_is_in(client, referentiel):
    candidacy, panel = panel_with_grids()
    mine = seat(panel, EvaluatorCategory.CERTIFIER)
    page = workspace(client, mine.evaluator)
    assert consolider(mine) in page
    assert (
        f'Consolider<span class="visually-hidden"> les grilles du dossier {candidacy.reference}'
        in page
    )
    assert "Toutes les grilles sont remises : à vous de consolider." in page


def test_no_consolidation_while_a_grid_is_missing(client, referentiel):
    _candidacy, panel = panel_with_grids()
    Assignment.objects.filter(pk=panel[0].pk).update(grid_submitted_at=None)
    mine = seat(panel, EvaluatorCategory.CERTIFIER)
    page = workspace(client, mine.evaluator)
    assert consolider(mine) not in page
    assert "à vous de consolider" not in page


@pytest.mark.parametrize(
    "category", [EvaluatorCategory.EXTERNAL_PROFESSIONAL, EvaluatorCategory.TRAINING_BODY]
)
def test_other_seats_never_consolidate(client, referentiel, category):
    _candidacy, panel = panel_with_grids()
    other = seat(panel, category)
    page = workspace(client, other.evaluator)
    assert consolider(other) not in page
    assert "Consolider" not in page


@pytest.mark.parametrize("state", [S.REVIEWED, S.DOSSIER_SUBMITTED])
def test_no_consolidation_outside_the_review(client, referentiel, state):
    _candidacy, panel = panel_with_grids(state)
    mine = seat(panel, EvaluatorCategory.CERTIFIER)
    assert "Consolider" not in workspace(client, mine.evaluator)


def test_no_consolidation_when_a_seat_fell_empty(client, referentiel):
    # Every remaining grid is in, but a removed evaluator left a seat empty: the panel
    # no longer matches the référentiel, and the consolidation page would refuse.
    _candidacy, panel = panel_with_grids()
    removed = seat(panel, EvaluatorCategory.TRAINING_BODY)
    Assignment.objects.filter(pk=removed.pk).update(
        status=AssignmentStatus.REMOVED, ended_at=timezone.now()
    )
    mine = seat(panel, EvaluatorCategory.CERTIFIER)
    assert "Consolider" not in workspace(client, mine.evaluator)


def test_only_the_ready_row_gets_the_action(client, referentiel):
    _ready, ready_panel = panel_with_grids()
    _waiting, waiting_panel = panel_with_grids(submitted=False)
    mine = seat(ready_panel, EvaluatorCategory.CERTIFIER)
    also_mine = seat(waiting_panel, EvaluatorCategory.CERTIFIER)
    move_to(mine.evaluator, also_mine)
    page = workspace(client, mine.evaluator)
    assert consolider(mine) in page
    assert consolider(also_mine) not in page
    assert reverse("review:dossier", args=[also_mine.pk]) in page


def test_the_selector_agrees_with_the_service(referentiel):
    _ready, ready_panel = panel_with_grids()
    _waiting, waiting_panel = panel_with_grids(submitted=False)
    evaluator = ready_panel[0].evaluator
    move_to(evaluator, waiting_panel[0])
    rows = workspace_rows(evaluator)
    assert len(rows) == 2
    for row in rows:
        assert row.all_grids_in == rules.all_grids_submitted(row.assignment.candidacy)
    assert {row.all_grids_in for row in rows} == {True, False}


def test_consolidation_rows_cost_no_query_each(client, referentiel):
    _first, first_panel = panel_with_grids()
    mine = seat(first_panel, EvaluatorCategory.CERTIFIER)
    login(client, mine.evaluator)
    url = reverse("review:workspace")
    client.get(url)  # warm per-process caches out of the count
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).content.decode().count("Consolider<span") == 1
    for _ in range(2):
        _candidacy, panel = panel_with_grids()
        move_to(mine.evaluator, seat(panel, EvaluatorCategory.CERTIFIER))
    with CaptureQueriesContext(connection) as three:
        assert client.get(url).content.decode().count("Consolider<span") == 3
    assert len(three) == len(one), [q["sql"] for q in three.captured_queries]
