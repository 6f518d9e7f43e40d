"""What search keeps in the database: the synonym list staff edit, the database backend's
index rows, and the record of the last indexing (``search_status``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from livret.eligibility.models import text_within

SYNONYM_TERM_MAX_CHARS = 100
SYNONYM_EQUIVALENTS_MAX_CHARS = 1_000


class Synonym(models.Model):
    """A term of the trade and what it also goes by (« DPAE » ↔ « déclaration préalable à
    l'embauche »): a search for any of them finds the others. Data, not code, so that the
    certifier adds an acronym without a deploy."""

    term = models.CharField(_("terme"), max_length=SYNONYM_TERM_MAX_CHARS, unique=True)
    equivalents = models.TextField(
        _("équivalents"),
        max_length=SYNONYM_EQUIVALENTS_MAX_CHARS,
        help_text=_("Un équivalent par ligne, par exemple le sigle développé."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("synonyme de recherche")
        verbose_name_plural = _("synonymes de recherche")
        ordering = ["term"]
        constraints = [
            text_within("equivalents", SYNONYM_EQUIVALENTS_MAX_CHARS, "search_synonym"),
            models.CheckConstraint(condition=~models.Q(term=""), name="search_synonym_has_a_term"),
        ]

    def __str__(self):
        return self.term

    @property
    def equivalent_list(self) -> list[str]:
        return [line.strip() for line in self.equivalents.splitlines() if line.strip()]


class IndexedEntry(models.Model):
    """One ``search.base.Entry`` in the database backend: its metadata, filtered and
    counted in SQL, and its original text, from which snippets are cut. The words
    themselves are in the full-text table (SQLite FTS5) or the ``tsv`` column (PostgreSQL)
    that the migration adds next to it."""

    key = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=24)
    object_id = models.BigIntegerField()
    page = models.PositiveIntegerField(null=True)
    # Ids, not foreign keys: the index follows the rows through signals and never holds
    # up the deletion of a row it describes.
    candidacy_id = models.BigIntegerField(db_index=True)
    author_id = models.BigIntegerField(null=True)
    title = models.TextField()
    text = models.TextField()
    evidence_type = models.CharField(max_length=30, blank=True)
    candidacy_state = models.CharField(max_length=40)
    # Its blocs and compétences again (« bloc:BC1 », « competence:C1.2 », one a line),
    # read with the row facets: one grouping of the hits counts every facet, where a join
    # of the tags' rows matched the query a second time. The rows of ``IndexedTag`` serve
    # the bloc and compétence filters.
    tag_list = models.TextField(blank=True, default="")
    updated_at = models.DateTimeField()
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "object_id"], name="search_entry_object")]

    def __str__(self):
        return self.key


class IndexedTag(models.Model):
    """A bloc or compétence an entry concerns: several per entry, counted by GROUP BY."""

    entry = models.ForeignKey(IndexedEntry, on_delete=models.CASCADE, related_name="tags")
    facet = models.CharField(max_length=12)  # "bloc" or "competence"
    value = models.CharField(max_length=20)

    class Meta:
        indexes = [models.Index(fields=["facet", "value", "entry"], name="search_tag_value")]

    def __str__(self):
        return f"{self.facet}={self.value}"


class IndexState(models.Model):
    """When each backend last indexed, and where a ``search_reindex`` stopped: a reindex
    interrupted resumes after the last candidacy it finished."""

    backend = models.CharField(max_length=30, unique=True)
    last_indexed_at = models.DateTimeField(null=True)
    reindex_started_at = models.DateTimeField(null=True)
    reindex_finished_at = models.DateTimeField(null=True)
    reindex_last_candidacy = models.BigIntegerField(null=True)

    def __str__(self):
        return self.backend


class IndexGeneration(models.Model):
    """One transaction that wrote entries' words into SQLite's full-text table, in that
    transaction: what tells a process that its in-memory copy of the entries' facet
    columns (``search.backends.columns``) is behind, and by which entries. A model, not
    a table of the migration's own, so that a flush empties it with the entries and
    starts its ids again with theirs. Unused on PostgreSQL."""

    token = models.CharField(max_length=16)

    def __str__(self):
        return f"{self.pk}:{self.token}"
