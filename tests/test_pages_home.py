import pytest

from tests.factories import make_films
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
    assert "13 Notes" in text and "2 Sources" in text
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
    # the seven record counts in one query, franchises with film and character count subqueries, their
    # latest films with spun_off_from, recent notes with film/speaker/source
    with django_assert_max_num_queries(4):
        assert client.get("/").status_code == 200


def test_home_page_shows_a_franchises_latest_twelve_films_and_links_to_all_of_them(client, db):
    make_films(30)
    response = client.get("/")
    html = response.content.decode()
    assert html.count('class="card__title"><a href="/films/long-saga-') == 12
    links = parse(response).links
    assert "/films/long-saga-30/" in links and "/films/long-saga-19/" in links
    assert "/films/long-saga-18/" not in links
    assert html.index('href="/films/long-saga-19/"') < html.index('href="/films/long-saga-30/"')
    assert "Long Saga: the latest 12 of 30 films in release order" in page_text(response)
    assert "/films/?franchise=long-saga" in links
    assert "All 30 films" in page_text(response)


@pytest.mark.parametrize("films", [12, 60])
def test_home_page_stays_the_same_size_however_many_films_a_franchise_has(client, db, films):
    make_films(films)
    assert client.get("/").content.decode().count('class="card__title"><a href="/films/long-saga-') == 12
