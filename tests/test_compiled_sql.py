"""On PostgreSQL the SELECT compiler reuses the SQL of each query shape it has seen twice
(lore/postgresql/compiler.py), compiling only the WHERE clause for the values.

The whole suite runs with LORE_VERIFY_COMPILED_SQL (conftest.py), which compiles every reused query in full
as well and fails on any difference; these tests check the reuse itself and what must never be reused.
"""

import pytest
from django.db import connection
from django.db.models import F, Value
from django.db.models.sql import compiler as django_compiler

from lore.models import Character, Film
from lore.postgresql import compiler
from lore.querysets import prebuilt

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="lore.postgresql is PostgreSQL's backend"),
]


@pytest.fixture
def full_compiles(monkeypatch):
    """Count the compiles Django does in full (remembered SQL skips them); start with nothing remembered."""
    monkeypatch.setattr(compiler, "_compiled", type(compiler._compiled)())
    monkeypatch.setattr(compiler, "_seen", type(compiler._seen)())
    calls = []
    original = django_compiler.SQLCompiler.as_sql

    def counted(self, *args, **kwargs):
        if self.query.model is Film and not self.query.subquery and "slug" in str(self.query.where):
            calls.append(str(self.query.where))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(django_compiler.SQLCompiler, "as_sql", counted)
    monkeypatch.setattr("django.conf.settings.LORE_VERIFY_COMPILED_SQL", False)  # its fresh compiles would count
    return calls


def titles(queryset):
    return [film.title for film in queryset]


def test_a_shape_is_compiled_twice_then_reused_with_each_query_s_own_values(read_only_john_wick, full_compiles):
    details = prebuilt(Film, "for_detail")
    for slug in ("john-wick-2014", "john-wick-chapter-2", "ballerina", "john-wick-chapter-3-parabellum"):
        film = details.get(slug=slug)  # a fresh copy each time, as the film page takes it
        assert film.slug == slug
        assert film.franchise.slug == "john-wick"  # select_related rows read through the remembered columns
    assert len(full_compiles) == 2  # seen once, then remembered; the last two only compiled their WHERE
    entry = next(value for key, value in compiler._compiled.items() if key[0][0] == ("model", Film))
    assert "%s" in entry.sql and "ballerina" not in entry.sql  # values stay parameters, never in the SQL


def test_another_filter_or_another_number_of_values_is_another_shape(read_only_john_wick, full_compiles):
    films = Film.objects.order_by("title")
    for round in range(3):
        assert titles(films.filter(slug__in=["ballerina"])) == ["Ballerina"]
        assert titles(films.filter(slug__in=["ballerina", "john-wick-2014"])) == ["Ballerina", "John Wick"]
        assert titles(films.filter(slug="john-wick-2014")) == ["John Wick"]
        if round == 1:
            compiled = len(full_compiles)
    assert titles(films.filter(slug__in=["john-wick-chapter-2"])) == ["John Wick: Chapter 2"]
    assert titles(films.filter(slug__in=["john-wick-2014", "ballerina"])) == ["Ballerina", "John Wick"]
    # Each of the three WHERE clauses was compiled in full at most twice, then remembered.
    assert 3 <= compiled <= 6 and len(full_compiles) == compiled


def test_ordering_limits_and_joins_are_part_of_the_shape(read_only_john_wick, full_compiles):
    films = Film.objects.filter(franchise__slug="john-wick")
    for _ in range(3):
        ascending = titles(films.order_by(F("title").asc()))
        descending = titles(films.order_by(F("title").desc()))
        assert descending == ascending[::-1] and len(ascending) > 2
        assert titles(films.order_by("title")[:1]) == ascending[:1]
        assert titles(films.order_by("title")[1:3]) == ascending[1:3]
        assert [film.franchise.name for film in films.select_related("franchise")][:1] == ["John Wick"]


def test_expressions_built_for_each_query_are_never_taken_for_one_another(read_only_john_wick, full_compiles):
    # Django's own expression equality would call these two annotations equal once resolved; the compiler
    # tells them apart by object, so each query keeps its own value.
    for number in range(4):
        film = Film.objects.annotate(number=Value(number)).get(slug="ballerina")
        assert film.number == number
    assert len(full_compiles) == 4


def test_a_remembered_shape_s_sql_is_checked_against_a_fresh_compile(read_only_john_wick, full_compiles, settings):
    films = Film.objects.order_by("title")
    for _ in range(2):
        titles(films.filter(slug="ballerina"))
    (key, entry), *_ = [(key, entry) for key, entry in compiler._compiled.items() if key[0][0] == ("model", Film)]
    entry.sql = entry.sql.replace("ASC", "DESC")  # what a shape told apart too coarsely would give
    settings.LORE_VERIFY_COMPILED_SQL = True
    with pytest.raises(AssertionError, match="differs from a fresh compile"):
        titles(films.filter(slug="john-wick-2014"))


def test_it_can_be_turned_off(read_only_john_wick, full_compiles, settings):
    settings.LORE_CACHE_COMPILED_SQL = False
    for _ in range(3):
        assert titles(Film.objects.filter(slug="ballerina")) == ["Ballerina"]
    assert len(full_compiles) == 3
    assert not compiler._compiled and not compiler._seen


def test_pages_are_the_same_with_and_without_remembered_sql(client, read_only_john_wick, settings):
    paths = ["/", "/films/ballerina/", "/characters/john-wick/", "/timeline/", "/api/v1/films/ballerina/"]
    settings.LORE_CACHE_COMPILED_SQL = False
    fresh = {path: client.get(path).content for path in paths}
    settings.LORE_CACHE_COMPILED_SQL = True
    for _ in range(3):
        for path in paths:
            assert client.get(path).content == fresh[path], path


def test_a_page_s_shapes_stay_the_same_request_after_request(client, read_only_john_wick, full_compiles):
    # The latest films' prefetch query appends an alias to a list its clones share (Query.table_map) on
    # every request; the shape reads only what compiling does, so it keeps matching.
    paths = ["/", "/franchises/john-wick/", "/timeline/", "/films/ballerina/", "/api/v1/films/"]
    for _ in range(3):
        for path in paths:
            assert client.get(path).status_code == 200
    remembered = dict(compiler._compiled)
    for _ in range(5):
        for path in paths:
            assert client.get(path).status_code == 200
    assert compiler._compiled.keys() == remembered.keys()
    assert all(compiler._compiled[key] is entry for key, entry in remembered.items())


@pytest.fixture
def converter_lookups(monkeypatch):
    """Count the times Django works out the converters of a Character query's columns."""
    calls = []
    original = django_compiler.SQLCompiler.get_converters

    def counted(self, expressions):
        if self.query.model is Character:
            calls.append(len(expressions))
        return original(self, expressions)

    monkeypatch.setattr(django_compiler.SQLCompiler, "get_converters", counted)
    return calls


CHARACTER_ALIASES = {
    "john-wick": ["Baba Yaga", "Jonathan Wick", "Jardani Jovonovich"],
    "eve-macarro": ["The Ballerina"],
}


def test_a_remembered_shape_works_out_its_converters_once_and_still_converts(
    read_only_john_wick, full_compiles, converter_lookups
):
    characters = Character.objects.order_by("name")
    for _ in range(3):
        for slug, aliases in CHARACTER_ALIASES.items():
            assert characters.get(slug=slug).aliases == aliases  # the JSON column, read through its converter
    # Seen once, compiled and kept the second time, reused from the third: its converters are worked out on the
    # first reuse and remembered from then on.
    assert len(converter_lookups) == 3


def test_remembered_converters_are_checked_against_fresh_ones(read_only_john_wick, monkeypatch):
    monkeypatch.setattr(compiler, "_compiled", type(compiler._compiled)())
    monkeypatch.setattr(compiler, "_seen", type(compiler._seen)())
    characters = Character.objects.order_by("name")
    for _ in range(4):
        characters.get(slug="john-wick")
    (entry,) = [entry for key, entry in compiler._compiled.items() if key[0][0] == ("model", Character)]
    connection_ref, columns, converters = entry.converters
    assert converters, "the JSON column has a converter"
    entry.converters = (connection_ref, columns, {})
    with pytest.raises(AssertionError, match="Remembered converters differ"):
        characters.get(slug="john-wick")
