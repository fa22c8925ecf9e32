import pytest

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
    assert "Start from a film" in text
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
