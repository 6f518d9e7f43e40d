"""The registration with France compétences is entered in the back office, on a published
(locked) version too, by certifiers only; wrong values are explained."""

from html import unescape

import pytest
from django.urls import reverse

from referentiel.models import CertificationRegistration
from tests.accounts import log_in
from tests.factories import UserFactory
from vae.enums import Role

pytestmark = pytest.mark.django_db

ADD = "wagtailsnippets_referentiel_certificationregistration:add"


def form(certification, **changes):
    return {
        "certification": certification.pk,
        "certifier_legal_name": "CPNEF de l'audiovisuel",
        "rncp_number": "RNCP12345",
        "decision_date": "2024-03-28",
        "nsf_codes": "320, 323p",
        "signatory_name": "Camille Exemple",
        "signatory_title": "Présidente",
        "issue_place": "Paris",
        **changes,
    }


def test_a_certifier_registers_a_published_version(client, referentiel):
    log_in(client, UserFactory(role=Role.CERTIFIER))
    assert referentiel.status == "published"
    response = client.post(reverse(ADD), form(referentiel))
    assert response.status_code == 302, unescape(response.content.decode())[:3000]
    registration = CertificationRegistration.objects.get(certification=referentiel)
    assert (registration.rncp_number, registration.missing_fields()) == ("RNCP12345", [])
    assert registration.european_level == referentiel.level


def test_a_malformed_number_is_explained_and_nothing_is_lost(client, referentiel):
    log_in(client, UserFactory(role=Role.CERTIFIER))
    response = client.post(reverse(ADD), form(referentiel, rncp_number="12345", nsf_codes="abc"))
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "Un numéro RNCP s'écrit « RNCP » suivi de chiffres." in html
    assert "Des codes NSF séparés par des virgules" in html
    assert 'value="Camille Exemple"' in html
    assert not CertificationRegistration.objects.exists()


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.EVALUATOR, Role.JURY_MEMBER])
def test_other_roles_cannot_register(client, referentiel, role):
    log_in(client, UserFactory(role=role))
    response = client.post(reverse(ADD), form(referentiel))
    assert response.status_code in (302, 403)
    assert not CertificationRegistration.objects.exists()


def test_anonymous_is_sent_to_log_in(client, referentiel):
    response = client.get(reverse(ADD))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
