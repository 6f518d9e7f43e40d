"""The candidate's archive of everything the platform holds about them (RGPD)."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from livret.dossier.export import request_export
from livret.models import Evidence
from review.models import ConsolidatedRating
from tests.accounts import log_in
from tests.documents import run_document_tasks
from tests.factories import UserFactory
from tests.factories.candidacies import CandidacyFactory
from tests.vae.personal_data_support import (
    all_text,
    archive_json,
    download_archive,
    evidence_of,
)
from vae.enums import CandidacyState, DocumentKind, DocumentStatus, Role
from vae.models import Candidacy, GeneratedDocument
from vae.personal_data.archive import safe_filename

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_candidates(referentiel):
    """Two candidates with a submitted dossier each: a livret 1, a livret 2, a piece, the
    PDF of the submission."""
    mine = CandidacyFactory(dossier_submitted=True, candidate__first_name="Inès")
    theirs = CandidacyFactory(dossier_submitted=True, candidate__first_name="Mathieu")
    for candidacy in (mine, theirs):
        GeneratedDocument.objects.filter(candidacy=candidacy).delete()
    # Their piece must differ from mine, to tell the files apart.
    other = evidence_of(theirs)
    other.file.save("autre.pdf", _bytes_with(other.file, b"% piece de Mathieu\n"), save=True)
    Evidence.objects.filter(pk=other.pk).update(original_name="mathieu-secret.pdf")
    return mine, theirs


def _bytes_with(field_file, extra):
    with field_file.open("rb") as stream:
        return ContentFile(stream.read() + extra)


@pytest.mark.parametrize("name", ["personal_data:my_data", "personal_data:archive"])
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_post_is_refused(client, referentiel):
    log_in(client, UserFactory(role=Role.CANDIDATE))
    assert client.post(reverse("personal_data:archive")).status_code == 405


def test_the_page_explains_the_archive_and_the_retention_periods(client, referentiel):
    log_in(client, UserFactory(role=Role.CANDIDATE))
    page = client.get(reverse("personal_data:my_data")).content.decode().replace("\xa0", " ")
    assert reverse("personal_data:archive") in page
    assert "supprimées 2 ans après" in page
    assert "effacée 10 ans après" in page


def test_the_dashboard_and_profile_link_the_page(client, referentiel):
    log_in(client, UserFactory(role=Role.CANDIDATE))
    target = reverse("personal_data:my_data")
    assert target in client.get(reverse("candidacy:dashboard")).content.decode()
    assert target in client.get(reverse("accounts:profile")).content.decode()


def test_archive_holds_my_livrets_files_and_documents_and_nothing_of_anyone_else(
    client, two_candidates
):
    mine, theirs = two_candidates
    request_export(mine, mine.dossier)
    request_export(theirs, theirs.dossier)
    run_document_tasks()
    log_in(client, mine.candidate)

    archive = download_archive(client)
    data = archive_json(archive)

    candidacy = data["compte"]["candidatures"][0]
    assert data["compte"]["compte"]["adresse e-mail"] == mine.candidate.email
    assert candidacy["référence"] == mine.reference
    assert [row["vers"] for row in candidacy["historique"]] == [
        "Recevabilité en cours d'examen",
        "Recevable",
        "Dossier de validation déposé",
    ]
    livrets = data["livrets"][0]
    assert livrets["livret 1"]["nom de naissance"] == mine.eligibility_request.birth_name
    assert livrets["livret 1"]["expériences"][0]["employeur ou structure"]
    assert livrets["livret 2"]["récits"][0]["récit"].startswith("Sur le long métrage")
    piece = livrets["livret 2"]["pièces justificatives"][0]
    assert piece["titre"] == "Bulletins de paie 2024"
    # The files: my piece, byte for byte, and the PDF of my livret 2.
    with evidence_of(mine).file.open("rb") as stream:
        assert archive.read(piece["fichier dans l'archive"]) == stream.read()
    documents = candidacy["documents générés"]
    assert [document["type"] for document in documents] == ["Livret 2 (export PDF)"]
    pdf_name = f"fichiers/{mine.reference}/documents/{documents[0]['nom du fichier']}"
    assert archive.read(pdf_name).startswith(b"%PDF")
    assert data["evaluation"] == [
        {
            "candidature": mine.reference,
            "appréciations consolidées": "Communiquées avec la décision du jury.",
        }
    ]

    # Nothing of the other candidate: not their name, address, reference, file or PDF.
    text = all_text(archive)
    for trace in (
        theirs.candidate.email,
        theirs.candidate.last_name,
        theirs.reference,
        "mathieu-secret",
        "piece de Mathieu",
    ):
        assert trace not in text


def test_consolidated_ratings_are_in_the_archive_once_the_jury_has_decided(client, referentiel):
    candidacy = CandidacyFactory(reviewed=True)
    log_in(client, candidacy.candidate)
    assert (
        archive_json(download_archive(client))["evaluation"][0]["appréciations consolidées"]
        == "Communiquées avec la décision du jury."
    )

    Candidacy.objects.filter(pk=candidacy.pk).update(state=CandidacyState.DECIDED)
    ratings = archive_json(download_archive(client))["evaluation"][0]["appréciations consolidées"]
    assert len(ratings) == ConsolidatedRating.objects.filter(candidacy=candidacy).count() > 0
    assert {rating["appréciation"] for rating in ratings} == {"acquis"}


def test_a_purged_or_missing_file_leaves_the_archive_whole(client, two_candidates):
    mine, _theirs = two_candidates
    piece = evidence_of(mine)
    piece.file.storage.delete(piece.file.name)
    log_in(client, mine.candidate)
    archive = download_archive(client)
    assert archive_json(archive)["livrets"][0]["livret 2"]["pièces justificatives"]
    assert not [name for name in archive.namelist() if "/pieces/" in name]


@pytest.mark.parametrize("role", [Role.EVALUATOR, Role.CERTIFIER])
def test_staff_get_their_own_account_and_nothing_of_the_candidates(client, two_candidates, role):
    mine, theirs = two_candidates
    user = UserFactory(role=role)
    log_in(client, user)
    archive = download_archive(client)
    data = archive_json(archive)
    assert data["compte"]["compte"]["adresse e-mail"] == user.email
    assert data["compte"]["candidatures"] == []
    assert data["livrets"] == []
    assert archive.namelist() == ["donnees.json"]
    text = all_text(archive)
    assert mine.reference not in text and theirs.reference not in text


def test_a_failed_document_is_listed_nowhere(client, two_candidates):
    mine, _theirs = two_candidates
    document = request_export(mine, mine.dossier)
    GeneratedDocument.objects.filter(pk=document.pk).update(status=DocumentStatus.FAILED)
    log_in(client, mine.candidate)
    archive = download_archive(client)
    assert archive_json(archive)["compte"]["candidatures"][0]["documents générés"] == []
    assert not [name for name in archive.namelist() if "/documents/" in name]
    assert GeneratedDocument.objects.filter(kind=DocumentKind.LIVRET2).count() == 1


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\moi\\bulletin.pdf", "bulletin.pdf"),
        ("..", "fichier"),
        (".cache.pdf", "cache.pdf"),
        ("ok\x00.pdf", "ok.pdf"),
    ],
)
def test_a_typed_file_name_stays_inside_the_archive(typed, kept):
    assert safe_filename(typed) == kept


def test_two_pieces_of_the_same_name_are_both_in_the_archive(client, two_candidates):
    mine, _theirs = two_candidates
    second = evidence_of(mine)
    data = b"%PDF-1.4 second piece"
    copy = Evidence.objects.create(
        dossier=second.dossier,
        title="Autre bulletin",
        kind=second.kind,
        original_name="../bulletins.pdf",
        content_type=second.content_type,
        size=len(data),
        sha256="0" * 64,
        uploaded_by=mine.candidate,
        file=second.file.storage.save("copie", ContentFile(data)),
    )
    log_in(client, mine.candidate)
    names = [name for name in download_archive(client).namelist() if "/pieces/" in name]
    assert names == [
        f"fichiers/{mine.reference}/pieces/{second.pk}-bulletins.pdf",
        f"fichiers/{mine.reference}/pieces/{copy.pk}-bulletins.pdf",
    ]


def test_the_archive_says_when_which_file_was_read_not_by_whom(client, two_candidates):
    mine, theirs = two_candidates
    certifier = UserFactory(role=Role.CERTIFIER, last_name="Lectrice")
    log_in(client, certifier)
    for candidacy in (mine, theirs):
        piece = evidence_of(candidacy)
        url = reverse("livret:evidence_file", args=[candidacy.pk, piece.pk])
        b"".join(client.get(url).streaming_content)
    log_in(client, mine.candidate)
    archive = download_archive(client)
    readings = archive_json(archive)["compte"]["consultations de mes fichiers"]
    assert [(row["candidature"], row["fichier"]) for row in readings] == [
        (mine.reference, "Bulletins de paie 2024")
    ]
    assert "Lectrice" not in all_text(archive) and certifier.email not in all_text(archive)
