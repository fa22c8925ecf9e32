"""Title trigram indexes: GIN instead of GiST (PostgreSQL only).

Search looks for the titles nearest a misspelt query (`title %> query`, nearest first). Measured with
EXPLAIN ANALYZE on the benchmark's 12,000 characters: the GiST index's nearest-first scan took 2.2–2.8 ms
per table, the GIN index's bitmap scan plus a sort of its few matches 0.2–0.4 ms. GIN cannot return rows
nearest first, but only titles past the word-similarity threshold reach the sort, so it stays small.
The indexes keep their names, so nothing else changes.
"""

from importlib import import_module

from django.db import migrations

search_indexes = import_module("lore.migrations.0003_search_indexes")


def title_indexes_sql(method):
    statements = []
    for table, column in search_indexes.TITLES.items():
        statements += [
            f"DROP INDEX IF EXISTS {table}_{column}_trgm",
            f"CREATE INDEX {table}_{column}_trgm ON {table} USING {method} ({column} {method}_trgm_ops)",
        ]
    return statements


class Migration(migrations.Migration):
    dependencies = [
        ("lore", "0004_api_list_order_indexes"),
    ]

    operations = [
        search_indexes.PostgresOnlySQL(title_indexes_sql("gin"), title_indexes_sql("gist"), elidable=False),
    ]
