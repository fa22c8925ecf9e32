import copy
import datetime
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import CheckConstraint, Q

from lore.interchange import importer
from lore.interchange.importer import import_franchise
from lore.interchange.validate import ImportRefused
from lore.models import (
    Appearance,
    Character,
    Citation,
    Credit,
    Film,
    Franchise,
    Location,
    Person,
    ProductionNote,
    Source,
)
from tests.lore_files import counts, export_text, import_file, snapshot, write_lore

pytestmark = pytest.mark.django_db

SHERLOCK_FILE = Path("docs/examples/sherlock_holmes.lore.json")


@pytest.fixture
def john_wick_file(john_wick):
    """The John Wick franchise as its export, ready to be edited into a bad (or changed) file."""
    return json.loads(export_text("john-wick"))


@pytest.fixture
def sherlock_holmes(db):
    call_command("loaddata", "sherlock_holmes", verbosity=0)


def small_franchise(**changes):
    """A hand-written file of the kind an editor starts a franchise with: only the required fields."""
    document = {
        "format": "lore",
        "version": 1,
        "franchise": {"slug": "test-universe", "name": "Test Universe"},
        "people": [{"slug": "ada-example", "name": "Ada Example"}],
        "films": [{"slug": "test-film-one", "title": "Test Film One"}],
        "characters": [{"slug": "test-hero", "name": "Test Hero"}],
        "credits": [{"film": "test-film-one", "person": "ada-example", "role": "actor", "character": "test-hero"}],
        "appearances": [{"character": "test-hero", "film": "test-film-one"}],
    }
    document.update(changes)
    return document


def refused(tmp_path, document):
    """Import a file that must be refused; returns everything the command reported."""
    path = document if isinstance(document, Path) else write_lore(tmp_path, document, name="bad.lore.json")
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_lore", str(path), stdout=out, stderr=out)
    return out.getvalue() + str(error.value)


def test_a_new_franchise_is_created_from_one_small_hand_written_file(tmp_path):
    output = import_file(write_lore(tmp_path, small_franchise()))

    film = Film.objects.get(slug="test-film-one")
    assert film.franchise.name == "Test Universe"
    assert film.kind == Film.Kind.MAIN and film.status == Film.Status.ANNOUNCED  # the model defaults
    credit = Credit.objects.get(film=film)
    assert (credit.person.name, credit.character.name, credit.billing) == ("Ada Example", "Test Hero", 100)
    assert Appearance.objects.get(film=film).type == Appearance.Type.SUPPORTING
    assert "films: 1 created" in output


def test_the_small_example_in_the_format_documentation_imports(tmp_path):
    text = Path("docs/FORMAT.md").read_text()
    example = text.split("```json\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "example.lore.json"
    path.write_text(example)

    import_file(path)

    franchise = Franchise.objects.get(slug=json.loads(example)["franchise"]["slug"])
    assert franchise.films.exists() and franchise.characters.exists()


def test_reimporting_the_same_file_changes_nothing_and_adds_no_history(john_wick_file, tmp_path):
    path = write_lore(tmp_path, john_wick_file)
    before = snapshot()
    stamps = dict(Film.objects.values_list("pk", "updated_at"))

    output = import_file(path)
    import_file(path)

    assert snapshot() == before  # same rows, same number of history rows
    assert dict(Film.objects.values_list("pk", "updated_at")) == stamps
    assert "created" not in output and "updated" not in output and "credits: 54 unchanged" in output


def test_a_new_franchise_imported_twice_is_not_duplicated(tmp_path):
    import_file(SHERLOCK_FILE)
    first = snapshot()

    output = import_file(SHERLOCK_FILE)

    assert snapshot() == first
    assert Film.objects.filter(franchise__slug="sherlock-holmes").count() == 4
    assert "created" not in output


def test_an_import_is_recorded_in_history_with_the_file_name(tmp_path):
    import_file(SHERLOCK_FILE)

    reason = "import_lore sherlock_holmes.lore.json"
    assert Film.history.filter(history_change_reason=reason, history_type="+").count() == 4
    assert Credit.history.filter(history_change_reason=reason).count() == 16
    assert not Film.history.exclude(history_change_reason=reason).exists()


def test_an_edited_record_is_updated_in_place_with_one_history_row(john_wick_file, tmp_path):
    film = Film.objects.get(slug="ballerina")
    history = film.history.count()
    next(f for f in john_wick_file["films"] if f["slug"] == "ballerina")["title"] = "Ballerina (working title)"

    output = import_file(write_lore(tmp_path, john_wick_file, name="edited.json"))

    film.refresh_from_db()
    assert film.title == "Ballerina (working title)"
    assert film.history.count() == history + 1
    assert film.history.first().history_change_reason == "import_lore edited.json"
    assert "films: 1 updated, 4 unchanged" in output


def test_films_can_swap_release_orders(john_wick_file, tmp_path):
    orders = {f["slug"]: f for f in john_wick_file["films"]}
    orders["john-wick-chapter-2"]["release_order"], orders["john-wick-chapter-4"]["release_order"] = 4, 2

    import_file(write_lore(tmp_path, john_wick_file))

    assert Film.objects.get(slug="john-wick-chapter-2").release_order == 4
    assert Film.objects.get(slug="john-wick-chapter-4").release_order == 2


def without_film(document, slug):
    """The file with one film, and everything that names it, taken out."""
    document = copy.deepcopy(document)
    document["films"] = [f for f in document["films"] if f["slug"] != slug]
    for section in ("credits", "appearances", "production_notes"):
        document[section] = [r for r in document[section] if r["film"] != slug]
    for section in ("organizations", "locations"):
        for record in document[section]:
            record["films"] = [film for film in record["films"] if film != slug]
    document["citations"] = [
        c
        for c in document["citations"]
        if c.get("film") != slug and slug not in (c.get("credit", {}).get("film"), c.get("appearance", {}).get("film"))
    ]
    return document


def test_records_the_file_no_longer_lists_are_deleted_from_its_franchise_only(
    john_wick_file, sherlock_holmes, tmp_path
):
    sherlock_before = export_text("sherlock-holmes")
    reason = "import_lore franchise.lore.json"

    output = import_file(write_lore(tmp_path, without_film(john_wick_file, "ballerina")))

    assert not Film.objects.filter(slug="ballerina").exists()
    assert not ProductionNote.objects.filter(slug="ballerina-different-setting").exists()
    assert not Citation.objects.filter(film__slug="ballerina").exists()
    assert Film.history.filter(history_type="-", history_change_reason=reason).count() == 1
    assert Person.objects.filter(slug="ana-de-armas").exists()  # people are shared: never deleted
    assert Source.objects.filter(slug="ballerina-producer-article").exists()
    assert Film.objects.filter(franchise__slug="john-wick").count() == 4
    assert export_text("sherlock-holmes") == sherlock_before
    assert "films: 4 unchanged, 1 deleted" in output


def test_a_dry_run_reports_what_would_change_and_writes_nothing(john_wick_file, tmp_path):
    john_wick_file["films"][0]["synopsis"] = "Changed."
    before = snapshot()

    output = import_file(write_lore(tmp_path, john_wick_file), "--dry-run")

    assert "dry run" in output and "films: 1 updated, 4 unchanged" in output
    assert snapshot() == before


def test_a_file_may_refer_to_people_and_sources_already_in_the_database(john_wick, tmp_path):
    document = small_franchise(people=[])
    document["credits"][0]["person"] = "keanu-reeves"
    document["citations"] = [{"source": "ballerina-producer-article", "film": "test-film-one", "claim": "Example."}]

    import_file(write_lore(tmp_path, document))

    assert Credit.objects.get(film__slug="test-film-one").person.name == "Keanu Reeves"
    assert Citation.objects.filter(film__slug="test-film-one", source__slug="ballerina-producer-article").exists()


def test_people_in_a_file_are_updated_by_slug_for_every_franchise(john_wick, tmp_path):
    document = small_franchise()
    document["people"] = [{"slug": "keanu-reeves", "name": "Keanu Reeves", "summary": "Updated from another file."}]
    document["credits"][0]["person"] = "keanu-reeves"

    import_file(write_lore(tmp_path, document))

    keanu = Person.objects.get(slug="keanu-reeves")
    assert keanu.summary == "Updated from another file."
    assert keanu.birth_date is None  # the file is the record: a field it leaves out takes its default
    assert keanu.credits.filter(film__franchise__slug="john-wick").count() >= 4


def test_importing_a_franchise_leaves_every_other_franchise_as_it_was(john_wick, tmp_path):
    before = export_text("john-wick")

    import_file(SHERLOCK_FILE)

    assert export_text("john-wick") == before
    assert Franchise.objects.count() == 2


def rename_film(document, old, new):
    text = json.dumps(document).replace(f'"{old}"', f'"{new}"')
    return json.loads(text)


BAD_FILES = {
    "a wrong type": (
        lambda d: d["films"][0].update(release_order="first"),
        'films[0].release_order: must be a whole number or null (found "first")',
    ),
    "a value outside its enumeration": (
        lambda d: d["films"][0].update(status="finished"),
        "films[0].status: must be one of announced, in_development, in_production, post_production, released "
        '(found "finished")',
    ),
    "an impossible date": (
        lambda d: d["people"][0].update(birth_date="1986-02-30"),
        'people[0].birth_date: must be a real date written YYYY-MM-DD (found "1986-02-30")',
    ),
    "an unknown field": (
        lambda d: d["films"][1].update(directed_by="Chad Stahelski"),
        "films[1].directed_by: is not a field of this record",
    ),
    "a misspelt field": (
        lambda d: d["films"][1].update(release_dat="2014-10-24"),
        'films[1].release_dat: is not a field of this record; did you mean "release_date"?',
    ),
    "a missing required field": (
        lambda d: d["characters"][0].pop("name"),
        "characters[0].name: is required but missing",
    ),
    "a duplicate slug": (
        lambda d: d["characters"].append(dict(d["characters"][0], name="Another")),
        'characters[20].slug: duplicate: characters[0] has the same slug (found "akira")',
    ),
    "a duplicate credit": (
        lambda d: d["credits"].append(dict(d["credits"][0], billing=7)),
        "credits[54]: duplicate: credits[0] has the same film, person, role, character",
    ),
    "a dangling film reference": (
        lambda d: d["appearances"][0].update(film="john-wick-chapter-9"),
        'appearances[0].film: no film has this slug in this file (found "john-wick-chapter-9")',
    ),
    "a dangling person reference": (
        lambda d: d["credits"][3].update(person="nobody-at-all"),
        'credits[3].person: no person has this slug in this file or in the database (found "nobody-at-all")',
    ),
    "a dangling cited credit": (
        lambda d: next(c for c in d["citations"] if "credit" in c)["credit"].update(role="director"),
        ".credit: no such credit among this file's credits",
    ),
    "a citation naming two records": (
        lambda d: d["citations"][0].update(film="ballerina"),
        "citations[0]: names 2 cited records (film, appearance); name exactly one",
    ),
    "a citation of another franchise": (
        lambda d: d["citations"].append({"source": "ballerina-producer-article", "franchise": "star-wars"}),
        'citations[19].franchise: a file can only cite its own franchise, "john-wick" (found "star-wars")',
    ),
    "a location inside itself": (
        lambda d: d["locations"][1].update(parent=d["locations"][1]["slug"]),
        'locations[1].parent: makes a loop: continental-new-york → continental-new-york (found "continental-new-york")',
    ),
    "a released film without a release date": (
        lambda d: d["films"][1].update(release_date=None),
        'films[1]: film "john-wick-2014": A released film needs a release date',
    ),
    "two films with one release order": (
        lambda d: d["films"][2].update(release_order=1),
        'films[2]: film "john-wick-chapter-2": Another film of this franchise already has this release order',
    ),
    "an actor credit without a character": (
        lambda d: next(c for c in d["credits"] if c["person"] == "ian-mcshane").update(character=None),
        'credits[4]: credit "ballerina / ian-mcshane / actor": An acting credit must name the character played',
    ),
    "a crew credit naming a character": (
        lambda d: next(c for c in d["credits"] if c["role"] == "director").update(character="john-wick"),
        ": Only an acting credit can name a character",
    ),
    "a main film naming a film it spun off from": (
        lambda d: d["films"][2].update(spun_off_from="john-wick-2014"),
        'films[2]: film "john-wick-chapter-2": Only a spinoff can name the film it spun off from',
    ),
    "a quote without a speaker": (
        lambda d: next(n for n in d["production_notes"] if n["quote"]).update(speaker=None),
        ".speaker: A quote needs a speaker: who said it? (found null)",
    ),
    "a newer format version": (
        lambda d: d.update(version=2),
        "version: this Lore reads format version 1 only (found 2)",
    ),
    "not a lore file": (lambda d: d.update(format="fixture"), 'format: must be "lore"'),
}


@pytest.mark.parametrize("mistake", BAD_FILES)
def test_a_bad_file_is_refused_with_the_problem_named_and_nothing_written(mistake, john_wick_file, tmp_path):
    change, expected = BAD_FILES[mistake]
    change(john_wick_file)
    john_wick_file["franchise"]["summary"] = "An edit that must not survive."
    before = snapshot()

    report = refused(tmp_path, john_wick_file)

    assert expected in report
    assert "nothing was imported" in report
    assert snapshot() == before


def test_a_truncated_file_is_refused_naming_the_line_and_column(john_wick, tmp_path):
    path = tmp_path / "truncated.json"
    path.write_text(export_text("john-wick")[:5000])
    before = snapshot()

    report = refused(tmp_path, path)

    assert "truncated.json: Not valid JSON at line " in report and ", column " in report
    assert snapshot() == before


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "Not valid JSON at line 1, column 1: Expecting value"),
        (b'{"format": "lore", "version": 1, "franchise": NaN}', "NaN is not a JSON value"),
        (b"\xff\xfe not utf-8", "not UTF-8 text"),
        (b"[1, 2]", "A lore file is a JSON object"),
    ],
)
def test_files_that_are_not_json_documents_are_refused(content, expected, tmp_path):
    path = tmp_path / "odd.json"
    path.write_bytes(content)

    assert expected in refused(tmp_path, path)
    assert not any(counts().values())


def test_a_slug_another_franchise_uses_is_refused_with_a_free_slug_suggested(sherlock_holmes, john_wick_file, tmp_path):
    document = rename_film(john_wick_file, "ballerina", "the-scarlet-claw")
    before = snapshot()

    report = refused(tmp_path, document)

    assert (
        'films[0].slug: is already the slug of a film of another franchise, Sherlock Holmes ("sherlock-holmes"); '
        'slugs are unique across franchises. Rename it, for example to "john-wick-the-scarlet-claw"'
    ) in report
    assert snapshot() == before
    assert Film.objects.get(slug="the-scarlet-claw").franchise.slug == "sherlock-holmes"


def test_the_suggested_slug_is_one_nobody_uses_yet(sherlock_holmes, tmp_path):
    document = small_franchise(characters=[{"slug": "mrs-hudson", "name": "A Landlady"}])
    document["credits"][0]["character"] = document["appearances"][0]["character"] = "mrs-hudson"
    Character.objects.create(
        franchise=Franchise.objects.get(slug="sherlock-holmes"), name="X", slug="test-universe-mrs-hudson"
    )

    report = refused(tmp_path, document)

    assert 'for example to "test-universe-mrs-hudson-2"' in report


def test_every_problem_in_a_file_is_reported_at_once(john_wick_file, tmp_path):
    john_wick_file["films"][1]["title"] = ""
    john_wick_file["people"][2]["favourite_colour"] = "red"
    organizations = john_wick_file["characters"][3]["organizations"]
    organizations.append("no-such-organization")
    john_wick_file["credits"][5]["role"] = "caterer"
    john_wick_file["films"][3]["release_date"] = None

    with pytest.raises(ImportRefused) as error:
        import_franchise(data=json.dumps(john_wick_file), filename="many.json")

    paths = [problem.path for problem in error.value.problems]
    assert paths == [
        "people[2].favourite_colour",
        "films[1].title",
        "films[3]",
        f"characters[3].organizations[{len(organizations) - 1}]",
        "credits[5].role",
    ]


CONSTRAINT_CASES = [
    Film(status="released", release_date=None, kind="main"),
    Film(status="released", release_date=datetime.date(2020, 1, 1), kind="spinoff"),
    Film(status="announced", kind="main", spun_off_from=Film(pk=1)),
    Film(status="announced", kind="spinoff", spun_off_from=Film(pk=1)),
    Credit(role="actor", character=None),
    Credit(role="actor", character=Character(pk=1)),
    Credit(role="director", character=Character(pk=1)),
    Credit(role="director", character=None),
    ProductionNote(quote="Said.", speaker=None, source=None),
    ProductionNote(quote="Said.", speaker=Person(pk=1), source=Source(pk=1)),
    ProductionNote(quote="", speaker=None, source=None),
    Citation(),
    Citation(film=Film(pk=1)),
    Citation(film=Film(pk=1), person=Person(pk=1)),
]


@pytest.mark.parametrize("instance", CONSTRAINT_CASES, ids=lambda instance: type(instance).__name__)
def test_check_constraints_the_import_decides_itself_agree_with_the_database(instance):
    for constraint in instance._meta.constraints:
        if isinstance(constraint, CheckConstraint):
            in_python = importer._truth(constraint.condition, instance) is not False
            in_database = Q(constraint.condition).check(instance._get_field_expression_map(meta=instance._meta))
            assert in_python == in_database, constraint.name


def test_places_and_the_places_inside_them_can_be_deleted_or_moved_out_in_one_import(john_wick_file, tmp_path):
    gone = {"new-york-city", "continental-new-york", "europe"}
    john_wick_file["locations"] = [place for place in john_wick_file["locations"] if place["slug"] not in gone]
    for place in john_wick_file["locations"]:
        place["parent"] = None  # Paris and Rome leave Europe
    john_wick_file["citations"] = [c for c in john_wick_file["citations"] if c.get("location") not in gone]

    output = import_file(write_lore(tmp_path, john_wick_file))

    assert sorted(Location.objects.values_list("slug", flat=True)) == [
        "casablanca",
        "osaka-continental",
        "paris",
        "rome",
    ]
    assert "locations: 2 updated, 2 unchanged, 3 deleted" in output
