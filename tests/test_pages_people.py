import pytest

from lore.models import Person
from tests.pages import list_queries, page_text, parse

ERICA_LEE = "/people/erica-lee/"


def test_person_page_shows_their_credits(client, read_only_john_wick):
    response = client.get(ERICA_LEE)
    assert "Ballerina Producer" in page_text(response)
    assert "/films/ballerina/" in parse(response).links
    keanu = page_text(client.get("/people/keanu-reeves/"))
    assert "John Wick: Chapter 4 (2023) Actor as John Wick" in keanu


def test_person_page_shows_what_they_said_with_the_source(client, read_only_john_wick):
    response = client.get(ERICA_LEE)
    text = page_text(response)
    assert "What Erica Lee said" in text
    assert "It's a European location, so we're always trying to push the envelope." in text
    assert "source: John Wick Producer Reveals What Sets Ballerina Apart From Franchise" in text
    assert "/notes/ballerina-european-location/" in parse(response).links


def test_person_page_cites_both_sources_for_erica_lee(client, read_only_john_wick):
    text = page_text(client.get(ERICA_LEE))
    references = text[text.index("References") :]
    assert "Erica Lee is a John Wick producer." in references
    assert "Erica Lee interview with /Film about Ballerina, /Film: Lee's remarks were made to /Film." in references


def test_person_page_carries_person_json_ld_with_their_credits(client, read_only_john_wick):
    (data,) = parse(client.get(ERICA_LEE)).json_ld
    assert data["@type"] == "Person"
    assert data["name"] == "Erica Lee"
    assert "Ballerina" in [movie["name"] for movie in data["@reverse"]["producer"]]
    (keanu,) = parse(client.get("/people/keanu-reeves/")).json_ld
    assert len(keanu["@reverse"]["actor"]) == 5


def test_person_list_filters_by_role_without_repeating_people(client, read_only_john_wick):
    response = client.get("/people/?role=actor")
    links = [link for link in parse(response).links if link.startswith("/people/") and link != "/people/"]
    assert "/people/keanu-reeves/" in links
    assert ERICA_LEE not in links
    assert len(links) == len(set(links))


def test_person_list_filters_by_film(client, read_only_john_wick):
    links = parse(client.get("/people/?film=ballerina&sort=credits")).links
    assert ERICA_LEE in links
    assert "/people/chad-stahelski/" not in links


@pytest.mark.parametrize("size", [2, 8])
def test_person_list_runs_the_same_queries_whatever_the_number_of_people(
    client, world, django_assert_max_num_queries, size
):
    world(size)
    # film filter options (role options are fixed choices), count, one page of people with a credit count subquery
    with django_assert_max_num_queries(list_queries(3)):
        assert client.get("/people/").status_code == 200


@pytest.mark.parametrize("size", [2, 8])
def test_person_page_runs_the_same_queries_whatever_the_number_of_credits(
    client, world, django_assert_max_num_queries, size
):
    person = Person.objects.filter(credits__film__franchise=world(size)).first()
    # person, credits with film and character, notes with film and source, citations with source
    with django_assert_max_num_queries(4):
        assert client.get(person.get_absolute_url()).status_code == 200
