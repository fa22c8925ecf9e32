"""Backups restore exactly: `dumpdata lore --natural-foreign --natural-primary`, loaded into an emptied
database, dumps again to the same bytes, edit times and history included."""

import io
import json
import re

import pytest
from django.core.management import call_command
from django.db import connection

from lore.models import Film


def dump():
    out = io.StringIO()
    call_command("dumpdata", "lore", natural_foreign=True, natural_primary=True, indent=1, stdout=out)
    return out.getvalue()


# Django's JSON serializer writes times to the millisecond: one whose microseconds are under 1,000 is
# dumped as "...:02.000Z", loads back as a whole second and is dumped again as "...:02Z". The same
# instant at the dump's precision, so the comparison writes both the same way.
WHOLE_SECOND = re.compile(r'\.000(Z|[+-]\d\d:\d\d)"')


def at_dump_precision(text):
    return WHOLE_SECOND.sub(r'\1"', text)


def empty_the_database():
    """`flush` inside the test's transaction, so the rollback afterwards gives later tests their data back."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses tables with checks pending
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)


@pytest.fixture
def edited_john_wick(john_wick):
    """The article's franchise after an editor's change, so there is history to back up too."""
    film = Film.objects.get(slug="john-wick-2014")
    film.synopsis += " Edited once."
    film.save()


def test_a_natural_key_dump_restores_into_an_empty_database_identically(edited_john_wick, tmp_path):
    before = dump()
    backup = tmp_path / "lore.json"
    backup.write_text(before)

    empty_the_database()
    assert not Film.objects.exists()
    call_command("loaddata", str(backup), verbosity=0)

    assert at_dump_precision(dump()) == at_dump_precision(before)


def test_the_dump_carries_edit_times_and_history_and_no_primary_keys_for_lore_records(edited_john_wick):
    records = json.loads(dump())
    films = [r for r in records if r["model"] == "lore.film"]
    histories = [r for r in records if r["model"] == "lore.historicalfilm"]

    assert films and all("pk" not in r and r["fields"]["updated_at"] for r in films)
    assert histories, "the edit history is part of the backup"
