"""The follow-up surveys' part of a holder's data (RGPD), registered from
``CohortsConfig.ready()``.

Archive: each survey of the holder's candidacies, its dates and answers.

Anonymisation: the job title is erased (free text: it may name an employer or a
person). The categorical answers stay only where the holder consented to the
statistics: they are what the insertion tables count, and no longer point at anyone
once the account is anonymised. Without consent the job's answers go too; the situation
stays, as an answered survey must have one and the tables count the answers given
without consent (never their content). Surveys not sent yet are never sent: the
reminders skip anonymised accounts.
"""

from django.utils.translation import gettext as _

from cohorts.forms import NOT_ASKED
from cohorts.models import FollowUpSurvey
from vae.personal_data.records import record


def _surveys(users):
    return FollowUpSurvey.objects.filter(candidacy__candidate__in=users).select_related(
        "candidacy", "wave"
    )


def collect_surveys(user) -> list[dict]:
    return [
        {
            "candidature": survey.candidacy.reference,
            "enquête": survey.wave.label,
            **record(survey, exclude=("public_id",)),
        }
        for survey in _surveys([user]).order_by("due_on", "pk")
    ]


def anonymise_surveys(users, *, apply: bool) -> list[str]:
    answered = _surveys(users).filter(answered_at__isnull=False).order_by("pk")
    lines = [
        (
            _("%(reference)s : %(wave)s, intitulé du poste effacé")
            if survey.consent
            else _("%(reference)s : %(wave)s, intitulé du poste et réponses sur l'emploi effacés")
        )
        % {"reference": survey.candidacy.reference, "wave": survey.wave.label}
        for survey in answered
    ]
    if apply:
        answered.filter(consent=True).update(job_title="")
        answered.filter(consent=False).update(**NOT_ASKED)
    return lines
