"""Reading PostgreSQL's query plans in tests."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL query plans")

SORT_NODE = re.compile(r"\s*(->\s+)?Sort\s+\(")


def sorts_rows(sql):
    """Whether PostgreSQL's plan for `sql` sorts rows itself, when told to avoid it wherever an index can serve."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql)
        plan = [row[0] for row in cursor.fetchall()]
    return [line for line in plan if SORT_NODE.match(line)]  # an Incremental Sort of presorted rows is fine


def list_query(client, path, params, table):
    """The SQL that reads the page of `table`'s rows (its LIMIT query) when `client` GETs `path`."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, params).status_code == 200
    [sql] = [q["sql"] for q in captured if q["sql"].startswith(f'SELECT "{table}"."id"') and "LIMIT" in q["sql"]]
    return sql
