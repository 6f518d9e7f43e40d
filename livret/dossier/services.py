"""Livret 2 core: the dossier of a candidacy, its signature, and what submitting and
returning it do. Narratives, evidence and links have their own sub-packages; their
services all go through ``editing`` and ``unsign`` here.
"""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from livret.dossier.models import (
    Dossier,
    DossierSubmission,
    Evidence,
    Narrative,
    NarrativeRevision,
)
from livret.enums import RevisionReason
from livret.rules import sworn_name_problem
from vae import permissions
from vae.enums import CandidacyState
from vae.models import Candidacy
from vae.workflow import TransitionForbidden, TransitionRefused


def dossier_for(candidacy) -> Dossier:
    """The candidacy's dossier, created the first time it is needed (once eligible)."""
    dossier = getattr(candidacy, "dossier", None)
    if dossier is None:
        dossier, _created = Dossier.objects.get_or_create(candidacy=candidacy)
    return dossier


def _not_editable(candidacy) -> TransitionForbidden:
    if candidacy.state == CandidacyState.DOSSIER_SUBMITTED:
        return TransitionForbidden(
            _(
                "Votre dossier est déposé : il ne peut plus être modifié, sauf s'il vous est "
                "renvoyé."
            )
        )
    return TransitionForbidden(
        _("Votre dossier ne peut pas être modifié : votre candidature est à l'état « %(state)s ».")
        % {"state": CandidacyState(candidacy.state).label}
    )


def editing(dossier, by) -> Dossier:
    """Check that ``by`` may change ``dossier`` now, and lock its candidacy row.

    Call inside ``transaction.atomic()``: the lock makes a save and a submission of the
    same dossier wait for each other instead of interleaving.
    """
    candidacy = Candidacy.objects.select_for_update().get(pk=dossier.candidacy_id)
    if not permissions.can_edit_dossier(by, candidacy):
        raise (
            _not_editable(candidacy)
            if permissions.is_owner(by, candidacy)
            else (TransitionForbidden(_("Vous ne pouvez pas modifier ce dossier.")))
        )
    return dossier


def unsign(dossier) -> bool:
    """The content changed: the sworn statement no longer covers it."""
    if dossier.sworn_at is None:
        return False
    Dossier.objects.filter(pk=dossier.pk).update(sworn_at=None)
    dossier.sworn_at = None
    return True


@transaction.atomic
def sign(*, dossier, by, name, place) -> Dossier:
    editing(dossier, by)
    name, place = name.strip(), place.strip()
    if not name or not place:
        raise TransitionRefused(_("Indiquez votre nom et le lieu de signature."))
    problem = sworn_name_problem(name, dossier.signing_identity, dossier.signer_name)
    if problem:
        raise TransitionRefused(problem)
    dossier.sworn_name, dossier.sworn_place = name, place
    dossier.sworn_at = timezone.now()
    dossier.save(update_fields=["sworn_name", "sworn_place", "sworn_at", "updated_at"])
    return dossier


def freeze_submission(*, candidacy, entry) -> DossierSubmission:
    """Effect of ``submit_dossier``, inside its atomic block: keep exactly what was sent.

    Each narrative gets a revision tied to the submission; evidence sent for the first
    time is marked with it (and from then on is never deleted).
    """
    dossier = dossier_for(candidacy)
    number = (dossier.submissions.aggregate(n=Max("number"))["n"] or 0) + 1
    submission = DossierSubmission.objects.create(
        dossier=dossier,
        number=number,
        submitted_at=entry.created_at,
        submitted_by=entry.actor,
        sworn_name=dossier.sworn_name,
        sworn_place=dossier.sworn_place,
        sworn_at=dossier.sworn_at,
    )
    NarrativeRevision.objects.bulk_create(
        NarrativeRevision(
            narrative=narrative,
            version=narrative.version,
            text=narrative.text,
            reason=RevisionReason.SUBMISSION,
            submission=submission,
            created_by=entry.actor,
        )
        for narrative in Narrative.objects.filter(dossier=dossier)
    )
    Evidence.objects.filter(dossier=dossier, first_submission__isnull=True).update(
        first_submission=submission
    )
    return submission


def reopen_after_return(*, candidacy, entry) -> None:
    """Effect of ``return_dossier``: editable again, to be signed again before resubmitting."""
    unsign(dossier_for(candidacy))
