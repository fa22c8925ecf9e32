"""/api/v1/franchises/: each franchise with its counts, and one franchise with its films."""

import pytest

from lore.models import Film, Franchise
from tests.api_helpers import api_get, assert_error, count_queries


def test_franchise_list_counts_films_and_characters(client, read_only_john_wick):
    body = api_get(client, "/api/v1/franchises/").json()

    assert body["count"] == 1
    franchise = body["results"][0]
    assert franchise["slug"] == "john-wick" and franchise["name"] == "John Wick"
    assert franchise["film_count"] == 5 and franchise["character_count"] == 20
    assert franchise["references"][0]["slug"] == "ballerina-producer-article"
    assert franchise["uncited_note"]


def test_franchise_detail_lists_its_films_in_release_order(client, read_only_john_wick):
    franchise = api_get(client, "/api/v1/franchises/john-wick/").json()

    assert [film["slug"] for film in franchise["films"]][-1] == "ballerina"
    assert franchise["films"][0] == {
        "slug": "john-wick-2014",
        "name": "John Wick",
        "url": "http://testserver/api/v1/films/john-wick-2014/",
        "kind": "main",
        "status": "released",
        "release_date": "2014-10-24",
        "release_order": 1,
    }
    assert franchise["html_url"] == "http://testserver/franchises/john-wick/"
    assert franchise["films_url"] == "http://testserver/api/v1/films/?franchise=john-wick"


def test_a_big_franchise_embeds_its_first_hundred_films_and_links_to_them_all(client, db):
    saga = Franchise.objects.create(name="Long Saga", slug="long-saga")
    Film.objects.bulk_create(
        Film(franchise=saga, title=f"Part {n}", slug=f"part-{n}", release_order=n) for n in range(105, 0, -1)
    )

    franchise = api_get(client, "/api/v1/franchises/long-saga/").json()

    assert franchise["film_count"] == 105
    assert [film["release_order"] for film in franchise["films"]] == list(range(1, 101))
    assert franchise["films_url"] == "http://testserver/api/v1/films/?franchise=long-saga"
    every_film = api_get(client, "/api/v1/films/", {"franchise": "long-saga"}).json()
    assert every_film["count"] == 105


def test_franchises_can_be_searched_and_ordered(client, world):
    world(1, name="Alpha Saga")
    world(3, name="Omega Saga")

    found = api_get(client, "/api/v1/franchises/", {"search": "omega"}).json()["results"]
    by_films = api_get(client, "/api/v1/franchises/", {"search": "saga", "ordering": "-film_count"}).json()["results"]

    assert [f["name"] for f in found] == ["Omega Saga"]
    assert [f["name"] for f in by_films] == ["Omega Saga", "Alpha Saga"]


def test_an_unknown_franchise_ordering_is_a_400(client, db):
    assert_error(api_get(client, "/api/v1/franchises/", {"ordering": "age"}, status=400), 400, "ordering")


@pytest.mark.parametrize("size", [2, 8])
def test_franchise_list_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries, size):
    world(size)
    world(size)
    # the count (count_queries()), franchises with their film and character counts as subqueries, citations with sources
    with django_assert_max_num_queries(count_queries() + 2):
        api_get(client, "/api/v1/franchises/")


@pytest.mark.parametrize("size", [2, 8])
def test_franchise_detail_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries, size):
    franchise = world(size)
    # the franchise with its counts, its films (franchise and spun_off_from joined), citations
    with django_assert_max_num_queries(3):
        api_get(client, f"/api/v1/franchises/{franchise.slug}/")
