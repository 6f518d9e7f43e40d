"""Each entry's blocs and compétences also in its own row (``IndexedEntry.tag_list``), so that
a search counts its bloc and compétence facets in the same grouping as its row facets:
the join of ``vae_search_indexedtag`` matched the query a second time and looked every
hit up in the tags' index (``search.backends.database``). Filled here from the tags'
rows; ``IndexedTag`` stays for the bloc and compétence filters.

SQLite: the narrow index the searches read each hit through (``vae_search_entry_facets``,
migration 0004) gains the column, so that the hits' rows are still never read.
"""

from django.db import migrations, models

# The index made in SQL is made again each way: forward after the column is added (Django
# adds a NOT NULL column with a default by rebuilding the table on SQLite, which drops the
# index), backward after the column is dropped (SQLite refuses to drop a column an index
# names: the index goes first).
SQLITE_FORWARD = [
    "UPDATE vae_search_indexedentry SET tag_list = COALESCE(("
    " SELECT group_concat(tag, char(10)) FROM ("
    "  SELECT t.facet || ':' || t.value AS tag FROM vae_search_indexedtag t"
    "  WHERE t.entry_id = vae_search_indexedentry.id ORDER BY t.facet, t.value)), '')",
    "DROP INDEX IF EXISTS vae_search_entry_facets",
    "CREATE INDEX vae_search_entry_facets ON vae_search_indexedentry"
    "(id, candidacy_id, kind, evidence_type, candidacy_state, author_id, tag_list)",
]
SQLITE_UNINDEX = ["DROP INDEX IF EXISTS vae_search_entry_facets"]
SQLITE_BACKWARD = [
    *SQLITE_UNINDEX,
    "CREATE INDEX vae_search_entry_facets ON vae_search_indexedentry"
    "(id, candidacy_id, kind, evidence_type, candidacy_state, author_id)",
]
POSTGRESQL_FORWARD = [
    "UPDATE vae_search_indexedentry e SET tag_list = t.tags FROM ("
    " SELECT entry_id, string_agg(facet || ':' || value, chr(10) ORDER BY facet, value) AS tags"
    " FROM vae_search_indexedtag GROUP BY entry_id) t WHERE t.entry_id = e.id",
]


def _run(sqlite=(), postgresql=()):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for statement in {"sqlite": sqlite, "postgresql": postgresql}.get(vendor, ()):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("vae_search", "0005_term_document_counts"),
    ]

    operations = [
        # Back: the former index, once the column (and with the rebuild, the index) went.
        migrations.RunPython(migrations.RunPython.noop, _run(SQLITE_BACKWARD)),
        migrations.AddField(
            model_name="indexedentry",
            name="tag_list",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.RunPython(_run(SQLITE_FORWARD, POSTGRESQL_FORWARD), _run(SQLITE_UNINDEX)),
    ]
