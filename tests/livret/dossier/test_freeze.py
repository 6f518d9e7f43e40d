"""Freeze on submission, end to end: once ``submit_dossier`` ran, no livret 2 write goes
through (pages or services, ours and those of narratives and evidence); once the
certifier returns the dossier, it is editable again, must be signed again, and the
earlier submission stays in the history."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from livret.dossier.evidence.refusals import EvidenceRefused
from livret.dossier.evidence.services import (
    delete_evidence,
    upload_evidence,
    withdraw_evidence,
)
from livret.dossier.links import services as links
from livret.dossier.narratives.services import restore_revision, save_narrative
from livret.dossier.services import sign
from livret.enums import EvidenceKind, RevisionReason
from livret.models import (
    CompetenceLink,
    DossierSubmission,
    Evidence,
    Narrative,
    NarrativeRevision,
    NoEvidenceReason,
)
from tests.accounts import log_in
from tests.factories import CandidacyFactory, UserFactory
from tests.livret.dossier.support import (
    CONFIRM,
    JUSTIFICATION,
    WRITE_PAGES,
    competence,
    make_evidence,
    page,
    post_data,
    resolve,
    snapshot,
    url,
)
from tests.pdf_samples import text_pdf
from vae import services
from vae.enums import CandidacyState, Role, Transition
from vae.workflow import TransitionForbidden

pytestmark = pytest.mark.django_db

FROZEN_MESSAGE = "Votre dossier est déposé : il ne peut plus être modifié"


@pytest.fixture
def submitted(client, referentiel):
    """A complete dossier submitted through the page, as the candidate does it."""
    candidacy = CandidacyFactory(state=CandidacyState.ELIGIBLE)
    log_in(client, candidacy.candidate)
    response = client.post(url("livret:dossier_submit", candidacy), CONFIRM)
    assert response.status_code == 302
    candidacy.refresh_from_db()
    assert candidacy.state == CandidacyState.DOSSIER_SUBMITTED
    return candidacy


@pytest.fixture
def returned(submitted):
    services.return_dossier(
        candidacy=submitted,
        by=UserFactory(role=Role.CERTIFIER),
        comment="Précisez les pages du devis pour C1.5, merci.",
    )
    submitted.refresh_from_db()
    return submitted


def upload(name="nouveau.pdf"):
    return SimpleUploadedFile(
        name, text_pdf(["Nouvelle pièce", name]), content_type="application/pdf"
    )


# -- after submission ----------------------------------------------------------------------


def test_every_write_page_refuses_after_submission(client, submitted):
    before = snapshot(submitted)
    for name, kwargs in WRITE_PAGES:
        address = resolve(submitted, name, kwargs)
        assert client.post(address, post_data(submitted, name)).status_code == 403, name
        response = client.get(address)
        assert response.status_code == 302, name
    response = client.post(url("livret:dossier_submit", submitted), CONFIRM)
    assert "Cette action n'est pas possible" in page(response)
    assert snapshot(submitted) == before


def test_link_services_refuse_after_submission(submitted):
    dossier, by = submitted.dossier, submitted.candidate
    link = dossier.links.select_related("competence", "evidence").first()
    c11 = competence("C1.1", submitted)
    before = snapshot(submitted)
    calls = [
        lambda: links.add_link(
            dossier=dossier,
            by=by,
            competence=link.competence,
            evidence=link.evidence,
            page_from=1,
            justification=JUSTIFICATION,
        ),
        lambda: links.update_link(
            link=link,
            by=by,
            competence=link.competence,
            evidence=link.evidence,
            justification="Une autre justification.",
        ),
        lambda: links.delete_link(link=link, by=by),
        lambda: links.save_no_evidence_reason(
            dossier=dossier, by=by, competence=c11, reason="Pièces confidentielles."
        ),
        lambda: links.clear_no_evidence_reason(dossier=dossier, by=by, competence=c11),
        lambda: sign(dossier=dossier, by=by, name="Alex Durand", place="Lyon"),
    ]
    for call in calls:
        with pytest.raises(TransitionForbidden) as refused:
            call()
        assert refused.value.message.startswith(FROZEN_MESSAGE)
    assert snapshot(submitted) == before


def test_narrative_services_refuse_after_submission(submitted):
    narrative = Narrative.objects.filter(dossier=submitted.dossier).first()
    revision = NarrativeRevision.objects.filter(narrative=narrative).first()
    before = snapshot(submitted)
    with pytest.raises(TransitionForbidden):
        save_narrative(narrative, submitted.candidate, "Un tout autre récit.", narrative.version)
    with pytest.raises(TransitionForbidden):
        restore_revision(revision, submitted.candidate)
    assert snapshot(submitted) == before


def test_evidence_services_refuse_after_submission(submitted):
    piece = Evidence.objects.get(dossier=submitted.dossier)
    before = snapshot(submitted)
    with pytest.raises(TransitionForbidden):
        upload_evidence(
            dossier=submitted.dossier,
            by=submitted.candidate,
            uploaded=upload(),
            title="Pièce ajoutée après le dépôt",
            kind=EvidenceKind.OTHER,
        )
    with pytest.raises(TransitionForbidden):
        withdraw_evidence(evidence=piece, by=submitted.candidate)
    with pytest.raises(TransitionForbidden):
        delete_evidence(evidence=piece, by=submitted.candidate)
    assert snapshot(submitted) == before


# -- after return --------------------------------------------------------------------------


def test_return_reopens_keeps_history_and_asks_to_sign_again(client, returned):
    dossier = returned.dossier
    dossier.refresh_from_db()
    assert returned.state == CandidacyState.ELIGIBLE
    assert not dossier.is_signed and dossier.sworn_name
    submission = DossierSubmission.objects.get(dossier=dossier)
    assert submission.number == 1
    assert (
        NarrativeRevision.objects.filter(
            submission=submission, reason=RevisionReason.SUBMISSION
        ).count()
        == 12
    )
    assert list(
        Evidence.objects.filter(dossier=dossier).values_list("first_submission", flat=True)
    ) == [submission.pk]

    text = page(client.get(url("livret:dossier", returned)))
    assert "Précisez les pages du devis pour C1.5, merci." in text
    assert "à signer de nouveau" in text

    # Editable again, through the same pages that refused a moment ago.
    link = dossier.links.select_related("competence").first()
    response = client.post(
        url("livret:link_edit", returned, pk=link.pk),
        {
            "competence": str(link.competence_id),
            "source": f"piece-{link.evidence_id}",
            "page_from": "2",
            "page_to": "",
            "justification": "La page 2 montre le devis que j'ai établi.",
        },
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.page_from == 2


def test_submitted_evidence_is_withdrawn_not_deleted_after_return(returned):
    piece = Evidence.objects.get(dossier=returned.dossier)
    with pytest.raises(EvidenceRefused):
        delete_evidence(evidence=piece, by=returned.candidate)
    assert Evidence.objects.filter(pk=piece.pk).exists()
    withdraw_evidence(evidence=piece, by=returned.candidate)
    piece.refresh_from_db()
    assert piece.withdrawn_at is not None and piece.first_submission is not None


def test_submit_after_return_refused_until_signed_again(client, returned):
    before = snapshot(returned)
    response = client.post(url("livret:dossier_submit", returned), CONFIRM)
    text = page(response)
    assert (
        f'<a href="{url("livret:dossier_sign", returned)}">Signez la déclaration sur '
        "l'honneur du livret 2.</a>"
    ) in text
    assert snapshot(returned) == before


def test_resubmission_keeps_both_submissions(client, returned):
    dossier = returned.dossier
    first = DossierSubmission.objects.get(dossier=dossier)
    old_piece = Evidence.objects.get(dossier=dossier)
    new_piece = make_evidence(dossier, "Devis signé", pages=2)
    c15 = competence("C1.5", returned)
    response = client.post(
        url("livret:link_add", returned),
        {
            "competence": str(c15.pk),
            "source": f"piece-{new_piece.pk}",
            "page_from": "1",
            "page_to": "2",
            "justification": "Le devis signé que le certificateur demandait.",
        },
    )
    assert response.status_code == 302
    assert CompetenceLink.objects.filter(evidence=new_piece, competence=c15).exists()
    response = client.post(
        url("livret:dossier_sign", returned),
        {"certify": "on", "sworn_name": "Alex Durand", "sworn_place": "Paris"},
    )
    assert response.status_code == 302
    response = client.post(url("livret:dossier_submit", returned), CONFIRM)
    assert response.status_code == 302
    returned.refresh_from_db()
    assert returned.state == CandidacyState.DOSSIER_SUBMITTED
    assert list(returned.transitions.values_list("transition", flat=True))[-3:] == [
        Transition.SUBMIT_DOSSIER,
        Transition.RETURN_DOSSIER,
        Transition.SUBMIT_DOSSIER,
    ]
    second = DossierSubmission.objects.get(dossier=dossier, number=2)
    old_piece.refresh_from_db()
    new_piece.refresh_from_db()
    assert old_piece.first_submission == first
    assert new_piece.first_submission == second
    for submission in (first, second):
        assert (
            NarrativeRevision.objects.filter(
                submission=submission, reason=RevisionReason.SUBMISSION
            ).count()
            == 12
        )
    text = page(client.get(url("livret:dossier", returned)))
    assert "n°1" in text and "n°2" in text and "Renvoyé pour correction le" in text
    # Frozen again.
    assert (
        client.post(
            url("livret:no_evidence", returned, competence_pk=c15.pk),
            {"reason": "Une raison assez longue pour passer."},
        ).status_code
        == 403
    )
    assert not NoEvidenceReason.objects.exists()
