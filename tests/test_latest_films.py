"""The latest films of each franchise (FilmQuerySet.latest_in_each_franchise), which the home page, the
franchise pages and the timeline show, and the InSubquery filter that fetches them."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from lore.models import Film, Franchise
from lore.querysets import InSubquery
from tests.factories import make_films


def test_each_franchise_gives_its_latest_films_in_release_order(db):
    make_films(5, name="Long Saga")
    make_films(2, name="Short Saga")
    titles = [film.title for film in Film.objects.latest_in_each_franchise(3)]
    assert titles == ["Long Saga 3", "Long Saga 4", "Long Saga 5", "Short Saga 1", "Short Saga 2"]


def test_franchises_with_their_latest_films_in_one_query_each(db):
    make_films(5, name="Long Saga")
    with CaptureQueriesContext(connection) as captured:
        [saga] = Franchise.objects.with_latest_films(2)
        assert [film.title for film in saga.latest_films] == ["Long Saga 4", "Long Saga 5"]
        assert saga.film_count == 5
    assert len(captured) == 2  # the franchises with their counts, then all their latest films


def test_in_subquery_finds_what_pk_in_finds_and_is_an_array_on_postgresql(db):
    make_films(6)
    even = Film.objects.filter(release_order__in=[2, 4, 6]).values("pk")
    found = Film.objects.filter(InSubquery("pk", even)).order_by("pk")
    assert list(found) == list(Film.objects.filter(pk__in=even).order_by("pk"))
    sql = str(found.query)
    # PostgreSQL computes the array before planning the join on it, so it knows how few ids there are.
    assert ("= ANY(ARRAY(SELECT" in sql) == (connection.vendor == "postgresql")
    assert (" IN (SELECT" in sql) == (connection.vendor != "postgresql")
