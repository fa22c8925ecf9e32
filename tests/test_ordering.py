"""How lists are ordered (lore.querysets.order_terms): the API's ?ordering= and the list pages' ?sort=.

Every order ends with the primary key in the direction of its last term, records without a value come last
either way, and on PostgreSQL every order a client can pick on a table that grows with the lore is read
from an index rather than sorted.
"""

import datetime

import pytest

from lore import api, views
from lore.models import Person
from lore.querysets import order_terms
from tests.api_helpers import api_get
from tests.factories import make_world
from tests.query_plans import list_query, postgres_only, sorts_rows


def slugs(response):
    return [record["slug"] for record in response.json()["results"]]


@pytest.fixture
def namesakes(db):
    """Six people in pairs that share a name, created in slug order; two with a birth date."""
    Person.objects.bulk_create(Person(name=f"Person {i // 2}", slug=f"person-{i}") for i in range(6))
    Person.objects.filter(slug="person-2").update(birth_date=datetime.date(1970, 1, 1))
    Person.objects.filter(slug="person-4").update(birth_date=datetime.date(1980, 1, 1))


def test_the_primary_key_follows_the_direction_of_the_last_term(client, namesakes):
    assert slugs(api_get(client, "/api/v1/people/", {"ordering": "name"})) == [f"person-{i}" for i in range(6)]
    assert slugs(api_get(client, "/api/v1/people/", {"ordering": "-name"})) == [f"person-{i}" for i in range(5, -1, -1)]


def test_records_without_a_value_come_last_in_either_direction(client, namesakes):
    undated = ["person-0", "person-1", "person-3", "person-5"]
    assert slugs(api_get(client, "/api/v1/people/", {"ordering": "birth_date"})) == ["person-2", "person-4", *undated]
    assert slugs(api_get(client, "/api/v1/people/", {"ordering": "-birth_date"})) == [
        "person-4",
        "person-2",
        *reversed(undated),
    ]


def test_pages_of_a_reversed_list_of_namesakes_never_overlap_or_skip_a_record(client, namesakes):
    pages = [
        slugs(api_get(client, "/api/v1/people/", {"ordering": "-name", "page_size": 4, "page": number}))
        for number in (1, 2)
    ]
    assert sorted(pages[0] + pages[1]) == [f"person-{i}" for i in range(6)]


def test_order_terms_writes_nulls_last_only_for_nullable_fields():
    name, pk = order_terms(Person, ["-name"])
    assert (name.descending, name.nulls_last, pk) == (True, None, "-pk")
    birth_date, pk = order_terms(Person, ["birth_date"])
    assert (birth_date.descending, birth_date.nulls_last, pk) == (False, True, "pk")
    # A term through a nullable relation can be NULL too; a stored count never is.
    assert order_terms(Person, ["production_notes__film__title"])[0].nulls_last is True
    assert order_terms(Person, ["credit_count"])[0].nulls_last is None
    assert order_terms(Person, ["name", "-pk"])[-1] == "-pk"  # already complete: nothing added


# The lists over tables that grow with the lore, their orders by a stored count included (the people by
# credits, the sources by citations: migration 0009).
GROWING_API_LISTS = {
    "/api/v1/credits/": api.CreditViewSet,
    "/api/v1/characters/": api.CharacterViewSet,
    "/api/v1/people/": api.PersonViewSet,
    "/api/v1/production-notes/": api.ProductionNoteViewSet,
    "/api/v1/sources/": api.SourceViewSet,
}
GROWING_PAGES = {
    "/characters/": views.CharacterListView,
    "/people/": views.PersonListView,
    "/notes/": views.ProductionNoteListView,
    "/sources/": views.SourceListView,
}
JOINED = {"film"}  # the notes page by film title: ordered through the join, see docs/PERFORMANCE.md


def api_orderings():
    for path, viewset in GROWING_API_LISTS.items():
        yield path, None
        for field in viewset.ordering_fields:
            yield path, field
            yield path, f"-{field}"


@postgres_only
@pytest.mark.parametrize(("path", "ordering"), sorted(api_orderings(), key=str))
def test_every_api_ordering_of_a_growing_list_is_read_from_an_index(client, db, path, ordering):
    make_world(2)
    table = GROWING_API_LISTS[path].model._meta.db_table
    sql = list_query(client, path, {"ordering": ordering} if ordering else {}, table)
    assert not sorts_rows(sql), sql


@postgres_only
@pytest.mark.parametrize(
    ("path", "sort"),
    [(path, sort) for path, view in GROWING_PAGES.items() for sort in set(view.sorts) - JOINED],
)
def test_every_sort_of_a_growing_list_page_is_read_from_an_index(client, db, path, sort):
    make_world(2)
    sql = list_query(client, path, {"sort": sort}, GROWING_PAGES[path].model._meta.db_table)
    assert not sorts_rows(sql), sql
