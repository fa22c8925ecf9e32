"""/api/v1/locations/: places by franchise, kind, film and parent; one place with what is inside it."""

import pytest

from tests.api_helpers import api_get, assert_error, count_queries


def slugs(response):
    return [record["slug"] for record in response.json()["results"]]


def test_europe_holds_rome_and_paris_and_is_where_ballerina_is_set(client, read_only_john_wick):
    europe = api_get(client, "/api/v1/locations/europe/").json()

    assert europe["kind"] == "region" and europe["parent"] is None
    assert [child["slug"] for child in europe["children"]] == ["paris", "rome"]
    assert [film["slug"] for film in europe["films"]] == ["ballerina"]
    assert europe["references"][0]["claim"] == "Ballerina has a European setting."


def test_a_location_names_its_parent(client, read_only_john_wick):
    hotel = api_get(client, "/api/v1/locations/continental-new-york/").json()

    assert hotel["parent"]["slug"] == "new-york-city"


FILTERS = [
    ({"kind": "hotel"}, ["continental-new-york", "osaka-continental"]),
    ({"parent": "europe"}, ["paris", "rome"]),
    ({"film": "john-wick-chapter-4", "kind": "city"}, ["new-york-city", "paris"]),
    ({"franchise": "john-wick", "search": "osaka"}, ["osaka-continental"]),
]


def test_each_location_filter_narrows_the_list(client, read_only_john_wick):
    for params, expected in FILTERS:
        assert sorted(slugs(api_get(client, "/api/v1/locations/", params))) == expected, params


@pytest.mark.parametrize(("params", "parameter"), [({"kind": "planet"}, "kind"), ({"ordering": "-parent"}, "ordering")])
def test_an_invalid_location_parameter_is_a_400_naming_it(client, db, params, parameter):
    assert_error(api_get(client, "/api/v1/locations/", params, status=400), 400, parameter)


@pytest.mark.parametrize("size", [2, 8])
def test_location_list_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries, size):
    world(size)
    # the count (count_queries()), locations with franchise and parent joined, citations with sources
    with django_assert_max_num_queries(count_queries() + 2):
        api_get(client, "/api/v1/locations/")


@pytest.mark.parametrize("size", [2, 8])
def test_location_detail_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries, size):
    location = world(size).locations.first()
    # the location (franchise, parent joined), its films, the places inside it, citations
    with django_assert_max_num_queries(4):
        api_get(client, f"/api/v1/locations/{location.slug}/")
