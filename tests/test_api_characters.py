"""/api/v1/characters/: filtered by franchise, film, organization and actor; one character in full."""

import pytest

from tests.api_helpers import api_get, assert_error, count_queries


def slugs(response):
    return [record["slug"] for record in response.json()["results"]]


def test_character_list_gives_aliases_and_franchise(client, read_only_john_wick):
    body = api_get(client, "/api/v1/characters/", {"page_size": 100}).json()

    assert body["count"] == 20
    wick = next(c for c in body["results"] if c["slug"] == "john-wick")
    assert "Baba Yaga" in wick["aliases"]
    assert wick["franchise"]["slug"] == "john-wick"
    assert wick["references"][0]["claim"] == "Wick is always trying to get out."


def test_eve_macarro_record_gives_her_film_actor_and_organization(client, read_only_john_wick):
    eve = api_get(client, "/api/v1/characters/eve-macarro/").json()

    assert eve["name"] == "Eve Macarro" and eve["aliases"] == ["The Ballerina"]
    assert [(a["film"]["slug"], a["type"]) for a in eve["appearances"]] == [("ballerina", "main")]
    assert [(c["person"]["name"], c["film"]["slug"], c["role"]) for c in eve["credits"]] == [
        ("Ana de Armas", "ballerina", "actor")
    ]
    assert [o["slug"] for o in eve["organizations"]] == ["ruska-roma"]


FILTERS = [
    ({"film": "ballerina"}, ["charon", "eve-macarro", "john-wick", "the-director", "winston"]),
    ({"organization": "ruska-roma"}, ["eve-macarro", "john-wick", "the-director"]),
    ({"portrayed_by": "ana-de-armas"}, ["eve-macarro"]),
    ({"franchise": "john-wick", "film": "ballerina", "organization": "the-continental"}, ["charon", "winston"]),
    ({"franchise": "another-franchise"}, []),
    ({"search": "concierge"}, ["akira", "charon"]),
]


def test_each_character_filter_narrows_the_list(client, read_only_john_wick):
    for params, expected in FILTERS:
        found = slugs(api_get(client, "/api/v1/characters/", {**params, "ordering": "name"}))
        assert sorted(found) == expected, params


def test_a_value_no_slug_could_have_matches_nothing_rather_than_failing(client, read_only_john_wick):
    for value in ["\x00", "Eve Macarro", "é/?&", "a\nb"]:
        assert api_get(client, "/api/v1/characters/", {"film": value}).json()["count"] == 0, value


def test_a_character_seen_in_several_films_is_listed_once(client, read_only_john_wick):
    found = slugs(api_get(client, "/api/v1/characters/", {"portrayed_by": "keanu-reeves"}))

    assert found == ["john-wick"]


@pytest.mark.parametrize(("params", "parameter"), [({"ordering": "aliases"}, "ordering"), ({"page": "0"}, "page")])
def test_an_invalid_character_parameter_is_a_400_naming_it(client, db, params, parameter):
    assert_error(api_get(client, "/api/v1/characters/", params, status=400), 400, parameter)


@pytest.mark.parametrize("size", [2, 8])
def test_character_list_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries, size):
    world(size)
    # the count (count_queries()), characters with franchise joined, citations with sources
    with django_assert_max_num_queries(count_queries() + 2):
        api_get(client, "/api/v1/characters/")


@pytest.mark.parametrize("size", [2, 8])
def test_character_detail_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries, size):
    character = world(size).characters.first()
    # the character (franchise joined), organizations, appearances (film), credits (person, film), citations
    with django_assert_max_num_queries(5):
        api_get(client, f"/api/v1/characters/{character.slug}/")
