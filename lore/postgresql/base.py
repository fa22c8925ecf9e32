"""Django's PostgreSQL backend, with the ORM's read queries prepared once per database session.

On the 200,000-record benchmark PostgreSQL spent longer planning the pages' queries than running them:
the film page's eight queries took 2.2 ms to plan and 0.6 ms to run (EXPLAIN ANALYZE), on the same two
cores as the gunicorn workers. psycopg 3 prepares repeated queries by itself; psycopg2, which Lore is
pinned to, does not, so this backend does: a SELECT run outside a transaction block is prepared the first
time its SQL is seen on a session (PREPARE and the first EXECUTE in one round trip) and run by name
afterwards. PostgreSQL still plans it afresh for its first five runs and then keeps a generic plan only if
that plan costs no more than the custom ones did (plan_cache_mode = auto, its default), so a query whose
values need different plans goes on getting them.

Not prepared: queries inside a transaction block (a failed PREPARE would abort it), server-side cursors
(psycopg2 wraps their SQL in DECLARE), raw SQL with named parameters, and anything past MAX_STATEMENTS on
one session: IN lists of every length are distinct statements and would fill a session with plans. A
query PostgreSQL cannot prepare (a parameter whose type it cannot infer) runs unprepared on that session
from then on; a session that lost its statements (DISCARD ALL) prepares them again. Behind a pooler,
pool in session mode (docs/DEPLOYMENT.md), or set LORE_PREPARE_QUERIES=0.
"""

import re
import weakref

import psycopg2
from django.conf import settings
from django.db.backends import utils
from django.db.backends.postgresql import base, operations

from lore.prepared import STATEMENT_MISSING, forced_generic_plans

# Django's SQL carries a parameter as %s and a literal percent sign as %%; psycopg2 turns %% back into %
# when it interpolates, so only the %s become PostgreSQL's $n.
PLACEHOLDER = re.compile(r"%[s%]")
MAX_STATEMENTS = 256
RAN_PREPARED = re.compile(r"(RESET plan_cache_mode; )?(PREPARE|EXECUTE) lore_q\d")


def placeholders(sql):
    """How many parameters `sql` takes: its %s, not counting a literal percent sign (%%) followed by an s."""
    return sum(1 for match in PLACEHOLDER.finditer(sql) if match.group() == "%s")


def positional(sql):
    """`sql` with its %s placeholders numbered as $1, $2, ... (%% left for psycopg2 to unescape)."""
    numbers = iter(range(1, placeholders(sql) + 1))
    return PLACEHOLDER.sub(lambda match: "%%" if match.group() == "%%" else f"${next(numbers)}", sql)


class Session:
    """The statements prepared on one database session, by their SQL."""

    def __init__(self):
        self.names = {}
        self.unpreparable = set()
        self.prepared = 0  # names are never reused, even for a statement whose preparing failed half-way

    def execute(self, cursor, sql, params):
        """Run `sql` prepared and return True, or return False for the caller to run it as usual."""
        arguments = f"({', '.join(['%s'] * len(params))})" if params else ""
        # Search forces generic plans for its own statements (lore/prepared.py); these must not inherit that.
        reset = "RESET plan_cache_mode; " if cursor.connection in forced_generic_plans else ""
        name = self.names.get(sql)
        if name is not None:
            try:
                cursor.execute(f"{reset}EXECUTE {name}{arguments}", params)
            except psycopg2.Error as error:
                # Outside a transaction block a failed statement leaves nothing behind, so whatever went wrong
                # (values of another type than the statement's first), the query runs unprepared instead, and
                # raises its own error there if it has one.
                if error.pgcode != STATEMENT_MISSING:
                    self.unpreparable.add(sql)
                    return False
                self.names.clear()  # the session lost its statements: prepare this one again below
            else:
                forced_generic_plans.discard(cursor.connection)
                return True
        if sql in self.unpreparable or len(self.names) >= MAX_STATEMENTS:
            return False
        self.prepared += 1
        name = f"lore_q{self.prepared}"
        try:
            cursor.execute(f"{reset}PREPARE {name} AS {positional(sql)}; EXECUTE {name}{arguments}", params)
        except psycopg2.Error:
            # Most likely a parameter type PostgreSQL cannot infer; if the query itself is wrong, running it
            # unprepared raises its error as usual.
            self.unpreparable.add(sql)
            return False
        forced_generic_plans.discard(cursor.connection)
        self.names[sql] = name
        return True


# DB-API connection -> its Session. A new connection (CONN_MAX_AGE, a health check) starts empty.
_sessions = weakref.WeakKeyDictionary()


class PreparingMixin:
    def _execute(self, sql, params, *ignored_wrapper_args):
        if (
            self.db.prepare_queries
            and isinstance(params, (list, tuple))
            and sql.startswith("SELECT")
            and not self.db.in_atomic_block
            and getattr(self.cursor, "name", None) is None
        ):
            self.db.validate_no_broken_transaction()
            with self.db.wrap_database_errors:
                session = _sessions.get(self.cursor.connection)
                if session is None:
                    session = _sessions[self.cursor.connection] = Session()
                if session.execute(self.cursor, sql, params):
                    return None
        return super()._execute(sql, params, *ignored_wrapper_args)


class CursorWrapper(PreparingMixin, utils.CursorWrapper):
    pass


class CursorDebugWrapper(PreparingMixin, base.CursorDebugWrapper):
    pass


class DatabaseOperations(operations.DatabaseOperations):
    compiler_module = "lore.postgresql.compiler"

    def last_executed_query(self, cursor, sql, params):
        """The query as Django built it, values in place, also when it ran prepared: what the debug log, the
        test client's captured queries and connection.queries show."""
        query = super().last_executed_query(cursor, sql, params)
        if query and RAN_PREPARED.match(query):
            return cursor.mogrify(sql, params).decode()
        return query


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.prepare_queries = getattr(settings, "LORE_PREPARE_QUERIES", True)

    def make_cursor(self, cursor):
        return CursorWrapper(cursor, self)

    def make_debug_cursor(self, cursor):
        return CursorDebugWrapper(cursor, self)
