"""Reads of livret 1 for its pages."""

from dataclasses import dataclass

from livret.eligibility.completeness import SECTION_SLUGS, SECTIONS, section_statuses
from livret.eligibility.models import EligibilityRequest
from vae.enums import Transition
from vae.models import AcquiredBloc


def eligibility_request_for(candidacy):
    """The candidacy's livret 1 with what its pages read, or None when it has none."""
    return (
        EligibilityRequest.objects.select_related("candidacy__certification")
        .prefetch_related("experiences", "trainings", "candidacy__targeted_blocs")
        .filter(candidacy=candidacy)
        .first()
    )


def return_to_correct(candidacy):
    """The certifier's return of livret 1 for correction (its comment says what to change)
    when it is the last transition of the candidacy, else None."""
    last = candidacy.transitions.order_by("-created_at", "-pk").first()
    return last if last and last.transition == Transition.RETURN_ELIGIBILITY else None


def acquired_blocs(candidacy) -> dict:
    """Bloc code -> date, for the blocs the candidate has already validated for good."""
    return dict(
        AcquiredBloc.objects.filter(
            candidate_id=candidacy.candidate_id,
            certification_code=candidacy.certification_code,
        ).values_list("bloc_code", "acquired_on")
    )


def section_label(slug) -> str:
    return next(str(section.label) for section in SECTIONS if section.slug == slug)


def next_section(slug):
    """The slug of the section after ``slug``, or None after the last one."""
    index = SECTION_SLUGS.index(slug)
    return SECTION_SLUGS[index + 1] if index + 1 < len(SECTION_SLUGS) else None


@dataclass(frozen=True)
class Problem:
    text: str
    section_slug: str | None
    section_label: str | None


def problems_by_section(eligibility_request, problems) -> list[Problem]:
    """Attach each problem sentence of a refused submission to the section it is about.

    ``eligibility_problems`` prefixes each sentence with its section's label; a sentence
    that matches no section (another guard) is kept without a link.
    """
    owners = {
        f"{status.label} : {problem}": status
        for status in section_statuses(eligibility_request)
        for problem in status.problems
    }
    result = []
    for text in problems:
        status = owners.get(text)
        result.append(
            Problem(
                text=text,
                section_slug=status.slug if status else None,
                section_label=str(status.label) if status else None,
            )
        )
    return result
