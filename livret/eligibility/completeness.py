"""Is livret 1 complete? Section by section, with what is missing said in French.

The same function feeds the candidate's summary page, the certifier's view and the guard
of ``submit_eligibility``, so they can never disagree.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from livret.eligibility.models import (
    IDENTITY_FIELDS,
    IDENTITY_OPTIONAL_FIELDS,
    EligibilityRequest,
)
from livret.enums import Situation


@dataclass(frozen=True)
class Section:
    slug: str
    label: str


SECTIONS = (
    Section("identite", gettext_lazy("Identité")),
    Section("situation", gettext_lazy("Situation actuelle")),
    Section("experiences", gettext_lazy("Expériences professionnelles")),
    Section("formations", gettext_lazy("Formations et diplômes")),
    Section("blocs", gettext_lazy("Blocs de compétences visés")),
    Section("amenagements", gettext_lazy("Aménagements (situation de handicap)")),
    Section("declaration", gettext_lazy("Déclaration sur l'honneur")),
)
SECTION_SLUGS = tuple(section.slug for section in SECTIONS)

IDENTITY_REQUIRED = [name for name in IDENTITY_FIELDS if name not in IDENTITY_OPTIONAL_FIELDS]


@dataclass(frozen=True)
class SectionStatus:
    section: Section
    problems: list[str] = field(default_factory=list)

    @property
    def slug(self):
        return self.section.slug

    @property
    def label(self):
        return self.section.label

    @property
    def complete(self) -> bool:
        return not self.problems


def _identity(request):
    missing = [
        str(EligibilityRequest._meta.get_field(name).verbose_name)
        for name in IDENTITY_REQUIRED
        if getattr(request, name) in (None, "")
    ]
    if missing:
        return [_("À renseigner : %(fields)s.") % {"fields": ", ".join(missing)}]
    return []


def _situation(request):
    if not request.situation:
        return [_("Indiquez votre situation actuelle.")]
    if request.situation == Situation.OTHER and not request.situation_details.strip():
        return [_("Précisez votre situation.")]
    return []


def _experiences(request):
    if not request.experiences.all():
        return [_("Ajoutez au moins une expérience professionnelle.")]
    return []


def _trainings(request):
    if not request.trainings.all() and not request.no_training:
        return [
            _(
                "Ajoutez vos formations et diplômes, ou indiquez que vous n'en avez aucun "
                "à déclarer."
            )
        ]
    return []


def _blocs(request):
    if not request.candidacy.targeted_blocs.all():
        return [_("Choisissez au moins un bloc de compétences.")]
    return []


def _accommodations(request):
    if request.needs_accommodation is None:
        return [_("Indiquez si vous demandez des aménagements.")]
    if request.needs_accommodation and not request.accommodation_details.strip():
        return [_("Décrivez les aménagements souhaités.")]
    return []


def _sworn(request):
    if not (request.sworn and request.sworn_at):
        return [_("Signez la déclaration sur l'honneur.")]
    return []


CHECKS = {
    "identite": _identity,
    "situation": _situation,
    "experiences": _experiences,
    "formations": _trainings,
    "blocs": _blocs,
    "amenagements": _accommodations,
    "declaration": _sworn,
}


def section_statuses(request) -> list[SectionStatus]:
    return [SectionStatus(section, CHECKS[section.slug](request)) for section in SECTIONS]


def eligibility_problems(candidacy) -> list[str]:
    """Every missing item of the candidacy's livret 1, prefixed by its section."""
    request = getattr(candidacy, "eligibility_request", None)
    if request is None:
        return [_("Le livret 1 n'a pas été commencé.")]
    return [
        f"{status.label} : {problem}"
        for status in section_statuses(request)
        for problem in status.problems
    ]
