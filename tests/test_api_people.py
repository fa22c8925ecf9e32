"""/api/v1/people/: cast and crew, filtered by film and role; one person with every credit."""

import pytest

from lore.models import Person
from tests.api_helpers import api_get, assert_error, count_queries


def slugs(response):
    return [record["slug"] for record in response.json()["results"]]


def test_people_list_counts_each_persons_credits(client, read_only_john_wick):
    body = api_get(client, "/api/v1/people/", {"search": "keanu"}).json()

    keanu = body["results"][0]
    assert keanu["name"] == "Keanu Reeves" and keanu["birth_date"] == "1964-09-02"
    assert keanu["credit_count"] == 5


def test_erica_lee_record_gives_her_producer_credit_her_notes_and_both_sources(client, read_only_john_wick):
    erica = api_get(client, "/api/v1/people/erica-lee/").json()

    assert erica["birth_date"] is None
    assert ("ballerina", "producer", None) in [(c["film"]["slug"], c["role"], c["character"]) for c in erica["credits"]]
    assert len(erica["production_notes"]) == 11
    assert {n["film"]["slug"] for n in erica["production_notes"]} == {"ballerina"}
    assert {r["slug"] for r in erica["references"]} == {"ballerina-producer-article", "slashfilm-erica-lee-interview"}


FILTERS = [
    ({"film": "ballerina", "role": "producer"}, ["basil-iwanyk", "erica-lee"]),
    ({"role": "director"}, ["chad-stahelski", "len-wiseman"]),
    ({"film": "no-such-film"}, []),
]


def test_each_people_filter_narrows_the_list(client, read_only_john_wick):
    for params, expected in FILTERS:
        assert slugs(api_get(client, "/api/v1/people/", params)) == expected, params


def test_people_order_by_credit_count(client, read_only_john_wick):
    people = api_get(client, "/api/v1/people/", {"ordering": "-credit_count,name"}).json()["results"]

    counts = [person["credit_count"] for person in people]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]


@pytest.mark.parametrize(
    ("params", "parameter"),
    [({"role": "catering"}, "role"), ({"ordering": "age"}, "ordering"), ({"page_size": "-5"}, "page_size")],
)
def test_an_invalid_people_parameter_is_a_400_naming_it(client, db, params, parameter):
    assert_error(api_get(client, "/api/v1/people/", params, status=400), 400, parameter)


@pytest.mark.parametrize("size", [2, 8])
def test_people_list_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries, size):
    world(size)
    # the count (count_queries()), people (their credit count is stored), citations with sources
    with django_assert_max_num_queries(count_queries() + 2):
        api_get(client, "/api/v1/people/")


@pytest.mark.parametrize("size", [2, 8])
def test_person_detail_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries, size):
    world(size)
    person = Person.objects.latest("pk")
    # the person, credits (film, character), notes (film, source), citations (source)
    with django_assert_max_num_queries(4):
        api_get(client, f"/api/v1/people/{person.slug}/")
