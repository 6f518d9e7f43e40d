"""The survey's personal link: unguessable (its secret is nowhere in the database), one
survey's secret opens no other, a tampered or unknown link gets the same 404, a closed
survey says so, one holder cannot read another's answers; the pages are neither cached,
indexed nor sent as a referrer, and a client trying links is stopped."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from cohorts import links, services
from cohorts.views import MISSES_PER_IP
from tests.cohorts.survey_support import make_survey
from tests.security_headers import FORBIDDEN_IN_HTML

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(referentiel):
    return make_survey()


def url(public_id, secret):
    return reverse("cohorts:survey", kwargs={"survey": str(public_id), "secret": secret})


def test_the_link_opens_the_survey_with_the_first_name_only(client, survey):
    candidate = survey.candidacy.candidate
    response = client.get(links.survey_path(survey))
    assert response.status_code == 200
    body = response.content.decode()
    assert f"Bonjour {candidate.first_name}" in body
    for other in (candidate.last_name, candidate.email, survey.candidacy.reference):
        assert other not in body


def test_the_secret_is_not_stored(survey):
    secret = links.secret(survey.public_id)
    assert len(secret) == links.SECRET_CHARS
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM cohorts_followupsurvey")
        rows = cursor.fetchall()
    assert rows
    assert not any(secret in str(value) for row in rows for value in row)


def test_the_secret_depends_on_the_site_key(survey, settings):
    before = links.secret(survey.public_id)
    settings.SECRET_KEY = "une-autre-clé-" * 4
    assert links.secret(survey.public_id) != before


def test_one_surveys_secret_does_not_open_another(client, survey, referentiel):
    other = make_survey(months=24)
    response = client.get(url(other.public_id, links.secret(survey.public_id)))
    assert response.status_code == 404
    assert other.candidacy.candidate.first_name not in response.content.decode()


def test_tampered_and_unknown_links_get_the_same_404(client, survey):
    secret = links.secret(survey.public_id)
    tampered = ("0" if secret[0] != "0" else "1") + secret[1:]
    unknown = "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
    responses = [
        client.get(url(survey.public_id, tampered)),
        client.get(url(unknown, links.secret(unknown))),
        client.get(url("pas-un-uuid", secret)),
        client.get(url(survey.public_id, secret[:-1])),
    ]
    assert {response.status_code for response in responses} == {404}
    assert len({response.content for response in responses}) == 1
    # A wrong link changes nothing either.
    client.post(url(survey.public_id, tampered), {"situation": "seeking"})
    survey.refresh_from_db()
    assert survey.answered_at is None


def test_one_holder_cannot_read_anothers_answers(client, survey, referentiel):
    services.answer(survey, situation="employed", job_title="Régisseuse générale", **JOB)
    other = make_survey()
    body = client.get(links.survey_path(other)).content.decode()
    assert "Régisseuse générale" not in body
    assert "Régisseuse générale" in client.get(links.survey_path(survey)).content.decode()


JOB = {
    "in_targeted_job": False,
    "sector": "audiovisual",
    "contract_type": "cddu",
    "working_time": "part",
    "pay_band": "20_30",
}


def test_a_closed_survey_says_so_without_a_form(client, survey, travel):
    services.answer(survey, situation="seeking")
    travel(timezone.make_aware(dt.datetime.combine(survey.closes_on, dt.time(8))))
    response = client.get(links.survey_path(survey))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Cette enquête est close" in body
    assert "<form" not in body
    # Posting anyway changes nothing.
    client.post(links.survey_path(survey), {"situation": "employed", **TYPED_JOB})
    client.post(links.refusal_path(survey))
    survey.refresh_from_db()
    assert (survey.situation, survey.refused_at) == ("seeking", None)


TYPED_JOB = {**JOB, "in_targeted_job": "non", "job_title": "Chargé de production"}


def test_a_cancelled_survey_opens_no_form(client, survey):
    survey.cancelled_at = timezone.now()
    survey.save(update_fields=["cancelled_at"])
    body = client.get(links.survey_path(survey)).content.decode()
    assert "rectifiée" in body and "<form" not in body


@pytest.mark.parametrize("which", ["survey", "refusal"])
def test_the_pages_are_private(client, survey, which):
    path = links.survey_path(survey) if which == "survey" else links.refusal_path(survey)
    for response in (client.get(path), client.get(url(survey.public_id, "faux"))):
        assert "no-store" in response["Cache-Control"]
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert response["Referrer-Policy"] == "same-origin"
        body = response.content.decode()
        for what, pattern in FORBIDDEN_IN_HTML.items():
            assert not pattern.search(body), what


def test_a_client_trying_links_is_stopped(client, survey):
    for attempt in range(MISSES_PER_IP):
        assert client.get(url(survey.public_id, f"faux{attempt}")).status_code == 404
    response = client.get(url(survey.public_id, "encore-faux"))
    assert response.status_code == 429
    assert response["Retry-After"]
    # Even the right link waits: the client is stopped, not the guess.
    assert client.get(links.survey_path(survey)).status_code == 429
