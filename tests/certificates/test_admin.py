"""The certifier's list of issued documents, rectification and cancellation."""

from html import unescape

import pytest
from django.urls import reverse

from certificates import services
from certificates.enums import CredentialStatus
from certificates.models import Credential
from tests.accounts import log_in
from tests.certificates.support import DECIDED_ON
from tests.factories import UserFactory
from vae.enums import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def credential(decided):
    (issued,) = services.issue_credentials(
        candidacy=decided, validated_bloc_codes=[], total=True, decided_on=DECIDED_ON
    )
    return issued


def text(response) -> str:
    return unescape(response.content.decode())


def test_the_certifier_lists_finds_and_rectifies(client, credential, certifier):
    log_in(client, certifier)
    listing = text(client.get(reverse("certificates_admin:list")))
    assert credential.number in listing and credential.holder_name in listing
    found = text(client.get(reverse("certificates_admin:list"), {"q": credential.number.lower()}))
    assert credential.number in found
    none = text(
        client.get(reverse("certificates_admin:list"), {"q": "Personne", "statut": "valid"})
    )
    assert credential.number not in none
    detail = reverse("certificates_admin:detail", args=[credential.pk])
    # No reason: refused, nothing changes, the page explains.
    refused = client.post(detail, {"action": "rectify", "reason": ""})
    assert refused.status_code == 200
    assert Credential.objects.get(pk=credential.pk).status == CredentialStatus.VALID
    response = client.post(detail, {"action": "rectify", "reason": "Prénom mal orthographié."})
    assert response.status_code == 302
    replacement = Credential.objects.get(replaces=credential)
    assert response["Location"] == reverse("certificates_admin:detail", args=[replacement.pk])
    page = text(client.get(detail))
    assert "Rectifié" in page and "Prénom mal orthographié." in page and replacement.number in page
    # A rectified document cannot be rectified or cancelled again: the message says why.
    again = client.post(detail, {"action": "cancel", "reason": "Encore"}, follow=True)
    assert "déjà rectifié" in text(again)


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.EVALUATOR, Role.JURY_MEMBER])
def test_other_roles_are_refused(client, credential, role):
    log_in(client, UserFactory(role=role))
    for url in (
        reverse("certificates_admin:list"),
        reverse("certificates_admin:detail", args=[credential.pk]),
    ):
        assert client.get(url).status_code in (302, 403)
    response = client.post(
        reverse("certificates_admin:detail", args=[credential.pk]),
        {"action": "cancel", "reason": "Piratage"},
    )
    assert response.status_code in (302, 403)
    assert Credential.objects.get(pk=credential.pk).status == CredentialStatus.VALID


def test_anonymous_is_sent_to_log_in(client, credential):
    response = client.get(reverse("certificates_admin:list"))
    assert response.status_code == 302


def test_an_unknown_document_is_not_found(client, certifier):
    log_in(client, certifier)
    assert client.get(reverse("certificates_admin:detail", args=[999999])).status_code == 404
