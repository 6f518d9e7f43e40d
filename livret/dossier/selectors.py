"""Reads of the livret 2 overview, sign and submit pages: what is missing (linked to where
it is fixed), where the next action is done, and the history of submissions."""

from dataclasses import dataclass

from django.urls import reverse

from livret.dossier.coverage import ActionKind, Coverage, NextAction, problem_items
from vae.enums import CandidacyState, Transition

# The send area names this many compétences, then « et 12 autres »: the full list is the
# « reste à faire » view of the overview.
MISSING_SHOWN = 3


@dataclass(frozen=True)
class ProblemLine:
    """One line of a list of what prevents the submission.

    ``url``: where it is fixed, if anywhere; ``competence``: it is about one compétence;
    ``more``: not a problem but « et N autres », the compétences left out of a summary.
    """

    text: str = ""
    url: str | None = None
    competence: bool = False
    more: int = 0


def linked_problems(texts, result: Coverage, candidacy) -> list[ProblemLine]:
    """The refusal's problems as the service worded them, each with where it is fixed.

    The texts are matched against the problems computed from the same coverage, so the
    page never rewords what the guard said; a problem with no place to fix it (an
    expired recevabilité) is listed without a link.
    """
    by_text = {item.text: item for item in problem_items(result)}
    overview = reverse("livret:dossier", kwargs={"candidacy_pk": candidacy.pk})
    sign_url = reverse("livret:dossier_sign", kwargs={"candidacy_pk": candidacy.pk})
    problems = []
    for text in texts:
        item = by_text.get(text)
        url = None
        is_competence = item is not None and item.row is not None
        if is_competence:
            url = f"{overview}#competence-{item.row.competence.pk}"
        elif item is not None and item.sign:
            url = sign_url
        problems.append(ProblemLine(text=text, url=url, competence=is_competence))
    return problems


def missing_summary(texts, result: Coverage, candidacy, *, shown=MISSING_SHOWN):
    """What prevents the submission, short enough to read at a glance.

    The first ``shown`` compétences, then one « et N autres » line linking to the
    overview's « reste à faire » view, then whatever is not about a compétence (the
    signature, an expired recevabilité): those are never cut.
    """
    problems = linked_problems(texts, result, candidacy)
    competences = [problem for problem in problems if problem.competence]
    if len(competences) <= shown:
        return problems
    rest = reverse("livret:dossier", kwargs={"candidacy_pk": candidacy.pk}) + "?reste=1#matrice"
    summary, seen = [], 0
    for problem in problems:
        if problem.competence:
            seen += 1
            if seen > shown:
                continue
        summary.append(problem)
        if seen == shown and problem.competence:
            summary.append(ProblemLine(more=len(competences) - shown, url=rest))
    return summary


def action_url(action: NextAction | None, candidacy) -> str | None:
    """Where the next action is done."""
    if action is None:
        return None
    kwargs = {"candidacy_pk": candidacy.pk}
    if action.kind == ActionKind.NARRATIVE:
        return reverse("livret:narrative", kwargs={**kwargs, "activity_pk": action.activity.pk})
    if action.kind == ActionKind.UPLOAD:
        return reverse("livret:evidence_upload", kwargs=kwargs)
    if action.kind == ActionKind.EVIDENCE:
        query = f"?competence={action.competence.pk}&retour=overview"
        return reverse("livret:link_add", kwargs=kwargs) + query
    if action.kind == ActionKind.SIGN:
        return reverse("livret:dossier_sign", kwargs=kwargs)
    return reverse("livret:dossier_submit", kwargs=kwargs)


@dataclass(frozen=True)
class SubmissionRound:
    """One submission of the dossier and the return that answered it, if any."""

    submission: object
    returned: object = None


def submission_history(candidacy, dossier) -> tuple[list[SubmissionRound], object]:
    """The submissions, oldest first, each with its return; and the return to show on the
    overview (the last one, while the dossier is back with the candidate), or None."""
    submissions = list(dossier.submissions.order_by("number"))
    returns = list(
        candidacy.transitions.filter(transition=Transition.RETURN_DOSSIER).order_by(
            "created_at", "pk"
        )
    )
    # Submissions and returns alternate: the n-th return answers the n-th submission.
    history = [
        SubmissionRound(submission, returns[index] if index < len(returns) else None)
        for index, submission in enumerate(submissions)
    ]
    returned = None
    if history and candidacy.state == CandidacyState.ELIGIBLE and history[-1].returned:
        returned = history[-1].returned
    return history, returned
