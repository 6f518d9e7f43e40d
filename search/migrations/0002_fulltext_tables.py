"""The full-text part of the database backend, by vendor.

SQLite: an FTS5 table (rowid = the entry's id) fed with the stems of ``search.analysis``.
PostgreSQL: a ``french_unaccent`` configuration (accents folded, then the French Snowball
stemmer) and a generated ``tsvector`` column with a GIN index. ``to_tsvector`` with an
explicit configuration is immutable, so the generated column needs no IMMUTABLE wrapper
around ``unaccent``: the extension is used as a dictionary of the configuration, not as a
function call.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE vae_search_fts USING fts5(title, body, tokenize='unicode61')",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS vae_search_fts"]

POSTGRESQL_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """
    DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'french_unaccent') THEN
            CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french);
            ALTER TEXT SEARCH CONFIGURATION french_unaccent
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
        END IF;
    END $$
    """,
    """
    ALTER TABLE vae_search_indexedentry ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('french_unaccent'::regconfig, coalesce(title, '')), 'A')
        || setweight(to_tsvector('french_unaccent'::regconfig, coalesce(text, '')), 'B')
    ) STORED
    """,
    "CREATE INDEX vae_search_entry_tsv ON vae_search_indexedentry USING GIN (tsv)",
]
POSTGRESQL_BACKWARD = [
    "DROP INDEX IF EXISTS vae_search_entry_tsv",
    "ALTER TABLE vae_search_indexedentry DROP COLUMN IF EXISTS tsv",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, ()):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("vae_search", "0001_index_and_synonyms"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRESQL_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRESQL_BACKWARD}),
        ),
    ]
