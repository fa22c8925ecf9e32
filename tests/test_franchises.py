"""Two franchises side by side: the Sherlock Holmes fixture next to John Wick, in the ORM, on the pages and
through the API, each keeping to its own records."""

from pathlib import Path

import pytest
from django.core.management import call_command

from lore.models import (
    Appearance,
    Character,
    Citation,
    Credit,
    Film,
    Franchise,
    Location,
    Organization,
    Person,
    ProductionNote,
)
from lore.search import search
from tests.api_helpers import api_get
from tests.lore_files import empty_database, import_file
from tests.pages import page_text

pytestmark = pytest.mark.django_db

SHERLOCK_FILMS = [
    "sherlock-holmes-and-the-voice-of-terror",
    "sherlock-holmes-in-washington",
    "sherlock-holmes-faces-death",
    "the-scarlet-claw",
]


@pytest.fixture
def two_franchises(john_wick):
    call_command("loaddata", "sherlock_holmes", verbosity=0)


def test_the_sherlock_holmes_films_are_the_universal_series_with_rathbone_and_bruce(two_franchises):
    films = Film.objects.filter(franchise__slug="sherlock-holmes").order_by("release_order")

    assert [film.slug for film in films] == SHERLOCK_FILMS
    assert all(film.status == Film.Status.RELEASED and film.release_date.year in (1942, 1943, 1944) for film in films)
    for film in films:
        holmes = Credit.objects.get(film=film, character__slug="sherlock-holmes")
        watson = Credit.objects.get(film=film, character__slug="doctor-watson")
        assert (holmes.person.name, watson.person.name) == ("Basil Rathbone", "Nigel Bruce")
    assert Location.objects.get(slug="221b-baker-street").parent.slug == "london"
    assert list(Organization.objects.get(slug="scotland-yard").members.values_list("slug", flat=True)) == [
        "inspector-lestrade"
    ]
    assert {"professor-moriarty", "mrs-hudson"} <= set(
        Character.objects.filter(franchise__slug="sherlock-holmes").values_list("slug", flat=True)
    )


def test_every_sherlock_holmes_record_is_marked_uncited_and_cites_no_source(two_franchises):
    franchise = Franchise.objects.get(slug="sherlock-holmes")
    records = [
        franchise,
        *franchise.films.all(),
        *franchise.characters.all(),
        *franchise.locations.all(),
        *franchise.organizations.all(),
        *Credit.objects.filter(film__franchise=franchise),
        *Appearance.objects.filter(film__franchise=franchise),
        *ProductionNote.objects.filter(film__franchise=franchise),
        *Person.objects.filter(credits__film__franchise=franchise).distinct(),
    ]

    assert all(record.uncited_note for record in records)
    assert not ProductionNote.objects.filter(film__franchise=franchise, source__isnull=False).exists()
    assert not Citation.objects.filter(film__franchise=franchise).exists()
    assert not Citation.objects.filter(person__credits__film__franchise=franchise).exists()


def test_the_two_franchises_share_no_records(two_franchises):
    for model in (Film, Character, Location, Organization):
        john_wick = set(model.objects.filter(franchise__slug="john-wick").values_list("pk", flat=True))
        sherlock = set(model.objects.filter(franchise__slug="sherlock-holmes").values_list("pk", flat=True))
        assert john_wick and sherlock and not john_wick & sherlock
    sherlock_people = set(Person.objects.filter(credits__film__franchise__slug="sherlock-holmes"))
    assert not sherlock_people & set(Person.objects.filter(credits__film__franchise__slug="john-wick"))
    assert Franchise.objects.get(slug="john-wick").films.count() == 5


def test_the_second_franchise_can_be_added_from_its_one_file(db):
    empty_database()

    import_file(Path("docs/examples/sherlock_holmes.lore.json"))

    assert list(Film.objects.order_by("release_order").values_list("slug", flat=True)) == SHERLOCK_FILMS
    assert Credit.objects.count() == 16 and Appearance.objects.count() == 12


def test_the_franchise_page_shows_only_its_own_films(client, two_franchises):
    response = client.get("/franchises/sherlock-holmes/")

    assert response.status_code == 200
    html = response.content.decode()
    assert html.index('href="/films/sherlock-holmes-and-the-voice-of-terror/"') < html.index(
        'href="/films/the-scarlet-claw/"'
    )
    assert "/films/john-wick-2014/" not in html and "/films/ballerina/" not in html
    text = page_text(response)
    assert "Films 4" in text and "Characters 5" in text


def test_the_franchise_list_shows_both_franchises(client, two_franchises):
    text = page_text(client.get("/franchises/"))

    assert "John Wick 5 films" in text and "Sherlock Holmes 4 films" in text


def test_the_film_list_filtered_by_franchise_lists_only_that_franchise(client, two_franchises):
    html = client.get("/films/", {"franchise": "sherlock-holmes"}).content.decode()

    assert all(f'href="/films/{slug}/"' in html for slug in SHERLOCK_FILMS)
    assert 'href="/films/john-wick-2014/"' not in html


def test_a_sherlock_holmes_film_page_shows_its_cast_and_marks_it_uncited(client, two_franchises):
    text = page_text(client.get("/films/sherlock-holmes-faces-death/"))

    assert "Basil Rathbone" in text and "Dennis Hoey" in text and "Inspector Lestrade" in text
    assert "Keanu Reeves" not in text
    assert "Release date, director, cast and story are general knowledge." in text


def test_the_api_filters_films_by_franchise(client, two_franchises):
    sherlock = api_get(client, "/api/v1/films/", {"franchise": "sherlock-holmes"}).json()
    john_wick = api_get(client, "/api/v1/films/", {"franchise": "john-wick"}).json()

    assert sherlock["count"] == 4 and john_wick["count"] == 5
    assert {film["slug"] for film in sherlock["results"]} == set(SHERLOCK_FILMS)
    assert {film["franchise"]["slug"] for film in sherlock["results"]} == {"sherlock-holmes"}


def test_the_api_filters_characters_by_franchise(client, two_franchises):
    body = api_get(client, "/api/v1/characters/", {"franchise": "sherlock-holmes"}).json()

    assert {character["slug"] for character in body["results"]} == {
        "sherlock-holmes",
        "doctor-watson",
        "mrs-hudson",
        "inspector-lestrade",
        "professor-moriarty",
    }


def test_the_api_gives_a_sherlock_holmes_film_with_its_own_credits(client, two_franchises):
    film = api_get(client, "/api/v1/films/the-scarlet-claw/").json()

    assert film["franchise"]["slug"] == "sherlock-holmes"
    assert {(credit["person"]["slug"], credit["role"]) for credit in film["credits"]} == {
        ("basil-rathbone", "actor"),
        ("nigel-bruce", "actor"),
        ("roy-william-neill", "director"),
    }
    assert film["references"] == [] and film["uncited_note"]


def test_search_labels_each_result_with_its_franchise(two_franchises):
    hits = {hit.slug: hit.franchise for hit in search("holmes")}

    assert hits["sherlock-holmes-faces-death"] == "Sherlock Holmes"
    assert all(franchise in (None, "Sherlock Holmes") for franchise in hits.values())
    assert search("wick")[0].franchise == "John Wick"
