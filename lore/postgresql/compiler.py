"""Django's PostgreSQL SQL compilers, with the SELECT compiler remembering the SQL of each query shape.

Turning a QuerySet into SQL cost more than running it on the benchmark's pages: compiling the film page's
eight queries (resolving the selected columns, the select_related joins and the ordering, every time) was
a quarter of the page's CPU, and PostgreSQL ran all eight in 0.6 ms. The pages build their queries from the same
QuerySets each request (lore.querysets.prebuilt); only the values in their filters differ. So the compiler
keeps, per process, the SQL of every query shape it has compiled, and for a query of a known shape compiles
only its WHERE clause, for the values, and reuses the rest.

A query's shape is everything in it but its WHERE clause: its model, joins, selected columns, annotations,
select_related, ordering, limits, grouping and distinct, compared by value, and any expression in them
(an annotation, an ordering term) by object. Expressions are compared by object because Django's own
expression equality looks at the arguments an expression was built with, and a resolved expression keeps
those while holding other columns. The exceptions are F("name") and F("name").asc() / .desc(), which hold
nothing but a name until the query compiles, so the orderings the lists build on each request still match.
The QuerySets that lore.querysets.prebuilt builds once share their expressions between requests, so their
shapes match; a query whose expressions are built for each request (the Count("*") of a paginator) is
compiled in full every time, as it would be without this. The WHERE clause, compiled afresh, is part of
the key too, so a filter on another column or with a different number of values is another shape.

Not remembered: subqueries (compiled as part of their outer query), combined queries (UNION and the like),
SELECT ... FOR UPDATE, EXPLAIN, filtered relations, and WHERE clauses holding aggregates or window
functions. With LORE_VERIFY_COMPILED_SQL (the test suite sets it), every reuse is compiled in full as well
and must give the same SQL and values.
"""

import operator
import threading
import weakref
from collections import OrderedDict

from django.conf import settings
from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db.backends.postgresql.compiler import (  # noqa: F401 - the other compilers, as Django's module has them
    SQLAggregateCompiler,
    SQLDeleteCompiler,
    SQLInsertCompiler,
    SQLUpdateCompiler,
)
from django.db.models import F, OrderBy
from django.db.models.sql import compiler
from django.db.models.sql.datastructures import BaseTable, Join

from lore.postgresql.base import placeholders

MAX_SHAPES = 512  # per process; the benchmark's fourteen endpoints use 37
# Query attributes that never reach the SQL (the WHERE clause is compiled on its own), or that cache what
# other attributes already say.
IGNORED = frozenset(
    {"where", "used_aliases", "filter_is_sticky", "_lookup_joins", "_annotation_select_cache", "_extra_select_cache"}
)
UNCACHEABLE = object()  # the entry of a shape whose values could not be located in its SQL


class Uncacheable(Exception):
    """The query holds something its shape cannot be told by."""


# What pre_sql_setup() leaves on the compiler that reading the rows needs (ModelIterable, results_iter).
COMPILER_STATE = ("select", "klass_info", "annotation_col_map", "col_count", "has_extra_select", "_meta_ordering")


class Compiled:
    """What compiling one shape gave: the SQL, the values before and after the WHERE clause's, the
    compiler's state, and, once a run has read rows, the converters of its columns (get_converters)."""

    __slots__ = ("sql", "before", "after", "pins", "state", "converters")

    def __init__(self, sql, before, after, pins, state):
        self.sql, self.before, self.after, self.pins, self.state = sql, before, after, pins, state
        self.converters = None  # (weak reference to the connection, columns, converters)


# (shape, WHERE SQL) -> Compiled, least recently used first; a process's query shapes are few.
_compiled = OrderedDict()
# Shapes compiled once. A shape is remembered the second time it is seen: a query built afresh for each
# request (an aggregate's Count("*"), say) never repeats, and compiling its WHERE clause twice would only
# cost it time.
_seen = OrderedDict()
# Threads (runserver, gthread workers) share both: moving and evicting entries must not interleave.
_lock = threading.Lock()


def _fingerprint(value, pins):
    """A hashable stand-in for a Query attribute's value: by value, but any other object (an expression)
    by id, with the object appended to `pins` so that it stays alive, and its id unique, while the entry
    that holds the key does."""
    if value is None or isinstance(value, (str, int, float, type)):
        return value
    if isinstance(value, (tuple, list)):
        return (type(value), *(_fingerprint(item, pins) for item in value))
    if isinstance(value, dict):
        return (dict, *((key, _fingerprint(item, pins)) for key, item in value.items()))
    if isinstance(value, (set, frozenset)):
        return frozenset(_fingerprint(item, pins) for item in value)
    if isinstance(value, Join):
        if value.filtered_relation is not None:
            raise Uncacheable
        return value.identity  # table, aliases, join type, field and nullability: all by value
    if isinstance(value, BaseTable):
        return value.identity
    if type(value) is F:  # a name, resolved when the query compiles: order_by(F("name").asc()) on each request
        return (F, value.name)
    if type(value) is OrderBy and type(value.expression) is F:
        return (OrderBy, value.expression.name, value.descending, value.nulls_first, value.nulls_last, value.template)
    pins.append(value)
    return (object, id(value))


def _remember(entries, key, value):
    with _lock:
        entries[key] = value
        while len(entries) > MAX_SHAPES:
            entries.popitem(last=False)


def _recall(key):
    """The entry for `key` (None if there is none), marked as the most recently used."""
    with _lock:
        compiled = _compiled.get(key)
        if compiled is not None:
            _compiled.move_to_end(key)
        return compiled


def _table_map(table_map):
    """What compiling reads of Query.table_map: which tables have aliases, and the first of each (the one
    Query.table_alias() reuses). Clones share its lists, and a clone that joins a table again appends to
    the list it shares: the latest films' prefetch query gained an alias there on every request."""
    return {table: aliases[:1] for table, aliases in table_map.items()}


class SQLCompiler(compiler.SQLCompiler):
    def as_sql(self, with_limits=True, with_col_aliases=False):
        query = self.query
        if (
            query.subquery
            or query.combinator
            or query.select_for_update
            or query.explain_info
            or query._filtered_relations
            or query.where.contains_aggregate
            or query.where.contains_over_clause
            or not getattr(settings, "LORE_CACHE_COMPILED_SQL", True)
        ):
            return super().as_sql(with_limits, with_col_aliases)
        pins = []
        try:
            shape = tuple(
                (name, _fingerprint(_table_map(value) if name == "table_map" else value, pins))
                for name, value in query.__dict__.items()
                if name not in IGNORED
            )
            if shape not in _seen:
                _remember(_seen, shape, True)
                return super().as_sql(with_limits, with_col_aliases)
            where, where_params = self.compile(query.where)
        except (Uncacheable, EmptyResultSet):  # an empty IN list and the like: Django knows what to do
            return super().as_sql(with_limits, with_col_aliases)
        except FullResultSet:
            where, where_params = "", ()
        key = (shape, where, len(where_params), self.using, self.elide_empty, with_limits, with_col_aliases)
        compiled = _recall(key)
        if compiled is None:
            return self._compile_and_keep(key, where, where_params, pins, with_limits, with_col_aliases)
        if compiled is UNCACHEABLE:
            return super().as_sql(with_limits, with_col_aliases)
        for name, value in compiled.state.items():
            setattr(self, name, value)
        self.where, self.having, self.qualify = query.where, None, None
        self._lore_compiled = compiled
        result = compiled.sql, (*compiled.before, *where_params, *compiled.after)
        if getattr(settings, "LORE_VERIFY_COMPILED_SQL", False):
            self._verify(result, with_limits, with_col_aliases)
        return result

    def get_converters(self, expressions):
        """Django's converters for `expressions`, the same list of functions for the same columns: worked out
        once per remembered shape and connection rather than on every run. Reading each query's rows asked
        each of its columns, and each column its field, for converters (on PostgreSQL nearly always none):
        165 columns on a film's detail, every request."""
        compiled = self.__dict__.get("_lore_compiled")
        if compiled is None:
            return super().get_converters(expressions)
        known = compiled.converters
        if (
            known is not None
            and known[0]() is self.connection
            and len(known[1]) == len(expressions)
            and all(map(operator.is_, known[1], expressions))
        ):
            converters = known[2]
        else:
            converters = super().get_converters(expressions)
            # The connection by weak reference: a thread's connection must not outlive the thread here.
            compiled.converters = (weakref.ref(self.connection), tuple(expressions), converters)
        if getattr(settings, "LORE_VERIFY_COMPILED_SQL", False):
            fresh = super().get_converters(expressions)
            if converters != fresh:
                raise AssertionError(f"Remembered converters differ from fresh ones:\n{converters}\n{fresh}")
        return converters

    def _compile_and_keep(self, key, where, where_params, pins, with_limits, with_col_aliases):
        sql, params = super().as_sql(with_limits, with_col_aliases)
        if where:
            clause = f"WHERE {where}"
            if sql.count(clause) != 1:  # not found, or also in a subquery: the values cannot be placed
                _remember(_compiled, key, UNCACHEABLE)
                return sql, params
            start = placeholders(sql[: sql.index(clause)])
        else:
            start = len(params)
        end = start + len(where_params)
        if tuple(params[start:end]) != tuple(where_params):
            _remember(_compiled, key, UNCACHEABLE)
            return sql, params
        state = {name: getattr(self, name) for name in COMPILER_STATE}
        _remember(_compiled, key, Compiled(sql, tuple(params[:start]), tuple(params[end:]), pins, state))
        return sql, params

    def _verify(self, result, with_limits, with_col_aliases):
        fresh = type(self)(self.query.clone(), self.connection, self.using, self.elide_empty)
        expected = compiler.SQLCompiler.as_sql(fresh, with_limits, with_col_aliases)
        if (result[0], tuple(result[1])) != (expected[0], tuple(expected[1])):
            raise AssertionError(f"Remembered SQL differs from a fresh compile:\n{result}\n{expected}")
