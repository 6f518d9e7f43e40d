"""Reads of the links pages: every targeted compétence with its links (flagged when they
no longer count) and its no-evidence reason, and one targeted compétence."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.http import Http404

from livret.dossier.models import CompetenceLink, Evidence, NoEvidenceReason
from referentiel.models import Competence


@dataclass(frozen=True)
class LinkItem:
    """One link as the links page shows it: ``stale`` when it no longer counts (its piece
    was withdrawn or replaced, its récit is too short).

    The item reads through to its ``CompetenceLink`` for the link's own fields
    (``item.justification``, ``item.evidence``), so that a template names both alike.
    """

    link: CompetenceLink
    stale: bool

    def __getattr__(self, name):
        # Called only for what the item does not define itself. Guarded so that copying
        # or unpickling (before ``link`` is set) does not recurse.
        link = self.__dict__.get("link")
        if link is None or name.startswith("__"):
            raise AttributeError(name)
        return getattr(link, name)


@dataclass(frozen=True)
class CompetenceLinks:
    competence: Competence
    activity: object
    links: list[LinkItem] = field(default_factory=list)
    reason: NoEvidenceReason | None = None


@dataclass(frozen=True)
class BlocLinks:
    bloc: object
    competences: list[CompetenceLinks]


def links_by_competence(candidacy, dossier) -> list[BlocLinks]:
    """Bloc → compétences (with their activité), each with all its links, including the
    ones that no longer count, flagged; in a fixed number of queries."""
    minimum = settings.VAE_NARRATIVE_MIN_CHARS
    current = set(Evidence.objects.filter(dossier=dossier).current().values_list("pk", flat=True))
    by_competence = defaultdict(list)
    for link in dossier.links.select_related("evidence", "narrative__activity").order_by("pk"):
        if link.evidence_id:
            stale = link.evidence_id not in current
        else:
            stale = len(link.narrative.text.strip()) < minimum
        by_competence[link.competence_id].append(LinkItem(link=link, stale=stale))
    reasons = {reason.competence_id: reason for reason in dossier.no_evidence.all()}
    return [
        BlocLinks(
            bloc=bloc,
            competences=[
                CompetenceLinks(
                    competence=competence,
                    activity=activity,
                    links=by_competence.get(competence.pk, []),
                    reason=reasons.get(competence.pk),
                )
                for activity in bloc.activities.all()
                for competence in activity.competences.all()
            ],
        )
        for bloc in candidacy.referentiel_tree()
    ]


def targeted_competence_or_404(candidacy, competence_pk) -> Competence:
    """The compétence ``competence_pk`` with its activité and bloc, if the candidacy
    targets it (one query); else 404."""
    competence = (
        Competence.objects.select_related("activity__bloc")
        .filter(pk=competence_pk, activity__bloc__candidacies=candidacy)
        .first()
    )
    if competence is None:
        raise Http404
    return competence


def evidence_links(dossier, competence) -> list[CompetenceLink]:
    """The links of ``competence`` to pieces (current or not), oldest first."""
    return list(
        CompetenceLink.objects.filter(
            dossier=dossier, competence=competence, evidence__isnull=False
        ).order_by("pk")
    )
