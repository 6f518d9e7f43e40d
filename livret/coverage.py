"""Is livret 2 complete? The compétences × (narrative, evidence) matrix of a dossier.

One function computes it, in a fixed number of queries; the candidate's matrix, the
progress bars, the submission guard and the staff pages all read it.

A compétence is covered when
- its narrative exists: the récit of its activité has at least VAE_NARRATIVE_MIN_CHARS
  characters, or the candidate linked another récit, itself that long, to it (a linked
  récit too short to count for its own activité does not count for another one either);
- its evidence exists: at least one current piece is linked to it, or the candidate
  wrote why none exists.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from livret.dossier import targeted_blocs
from livret.models import CompetenceLink, Dossier, Evidence, Narrative, NoEvidenceReason


@dataclass
class CompetenceCoverage:
    competence: object
    narrative_written: bool
    # The compétence's activité (its récit is the one that covers it), already loaded.
    activity: object = None
    narrative_links: list = field(default_factory=list)
    evidence_links: list = field(default_factory=list)
    no_evidence_reason: str = ""

    @property
    def has_narrative(self) -> bool:
        return self.narrative_written or bool(self.narrative_links)

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence_links) or bool(self.no_evidence_reason.strip())

    @property
    def complete(self) -> bool:
        return self.has_narrative and self.has_evidence

    @property
    def missing(self) -> list[str]:
        missing = []
        if not self.has_narrative:
            missing.append(_("récit"))
        if not self.has_evidence:
            missing.append(_("pièce justificative ou explication de son absence"))
        return missing


def _percent(done, total) -> int:
    return round(100 * done / total) if total else 0


@dataclass
class BlocCoverage:
    bloc: object
    rows: list

    @property
    def done(self) -> int:
        return sum(row.complete for row in self.rows)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def percent(self) -> int:
        return _percent(self.done, self.total)


@dataclass
class Coverage:
    blocs: list
    signed: bool

    @property
    def rows(self):
        return [row for bloc in self.blocs for row in bloc.rows]

    @property
    def done(self) -> int:
        return sum(bloc.done for bloc in self.blocs)

    @property
    def total(self) -> int:
        return sum(bloc.total for bloc in self.blocs)

    @property
    def percent(self) -> int:
        return _percent(self.done, self.total)

    @property
    def incomplete(self) -> list[CompetenceCoverage]:
        return [row for row in self.rows if not row.complete]

    @property
    def complete(self) -> bool:
        return self.total > 0 and not self.incomplete


def _long_enough(text, minimum) -> bool:
    return len(text.strip()) >= minimum


def coverage(candidacy, dossier=None) -> Coverage:
    if dossier is None:
        dossier = Dossier.objects.filter(candidacy=candidacy).first()
    blocs = targeted_blocs(candidacy)
    written, reasons = set(), {}
    narrative_links, evidence_links = defaultdict(list), defaultdict(list)
    if dossier is not None:
        minimum = settings.VAE_NARRATIVE_MIN_CHARS
        written = {
            n.activity_id
            for n in Narrative.objects.filter(dossier=dossier).only("activity_id", "text")
            if _long_enough(n.text, minimum)
        }
        current = set(
            Evidence.objects.filter(dossier=dossier).current().values_list("pk", flat=True)
        )
        links = CompetenceLink.objects.filter(dossier=dossier).select_related(
            "evidence", "narrative__activity"
        )
        for link in links:
            if link.narrative_id:
                if _long_enough(link.narrative.text, minimum):
                    narrative_links[link.competence_id].append(link)
            elif link.evidence_id in current:
                evidence_links[link.competence_id].append(link)
        reasons = dict(
            NoEvidenceReason.objects.filter(dossier=dossier).values_list("competence_id", "reason")
        )
    return Coverage(
        blocs=[
            BlocCoverage(
                bloc=bloc,
                rows=[
                    CompetenceCoverage(
                        competence=competence,
                        activity=activity,
                        narrative_written=activity.pk in written,
                        narrative_links=narrative_links.get(competence.pk, []),
                        evidence_links=evidence_links.get(competence.pk, []),
                        no_evidence_reason=reasons.get(competence.pk, ""),
                    )
                    for activity in bloc.activities.all()
                    for competence in activity.competences.all()
                ],
            )
            for bloc in blocs
        ],
        signed=bool(dossier and dossier.is_signed),
    )


@dataclass(frozen=True)
class DossierProblem:
    """One reason the dossier cannot be submitted, and what it is about, so that a page can
    link it to where it is fixed (the compétence's row, the signature page)."""

    text: str
    row: CompetenceCoverage | None = None
    sign: bool = False


def problem_items(result: Coverage) -> list[DossierProblem]:
    items = [
        DossierProblem(
            text=_("%(code)s : il manque %(missing)s.")
            % {"code": row.competence.code, "missing": _(" et ").join(row.missing)},
            row=row,
        )
        for row in result.incomplete
    ]
    if not result.signed:
        items.append(
            DossierProblem(text=_("Signez la déclaration sur l'honneur du livret 2."), sign=True)
        )
    return items


def dossier_problems(candidacy) -> list[str]:
    """What prevents submitting the dossier, in French, one line per missing item."""
    dossier = Dossier.objects.filter(candidacy=candidacy).first()
    if dossier is None:
        return [_("Le dossier de validation n'a pas été commencé.")]
    return [item.text for item in problem_items(coverage(candidacy, dossier))]
