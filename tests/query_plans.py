"""Reading PostgreSQL's query plans in tests."""

import re

from django.db import connection

SORT_NODE = re.compile(r"\s*(->\s+)?Sort\s+\(")


def sorts_rows(sql):
    """Whether PostgreSQL's plan for `sql` sorts rows itself, when told to avoid it wherever an index can serve."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql)
        plan = [row[0] for row in cursor.fetchall()]
    return [line for line in plan if SORT_NODE.match(line)]  # an Incremental Sort of presorted rows is fine
