"""Each person's credits and each source's citations, counted by the database as the rows change.

The people by credits and the sources by citations counted every credit or citation before they could take
a page (20-30 ms at 200,000 records); a stored count with an index gives the page alone. Triggers keep it,
so every write counts, whatever makes it: admin, the API, import_lore, generate_lore's bulk inserts,
loaddata, a raw UPDATE. A row of the child table inserted, deleted or moved to another parent makes the
database count that parent's rows again (an index-only count of one person's credits), and so does any
write to the parent itself: a Person saved from an instance read before a credit was added cannot put
back the old number.

Counting again rather than adding one keeps concurrent writers right. On PostgreSQL the count is taken in
a BEFORE trigger of the parent's row, which runs once the row is locked and reads with a fresh snapshot
(READ COMMITTED), so of two transactions adding credits to one person, the one that updates the row second
sees the first one's credit. SQLite allows one writer at a time.
"""

from importlib import import_module

from django.db import migrations, models

search_indexes = import_module("lore.migrations.0003_search_indexes")

# (parent table, count column, child table, the child's foreign key to the parent). Every statement below is
# built from these constant names, never from input: hence its nosec B608 marks.
COUNTS = [
    ("lore_person", "credit_count", "lore_credit", "person_id"),
    ("lore_source", "citation_count", "lore_citation", "source_id"),
]


def _count(child, key, parent_id):
    return f"(SELECT COUNT(*) FROM {child} WHERE {key} = {parent_id})"  # nosec B608


def _postgresql(parent, column, child, key):
    statements = [
        f"""CREATE FUNCTION {parent}_{column}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN NEW.{column} := {_count(child, key, "NEW.id")}; RETURN NEW; END $$""",
        f"""CREATE TRIGGER {parent}_{column} BEFORE INSERT OR UPDATE ON {parent}
        FOR EACH ROW EXECUTE FUNCTION {parent}_{column}()""",
    ]
    # Once per statement, not per row: a bulk insert of 5,000 credits touches each of their people once.
    # Touching a parent's row is enough: its own trigger counts. A trigger with transition tables serves
    # one event, so there are three.
    for event, tables, rows in (
        ("INSERT", "NEW TABLE AS new_rows", "SELECT {key} FROM new_rows"),
        ("DELETE", "OLD TABLE AS old_rows", "SELECT {key} FROM old_rows"),
        (
            "UPDATE",
            "OLD TABLE AS old_rows NEW TABLE AS new_rows",
            "SELECT old_rows.{key} FROM old_rows JOIN new_rows USING (id)"
            " WHERE old_rows.{key} IS DISTINCT FROM new_rows.{key}"
            " UNION ALL SELECT new_rows.{key} FROM old_rows JOIN new_rows USING (id)"
            " WHERE old_rows.{key} IS DISTINCT FROM new_rows.{key}",
        ),
    ):
        name = f"{child}_{column}_{event.lower()}"
        touch = f"UPDATE {parent} SET {column} = 0 WHERE id IN ({rows.format(key=key)})"  # nosec B608
        statements += [
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {touch}; RETURN NULL; END $$",
            f"""CREATE TRIGGER {name} AFTER {event} ON {child} REFERENCING {tables}
            FOR EACH STATEMENT EXECUTE FUNCTION {name}()""",
        ]
    return statements


def _postgresql_drop(parent, column, child, key):
    statements = []
    for event in ("insert", "delete", "update"):
        statements += [f"DROP TRIGGER {child}_{column}_{event} ON {child}", f"DROP FUNCTION {child}_{column}_{event}()"]
    return [*statements, f"DROP TRIGGER {parent}_{column} ON {parent}", f"DROP FUNCTION {parent}_{column}()"]


def _sqlite(parent, column, child, key):
    def recount(row):
        return f"UPDATE {parent} SET {column} = {_count(child, key, row)} WHERE id = {row};"  # nosec B608

    return [
        f"CREATE TRIGGER {parent}_{column}_insert AFTER INSERT ON {parent} BEGIN {recount('NEW.id')} END",
        # SQLite's triggers cannot change the row being written: put the count back after a write changed it.
        f"""CREATE TRIGGER {parent}_{column}_update AFTER UPDATE OF {column} ON {parent}
        WHEN NEW.{column} IS NOT {_count(child, key, "NEW.id")} BEGIN {recount("NEW.id")} END""",
        f"CREATE TRIGGER {child}_{column}_insert AFTER INSERT ON {child} BEGIN {recount(f'NEW.{key}')} END",
        f"CREATE TRIGGER {child}_{column}_delete AFTER DELETE ON {child} BEGIN {recount(f'OLD.{key}')} END",
        f"""CREATE TRIGGER {child}_{column}_update AFTER UPDATE OF {key} ON {child}
        WHEN OLD.{key} IS NOT NEW.{key} BEGIN {recount(f"OLD.{key}")} {recount(f"NEW.{key}")} END""",
    ]


def _sqlite_drop(parent, column, child, key):
    triggers = [f"{parent}_{column}_insert", f"{parent}_{column}_update"]
    triggers += [f"{child}_{column}_{event}" for event in ("insert", "delete", "update")]
    return [f"DROP TRIGGER {name}" for name in triggers]


def _run(schema_editor, builders):
    build = builders.get(schema_editor.connection.vendor)
    if build is None:
        raise NotImplementedError(
            f"Lore keeps its counts on SQLite and PostgreSQL, not {schema_editor.connection.vendor}."
        )
    for spec in COUNTS:
        for statement in build(*spec):
            schema_editor.execute(statement, params=None)


def install(apps, schema_editor):
    for parent, column, child, key in COUNTS:
        schema_editor.execute(
            f"UPDATE {parent} SET {column} = {_count(child, key, f'{parent}.id')}", params=None  # nosec B608
        )
    _run(schema_editor, {"postgresql": _postgresql, "sqlite": _sqlite})


def uninstall(apps, schema_editor):
    _run(schema_editor, {"postgresql": _postgresql_drop, "sqlite": _sqlite_drop})


class Migration(migrations.Migration):
    dependencies = [
        ("lore", "0008_client_ordering_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="credit_count",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                help_text="Kept by the database itself: see migration 0009.",
                verbose_name="credits",
            ),
        ),
        migrations.AddField(
            model_name="source",
            name="citation_count",
            field=models.PositiveIntegerField(
                default=0,
                editable=False,
                help_text="Kept by the database itself: see migration 0009.",
                verbose_name="citations",
            ),
        ),
        migrations.RunPython(install, uninstall),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["credit_count", "id"], name="person_credit_count_id_idx"),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["-credit_count", "name", "id"], name="person_most_credits_idx"),
        ),
        migrations.AddIndex(
            model_name="source",
            index=models.Index(fields=["citation_count", "id"], name="source_citation_count_id_idx"),
        ),
        migrations.AddIndex(
            model_name="source",
            index=models.Index(fields=["-citation_count", "title", "id"], name="source_most_cited_idx"),
        ),
        # The sources by date, which the same tests now check: oldest first (the API), newest first (DESC NULLS
        # LAST, which SQLite's indexes cannot declare) for the API and for the page (namesakes by title).
        migrations.AddIndex(
            model_name="source",
            index=models.Index(fields=["published_on", "id"], name="source_published_on_id_idx"),
        ),
        search_indexes.PostgresOnlySQL(
            [
                "CREATE INDEX source_newest_idx ON lore_source (published_on DESC NULLS LAST, id DESC)",
                "CREATE INDEX source_newest_title_idx ON lore_source (published_on DESC NULLS LAST, title, id)",
            ],
            ["DROP INDEX IF EXISTS source_newest_idx", "DROP INDEX IF EXISTS source_newest_title_idx"],
            elidable=False,
        ),
    ]
