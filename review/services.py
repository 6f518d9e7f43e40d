"""Every write of the review: one entry point per action (permission, atomic, log, notify).

Errors are ``vae.workflow`` errors with a French message: ``TransitionForbidden`` when the
user may not act, ``TransitionRefused`` when the input or the moment is wrong.

The texts search indexes (passages, justifications, verdict reasons) are written here
only, each write announced once committed by a signal of ``review.signals``.
"""

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from livret.dossier.services import dossier_for
from livret.signals import send_on_commit
from referentiel.enums import Rating
from review import permissions, signals
from review.enums import (
    HOLDING_STATUSES,
    AssignmentStatus,
    LinkVerdict,
    PassageKind,
    ReviewEventKind,
    ReviewNoteKind,
)
from review.models import (
    Assignment,
    CandidateLinkReview,
    CompetenceRating,
    ConsolidatedRating,
    CriterionLink,
    EvaluatorProfile,
    ReviewEvent,
    ReviewSettings,
)
from review.rules import all_grids_submitted, composition_problems
from vae.emails import send_templated_email, site_url
from vae.models import Candidacy
from vae.notifications import certifier_addresses
from vae.workflow import TransitionForbidden, TransitionRefused


def _forbidden():
    return TransitionForbidden(_("Vous n'avez pas le droit d'effectuer cette action."))


def _log(candidacy, kind, actor, assignment=None, details=""):
    return ReviewEvent.objects.create(
        candidacy=candidacy, assignment=assignment, kind=kind, actor=actor, details=details
    )


def _notify(user_emails, subject, lead, link):
    send_templated_email(
        "emails/notice",
        {"subject": subject, "lead": lead, "link": site_url(link)},
        to=user_emails,
    )


def _announce(signal, row, kind, candidacy_id) -> None:
    """Send ``signal`` for ``row`` once the write is committed (never on a rollback)."""
    send_on_commit(signal, sender=type(row), kind=kind, object_id=row.pk, candidacy_id=candidacy_id)


def _lock(candidacy) -> Candidacy:
    return Candidacy.objects.select_for_update().get(pk=candidacy.pk)


def _check_evaluator(candidacy, evaluator) -> str:
    """The seat ``evaluator`` can hold, or a French refusal."""
    if not permissions.is_evaluator(evaluator):
        raise TransitionRefused(
            _("%(name)s n'a pas le rôle d'évaluateur.") % {"name": evaluator.get_full_name()}
        )
    profile = EvaluatorProfile.objects.filter(user=evaluator).first()
    if profile is None:
        raise TransitionRefused(
            _("%(name)s n'a pas de profil d'évaluateur (catégorie inconnue).")
            % {"name": evaluator.get_full_name()}
        )
    if evaluator.pk == candidacy.candidate_id:
        raise TransitionRefused(_("Un candidat n'évalue pas son propre dossier."))
    return profile.category


def _create_assignments(candidacy, evaluators, by, due_date):
    created = []
    for evaluator, category in evaluators:
        try:
            with transaction.atomic():
                assignment = Assignment.objects.create(
                    candidacy=candidacy,
                    evaluator=evaluator,
                    category=category,
                    assigned_by=by,
                    due_date=due_date,
                )
        except IntegrityError as error:
            raise TransitionRefused(
                _("%(name)s fait déjà partie de ce jury d'évaluation.")
                % {"name": evaluator.get_full_name()}
            ) from error
        _log(candidacy, ReviewEventKind.ASSIGNED, by, assignment, assignment.get_category_display())
        _notify(
            [evaluator.email],
            _("Un dossier de VAE vous est confié"),
            _(
                "Vous êtes désigné(e) évaluateur d'un dossier de validation. Avant d'en voir le "
                "contenu, déclarez que vous ne connaissez pas le candidat."
            ),
            reverse("review:declare", args=[assignment.pk]),
        )
        created.append(assignment)
    return created


def _default_due_date():
    return timezone.localdate() + datetime.timedelta(days=ReviewSettings.load().review_days)


@transaction.atomic
def assign_panel(*, candidacy, evaluators, by, due_date=None) -> list[Assignment]:
    """Assign evaluators so that the panel matches the référentiel's composition.

    Refused, with what is missing or in excess, unless the seats already held plus the
    new evaluators make exactly the required panel.
    """
    if not permissions.can_manage_panel(by, candidacy):
        raise _forbidden()
    candidacy = _lock(candidacy)
    if not permissions.panel_can_change(candidacy):
        raise TransitionRefused(
            _("On affecte les évaluateurs à un dossier déposé (état actuel : « %(state)s »).")
            % {"state": candidacy.get_state_display()}
        )
    evaluators = list(dict.fromkeys(evaluators))
    if not evaluators:
        raise TransitionRefused(_("Choisissez au moins un évaluateur."))
    seats = [(e, _check_evaluator(candidacy, e)) for e in evaluators]
    holding = Assignment.objects.holding().filter(candidacy=candidacy)
    already = {a.evaluator_id for a in holding}
    if any(e.pk in already for e, _category in seats):
        raise TransitionRefused(_("Un des évaluateurs choisis fait déjà partie du jury."))
    # Whoever declared knowing the candidate can never come back on this dossier, even
    # though their ended assignment no longer holds a seat.
    conflicted = set(
        Assignment.objects.filter(
            candidacy=candidacy, status=AssignmentStatus.CONFLICT
        ).values_list("evaluator_id", flat=True)
    )
    for evaluator, _category in seats:
        if evaluator.pk in conflicted:
            raise TransitionRefused(
                _("%(name)s a déclaré connaître le candidat : choisissez un autre évaluateur.")
                % {"name": evaluator.get_full_name()}
            )
    categories = [a.category for a in holding] + [category for _e, category in seats]
    problems = composition_problems(candidacy, categories)
    if problems:
        raise TransitionRefused(
            _("Ce jury d'évaluation ne correspond pas à la composition du référentiel."),
            problems=problems,
        )
    return _create_assignments(candidacy, seats, by, due_date or _default_due_date())


@transaction.atomic
def remove_assignment(*, assignment, by, reason) -> Assignment:
    if not permissions.can_manage_panel(by, assignment.candidacy):
        raise _forbidden()
    if not reason.strip():
        raise TransitionRefused(_("Indiquez le motif du retrait."))
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status not in HOLDING_STATUSES:
        raise TransitionRefused(_("Cette affectation est déjà terminée."))
    assignment.status = AssignmentStatus.REMOVED
    assignment.ended_at = timezone.now()
    assignment.end_reason = reason.strip()
    assignment.save(update_fields=["status", "ended_at", "end_reason"])
    _log(assignment.candidacy, ReviewEventKind.REMOVED, by, assignment, assignment.end_reason)
    return assignment


@transaction.atomic
def declare(*, assignment, by, knows_candidate: bool, details="") -> Assignment:
    """The evaluator declares, before seeing anything, whether they know the candidate.

    Knowing them ends the assignment; the certifiers are asked for a replacement.
    """
    assignment = (
        Assignment.objects.select_for_update().select_related("candidacy").get(pk=assignment.pk)
    )
    if not permissions.can_declare(by, assignment):
        raise _forbidden()
    assignment.declared_at = timezone.now()
    if knows_candidate:
        assignment.status = AssignmentStatus.CONFLICT
        assignment.ended_at = assignment.declared_at
        assignment.declaration_details = details.strip()
        kind = ReviewEventKind.DECLARED_CONFLICT
    else:
        assignment.status = AssignmentStatus.ACTIVE
        kind = ReviewEventKind.DECLARED_NO_CONFLICT
    assignment.save(update_fields=["declared_at", "status", "ended_at", "declaration_details"])
    _log(assignment.candidacy, kind, by, assignment, assignment.declaration_details)
    if knows_candidate:
        _notify(
            certifier_addresses(),
            _("Conflit d'intérêts déclaré : un évaluateur est à remplacer"),
            _(
                "%(name)s déclare connaître le candidat du dossier %(ref)s. Son affectation "
                "est close : désignez un autre « %(seat)s »."
            )
            % {
                "name": by.get_full_name(),
                "ref": assignment.candidacy.reference,
                "seat": assignment.get_category_display(),
            },
            reverse("candidacy_admin:detail", args=[assignment.candidacy_id]),
        )
    return assignment


def _working(assignment, by) -> Assignment:
    assignment = (
        Assignment.objects.select_for_update().select_related("candidacy").get(pk=assignment.pk)
    )
    if not permissions.can_work_on(by, assignment):
        if assignment.grid_submitted_at and assignment.evaluator_id == by.pk:
            raise TransitionRefused(_("Votre grille est remise : elle ne se modifie plus."))
        raise _forbidden()
    return assignment


def _targeted_competence_ids(candidacy) -> set[int]:
    return {c.pk for c in candidacy.targeted_competences()}


@transaction.atomic
def rate(*, assignment, competence, rating, justification, by) -> CompetenceRating:
    assignment = _working(assignment, by)
    if competence.pk not in _targeted_competence_ids(assignment.candidacy):
        raise TransitionRefused(_("Cette compétence n'est pas visée par la candidature."))
    if rating not in Rating.values:
        raise TransitionRefused(_("Choisissez acquis, partiellement acquis ou non acquis."))
    if not justification.strip():
        raise TransitionRefused(_("Justifiez votre appréciation."))
    row, _created = CompetenceRating.objects.update_or_create(
        assignment=assignment,
        competence=competence,
        defaults={"rating": rating, "justification": justification.strip()},
    )
    _announce(signals.review_note_saved, row, ReviewNoteKind.RATING, assignment.candidacy_id)
    return row


@transaction.atomic
def submit_grid(*, assignment, by) -> Assignment:
    assignment = _working(assignment, by)
    rated = set(assignment.ratings.values_list("competence_id", flat=True))
    missing = [c.code for c in assignment.candidacy.targeted_competences() if c.pk not in rated]
    if missing:
        raise TransitionRefused(
            _("Votre grille n'est pas complète."),
            problems=[_("Compétence %(code)s à apprécier.") % {"code": code} for code in missing],
        )
    assignment.grid_submitted_at = timezone.now()
    assignment.save(update_fields=["grid_submitted_at"])
    _log(assignment.candidacy, ReviewEventKind.GRID_SUBMITTED, by, assignment)
    return assignment


@transaction.atomic
def set_link_verdict(*, assignment, link, verdict, reason, by) -> CandidateLinkReview:
    """Accept or reject one of the candidate's links; a rejection says why."""
    assignment = _working(assignment, by)
    if link.dossier.candidacy_id != assignment.candidacy_id:
        raise _forbidden()
    if verdict not in LinkVerdict.values:
        raise TransitionRefused(_("Choisissez d'accepter ou de rejeter ce lien."))
    reason = reason.strip()
    if verdict == LinkVerdict.REJECTED and not reason:
        raise TransitionRefused(_("Indiquez pourquoi vous rejetez ce lien."))
    row, _created = CandidateLinkReview.objects.update_or_create(
        link=link, assignment=assignment, defaults={"verdict": verdict, "reason": reason}
    )
    _announce(signals.review_note_saved, row, ReviewNoteKind.LINK_VERDICT, assignment.candidacy_id)
    return row


@transaction.atomic
def add_criterion_link(
    *,
    assignment,
    by,
    kind,
    criteria,
    comment="",
    narrative=None,
    evidence=None,
    page=None,
    start=None,
    end=None,
) -> CriterionLink:
    """Tie a passage (narrative range, page text range, whole page) to criteria."""
    assignment = _working(assignment, by)
    dossier = dossier_for(assignment.candidacy)
    criteria = list(criteria)
    if not criteria:
        raise TransitionRefused(_("Choisissez au moins un critère."))
    targeted = _targeted_competence_ids(assignment.candidacy)
    if any(c.competence_id not in targeted for c in criteria):
        raise TransitionRefused(_("Ces critères ne relèvent pas des blocs visés."))
    quote = ""
    if kind == PassageKind.NARRATIVE:
        if narrative is None or narrative.dossier_id != dossier.pk:
            raise TransitionRefused(_("Ce récit n'appartient pas à ce dossier."))
        source, evidence, page = narrative.text, None, None
    elif kind in (PassageKind.PAGE_TEXT, PassageKind.PAGE):
        if evidence is None or evidence.dossier_id != dossier.pk:
            raise TransitionRefused(_("Cette pièce n'appartient pas à ce dossier."))
        if page is None or not 1 <= page <= evidence.page_count:
            raise TransitionRefused(
                _("Choisissez une page entre 1 et %(n)d.") % {"n": evidence.page_count}
            )
        narrative = None
        page_row = evidence.pages.filter(number=page).first()
        source = page_row.text if page_row else ""
        if kind == PassageKind.PAGE:
            start = end = None
    else:
        raise TransitionRefused(_("Type de passage inconnu."))
    if kind != PassageKind.PAGE:
        if start is None or end is None or not 0 <= start < end <= len(source):
            raise TransitionRefused(_("Sélectionnez un passage du texte."))
        quote = source[start:end]
    link = CriterionLink.objects.create(
        assignment=assignment,
        kind=kind,
        narrative=narrative,
        evidence=evidence,
        page=page,
        start=start,
        end=end,
        quote=quote,
        comment=comment.strip(),
    )
    link.criteria.set(criteria)
    _announce(signals.review_note_saved, link, ReviewNoteKind.PASSAGE, assignment.candidacy_id)
    return link


@transaction.atomic
def delete_criterion_link(*, link, by) -> None:
    assignment = _working(link.assignment, by)
    # Announced with the id it had: after ``delete()`` the row has none.
    _announce(signals.review_note_deleted, link, ReviewNoteKind.PASSAGE, assignment.candidacy_id)
    link.criteria.clear()
    link.delete()


@transaction.atomic
def consolidate(*, assignment, competence, rating, justification, by) -> ConsolidatedRating:
    """The certifier's representative records the panel's rating of a compétence."""
    assignment = (
        Assignment.objects.select_for_update().select_related("candidacy").get(pk=assignment.pk)
    )
    if not permissions.can_consolidate(by, assignment, all_grids_submitted(assignment.candidacy)):
        raise _forbidden()
    if competence.pk not in _targeted_competence_ids(assignment.candidacy):
        raise TransitionRefused(_("Cette compétence n'est pas visée par la candidature."))
    if rating not in Rating.values:
        raise TransitionRefused(_("Choisissez acquis, partiellement acquis ou non acquis."))
    if not justification.strip():
        raise TransitionRefused(_("Justifiez l'appréciation consolidée."))
    row, _created = ConsolidatedRating.objects.update_or_create(
        candidacy=assignment.candidacy,
        competence=competence,
        defaults={"rating": rating, "justification": justification.strip(), "decided_by": by},
    )
    _log(assignment.candidacy, ReviewEventKind.CONSOLIDATED, by, assignment, competence.code)
    _announce(
        signals.review_note_saved,
        row,
        ReviewNoteKind.CONSOLIDATED_RATING,
        assignment.candidacy_id,
    )
    return row
