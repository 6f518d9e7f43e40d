"""Is livret 2 complete? The compétences × (narrative, evidence) matrix of a dossier.

One function computes it, in a fixed number of queries; the candidate's overview, the
progress bars, the submission guard and the staff pages all read it. Two pure functions
shape it for the candidate's overview: ``next_action`` (the one thing to do now) and
``overview_blocs`` (collapsible blocs, optionally only what is left to do).

A compétence is covered when
- its narrative exists: the récit of its activité has at least VAE_NARRATIVE_MIN_CHARS
  characters, or the candidate linked another récit, itself that long, to it (a linked
  récit too short to count for its own activité does not count for another one either);
- its evidence exists: at least one current piece is linked to it, or the candidate
  wrote why none exists.
"""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from itertools import groupby

from django.conf import settings
from django.utils.translation import gettext as _

from livret.dossier.models import CompetenceLink, Dossier, Evidence, Narrative, NoEvidenceReason


@dataclass(frozen=True)
class CompetenceCoverage:
    competence: object
    narrative_written: bool
    # The compétence's activité (its récit is the one that covers it), already loaded.
    activity: object = None
    # Its activité's récit has some text, too short to count yet: « Compléter », not « Écrire ».
    narrative_started: bool = False
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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class Coverage:
    blocs: list
    signed: bool
    # Current pieces in the dossier, linked or not: with none, the next step is to upload one.
    evidence_count: int = 0

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
    blocs = candidacy.referentiel_tree()
    written, started, reasons, current = set(), set(), {}, set()
    narrative_links, evidence_links = defaultdict(list), defaultdict(list)
    if dossier is not None:
        minimum = settings.VAE_NARRATIVE_MIN_CHARS
        for narrative in Narrative.objects.filter(dossier=dossier).only("activity_id", "text"):
            if _long_enough(narrative.text, minimum):
                written.add(narrative.activity_id)
            elif narrative.text.strip():
                started.add(narrative.activity_id)
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
                        narrative_started=activity.pk in started,
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
        evidence_count=len(current),
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


# -- the overview's compact view -----------------------------------------------------------


class ActionKind:
    """What the next action asks for; the page maps each to where it is done."""

    NARRATIVE = "narrative"
    UPLOAD = "upload"
    EVIDENCE = "evidence"
    SIGN = "sign"
    SUBMIT = "submit"


@dataclass(frozen=True)
class NextAction:
    """The one thing the candidate should do now on livret 2, worded as its button."""

    kind: str
    label: str
    activity: object = None
    competence: object = None
    # For a récit: some text exists, too short to count yet.
    started: bool = False


def next_action(result: Coverage, *, resign: bool = False) -> NextAction | None:
    """The first thing left to do, in the référentiel's order; None when no bloc is targeted.

    A compétence needs its récit before its pieces (the récit says what the pieces
    prove); with no piece in the dossier yet, the step is to upload one, not to link one.
    Once every compétence is covered: sign (again, after a change), then submit.
    """
    if not result.total:
        return None
    for row in result.incomplete:
        if not row.has_narrative:
            verb = _("Compléter") if row.narrative_started else _("Écrire")
            return NextAction(
                ActionKind.NARRATIVE,
                _("%(verb)s le récit de l'activité %(code)s")
                % {"verb": verb, "code": row.activity.code},
                activity=row.activity,
                competence=row.competence,
                started=row.narrative_started,
            )
        if not result.evidence_count:
            return NextAction(
                ActionKind.UPLOAD,
                _("Joindre une pièce justificative pour %(code)s") % {"code": row.competence.code},
                activity=row.activity,
                competence=row.competence,
            )
        return NextAction(
            ActionKind.EVIDENCE,
            _("Lier une pièce à %(code)s") % {"code": row.competence.code},
            activity=row.activity,
            competence=row.competence,
        )
    if not result.signed:
        label = _("Signer de nouveau la déclaration") if resign else _("Signer la déclaration")
        return NextAction(ActionKind.SIGN, label)
    return NextAction(ActionKind.SUBMIT, _("Déposer mon dossier"))


@dataclass(frozen=True)
class ActivityRows:
    """An activité's compétences as the overview shows them: its récit covers them all."""

    activity: object
    rows: list
    narrative_written: bool
    narrative_started: bool


@dataclass(frozen=True)
class BlocView:
    """One collapsible bloc of the overview: ``open`` when something is left to do."""

    coverage: BlocCoverage
    activities: list
    open: bool

    @property
    def remaining(self) -> int:
        return self.coverage.total - self.coverage.done


def overview_blocs(result: Coverage, *, remaining_only: bool = False) -> list[BlocView]:
    """The blocs of the overview, each with its rows grouped by activité.

    Open: the blocs with something left to do, or the first bloc when all are complete
    (a closed page would show nothing). ``remaining_only`` keeps the incomplete
    compétences only (the « reste à faire » filter); a complete bloc then has no rows.
    """
    views = []
    for bloc in result.blocs:
        rows = [row for row in bloc.rows if not (remaining_only and row.complete)]
        activities = [
            ActivityRows(
                activity=group[0].activity,
                rows=group,
                narrative_written=group[0].narrative_written,
                narrative_started=group[0].narrative_started,
            )
            for group in (
                list(items) for _key, items in groupby(rows, key=lambda row: row.activity.pk)
            )
        ]
        views.append(BlocView(coverage=bloc, activities=activities, open=bloc.done < bloc.total))
    if views and not any(view.open for view in views):
        views[0] = replace(views[0], open=True)
    return views
