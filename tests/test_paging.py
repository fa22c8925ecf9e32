"""LorePaginator: exact counts for small or filtered lists, the planner's estimate for big PostgreSQL tables, and
deep pages read through their ids; the home page's record counts."""

import pytest
from django.core.paginator import EmptyPage, Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lore import paging
from lore.models import Person, Source
from lore.paging import LorePaginator, record_counts

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_class estimates")


@pytest.fixture
def people():
    Person.objects.bulk_create(Person(name=f"Person {i:02}", slug=f"person-{i:02}") for i in range(30))
    return Person.objects.order_by("name")


def pretend_the_planner_estimates(rows):
    """Set the table's row estimate, as autovacuum's ANALYZE would after many inserts (rolled back with the test)."""
    with connection.cursor() as cursor:
        cursor.execute("UPDATE pg_class SET reltuples = %s WHERE oid = 'lore_person'::regclass", [rows])


def queries_counting(captured):
    return [query["sql"] for query in captured if "COUNT(" in query["sql"].upper()]


def test_a_small_table_is_counted_exactly(people):
    paginator = LorePaginator(people, 10)
    assert paginator.count == 30
    assert paginator.num_pages == 3
    assert [p.name for p in paginator.page(3)] == [f"Person {i}" for i in range(20, 30)]
    with pytest.raises(EmptyPage):
        paginator.page(4)


def test_a_list_that_is_not_a_queryset_is_counted_by_length():
    assert LorePaginator(list(range(25)), 10).num_pages == 3


@postgres_only
def test_a_big_unfiltered_table_is_counted_from_the_planner_estimate(people):
    pretend_the_planner_estimates(50_000)
    paginator = LorePaginator(people, 10)
    with CaptureQueriesContext(connection) as captured:
        assert paginator.count == 50_000
    assert queries_counting(captured) == []


@postgres_only
def test_a_filtered_list_is_counted_exactly_even_on_a_big_table(people):
    pretend_the_planner_estimates(50_000)
    assert LorePaginator(people.filter(name__endswith="1"), 10).count == 3


@postgres_only
def test_the_last_page_corrects_an_estimate_that_was_too_high(people):
    pretend_the_planner_estimates(50_000)
    paginator = LorePaginator(people, 10)
    first = paginator.page(1)
    assert first.has_next() and len(first) == 10
    last = paginator.page(3)
    assert len(last) == 10 and not last.has_next()
    assert paginator.count == 30


@postgres_only
def test_a_page_past_the_end_is_empty_and_gives_the_exact_count(people):
    pretend_the_planner_estimates(50_000)
    paginator = LorePaginator(people, 10)
    with pytest.raises(EmptyPage):
        paginator.page(40)
    assert paginator.num_pages == 3


@postgres_only
def test_pages_past_an_estimate_that_was_too_low_are_still_reachable(people, monkeypatch):
    monkeypatch.setattr(LorePaginator, "estimate_threshold", 10)
    pretend_the_planner_estimates(12)
    paginator = LorePaginator(people, 5)
    page = paginator.page(5)
    assert [p.name for p in page][0] == "Person 20"
    assert page.has_next()
    assert paginator.page(6).has_next() is False
    assert paginator.count == 30


@postgres_only
def test_get_page_falls_back_to_the_real_last_page(people):
    pretend_the_planner_estimates(50_000)
    assert LorePaginator(people, 10).get_page(999).number == 3


def test_record_counts_counts_small_tables_exactly_in_one_query(people):
    with CaptureQueriesContext(connection) as captured:
        counts = record_counts([Person, Source])
    assert counts == {Person: 30, Source: 0}
    assert len(captured) == 1


@postgres_only
def test_record_counts_takes_a_big_table_from_the_planner_estimate(people):
    pretend_the_planner_estimates(50_000)
    assert record_counts([Person, Source]) == {Person: 50_000, Source: 0}


@pytest.fixture
def namesakes():
    """40 people, in pairs that share a name: a list ordered by name alone has ties on every page."""
    Person.objects.bulk_create(Person(name=f"Person {i // 2:02}", slug=f"person-{i:02}") for i in range(40))
    return Person.objects.order_by("name", "pk")


def test_a_deep_page_is_read_through_its_ids_in_one_query(namesakes, monkeypatch):
    monkeypatch.setattr(paging, "DEFERRED_JOIN_OFFSET", 10)
    plain = [person.slug for person in namesakes[20:30]]
    with CaptureQueriesContext(connection) as captured:
        page = [person.slug for person in LorePaginator(namesakes, 10).page(3)]
    assert page == plain
    [query] = [q["sql"] for q in captured if q["sql"].startswith('SELECT "lore_person"."id"')]
    assert query.count("SELECT") == 2  # the page's ids picked by a subquery of the same order
    with CaptureQueriesContext(connection) as captured:
        assert len(LorePaginator(namesakes, 10).page(1)) == 10
    [query] = [q["sql"] for q in captured if q["sql"].startswith('SELECT "lore_person"."id"')]
    assert query.count("SELECT") == 1  # shallow pages: a plain slice


def test_a_deep_page_of_a_big_estimated_list_is_read_through_its_ids(namesakes, monkeypatch):
    monkeypatch.setattr(paging, "DEFERRED_JOIN_OFFSET", 10)
    monkeypatch.setattr(LorePaginator, "estimate_threshold", 0)  # on PostgreSQL, count from the estimate
    pages = [[person.slug for person in LorePaginator(namesakes, 10).page(number)] for number in (1, 2, 3, 4)]
    assert sum(pages, []) == [person.slug for person in namesakes]


def test_pages_of_namesakes_never_overlap_or_skip_a_record(client, namesakes, monkeypatch):
    monkeypatch.setattr(paging, "DEFERRED_JOIN_OFFSET", 24)  # the second page is a deep one
    for sort in ("name", "-name"):
        seen = []
        for number in (1, 2):
            html = client.get(f"/people/?sort={sort}&page={number}").content.decode()
            seen += [slug for slug in (f"person-{i:02}" for i in range(40)) if f'href="/people/{slug}/"' in html]
        assert sorted(seen) == [f"person-{i:02}" for i in range(40)]


def test_a_deep_page_of_a_distinct_or_combined_list_is_read_plainly(namesakes, monkeypatch):
    monkeypatch.setattr(paging, "DEFERRED_JOIN_OFFSET", 10)
    combined = Person.objects.order_by().union(Person.objects.none().order_by()).order_by("name", "pk")
    for object_list in (namesakes.distinct(), combined):
        page = paging.page_window(object_list, 20, 30)
        assert [person.slug for person in page] == [person.slug for person in namesakes[20:30]]


def counts_run(captured):
    return [q["sql"] for q in captured if "COUNT(" in q["sql"]]


@pytest.mark.parametrize(("rows", "per_page", "orphans"), [(0, 10, 0), (7, 10, 0), (10, 10, 0), (13, 10, 3)])
def test_a_list_that_fits_on_its_first_page_is_counted_from_its_rows(namesakes, rows, per_page, orphans):
    people = namesakes[:0] if rows == 0 else namesakes.filter(pk__in=[p.pk for p in namesakes[:rows]])
    with CaptureQueriesContext(connection) as captured:
        paginator = LorePaginator(people, per_page, orphans=orphans)
        page = paginator.page(1)
        shown = [person.slug for person in page]
        summary = (paginator.count, paginator.num_pages, page.has_next(), page.start_index(), page.end_index())
    assert shown == [person.slug for person in people]
    assert summary == (rows, 1, False, 1 if rows else 0, rows)
    assert len(captured) <= 1 and not counts_run(captured)  # the rows alone (none for an empty slice)


@pytest.mark.parametrize(("rows", "per_page", "orphans"), [(11, 10, 0), (14, 10, 3), (40, 10, 0)])
def test_a_longer_list_shows_its_first_page_and_counts_when_asked(namesakes, rows, per_page, orphans):
    people = namesakes.filter(pk__in=[p.pk for p in namesakes[:rows]])
    paginator = LorePaginator(people, per_page, orphans=orphans)
    with CaptureQueriesContext(connection) as captured:
        page = paginator.page(1)
        assert [person.slug for person in page] == [person.slug for person in people[:per_page]]
    assert not counts_run(captured)
    with CaptureQueriesContext(connection) as captured:
        assert (paginator.count, page.has_next(), page.end_index()) == (rows, True, per_page)
    assert len(counts_run(captured)) == 1
    assert paginator.num_pages == Paginator(people, per_page, orphans=orphans).num_pages


def test_the_first_page_asked_for_otherwise_is_the_same_page(namesakes):
    for number in ("1", 1.0):
        page = LorePaginator(namesakes[:7], 10).page(number)
        assert (page.number, len(page), page.paginator.count) == (1, 7, 7)


def test_an_empty_list_without_an_empty_first_page_has_no_first_page(namesakes):
    with pytest.raises(EmptyPage):
        LorePaginator(namesakes[:0], 10, allow_empty_first_page=False).page(1)
