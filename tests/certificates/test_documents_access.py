"""Who downloads an issued document's PDF, and what outlives the holder's account."""

import pytest
from django.urls import reverse

from certificates import services
from tests.accounts import log_in
from tests.certificates.support import DECIDED_ON
from tests.factories import UserFactory
from vae.documents import tasks
from vae.enums import Role
from vae.models import GeneratedDocument, User
from vae.personal_data.core import anonymise_accounts, delete_generated_documents

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(decided):
    (credential,) = services.issue_credentials(
        candidacy=decided, validated_bloc_codes=[], total=True, decided_on=DECIDED_ON
    )
    row = GeneratedDocument.objects.get(key=credential.document_key)
    tasks.generate(row.pk, row.version)
    return credential, row


def download(client, row):
    response = client.get(reverse("documents:download", args=[row.pk]))
    if response.status_code == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    return response.status_code


def test_the_holder_and_certifiers_download_it_nobody_else(client, ready, certifier):
    credential, row = ready
    assert download(client, row) in (302, 403, 404)  # anonymous: to the login page
    log_in(client, credential.candidacy.candidate)
    assert download(client, row) == 200
    for someone in (
        UserFactory(role=Role.CANDIDATE),
        UserFactory(role=Role.EVALUATOR),
        UserFactory(role=Role.JURY_MEMBER),
    ):
        client.logout()
        log_in(client, someone)
        assert download(client, row) in (403, 404), someone
    client.logout()
    log_in(client, certifier)
    assert download(client, row) == 200


def test_the_document_outlives_the_anonymised_account(client, ready):
    credential, row = ready
    holder = User.objects.filter(pk=credential.candidacy.candidate_id)
    anonymise_accounts(holder, apply=True)
    delete_generated_documents(holder, apply=True)
    # The PDF is a retained kind; the credential keeps the identity it printed.
    assert GeneratedDocument.objects.filter(pk=row.pk).exists()
    response = client.get(reverse("certificates:verify", args=[credential.number]))
    assert response.status_code == 200
    assert credential.holder_name in response.content.decode()


def test_the_holder_finds_the_documents_on_the_candidacy_page(client, ready, certifier):
    credential, row = ready
    candidacy = credential.candidacy
    log_in(client, candidacy.candidate)
    html = client.get(reverse("candidacy:detail", args=[candidacy.pk])).content.decode()
    assert "Mes documents officiels" in html
    assert credential.number in html
    assert reverse("documents:download", args=[row.pk]) in html
    assert reverse("certificates:verify", args=[credential.number]) in html
    services.cancel(credential, by=certifier, reason="Décision annulée en appel.")
    html = client.get(reverse("candidacy:detail", args=[candidacy.pk])).content.decode()
    assert "annulé" in html and "Décision annulée en appel." in html
    assert reverse("documents:download", args=[row.pk]) not in html
