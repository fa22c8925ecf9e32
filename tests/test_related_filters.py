"""Filters through a to-many relation (lore.querysets.with_related): each matching record once, without a
join and DISTINCT, so the list keeps its own index order and its page is taken without reading every match.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lore.models import Character, Credit, Film, Location, Organization, Person
from lore.querysets import with_related
from tests.api_helpers import api_get
from tests.factories import make_world
from tests.query_plans import list_query, postgres_only, sorts_rows


def slugs(body):
    return [record["slug"] for record in body["results"]]


@pytest.fixture
def worlds(db):
    """Two worlds of three: every person of a world acts in and produces each of its three films."""
    return make_world(3), make_world(3)


def pick(model, world, index=0):
    """The slug of a record of `world` (the factories number their worlds across the whole test run)."""
    records = model.objects.filter(**{WORLD_OF[model]: world}).distinct().order_by("pk")
    return records[index].slug


WORLD_OF = {
    Film: "franchise",
    Person: "credits__film__franchise",
    Organization: "franchise",
}


@pytest.mark.parametrize(
    ("model", "lookup", "related", "world"),
    [
        (Person, "credits__film__slug", Film, 0),  # the "one" side of a foreign key
        (Character, "credits__person__slug", Person, 1),  # a nullable foreign key (crew credits have none)
        (Character, "organizations__slug", Organization, 0),  # a many-to-many field
        (Location, "films__slug", Film, 1),  # the other side of one
        (Organization, "films__slug", Film, 0),
    ],
)
def test_with_related_matches_what_a_join_and_distinct_match(worlds, model, lookup, related, world):
    value = pick(related, worlds[world], 1)
    joined = model.objects.filter(**{lookup: value}).distinct().order_by("pk")
    found = with_related(model.objects.order_by("pk"), lookup, value)
    assert list(found) == list(joined) and len(joined) > 0
    assert not found.query.distinct


def test_with_related_filters_on_a_field_of_the_related_table(worlds):
    actors = with_related(Person.objects.all(), "credits__role", Credit.Role.ACTOR)
    assert sorted(actors.values_list("pk", flat=True)) == sorted(Person.objects.values_list("pk", flat=True))
    assert not with_related(Person.objects.all(), "credits__role", Credit.Role.DIRECTOR).exists()


def test_a_person_with_many_credits_in_a_role_is_listed_once_and_counted_once(client, worlds):
    # Each of the six people acts in three films: three matching credits each.
    body = api_get(client, "/api/v1/people/", {"role": "actor"}).json()
    assert body["count"] == 6
    assert len(set(slugs(body))) == len(slugs(body)) == 6
    assert api_get(client, "/api/v1/people/", {"role": "director"}).json()["count"] == 0


def test_the_people_page_filtered_by_film_lists_each_person_once(client, worlds):
    html = client.get(f"/people/?film={pick(Film, worlds[0])}").content.decode()
    for index in range(3):
        assert html.count(f'href="/people/{pick(Person, worlds[0], index)}/"') == 1
    assert pick(Person, worlds[1]) not in html


def test_related_filters_run_no_distinct(client, worlds):
    with CaptureQueriesContext(connection) as captured:
        api_get(client, "/api/v1/people/", {"role": "actor", "film": pick(Film, worlds[0])})
        client.get("/people/?role=actor")
    lists = [q["sql"] for q in captured if q["sql"].startswith('SELECT "lore_person"."id"')]
    assert len(lists) == 2 and not any("DISTINCT" in sql for sql in lists)


@postgres_only
@pytest.mark.parametrize(
    ("path", "params"),
    [("/api/v1/people/", "role"), ("/api/v1/people/", "film"), ("/people/", "role"), ("/people/", "film")],
)
def test_a_related_filter_keeps_the_list_in_its_index_order(client, worlds, path, params):
    value = {"role": "actor", "film": pick(Film, worlds[0])}[params]
    sql = list_query(client, path, {params: value}, "lore_person")
    assert not sorts_rows(sql), sql
