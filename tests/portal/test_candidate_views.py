"""The candidate's dashboard, candidacy page, start and withdraw: content and access."""

import datetime

import pytest
from django.urls import reverse

from tests.accounts import log_in
from tests.factories import CandidacyFactory, UserFactory
from vae.enums import CandidacyState as S
from vae.enums import Role
from vae.models import AcquiredBloc, Candidacy


@pytest.fixture
def candidacy(referentiel):
    return CandidacyFactory(state=S.DRAFT)


def urls(candidacy):
    return {
        "dashboard": reverse("candidacy:dashboard"),
        "detail": reverse("candidacy:detail", args=[candidacy.pk]),
        "withdraw": reverse("candidacy:withdraw", args=[candidacy.pk]),
    }


@pytest.mark.parametrize("name", ["dashboard", "detail", "withdraw"])
def test_anonymous_is_sent_to_login(client, candidacy, name):
    url = urls(candidacy)[name]
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_anonymous_cannot_start(client, referentiel):
    response = client.post(reverse("candidacy:start"))
    assert response.status_code == 302
    assert not Candidacy.objects.exists()


@pytest.mark.parametrize("role", [Role.EVALUATOR, Role.JURY_MEMBER, Role.CERTIFIER])
@pytest.mark.parametrize("name", ["dashboard", "detail", "withdraw"])
def test_other_roles_are_refused(client, candidacy, role, name):
    log_in(client, UserFactory(role=role))
    assert client.get(urls(candidacy)[name]).status_code == 403


@pytest.mark.parametrize("role", [Role.EVALUATOR, Role.CERTIFIER])
def test_other_roles_cannot_start(client, referentiel, role):
    log_in(client, UserFactory(role=role))
    assert client.post(reverse("candidacy:start")).status_code == 403
    assert not Candidacy.objects.exists()


@pytest.mark.parametrize("name", ["detail", "withdraw"])
def test_another_candidates_candidacy_is_not_found(client, candidacy, name):
    intruder = UserFactory(role=Role.CANDIDATE)
    CandidacyFactory(candidate=intruder)
    log_in(client, intruder)
    response = client.get(urls(candidacy)[name])
    assert response.status_code == 404
    assert candidacy.candidate.email not in response.content.decode()


def test_another_candidate_cannot_withdraw(client, candidacy):
    log_in(client, UserFactory(role=Role.CANDIDATE))
    assert client.post(urls(candidacy)["withdraw"]).status_code == 404
    candidacy.refresh_from_db()
    assert candidacy.state == S.DRAFT


def test_dashboard_without_candidacy_offers_to_start(client, referentiel):
    user = UserFactory(role=Role.CANDIDATE)
    log_in(client, user)
    page = client.get(reverse("candidacy:dashboard")).content.decode()
    assert "Commencer ma candidature" in page
    response = client.post(reverse("candidacy:start"), follow=True)
    candidacy = Candidacy.objects.get(candidate=user)
    assert response.redirect_chain[-1][0] == reverse("candidacy:detail", args=[candidacy.pk])
    assert "Votre candidature est ouverte" in response.content.decode()


def test_starting_twice_says_why(client, candidacy):
    log_in(client, candidacy.candidate)
    response = client.post(reverse("candidacy:start"), follow=True)
    assert "déjà une candidature en cours" in response.content.decode()
    assert Candidacy.objects.filter(candidate=candidacy.candidate).count() == 1


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (S.DRAFT, "Remplissez votre livret 1"),
        (S.ELIGIBILITY_SUBMITTED, "en cours d'examen par le certificateur"),
        (S.ELIGIBLE, "Vous pouvez rédiger votre dossier de validation"),
    ],
)
def test_dashboard_says_state_and_next_step(client, referentiel, state, expected):
    candidacy = CandidacyFactory(state=state)
    log_in(client, candidacy.candidate)
    page = client.get(reverse("candidacy:dashboard")).content.decode()
    assert S(state).label.replace("'", "&#x27;") in page
    assert expected.replace("'", "&#x27;") in page
    assert "Commencer ma candidature" not in page


def test_detail_shows_timeline_and_certifier_comment(client, referentiel):
    from vae import services

    certifier = UserFactory(role=Role.CERTIFIER, first_name="Sophie", last_name="Lefèvre")
    candidacy = CandidacyFactory(state=S.DRAFT)
    services.submit_eligibility(candidacy=candidacy, by=candidacy.candidate)
    services.return_eligibility(
        candidacy=candidacy, by=certifier, comment="Précisez vos dates chez Gaumont."
    )
    log_in(client, candidacy.candidate)
    page = client.get(reverse("candidacy:detail", args=[candidacy.pk])).content.decode()
    assert "Précisez vos dates chez Gaumont." in page
    assert "Message du certificateur" in page
    assert "Envoi du livret 1" in page
    assert "Livret 1 renvoyé pour correction" in page
    assert "par le certificateur" in page
    assert "Lefèvre" not in page  # staff stay unnamed to candidates
    assert reverse("livret:livret1", args=[candidacy.pk]) in page


def test_closed_candidacy_after_rejection(client, referentiel):
    candidacy = CandidacyFactory(state=S.INELIGIBLE)
    log_in(client, candidacy.candidate)
    page = client.get(reverse("candidacy:dashboard")).content.decode()
    assert "Candidatures précédentes" in page
    assert "Commencer ma candidature" in page


def test_acquired_blocs_on_dashboard(client, candidacy):
    AcquiredBloc.objects.create(
        candidate=candidacy.candidate,
        certification_code=candidacy.certification_code,
        bloc_code="BC3",
        bloc_title="Gestion de la paie",
        acquired_on=datetime.date(2025, 6, 30),
    )
    log_in(client, candidacy.candidate)
    page = client.get(reverse("candidacy:dashboard")).content.decode()
    assert "Blocs de compétences déjà validés" in page
    assert "BC3" in page
    assert "30 juin 2025" in page


def test_withdraw_asks_then_closes(client, candidacy, django_capture_on_commit_callbacks):
    log_in(client, candidacy.candidate)
    url = reverse("candidacy:withdraw", args=[candidacy.pk])
    assert "définitive" in client.get(url).content.decode()
    candidacy.refresh_from_db()
    assert candidacy.state == S.DRAFT  # a GET changes nothing
    response = client.post(url, {"comment": "Je change de métier."})
    assert response.status_code == 302
    candidacy.refresh_from_db()
    assert candidacy.state == S.WITHDRAWN
    entry = candidacy.transitions.get()
    assert (entry.actor, entry.actor_role, entry.comment) == (
        candidacy.candidate,
        Role.CANDIDATE,
        "Je change de métier.",
    )


def test_withdraw_a_closed_candidacy_changes_nothing(client, referentiel):
    candidacy = CandidacyFactory(state=S.WITHDRAWN)
    log_in(client, candidacy.candidate)
    response = client.post(reverse("candidacy:withdraw", args=[candidacy.pk]), follow=True)
    assert "déjà close" in response.content.decode()
    assert not candidacy.transitions.exists()
