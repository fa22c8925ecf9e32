"""Pages that show franchises side by side stay the same size however many franchises there are: the home
page shows the biggest few, the timeline pages through them."""

import re

import pytest

from lore.models import Franchise
from tests.factories import make_films
from tests.pages import page_text, parse

pytestmark = pytest.mark.django_db


def make_franchises(count, films_each=None):
    """Franchises Saga 01 to Saga `count`; Saga n has `films_each` films, or n if not given."""
    for n in range(1, count + 1):
        make_films(films_each or n, name=f"Saga {n:02}")


def shelves(response):
    return re.findall(r'<h2 id="films-(saga-\d+)"', response.content.decode())


def timelines(response):
    return re.findall(r'<section class="timeline" aria-labelledby="timeline-(saga-\d+)"', response.content.decode())


@pytest.mark.parametrize("franchises", [2, 12])
@pytest.mark.parametrize(("path", "sections", "per_page"), [("/", shelves, 6), ("/timeline/", timelines, 5)])
def test_the_page_stays_the_same_size_and_queries_whatever_the_number_of_franchises(
    client, django_assert_max_num_queries, franchises, path, sections, per_page
):
    make_franchises(franchises, films_each=2)
    with django_assert_max_num_queries(4):
        response = client.get(path)
    assert len(sections(response)) == min(franchises, per_page)


def test_home_page_shows_the_franchises_with_the_most_films_and_links_to_all_of_them(client):
    make_franchises(8)
    Franchise.objects.create(name="Empty Saga", slug="empty-saga")
    response = client.get("/")
    assert shelves(response) == [f"saga-0{n}" for n in range(8, 2, -1)]
    links = parse(response).links
    assert "/franchises/saga-03/" in links and "/franchises/saga-02/" not in links
    assert "/franchises/empty-saga/" not in links
    assert response.content.decode().count('<h3 class="card__title"><a href="/franchises/') == 6
    assert "/franchises/?sort=films" in links
    assert "All 9 franchises" in page_text(response)


def test_home_page_links_to_the_franchise_list_without_a_count_when_it_shows_them_all(client):
    make_franchises(2)
    response = client.get("/")
    assert "All franchises" in page_text(response)
    assert "All 2 franchises" not in page_text(response)


def test_timeline_pages_through_the_franchises_with_films_in_name_order(client):
    make_franchises(7, films_each=1)
    Franchise.objects.create(name="Saga 00", slug="saga-00")  # no films: no timeline
    first = client.get("/timeline/")
    assert timelines(first) == [f"saga-0{n}" for n in range(1, 6)]
    assert "Franchises 1–5 of 7, in name order." in page_text(first)
    assert "?page=2" in parse(first).links

    second = client.get("/timeline/?page=2")
    assert timelines(second) == ["saga-06", "saga-07"]
    assert "(page 2)" in parse(second).titles[0]
    assert 'href="/films/saga-07-1/"' in second.content.decode()
    assert client.get("/timeline/?page=3").status_code == 404
