"""Issuing the documents of a decision, and correcting or cancelling one (certifiers)."""

import pytest

from certificates import document, services
from certificates.enums import CredentialKind, CredentialStatus
from certificates.models import Credential
from tests.certificates.support import DECIDED_ON, register
from tests.documents import rendered_text
from tests.factories import UserFactory
from vae.enums import DocumentKind, Role
from vae.models import GeneratedDocument
from vae.workflow import TransitionForbidden, TransitionRefused

pytestmark = pytest.mark.django_db


def pdf_text(credential) -> str:
    return rendered_text(
        GeneratedDocument.objects.get(candidacy=credential.candidacy, key=credential.document_key)
    )


def test_a_validation_totale_gets_one_certificate_with_its_pdf(decided, certifier):
    (certificate,) = services.issue_credentials(
        candidacy=decided, validated_bloc_codes=[], total=True, decided_on=DECIDED_ON, by=certifier
    )
    assert certificate.kind == CredentialKind.CERTIFICATE
    assert certificate.status == CredentialStatus.VALID
    identity = decided.eligibility_request
    assert (certificate.holder_birth_date, certificate.holder_birth_place) == (
        identity.birth_date,
        "Lyon",
    )
    text = pdf_text(certificate)
    for expected in (
        "Certificat",
        identity.first_names,
        identity.birth_name.upper(),
        "12 avril 1988",
        "Lyon",
        decided.certification.title,
        "RNCP99999",
        "28 mars 2024",
        "320, 323p",
        "niveau 6",
        "cadre européen",
        "20 novembre 2026",
        certificate.number,
        "Camille Exemple",
        "Fait à Paris",
    ):
        assert expected in text, expected
    assert "sous réserve" not in text.lower()
    document_row = GeneratedDocument.objects.get(key=certificate.document_key)
    assert document_row.kind == DocumentKind.CERTIFICATE


def test_a_partial_validation_gets_one_attestation_per_validated_bloc(decided, certifier):
    blocs = list(decided.certification.blocs.order_by("code")[:2])
    issued = services.issue_credentials(
        candidacy=decided,
        validated_bloc_codes=[bloc.code for bloc in blocs],
        total=False,
        decided_on=DECIDED_ON,
        by=certifier,
    )
    assert [(c.kind, c.bloc_code, c.bloc_title) for c in issued] == [
        (CredentialKind.BLOC_ATTESTATION, bloc.code, bloc.title) for bloc in blocs
    ]
    text = pdf_text(issued[0])
    assert "Attestation de bloc de compétences" in text
    assert blocs[0].code in text
    # Issuing again gives the same documents, nothing new.
    again = services.issue_credentials(
        candidacy=decided,
        validated_bloc_codes=[bloc.code for bloc in blocs],
        total=False,
        decided_on=DECIDED_ON,
        by=certifier,
    )
    assert [c.pk for c in again] == [c.pk for c in issued]
    assert Credential.objects.count() == 2


def test_the_qr_code_carries_the_verification_address(decided, certifier, monkeypatch):
    (certificate,) = services.issue_credentials(
        candidacy=decided, validated_bloc_codes=[], total=True, decided_on=DECIDED_ON
    )
    drawn = []
    qr_svg = document.qr_svg
    monkeypatch.setattr(document, "qr_svg", lambda url: drawn.append(url) or qr_svg(url))
    text = pdf_text(certificate)
    url = f"http://testserver/verifier/{certificate.number}/"
    assert drawn == [document.verification_url(certificate)]
    assert drawn[0].endswith(f"/verifier/{certificate.number}/")
    assert url.split("testserver")[1] in text.replace(" ", "")
    assert "<svg" in qr_svg(drawn[0]) and drawn[0] in qr_svg(drawn[0])


def test_issuing_refuses_while_a_fact_is_missing_and_names_each(decided):
    register(decided.certification, rncp_number="", signatory_name="")
    identity = decided.eligibility_request
    identity.birth_place = ""
    identity.save()
    with pytest.raises(TransitionRefused) as refused:
        services.issue_credentials(
            candidacy=decided, validated_bloc_codes=[], total=True, decided_on=DECIDED_ON
        )
    problems = " ".join(refused.value.problems)
    assert "numéro d'enregistrement au RNCP" in problems
    assert "nom du signataire" in problems
    assert "commune de naissance" in problems
    assert not Credential.objects.exists()
    assert not GeneratedDocument.objects.exists()


def test_an_unknown_bloc_is_refused(decided):
    with pytest.raises(TransitionRefused):
        services.issue_credentials(
            candidacy=decided, validated_bloc_codes=["BC9"], total=False, decided_on=DECIDED_ON
        )
    assert not Credential.objects.exists()


def test_a_rectification_replaces_the_document_and_keeps_the_old_one(decided, certifier):
    (first,) = services.issue_credentials(
        candidacy=decided, validated_bloc_codes=[], total=True, decided_on=DECIDED_ON
    )
    identity = decided.eligibility_request
    identity.birth_place = "Villeurbanne"
    identity.save()
    with pytest.raises(TransitionRefused):
        services.rectify(first, by=certifier, reason="  ")
    second = services.rectify(first, by=certifier, reason="Lieu de naissance corrigé.")
    first.refresh_from_db()
    assert (first.status, first.status_reason) == (
        CredentialStatus.RECTIFIED,
        "Lieu de naissance corrigé.",
    )
    assert second.replaces == first and second.number != first.number
    assert second.holder_birth_place == "Villeurbanne"
    assert "Villeurbanne" in pdf_text(second)
    assert first.number in pdf_text(second)  # « remplace le document n° … »
    with pytest.raises(TransitionRefused):
        services.rectify(first, by=certifier, reason="Encore")


def test_only_a_certifier_rectifies_or_cancels(decided, certifier):
    (credential,) = services.issue_credentials(
        candidacy=decided, validated_bloc_codes=[], total=True, decided_on=DECIDED_ON
    )
    for someone in (decided.candidate, UserFactory(role=Role.JURY_MEMBER)):
        with pytest.raises(TransitionForbidden):
            services.cancel(credential, by=someone, reason="Non")
    cancelled = services.cancel(credential, by=certifier, reason="Décision annulée.")
    assert cancelled.status == CredentialStatus.CANCELLED
