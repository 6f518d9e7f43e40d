"""The survey's form: the situation for everyone, the job's questions for the employed
only (required then, discarded otherwise: the page works without its script), errors
that keep what was typed, corrections until closing, and the refusal (GET shows a
confirmation, POST refuses, answering again withdraws it)."""

from html import unescape

import pytest
from django.contrib.staticfiles import finders

from cohorts import links, services
from cohorts.enums import Situation
from cohorts.models import JOB_TITLE_MAX_CHARS
from referentiel.models import Activity
from tests.cohorts.survey_support import at, make_survey
from vae.workflow import TransitionRefused

pytestmark = pytest.mark.django_db

EMPLOYED = {
    "situation": "employed",
    "job_title": "Administratrice de production",
    "in_targeted_job": "oui",
    "sector": "audiovisual",
    "contract_type": "cdi",
    "working_time": "full",
    "pay_band": "30_40",
    "consent": "on",
}


@pytest.fixture
def survey(referentiel):
    return make_survey()


def post(client, survey, data):
    return client.post(links.survey_path(survey), data)


def test_the_page_lists_the_activities_and_loads_its_script(client, survey):
    body = unescape(client.get(links.survey_path(survey)).content.decode())
    activities = Activity.objects.filter(bloc__certification=survey.candidacy.certification)
    assert activities.exists()
    for activity in activities:
        assert activity.title in body
    assert 'src="/static/js/survey-situation.js" defer' in body
    assert finders.find("js/survey-situation.js")
    assert "<legend" in body and 'name="situation"' in body


def test_an_employed_holder_answers_everything(client, survey):
    response = post(client, survey, EMPLOYED)
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.situation == Situation.EMPLOYED
    assert survey.job_title == "Administratrice de production"
    assert survey.in_targeted_job is True
    assert (survey.sector, survey.contract_type, survey.working_time, survey.pay_band) == (
        "audiovisual",
        "cdi",
        "full",
        "30_40",
    )
    assert survey.consent is True
    assert survey.answered_at is not None
    page = client.get(response["Location"]).content.decode()
    assert "vos réponses sont enregistrées" in page


def test_the_job_answers_of_someone_not_employed_are_discarded(client, survey):
    # Without the script, the job's questions stay on the page and may come back filled.
    response = post(client, survey, {**EMPLOYED, "situation": "studying", "consent": ""})
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.situation == Situation.STUDYING
    assert (survey.job_title, survey.in_targeted_job, survey.pay_band) == ("", None, "")
    assert survey.consent is False


def test_an_employed_holder_missing_job_answers_is_told_and_keeps_the_input(client, survey):
    typed = {**EMPLOYED, "job_title": "Chargée de prod", "pay_band": "", "contract_type": ""}
    response = post(client, survey, typed)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('class="error-summary"') == 1
    assert "Indiquez votre tranche de rémunération" in body
    assert "Indiquez votre type de contrat" in body
    assert 'value="Chargée de prod"' in body
    assert 'aria-describedby="id_pay_band_error"' in body
    assert "<title>Erreur : " in body
    survey.refresh_from_db()
    assert survey.answered_at is None


def test_no_situation_is_refused_with_a_message(client, survey):
    body = post(client, survey, {"consent": "on"}).content.decode()
    assert "Indiquez votre situation." in body
    survey.refresh_from_db()
    assert survey.answered_at is None


def test_a_job_title_too_long_is_refused_and_kept(client, survey):
    title = "x" * (JOB_TITLE_MAX_CHARS + 1)
    body = post(client, survey, {**EMPLOYED, "job_title": title}).content.decode()
    assert "raccourcissez-le" in body and title in body


def test_the_answers_are_corrected_until_closing_and_shown(client, survey):
    post(client, survey, EMPLOYED)
    survey.refresh_from_db()
    first_answered = survey.answered_at
    body = client.get(links.survey_path(survey)).content.decode()
    assert 'value="Administratrice de production"' in body
    assert 'value="employed" data-survey-situation="" required id="id_situation_0" checked' in body
    post(client, survey, {"situation": "seeking", "consent": "on"})
    survey.refresh_from_db()
    assert survey.situation == Situation.SEEKING
    assert survey.job_title == ""
    assert survey.answered_at == first_answered
    assert survey.answers_updated_at > first_answered


def test_get_of_the_refusal_link_changes_nothing(client, survey):
    response = client.get(links.refusal_path(survey))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Je refuse l'enquête" in body and 'method="post"' in body
    survey.refresh_from_db()
    assert survey.refused_at is None


def test_post_refuses_and_clears_the_answers(client, survey):
    post(client, survey, EMPLOYED)
    response = client.post(links.refusal_path(survey))
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.refused_at is not None
    assert (survey.answered_at, survey.situation, survey.job_title, survey.consent) == (
        None,
        "",
        "",
        False,
    )
    body = client.get(response["Location"]).content.decode()
    assert "Vous avez refusé cette enquête" in body


def test_answering_after_refusing_withdraws_the_refusal(client, survey):
    services.refuse(survey)
    post(client, survey, {"situation": "seeking"})
    survey.refresh_from_db()
    assert survey.refused_at is None and survey.answered_at is not None


# -- the service the other parts use to make data ------------------------------------------


def test_answer_validates_as_the_form(survey):
    with pytest.raises(TransitionRefused) as refused:
        services.answer(survey, situation="employed", job_title="Régisseur")
    assert any("contrat" in problem for problem in refused.value.problems)
    with pytest.raises(TransitionRefused):
        services.answer(survey, situation="retired")
    services.answer(
        survey,
        situation="employed",
        job_title="Régisseur",
        in_targeted_job=False,
        sector="other",
        contract_type="cddu",
        working_time="part",
        pay_band="undisclosed",
        consent=True,
    )
    survey.refresh_from_db()
    assert (survey.in_targeted_job, survey.consent, survey.pay_band) == (False, True, "undisclosed")


def test_answer_refuses_a_closed_survey(survey):
    with pytest.raises(TransitionRefused):
        services.answer(survey, situation="seeking", at=at(survey.closes_on))
