"""lore.search on whichever database the suite runs on (CI runs it on SQLite and on PostgreSQL).

Tests marked `postgres_only` cover full-text and trigram behaviour that the portable SQLite match does
not have; `sqlite_only` ones cover the substring match PostgreSQL does not use.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lore.models import Character, Franchise, Organization
from lore.search import SEARCH_TYPES, SearchHit, normalise, search, snippet, suggestions

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text search")
sqlite_only = pytest.mark.skipif(connection.vendor == "postgresql", reason="the portable substring match")

HOSTILE_QUERIES = [
    "x" * 10_000,
    "john\x00wick",
    "\x00",
    "&|!:*()",
    "john & wick | !continental",
    "wick:*",
    "'",
    "''",
    "\\",
    "a:* & !b",
    "<->",
    "%_%",
    "(((((",
    "🗡️ Баба Яга 東京",
    "SELECT * FROM lore_film; --",
    " \t\n ",
    "_",
    "a " * 500,
]


def titles(hits):
    return [hit.title for hit in hits]


def test_an_exact_title_ranks_above_records_that_only_mention_the_words(john_wick):
    hits = search("the continental")
    assert hits[0].title == "The Continental"
    assert hits[0].type == "organization"


def test_a_hit_links_to_its_record_and_names_its_franchise(john_wick):
    hit = next(hit for hit in search("Ruska Roma") if hit.type == "organization")
    record = Organization.objects.get(slug="ruska-roma")
    assert isinstance(hit, SearchHit)
    assert (hit.slug, hit.url, hit.franchise, hit.updated_at) == (
        "ruska-roma",
        record.get_absolute_url(),
        "John Wick",
        record.updated_at,
    )


def test_a_word_prefix_finds_records_while_typing(john_wick):
    assert "Ballerina" in titles(search("baller"))
    assert "The Continental" in titles(search("contin"))


def test_several_words_find_the_record_holding_all_of_them(john_wick):
    hits = search("marquis gramont")
    assert hits[0].title == "Marquis Vincent de Gramont"


def test_aliases_find_their_character(john_wick):
    assert "John Wick" in titles(search("Baba Yaga", types=["character"]))


def test_words_in_a_summary_find_the_record(world):
    franchise = world(2)
    Organization.objects.create(
        franchise=franchise, name="Night Guild", slug="night-guild", summary="Keepers of the velvet ledger."
    )
    hit = next(hit for hit in search("velvet ledger") if hit.slug == "night-guild")
    assert "velvet ledger" in hit.snippet


def test_types_limit_the_search_to_the_named_types(john_wick):
    hits = search("wick", types=["film"])
    assert hits and {hit.type for hit in hits} == {"film"}


def test_limit_per_type_caps_each_type(john_wick):
    hits = search("john wick", limit_per_type=2)
    for search_type in SEARCH_TYPES:
        assert len([hit for hit in hits if hit.type == search_type.name]) <= 2


def test_a_blank_query_finds_nothing_without_querying(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert search("   ") == []
        assert search(None) == []


def test_hostile_queries_never_fail(john_wick):
    for query in HOSTILE_QUERIES:
        assert isinstance(search(query), list), query


def queries_to_search(world, size):
    franchise = world(size)
    tag = "w" + franchise.slug.removeprefix("world-")  # the world's records are named "Film w3-0", ...
    with CaptureQueriesContext(connection) as captured:
        hits = search(tag)
        [(hit.franchise, hit.url, hit.snippet) for hit in hits]
    return len(captured), len(hits)


def test_search_runs_the_same_queries_whatever_the_number_of_records(world):
    # PostgreSQL: one query ranks every type, then one per type with hits loads them with their franchise.
    # SQLite: one query per type. Never a query per hit.
    small, large = queries_to_search(world, 2), queries_to_search(world, 8)
    assert small[1] < large[1]
    assert small[0] == large[0] <= len(SEARCH_TYPES) + 1


def test_normalise_collapses_whitespace_drops_nul_and_caps_the_length():
    assert normalise("  john \x00 \n wick ") == "john wick"
    assert len(normalise("x" * 10_000)) == 200


def test_snippet_shows_the_text_around_the_first_matching_word():
    text = "Filler words. " * 30 + "The velvet ledger is kept here. " + "More filler. " * 30
    shown = snippet(text, "ledger velvet")
    assert "velvet ledger" in shown and shown.startswith("…") and shown.endswith("…")
    assert snippet("Short text.", "absent") == "Short text."


@postgres_only
def test_a_misspelt_name_still_finds_the_record_on_postgresql(john_wick):
    hits = search("contnental")
    assert hits[0].title == "The Continental"


@postgres_only
def test_a_misspelt_name_costs_a_second_query_only_when_nothing_matches_as_typed(john_wick):
    with CaptureQueriesContext(connection) as typed:
        search("continental", types=["organization"])
    with CaptureQueriesContext(connection) as misspelt:
        assert titles(search("contnental", types=["organization"])) == ["The Continental"]
    # the ranking query returns what the hits show; a misspelling ranks once more with nearest titles
    assert len(typed) == 1 and len(misspelt) == 2
    assert "lore_search_nearest" not in typed[0]["sql"] and "lore_search_nearest" in misspelt[1]["sql"]


@postgres_only
def test_hits_of_every_type_name_their_franchise_from_the_ranking_query(john_wick):
    # A note's franchise is its film's; people and sources belong to none.
    hits = {(hit.type, hit.slug): hit for hit in search("Ana de Armas")}
    person = next(hit for (kind, _), hit in hits.items() if kind == "person")
    note = next(hit for (kind, _), hit in hits.items() if kind == "productionnote")
    assert person.franchise is None
    assert note.franchise == "John Wick"
    assert person.url == f"/people/{person.slug}/"
    assert note.updated_at.tzinfo is not None


@postgres_only
def test_the_ranking_queries_are_prepared_once_per_connection_on_postgresql(john_wick):
    first, again = (CaptureQueriesContext(connection) for _ in range(2))
    with first:
        first_hits = search("contnental")
    with again:
        hits_again = search("contnental")
    assert [hit.slug for hit in hits_again] == [hit.slug for hit in first_hits] != []
    # the same number of queries either way; the second time the ranking ones are only executed
    assert len(again) == len(first)
    ranking = [query["sql"] for query in again if "lore_search" in query["sql"]]
    assert len(ranking) == 2
    assert all(sql.startswith("SET plan_cache_mode = force_generic_plan; EXECUTE lore_search") for sql in ranking)


@postgres_only
def test_past_its_share_of_prepared_statements_a_connection_runs_search_unprepared(john_wick, monkeypatch):
    from lore import prepared

    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
        prepared._prepared.clear()
    monkeypatch.setattr("lore.prepared.MAX_PER_CONNECTION", 0)
    with CaptureQueriesContext(connection) as unprepared:
        typed = titles(search("continental wick", types=["film", "organization"]))
        misspelt = titles(search("contnental", types=["organization"]))
    assert not any(query["sql"].startswith(("EXECUTE", "SET plan_cache_mode")) for query in unprepared)
    monkeypatch.undo()
    assert typed == titles(search("continental wick", types=["film", "organization"])) == ["John Wick: Chapter 2"]
    assert misspelt == titles(search("contnental", types=["organization"])) == ["The Continental"]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_search_prepares_again_when_the_session_lost_its_statements_on_postgresql(john_wick):
    # What a pooler's session reset (DISCARD ALL) would do between two requests.
    expected = titles(search("contnental"))
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
    assert titles(search("contnental")) == expected
    assert "The Continental" in expected
    with CaptureQueriesContext(connection) as after:
        assert titles(search("contnental")) == expected
    executed = [query["sql"] for query in after if "lore_search" in query["sql"]]
    assert executed and all(sql.startswith("SET plan_cache_mode = force_generic_plan; EXECUTE") for sql in executed)


def settled_organizations(count):
    """`count` more organizations, indexed and analysed as on a settled production table.

    The test tables are otherwise too small for PostgreSQL to use an index at all. Rows have a summary, as
    real ones do, so the table is not unrealistically narrow.
    """
    franchise = Franchise.objects.get(slug="john-wick")
    summary = "A guild of assassins with its own rules, debts and markers, and a seat at the table. " * 4
    Organization.objects.bulk_create(
        Organization(franchise=franchise, name=f"Guild {number} of Sorrows", slug=f"guild-{number}", summary=summary)
        for number in range(count)
    )
    with connection.cursor() as cursor:
        # What autovacuum does to a settled table: move new entries out of GIN's pending lists, gather statistics.
        for index in ("lore_organization_name_trgm", "lore_organization_search_document"):
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
        cursor.execute("ANALYZE lore_organization")


@postgres_only
@pytest.mark.parametrize(
    "nearest_titles, index", [(False, "lore_organization_search_document"), (True, "lore_organization_name_trgm")]
)
def test_searches_use_the_full_text_and_trigram_indexes_on_postgresql(john_wick, nearest_titles, index):
    from lore.search import _ranked_sql, _tsquery_sql

    settled_organizations(3000)
    organization = next(t for t in SEARCH_TYPES if t.model is Organization)
    sql = _ranked_sql(organization, _tsquery_sql(1), trigrams=True, nearest_titles=nearest_titles)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, {"word0": "gild:*", "query": "gild", "limit": 20})
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan, plan


@postgres_only
def test_a_generic_plan_still_uses_the_trigram_index_of_a_big_table_on_postgresql(john_wick):
    # A prepared statement's plan is made once, without knowing the query: it must still use the index.
    from lore import prepared

    settled_organizations(3000)
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
        prepared._prepared.clear()
        assert "The Continental" in titles(search("contnental", types=["organization"]))  # prepared now
        cursor.execute(  # the nearest-titles statement for one word and one type: word, query, limit
            "SELECT name FROM pg_prepared_statements "
            "WHERE name LIKE 'lore_search_nearest%%' AND cardinality(parameter_types) = 3"
        )
        (name,) = cursor.fetchone()
        cursor.execute(f"EXPLAIN EXECUTE {name} ('gild:*', 'gild', 20)")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "lore_organization_name_trgm" in plan, plan


@postgres_only
def test_a_plural_finds_the_singular_on_postgresql(john_wick):
    assert "John Wick: Chapter 2" in titles(search("chapters", types=["film"]))


@postgres_only
def test_a_record_saved_through_the_orm_is_searchable_at_once_on_postgresql(world):
    franchise = world(2)
    Character.objects.create(franchise=franchise, name="Quillon Vexmoor", slug="quillon", aliases=["The Grey Heron"])
    assert titles(search("vexmoor")) == ["Quillon Vexmoor"]
    assert titles(search("grey heron", types=["character"])) == ["Quillon Vexmoor"]


@postgres_only
def test_the_title_trigram_indexes_are_gin_on_postgresql(john_wick):
    # GIN measured ten times faster than GiST for the misspelt-title look-up (migration 0005).
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE 'lore%%_trgm'")
        definitions = dict(cursor.fetchall())
    assert len(definitions) == 8
    assert all("USING gin" in definition for definition in definitions.values()), definitions


@sqlite_only
def test_the_portable_match_finds_text_inside_a_word_on_sqlite(john_wick):
    assert "The Continental" in titles(search("ontinenta"))


def test_franchises_are_searchable_too():
    Franchise.objects.create(name="Sky Pirates", slug="sky-pirates", summary="Airships and debts.")
    assert [hit.type for hit in search("sky pirates")] == ["franchise"]


# "Did you mean": what the search page offers when a search found nothing.


def test_suggestions_catch_a_short_word_with_a_letter_missing(john_wick):
    # Closer than search's own trigram pass lets through: "wik" shares only half its trigrams with "Wick".
    assert search("wik") == []
    assert suggestions("wik")[0] == ("John Wick", "/films/john-wick-2014/")


def test_suggestions_are_none_for_a_blank_query_and_at_most_the_limit(john_wick, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert suggestions("   ") == []
    assert len(suggestions("wik")) == 2  # "Wick" and "Wick:" of Chapter 2
    assert suggestions("wik", limit=1) == suggestions("wik")[:1]


@postgres_only
def test_suggestions_reach_every_name_on_postgresql(john_wick, monkeypatch):
    # SQLite reads the first SUGGESTION_POOL names of each model; PostgreSQL's trigram index has them all.
    monkeypatch.setattr("lore.search.SUGGESTION_POOL", 0)
    assert suggestions("Keanu Reves")[0] == ("Keanu Reeves", "/people/keanu-reeves/")


def queries_to_suggest(world, size):
    tag = "w" + world(size).slug.removeprefix("world-")
    with CaptureQueriesContext(connection) as captured:
        found = suggestions(f"Charakter {tag}-0")
    return len(captured), found


@postgres_only
def test_suggestions_run_the_same_queries_whatever_the_number_of_records_on_postgresql(world):
    small, large = queries_to_suggest(world, 2), queries_to_suggest(world, 8)
    assert small[0] == large[0] <= 4  # savepoint, the threshold, the names, release
    assert small[1][0][0].startswith("Character w") and large[1][0][0].startswith("Character w")


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_suggestions_leave_search_its_own_trigram_threshold_on_postgresql(john_wick):
    def threshold():
        with connection.cursor() as cursor:
            cursor.execute("SHOW pg_trgm.word_similarity_threshold")
            return cursor.fetchone()[0]

    assert search("wik") == []  # loads pg_trgm into the session, and with it the setting
    assert threshold() == "0.6"  # PostgreSQL's default
    assert suggestions("wik")
    assert threshold() == "0.6"
    assert search("wik") == []


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_suggestions_prepare_again_inside_a_transaction_when_the_session_lost_its_statements(john_wick):
    from django.db import transaction

    expected = suggestions("Keanu Reves")
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DEALLOCATE ALL")
        assert suggestions("Keanu Reves") == expected != []
        assert Organization.objects.filter(name="The Continental").exists()  # the transaction is still usable


@postgres_only
def test_suggestions_use_the_trigram_index_of_a_big_table_with_a_generic_plan_on_postgresql(john_wick):
    from lore import prepared

    settled_organizations(3000)
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")
        prepared._prepared.clear()
        assert suggestions("Gild 7 of Sorows")[0][0].startswith("Guild 7")  # prepared now
        cursor.execute("SELECT name FROM pg_prepared_statements WHERE name LIKE 'lore_suggest%%'")
        (name,) = cursor.fetchone()
        cursor.execute(f"EXPLAIN EXECUTE {name} ('gild')")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "lore_organization_name_trgm" in plan, plan
