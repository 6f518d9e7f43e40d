"""The demo's livrets 2: one in progress, one submitted, with real PDF evidence whose
text is extracted, written once whatever the number of runs."""

import hashlib
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from demo.dossiers import IN_PROGRESS_EMAIL, SUBMITTED_EMAIL, create_demo_dossiers
from livret.dossier.coverage import coverage
from livret.dossier.storage import evidence_storage
from livret.enums import EvidenceKind, ExtractionStatus, FileType, RevisionReason
from livret.models import (
    CompetenceLink,
    Dossier,
    Evidence,
    EvidencePage,
    Narrative,
    NarrativeRevision,
    NoEvidenceReason,
)
from tests.accounts import log_in
from tests.documents import get_pdf, pdf_bytes
from tests.livret.helpers import make_user
from vae.enums import CandidacyState
from vae.models import Candidacy, CandidacyTransition

pytestmark = pytest.mark.django_db


def candidacy_of(email):
    return Candidacy.objects.select_related("dossier", "candidate").get(candidate__email=email)


def test_julien_has_a_dossier_in_progress(demo):
    julien = candidacy_of(IN_PROGRESS_EMAIL)
    dossier = julien.dossier

    assert julien.state == CandidacyState.ELIGIBLE
    assert dossier.narratives.count() == 3
    assert dossier.evidence.count() == 3
    assert dossier.links.filter(evidence__isnull=False).count() >= 4
    assert dossier.links.filter(narrative__isnull=False).exists()
    assert not dossier.is_signed
    assert not dossier.submissions.exists()
    result = coverage(julien, dossier)
    assert 0 < result.done < result.total  # started, not finished
    # Only the blocs he targets (BC3 was validated earlier).
    assert {n.activity.bloc.code for n in dossier.narratives.select_related("activity__bloc")} <= {
        "BC1",
        "BC2",
    }


def test_ines_has_submitted_a_complete_dossier(demo):
    ines = candidacy_of(SUBMITTED_EMAIL)
    dossier = ines.dossier

    assert ines.state == CandidacyState.DOSSIER_SUBMITTED
    result = coverage(ines, dossier)
    assert result.complete and result.total == 26
    assert dossier.narratives.count() == 12  # every activité of the three blocs
    assert all(len(n.text) >= 200 for n in dossier.narratives.all())
    # Every targeted compétence has at least one link (evidence or narrative).
    linked = set(
        CompetenceLink.objects.filter(dossier=dossier).values_list("competence", flat=True)
    )
    assert len(linked) == 26
    assert NoEvidenceReason.objects.filter(dossier=dossier).exists()
    submission = dossier.submissions.get()
    assert submission.number == 1
    assert submission.sworn_name == "Inès Lambert" and submission.sworn_place == "Montreuil"
    assert dossier.is_signed
    # The submission froze what was sent.
    assert (
        NarrativeRevision.objects.filter(
            submission=submission, reason=RevisionReason.SUBMISSION
        ).count()
        == 12
    )
    assert not dossier.evidence.filter(first_submission__isnull=True).exists()


def test_demo_evidence_is_real_pdf_with_extracted_text(demo):
    evidence = Evidence.objects.filter(
        dossier__candidacy__candidate__email__in=[IN_PROGRESS_EMAIL, SUBMITTED_EMAIL]
    )
    assert evidence.count() == 9
    assert {e.kind for e in evidence} >= {
        EvidenceKind.PAYSLIP,
        EvidenceKind.BUDGET,
        EvidenceKind.CASH_PLAN,
        EvidenceKind.EMPLOYER_CERTIFICATE,
    }
    storage = evidence_storage()
    for item in evidence:
        with item.file.open("rb") as stream:
            data = stream.read()
        assert storage.exists(item.file.name)
        assert item.file.name.startswith(f"{item.dossier_id}/")
        assert item.original_name.endswith(".pdf") and item.original_name not in item.file.name
        assert data.startswith(b"%PDF-")
        assert item.content_type == FileType.PDF
        assert item.size == len(data)
        assert item.sha256 == hashlib.sha256(data).hexdigest()
        assert item.page_count == len(PdfReader(io.BytesIO(data)).pages)
        assert item.extraction_status == ExtractionStatus.READY
        pages = list(item.pages.order_by("number"))
        assert [p.number for p in pages] == list(range(1, item.page_count + 1))
        text = " ".join(p.text for p in pages)
        # Our print style sheet was applied: its footer names the document as fictional.
        assert "Document fictif" in text
    payslips = evidence.get(kind=EvidenceKind.PAYSLIP)
    assert payslips.page_count == 2
    assert "Bulletin de paie" in payslips.pages.get(number=2).text
    assert "Net à payer" in re.sub(r"\s+", " ", payslips.pages.get(number=1).text)


def test_links_point_inside_their_evidence(demo):
    links = CompetenceLink.objects.filter(
        evidence__isnull=False,
        dossier__candidacy__candidate__email__in=[IN_PROGRESS_EMAIL, SUBMITTED_EMAIL],
    ).select_related("evidence")
    assert links.count() == 25 + 5  # Inès, Julien
    for link in links:
        assert 1 <= link.page_from <= link.page_to <= link.evidence.page_count


def snapshot():
    return {
        "candidacies": sorted(Candidacy.objects.values_list("pk", "state")),
        "transitions": CandidacyTransition.objects.count(),
        "dossiers": sorted(Dossier.objects.values_list("pk", "sworn_at")),
        "narratives": sorted(Narrative.objects.values_list("pk", "text", "version")),
        "revisions": NarrativeRevision.objects.count(),
        "evidence": sorted(Evidence.objects.values_list("pk", "sha256", "file")),
        "pages": EvidencePage.objects.count(),
        "links": CompetenceLink.objects.count(),
        "reasons": NoEvidenceReason.objects.count(),
        "files": sorted(
            f"{folder}/{name}"
            for folder in evidence_storage().listdir("")[0]
            for name in evidence_storage().listdir(folder)[1]
        ),
    }


def test_running_the_demo_again_changes_nothing(demo):
    before = snapshot()
    out = io.StringIO()

    call_command("demo", stdout=out)

    assert snapshot() == before
    assert "Livrets 2 de démonstration" in out.getvalue()
    assert [s.created for s in create_demo_dossiers()] == [False, False]


def test_the_submitted_demo_dossier_exports(client, demo):
    ines = candidacy_of(SUBMITTED_EMAIL)
    log_in(client, make_user("certifier"))

    response = get_pdf(
        client,
        reverse("livret:dossier_pdf_download", kwargs={"candidacy_pk": ines.pk}),
        {"depot": "1"},
    )

    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(pdf_bytes(response)))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    assert "Inès Lambert" in text and ines.reference in text
    assert "Dossier déposé le" in text
    assert "Marée basse" in text
    assert "Fait à Montreuil" in text
