"""Every livret 1 view as anonymous, wrong role, another candidate, wrong object and wrong
state: refused, the owner's data never shown, nothing written."""

import pytest
from django.urls import reverse

from livret.eligibility.completeness import SECTION_SLUGS
from tests.accounts import log_in
from tests.factories import CandidacyFactory
from tests.livret.helpers import (
    VALID_EXPERIENCE,
    VALID_IDENTITY,
    VALID_TRAINING,
    make_user,
    page,
    snapshot,
    url,
)
from vae.enums import CandidacyState

pytestmark = pytest.mark.django_db

SECRET_NAME = "Zébulon-Confidentiel"

SECTION_DATA = {
    "identite": {**VALID_IDENTITY, "birth_name": "Intrus"},
    "situation": {"situation": "cdd"},
    "experiences": {},
    "formations": {"aucune-no_training": "on"},
    "blocs": "first-bloc",
    "amenagements": {"needs_accommodation": "oui", "accommodation_details": "Tiers temps"},
    "declaration": {"certify": "on", "sworn_name": "Intrus Total", "sworn_place": "Ailleurs"},
}

CONFIRMED = {"confirmation": "oui"}

# (url name, extra url kwargs, POST data): every page of livret 1.
EDIT_VIEWS = [
    *[("livret:section", {"slug": slug}, SECTION_DATA[slug]) for slug in SECTION_SLUGS],
    ("livret:experience_add", {}, VALID_EXPERIENCE),
    ("livret:experience_edit", {"pk": "experience"}, VALID_EXPERIENCE),
    ("livret:experience_delete", {"pk": "experience"}, {}),
    ("livret:training_add", {}, VALID_TRAINING),
    ("livret:training_edit", {"pk": "training"}, VALID_TRAINING),
    ("livret:training_delete", {"pk": "training"}, {}),
]
ALL_REQUESTS = [
    ("livret:livret1", {}, "get", None),
    ("livret:submit", {}, "get", None),
    ("livret:submit", {}, "post", {"confirmation": "oui"}),
    *[(name, kwargs, "get", None) for name, kwargs, _data in EDIT_VIEWS],
    *[(name, kwargs, "post", data) for name, kwargs, data in EDIT_VIEWS],
]


def request_id(value):
    if isinstance(value, dict):
        return value.get("slug", value.get("pk", "")) if value else ""
    return value if isinstance(value, str) else None


def make_target(state=CandidacyState.DRAFT):
    """A candidacy with a complete livret 1, one experience and one training."""
    candidacy = CandidacyFactory(state=state, livret="complete")
    request = candidacy.eligibility_request
    request.birth_name = SECRET_NAME
    request.no_training = False
    request.save()
    request.trainings.create(title="Licence d'économie", year=2008, outcome="obtenu")
    return candidacy


def resolve(candidacy, name, kwargs, data):
    request = candidacy.eligibility_request
    objects = {
        "experience": lambda: request.experiences.get().pk,
        "training": lambda: request.trainings.get().pk,
    }
    kwargs = {key: objects[value]() if value in objects else value for key, value in kwargs.items()}
    if data == "first-bloc":
        data = {"blocs": [candidacy.certification.blocs.order_by("code").first().pk]}
    return url(name, candidacy, **kwargs), data


def send(client, method, target, data):
    return client.post(target, data) if method == "post" else client.get(target)


@pytest.mark.parametrize("name, kwargs, method, data", ALL_REQUESTS, ids=request_id)
def test_anonymous_is_sent_to_login(referentiel, client, name, kwargs, method, data):
    candidacy = make_target()
    target, data = resolve(candidacy, name, kwargs, data)
    before = snapshot(candidacy)
    response = send(client, method, target, data)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert "next=" in response.url
    assert snapshot(candidacy) == before


@pytest.mark.parametrize("kind", ["candidate", "evaluator", "jury", "certifier"])
@pytest.mark.parametrize("name, kwargs, method, data", ALL_REQUESTS, ids=request_id)
def test_anyone_but_the_owner_gets_404(referentiel, client, kind, name, kwargs, method, data):
    candidacy = make_target()
    target, data = resolve(candidacy, name, kwargs, data)
    log_in(client, make_user(kind))
    before = snapshot(candidacy)
    response = send(client, method, target, data)
    assert response.status_code == 404
    assert SECRET_NAME not in page(response)
    assert snapshot(candidacy) == before


@pytest.mark.parametrize("state", [CandidacyState.ELIGIBILITY_SUBMITTED, CandidacyState.ELIGIBLE])
@pytest.mark.parametrize("name, kwargs, data", EDIT_VIEWS, ids=request_id)
def test_owner_cannot_edit_once_submitted(referentiel, client, state, name, kwargs, data):
    candidacy = make_target(state)
    target, data = resolve(candidacy, name, kwargs, data)
    log_in(client, candidacy.candidate)
    before = snapshot(candidacy)

    response = client.get(target)
    assert response.status_code == 302
    assert response.url == url("livret:livret1", candidacy)
    summary = page(client.get(response.url))
    assert "Votre livret 1 ne peut plus être modifié" in summary
    assert SECRET_NAME in summary  # the read-only livret

    response = client.post(target, data)
    assert response.status_code == 403
    assert snapshot(candidacy) == before


@pytest.mark.parametrize("state", [CandidacyState.ELIGIBILITY_SUBMITTED, CandidacyState.ELIGIBLE])
def test_owner_sees_the_summary_read_only_once_submitted(referentiel, client, state):
    candidacy = make_target(state)
    log_in(client, candidacy.candidate)
    response = client.get(url("livret:livret1", candidacy))
    assert response.status_code == 200
    text = page(response)
    assert "n'est plus modifiable" in text
    assert SECRET_NAME in text
    assert "Les Films du Lendemain" in text
    assert "Licence d'économie" in text
    assert url("livret:submit", candidacy) not in text
    for slug in SECTION_SLUGS:
        assert url("livret:section", candidacy, slug=slug) not in text


@pytest.mark.parametrize("state", [CandidacyState.ELIGIBILITY_SUBMITTED, CandidacyState.ELIGIBLE])
@pytest.mark.parametrize("method, data", [("get", None), ("post", {}), ("post", CONFIRMED)])
def test_submitting_again_is_refused(referentiel, client, state, method, data):
    candidacy = make_target(state)
    log_in(client, candidacy.candidate)
    before = snapshot(candidacy)
    response = send(client, method, url("livret:submit", candidacy), data)
    assert response.status_code == 200
    text = page(response)
    assert "Cette action n'est pas possible : la candidature est à l'état" in text
    assert 'name="confirmation"' not in text  # nothing to confirm
    assert snapshot(candidacy) == before


@pytest.mark.parametrize("name", ["livret:experience_edit", "livret:experience_delete"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_experience_of_another_livret_is_404(referentiel, client, name, method):
    mine, theirs = make_target(), make_target()
    foreign = theirs.eligibility_request.experiences.get()
    log_in(client, mine.candidate)
    before = snapshot(theirs)
    target = url(name, mine, pk=foreign.pk)
    response = send(client, method, target, VALID_EXPERIENCE)
    assert response.status_code == 404
    assert snapshot(theirs) == before


@pytest.mark.parametrize("name", ["livret:training_edit", "livret:training_delete"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_training_of_another_livret_is_404(referentiel, client, name, method):
    mine, theirs = make_target(), make_target()
    foreign = theirs.eligibility_request.trainings.get()
    log_in(client, mine.candidate)
    before = snapshot(theirs)
    response = send(client, method, url(name, mine, pk=foreign.pk), VALID_TRAINING)
    assert response.status_code == 404
    assert snapshot(theirs) == before


def test_unknown_section_and_candidacy_are_404(referentiel, client):
    candidacy = make_target()
    log_in(client, candidacy.candidate)
    assert client.get(url("livret:section", candidacy, slug="inconnue")).status_code == 404
    missing = reverse("livret:livret1", kwargs={"candidacy_pk": candidacy.pk + 1000})
    assert client.get(missing).status_code == 404


def test_experience_list_does_not_accept_post(referentiel, client):
    candidacy = make_target()
    log_in(client, candidacy.candidate)
    response = client.post(url("livret:section", candidacy, slug="experiences"), {})
    assert response.status_code == 405


def test_inactive_owner_is_refused(referentiel, client):
    candidacy = make_target()
    candidate = candidacy.candidate
    log_in(client, candidate)
    candidate.is_active = False
    candidate.save()
    response = client.get(url("livret:livret1", candidacy))
    # Django no longer authenticates an inactive user: back to the login page.
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert SECRET_NAME not in page(response)
