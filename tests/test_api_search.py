"""/api/v1/search/?q=: ranked hits across every record type, each with its type, addresses and matching text."""

import pytest
from django.db import connection

from lore.search import SEARCH_TYPES
from tests.api_helpers import api_get, assert_error


def test_searching_continental_finds_the_continental(client, read_only_john_wick):
    body = api_get(client, "/api/v1/search/", {"q": "continental"}).json()

    assert body["query"] == "continental" and body["count"] == len(body["results"]) > 0
    hits = {(hit["type"], hit["slug"]): hit for hit in body["results"]}
    continental = hits[("organization", "the-continental")]
    assert continental["title"] == "The Continental"
    assert continental["url"] == "http://testserver/api/v1/organizations/the-continental/"
    assert continental["html_url"] == "http://testserver/organizations/the-continental/"
    assert continental["franchise"] == "John Wick"
    assert "continental" in continental["snippet"].lower()
    assert ("location", "continental-new-york") in hits


def test_hits_come_best_first(client, read_only_john_wick):
    ranks = [hit["rank"] for hit in api_get(client, "/api/v1/search/", {"q": "continental"}).json()["results"]]

    assert ranks == sorted(ranks, reverse=True)


def test_every_hit_links_to_a_record_the_api_serves(client, read_only_john_wick):
    for hit in api_get(client, "/api/v1/search/", {"q": "ballerina"}).json()["results"]:
        record = api_get(client, hit["url"].removeprefix("http://testserver")).json()
        assert record["slug"] == hit["slug"]


def test_search_can_be_limited_to_some_types(client, read_only_john_wick):
    body = api_get(client, "/api/v1/search/", {"q": "continental", "type": "organization,location"}).json()

    assert body["results"] and {hit["type"] for hit in body["results"]} <= {"organization", "location"}


def test_a_query_that_matches_nothing_is_an_empty_result(client, read_only_john_wick):
    body = api_get(client, "/api/v1/search/", {"q": "zzzqqq"}).json()

    assert body == {"query": "zzzqqq", "count": 0, "results": []}


@pytest.mark.parametrize(
    ("params", "parameter"),
    [({}, "q"), ({"q": ""}, "q"), ({"q": "x" * 201}, "q"), ({"q": "wick", "type": "film,spaceship"}, "type")],
)
def test_an_invalid_search_is_a_400_naming_the_parameter(client, db, params, parameter):
    assert_error(api_get(client, "/api/v1/search/", params, status=400), 400, parameter)


def test_a_search_for_blanks_or_nul_characters_is_an_empty_result_not_an_error(client, db):
    assert api_get(client, "/api/v1/search/", {"q": "   "}).json()["count"] == 0
    assert api_get(client, "/api/v1/search/", {"q": "\x00"}).json()["count"] == 0


@pytest.mark.parametrize("size", [2, 8])
def test_search_runs_at_most_one_query_per_record_type(client, world, django_assert_max_num_queries, size):
    world(size)
    # On SQLite lore.search.search() asks each record type once; on PostgreSQL one ranking query covers every
    # type and returns what the hits show ("w" matches as typed, so the misspelling pass does not run)
    with django_assert_max_num_queries(1 if connection.vendor == "postgresql" else len(SEARCH_TYPES)):
        api_get(client, "/api/v1/search/", {"q": "w"})
