import pytest

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


def test_timeline_shows_the_development_milestones_by_year(client, read_only_john_wick):
    text = page_text(client.get("/timeline/"))
    assert "2018 2018 Lee first read the script five years earlier" in text
    assert "Development deepened once Chapter 3 had shot" in text
    assert "24 March 2023 John Wick: Chapter 4 released" in text
    assert "Ballerina: in development, with no release date" in text
    assert text.index("2014") < text.index("2018 2018") < text.index("24 March 2023")


def test_timeline_links_milestones_to_their_notes_and_films(client, read_only_john_wick):
    links = parse(client.get("/timeline/")).links
    assert "/notes/first-read-five-years-ago/" in links
    assert "/films/john-wick-chapter-4/" in links


@pytest.mark.parametrize("size", [2, 8])
def test_timeline_runs_two_queries_whatever_the_number_of_films(client, world, django_assert_max_num_queries, size):
    world(size)
    # films with franchise and spun_off_from, dated notes with film/speaker/source
    with django_assert_max_num_queries(2):
        assert client.get("/timeline/").status_code == 200
