"""The public verification page: only what the paper says, with its status; unknown
numbers are « introuvable »; lookups are rate-limited per client address."""

from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from certificates import numbers, services
from tests.certificates.support import DECIDED_ON, register
from tests.factories.candidacies import CandidacyFactory
from vae.enums import CandidacyState

pytestmark = pytest.mark.django_db


def page(response) -> str:
    return unescape(response.content.decode())


@pytest.fixture
def certificate(decided):
    (credential,) = services.issue_credentials(
        candidacy=decided, validated_bloc_codes=[], total=True, decided_on=DECIDED_ON
    )
    return credential


def verify_url(number: str) -> str:
    return reverse("certificates:verify", args=[number])


def test_the_page_shows_what_the_paper_says_and_nothing_else(client, certificate):
    response = client.get(verify_url(certificate.number))
    assert response.status_code == 200
    html = page(response)
    identity = certificate.candidacy.eligibility_request
    assert "Document valide." in html
    assert certificate.holder_name in html
    assert certificate.certification_title in html
    assert "20 novembre 2026" in html
    # Nothing of livret 1 beyond the name: no birth date or place, no address, no e-mail.
    for private in ("1988", "Lyon", identity.address, certificate.candidacy.candidate.email):
        assert private not in html, private
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_a_number_typed_loosely_finds_its_document(client, certificate):
    typed = certificate.number.lower().replace("-", " ")
    response = client.get(reverse("certificates:lookup"), {"numero": typed})
    assert response.status_code == 302
    assert response["Location"] == verify_url(certificate.number)
    loose = client.get(verify_url(certificate.number.replace("-", "").lower()))
    assert loose.status_code == 200


def test_a_malformed_number_is_explained_and_kept_in_the_field(client):
    response = client.get(reverse("certificates:lookup"), {"numero": "ABC-123"})
    assert response.status_code == 200
    html = page(response)
    assert "n'a pas la forme d'un numéro de document" in html
    assert 'value="ABC-123"' in html


@pytest.mark.parametrize("number", ["7K3M-9QXD-2B4T-HW8C", "n-importe-quoi", "²" * 16])
def test_an_unknown_number_is_introuvable(client, certificate, number):
    response = client.get(verify_url(number))
    assert response.status_code == 404
    assert "Document introuvable" in page(response)
    assert certificate.holder_name not in page(response)


def test_rectified_and_cancelled_documents_say_so(client, certificate, certifier):
    replacement = services.rectify(certificate, by=certifier, reason="Nom d'usage ajouté.")
    html = page(client.get(verify_url(certificate.number)))
    assert "Document rectifié" in html
    assert replacement.number in html
    assert "Nom d'usage ajouté." not in html  # the reason is the holder's, not the public's
    assert "Document valide." in page(client.get(verify_url(replacement.number)))
    services.cancel(replacement, by=certifier, reason="Décision annulée.")
    assert "Document annulé" in page(client.get(verify_url(replacement.number)))


def test_unknown_numbers_are_slowed_down_per_client_address(settings, certificate):
    settings.VAE_VERIFY_MISSES_PER_IP = 3
    trying = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(3):
        assert trying.get(verify_url(numbers.new_number())).status_code == 404
    # Past the limit even a genuine number is refused, with when to come back.
    refused = trying.get(verify_url(certificate.number))
    assert refused.status_code == 429
    assert refused["Retry-After"] == str(settings.VAE_VERIFY_WINDOW)
    assert certificate.holder_name not in page(refused)
    # Another address is not affected.
    other = Client(REMOTE_ADDR="198.51.100.4")
    assert other.get(verify_url(certificate.number)).status_code == 200


def test_lookups_are_limited_per_client_address(settings, certificate):
    settings.VAE_VERIFY_LOOKUPS_PER_IP = 2
    checker = Client(REMOTE_ADDR="203.0.113.8")
    assert [checker.get(verify_url(certificate.number)).status_code for _ in range(3)] == [
        200,
        200,
        429,
    ]


def test_the_document_stays_verifiable_when_another_candidacy_is_started(client, certificate):
    # A later candidacy of the same person (the remaining blocs) changes nothing here.
    later = CandidacyFactory(candidate=certificate.candidacy.candidate, state=CandidacyState.DRAFT)
    register(later.certification)
    assert client.get(verify_url(certificate.number)).status_code == 200
