import pytest
from django.db import connection

from lore.models import Franchise
from lore.search import suggestions
from tests.pages import page_text, parse


def test_search_groups_results_by_type_with_the_matching_text(client, read_only_john_wick):
    response = client.get("/search/", {"q": "de Armas"})
    text = page_text(response)
    assert "Search results for “de Armas”" in text
    assert text.index("Films Ballerina") < text.index("People Ana de Armas")
    assert "A spinoff led by Ana de Armas" in text
    links = parse(response).links
    assert "/films/ballerina/" in links
    assert "/people/ana-de-armas/" in links


def test_search_highlights_the_query_and_labels_the_franchise(client, read_only_john_wick):
    html = client.get("/search/", {"q": "armas"}).content.decode()
    assert "<mark>Armas</mark>" in html
    assert '<span class="tag">John Wick</span>' in html


def test_search_that_matches_nothing_says_so_and_suggests_films_to_start_from(client, read_only_john_wick):
    response = client.get("/search/", {"q": "qwxyzzy"})
    text = page_text(response)
    assert "Nothing on Lore matches “qwxyzzy”" in text
    assert "Start from the first film of a franchise" in text
    assert "/films/john-wick-2014/" in parse(response).links


def test_suggestions_for_a_misspelling_name_the_closest_records(read_only_john_wick):
    # On PostgreSQL trigram search already finds "Balerina"; on SQLite this is what the no-results page offers.
    assert suggestions("Balerina") == [("Ballerina", "/films/ballerina/")]
    assert suggestions("Keanu Reves")[0] == ("Keanu Reeves", "/people/keanu-reeves/")
    assert suggestions("qwxyzzy") == []


def test_search_can_be_narrowed_to_one_type(client, read_only_john_wick):
    links = parse(client.get("/search/", {"q": "de Armas", "type": "person"})).links
    assert "/people/ana-de-armas/" in links
    assert "/films/ballerina/" not in links


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "   "},
        {"q": "x" * 5000},
        {"q": "a\x00b"},
        {"q": "%' OR 1=1 --"},
        {"q": "de", "type": "nope"},
    ],
)
def test_search_never_fails_on_odd_queries(client, read_only_john_wick, params):
    assert client.get("/search/", params).status_code == 200


def test_search_escapes_the_query(client, read_only_john_wick):
    html = client.get("/search/", {"q": "<b>bold</b>"}).content.decode()
    assert "<b>bold</b>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


def test_search_only_answers_get(client, db):
    assert client.post("/search/", {"q": "x"}).status_code == 405


def test_a_search_that_finds_nothing_offers_the_first_film_of_each_franchise(client, john_wick, world):
    tag = "w" + world(3, name="Another World").slug.removeprefix("world-")  # sorts before John Wick
    Franchise.objects.create(name="Empty", slug="empty", summary="No films yet.")
    links = parse(client.get("/search/", {"q": "qwxyzzy"})).links
    assert links.index(f"/films/film-{tag}-0/") < links.index("/films/john-wick-2014/")
    # one film per franchise that has any: the empty franchise adds nothing
    assert [link for link in links if link.startswith("/films/") and link != "/films/"] == [
        f"/films/film-{tag}-0/",
        "/films/john-wick-2014/",
    ]


def search_page_queries(found):
    # PostgreSQL: the ranking query, the nearest-titles pass when nothing matched as typed, then for the
    # suggestions the threshold and the names (inside BEGIN / COMMIT) and the franchises' first films.
    # SQLite: one query per type and per suggestion model, and the first films.
    if connection.vendor == "postgresql":
        return 1 if found else 2 + 4 + 1
    return 8 if found else 8 + 5 + 1


@pytest.mark.parametrize("size", [2, 8])
@pytest.mark.parametrize("found", [True, False])
def test_the_search_page_runs_the_same_queries_whatever_the_amount_of_lore(
    client, world, django_assert_max_num_queries, size, found
):
    tag = "w" + world(size).slug.removeprefix("world-")
    with django_assert_max_num_queries(search_page_queries(found)):
        response = client.get("/search/", {"q": f"Character {tag}" if found else "qwxyzzy"})
    assert ("Nothing on Lore matches" in page_text(response)) is not found
