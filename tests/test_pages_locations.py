import pytest

from lore.models import Location
from tests.pages import list_queries, page_text, parse


def test_location_page_shows_the_films_set_there_and_the_places_within(client, read_only_john_wick):
    response = client.get("/locations/europe/")
    links = parse(response).links
    assert "/films/ballerina/" in links
    assert {"/locations/rome/", "/locations/paris/"} <= set(links)
    assert "Ballerina's setting." in page_text(response)


def test_location_page_links_the_place_it_is_part_of(client, read_only_john_wick):
    text = page_text(client.get("/locations/paris/"))
    assert "Part of Europe" in text


def test_location_page_cites_its_source_and_marks_the_rest_uncited(client, read_only_john_wick):
    text = page_text(client.get("/locations/europe/"))
    assert "Ballerina has a European setting." in text
    assert "Not from a cited source: Which films use it" in text


def test_uncited_location_says_so_plainly(client, read_only_john_wick):
    text = page_text(client.get("/locations/rome/"))
    assert "No source is cited for this record" in text
    assert "Not from a cited source: From general knowledge" in text


def test_location_list_filters_by_kind(client, read_only_john_wick):
    links = parse(client.get("/locations/?kind=hotel&sort=kind")).links
    assert "/locations/osaka-continental/" in links
    assert "/locations/europe/" not in links


@pytest.mark.parametrize("size", [2, 8])
def test_location_list_runs_the_same_queries_whatever_the_number_of_places(
    client, world, django_assert_max_num_queries, size
):
    world(size)
    # franchise filter options, count, one page of locations joined to franchise and parent
    with django_assert_max_num_queries(list_queries(3)):
        assert client.get("/locations/").status_code == 200


@pytest.mark.parametrize("size", [2, 8])
def test_location_page_runs_the_same_queries_whatever_the_number_of_films(
    client, world, django_assert_max_num_queries, size
):
    location = Location.objects.filter(franchise=world(size)).first()
    # location with franchise and parent, films, children, citations
    with django_assert_max_num_queries(4):
        assert client.get(location.get_absolute_url()).status_code == 200
