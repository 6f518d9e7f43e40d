"""The certifier's list of follow-up surveys (« Enquêtes de suivi »): who sees it, each
survey's state, the counts by state, the filters and their bad values, the pages."""

import datetime as dt
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cohorts import surveys
from cohorts.enums import SurveyState
from tests.accounts import admin_login_url, log_in
from tests.cohorts.survey_support import make_survey, wave
from tests.factories import UserFactory
from vae.enums import Role

pytestmark = pytest.mark.django_db
LIST = reverse("cohorts_admin:surveys")
S = SurveyState


def text(response) -> str:
    return unescape(response.content.decode())


@pytest.fixture
def every_state(referentiel):
    """One survey in each state, today."""
    now = timezone.now()
    today = timezone.localdate()
    return {
        S.SCHEDULED: make_survey(decided_on=today - dt.timedelta(days=30)),
        S.SENT: make_survey(sent_at=now),
        S.REMINDED: make_survey(sent_at=now, reminded_at=now),
        S.ANSWERED: make_survey(sent_at=now, answered_at=now, situation="employed"),
        S.REFUSED: make_survey(sent_at=now, refused_at=now),
        S.CANCELLED: make_survey(sent_at=now, cancelled_at=now),
        S.CLOSED: make_survey(decided_on=today - dt.timedelta(days=400), sent_at=now),
    }


def test_each_survey_has_its_state(every_state):
    listed = {
        survey.pk: survey.listed_state
        for survey in surveys.surveys(surveys.SurveyFilters(), timezone.localdate())
    }
    assert listed == {survey.pk: state for state, survey in every_state.items()}
    counts = dict(surveys.state_counts(surveys.SurveyFilters(), timezone.localdate()))
    assert counts == dict.fromkeys(S, 1)


def test_an_answer_or_a_refusal_outlives_the_closing(referentiel):
    long_ago = timezone.localdate() - dt.timedelta(days=400)
    answered = make_survey(decided_on=long_ago, answered_at=timezone.now(), situation="seeking")
    refused = make_survey(decided_on=long_ago, refused_at=timezone.now())
    listed = {
        survey.pk: survey.listed_state
        for survey in surveys.surveys(surveys.SurveyFilters(), timezone.localdate())
    }
    assert listed == {answered.pk: S.ANSWERED, refused.pk: S.REFUSED}


def test_the_certifier_reads_the_list(client, certifier, every_state):
    log_in(client, certifier)
    response = client.get(LIST)
    assert response.status_code == 200
    page = text(response)
    assert "7 enquêtes, les plus récentes d'abord" in page
    for state in S:
        assert str(state.label) in page
    sent = every_state[S.SENT]
    assert sent.candidacy.reference in page
    assert reverse("candidacy_admin:detail", args=[sent.candidacy_id]) in page
    # No answer on the page: the job title or situation are the statistics' only.
    assert "En emploi" not in page
    assert 'aria-labelledby="surveys-caption"' in page


def test_the_filters(client, certifier, every_state):
    log_in(client, certifier)
    page = text(client.get(LIST, {"etat": S.REMINDED}))
    assert "1 enquête pour ces filtres" in page
    assert every_state[S.REMINDED].candidacy.reference in page
    assert every_state[S.SENT].candidacy.reference not in page
    twenty_four = make_survey(months=24, decided_on=timezone.localdate() - dt.timedelta(days=800))
    page = text(client.get(LIST, {"vague": wave(24).pk}))
    assert "1 enquête pour ces filtres" in page
    assert twenty_four.candidacy.reference in page
    assert f"Enquêtes selon leur état ({wave(24).label})" in page


@pytest.mark.parametrize(
    "query", [{"etat": "perdue"}, {"vague": "999999"}, {"vague": "x' OR 1=1"}, {"page": "-1"}]
)
def test_bad_filters_show_everything_and_keep_what_was_typed(client, certifier, every_state, query):
    log_in(client, certifier)
    response = client.get(LIST, query)
    assert response.status_code == 200
    page = text(response)
    assert "7 enquêtes" in page
    if "page" not in query:
        assert "Filtres non valides : toutes les enquêtes sont affichées." in page
        assert 'class="error-message"' in page


def test_pages_of_fifty(client, certifier, referentiel):
    for _ in range(51):
        make_survey()
    log_in(client, certifier)
    first = text(client.get(LIST))
    assert "Page 1 sur 2" in first and "page=2" in first
    second = text(client.get(LIST, {"page": 2, "etat": ""}))
    assert "Page 2 sur 2" in second and "Page précédente" in second


def test_a_constant_number_of_queries(client, certifier, every_state):
    log_in(client, certifier)
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST).status_code == 200
    for _ in range(10):
        make_survey(sent_at=timezone.now())
    with CaptureQueriesContext(connection) as more:
        assert client.get(LIST).status_code == 200
    assert len(more) == len(few)


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.EVALUATOR, Role.JURY_MEMBER])
def test_only_certifiers(client, every_state, role):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(admin_login_url())
    log_in(client, UserFactory(role=role))
    assert client.get(LIST).status_code in (302, 403)


def test_the_menu(client, certifier, every_state):
    log_in(client, certifier)
    page = text(client.get(reverse("wagtailadmin_home")))
    assert "enquetes-suivi" in page and LIST in page
