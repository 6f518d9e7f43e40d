"""SQLite: the entries in the order a search groups its hits to count them (row facets,
then tag list; ``vae_search_entry_groups``), so that the counts of a word most entries
hold walk this index instead of sorting their hits (``SQLiteFullText.walks_groups``).
The scope's column (``author_id``) comes last, so that the index covers what the walk
reads. PostgreSQL: nothing (its counts read the materialised hits, see
``search.backends.database``).
"""

from django.db import migrations

FORWARD = [
    "CREATE INDEX IF NOT EXISTS vae_search_entry_groups ON vae_search_indexedentry"
    "(candidacy_id, kind, evidence_type, candidacy_state, tag_list, author_id)",
]
BACKWARD = ["DROP INDEX IF EXISTS vae_search_entry_groups"]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("vae_search", "0006_entry_tags"),
    ]

    operations = [
        migrations.RunPython(_run(FORWARD), _run(BACKWARD)),
    ]
