"""Every opening of a candidate's file by someone else is recorded, and the certifier
reads the record in the back office."""

import re

import pytest
from django.urls import reverse

from livret.dossier.export import request_export
from tests.accounts import log_in
from tests.documents import pdf_bytes, run_document_tasks
from tests.factories import UserFactory
from tests.factories.candidacies import CandidacyFactory
from tests.vae.personal_data_support import evidence_of, evidence_url
from vae.enums import Role
from vae.models import AccessedFile, FileAccess

pytestmark = pytest.mark.django_db

LOG_URL = "/admin/consultations/"


@pytest.fixture
def candidacy(referentiel):
    """A submitted dossier, its panel formed and declared: evaluators may read it."""
    return CandidacyFactory(panel_ready=True)


def _evaluator(candidacy):
    return candidacy.assignments.select_related("evaluator").first().evaluator


def _download(client, url):
    response = client.get(url)
    if response.status_code == 200:
        b"".join(response.streaming_content)
    return response


@pytest.mark.parametrize("who", ["evaluator", "certifier"])
def test_a_reader_opening_a_piece_is_recorded_once(client, candidacy, who):
    user = _evaluator(candidacy) if who == "evaluator" else UserFactory(role=Role.CERTIFIER)
    piece = evidence_of(candidacy)
    log_in(client, user)

    assert _download(client, evidence_url(piece)).status_code == 200

    access = FileAccess.objects.get()
    assert (access.user, access.candidacy, access.kind, access.object_id, access.label) == (
        user,
        candidacy,
        AccessedFile.EVIDENCE,
        piece.pk,
        piece.title,
    )


def test_an_evaluator_reading_a_pages_text_is_recorded(client, candidacy):
    evaluator = _evaluator(candidacy)
    assignment = candidacy.assignments.get(evaluator=evaluator)
    piece = evidence_of(candidacy)
    log_in(client, evaluator)
    url = reverse("review:evidence_page", args=[assignment.pk, piece.pk, 2])
    assert client.get(url).status_code == 200
    access = FileAccess.objects.get()
    assert (access.user, access.candidacy, access.object_id) == (evaluator, candidacy, piece.pk)
    assert access.label == "Bulletins de paie 2024 (texte de la page 2)"
    # Another evaluator's assignment: refused, and nothing recorded.
    log_in(client, UserFactory(role=Role.EVALUATOR))
    assert client.get(url).status_code in (403, 404)
    assert FileAccess.objects.count() == 1


def test_the_candidate_reading_their_own_piece_is_not_recorded(client, candidacy):
    log_in(client, candidacy.candidate)
    assert _download(client, evidence_url(evidence_of(candidacy))).status_code == 200
    assert not FileAccess.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "other_candidate", "unassigned_evaluator"])
def test_a_refused_reading_is_not_recorded(client, candidacy, who):
    if who == "other_candidate":
        log_in(client, CandidacyFactory().candidate)
    elif who == "unassigned_evaluator":
        log_in(client, UserFactory(role=Role.EVALUATOR))
    response = _download(client, evidence_url(evidence_of(candidacy)))
    assert response.status_code in (302, 404)
    assert not FileAccess.objects.exists()


def test_a_certifier_downloading_a_generated_pdf_is_recorded(client, candidacy):
    document = request_export(candidacy, candidacy.dossier)
    run_document_tasks()
    certifier = UserFactory(role=Role.CERTIFIER)
    log_in(client, certifier)
    response = client.get(reverse("documents:download", args=[document.pk]))
    pdf_bytes(response)
    access = FileAccess.objects.get()
    assert (access.user, access.kind, access.object_id) == (
        certifier,
        AccessedFile.DOCUMENT,
        document.pk,
    )
    assert "Livret 2" in access.label


def test_the_candidate_downloading_their_pdf_is_not_recorded(client, candidacy):
    document = request_export(candidacy, candidacy.dossier)
    run_document_tasks()
    log_in(client, candidacy.candidate)
    pdf_bytes(client.get(reverse("documents:download", args=[document.pk])))
    assert not FileAccess.objects.exists()


# -- the back office -------------------------------------------------------------------


@pytest.fixture
def log(candidacy):
    """Two readings of this candidacy's piece by its evaluator, one of another's."""
    evaluator = _evaluator(candidacy)
    other = CandidacyFactory(candidate__last_name="Autre")
    for target, user, label in (
        (candidacy, evaluator, "Bulletins de paie 2024"),
        (candidacy, evaluator, "Bulletins de paie 2024"),
        (other, UserFactory(role=Role.CERTIFIER, last_name="Lecteur"), "Contrat autre"),
    ):
        FileAccess.objects.create(
            user=user, candidacy=target, kind=AccessedFile.EVIDENCE, object_id=1, label=label
        )
    return evaluator, other


def test_anonymous_is_sent_to_the_admin_login(client, log):
    response = client.get(LOG_URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("role", [Role.CANDIDATE, Role.EVALUATOR, Role.JURY_MEMBER])
def test_other_roles_cannot_read_the_log(client, log, role):
    log_in(client, UserFactory(role=role))
    response = client.get(LOG_URL)
    assert response.status_code in (302, 403)
    assert "Bulletins de paie" not in response.content.decode()


def test_the_certifier_reads_and_filters_the_log(client, candidacy, log):
    log_in(client, UserFactory(role=Role.CERTIFIER))

    page = client.get(LOG_URL).content.decode()
    assert page.count("Bulletins de paie 2024") == 2
    assert "Contrat autre" in page

    by_candidacy = client.get(LOG_URL, {"candidacy": candidacy.reference}).content.decode()
    assert by_candidacy.count("Bulletins de paie 2024") == 2
    assert "Contrat autre" not in by_candidacy

    by_person = client.get(LOG_URL, {"person": "lecteur"}).content.decode()
    assert "Contrat autre" in by_person
    assert "Bulletins de paie 2024" not in by_person


@pytest.mark.parametrize("value", ["²", "VAE-2026-", "1180591620717411303424", "-1", "abc"])
def test_an_odd_candidacy_filter_finds_nothing_and_answers(client, log, value):
    log_in(client, UserFactory(role=Role.CERTIFIER))
    response = client.get(LOG_URL, {"candidacy": value})
    assert response.status_code == 200
    assert "Bulletins de paie 2024" not in response.content.decode()


def test_the_log_cannot_be_written_from_the_back_office(client, log):
    log_in(client, UserFactory(role=Role.CERTIFIER))
    access = FileAccess.objects.first()
    assert client.get(f"{LOG_URL}new/").status_code in (302, 403)
    response = client.post(f"{LOG_URL}edit/{access.pk}/", {"label": "effacé"})
    assert response.status_code in (302, 403)
    access.refresh_from_db()
    assert access.label != "effacé"
    assert client.post(f"{LOG_URL}delete/{access.pk}/").status_code in (302, 403)
    assert FileAccess.objects.count() == 3


def test_the_log_is_paginated(client, candidacy):
    evaluator = _evaluator(candidacy)
    FileAccess.objects.bulk_create(
        FileAccess(
            user=evaluator, candidacy=candidacy, kind="evidence", object_id=n, label=f"Pièce {n}"
        )
        for n in range(60)
    )
    log_in(client, UserFactory(role=Role.CERTIFIER))
    first = client.get(LOG_URL).content.decode()
    second = client.get(LOG_URL, {"p": 2}).content.decode()
    # « Pièce 12 », not the kind « Pièce justificative » of every row.
    assert len(set(re.findall(r"Pièce [0-9]+", first))) == 50
    assert len(set(re.findall(r"Pièce [0-9]+", second))) == 10


def test_the_candidacy_page_links_its_readings(client, candidacy, log):
    log_in(client, UserFactory(role=Role.CERTIFIER))
    page = client.get(reverse("candidacy_admin:detail", args=[candidacy.pk])).content.decode()
    link = f"{LOG_URL}?candidacy={candidacy.reference}"
    assert link in page
    assert client.get(link).content.decode().count("Bulletins de paie 2024") == 2
