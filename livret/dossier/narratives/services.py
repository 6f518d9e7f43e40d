"""The writes of narratives (récits): ``save_narrative`` and ``restore_revision``.

Nothing typed is ever lost:
- a save states the version it started from (``base_version``) and is refused when the
  narrative moved on in the meantime (another tab, another device): the compare-and-set
  happens in the database (``UPDATE … WHERE version = base``, under the candidacy lock of
  ``livret.dossier.services.editing``) and the refused text is kept as a ``CONFLICT``
  revision;
- earlier texts are kept as revisions, coalesced so that an autosave every few seconds
  does not make one row per keystroke burst (see ``_worth_keeping``);
- a restore keeps the text it replaces.

Every change of a narrative's text is announced once committed
(``livret.signals.narrative_saved``): search indexes the current text.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from livret import signals
from livret.dossier.models import Dossier, Narrative, NarrativeRevision
from livret.dossier.narratives.text import clean_text
from livret.dossier.services import editing, unsign
from livret.enums import RevisionReason
from referentiel.models import Bloc

# Autosave runs every few seconds: the previous text is kept as a revision only when the
# last kept revision is older than this, so history has one version per working stretch.
REVISION_INTERVAL = timedelta(minutes=10)

# ...except when a save removes more than half of a text at least this long: a select-all
# and delete by mistake must stay recoverable even within the interval.
LARGE_CUT_MIN_CHARS = 200


# -- results and errors ------------------------------------------------------------------------


@dataclass(frozen=True)
class NarrativeSaved:
    """What a save or a restore did."""

    narrative: Narrative
    changed: bool
    unsigned: bool = False
    revision: NarrativeRevision | None = None


class NarrativeConflict(Exception):
    """The save was based on a version that is no longer the current one.

    Carries both texts: ``mine`` (refused, kept as ``revision``) and the server's
    ``theirs_text`` at ``theirs_version``.
    """

    def __init__(self, *, narrative, mine, base_version, revision):
        self.narrative = narrative
        self.mine = mine
        self.base_version = base_version
        self.revision = revision
        self.theirs_text = narrative.text
        self.theirs_version = narrative.version
        self.theirs_saved_at = narrative.updated_at
        self.message = _(
            "Ce récit a été modifié depuis un autre onglet ou un autre appareil pendant que "
            "vous écriviez. Rien n'est perdu : choisissez la version à garder."
        )
        super().__init__(self.message)


# -- writes ------------------------------------------------------------------------------------


def _target(target):
    if isinstance(target, Narrative):
        return target.dossier, target.activity
    dossier, activity = target
    return dossier, activity


def _check_targeted(dossier, activity):
    if not Bloc.objects.filter(pk=activity.bloc_id, candidacies=dossier.candidacy_id).exists():
        raise ValidationError(
            _("Cette activité ne fait pas partie des blocs de compétences que vous visez."),
            code="not_targeted",
        )


def _keep(narrative, *, version, text, reason, by):
    """Keep ``text`` as a revision, unless it is what the latest revision already holds."""
    last = narrative.revisions.order_by("-created_at", "-pk").first()
    if last is not None and last.text == text:
        return None
    return NarrativeRevision.objects.create(
        narrative=narrative, version=version, text=text, reason=reason, created_by=by
    )


def _worth_keeping(narrative, new_text, now) -> bool:
    """Should the text being replaced be kept as an ``EDIT`` revision?"""
    old = narrative.text
    if not old.strip():
        return False
    if len(old) >= LARGE_CUT_MIN_CHARS and len(new_text) < len(old) / 2:
        return True
    last = narrative.revisions.order_by("-created_at", "-pk").first()
    return last is None or last.created_at <= now - REVISION_INTERVAL


def _locked_narrative(dossier, activity):
    narrative = (
        Narrative.objects.select_for_update().filter(dossier=dossier, activity=activity).first()
    )
    if narrative is not None:
        narrative.dossier, narrative.activity = dossier, activity
    return narrative


def save_narrative(target, by, text, base_version, *, resolving=False) -> NarrativeSaved:
    """Save the narrative of ``target`` (a ``Narrative`` or a ``(dossier, activity)`` pair)
    if nobody saved it since ``base_version``.

    ``resolving``: the candidate saw a conflict and chose this text (their own version or
    a merge of both); the text it replaces is then always kept, as a ``CONFLICT`` revision.

    Raises ``NarrativeConflict`` (the refused text is kept), ``ValidationError`` (too long,
    activité not targeted) or ``vae.workflow.TransitionForbidden`` (not editable now).
    Saving the text already stored changes nothing, whatever the base: that is the retry
    of a save whose answer was lost, or two tabs that typed the same thing.
    """
    text = clean_text(text)
    base_version = int(base_version)
    dossier, activity = _target(target)
    outcome = _save(dossier, activity, by, text, base_version, resolving)
    if isinstance(outcome, NarrativeConflict):
        # Raised once the transaction committed: the refused text stays kept.
        raise outcome
    return outcome


@transaction.atomic
def _save(dossier, activity, by, text, base_version, resolving):
    editing(dossier, by)
    _check_targeted(dossier, activity)
    dossier.refresh_from_db(fields=["sworn_at"])
    narrative = _locked_narrative(dossier, activity)
    if narrative is None:
        if not text:
            return NarrativeSaved(
                narrative=Narrative(dossier=dossier, activity=activity), changed=False
            )
        narrative, _created = Narrative.objects.get_or_create(
            dossier=dossier, activity=activity, defaults={"text": "", "version": 0}
        )
    if text == narrative.text:
        return NarrativeSaved(narrative=narrative, changed=False)

    now = timezone.now()
    updated = Narrative.objects.filter(pk=narrative.pk, version=base_version).update(
        text=text, version=F("version") + 1, updated_at=now, updated_by=by
    )
    if not updated:
        return _conflict(narrative.pk, dossier, activity, by, text, base_version)
    revision = _keep_replaced(narrative, text, now, resolving=resolving, by=by)
    narrative.text, narrative.version = text, base_version + 1
    narrative.updated_at, narrative.updated_by = now, by
    _announce(narrative)
    return NarrativeSaved(
        narrative=narrative, changed=True, unsigned=unsign(dossier), revision=revision
    )


def _conflict(pk, dossier, activity, by, text, base_version) -> NarrativeConflict:
    """The save lost the compare-and-set: keep the refused text, and say what won."""
    current = Narrative.objects.get(pk=pk)
    current.dossier, current.activity = dossier, activity
    revision = _keep(
        current, version=base_version, text=text, reason=RevisionReason.CONFLICT, by=by
    )
    return NarrativeConflict(
        narrative=current, mine=text, base_version=base_version, revision=revision
    )


def _keep_replaced(narrative, text, now, *, resolving, by):
    """Keep the text a save replaces: always once the candidate resolved a conflict (as a
    ``CONFLICT`` revision), else when ``_worth_keeping`` says so (``EDIT``)."""
    if resolving and narrative.text.strip():
        reason = RevisionReason.CONFLICT
    elif _worth_keeping(narrative, text, now):
        reason = RevisionReason.EDIT
    else:
        return None
    return _keep(narrative, version=narrative.version, text=narrative.text, reason=reason, by=by)


def _announce(narrative) -> None:
    signals.send_on_commit(signals.narrative_saved, sender=Narrative, narrative_id=narrative.pk)


@transaction.atomic
def restore_revision(revision, by) -> NarrativeSaved:
    """Make ``revision``'s text the current one; the text it replaces is kept first."""
    narrative = revision.narrative
    dossier = Dossier.objects.get(pk=narrative.dossier_id)
    editing(dossier, by)
    narrative = Narrative.objects.select_for_update().get(pk=narrative.pk)
    if narrative.text == revision.text:
        return NarrativeSaved(narrative=narrative, changed=False)
    kept = None
    if narrative.text.strip():
        kept = _keep(
            narrative,
            version=narrative.version,
            text=narrative.text,
            reason=RevisionReason.RESTORE,
            by=by,
        )
    now = timezone.now()
    Narrative.objects.filter(pk=narrative.pk).update(
        text=revision.text, version=F("version") + 1, updated_at=now, updated_by=by
    )
    narrative.refresh_from_db()
    _announce(narrative)
    return NarrativeSaved(
        narrative=narrative, changed=True, unsigned=unsign(dossier), revision=kept
    )
