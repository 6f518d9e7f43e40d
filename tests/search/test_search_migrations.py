"""The search index's migrations (``vae_search``), both ways.

0006: each entry's blocs and compétences copied into its row (``IndexedEntry.tag_list``)
from the tags' rows. On SQLite Django adds the column by rebuilding the table, which
drops the index made in SQL that every search names (``INDEXED BY
vae_search_entry_facets``): it must be there after each way.

0007: on SQLite, the index of the entries in the order of the counts' groups
(``vae_search_entry_groups``), which a search of a word most entries hold walks."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from search.api import backend, search
from search.backends.sqlite import FACETS_INDEX, GROUPS_INDEX
from search.models import IndexedEntry
from tests.search.support import entry

# Migrations run outside a test's transaction.
pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("vae_search", "0005_term_document_counts")]
AFTER = [("vae_search", "0006_entry_tags")]
GROUPS_BEFORE = AFTER
GROUPS_AFTER = [("vae_search", "0007_entry_groups_index")]


def migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


def latest():
    """Every app at its last migration again: the next tests need today's schema."""
    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())


def index_columns(name):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, IndexedEntry._meta.db_table)
    return constraints.get(name, {}).get("columns")


def facets_index_columns():
    return index_columns(FACETS_INDEX)


def test_the_tags_are_copied_into_each_row_and_the_index_made_again(certifier):
    backend().index([entry(text="Relevé bancaire")])
    migrate(BEFORE)
    try:
        if connection.vendor == "sqlite":
            assert facets_index_columns() == [
                "id",
                "candidacy_id",
                "kind",
                "evidence_type",
                "candidacy_state",
                "author_id",
            ]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {IndexedEntry._meta.db_table}")
            assert "tag_list" not in [column[0] for column in cursor.description]
    finally:
        migrate(AFTER)
        tag_list = IndexedEntry.objects.get().tag_list
        made_again = facets_index_columns()
        latest()
    assert tag_list == "bloc:BC1\ncompetence:C1.1\ncompetence:C1.2"
    if connection.vendor == "sqlite":
        assert made_again[-1] == "tag_list"
    facets = search("bancaire", user=certifier).facets
    assert [(v.value, v.count) for v in facets["bloc"]] == [("BC1", 1)]
    assert [(v.value, v.count) for v in facets["competence"]] == [("C1.1", 1), ("C1.2", 1)]


def test_an_entry_indexed_now_holds_its_tags_in_its_row():
    backend().index([entry(text="Relevé bancaire")])
    assert IndexedEntry.objects.get().tag_list == "bloc:BC1\ncompetence:C1.1\ncompetence:C1.2"


def test_the_groups_index_is_made_on_sqlite_and_dropped_backwards(certifier):
    backend().index([entry(), entry("evidence_page:2:1", object_id=2, candidacy=2)])
    columns = ["candidacy_id", "kind", "evidence_type", "candidacy_state", "tag_list", "author_id"]
    assert index_columns(GROUPS_INDEX) == (columns if connection.vendor == "sqlite" else None)
    migrate(GROUPS_BEFORE)
    try:
        assert index_columns(GROUPS_INDEX) is None
    finally:
        migrate(GROUPS_AFTER)
        made_again = index_columns(GROUPS_INDEX)
        latest()
    assert made_again == (columns if connection.vendor == "sqlite" else None)
    assert search("paie", user=certifier).total == 2  # walked on SQLite: both entries
