"""Data and helpers shared by the livret 2 overview, links and freeze tests (no tests here).

Not named test_*: pytest must not collect it as a test module.
"""

import hashlib
import html

from django.core.files.base import ContentFile
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from livret.enums import EvidenceKind, ExtractionStatus, FileType
from livret.models import (
    CompetenceLink,
    Dossier,
    DossierSubmission,
    Evidence,
    Narrative,
    NarrativeRevision,
    NoEvidenceReason,
)
from referentiel.models import Competence
from tests.pdf_samples import text_pdf

JUSTIFICATION = "Le devis que j'ai établi pour ce film montre cette compétence."
# What the submission's confirmation button posts (``livret.dossier.views.CONFIRMATION``).
CONFIRM = {"confirmation": "oui"}


def page(response) -> str:
    return html.unescape(response.content.decode())


def url(name, candidacy, **kwargs) -> str:
    return reverse(name, kwargs={"candidacy_pk": candidacy.pk, **kwargs})


def competence(code, candidacy=None) -> Competence:
    """A compétence of the candidacy's référentiel version, by code (« C1.1 »)."""
    queryset = Competence.objects.filter(code=code)
    if candidacy is not None:
        queryset = queryset.filter(activity__bloc__certification=candidacy.certification)
    return queryset.get()


def make_evidence(dossier, title="Devis du long métrage", *, pages=3, **fields) -> Evidence:
    """A current PDF piece of ``dossier`` with ``pages`` pages (a unique content each time)."""
    data = text_pdf(
        [f"{title} — page {number} — {Evidence.objects.count()}" for number in range(1, pages + 1)]
    )
    evidence = Evidence(
        dossier=dossier,
        title=title,
        kind=EvidenceKind.BUDGET,
        original_name="devis.pdf",
        content_type=FileType.PDF,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        page_count=pages,
        extraction_status=ExtractionStatus.READY,
        uploaded_by=dossier.candidacy.candidate,
        **fields,
    )
    evidence.file.save("devis.pdf", ContentFile(data), save=False)
    evidence.save()
    return evidence


def withdraw(evidence):
    Evidence.objects.filter(pk=evidence.pk).update(withdrawn_at=timezone.now())
    evidence.refresh_from_db()


def sign(dossier):
    Dossier.objects.filter(pk=dossier.pk).update(
        sworn_name="Alex Durand", sworn_place="Paris", sworn_at=timezone.now()
    )
    dossier.refresh_from_db()


def snapshot(candidacy) -> dict:
    """Everything livret 2 stores for ``candidacy``: a refused request must change none of it."""
    candidacy.refresh_from_db()
    dossier = Dossier.objects.get(candidacy=candidacy)
    return {
        "state": candidacy.state,
        "transitions": candidacy.transitions.count(),
        "dossier": model_to_dict(dossier),
        "sworn_at": dossier.sworn_at,
        "links": list(CompetenceLink.objects.filter(dossier=dossier).order_by("pk").values()),
        "reasons": list(NoEvidenceReason.objects.filter(dossier=dossier).order_by("pk").values()),
        "narratives": list(
            Narrative.objects.filter(dossier=dossier).order_by("pk").values("pk", "text", "version")
        ),
        "revisions": NarrativeRevision.objects.filter(narrative__dossier=dossier).count(),
        "evidence": list(
            Evidence.objects.filter(dossier=dossier)
            .order_by("pk")
            .values("pk", "withdrawn_at", "first_submission", "title")
        ),
        "submissions": DossierSubmission.objects.filter(dossier=dossier).count(),
    }


# (url name, extra url kwargs): "link" and "competence" are resolved on the target.
READ_PAGES = [("livret:dossier", {}), ("livret:links", {})]
WRITE_PAGES = [
    ("livret:dossier_sign", {}),
    ("livret:link_add", {}),
    ("livret:link_edit", {"pk": "link"}),
    ("livret:link_delete", {"pk": "link"}),
    ("livret:no_evidence", {"competence_pk": "competence"}),
]
SUBMIT = ("livret:dossier_submit", {})
ALL_PAGES = [*READ_PAGES, *WRITE_PAGES, SUBMIT]


def resolve(candidacy, name, kwargs):
    link = candidacy.dossier.links.select_related("evidence").order_by("pk").first()
    values = {"link": link.pk, "competence": link.competence_id}
    return url(name, candidacy, **{key: values.get(value, value) for key, value in kwargs.items()})


def post_data(candidacy, name):
    """Valid input for each write: a refusal can only come from who asks, or when."""
    link = candidacy.dossier.links.select_related("evidence").order_by("pk").first()
    return {
        "livret:dossier_sign": {
            "certify": "on",
            "sworn_name": "Intrus Total",
            "sworn_place": "Ailleurs",
        },
        "livret:link_add": {
            "competence": str(link.competence_id),
            "source": f"piece-{link.evidence_id}",
            "page_from": "1",
            "page_to": "2",
            "justification": JUSTIFICATION,
        },
        "livret:link_edit": {
            "competence": str(link.competence_id),
            "source": f"piece-{link.evidence_id}",
            "page_from": "2",
            "page_to": "",
            "justification": "Une justification changée par un intrus.",
        },
        "livret:link_delete": {},
        "livret:no_evidence": {"reason": "Une raison écrite par quelqu'un d'autre."},
        # Confirmed: the refusals must hold for a real submission, not for a bare POST.
        "livret:dossier_submit": CONFIRM,
    }[name]
