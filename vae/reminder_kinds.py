"""The reminders the core owns (``vae.reminders``): registered by ``vae.apps``."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from referentiel import french as fr
from vae.emails import site_url
from vae.enums import CandidacyState
from vae.models import Candidacy
from vae.notifications import certifiers
from vae.reminders import Due, register_kind, reminder_email, start_of_day

# A recevabilité expiring within this many days, with no dossier filed, is reminded.
ELIGIBILITY_NOTICE_DAYS = 60


def expiring_eligibilities(now: dt.datetime):
    """To each certifier, once per candidacy and end date: a recevabilité ends within
    60 days and the candidate has not filed their dossier (still « recevable »)."""
    today = timezone.localdate(now)
    candidacies = Candidacy.objects.filter(
        state=CandidacyState.ELIGIBLE,
        eligible_until__gte=today,
        eligible_until__lte=today + dt.timedelta(days=ELIGIBILITY_NOTICE_DAYS),
    ).select_related("candidate")
    staff = list(certifiers())
    for candidacy in candidacies:
        due_at = start_of_day(candidacy.eligible_until - dt.timedelta(days=ELIGIBILITY_NOTICE_DAYS))
        for certifier in staff:
            if certifier.pk == candidacy.candidate_id:
                continue
            yield Due(
                recipient=certifier,
                key=f"candidacy:{candidacy.pk}:{candidacy.eligible_until.isoformat()}",
                due_at=due_at,
                build=lambda candidacy=candidacy: eligibility_email(candidacy, today),
            )


def eligibility_email(candidacy, today: dt.date):
    days = (candidacy.eligible_until - today).days
    when = f"dans {fr.plural(days, 'jour')}" if days else "aujourd'hui"
    candidate = candidacy.candidate
    return reminder_email(
        subject=f"recevabilité bientôt échue sans dossier déposé — {candidacy.reference}",
        lead=(
            f"La recevabilité de la candidature {candidacy.reference} prend fin {when}, "
            "et le dossier de validation (livret 2) n'est pas encore déposé."
        ),
        facts=[
            ("Candidature", candidacy.reference),
            ("Candidat(e)", candidate.get_full_name() or candidate.email),
            ("Recevable jusqu'au", fr.date(candidacy.eligible_until)),
        ],
        next_step=(
            "Contactez le candidat pour l'aider à déposer son dossier à temps ; passé "
            "cette date, il devra présenter une nouvelle demande de recevabilité."
        ),
        link=site_url(reverse("candidacy_admin:detail", args=[candidacy.pk])),
        link_label="Ouvrir la candidature",
    )


def register():
    register_kind(
        "eligibility_expiring",
        label="Recevabilité échue dans 60 jours sans dossier déposé (certificateurs)",
        find=expiring_eligibilities,
    )
