"""The review's reminder (``vae.reminders``), registered by ``review.apps``: an
evaluator's grid past its due date."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from referentiel import french as fr
from review.models import Assignment
from vae.emails import site_url
from vae.enums import CandidacyState
from vae.notifications import certifiers
from vae.reminders import Due, register_kind, reminder_email, start_of_day


def overdue_grids(now: dt.datetime):
    """To each certifier, once per seat and due date: a grid not submitted by its due
    date while the review runs (a new due date, set by the certifier, is reminded again)."""
    today = timezone.localdate(now)
    assignments = (
        Assignment.objects.holding()
        .filter(
            candidacy__state=CandidacyState.UNDER_REVIEW,
            due_date__lt=today,
            grid_submitted_at__isnull=True,
        )
        .select_related("candidacy", "evaluator")
    )
    staff = list(certifiers())
    for assignment in assignments:
        due_at = start_of_day(assignment.due_date + dt.timedelta(days=1))
        for certifier in staff:
            if certifier.pk in (assignment.candidacy.candidate_id, assignment.evaluator_id):
                continue
            yield Due(
                recipient=certifier,
                key=f"assignment:{assignment.pk}:{assignment.due_date.isoformat()}",
                due_at=due_at,
                build=lambda assignment=assignment: overdue_grid_email(assignment, today),
            )


def overdue_grid_email(assignment, today: dt.date):
    candidacy, evaluator = assignment.candidacy, assignment.evaluator
    late = (today - assignment.due_date).days
    return reminder_email(
        subject=f"grille d'évaluation en retard — {candidacy.reference}",
        lead=(
            f"La grille de {evaluator.get_full_name() or evaluator.email} pour la "
            f"candidature {candidacy.reference} devait être remise le "
            f"{fr.date(assignment.due_date)} ({fr.plural(late, 'jour')} de retard)."
        ),
        facts=[
            ("Candidature", candidacy.reference),
            ("Évaluateur", f"{evaluator.get_full_name() or evaluator.email} ({evaluator.email})"),
            ("Siège", assignment.get_category_display()),
            ("À rendre avant le", fr.date(assignment.due_date)),
        ],
        next_step=(
            "Relancez l'évaluateur, accordez-lui un nouveau délai ou remplacez-le dans le "
            "panel d'évaluation."
        ),
        link=site_url(reverse("review_admin:panel", args=[candidacy.pk])),
        link_label="Ouvrir le panel d'évaluation",
    )


def register():
    register_kind(
        "grid_overdue",
        label="Grille d'évaluation en retard (certificateurs)",
        find=overdue_grids,
    )
