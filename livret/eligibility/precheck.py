"""The pre-check of the référentiel's prerequisite on the experiences of livret 1.

The référentiel lists its prerequisites as data (any one of them suffices); each code
maps here to a test on the declared experiences. The result only informs: the certifier
decides recevabilité.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from livret.enums import Domain, Sector


def _audiovisual(experience) -> bool:
    return experience.sector == Sector.AUDIOVISUAL


def _accounting_elsewhere(experience) -> bool:
    return experience.sector == Sector.OTHER and Domain.ACCOUNTING in (experience.domains or [])


# Prerequisite code (référentiel data) -> the experiences that satisfy it.
EXPERIENCE_TESTS = {
    "experience_audiovisuel": _audiovisual,
    "experience_comptabilite": _accounting_elsewhere,
}


@dataclass(frozen=True)
class PrerequisiteCheck:
    label: str
    supported: bool  # False when the platform has no test for this prerequisite
    matching: list = field(default_factory=list)

    @property
    def met(self) -> bool:
        return bool(self.matching)


@dataclass(frozen=True)
class Precheck:
    checks: list[PrerequisiteCheck]

    @property
    def met(self) -> bool:
        return any(check.met for check in self.checks)

    @property
    def undetermined(self) -> bool:
        """True when nothing can be said automatically (no prerequisite we can test)."""
        return not self.checks or not any(check.supported for check in self.checks)

    @property
    def summary(self) -> str:
        if self.met:
            return _("Le prérequis semble rempli.")
        if self.undetermined:
            return _("Le prérequis sera vérifié par le certificateur.")
        return _("Le prérequis ne semble pas rempli avec les expériences déclarées.")

    @property
    def reasons(self) -> list[str]:
        reasons = []
        for check in self.checks:
            if check.met:
                names = ", ".join(f"{e.job_title} ({e.employer})" for e in check.matching)
                reasons.append(
                    _("%(label)s : oui — %(names)s.") % {"label": check.label, "names": names}
                )
            elif check.supported:
                reasons.append(
                    _("%(label)s : aucune expérience déclarée ne correspond.")
                    % {"label": check.label}
                )
            else:
                reasons.append(
                    _("%(label)s : à vérifier par le certificateur.") % {"label": check.label}
                )
        return reasons


def precheck(request) -> Precheck:
    """Check the candidacy's référentiel prerequisites against livret 1's experiences."""
    experiences = list(request.experiences.all())
    checks = []
    for prerequisite in request.candidacy.certification.prerequisites.all():
        test = EXPERIENCE_TESTS.get(prerequisite.code)
        checks.append(
            PrerequisiteCheck(
                label=prerequisite.label,
                supported=test is not None,
                matching=[e for e in experiences if test and test(e)],
            )
        )
    return Precheck(checks)
