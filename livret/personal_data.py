"""The livrets' part of a candidate's data (RGPD): what their archive holds of livret 1
and livret 2, their evidence files, and what the retention policy removes.

Registered into ``vae.personal_data`` from ``LivretConfig.ready()``.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from livret.models import (
    IDENTITY_FIELDS,
    CompetenceLink,
    Dossier,
    DossierSubmission,
    EligibilityRequest,
    Evidence,
    EvidencePage,
    Narrative,
    NarrativeRevision,
)
from vae.models import Candidacy
from vae.personal_data.archive import safe_filename
from vae.personal_data.core import candidacy_folder
from vae.personal_data.records import record
from vae.personal_data.registry import ArchiveFile

# What names or locates the person in livret 1; their experiences stay (no name in them
# once the identity is gone, and they explain the decision).
ERASED_IDENTITY_FIELDS = (
    *IDENTITY_FIELDS,
    "current_employer",
    "current_job",
    "sworn_name",
    "sworn_place",
)


def _candidacies(user):
    return Candidacy.objects.filter(candidate=user).order_by("created_at")


def _livret1(request) -> dict:
    return {
        **record(request),
        "expériences": [record(item) for item in request.experiences.all()],
        "formations": [record(item) for item in request.trainings.all()],
    }


def _evidence(evidence, folder) -> dict:
    return {
        **record(evidence, exclude=("extraction_error",)),
        "fichier dans l'archive": f"{folder}/{_evidence_name(evidence)}" if evidence.file else "",
    }


def _evidence_name(evidence) -> str:
    return f"pieces/{evidence.pk}-{safe_filename(evidence.original_name)}"


def _link(link) -> dict:
    target = (
        _("pièce « %(title)s »") % {"title": link.evidence.title}
        if link.evidence_id
        else _("récit de l'activité %(code)s") % {"code": link.narrative.activity.code}
    )
    return {"compétence": link.competence.code, "justifiée par": target, **record(link)}


def _livret2(dossier, folder) -> dict:
    return {
        **record(dossier),
        "récits": [
            {
                "activité": f"{narrative.activity.code} — {narrative.activity.title}",
                **record(narrative),
                "versions": [record(revision) for revision in narrative.revisions.all()],
            }
            for narrative in dossier.narratives.all()
        ],
        "pièces justificatives": [_evidence(item, folder) for item in dossier.evidence.all()],
        "liens vers les compétences": [_link(link) for link in dossier.links.all()],
        "absences de pièce expliquées": [
            {"compétence": item.competence.code, **record(item)}
            for item in dossier.no_evidence.all()
        ],
        "dépôts": [record(submission) for submission in dossier.submissions.all()],
    }


def collect_livrets(user) -> list[dict]:
    livrets1 = {
        request.candidacy_id: request
        for request in EligibilityRequest.objects.filter(
            candidacy__candidate=user
        ).prefetch_related("experiences", "trainings")
    }
    dossiers = {
        dossier.candidacy_id: dossier
        for dossier in Dossier.objects.filter(candidacy__candidate=user).prefetch_related(
            Prefetch("narratives", queryset=Narrative.objects.select_related("activity")),
            Prefetch("narratives__revisions", queryset=NarrativeRevision.objects.all()),
            "evidence",
            Prefetch(
                "links",
                queryset=CompetenceLink.objects.select_related(
                    "competence", "evidence", "narrative__activity"
                ),
            ),
            "no_evidence__competence",
            "submissions",
        )
    }
    result = []
    for candidacy in _candidacies(user):
        livret1, dossier = livrets1.get(candidacy.pk), dossiers.get(candidacy.pk)
        folder = candidacy_folder(candidacy)
        result.append(
            {
                "candidature": candidacy.reference,
                "livret 1": _livret1(livret1) if livret1 else None,
                "livret 2": _livret2(dossier, folder) if dossier else None,
            }
        )
    return result


def evidence_files(user):
    pieces = (
        Evidence.objects.filter(dossier__candidacy__candidate=user)
        .exclude(file="")
        .select_related("dossier__candidacy")
        .order_by("pk")
    )
    for evidence in pieces:
        yield ArchiveFile(
            f"{candidacy_folder(evidence.dossier.candidacy)}/{_evidence_name(evidence)}",
            evidence.file.open,
        )


def purge_evidence_files(candidacies, *, apply: bool) -> list[str]:
    """The files of the candidacies' evidence and the text read from them; the pieces'
    rows (title, kind, size, SHA-256) stay, as the record of what was submitted."""
    pieces = (
        Evidence.objects.filter(dossier__candidacy__in=candidacies)
        .exclude(file="")
        .select_related("dossier__candidacy")
        .order_by("pk")
    )
    lines = []
    for evidence in pieces:
        lines.append(
            _("%(reference)s : fichier et texte de la pièce n° %(pk)s supprimés")
            % {"reference": evidence.dossier.candidacy.reference, "pk": evidence.pk}
        )
        if apply:
            # Rows first: a file that cannot be deleted rolls them back (the purge runs in
            # a transaction), so no row ever points at a file that is gone unnoticed.
            EvidencePage.objects.filter(evidence=evidence).delete()
            Evidence.objects.filter(pk=evidence.pk).update(file="", text_pages=None)
            evidence.file.storage.delete(evidence.file.name)
    return lines


def anonymise_livrets(users, *, apply: bool) -> list[str]:
    """Identity, address, employer and signatures of livret 1 and 2 erased."""
    requests = EligibilityRequest.objects.filter(candidacy__candidate__in=users)
    lines = [
        _("%(reference)s : identité du livret 1 et signatures effacées")
        % {"reference": candidacy.reference}
        for candidacy in Candidacy.objects.filter(candidate__in=users).order_by("pk")
    ]
    if apply:
        blank = {}
        for name in ERASED_IDENTITY_FIELDS:
            model_field = EligibilityRequest._meta.get_field(name)
            blank[name] = None if model_field.null else ""
        requests.update(**blank)
        Dossier.objects.filter(candidacy__candidate__in=users).update(sworn_name="", sworn_place="")
        DossierSubmission.objects.filter(dossier__candidacy__candidate__in=users).update(
            sworn_name="", sworn_place=""
        )
    return lines
