import pytest

from tests.pages import page_text, parse


def test_home_page_lists_the_films_in_release_order_with_their_status(client, read_only_john_wick):
    response = client.get("/")
    html = response.content.decode()
    order = [
        "john-wick-2014",
        "john-wick-chapter-2",
        "john-wick-chapter-3-parabellum",
        "john-wick-chapter-4",
        "ballerina",
    ]
    positions = [html.index(f'href="/films/{slug}/"') for slug in order]
    assert positions == sorted(positions)
    assert "Ballerina In development No release date" in page_text(response)


def test_home_page_shows_counts_recent_notes_and_a_search_box(client, read_only_john_wick):
    response = client.get("/")
    text = page_text(response)
    assert "5 Films" in text
    assert "20 Characters" in text
    assert "Recent production notes" in text
    assert "/notes/chapter-4-in-theaters/" in parse(response).links
    html = response.content.decode()
    assert '<label for="home-search-q">Search the wiki</label>' in html
    assert 'action="/search/"' in html


def test_every_page_has_a_labelled_search_box_in_its_header(client, read_only_john_wick):
    for url in ["/", "/films/ballerina/", "/timeline/", "/notes/"]:
        html = client.get(url).content.decode()
        assert '<label class="visually-hidden" for="site-search-q">Search Lore</label>' in html


@pytest.mark.parametrize("size", [2, 8])
def test_home_page_runs_the_same_queries_whatever_the_amount_of_lore(
    client, world, django_assert_max_num_queries, size
):
    world(size)
    # seven record counts, films in release order with franchise, recent notes with film/speaker/source,
    # franchises with film and character count subqueries
    with django_assert_max_num_queries(10):
        assert client.get("/").status_code == 200
