"""The synonym list in the back office: certifiers edit it, the search uses the change at
once; other staff are refused; a bad entry is explained and what was typed is kept."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from search.models import Synonym
from search.query import parse
from tests.accounts import log_in
from tests.factories import UserFactory
from vae.enums import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def certifier_client(client, db):
    log_in(client, UserFactory(role=Role.CERTIFIER))
    return client


def group_texts(raw):
    return [clause.text for clause in parse(raw).groups[0]]


def test_the_seeded_list_is_shown(certifier_client):
    response = certifier_client.get(reverse("search_synonyms:index"))
    assert response.status_code == 200
    assert "DPAE" in response.content.decode()


def test_a_certifier_adds_a_synonym_used_at_once(certifier_client):
    assert group_texts("PPM") == ["PPM"]
    response = certifier_client.post(
        reverse("search_synonyms:add"),
        {"term": "PPM", "equivalents": "préparation\r\nplan de production"},
    )
    assert response.status_code == 302
    assert Synonym.objects.get(term="PPM").equivalent_list == ["préparation", "plan de production"]
    assert group_texts("PPM") == ["PPM", "préparation", "plan de production"]


def test_a_synonym_without_equivalents_is_explained_and_the_term_kept(certifier_client):
    response = certifier_client.post(
        reverse("search_synonyms:add"), {"term": "PPM", "equivalents": " \r\n "}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["equivalents"]
    assert 'aria-invalid="true" id="id_equivalents"' in response.content.decode()
    assert 'value="PPM"' in response.content.decode()
    assert not Synonym.objects.filter(term="PPM").exists()


def test_too_long_equivalents_are_refused_with_the_text_kept(certifier_client):
    typed = "x" * 1_001
    response = certifier_client.post(
        reverse("search_synonyms:add"), {"term": "PPM", "equivalents": typed}
    )
    assert response.status_code == 200
    assert typed in response.content.decode()
    assert not Synonym.objects.filter(term="PPM").exists()


@pytest.mark.parametrize(
    "role", [Role.EVALUATOR, Role.JURY_MEMBER, None], ids=["evaluator", "jury", "staff"]
)
def test_other_staff_are_refused(client, role):
    user = UserFactory(role=role, is_staff=True) if role else UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    log_in(client, user)
    for url in (reverse("search_synonyms:index"), reverse("search_synonyms:add")):
        response = client.get(url)
        assert response.status_code == 302
    client.post(reverse("search_synonyms:add"), {"term": "PPM", "equivalents": "x"})
    assert not Synonym.objects.filter(term="PPM").exists()


def test_anonymous_is_sent_to_the_login(client, db):
    response = client.get(reverse("search_synonyms:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
