"""Pagination of every API list: `count`, `next`, `previous`, `results`, a capped page size, strict numbers."""

import pytest

from tests.api_helpers import api_get, assert_error


def test_a_list_pages_with_links_to_the_next_and_previous_pages(client, read_only_john_wick):
    first = api_get(client, "/api/v1/characters/", {"page_size": 8, "ordering": "name"}).json()
    second = api_get(client, first["next"].removeprefix("http://testserver")).json()
    last = api_get(client, "/api/v1/characters/", {"page_size": 8, "ordering": "name", "page": 3}).json()

    assert first["count"] == 20 and first["previous"] is None and len(first["results"]) == 8
    assert second["previous"].startswith("http://testserver/api/v1/characters/?")
    assert last["next"] is None and len(last["results"]) == 4
    seen = [c["slug"] for page in (first, second, last) for c in page["results"]]
    assert len(set(seen)) == 20


def test_the_page_size_is_capped(client, world):
    world(8)  # 128 credits

    body = api_get(client, "/api/v1/credits/", {"page_size": 100000000000}).json()

    assert body["count"] >= 128 and len(body["results"]) == 100


def test_the_default_page_size_is_twenty(client, read_only_john_wick):
    assert len(api_get(client, "/api/v1/credits/").json()["results"]) == 20


@pytest.mark.parametrize("page", ["4", "99999999999999999999999"])
def test_a_page_past_the_end_is_a_404_that_names_the_last_page(client, read_only_john_wick, page):
    body = assert_error(api_get(client, "/api/v1/films/", {"page": page, "page_size": 2}, status=404), 404)

    assert "the last page is 3" in body["detail"]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"page": "0"}, "page"),
        ({"page": "-1"}, "page"),
        ({"page": "two"}, "page"),
        ({"page": ""}, "page"),
        ({"page": "last"}, "page"),
        ({"page": "1.5"}, "page"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"page_size": " 5"}, "page_size"),
    ],
)
def test_a_malformed_page_or_page_size_is_a_400_naming_it(client, db, params, parameter):
    assert_error(api_get(client, "/api/v1/films/", params, status=400), 400, parameter)
