import pytest

from tests.factories import make_films
from tests.pages import list_queries, page_text, parse


def test_franchise_page_shows_its_films_in_release_order_and_counts(client, read_only_john_wick):
    response = client.get("/franchises/john-wick/")
    html = response.content.decode()
    assert html.index('href="/films/john-wick-2014/"') < html.index('href="/films/ballerina/"')
    text = page_text(response)
    assert "Films 5" in text
    assert "Characters 20" in text
    assert "/characters/?franchise=john-wick" in parse(response).links


def test_franchise_page_cites_the_article_and_marks_the_premise_uncited(client, read_only_john_wick):
    text = page_text(client.get("/franchises/john-wick/"))
    assert "The John Wick series, its producer and its spinoff." in text
    assert "Not from a cited source: The series' premise is general knowledge." in text


def test_franchise_list_shows_each_franchise_with_counts(client, read_only_john_wick):
    text = page_text(client.get("/franchises/"))
    assert "John Wick 5 films · 20 characters" in text


@pytest.mark.parametrize("size", [2, 8])
def test_franchise_list_runs_the_same_queries_whatever_the_number_of_franchises(
    client, world, django_assert_max_num_queries, size
):
    for _ in range(size):
        world(1)
    # count, one page of franchises with film and character count subqueries
    with django_assert_max_num_queries(list_queries(2)):
        assert client.get("/franchises/").status_code == 200


@pytest.mark.parametrize("size", [2, 8])
def test_franchise_page_runs_the_same_queries_whatever_the_number_of_films(
    client, world, django_assert_max_num_queries, size
):
    franchise = world(size)
    # franchise with counts, films with franchise and spun_off_from, citations
    with django_assert_max_num_queries(3):
        assert client.get(franchise.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("films", [12, 60])
def test_franchise_page_shows_its_latest_twelve_films_and_links_to_all(client, db, films):
    make_films(films)
    response = client.get("/franchises/long-saga/")
    assert response.content.decode().count('class="card__title"><a href="/films/long-saga-') == 12
    assert f"/films/long-saga-{films}/" in parse(response).links
    assert f"All {films} films" in page_text(response)
    assert "/films/?franchise=long-saga" in parse(response).links
