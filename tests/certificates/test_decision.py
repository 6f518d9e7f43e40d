"""The documents follow the signed decision: issued at ``decide`` when every fact they
print is known, otherwise listed for the certifier, who issues them once it is."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from certificates import selectors, services
from certificates.enums import CredentialKind
from certificates.models import Credential
from tests.accounts import log_in
from tests.certificates.support import register
from tests.factories import UserFactory
from tests.jury.deliberation_support import decide, heard
from vae.enums import Role
from vae.workflow import TransitionRefused

pytestmark = pytest.mark.django_db


def test_a_validation_totale_issues_the_certificate_at_the_decision(referentiel):
    register(referentiel)
    slot = heard()
    decide(slot)
    (certificate,) = Credential.objects.filter(candidacy=slot.candidacy)
    assert certificate.kind == CredentialKind.CERTIFICATE
    assert certificate.issued_by is None  # issued by the platform, at the decision


def test_a_partial_validation_issues_an_attestation_per_validated_bloc(referentiel):
    register(referentiel)
    slot = heard()
    decide(slot, against=("BC2",))
    issued = Credential.objects.filter(candidacy=slot.candidacy).order_by("bloc_code")
    assert [(c.kind, c.bloc_code) for c in issued] == [
        (CredentialKind.BLOC_ATTESTATION, "BC1"),
        (CredentialKind.BLOC_ATTESTATION, "BC3"),
    ]


def test_a_missing_fact_does_not_stop_the_decision_and_the_certifier_issues_later(
    referentiel, client, certifier
):
    slot = heard()  # no registration entered
    decide(slot)
    candidacy = slot.candidacy
    assert candidacy.state == "decided"
    assert not Credential.objects.exists()
    log_in(client, certifier)
    page = client.get(reverse("certificates_admin:list")).content.decode()
    assert "Décisions sans document" in page and candidacy.reference in page
    assert "enregistrement RNCP" in page
    issue = reverse("certificates_admin:issue", args=[candidacy.pk])
    refused = client.post(issue, follow=True)
    assert "ne peuvent pas encore être délivrés" in refused.content.decode()
    register(referentiel)
    response = client.post(issue)
    assert response.status_code == 302
    (certificate,) = Credential.objects.filter(candidacy=candidacy)
    assert certificate.issued_by == certifier
    listing = client.get(reverse("certificates_admin:list")).content.decode()
    assert "Décisions sans document" not in listing


def test_a_refusal_issues_nothing_and_waits_for_nothing(referentiel):
    register(referentiel)
    slot = heard(rating="non_acquis")
    decide(slot, against=("BC1", "BC2", "BC3"))  # the computed outcome: none validated
    assert services.issue_for_decision(slot.candidacy) == []
    assert not Credential.objects.exists()
    assert slot.candidacy not in selectors.awaiting_issue()


def test_no_document_without_a_signed_decision(referentiel):
    slot = heard()
    with pytest.raises(TransitionRefused):
        services.issue_for_decision(slot.candidacy)


def test_only_certifiers_issue_from_the_back_office(referentiel, client):
    slot = heard()
    decide(slot)
    register(referentiel)
    for role in (Role.CANDIDATE, Role.EVALUATOR, Role.JURY_MEMBER):
        client.logout()
        log_in(client, UserFactory(role=role))
        response = client.post(reverse("certificates_admin:issue", args=[slot.candidacy.pk]))
        assert response.status_code in (302, 403)
    assert not Credential.objects.exists()


def test_a_partial_validation_missing_one_attestation_is_listed(referentiel, certifier):
    register(referentiel)
    slot = heard()
    decide(slot, against=("BC2",))
    assert slot.candidacy not in selectors.awaiting_issue()
    bc3 = Credential.objects.get(candidacy=slot.candidacy, bloc_code="BC3")
    services.cancel(bc3, by=certifier, reason="Émis par erreur sur un mauvais dossier.")
    assert list(selectors.awaiting_issue()) == [slot.candidacy]
    services.issue_for_decision(slot.candidacy, by=certifier)
    assert slot.candidacy not in selectors.awaiting_issue()


def test_the_waiting_list_reads_in_constant_queries(referentiel, client, certifier):
    """Each listed decision's missing facts come from bulk reads, not a query per row."""
    log_in(client, certifier)
    url = reverse("certificates_admin:list")

    def queries_for_the_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    decide(heard())  # no registration entered: the decision waits for its documents
    one = queries_for_the_page()
    for _ in range(3):
        decide(heard())
    assert len(selectors.awaiting_issue()) == 4
    assert queries_for_the_page() == one
