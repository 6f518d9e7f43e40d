"""The survey waves in the back office: certifiers edit the schedule (checks explained
in French, what was typed kept); nobody deletes a wave; anonymous, candidates and other
staff are refused. And the holder's surveys in « Mes données » and the anonymisation."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from cohorts import personal_data, services
from cohorts.models import SurveyWave
from tests.accounts import log_in
from tests.cohorts.survey_support import make_survey, wave
from tests.factories import UserFactory
from vae.enums import Role

pytestmark = pytest.mark.django_db

FORM = {
    "code": "36-mois",
    "label": "Enquête à 3 ans",
    "months_after_decision": "36",
    "reminder_after_days": "7",
    "open_for_days": "60",
    "active": "on",
}


@pytest.fixture
def certifier_client(client, certifier):
    log_in(client, certifier)
    return client


def edit_url(chosen):
    return reverse("cohorts_waves:edit", args=[chosen.pk])


def test_a_certifier_lists_and_adds_a_wave(certifier_client):
    body = certifier_client.get(reverse("cohorts_waves:index")).content.decode()
    assert "Enquête à 6 mois" in body and "Enquête à 24 mois" in body
    response = certifier_client.post(reverse("cohorts_waves:add"), FORM)
    assert response.status_code == 302
    assert SurveyWave.objects.get(code="36-mois").months_after_decision == 36


def test_a_certifier_stops_a_wave(certifier_client):
    six = wave(6)
    data = {**FORM, "code": six.code, "label": six.label, "months_after_decision": "6"}
    data.pop("active")
    assert certifier_client.post(edit_url(six), data).status_code == 302
    six.refresh_from_db()
    assert six.active is False


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"open_for_days": "7"}, "open_for_days", "L'enquête doit rester ouverte après la relance"),
        ({"months_after_decision": "0"}, "months_after_decision", "entre 1 et 60"),
        ({"months_after_decision": "6"}, "months_after_decision", "existe déjà"),
    ],
    ids=["closes-before-reminder", "zero-months", "same-months"],
)
def test_a_bad_wave_is_explained_and_kept(certifier_client, changes, field, message):
    response = certifier_client.post(reverse("cohorts_waves:add"), {**FORM, **changes})
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    assert 'value="Enquête à 3 ans"' in response.content.decode()
    assert not SurveyWave.objects.filter(code="36-mois").exists()


def test_nobody_deletes_a_wave(certifier_client):
    six = wave(6)
    response = certifier_client.post(reverse("cohorts_waves:delete", args=[six.pk]))
    assert response.status_code in (302, 403)
    assert SurveyWave.objects.filter(pk=six.pk).exists()


def admin_staff(role):
    """Staff of another role who may open the back office (not the certifiers' pages)."""
    user = UserFactory(role=role, is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


VISITORS = {
    "anonymous": lambda: None,
    "candidate": UserFactory,
    "evaluator": lambda: admin_staff(Role.EVALUATOR),
    "jury": lambda: admin_staff(Role.JURY_MEMBER),
}


@pytest.mark.parametrize("who", sorted(VISITORS))
def test_only_certifiers_reach_the_waves(client, who):
    visitor = VISITORS[who]()
    if visitor is not None:
        log_in(client, visitor)
    six = wave(6)
    for url in (reverse("cohorts_waves:index"), edit_url(six)):
        response = client.get(url)
        assert response.status_code == 302
        if visitor is None:
            assert response["Location"].startswith(reverse("accounts:login"))
    client.post(edit_url(six), {**FORM, "code": six.code, "months_after_decision": "6"})
    six.refresh_from_db()
    assert six.open_for_days != 60


# -- personal data ----------------------------------------------------------------------


def test_the_archive_holds_the_answers_not_the_link(referentiel):
    survey = make_survey()
    services.answer(survey, situation="seeking", consent=True)
    [entry] = personal_data.collect_surveys(survey.candidacy.candidate)
    assert entry["enquête"] == "Enquête à 6 mois"
    assert entry["situation"] == "En recherche d'emploi"
    assert str(survey.public_id) not in str(entry)
    assert personal_data.collect_surveys(UserFactory()) == []


JOB = {
    "situation": "employed",
    "job_title": "Administratrice de production chez Films du Nord",
    "in_targeted_job": True,
    "sector": "audiovisual",
    "contract_type": "cdi",
    "working_time": "full",
    "pay_band": "30_40",
}


def test_anonymisation_erases_the_job_title_and_keeps_consented_answers_only(referentiel):
    consented = services.answer(make_survey(), **JOB, consent=True)
    withheld = services.answer(make_survey(), **JOB)
    users = type(consented.candidacy.candidate).objects.filter(
        pk__in=[consented.candidacy.candidate_id, withheld.candidacy.candidate_id]
    )
    lines = personal_data.anonymise_surveys(users, apply=False)
    assert len(lines) == 2
    consented.refresh_from_db()
    assert consented.job_title  # a dry run changes nothing
    personal_data.anonymise_surveys(users, apply=True)
    consented.refresh_from_db()
    withheld.refresh_from_db()
    assert consented.job_title == ""
    assert (consented.situation, consented.contract_type, consented.pay_band) == (
        "employed",
        "cdi",
        "30_40",
    )
    assert (withheld.job_title, withheld.contract_type, withheld.in_targeted_job) == ("", "", None)
    assert withheld.situation == "employed" and withheld.answered_at is not None
