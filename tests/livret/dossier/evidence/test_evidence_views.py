"""Evidence pages: who may open them, the file as served, the list, and deleting,
withdrawing and replacing pieces before and after a submission."""

import json
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.urls import reverse

from livret.dossier.coverage import coverage
from livret.dossier.evidence import presentation, services
from livret.dossier.evidence.refusals import EvidenceRefused
from livret.enums import EvidenceKind, ExtractionStatus
from livret.models import CompetenceLink, Evidence, EvidencePage
from tests.accounts import log_in
from tests.factories import CandidacyFactory
from tests.livret.dossier.evidence.support import (
    BAD_FILES,
    flat,
    jpeg_bytes,
    png_bytes,
    snapshot,
    upload_service,
    visible,
)
from tests.livret.helpers import make_user, page, url
from tests.pdf_samples import text_pdf
from vae import services as candidacy_services
from vae.enums import CandidacyState

# (name, needs an evidence pk, methods)
CANDIDATE_PAGES = [
    ("livret:evidence_list", False, ["get"]),
    ("livret:evidence_upload", False, ["get", "post"]),
    ("livret:evidence_delete", True, ["get", "post"]),
    ("livret:evidence_withdraw", True, ["get", "post"]),
    ("livret:evidence_replace", True, ["get", "post"]),
]
READER_VIEWS = [("livret:evidence_file", True), ("livret:evidence_status", False)]


def piece(candidacy) -> Evidence:
    return Evidence.objects.filter(dossier__candidacy=candidacy).order_by("pk").first()


def view_url(name, candidacy, with_pk):
    kwargs = {"pk": piece(candidacy).pk} if with_pk else {}
    return url(name, candidacy, **kwargs)


def post_data():
    return {
        "title": "Intrus",
        "kind": EvidenceKind.OTHER,
        "file": SimpleUploadedFile("intrus.pdf", text_pdf(["intrus"])),
    }


def submitted_then_returned(candidacy):
    """Submit the (complete) dossier, then have a certifier return it: editable again,
    its evidence now frozen."""
    candidacy_services.submit_dossier(candidacy=candidacy, by=candidacy.candidate)
    candidacy_services.return_dossier(
        candidacy=candidacy, by=make_user("certifier"), comment="Ajoutez vos contrats."
    )
    candidacy.refresh_from_db()
    assert candidacy.state == CandidacyState.ELIGIBLE
    return candidacy


# -- who may open what ----------------------------------------------------------------------


@pytest.mark.parametrize(("name", "with_pk", "methods"), CANDIDATE_PAGES)
def test_anonymous_is_sent_to_login(eligible, client, name, with_pk, methods):
    before = snapshot(eligible)
    for method in methods:
        target = view_url(name, eligible, with_pk)
        response = getattr(client, method)(target, post_data() if method == "post" else None)
        assert response.status_code == 302
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL) + "?next=")
    assert snapshot(eligible) == before


@pytest.mark.parametrize(("name", "with_pk"), READER_VIEWS)
def test_anonymous_cannot_read_files_or_statuses(eligible, client, name, with_pk):
    response = client.get(view_url(name, eligible, with_pk))
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL) + "?next=")


@pytest.mark.parametrize("kind", ["evaluator", "certifier", "jury", "other_candidate"])
@pytest.mark.parametrize(("name", "with_pk", "methods"), CANDIDATE_PAGES)
def test_only_the_owner_opens_the_candidate_pages(eligible, client, kind, name, with_pk, methods):
    user = (
        CandidacyFactory(state=CandidacyState.ELIGIBLE).candidate
        if kind == "other_candidate"
        else make_user(kind)
    )
    log_in(client, user)
    before = snapshot(eligible)
    for method in methods:
        target = view_url(name, eligible, with_pk)
        response = getattr(client, method)(target, post_data() if method == "post" else None)
        assert response.status_code == 404
    assert snapshot(eligible) == before


@pytest.mark.parametrize("kind", ["evaluator", "jury", "other_candidate"])
@pytest.mark.parametrize(("name", "with_pk"), READER_VIEWS)
def test_files_and_statuses_are_hidden_from_others(eligible, client, kind, name, with_pk):
    user = (
        CandidacyFactory(state=CandidacyState.ELIGIBLE).candidate
        if kind == "other_candidate"
        else make_user(kind)
    )
    log_in(client, user)
    assert client.get(view_url(name, eligible, with_pk)).status_code == 404


def test_a_certifier_reads_the_file_and_the_statuses_but_not_the_candidate_pages(eligible, client):
    log_in(client, make_user("certifier"))
    served = client.get(view_url("livret:evidence_file", eligible, True))
    assert served.status_code == 200
    assert b"".join(served.streaming_content).startswith(b"%PDF-")
    status = client.get(url("livret:evidence_status", eligible))
    assert status.status_code == 200
    assert str(piece(eligible).pk) in status.json()["evidence"]
    assert client.get(url("livret:evidence_list", eligible)).status_code == 404


def test_another_dossiers_piece_is_404_through_my_candidacy(eligible, owner):
    other = CandidacyFactory(state=CandidacyState.ELIGIBLE)
    foreign = piece(other)
    before = snapshot(other)
    for name in ("livret:evidence_file", "livret:evidence_delete", "livret:evidence_replace"):
        assert owner.get(url(name, eligible, pk=foreign.pk)).status_code == 404
    assert owner.post(url("livret:evidence_delete", eligible, pk=foreign.pk)).status_code == 404
    # And through its own candidacy's URL, the owner of the other dossier only.
    assert owner.get(url("livret:evidence_file", other, pk=foreign.pk)).status_code == 404
    assert snapshot(other) == before


def test_unknown_candidacy_and_piece_are_404(eligible, owner):
    assert owner.get(url("livret:evidence_file", eligible, pk=999999)).status_code == 404
    for name in ("livret:evidence_status", "livret:evidence_list"):
        assert owner.get(reverse(name, kwargs={"candidacy_pk": 999999})).status_code == 404


@pytest.mark.parametrize("state", [CandidacyState.DOSSIER_SUBMITTED, CandidacyState.UNDER_REVIEW])
def test_once_submitted_writes_are_refused_and_nothing_changes(referentiel, client, state):
    candidacy = CandidacyFactory(state=state)
    log_in(client, candidacy.candidate)
    before = snapshot(candidacy)
    evidence = piece(candidacy)
    assert client.post(url("livret:evidence_upload", candidacy), post_data()).status_code == 403
    for name in ("livret:evidence_delete", "livret:evidence_withdraw"):
        assert client.post(url(name, candidacy, pk=evidence.pk)).status_code == 403
    replace = url("livret:evidence_replace", candidacy, pk=evidence.pk)
    assert client.post(replace, post_data()).status_code == 403
    assert snapshot(candidacy) == before
    # A GET is sent back to the overview with the reason.
    response = client.get(url("livret:evidence_upload", candidacy))
    assert response.status_code == 302
    assert response["Location"] == url("livret:dossier", candidacy)
    # The list stays readable, without the editing actions.
    listing = visible(client.get(url("livret:evidence_list", candidacy)))
    assert evidence.title in listing
    assert "Ajouter une pièce" not in listing
    assert "Supprimer" not in listing and "Retirer du dossier" not in listing
    # The file is still served to its owner.
    served = client.get(url("livret:evidence_file", candidacy, pk=evidence.pk))
    assert served.status_code == 200
    served.close()


def test_the_service_refuses_a_submitted_dossier_too(referentiel):
    from vae.workflow import TransitionForbidden

    candidacy = CandidacyFactory(state=CandidacyState.DOSSIER_SUBMITTED)
    before = snapshot(candidacy)
    with pytest.raises(TransitionForbidden) as refused:
        upload_service(candidacy, text_pdf(["x"]))
    assert "Votre dossier est déposé" in refused.value.message
    with pytest.raises(TransitionForbidden):
        services.delete_evidence(evidence=piece(candidacy), by=candidacy.candidate)
    assert snapshot(candidacy) == before


# -- the file as served ---------------------------------------------------------------------


def _served(client, candidacy, evidence, query=""):
    response = client.get(url("livret:evidence_file", candidacy, pk=evidence.pk) + query)
    body = b"".join(response.streaming_content)
    return response, body


def test_a_file_is_an_attachment_by_default(eligible, owner):
    evidence = piece(eligible)
    response, body = _served(owner, eligible, evidence)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'attachment; filename="bulletins.pdf"'
    assert "private" in response["Cache-Control"]
    assert body == Path(evidence.file.path).read_bytes()


@pytest.mark.parametrize(
    ("maker", "name", "content_type"),
    [
        (lambda: text_pdf(["affichable"]), "lettre.pdf", "application/pdf"),
        (jpeg_bytes, "scan.jpg", "image/jpeg"),
        (png_bytes, "capture.png", "image/png"),
    ],
)
def test_inline_on_request_for_images_and_pdf_without_javascript(
    eligible, owner, maker, name, content_type
):
    evidence = upload_service(eligible, maker(), name=name).evidence
    response, _body = _served(owner, eligible, evidence, "?inline=1")
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'inline; filename="{name}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    response, _body = _served(owner, eligible, evidence, "?inline=yes")
    assert response["Content-Disposition"].startswith("attachment;")


def test_a_pdf_with_javascript_is_never_inline(eligible, owner):
    data = (BAD_FILES / "javascript.pdf").read_bytes()
    evidence = upload_service(eligible, data, name="devis.pdf").evidence
    response, body = _served(owner, eligible, evidence, "?inline=1")
    assert response["Content-Disposition"] == 'attachment; filename="devis.pdf"'
    assert response["Content-Type"] == "application/pdf"
    assert body == data


def test_the_served_name_is_sanitized(eligible, owner):
    evidence = upload_service(
        eligible, text_pdf(["x"]), name='../../Bulletin "mars"\r\n<2024>;.pdf'
    ).evidence
    assert evidence.original_name == "Bulletin mars 2024.pdf"
    response, _body = _served(owner, eligible, evidence)
    assert response["Content-Disposition"] == 'attachment; filename="Bulletin mars 2024.pdf"'
    accented = upload_service(eligible, text_pdf(["y"]), name="Attestation employeur é.pdf")
    response, _body = _served(owner, eligible, accented.evidence)
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''" + quote("Attestation employeur é.pdf")
    )


def test_a_missing_file_is_404_not_500(eligible, owner):
    evidence = piece(eligible)
    Path(evidence.file.path).unlink()
    assert owner.get(url("livret:evidence_file", eligible, pk=evidence.pk)).status_code == 404


def test_files_live_outside_any_web_root(eligible, settings):
    root = Path(services.evidence_storage().location).resolve()
    assert root == (Path(settings.MEDIA_ROOT) / "evidence").resolve()
    assert not root.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    from django.urls import Resolver404, resolve

    with pytest.raises(Resolver404):
        resolve("/media/evidence/" + piece(eligible).file.name)


# -- the list and the statuses ------------------------------------------------------------


def test_the_list_shows_each_piece_and_its_status(eligible, owner):
    first = piece(eligible)
    pending = upload_service(eligible, text_pdf(["a", "b", "c"]), title="Plan de trésorerie")
    failed = upload_service(eligible, jpeg_bytes(), name="scan.jpg", title="Scan").evidence
    Evidence.objects.filter(pk=failed.pk).update(
        extraction_status=ExtractionStatus.FAILED,
        extraction_error="Le fichier n'a pas pu être lu : disque plein",
    )
    response = owner.get(url("livret:evidence_list", eligible))
    assert response.status_code == 200
    html, text = flat(page(response)), visible(response)
    assert "Bulletins de paie 2024" in text and "Bulletin de paie" in text  # title, kind
    assert "Prête (2 pages)" in text
    assert "En attente" in text
    assert "Échec : Le fichier n'a pas pu être lu : disque plein" in text
    assert first.sha256[:12] + "…" in text
    assert first.sha256 in text  # in full, inside <details>
    assert "Plan de trésorerie" in text
    assert f'data-evidence-id="{pending.evidence.pk}"' in html
    assert 'aria-live="polite"' in html
    assert "js/evidence-status.js" in html
    assert f'data-evidence-status-url="{url("livret:evidence_status", eligible)}"' in html
    assert "Actualiser" in text
    # Never submitted: deleted, not withdrawn.
    assert "Supprimer « Bulletins de paie 2024 »" in text
    assert "Retirer du dossier" not in text


def test_no_refresh_link_once_every_status_is_final(eligible, owner):
    text = visible(owner.get(url("livret:evidence_list", eligible)))
    assert "Actualiser" not in text


def test_the_status_endpoint(eligible, owner):
    done = piece(eligible)
    pending = upload_service(eligible, text_pdf(["a"]), title="Devis").evidence
    response = owner.get(url("livret:evidence_status", eligible))
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    data = json.loads(response.content)
    assert data == {
        "done": False,
        "evidence": {
            str(done.pk): {"status": "ready", "label": "Prête (2 pages)", "final": True},
            str(pending.pk): {"status": "pending", "label": "En attente", "final": False},
        },
    }
    services_status = owner.post(url("livret:evidence_status", eligible))
    assert services_status.status_code == 405


def test_status_labels():
    evidence = Evidence(content_type="application/pdf", page_count=1)
    evidence.extraction_status = ExtractionStatus.RUNNING
    assert presentation.status_text(evidence) == "En cours"
    evidence.extraction_status = ExtractionStatus.READY
    assert presentation.status_text(evidence) == "Prête (1 page)"
    assert (
        presentation.status_text(evidence, text_pages=0)
        == "Prête (1 page, sans texte lisible : document numérisé ?)"
    )
    evidence.content_type = "image/png"
    assert presentation.status_text(evidence) == "Prête (image : texte non lu)"
    evidence.extraction_status = ExtractionStatus.FAILED
    evidence.extraction_error = "Le texte de la page 12 n'a pas pu être lu : boom"
    assert presentation.status_text(evidence) == (
        "Échec : Le texte de la page 12 n'a pas pu être lu : boom"
    )


def test_the_list_query_count_does_not_grow_with_the_pieces(
    eligible, owner, django_assert_max_num_queries
):
    for n in range(6):
        upload_service(eligible, text_pdf([f"pièce {n}"]), title=f"Pièce {n}")
    with django_assert_max_num_queries(20):
        assert owner.get(url("livret:evidence_list", eligible)).status_code == 200


# -- delete before the first submission ------------------------------------------------------


def test_delete_confirmation_says_what_goes(eligible, owner):
    evidence = piece(eligible)
    links = CompetenceLink.objects.filter(evidence=evidence).count()
    assert links > 1
    text = visible(owner.get(url("livret:evidence_delete", eligible, pk=evidence.pk)))
    assert "Supprimer la pièce « Bulletins de paie 2024 » ?" in text
    assert f"et ses {links} liens aux compétences seront effacés" in text
    assert "Vous avez signé la déclaration sur l'honneur" in text


def test_delete_before_submission_removes_row_pages_links_and_file(
    eligible, owner, django_capture_on_commit_callbacks
):
    evidence = piece(eligible)
    EvidencePage.objects.create(evidence=evidence, number=1, text="Bulletin")
    path = Path(evidence.file.path)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = owner.post(url("livret:evidence_delete", eligible, pk=evidence.pk))
    assert response.status_code == 302
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert not EvidencePage.objects.filter(evidence_id=evidence.pk).exists()
    assert not CompetenceLink.objects.filter(
        dossier__candidacy=eligible, evidence__isnull=False
    ).exists()
    assert not path.exists()
    eligible.dossier.refresh_from_db()
    assert eligible.dossier.sworn_at is None
    text = visible(owner.get(response["Location"]))
    assert "La pièce « Bulletins de paie 2024 » a été supprimée, avec ses liens" in text
    assert "Vous devrez la signer de nouveau" in text


def test_the_file_stays_when_the_deletion_rolls_back(eligible, monkeypatch):
    """The file is removed only after the commit: a failing transaction keeps it."""
    evidence = piece(eligible)
    path = Path(evidence.file.path)

    def failing_unsign(dossier):
        raise RuntimeError("panne")

    monkeypatch.setattr(services, "unsign", failing_unsign)
    with pytest.raises(RuntimeError):
        services.delete_evidence(evidence=evidence, by=eligible.candidate)
    assert path.exists()
    assert Evidence.objects.filter(pk=evidence.pk).exists()


# -- withdraw and replace after a submission -------------------------------------------------


@pytest.fixture
def returned(eligible):
    return submitted_then_returned(eligible)


def test_a_submitted_piece_cannot_be_deleted(returned, owner):
    evidence = piece(returned)
    assert evidence.is_frozen
    before = snapshot(returned)
    target = url("livret:evidence_delete", returned, pk=evidence.pk)
    response = owner.post(target)
    assert response.status_code == 302
    assert snapshot(returned) == before
    text = visible(owner.get(response["Location"]))
    assert "ne peut plus être supprimée, seulement retirée du dossier ou remplacée" in text
    # The confirmation page is not even shown.
    assert owner.get(target)["Location"] == url("livret:evidence_list", returned)
    listing = visible(owner.get(url("livret:evidence_list", returned)))
    assert "Remplacer « Bulletins de paie 2024 »" in listing
    assert "Retirer du dossier « Bulletins de paie 2024 »" in listing
    assert "Supprimer « Bulletins de paie 2024 »" not in listing


def test_withdraw_keeps_the_piece_and_its_links_in_the_history(returned, owner):
    evidence = piece(returned)
    links = list(CompetenceLink.objects.filter(evidence=evidence).values_list("pk", flat=True))
    confirm = visible(owner.get(url("livret:evidence_withdraw", returned, pk=evidence.pk)))
    assert "Retirer la pièce « Bulletins de paie 2024 » du dossier ?" in confirm
    assert "elle n'est pas effacée" in confirm
    assert f"{len(links)} compétences ne seront plus justifiées par cette pièce." in confirm
    response = owner.post(url("livret:evidence_withdraw", returned, pk=evidence.pk))
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert evidence.withdrawn_at is not None
    assert Path(evidence.file.path).exists()
    assert (
        list(CompetenceLink.objects.filter(evidence=evidence).values_list("pk", flat=True)) == links
    )
    # It no longer counts for the compétences.
    assert not any(row.evidence_links for row in coverage(returned).rows)
    text = visible(owner.get(response["Location"]))
    assert "est retirée du dossier" in text
    assert "Historique : pièces retirées ou remplacées" in text
    assert "Retirée du dossier le" in text
    assert "Vous n'avez joint aucune pièce pour l'instant." in text
    # Withdrawing twice is refused with a message.
    again = owner.post(url("livret:evidence_withdraw", returned, pk=evidence.pk))
    assert "Cette pièce a déjà été retirée du dossier." in visible(owner.get(again["Location"]))


def test_a_never_submitted_piece_is_not_withdrawn(eligible, owner):
    evidence = piece(eligible)
    before = snapshot(eligible)
    response = owner.post(url("livret:evidence_withdraw", eligible, pk=evidence.pk))
    assert response.status_code == 302
    assert "vous pouvez simplement la supprimer" in visible(owner.get(response["Location"]))
    assert snapshot(eligible) == before


def test_replace_makes_a_new_row_and_does_not_move_the_links(returned, owner):
    old = piece(returned)
    old_bytes = Path(old.file.path).read_bytes()
    links = CompetenceLink.objects.filter(evidence=old).count()
    response = owner.get(url("livret:evidence_replace", returned, pk=old.pk))
    form = visible(response)
    assert "Nouvelle version de « Bulletins de paie 2024 »" in form
    assert "ne sont pas reportés sur la nouvelle version" in form
    assert 'value="Bulletins de paie 2024"' in flat(page(response))  # the old title
    data = text_pdf(["Bulletin de paie — janvier 2024 (corrigé)", "Attestation employeur"])
    response = owner.post(
        url("livret:evidence_replace", returned, pk=old.pk),
        {
            "title": "Bulletins de paie 2024 (corrigés)",
            "kind": EvidenceKind.PAYSLIP,
            "file": SimpleUploadedFile("bulletins-v2.pdf", data),
        },
    )
    assert response.status_code == 302
    new = Evidence.objects.get(replaces=old)
    assert new.title == "Bulletins de paie 2024 (corrigés)"
    assert new.first_submission is None
    assert Path(new.file.path).read_bytes() == data
    assert Path(old.file.path).read_bytes() == old_bytes
    assert CompetenceLink.objects.filter(evidence=old).count() == links
    assert not CompetenceLink.objects.filter(evidence=new).exists()
    assert list(Evidence.objects.filter(dossier__candidacy=returned).current()) == [new]
    text = visible(owner.get(response["Location"]))
    assert "les liens de l'ancienne version ne lui ont pas été reportés" in text
    assert "Remplacée par « Bulletins de paie 2024 (corrigés) »" in text
    # The replacement was never submitted: it is deleted, which brings the old one back.
    assert "Supprimer « Bulletins de paie 2024 (corrigés) »" in text
    services.delete_evidence(evidence=new, by=returned.candidate)
    assert list(Evidence.objects.filter(dossier__candidacy=returned).current()) == [old]


def test_replace_with_the_same_file_is_refused(returned, owner):
    old = piece(returned)
    before = snapshot(returned)
    response = owner.post(
        url("livret:evidence_replace", returned, pk=old.pk),
        {
            "title": "Même fichier",
            "kind": EvidenceKind.PAYSLIP,
            "file": SimpleUploadedFile("x.pdf", Path(old.file.path).read_bytes()),
        },
    )
    assert response.status_code == 200
    assert "Ce fichier est déjà joint à votre dossier : « Bulletins de paie 2024 »." in visible(
        response
    )
    assert 'value="Même fichier"' in flat(page(response))
    assert snapshot(returned) == before


def test_replace_refuses_a_bad_file_and_changes_nothing(returned, owner):
    old = piece(returned)
    before = snapshot(returned)
    response = owner.post(
        url("livret:evidence_replace", returned, pk=old.pk),
        {
            "title": "Nouvelle version",
            "kind": EvidenceKind.PAYSLIP,
            "file": SimpleUploadedFile("x.pdf", b"<html>nope</html>"),
        },
    )
    assert "c'est une page web (HTML)" in visible(response)
    assert snapshot(returned) == before


def test_a_piece_is_replaced_once(returned, owner):
    old = piece(returned)
    services.replace_evidence(
        evidence=old,
        by=returned.candidate,
        uploaded=SimpleUploadedFile("v2.pdf", text_pdf(["v2"])),
        title="v2",
        kind=EvidenceKind.OTHER,
    )
    response = owner.get(url("livret:evidence_replace", returned, pk=old.pk))
    assert response.status_code == 302
    assert "Cette pièce a déjà été remplacée." in visible(owner.get(response["Location"]))
    with pytest.raises(EvidenceRefused) as refused:
        services.replace_evidence(
            evidence=old,
            by=returned.candidate,
            uploaded=SimpleUploadedFile("v3.pdf", text_pdf(["v3"])),
            title="v3",
            kind=EvidenceKind.OTHER,
        )
    assert refused.value.code == "not_current"


def test_a_never_submitted_piece_is_not_replaced(eligible, owner):
    response = owner.get(url("livret:evidence_replace", eligible, pk=piece(eligible).pk))
    assert response.status_code == 302
    assert "supprimez-la, puis ajoutez la nouvelle version" in flat(
        page(owner.get(response["Location"]))
    )
