"""Run a raw PostgreSQL query as a server-side prepared statement, planned once per connection.

Search's ranking query spans eight tables, and PostgreSQL spends longer planning it than running it:
on the benchmark's 200,000 records, 5.4 of 6.8 ms for the misspelt-title pass and 1.5 of 2 ms for the
full-text one (EXPLAIN ANALYZE). Prepared once on each database connection and run with a generic plan,
it costs 1.2 and 0.5 ms. Connections live for CONN_MAX_AGE in production, so the preparing is paid
rarely. PREPARE and the first EXECUTE go in one round trip, so a query counts once either way.

Prepared statements belong to a database session: behind a pooler in transaction mode (PgBouncer's
default) they do not work; DEPLOYMENT.md says to pool in session mode. If a session loses its statements
anyway (`DISCARD ALL`), the next call prepares again, once the error has told us.
"""

import hashlib
import re
import weakref
from functools import lru_cache

from django.db import DatabaseError

PLACEHOLDER = re.compile(r"%\((\w+)\)s")
# Each word count and choice of types is its own statement; a client cycling through every combination
# must not fill a database session with plans. Past this many, queries run unprepared.
MAX_PER_CONNECTION = 64
STATEMENT_MISSING = "26000"  # invalid_sql_statement_name

# DB-API connection -> names of the statements prepared on it. A new connection starts empty.
_prepared = weakref.WeakKeyDictionary()
# DB-API connections whose session plans prepared statements generically (SET below). The ORM's statements,
# which lore/postgresql prepares, reset it first: they are left to PostgreSQL's own choice of plan.
forced_generic_plans = weakref.WeakSet()
GENERIC_PLANS = "SET plan_cache_mode = force_generic_plan; "


@lru_cache(maxsize=256)
def _positional(sql):
    """`sql`'s placeholders in order of first use, `sql` with each one as $n, and a digest of the result.

    Search asks for the same few statements on every request: translate each once per process.
    """
    order = tuple(dict.fromkeys(PLACEHOLDER.findall(sql)))
    position = {placeholder: number for number, placeholder in enumerate(order, 1)}
    body = PLACEHOLDER.sub(lambda match: f"${position[match.group(1)]}", sql)
    return order, body, hashlib.sha256(body.encode()).hexdigest()


def execute_prepared(cursor, name, sql, params, types):
    """Execute `sql` (with %(name)s placeholders, `params` a dict) as the prepared statement `name`_<hash>.

    `types` gives each placeholder's SQL type. Afterwards `cursor` holds the rows, as after
    cursor.execute(sql, params).
    """
    order, body, digest = _positional(sql)
    signature = ", ".join(types[placeholder] for placeholder in order)
    statement = f"{name}_{hashlib.sha256(f'{signature}|{digest}'.encode()).hexdigest()[:16]}"
    arguments = [params[placeholder] for placeholder in order]
    execute = f"EXECUTE {statement} ({', '.join(['%s'] * len(order))})"
    prepared = _prepared.setdefault(cursor.db.connection, set())
    if statement not in prepared and len(prepared) >= MAX_PER_CONNECTION:
        cursor.execute(sql, params)
        return
    if statement in prepared:
        try:
            cursor.execute(GENERIC_PLANS + execute, arguments)
            forced_generic_plans.add(cursor.db.connection)
            return
        except DatabaseError as error:
            prepared.clear()  # whatever went wrong, prepare again next time rather than trust this set
            if getattr(error.__cause__, "pgcode", None) != STATEMENT_MISSING or cursor.db.in_atomic_block:
                raise
            # The session lost its statements (and no transaction was aborted): prepare this one again below.
    # A generic plan is what saves the planning; left to choose, PostgreSQL keeps re-planning these queries
    # for each set of values. The setting is the session's, so it is made before every run of these
    # statements (in the same round trip), and the ORM's prepared statements undo it before theirs.
    cursor.execute(f"{GENERIC_PLANS}PREPARE {statement} ({signature}) AS {body}; {execute}", arguments)
    forced_generic_plans.add(cursor.db.connection)
    prepared.add(statement)
