"""The writes of the interview record: attendance and times, a bloc's notes, a revised
rating. One entry point each (permission, atomic, announce after commit).

Two members write the same record from two devices, as a candidate may write a récit
from two tabs, and the same rule holds (``livret.dossier.narratives.services``): a save
states the version it started from, the compare-and-set happens in the database
(``UPDATE … WHERE version = base``) and a stale save is refused with both versions, the
refused one given back whole so that nothing typed is lost. A rating revision is
appended, never changed.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from jury import permissions, rules, signals
from jury.enums import JuryNoteKind
from jury.models import (
    INTERVIEW_TEXT_MAX_CHARS,
    NOTE_MAX_CHARS,
    InterviewBlocNote,
    InterviewRecord,
    RatingRevision,
    Slot,
)
from livret.signals import send_on_commit
from referentiel.enums import Rating
from review.models import ConsolidatedRating
from vae.workflow import TransitionForbidden, TransitionRefused

BLOC_FIELDS = ("questions", "answers", "observations")
RECORD_FIELDS = ("attendance", "started_at", "ended_at")


class StaleSave(Exception):
    """The save was based on a version another member has replaced meanwhile.

    ``mine`` is what was refused (given back to the page: nothing is lost), ``theirs``
    the row as it now stands."""

    def __init__(self, *, mine: dict, theirs):
        self.mine = mine
        self.theirs = theirs
        self.message = _(
            "L'autre membre du jury a enregistré ce passage pendant que vous écriviez. Rien "
            "n'est perdu : votre texte est conservé ci-dessous, comparez-le à la version "
            "enregistrée et enregistrez de nouveau."
        )
        super().__init__(self.message)


@dataclass(frozen=True)
class Saved:
    row: object
    changed: bool


def _writable_slot(slot, by) -> Slot:
    slot = Slot.objects.select_for_update().select_related("session", "candidacy").get(pk=slot.pk)
    if not permissions.can_write_interview(by, slot):
        raise TransitionForbidden(
            _("Le compte rendu de cet entretien est clos ou ne vous est pas ouvert.")
        )
    return slot


def record_of(slot) -> InterviewRecord:
    record, _created = InterviewRecord.objects.get_or_create(slot=slot)
    return record


def _announce(row, kind, candidacy_id) -> None:
    send_on_commit(
        signals.jury_note_saved,
        sender=type(row),
        kind=kind,
        object_id=row.pk,
        candidacy_id=candidacy_id,
    )


def compare_and_set(row, base_version, by, values: dict) -> Saved:
    """Write ``values`` on ``row`` if it is still at ``base_version``; the same values
    again (a retry whose answer was lost) change nothing, whatever the base."""
    if all(getattr(row, name) == value for name, value in values.items()):
        return Saved(row, changed=False)
    now = timezone.now()
    updated = (
        type(row)
        .objects.filter(pk=row.pk, version=int(base_version))
        .update(**values, version=F("version") + 1, updated_at=now, updated_by=by)
    )
    if not updated:
        row.refresh_from_db()
        raise StaleSave(mine=values, theirs=row)
    # The row matched ``base_version``: what it holds now is known without reading it.
    for name, value in {**values, "updated_at": now, "updated_by": by}.items():
        setattr(row, name, value)
    row.version = int(base_version) + 1
    return Saved(row, changed=True)


def _check_length(values: dict, limit: int) -> None:
    if any(len(value) > limit for value in values.values()):
        raise TransitionRefused(_("Ce texte est trop long."))


def save_attendance(*, slot, by, base_version, attendance, started_at, ended_at) -> Saved:
    """Present or absent, and the actual start and end."""
    if started_at and ended_at and ended_at <= started_at:
        raise TransitionRefused(_("L'heure de fin doit suivre l'heure de début."))
    with transaction.atomic():
        slot = _writable_slot(slot, by)
        record = record_of(slot)
        values = {"attendance": attendance, "started_at": started_at, "ended_at": ended_at}
        return compare_and_set(record, base_version, by, values)


def save_bloc_note(*, slot, bloc, by, base_version, questions, answers, observations) -> Saved:
    """A bloc's questions, answers and observations, together."""
    values = {"questions": questions, "answers": answers, "observations": observations}
    _check_length(values, INTERVIEW_TEXT_MAX_CHARS)
    with transaction.atomic():
        slot = _writable_slot(slot, by)
        if not slot.candidacy.targeted_blocs.filter(pk=bloc.pk).exists():
            raise TransitionRefused(_("Ce bloc n'est pas visé par le candidat."))
        note, _created = InterviewBlocNote.objects.get_or_create(record=record_of(slot), bloc=bloc)
        saved = compare_and_set(note, base_version, by, values)
        if saved.changed:
            _announce(note, JuryNoteKind.BLOC_NOTE, slot.candidacy_id)
        return saved


def current_rating(record, competence) -> str:
    """The latest revision's rating, else the consolidated one ('' if none)."""
    last = record.revisions.filter(competence=competence).order_by("-created_at", "-pk")[:1]
    consolidated = (
        ConsolidatedRating.objects.filter(
            candidacy_id=record.slot.candidacy_id, competence=competence
        )
        .values_list("rating", flat=True)
        .first()
        or ""
    )
    return rules.final_rating(consolidated, list(last))


def revise_rating(*, slot, competence, by, rating, reason) -> RatingRevision:
    """A new rating of ``competence`` with its reason, kept beside every earlier one."""
    reason = (reason or "").strip()
    if rating not in Rating.values:
        raise TransitionRefused(_("Choisissez l'appréciation révisée."))
    if not reason:
        raise TransitionRefused(_("Indiquez le motif de la révision."))
    if len(reason) > NOTE_MAX_CHARS:
        raise TransitionRefused(_("Ce motif est trop long."))
    with transaction.atomic():
        slot = _writable_slot(slot, by)
        if competence.pk not in {c.pk for c in slot.candidacy.targeted_competences()}:
            raise TransitionRefused(_("Cette compétence n'est pas visée par le candidat."))
        record = record_of(slot)
        previous = current_rating(record, competence)
        if previous == rating:
            raise TransitionRefused(
                _("C'est déjà l'appréciation en vigueur : choisissez-en une autre.")
            )
        revision = RatingRevision.objects.create(
            record=record,
            competence=competence,
            from_rating=previous,
            to_rating=rating,
            reason=reason,
            created_by=by,
        )
        _announce(revision, JuryNoteKind.RATING_REVISION, slot.candidacy_id)
        return revision
