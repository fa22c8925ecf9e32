"""On PostgreSQL the ORM's read queries are prepared once per database session (lore/postgresql/base.py).

Prepared statements only exist outside transaction blocks here, so these tests run with transaction=True,
as requests do.
"""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from lore.models import Film
from lore.search import search

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"),
    pytest.mark.django_db(transaction=True),
]
FILM_PAGE = "/films/ballerina/"


def prepared():
    """{statement text: (generic plans, custom plans)} of this session's ORM statements."""
    with transaction.atomic(), connection.cursor() as cursor:  # inside a block: not itself prepared
        cursor.execute(
            "SELECT statement, generic_plans, custom_plans FROM pg_prepared_statements WHERE name LIKE 'lore_q%%'"
        )
        return {statement: plans for statement, *plans in cursor.fetchall()}


def plan_cache_mode():
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        return cursor.fetchone()[0]


def test_a_page_prepares_its_queries_once_then_runs_them_by_name(client, john_wick):
    first = client.get(FILM_PAGE)
    statements = prepared()
    assert any('FROM "lore_credit"' in statement for statement in statements)
    with CaptureQueriesContext(connection) as again:
        for _ in range(6):
            assert client.get(FILM_PAGE).content == first.content
    # Django still logs (and tests still count) the ORM's own SQL, values in place, one entry per query.
    assert len(again) == 6 * 8
    assert not any(query["sql"].startswith(("PREPARE", "EXECUTE", "RESET")) for query in again)
    assert sum('WHERE "lore_film"."slug" = \'ballerina\'' in query["sql"] for query in again) == 6
    assert prepared().keys() == statements.keys()  # nothing prepared twice
    # PostgreSQL planned each anew for five runs, then (these plans being no dearer) kept a generic plan.
    credits = next(plans for statement, plans in prepared().items() if 'FROM "lore_credit"' in statement)
    assert sum(credits) == 7 and credits[0] >= 1


def test_a_query_postgresql_cannot_prepare_runs_unprepared(db):
    with connection.cursor() as cursor:
        for _ in range(2):
            cursor.execute("SELECT %s", ["untyped"])  # $1 alone: PostgreSQL cannot tell its type
            assert cursor.fetchone() == ("untyped",)
    assert not any(statement.endswith("SELECT $1") for statement in prepared())


def test_literal_percent_signs_and_parameters_survive_preparing(db):
    with connection.cursor() as cursor:
        for _ in range(2):
            cursor.execute("SELECT %s::text || '%%' || %s::text", ["50", "off"])
            assert cursor.fetchone() == ("50%off",)
    assert any("$1::text || '%' || $2::text" in statement for statement in prepared())


def test_queries_in_a_transaction_block_and_server_side_cursors_are_not_prepared(john_wick):
    with transaction.atomic():
        titles = [film.title for film in Film.objects.order_by("release_order")]
    assert titles and not prepared()
    assert [film.title for film in Film.objects.order_by("release_order").iterator(chunk_size=2)] == titles
    assert not any("DECLARE" in statement for statement in prepared())


def test_a_session_that_lost_its_statements_prepares_them_again(client, john_wick):
    expected = client.get(FILM_PAGE).content
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # what a pooler's session reset would do
    assert client.get(FILM_PAGE).content == expected
    assert any('FROM "lore_credit"' in statement for statement in prepared())


def test_a_failing_query_raises_its_own_error_once_prepared(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 / %s", [1])
        assert cursor.fetchone() == (1,)
        with pytest.raises(Exception, match="division by zero"):
            cursor.execute("SELECT 1 / %s", [0])
        cursor.execute("SELECT 1 / %s", [1])  # the session is still usable
        assert cursor.fetchone() == (1,)


def test_search_forces_generic_plans_for_its_own_statements_only(john_wick):
    assert search("contnental")  # prepares search's statements with plan_cache_mode = force_generic_plan
    assert plan_cache_mode() == "force_generic_plan"
    assert list(Film.objects.filter(slug="ballerina").values_list("title", flat=True)) == ["Ballerina"]
    assert plan_cache_mode() == "auto"  # an ORM statement reset it before running
    assert search("contnental")
    assert plan_cache_mode() == "force_generic_plan"


def test_preparing_can_be_turned_off(client, john_wick):
    connection.prepare_queries = False
    try:
        client.get(FILM_PAGE)
        assert not prepared()
    finally:
        connection.prepare_queries = True
