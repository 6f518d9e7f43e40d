"""SQLite: how many entries hold each word (``vae_search_term_docs``), kept by
``search.backends.sqlite`` in the transaction that writes the words, so that a search
within a few candidacies ranks its hits without FTS5 counting, over the whole corpus,
the rows of each phrase (what ``bm25()`` does on its first row). Filled here from the
index as it is (FTS5's ``fts5vocab`` view, which counts by reading each word's list: fine
once, too slow per search). The scope tokens (``candidacy_12``) are left out: no search
ranks on them.

PostgreSQL: nothing (``ts_rank_cd`` reads no corpus statistics).
"""

from django.db import migrations

FORWARD = [
    "CREATE TABLE vae_search_term_docs"
    " (term TEXT NOT NULL PRIMARY KEY, docs INTEGER NOT NULL) WITHOUT ROWID",
    "CREATE VIRTUAL TABLE temp.vae_search_vocab USING fts5vocab(main, vae_search_fts, row)",
    "INSERT INTO vae_search_term_docs(term, docs) SELECT term, doc FROM temp.vae_search_vocab"
    " WHERE term NOT LIKE 'candidacy\\_%' ESCAPE '\\'",
    "DROP TABLE temp.vae_search_vocab",
]
BACKWARD = ["DROP TABLE IF EXISTS vae_search_term_docs"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("vae_search", "0004_fts_scope_and_facets"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARD), _run(BACKWARD)),
    ]
