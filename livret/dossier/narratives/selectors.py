"""Reads of the narrative pages: every activité of the targeted blocs with where its
narrative stands, one activité with its neighbours, and the kept versions of a narrative.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils.text import Truncator

from livret.dossier.models import Narrative, NarrativeRevision
from livret.dossier.narratives.text import format_count
from referentiel.models import Activity


class Status:
    EMPTY = "empty"
    STARTED = "started"
    SUFFICIENT = "sufficient"


@dataclass(frozen=True)
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
        # As livret.dossier.coverage counts it: surrounding blank space does not count.
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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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
