"""The review's reminder (review.reminders): the certifiers hear once of a grid past its
due date, travelled through time."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from referentiel import french as fr
from tests.factories import CandidacyFactory, UserFactory, make_panel
from vae.enums import CandidacyState, Role

S = CandidacyState
DUE = dt.date(2027, 2, 15)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def run():
    call_command("send_reminders", kind=["grid_overdue"], stdout=io.StringIO())


@pytest.fixture
def certifier(db):
    return UserFactory(role=Role.CERTIFIER)


@pytest.fixture
def panel(referentiel, certifier):
    candidacy = CandidacyFactory(state=S.UNDER_REVIEW)
    assignments = make_panel(candidacy, by=certifier)
    for assignment in assignments:
        type(assignment).objects.filter(pk=assignment.pk).update(due_date=DUE)
        assignment.refresh_from_db()
    return candidacy, assignments


def test_a_grid_past_its_due_date_is_reminded_once(panel, certifier, travel):
    candidacy, assignments = panel
    # Three grids are in; one is not.
    late = assignments[0]
    for assignment in assignments[1:]:
        type(assignment).objects.filter(pk=assignment.pk).update(grid_submitted_at=at(DUE))

    travel(at(DUE, 23))  # the due day itself: still on time
    run()
    assert mail.outbox == []

    travel(at(DUE + dt.timedelta(days=1), 0))
    run()
    travel(at(DUE + dt.timedelta(days=3)))
    run()
    (message,) = mail.outbox
    assert message.to == [certifier.email]
    assert "grille d'évaluation en retard" in message.subject
    assert candidacy.reference in message.subject
    assert late.evaluator.get_full_name() in message.body
    assert fr.date(DUE) in message.body
    assert reverse("review_admin:panel", args=[candidacy.pk]) in message.body
    assert message.alternatives[0].mimetype == "text/html"


def test_a_new_due_date_is_reminded_again_once_passed(panel, certifier, travel):
    _candidacy, assignments = panel
    for assignment in assignments[1:]:
        type(assignment).objects.filter(pk=assignment.pk).update(grid_submitted_at=at(DUE))
    travel(at(DUE + dt.timedelta(days=2)))
    run()
    assert len(mail.outbox) == 1

    later = DUE + dt.timedelta(days=10)
    type(assignments[0]).objects.filter(pk=assignments[0].pk).update(due_date=later)
    travel(at(DUE + dt.timedelta(days=5)))
    run()
    assert len(mail.outbox) == 1
    travel(at(later + dt.timedelta(days=1)))
    run()
    assert len(mail.outbox) == 2


def test_submitted_grids_and_finished_reviews_are_not_reminded(panel, travel):
    _candidacy, assignments = panel
    for assignment in assignments:
        type(assignment).objects.filter(pk=assignment.pk).update(grid_submitted_at=at(DUE))
    other = CandidacyFactory(state=S.REVIEWED)
    for assignment in make_panel(other):
        type(assignment).objects.filter(pk=assignment.pk).update(due_date=DUE)
    travel(at(DUE + dt.timedelta(days=2)))
    run()
    assert mail.outbox == []
