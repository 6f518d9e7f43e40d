"""Every page of the overview and of the links, as anonymous, wrong role, another
candidate, and the owner in a wrong state: refused, nothing written, nothing revealed."""

import pytest
from django.urls import reverse

from livret.models import Dossier
from tests.accounts import log_in
from tests.factories import CandidacyFactory, UserFactory
from tests.livret.dossier.support import (
    ALL_PAGES,
    CONFIRM,
    READ_PAGES,
    WRITE_PAGES,
    page,
    post_data,
    resolve,
    snapshot,
    url,
)
from vae.enums import CandidacyState, Role

pytestmark = pytest.mark.django_db


def requests(candidacy):
    for name, kwargs in ALL_PAGES:
        target = resolve(candidacy, name, kwargs)
        yield name, "get", target, None
        if (name, kwargs) not in READ_PAGES:
            yield name, "post", target, post_data(candidacy, name)


@pytest.fixture
def target(referentiel):
    return CandidacyFactory(state=CandidacyState.ELIGIBLE)


def test_anonymous_is_sent_to_login(client, target):
    before = snapshot(target)
    login = reverse("accounts:login")
    for name, method, address, data in requests(target):
        response = getattr(client, method)(address, data)
        assert response.status_code == 302, name
        assert response.url.startswith(login), name
    assert snapshot(target) == before


@pytest.mark.parametrize("role", [Role.EVALUATOR, Role.CERTIFIER, Role.JURY_MEMBER, Role.CANDIDATE])
def test_anyone_but_the_owner_gets_404(client, target, role):
    log_in(client, UserFactory(role=role))
    before = snapshot(target)
    for name, method, address, data in requests(target):
        response = getattr(client, method)(address, data)
        assert response.status_code == 404, (name, method)
        assert target.candidate.last_name not in page(response)
    assert snapshot(target) == before


def test_another_candidate_with_a_dossier_gets_404(client, target, referentiel):
    other = CandidacyFactory(state=CandidacyState.ELIGIBLE)
    log_in(client, other.candidate)
    before = snapshot(target)
    for name, method, address, data in requests(target):
        assert getattr(client, method)(address, data).status_code == 404, (name, method)
    assert snapshot(target) == before


@pytest.mark.parametrize(
    "state",
    [CandidacyState.DRAFT, CandidacyState.ELIGIBILITY_SUBMITTED, CandidacyState.INELIGIBLE],
)
def test_no_livret_2_before_recevabilite(client, referentiel, state):
    candidacy = CandidacyFactory(state=state)
    competence = referentiel.blocs.first().activities.first().competences.first()
    values = {"link": 1, "competence": competence.pk}
    log_in(client, candidacy.candidate)
    for name, kwargs in ALL_PAGES:
        address = url(name, candidacy, **{k: values[v] for k, v in kwargs.items()})
        assert client.get(address).status_code == 404, name
        if name == "livret:dossier_submit":
            assert client.post(address, CONFIRM).status_code == 404
    # The gate is passed before the dossier would be created.
    assert not Dossier.objects.filter(candidacy=candidacy).exists()
    candidacy.refresh_from_db()
    assert candidacy.state == state


@pytest.mark.parametrize(
    "state",
    [
        CandidacyState.DOSSIER_SUBMITTED,
        CandidacyState.UNDER_REVIEW,
        CandidacyState.DECIDED,
        CandidacyState.WITHDRAWN,
    ],
)
def test_owner_reads_but_cannot_write_outside_eligible(client, referentiel, state):
    candidacy = CandidacyFactory(state=state)
    log_in(client, candidacy.candidate)
    before = snapshot(candidacy)
    for name, kwargs in READ_PAGES:
        response = client.get(resolve(candidacy, name, kwargs))
        assert response.status_code == 200, name
        text = page(response)
        assert "lecture seule" in text
        assert "Modifier<span" not in text and "Lier une pièce" not in text
    for name, kwargs in WRITE_PAGES:
        address = resolve(candidacy, name, kwargs)
        response = client.get(address)
        assert response.status_code == 302, name
        assert response.url == url("livret:dossier", candidacy)
        assert client.post(address, post_data(candidacy, name)).status_code == 403, name
    # The confirmation step is not offered; a confirmed POST is refused with the reason.
    submit = url("livret:dossier_submit", candidacy)
    response = client.get(submit)
    assert (response.status_code, response.url) == (302, url("livret:dossier", candidacy))
    response = client.post(submit, post_data(candidacy, "livret:dossier_submit"))
    assert response.status_code == 200
    assert "Cette action n'est pas possible" in page(response)
    assert snapshot(candidacy) == before


def test_the_refusal_says_why_on_the_overview(client, referentiel):
    candidacy = CandidacyFactory(state=CandidacyState.DOSSIER_SUBMITTED)
    log_in(client, candidacy.candidate)
    response = client.get(url("livret:link_add", candidacy), follow=True)
    assert "Votre dossier est déposé : il est en lecture seule" in page(response)


def test_owner_in_eligible_state_reaches_every_page(client, target):
    log_in(client, target.candidate)
    for name, method, address, _data in requests(target):
        if method == "get":
            assert client.get(address).status_code == 200, name


@pytest.mark.parametrize("name", [name for name, _kwargs in ALL_PAGES])
def test_methods_not_allowed(client, target, name):
    log_in(client, target.candidate)
    kwargs = dict(ALL_PAGES)[name]
    address = resolve(target, name, kwargs)
    before = snapshot(target)
    if (name, kwargs) in READ_PAGES:
        assert client.post(address, {}).status_code == 405
    else:
        assert client.put(address).status_code == 405
    assert snapshot(target) == before
