"""Livret 2 as a PDF: what the candidate wrote and uploaded, as the certifier and the jury
will read it on paper.

``build_export`` gathers the content of one version of the dossier — the current one, or
exactly what was sent with a given submission — in a fixed number of queries;
``render_export`` turns it into a PDF. The PDF is a generated document (``vae.documents``):
``request_export`` asks for it (rendered in a task, stored with its SHA-256), the one of
a submission is queued at the submission itself (``queue_submitted_export``, an effect
of ``submit_dossier``) and never rendered again; the current version is rendered again
only when ``export_version``, a digest of what the PDF shows, has changed.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from livret.dossier.models import (
    CompetenceLink,
    Dossier,
    Evidence,
    Narrative,
    NarrativeRevision,
    NoEvidenceReason,
)
from referentiel import french as fr
from vae import permissions
from vae.documents.pdf import render_template_pdf
from vae.documents.services import request_document
from vae.enums import DOSSIER_STATES, DocumentKind, Transition
from vae.models.documents import CURRENT

# The livret 2 print template; its folder is the only place its PDF may read from.
PDF_TEMPLATE = "livret/pdf/livret2.html"


def can_export(user, candidacy) -> bool:
    """Who may download the PDF: who may read the dossier (its candidate, the certifiers,
    later the assigned evaluators), once a dossier can exist."""
    return candidacy.state in DOSSIER_STATES and permissions.can_view_dossier(user, candidacy)


# -- content -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivitySection:
    activity: object
    competences: list
    text: str


@dataclass(frozen=True)
class BlocSection:
    bloc: object
    activities: list[ActivitySection]


@dataclass(frozen=True)
class EvidenceRow:
    number: int
    evidence: object
    flags: list[str]
    # False when the piece no longer counts (withdrawn, or replaced by a newer file).
    counts: bool


@dataclass(frozen=True)
class LinkRow:
    link: object
    evidence_row: EvidenceRow | None = None
    activity: object = None

    @property
    def pages(self) -> str:
        first, last = self.link.page_from, self.link.page_to
        if first and last and last != first:
            return _("p. %(first)s à %(last)s") % {"first": first, "last": last}
        if first or last:
            return _("p. %(page)s") % {"page": first or last}
        return _("document entier")


@dataclass(frozen=True)
class CompetenceSection:
    competence: object
    links: list[LinkRow] = field(default_factory=list)
    no_evidence_reason: str = ""


@dataclass(frozen=True)
class Sworn:
    name: str
    place: str
    at: object


@dataclass(frozen=True)
class Export:
    """One version of a dossier, ready for the PDF template."""

    candidacy: object
    dossier: object
    submission: object  # the DossierSubmission exported, or None for the current version
    latest_submission: object  # the last submission, whatever is exported
    frozen: bool  # the current content is exactly that of the last submission
    blocs: list[BlocSection]
    evidence: list[EvidenceRow]
    # None when the links of an earlier submission are not known any more (see below).
    links: list[tuple[object, list[CompetenceSection]]] | None
    sworn: Sworn | None
    generated_at: object

    @property
    def submitted(self):
        """The submission this PDF shows, if it shows a submitted version."""
        if self.submission is not None:
            return self.submission
        return self.latest_submission if self.frozen else None

    @property
    def filename(self) -> str:
        return export_filename(self.candidacy, self.submission)

    @property
    def title(self) -> str:
        return _("Livret 2 — %(reference)s — %(name)s") % {
            "reference": self.candidacy.reference,
            "name": self.candidacy.candidate.get_full_name(),
        }


def frozen_since_last_submission(candidacy) -> bool:
    """True when the dossier has not been reopened since it was last submitted.

    Submitting freezes the dossier; only a return reopens it (a withdrawal keeps what it
    finds). So the last of these two transitions in the log tells.
    """
    last = (
        candidacy.transitions.filter(
            transition__in=[Transition.SUBMIT_DOSSIER, Transition.RETURN_DOSSIER]
        )
        .order_by("-created_at", "-pk")
        .values_list("transition", flat=True)
        .first()
    )
    return last == Transition.SUBMIT_DOSSIER


def _evidence_rows(dossier, submission) -> list[EvidenceRow]:
    evidence = Evidence.objects.filter(dossier=dossier).select_related(
        "replaces", "replaced_by__first_submission", "first_submission"
    )
    if submission is not None:
        evidence = evidence.filter(first_submission__number__lte=submission.number)
    rows = []
    for number, item in enumerate(evidence, start=1):
        flags, counts = [], True
        if item.first_submission_id:
            flags.append(
                _("déposée avec le dépôt n° %(number)s") % {"number": item.first_submission.number}
            )
        if item.replaces_id:
            flags.append(_("remplace « %(title)s »") % {"title": item.replaces.title})
        replacement = getattr(item, "replaced_by", None)
        if replacement is not None and (
            submission is None
            or (
                replacement.first_submission is not None
                and replacement.first_submission.number <= submission.number
            )
        ):
            flags.append(_("remplacée par « %(title)s »") % {"title": replacement.title})
            counts = False
        if item.withdrawn_at and (
            submission is None or item.withdrawn_at <= submission.submitted_at
        ):
            flags.append(_("retirée le %(date)s") % {"date": fr.numeric_date(item.withdrawn_at)})
            counts = False
        if item.has_javascript:
            flags.append(_("contient du JavaScript (jamais affichée dans le navigateur)"))
        rows.append(EvidenceRow(number=number, evidence=item, flags=flags, counts=counts))
    return rows


def _narrative_texts(dossier, submission) -> dict[int, str]:
    """Activity id → text of the narrative in the exported version."""
    if submission is None:
        return dict(Narrative.objects.filter(dossier=dossier).values_list("activity_id", "text"))
    return dict(
        NarrativeRevision.objects.filter(
            narrative__dossier=dossier, submission=submission
        ).values_list("narrative__activity_id", "text")
    )


def _link_sections(dossier, blocs, evidence_rows):
    by_evidence = {row.evidence.pk: row for row in evidence_rows}
    links = defaultdict(list)
    for link in CompetenceLink.objects.filter(dossier=dossier).select_related(
        "narrative__activity"
    ):
        links[link.competence_id].append(
            LinkRow(
                link=link,
                evidence_row=by_evidence.get(link.evidence_id),
                activity=link.narrative.activity if link.narrative_id else None,
            )
        )
    reasons = dict(
        NoEvidenceReason.objects.filter(dossier=dossier).values_list("competence_id", "reason")
    )
    return [
        (
            section.bloc,
            [
                CompetenceSection(
                    competence=competence,
                    links=links.get(competence.pk, []),
                    no_evidence_reason=reasons.get(competence.pk, ""),
                )
                for activity in section.activities
                for competence in activity.competences
            ],
        )
        for section in blocs
    ]


def build_export(candidacy, dossier, submission=None) -> Export:
    """The content of the current version of ``dossier``, or of ``submission``'s."""
    latest = dossier.submissions.order_by("-number").first()
    frozen = latest is not None and frozen_since_last_submission(candidacy)
    texts = _narrative_texts(dossier, submission)
    blocs = [
        BlocSection(
            bloc=bloc,
            activities=[
                ActivitySection(
                    activity=activity,
                    competences=list(activity.competences.all()),
                    text=texts.get(activity.pk, ""),
                )
                for activity in bloc.activities.all()
            ],
        )
        for bloc in candidacy.referentiel_tree()
    ]
    evidence = _evidence_rows(dossier, submission)
    # Links and no-evidence reasons are not kept per submission: they are those submitted
    # only while the dossier has stayed frozen since its last submission.
    links_known = submission is None or (submission.pk == latest.pk and frozen)
    if submission is not None:
        sworn = Sworn(submission.sworn_name, submission.sworn_place, submission.sworn_at)
    elif dossier.is_signed:
        sworn = Sworn(dossier.sworn_name, dossier.sworn_place, dossier.sworn_at)
    else:
        sworn = None
    return Export(
        candidacy=candidacy,
        dossier=dossier,
        submission=submission,
        latest_submission=latest,
        frozen=frozen,
        blocs=blocs,
        evidence=evidence,
        links=_link_sections(dossier, blocs, evidence) if links_known else None,
        sworn=sworn,
        generated_at=timezone.now(),
    )


def render_export(export: Export) -> bytes:
    return render_template_pdf(PDF_TEMPLATE, {"export": export})


# -- the generated document ----------------------------------------------------------------


def export_key(submission) -> str:
    return f"depot-{submission.number}" if submission is not None else CURRENT


def export_filename(candidacy, submission) -> str:
    suffix = f"-depot-{submission.number}" if submission is not None else ""
    return f"livret2-{candidacy.reference}{suffix}.pdf"


def export_version(candidacy, dossier) -> str:
    """A digest of everything the current version's PDF shows, from a few narrow queries
    (no narrative text: its version number says when it changed): equal digests, same PDF.
    """
    parts = [
        candidacy.state,
        candidacy.candidate.get_full_name(),
        sorted(candidacy.targeted_blocs.values_list("pk", flat=True)),
        list(
            candidacy.transitions.filter(
                transition__in=[Transition.SUBMIT_DOSSIER, Transition.RETURN_DOSSIER]
            ).values_list("pk", flat=True)
        ),
        list(dossier.submissions.values_list("number", flat=True)),
        (dossier.sworn_name, dossier.sworn_place, dossier.sworn_at),
        list(
            Narrative.objects.filter(dossier=dossier)
            .order_by("pk")
            .values_list("pk", "activity_id", "version", "updated_at")
        ),
        list(
            Evidence.objects.filter(dossier=dossier)
            .order_by("pk")
            .values_list(
                "pk",
                "title",
                "kind",
                "original_name",
                "content_type",
                "size",
                "sha256",
                "page_count",
                "has_javascript",
                "replaces_id",
                "first_submission_id",
                "withdrawn_at",
            )
        ),
        list(CompetenceLink.objects.filter(dossier=dossier).order_by("pk").values_list()),
        list(NoEvidenceReason.objects.filter(dossier=dossier).order_by("pk").values_list()),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def request_export(candidacy, dossier, submission=None):
    """The ``GeneratedDocument`` of the current version or of ``submission``'s, queued for
    rendering if it is not stored yet (or, for the current version, out of date)."""
    return request_document(
        candidacy=candidacy,
        kind=DocumentKind.LIVRET2,
        key=export_key(submission),
        version=export_version(candidacy, dossier) if submission is None else "",
        filename=export_filename(candidacy, submission),
    )


def queue_submitted_export(*, candidacy, entry):
    """Effect of ``submit_dossier`` (after ``freeze_submission``): the PDF of what was just
    sent, rendered once after the commit, never again."""
    dossier = Dossier.objects.get(candidacy=candidacy)
    submission = dossier.submissions.order_by("-number").first()
    return request_export(candidacy, dossier, submission)


def render_livret2(document) -> bytes:
    """The renderer of ``DocumentKind.LIVRET2`` (registered by ``livret.apps``)."""
    candidacy = document.candidacy
    dossier = Dossier.objects.get(candidacy=candidacy)
    submission = None
    if document.key != CURRENT:
        submission = dossier.submissions.get(number=int(document.key.removeprefix("depot-")))
    return render_export(build_export(candidacy, dossier, submission=submission))


def can_read_livret2(user, document) -> bool:
    return can_export(user, document.candidacy)
