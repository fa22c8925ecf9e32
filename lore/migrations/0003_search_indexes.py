"""Search structures and ordering indexes: pg_trgm, a stored full-text document per searchable table,
their indexes, and the indexes some default orderings need.

Each searchable table gets `search_document`, a tsvector column PostgreSQL computes itself (GENERATED
ALWAYS ... STORED), so ranking reads it instead of re-parsing the text of every matching row. The models
do not declare it: Django never writes it, and lore/search.py reads it by name. Its GIN index serves
`@@` matches; a GiST trigram index on the title serves misspelled look-ups (`%>`), nearest titles first
(`<<->`); migration 0005 makes it a GIN index, which measured ten times faster for these look-ups.
On SQLite none of this exists and search uses the portable match, so every operation here is a no-op
there.

tests/test_search.py checks on PostgreSQL that searches use these indexes.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

# table -> (title expression, body expression): the A-weighted and B-weighted text of each record.
DOCUMENTS = {
    "lore_franchise": ("name", "summary"),
    "lore_film": ("title", "synopsis || ' ' || chronology_note"),
    "lore_character": ("name || ' ' || coalesce(aliases::text, '')", "summary"),
    "lore_person": ("name", "summary"),
    "lore_location": ("name", "summary"),
    "lore_organization": ("name", "summary"),
    "lore_productionnote": ("headline", "summary || ' ' || quote"),
    "lore_source": ("title", "summary || ' ' || publisher || ' ' || author"),
}

# Indexes for orderings the default indexes cannot serve. The newest production notes (home page, timeline):
# a plain index on occurred_on cannot give DESC NULLS LAST order, and SQLite indexes take no NULLS LAST.
ORDERING_INDEXES = {
    "lore_productionnote_recent": "lore_productionnote (occurred_on DESC NULLS LAST, slug)",
}

# table -> the column type-ahead and misspellings match against.
TITLES = {
    "lore_franchise": "name",
    "lore_film": "title",
    "lore_character": "name",
    "lore_person": "name",
    "lore_location": "name",
    "lore_organization": "name",
    "lore_productionnote": "headline",
    "lore_source": "title",
}


def document_sql(title, body):
    # The title is indexed twice: unstemmed ('simple') so type-ahead prefixes of names match, and
    # stemmed ('english') so "chapters" finds "Chapter"; the body only stemmed.
    return (
        f"setweight(to_tsvector('simple'::regconfig, coalesce({title}, '')), 'A') || "
        f"setweight(to_tsvector('english'::regconfig, coalesce({title}, '')), 'A') || "
        f"setweight(to_tsvector('english'::regconfig, coalesce({body}, '')), 'B')"
    )


def forwards_sql():
    statements = []
    for table, (title, body) in DOCUMENTS.items():
        statements += [
            f"ALTER TABLE {table} ADD COLUMN search_document tsvector "
            f"GENERATED ALWAYS AS ({document_sql(title, body)}) STORED",
            f"CREATE INDEX {table}_search_document ON {table} USING gin (search_document)",
        ]
    for table, column in TITLES.items():
        statements.append(f"CREATE INDEX {table}_{column}_trgm ON {table} USING gist ({column} gist_trgm_ops)")
    statements += [f"CREATE INDEX {name} ON {definition}" for name, definition in ORDERING_INDEXES.items()]
    return statements


def backwards_sql():
    statements = [f"DROP INDEX IF EXISTS {name}" for name in ORDERING_INDEXES]
    for table, column in TITLES.items():
        statements.append(f"DROP INDEX IF EXISTS {table}_{column}_trgm")
    for table in DOCUMENTS:
        statements.append(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_document")
    return statements


class PostgresOnlySQL(migrations.RunSQL):
    """RunSQL that does nothing on other databases, so SQLite migrates the same history."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class PortableTrigramExtension(TrigramExtension):
    """Django's operation skips other databases going forwards but not backwards (it queries pg_extension)."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("lore", "0002_editors_group"),
    ]

    operations = [
        PortableTrigramExtension(),
        PostgresOnlySQL(forwards_sql(), backwards_sql(), elidable=False),
        migrations.AddIndex(
            model_name="source",
            index=models.Index(fields=["title"], name="source_title_idx"),
        ),
    ]
