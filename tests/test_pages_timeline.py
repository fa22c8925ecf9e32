import re

import pytest

from lore.models import Film
from tests.factories import add_dated_notes, make_films
from tests.pages import page_text, parse


def test_timeline_draws_release_order_beside_in_universe_order(client, read_only_john_wick):
    response = client.get("/timeline/")
    html = response.content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert svg.count('href="/films/ballerina/"') == 2  # once in each column
    assert "Released" in svg
    assert "In-universe" in svg
    # Ballerina is fifth released but fourth in the story: its line and Chapter 4's slant.
    assert svg.count("orders__link--moved") == 2
    assert "Ballerina: Between Chapter 3 – Parabellum and Chapter 4." in page_text(response)
    note = '<a href="/films/ballerina/">Ballerina</a>: Between Chapter 3 – Parabellum and Chapter 4.</p>'
    assert html.count('class="orders__note"') == 1 and note in html


def test_timeline_shows_the_development_milestones_by_year(client, read_only_john_wick):
    text = page_text(client.get("/timeline/"))
    assert "2018 2018 Lee first read the script five years earlier Erica Lee on Ballerina" in text
    assert "Development deepened once Chapter 3 had shot" in text
    assert "24 March 2023 John Wick: Chapter 4 released" in text
    assert "Ballerina: in development, with no release date" in text
    assert text.index("2014") < text.index("2018 2018") < text.index("24 March 2023")


def svg_title_lines(response):
    return re.findall(r'<text class="orders__title"[^>]*>([^<]*)</text>', response.content.decode())


def test_timeline_wraps_titles_and_shows_a_renamed_film_at_once(client, read_only_john_wick):
    lines = svg_title_lines(client.get("/timeline/"))
    assert lines.count("John Wick:") == 6  # the three numbered chapters, once in each column
    assert lines.count("Chapter 4") == 2
    film = Film.objects.get(slug="john-wick-chapter-4")
    film.title = "An Exceedingly Long Working Title For The Fourth Chapter"
    film.save()
    lines = svg_title_lines(client.get("/timeline/"))
    # At most three lines of at most 17 characters, the last one cut short.
    for line in ("An Exceedingly", "Long Working", "Title For The…"):
        assert lines.count(line) == 2, line
    assert "Chapter 4" not in lines and "Fourth Chapter" not in lines


def test_timeline_links_milestones_to_their_notes_and_films(client, read_only_john_wick):
    links = parse(client.get("/timeline/")).links
    assert "/notes/first-read-five-years-ago/" in links
    assert "/films/john-wick-chapter-4/" in links


@pytest.mark.parametrize("size", [2, 8])
def test_timeline_runs_four_queries_whatever_the_number_of_films(client, world, django_assert_max_num_queries, size):
    world(size)
    # how many franchises have films, a page of them with their film counts, their latest films with
    # spun_off_from, and the dated notes with their speakers' names
    with django_assert_max_num_queries(4):
        assert client.get("/timeline/").status_code == 200


def test_timeline_of_one_franchise_has_no_page_links(client, read_only_john_wick):
    response = client.get("/timeline/")
    assert 'class="pagination"' not in response.content.decode()
    assert "Franchises 1" not in page_text(response)


def test_timeline_shows_every_film_of_a_franchise_of_five(client, read_only_john_wick):
    response = client.get("/timeline/")
    links = parse(response).links
    for slug in ["john-wick-2014", "john-wick-chapter-2", "john-wick-chapter-3-parabellum", "john-wick-chapter-4"]:
        assert f"/films/{slug}/" in links
    assert "/films/?franchise=john-wick" not in links


def test_timeline_draws_the_latest_films_of_a_long_franchise_with_a_link_to_all(client, db):
    make_films(40)
    response = client.get("/timeline/")
    html = response.content.decode()
    saga = html[html.index('id="timeline-long-saga"') :]
    svg = saga[saga.index("<svg") : saga.index("</svg>")]
    assert svg.count('href="/films/long-saga-40/"') == 1  # release column only: no in-universe order
    assert 'href="/films/long-saga-17/"' in svg
    assert 'href="/films/long-saga-16/"' not in html
    assert "Shooting Long Saga 17" in page_text(response)
    assert "Shooting Long Saga 16" not in page_text(response)
    assert "The latest 24 of 40 films in release order" in page_text(response)
    assert "/films/?franchise=long-saga" in parse(response).links


@pytest.mark.parametrize("films", [24, 120])
def test_timeline_stays_the_same_size_however_many_films_a_franchise_has(client, db, films):
    make_films(films)
    html = client.get("/timeline/").content.decode()
    saga = html[html.index('id="timeline-long-saga"') :]
    assert saga.count('class="milestone milestone--') == 2 * 24  # a release and a note per film shown


def test_timeline_shows_the_latest_eight_notes_of_a_film_and_says_which_films_have_more(client, db):
    make_films(2)
    busy, quiet = Film.objects.get(slug="long-saga-1"), Film.objects.get(slug="long-saga-2")
    add_dated_notes(busy, 20)  # with "Shooting Long Saga 1", the latest of its 21
    add_dated_notes(quiet, 7)  # with "Shooting Long Saga 2": exactly eight
    response = client.get("/timeline/")
    text = page_text(response)
    assert "Event 13 of Long Saga 1" not in text
    assert all(f"Event {i} of Long Saga 1" in text for i in range(14, 21))
    assert "Shooting Long Saga 1" in text
    assert all(f"Event {i} of Long Saga 2" in text for i in range(1, 8)) and "Shooting Long Saga 2" in text
    assert "The latest 8 dated notes of Long Saga 1; each film's page lists them all." in text


@pytest.mark.parametrize("notes", [2, 30])
def test_timeline_stays_the_same_size_however_many_notes_a_film_has(client, db, django_assert_max_num_queries, notes):
    make_films(1)
    add_dated_notes(Film.objects.get(slug="long-saga-1"), notes)
    with django_assert_max_num_queries(4):
        html = client.get("/timeline/").content.decode()
    saga = html[html.index('id="timeline-long-saga"') :]
    assert saga.count("milestone--note") == min(notes + 1, 8)
