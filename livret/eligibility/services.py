"""Every write of livret 1, section by section.

Each entry point checks that ``by`` may still edit the livret, writes atomically while
holding the candidacy row (so that a save and the submission of the livret cannot
interleave), stamps the section's ``*_saved_at`` and, when the content the candidate swore
to has changed, clears the sworn statement. Errors are ``vae.workflow.WorkflowError``
subclasses carrying a French message; nothing is written when one is raised.
"""

from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from livret import permissions
from livret.eligibility.completeness import section_statuses
from livret.eligibility.models import (
    ACCOMMODATION_FIELDS,
    EXPERIENCE_FIELDS,
    IDENTITY_FIELDS,
    SITUATION_FIELDS,
    TRAINING_FIELDS,
    EligibilityRequest,
    Experience,
    Training,
)
from livret.rules import sworn_name_problem
from vae.enums import CandidacyState
from vae.models import Candidacy
from vae.services import acquired_bloc_codes
from vae.workflow import TransitionForbidden, TransitionRefused


@dataclass(frozen=True)
class Saved:
    """What a save did: whether anything changed, and whether that unsigned the livret."""

    changed: bool
    unsigned: bool = False
    instance: object = None


def _not_editable(candidacy) -> TransitionForbidden:
    if candidacy.state == CandidacyState.DRAFT:
        return TransitionForbidden(_("Vous ne pouvez pas modifier ce livret 1."))
    return TransitionForbidden(
        _(
            "Votre livret 1 ne peut plus être modifié : votre candidature est à l'état "
            "« %(state)s »."
        )
        % {"state": CandidacyState(candidacy.state).label}
    )


@contextmanager
def _editing(eligibility_request, by):
    """The livret's row, fresh and locked, once ``by`` is known to be allowed to edit it."""
    with transaction.atomic():
        candidacy = Candidacy.objects.select_for_update().get(pk=eligibility_request.candidacy_id)
        if not permissions.can_edit_livret1(by, candidacy):
            raise _not_editable(candidacy)
        row = EligibilityRequest.objects.select_for_update().get(pk=eligibility_request.pk)
        row.candidacy = candidacy
        yield row


def _values(obj, fields) -> dict:
    return {name: getattr(obj, name) for name in fields}


def _finish(row, changed, saved_at_field=None) -> bool:
    """Stamp the section and unsign when the content changed; return True if unsigned."""
    if saved_at_field:
        setattr(row, saved_at_field, timezone.now())
    unsigned = bool(changed and row.clear_sworn_statement())
    row.save()
    return unsigned


def _save_fields(eligibility_request, by, fields, data, saved_at_field) -> Saved:
    with _editing(eligibility_request, by) as row:
        before = _values(row, fields)
        for name in fields:
            if name in data:
                setattr(row, name, data[name])
        changed = _values(row, fields) != before
        return Saved(changed=changed, unsigned=_finish(row, changed, saved_at_field))


def save_identity(*, eligibility_request, by, data) -> Saved:
    return _save_fields(eligibility_request, by, IDENTITY_FIELDS, data, "identity_saved_at")


def save_situation(*, eligibility_request, by, data) -> Saved:
    return _save_fields(eligibility_request, by, SITUATION_FIELDS, data, "situation_saved_at")


def save_accommodations(*, eligibility_request, by, data) -> Saved:
    data = dict(data)
    # Health information is kept only when the candidate asks for accommodations.
    if data.get("needs_accommodation") is False:
        data["accommodation_details"] = ""
    return _save_fields(
        eligibility_request, by, ACCOMMODATION_FIELDS, data, "accommodation_saved_at"
    )


def save_blocs(*, eligibility_request, by, blocs: Iterable) -> Saved:
    """Target ``blocs``: blocs of the candidacy's référentiel version, none already acquired."""
    with _editing(eligibility_request, by) as row:
        candidacy = row.candidacy
        blocs = list(blocs)
        if not blocs:
            raise TransitionRefused(_("Choisissez au moins un bloc de compétences."))
        foreign = [b for b in blocs if b.certification_id != candidacy.certification_id]
        if foreign:
            raise TransitionRefused(
                _("Ces blocs n'appartiennent pas au référentiel de votre candidature : %(codes)s.")
                % {"codes": ", ".join(b.code for b in foreign)}
            )
        acquired = acquired_bloc_codes(candidacy.candidate, candidacy.certification_code)
        already = [b for b in blocs if b.code in acquired]
        if already:
            raise TransitionRefused(
                _("Vous avez déjà validé ces blocs : %(codes)s.")
                % {"codes": ", ".join(b.code for b in already)}
            )
        before = set(candidacy.targeted_blocs.values_list("pk", flat=True))
        candidacy.targeted_blocs.set(blocs)
        changed = {b.pk for b in blocs} != before
        return Saved(changed=changed, unsigned=_finish(row, changed, "blocs_saved_at"))


def set_no_training(*, eligibility_request, by, no_training: bool) -> Saved:
    with _editing(eligibility_request, by) as row:
        if no_training and row.trainings.exists():
            raise TransitionRefused(
                _(
                    "Vous avez déclaré des formations : supprimez-les avant d'indiquer que "
                    "vous n'en avez aucune."
                )
            )
        changed = row.no_training != bool(no_training)
        row.no_training = bool(no_training)
        return Saved(changed=changed, unsigned=_finish(row, changed))


def _add_item(model, fields, eligibility_request, by, data) -> Saved:
    with _editing(eligibility_request, by) as row:
        item = model(request=row, **{name: data[name] for name in fields if name in data})
        item.full_clean()
        item.save()
        if model is Training:
            # Declaring a training answers the section: "none to declare" no longer holds.
            row.no_training = False
        return Saved(changed=True, unsigned=_finish(row, True), instance=item)


def _update_item(item, fields, by, data) -> Saved:
    with _editing(item.request, by) as row:
        item = type(item).objects.select_for_update().get(pk=item.pk, request=row)
        before = _values(item, fields)
        for name in fields:
            if name in data:
                setattr(item, name, data[name])
        changed = _values(item, fields) != before
        if changed:
            item.full_clean()
            item.save()
        return Saved(changed=changed, unsigned=_finish(row, changed), instance=item)


def _delete_item(item, by) -> Saved:
    with _editing(item.request, by) as row:
        deleted, _details = type(item).objects.filter(pk=item.pk, request=row).delete()
        changed = bool(deleted)
        return Saved(changed=changed, unsigned=_finish(row, changed))


def add_experience(*, eligibility_request, by, data) -> Saved:
    return _add_item(Experience, EXPERIENCE_FIELDS, eligibility_request, by, data)


def update_experience(*, experience, by, data) -> Saved:
    return _update_item(experience, EXPERIENCE_FIELDS, by, data)


def delete_experience(*, experience, by) -> Saved:
    return _delete_item(experience, by)


def add_training(*, eligibility_request, by, data) -> Saved:
    return _add_item(Training, TRAINING_FIELDS, eligibility_request, by, data)


def update_training(*, training, by, data) -> Saved:
    return _update_item(training, TRAINING_FIELDS, by, data)


def delete_training(*, training, by) -> Saved:
    return _delete_item(training, by)


def incomplete_sections_before_signing(eligibility_request):
    """The statuses of the sections that must be complete before the candidate signs."""
    return [
        status
        for status in section_statuses(eligibility_request)
        if status.slug != "declaration" and not status.complete
    ]


def sign_declaration(*, eligibility_request, by, name, place) -> Saved:
    """Sign the sworn statement, possible only once every other section is complete and
    with the candidate's own name."""
    with _editing(eligibility_request, by) as row:
        missing = incomplete_sections_before_signing(row)
        if missing:
            raise TransitionRefused(
                _(
                    "Vous pourrez signer la déclaration quand toutes les autres sections "
                    "seront complètes. À compléter : %(sections)s."
                )
                % {"sections": ", ".join(str(status.label) for status in missing)},
                problems=[
                    f"{status.label} : {problem}"
                    for status in missing
                    for problem in status.problems
                ],
            )
        # The form says so first; this holds for every caller.
        problem = sworn_name_problem(name, row.signing_identity, row.display_name)
        if problem:
            raise TransitionRefused(problem)
        row.sign(name=name, place=place)
        row.save()
        return Saved(changed=True)


def open_livret1(*, candidacy) -> EligibilityRequest:
    """The candidacy's livret 1, blank but for the candidate's names (idempotent).

    Called when a candidacy starts (``vae.signals.candidacy_started``, connected in
    ``LivretConfig.ready``), inside its atomic block.
    """
    candidate = candidacy.candidate
    request, _created = EligibilityRequest.objects.get_or_create(
        candidacy=candidacy,
        defaults={"first_names": candidate.first_name, "birth_name": candidate.last_name},
    )
    return request


@transaction.atomic
def ensure_eligibility_request(*, candidacy, by) -> EligibilityRequest:
    """The candidacy's livret 1, created blank (as when the candidacy started) if missing."""
    existing = EligibilityRequest.objects.filter(candidacy=candidacy).first()
    if existing is not None:
        return existing
    candidacy = Candidacy.objects.select_for_update().get(pk=candidacy.pk)
    if not permissions.can_edit_livret1(by, candidacy):
        raise _not_editable(candidacy)
    if not candidacy.targeted_blocs.exists():
        acquired = acquired_bloc_codes(candidacy.candidate, candidacy.certification_code)
        candidacy.targeted_blocs.set(
            [b for b in candidacy.certification.blocs.all() if b.code not in acquired]
        )
    return open_livret1(candidacy=candidacy)
