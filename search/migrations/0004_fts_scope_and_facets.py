"""SQLite: the FTS5 table gains a ``scope`` column holding each entry's candidacy token
(``candidacy_12``, see ``search.backends.sqlite``), with a tokenizer that keeps the
underscore the analyser never writes. FTS5 cannot add a column: a new table is filled
from the old one (the stems are copied, not re-analysed) and takes its name. No
``search_reindex`` is needed.

And a narrow index of what a search reads of each hit (its id, row facets and scope
columns), which the SQLite searches read instead of the wide rows of the entries.

PostgreSQL: nothing (its scope narrowing uses the entries' candidacy_id index; a hit's row
is read anyway to check its words).
"""

from django.db import migrations

FORWARD = [
    "CREATE VIRTUAL TABLE vae_search_fts_new USING fts5("
    "title, body, scope, tokenize=\"unicode61 tokenchars '_'\")",
    "INSERT INTO vae_search_fts_new(rowid, title, body, scope)"
    " SELECT f.rowid, f.title, f.body, 'candidacy_' || e.candidacy_id"
    " FROM vae_search_fts f JOIN vae_search_indexedentry e ON e.id = f.rowid",
    "DROP TABLE vae_search_fts",
    "ALTER TABLE vae_search_fts_new RENAME TO vae_search_fts",
    "CREATE INDEX vae_search_entry_facets ON vae_search_indexedentry"
    "(id, candidacy_id, kind, evidence_type, candidacy_state, author_id)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS vae_search_entry_facets",
    "CREATE VIRTUAL TABLE vae_search_fts_old USING fts5(title, body, tokenize='unicode61')",
    "INSERT INTO vae_search_fts_old(rowid, title, body)"
    " SELECT rowid, title, body FROM vae_search_fts",
    "DROP TABLE vae_search_fts",
    "ALTER TABLE vae_search_fts_old RENAME TO vae_search_fts",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("vae_search", "0003_seed_synonyms"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARD), _run(BACKWARD)),
    ]
