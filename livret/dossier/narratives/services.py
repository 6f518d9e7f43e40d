"""Narratives (récits) of livret 2: what a candidate did, in their words, per activité.

Writes (``save_narrative``, ``restore_revision``) and the reads of the narrative pages.

Nothing typed is ever lost:
- a save states the version it started from (``base_version``) and is refused when the
  narrative moved on in the meantime (another tab, another device): the compare-and-set
  happens in the database (``UPDATE … WHERE version = base``, under the candidacy lock of
  ``livret.dossier.editing``) and the refused text is kept as a ``CONFLICT`` revision;
- earlier texts are kept as revisions, coalesced so that an autosave every few seconds
  does not make one row per keystroke burst (see ``_worth_keeping``);
- a restore keeps the text it replaces.
"""

import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from livret.dossier import editing, unsign
from livret.enums import RevisionReason
from livret.models import Dossier, Narrative, NarrativeRevision
from referentiel.models import Activity, Bloc

# Long enough for the most detailed account of an activité, short enough that a pasted
# document by mistake is caught (and the page stays usable).
NARRATIVE_MAX_CHARS = 50_000

# Autosave runs every few seconds: the previous text is kept as a revision only when the
# last kept revision is older than this, so history has one version per working stretch.
REVISION_INTERVAL = timedelta(minutes=10)

# ...except when a save removes more than half of a text at least this long: a select-all
# and delete by mistake must stay recoverable even within the interval.
LARGE_CUT_MIN_CHARS = 200

# C0 controls except tab and newline, DEL, C1 controls, and lone surrogates (which JSON
# can carry and no database encoding accepts).
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_text(text: str) -> str:
    """The narrative as it is stored: plain text, newlines as ``\\n``, no control character.

    Raises ``ValidationError`` (French) when it is too long; the caller keeps what was typed.
    """
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL_CHARS.sub("", text)
    if len(text) > NARRATIVE_MAX_CHARS:
        raise ValidationError(
            _(
                "Votre récit compte %(count)s caractères : il ne peut pas dépasser "
                "%(max)s caractères. Raccourcissez-le (votre texte n'a pas été perdu, il est "
                "toujours dans l'éditeur)."
            )
            % {"count": format_count(len(text)), "max": format_count(NARRATIVE_MAX_CHARS)},
            code="too_long",
        )
    return text


def format_count(number: int) -> str:
    """« 12 345 » with the French narrow no-break space between thousands."""
    return f"{number:,}".replace(",", "\u202f")


def time_label(moment) -> str:
    """« 14 h 32 », in the site's time zone."""
    moment = timezone.localtime(moment)
    return f"{moment.hour} h {moment.minute:02d}"


@dataclass(frozen=True)
class Difference:
    """Two texts as their common start, each one's differing middle, and their common end:
    enough to highlight where two versions of a récit part ways."""

    start: str
    mine: str
    theirs: str
    end: str


def _word_char(mine, theirs, index_mine, index_theirs) -> bool:
    """Is there a letter or digit at this index of either text (a boundary inside a word)?"""
    return any(
        0 <= index < len(text) and text[index].isalnum()
        for text, index in ((mine, index_mine), (theirs, index_theirs))
    )


def _common_start(a: str, b: str) -> int:
    for index, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return index
    return min(len(a), len(b))


def difference(mine: str, theirs: str) -> Difference:
    limit = min(len(mine), len(theirs))
    start = _common_start(mine, theirs)
    end = _common_start(mine[::-1], theirs[::-1])
    end = min(end, limit - start)
    # Whole words: « chat » / « chien » highlights both words, not « at » / « ien ».
    while start > 0 and mine[start - 1].isalnum() and _word_char(mine, theirs, start, start):
        start -= 1
    while (
        end > 0
        and mine[len(mine) - end].isalnum()
        and _word_char(mine, theirs, len(mine) - end - 1, len(theirs) - end - 1)
    ):
        end -= 1
    return Difference(
        start=mine[:start],
        mine=mine[start : len(mine) - end],
        theirs=theirs[start : len(theirs) - end],
        end=mine[len(mine) - end :],
    )


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
        current = Narrative.objects.get(pk=narrative.pk)
        current.dossier, current.activity = dossier, activity
        revision = _keep(
            current, version=base_version, text=text, reason=RevisionReason.CONFLICT, by=by
        )
        return NarrativeConflict(
            narrative=current, mine=text, base_version=base_version, revision=revision
        )

    revision = None
    if resolving and narrative.text.strip():
        revision = _keep(
            narrative,
            version=narrative.version,
            text=narrative.text,
            reason=RevisionReason.CONFLICT,
            by=by,
        )
    elif _worth_keeping(narrative, text, now):
        revision = _keep(
            narrative,
            version=narrative.version,
            text=narrative.text,
            reason=RevisionReason.EDIT,
            by=by,
        )
    narrative.text, narrative.version = text, base_version + 1
    narrative.updated_at, narrative.updated_by = now, by
    return NarrativeSaved(
        narrative=narrative, changed=True, unsigned=unsign(dossier), revision=revision
    )


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
    return NarrativeSaved(
        narrative=narrative, changed=True, unsigned=unsign(dossier), revision=kept
    )


# -- reads -------------------------------------------------------------------------------------


class Status:
    EMPTY = "empty"
    STARTED = "started"
    SUFFICIENT = "sufficient"


@dataclass
class NarrativeRow:
    """One activité of a targeted bloc and where its narrative stands."""

    bloc: object
    activity: object
    narrative: Narrative | None = None

    @property
    def text(self) -> str:
        return self.narrative.text if self.narrative else ""

    @property
    def length(self) -> int:
        # As livret.coverage counts it: surrounding blank space does not count.
        return len(self.text.strip())

    @property
    def length_label(self) -> str:
        return format_count(self.length)

    @property
    def minimum(self) -> int:
        return settings.VAE_NARRATIVE_MIN_CHARS

    @property
    def missing(self) -> int:
        return max(0, self.minimum - self.length)

    @property
    def status(self) -> str:
        if self.length == 0:
            return Status.EMPTY
        return Status.SUFFICIENT if self.length >= self.minimum else Status.STARTED

    @property
    def version(self) -> int:
        return self.narrative.version if self.narrative else 0


@dataclass
class BlocNarratives:
    bloc: object
    rows: list = field(default_factory=list)

    @property
    def sufficient(self) -> int:
        return sum(row.status == Status.SUFFICIENT for row in self.rows)


def narrative_rows(candidacy, dossier) -> list[BlocNarratives]:
    """Every activité of the targeted blocs with its narrative, in a fixed number of queries."""
    narratives = {
        narrative.activity_id: narrative for narrative in Narrative.objects.filter(dossier=dossier)
    }
    return [
        BlocNarratives(
            bloc=bloc,
            rows=[
                NarrativeRow(bloc=bloc, activity=activity, narrative=narratives.get(activity.pk))
                for activity in bloc.activities.all()
            ],
        )
        for bloc in candidacy.referentiel_tree()
    ]


@dataclass
class ActivityPlace:
    """An activité of a targeted bloc, its narrative, and its neighbours in the livret."""

    row: NarrativeRow
    previous: NarrativeRow | None
    next: NarrativeRow | None

    @property
    def activity(self):
        return self.row.activity

    @property
    def bloc(self):
        return self.row.bloc

    @property
    def narrative(self):
        return self.row.narrative


def find_activity(candidacy, dossier, activity_pk) -> ActivityPlace | None:
    """The activité ``activity_pk`` if it belongs to a targeted bloc, else None."""
    rows = [row for bloc in narrative_rows(candidacy, dossier) for row in bloc.rows]
    for index, row in enumerate(rows):
        if row.activity.pk == activity_pk:
            return ActivityPlace(
                row=row,
                previous=rows[index - 1] if index > 0 else None,
                next=rows[index + 1] if index + 1 < len(rows) else None,
            )
    return None


def targeted_activity(candidacy, activity_pk):
    """The activité if it belongs to a targeted bloc, else None: one query, for the
    autosave endpoint that runs every few seconds."""
    return (
        Activity.objects.select_related("bloc")
        .filter(pk=activity_pk, bloc__candidacies=candidacy)
        .first()
    )


@dataclass
class RevisionRow:
    revision: NarrativeRevision
    is_current: bool

    @property
    def length(self) -> int:
        return len(self.revision.text.strip())

    @property
    def length_label(self) -> str:
        return format_count(self.length)

    @property
    def excerpt(self) -> str:
        return Truncator(" ".join(self.revision.text.split())).words(25, truncate=" …")


def history(narrative) -> list[RevisionRow]:
    """The kept versions of ``narrative``, newest first."""
    if narrative is None or narrative.pk is None:
        return []
    revisions = narrative.revisions.select_related("submission").order_by("-created_at", "-pk")
    return [
        RevisionRow(revision=revision, is_current=revision.text == narrative.text)
        for revision in revisions
    ]
