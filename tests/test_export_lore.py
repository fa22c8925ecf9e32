import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from jsonschema import Draft202012Validator

from lore.interchange import format as fmt
from lore.models import Film
from tests.lore_files import empty_database, export_text, import_file, snapshot

pytestmark = pytest.mark.django_db

SCHEMA_FILE = Path("docs/lore-format.schema.json")
SHERLOCK_FILE = Path("docs/examples/sherlock_holmes.lore.json")


def round_trip(slug, tmp_path):
    """Export, empty the database, import the file, export again: returns both exports."""
    first = export_text(slug)
    path = tmp_path / f"{slug}.lore.json"
    path.write_text(first, encoding="utf-8")
    empty_database()
    import_file(path)
    return first, export_text(slug)


def test_two_exports_of_the_same_franchise_are_byte_identical(john_wick):
    assert export_text("john-wick") == export_text("john-wick")


def test_john_wick_comes_back_unchanged_from_an_export_into_an_empty_database(john_wick, tmp_path):
    first, second = round_trip("john-wick", tmp_path)

    assert second == first
    document = json.loads(first)
    assert len(document["films"]) == 5 and len(document["credits"]) == 54 and len(document["citations"]) == 19


def test_a_generated_franchise_of_3000_records_comes_back_unchanged(db, tmp_path):
    call_command("generate_lore", size=3000, seed=8, franchise_slug="generated", stdout=io.StringIO())

    first, second = round_trip("generated", tmp_path)

    assert second == first
    document = json.loads(first)
    assert sum(len(document[section.name]) for section in fmt.LIST_SECTIONS) + 1 >= 2900


def test_the_second_franchise_exports_as_its_example_file_and_comes_back_unchanged(tmp_path):
    call_command("loaddata", "sherlock_holmes", verbosity=0)

    first, second = round_trip("sherlock-holmes", tmp_path)

    assert first == SHERLOCK_FILE.read_text(encoding="utf-8")
    assert second == first


def test_the_export_writes_every_field_but_no_ids_or_edit_times(john_wick):
    document = json.loads(export_text("john-wick"))

    film = next(film for film in document["films"] if film["slug"] == "john-wick-2014")
    assert list(film) == list(fmt.FILMS.fields)
    assert film["uncited_note"] == "Release date, synopsis and crew are general knowledge."
    assert film["chronology_order"] == 1.0 and film["release_date"] == "2014-10-24"
    text = json.dumps(document)
    assert '"pk"' not in text and '"id"' not in text and "updated_at" not in text


def test_the_export_lists_only_the_people_and_sources_its_franchise_refers_to(john_wick):
    call_command("loaddata", "sherlock_holmes", verbosity=0)

    sherlock = json.loads(export_text("sherlock-holmes"))
    john_wick = json.loads(export_text("john-wick"))

    assert "basil-rathbone" in {person["slug"] for person in sherlock["people"]}
    assert "basil-rathbone" not in {person["slug"] for person in john_wick["people"]}
    assert "keanu-reeves" not in {person["slug"] for person in sherlock["people"]}
    assert sherlock["sources"] == [] and sherlock["citations"] == []
    assert {source["slug"] for source in john_wick["sources"]} == {
        "ballerina-producer-article",
        "slashfilm-erica-lee-interview",  # relayed by the article, so it comes too
    }


def test_every_export_is_valid_against_the_published_schema(john_wick):
    call_command("loaddata", "sherlock_holmes", verbosity=0)
    validator = Draft202012Validator(
        json.loads(SCHEMA_FILE.read_text()), format_checker=Draft202012Validator.FORMAT_CHECKER
    )

    for slug in ("john-wick", "sherlock-holmes"):
        assert list(validator.iter_errors(json.loads(export_text(slug)))) == []


def test_the_published_schema_is_the_one_the_importer_checks_against():
    # Regenerate with: python manage.py shell -c "from lore.interchange.format import schema_text; \
    #   open('docs/lore-format.schema.json', 'w').write(schema_text())"
    Draft202012Validator.check_schema(json.loads(SCHEMA_FILE.read_text()))
    assert SCHEMA_FILE.read_text() == fmt.schema_text()


def test_the_format_documentation_describes_every_field():
    text = Path("docs/FORMAT.md").read_text()
    for section in fmt.SECTIONS:
        part = text.split(f"### `{section.name}`", 1)[1].split("\n### ", 1)[0]
        for name in section.fields:
            assert f"`{name}`" in part, f"docs/FORMAT.md does not describe {section.name}.{name}"


def test_exporting_runs_the_same_number_of_queries_whatever_the_size(world, django_assert_num_queries):
    small, large = world(2), world(8)
    # franchise, credits, notes, people, citations, sources (one more per step of a relay chain: none
    # here), films, organizations and their films, locations and their films, characters and their
    # organizations, appearances.
    with django_assert_num_queries(14):
        export_text(small.slug)
    with django_assert_num_queries(14):
        export_text(large.slug)


def test_the_export_command_writes_a_file_and_refuses_an_unknown_franchise(john_wick, tmp_path):
    path = tmp_path / "out.json"

    call_command("export_lore", "john-wick", output=str(path), stderr=io.StringIO())

    assert path.read_text(encoding="utf-8") == export_text("john-wick")
    with pytest.raises(CommandError, match='No franchise has the slug "star-wars". Known franchises: john-wick.'):
        call_command("export_lore", "star-wars", stdout=io.StringIO())


def test_importing_an_export_into_the_database_it_came_from_changes_nothing(john_wick, tmp_path):
    path = tmp_path / "john_wick.lore.json"
    path.write_text(export_text("john-wick"), encoding="utf-8")
    before = snapshot()

    import_file(path)

    assert snapshot() == before
    assert Film.objects.filter(franchise__slug="john-wick").count() == 5
