"""Search across every lore type, one interface for the search page and the API.

`search(query)` returns ranked SearchHit rows. On PostgreSQL it is full-text search over each table's
stored `search_document` (migration 0003: title weighted A, text B) with prefix matching for type-ahead,
plus trigram word similarity on the title so misspellings still find the record. Elsewhere (SQLite) every
word must appear, case-insensitively, somewhere in the record, and hits rank by where the query falls in
the title.

`suggestions(query)` gives the search page its "Did you mean" names when a search found nothing: the
names spelled closest to the query, candidates picked by trigrams on PostgreSQL, judged by difflib.
"""

import difflib
import operator
import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache, reduce

from django.db import DatabaseError, connections, router, transaction
from django.db.models import Case, FloatField, Q, Value, When

from lore.links import page_path
from lore.models import Character, Film, Franchise, Location, Organization, Person, ProductionNote, Source
from lore.prepared import execute_prepared

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 8
# Words dropped from a multi-word full-text query: on their own they would only match titles that
# happen to contain them, while the stemmed text index ignores them.
STOP_WORDS = frozenset(
    ["a", "an", "and", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to", "with"]
)
# Shorter queries share a trigram with too many titles for similarity to mean anything.
MIN_QUERY_LENGTH_FOR_TRIGRAMS = 3
# At most this many full-text matches, and this many nearest titles, are ranked per type.
MAX_CANDIDATES = 200
MAX_TITLE_CANDIDATES = 50
# "Did you mean" on a search that found nothing: names of these models, with the field holding the name.
SUGGESTION_FIELDS = ((Film, "title"), (Character, "name"), (Person, "name"), (Organization, "name"), (Location, "name"))
# How close (difflib's ratio) the query must be to a whole name, or to one word of it, to be suggested.
SUGGESTION_CUTOFF = 0.75
# PostgreSQL: the names per model nearest the query by trigrams (GIN index), which difflib then judges.
SUGGESTION_CANDIDATES = 20
# Word similarity a name needs to be a candidate. The search itself already took every title at
# PostgreSQL's default (0.6) and found none; at 0.5 a short word with a letter missing ("wik" for
# "Wick") gets through.
SUGGESTION_WORD_SIMILARITY = 0.5
# Elsewhere (SQLite, no trigrams): names read per model, in primary-key order, bounding the cost.
SUGGESTION_POOL = 2000


@dataclass(frozen=True)
class SearchType:
    name: str  # the type as clients see it: "film", "character", ...
    label: str  # plural heading on the search page
    model: type
    title_field: str
    text_fields: tuple
    # The lookup from a record to the franchise its hit names: "franchise", "film__franchise", or None for
    # records of no franchise. A franchise's own hits name the franchise itself.
    franchise_path: str | None = None


SEARCH_TYPES = (
    SearchType("franchise", "Franchises", Franchise, "name", ("summary",)),
    SearchType("film", "Films", Film, "title", ("synopsis",), "franchise"),
    SearchType("character", "Characters", Character, "name", ("summary",), "franchise"),
    SearchType("person", "People", Person, "name", ("summary",)),
    SearchType("location", "Locations", Location, "name", ("summary",), "franchise"),
    SearchType("organization", "Organizations", Organization, "name", ("summary",), "franchise"),
    SearchType(
        "productionnote", "Production notes", ProductionNote, "headline", ("summary", "quote"), "film__franchise"
    ),
    SearchType("source", "Sources", Source, "title", ("summary", "publisher")),
)
MAX_TEXT_FIELDS = max(len(search_type.text_fields) for search_type in SEARCH_TYPES)


@dataclass(frozen=True)
class SearchHit:
    type: str
    title: str
    slug: str
    url: str
    snippet: str
    franchise: str | None
    rank: float
    updated_at: datetime  # the record's, for the API's Last-Modified


def normalise(query):
    """Collapse whitespace and cap the length, so hostile input cannot make a pathological query."""
    return " ".join((query or "").replace("\x00", " ").split())[:MAX_QUERY_LENGTH]


def words(query):
    """The query's words, lower-cased: letters and digits only, so no tsquery syntax can get through."""
    found = re.findall(r"[^\W_]+", query.lower())[:MAX_QUERY_WORDS]
    meaningful = [word for word in found if word not in STOP_WORDS]
    return meaningful or found


def _needles(query):
    """What a hit's snippet looks for: the query, then each of its words, lower-cased. Made once per search."""
    return [word for word in (query.lower(), *words(query)) if word]


def snippet(text, query, width=160, needles=None):
    """The part of `text` around the first match of `query` (or of one of its words), or its start.

    `needles` is `_needles(query)`, for a caller that has it already.
    """
    text = " ".join((text or "").split())
    if len(text) <= width:
        return text
    lowered = text.lower()
    at = next((found for needle in needles or _needles(query) if (found := lowered.find(needle)) >= 0), -1)
    if at < 0:
        return text[:width] + "…"
    start = max(0, at - width // 3)
    return ("…" if start else "") + text[start : start + width] + ("…" if start + width < len(text) else "")


def _franchise_name(search_type, record):
    if search_type.model is Franchise:
        return record.name
    if search_type.franchise_path is None:
        return None
    return operator.attrgetter(search_type.franchise_path.replace("__", "."))(record).name


def _queryset(search_type):
    qs = search_type.model.objects.all()
    return qs.select_related(search_type.franchise_path) if search_type.franchise_path else qs


def _hit(search_type, query, needles, rank, title, slug, updated_at, franchise, *texts):
    """A hit from the record's title, slug, update time, franchise name and text fields (in that type's order)."""
    matching = next((text for text in (title, *texts) if any(word in (text or "").lower() for word in needles)), title)
    return SearchHit(
        type=search_type.name,
        title=title,
        slug=slug,
        url=page_path(search_type.model, slug),
        snippet=snippet(matching, query, needles=needles),
        franchise=franchise,
        rank=float(rank),
        updated_at=updated_at,
    )


def _portable_hits(search_type, query, limit):
    title = search_type.title_field
    fields = (title, *search_type.text_fields, *(["aliases"] if search_type.model is Character else []))
    condition = Q()
    for term in words(query) or [query]:  # every word, each in any of the fields
        condition &= reduce(operator.or_, (Q(**{f"{field}__icontains": term}) for field in fields))
    rank = Case(
        When(**{f"{title}__iexact": query}, then=Value(1.0)),
        When(**{f"{title}__istartswith": query}, then=Value(0.8)),
        When(**{f"{title}__icontains": query}, then=Value(0.6)),
        default=Value(0.3),
        output_field=FloatField(),
    )
    records = _queryset(search_type).filter(condition).annotate(search_rank=rank)
    needles = _needles(query)
    return [
        _hit(
            search_type,
            query,
            needles,
            record.search_rank,
            getattr(record, title),
            record.slug,
            record.updated_at,
            _franchise_name(search_type, record),
            *(getattr(record, field) for field in search_type.text_fields),
        )
        for record in records.order_by("-search_rank", title, "pk")[:limit]
    ]


def _tsquery_sql(word_count):
    """Every word matched stemmed or as typed: (w1:* | w1':*) & (w2:* | ...), with the words as parameters.

    Words of two letters or more match as prefixes (type-ahead); a single letter only as itself, since
    as a prefix it would match nearly every row. `words()` lets only letters and digits through, so no
    tsquery syntax reaches to_tsquery.
    """
    return " && ".join(
        f"(to_tsquery('simple', %(word{i})s) || to_tsquery('english', %(word{i})s))" for i in range(word_count)
    )


def _ranked_sql(search_type, tsquery, trigrams, nearest_titles=False):
    """The best `limit` rows of one type, with what a hit shows: (type, rank, title, slug, updated_at,
    franchise name, text fields), so no second query loads the records.

    Only candidates are ranked: at most MAX_CANDIDATES full-text matches (GIN index on the stored
    `search_document`), so a query as common as "the" costs no more than a rare one; or, with
    `nearest_titles` (the second pass, when nothing matched as typed), the MAX_TITLE_CANDIDATES titles
    nearest the query by trigrams (GIN trigram index), so misspelt titles are found. Rank: ts_rank
    (titles weigh A, text B), a bonus for an exact title or one it begins, and with trigrams, how close a
    title word (and the whole title) is to the query.
    """
    table = search_type.model._meta.db_table
    title = search_type.model._meta.get_field(search_type.title_field).column
    # Identifiers come from the models and the query's words and text are parameters: nothing user-typed
    # is ever formatted into the SQL.
    if nearest_titles:
        candidates = (
            f"(SELECT id FROM {table} WHERE {title} %%> %(query)s "  # noqa: S608  # nosec B608
            f"ORDER BY %(query)s <<-> {title}, id LIMIT {MAX_TITLE_CANDIDATES})"
        )
    else:
        candidates = f"(SELECT id FROM {table} WHERE search_document @@ ({tsquery}) LIMIT {MAX_CANDIDATES})"  # noqa: S608  # nosec B608
    rank = (
        f"ts_rank(d.search_document, {tsquery}) + CASE WHEN lower(d.{title}) = lower(%(query)s) THEN 1.0 "
        f"WHEN starts_with(lower(d.{title}), lower(%(query)s)) THEN 0.3 ELSE 0.0 END"
    )
    if trigrams:
        rank += f" + word_similarity(%(query)s, d.{title}) * 0.5 + similarity(d.{title}, %(query)s) * 0.2"
    texts = [f"d.{search_type.model._meta.get_field(field).column}::text" for field in search_type.text_fields]
    texts += ["NULL::text"] * (MAX_TEXT_FIELDS - len(texts))
    shown = ", ".join((f"d.{title}::text", "d.slug::text", "d.updated_at", _franchise_name_sql(search_type), *texts))
    return (
        f"(SELECT '{search_type.name}'::text AS type, {rank} AS rank, {shown} FROM {table} d "  # noqa: S608  # nosec B608
        f"WHERE d.id = ANY(ARRAY({candidates})) ORDER BY rank DESC, d.{title}, d.id LIMIT %(limit)s)"
    )


@lru_cache(maxsize=256)
def _ranking_sql(search_types, word_count, trigrams, nearest_titles):
    """The whole ranking query for a tuple of types and a number of words. Requests ask for the same few
    again and again: each is built once per process."""
    tsquery = _tsquery_sql(word_count)
    return " UNION ALL ".join(_ranked_sql(t, tsquery, trigrams, nearest_titles) for t in search_types)


def _franchise_name_sql(search_type):
    """The name of the franchise a row `d` of this type belongs to (its `franchise_path`), as SQL."""
    model, path, franchises = search_type.model, search_type.franchise_path, Franchise._meta.db_table
    if model is Franchise:
        return "d.name::text"
    if path is None:
        return "NULL::text"
    if path == "franchise":
        column = model._meta.get_field("franchise").column
        return f"(SELECT f.name::text FROM {franchises} f WHERE f.id = d.{column})"  # noqa: S608  # nosec B608
    if path == "film__franchise":
        film_column, films = model._meta.get_field("film").column, Film._meta.db_table
        return (
            f"(SELECT f.name::text FROM {films} fi JOIN {franchises} f ON f.id = fi.franchise_id "  # noqa: S608  # nosec B608
            f"WHERE fi.id = d.{film_column})"
        )
    raise ValueError(f"no SQL for the franchise path {path!r} of search type {search_type.name!r}")


def _postgres_search(search_types, query, limit):
    """One query ranks every type and returns what each hit shows (raw SQL: the equivalent ORM expressions
    cost four times the CPU to build; prepared once per connection, since planning it cost more than
    running it). Loading the hits as model instances took three more queries for a typical search, and
    more of its time than the ranking itself.

    The ranking query first takes only full-text matches. Only when nothing matches does it run again
    with the titles nearest the query by trigrams as the candidates, for misspellings: a query with
    full-text matches would rarely gain from them, and the nearest-title search costs more than the
    full-text match (with GiST indexes it was nine tenths of the ranking query's cost).
    """
    terms = words(query)
    if not terms:
        return []
    trigrams = len(query) >= MIN_QUERY_LENGTH_FOR_TRIGRAMS
    params = {f"word{i}": f"{word}:*" if len(word) > 1 else word for i, word in enumerate(terms)}
    params.update(query=query, limit=limit)
    types = {**dict.fromkeys(params, "text"), "limit": "integer"}
    connection = connections[router.db_for_read(search_types[0].model)]
    with connection.cursor() as cursor:
        for nearest_titles in (False, True) if trigrams else (False,):
            sql = _ranking_sql(tuple(search_types), len(terms), trigrams, nearest_titles)
            name = "lore_search_nearest" if nearest_titles else "lore_search"
            execute_prepared(cursor, name, sql, params, types)
            ranked = cursor.fetchall()
            if ranked:
                break
    by_name = {search_type.name: search_type for search_type in search_types}
    needles = _needles(query)
    return [_hit(by_name[type_name], query, needles, *shown) for type_name, *shown in ranked]


def search(query, *, types=None, limit_per_type=20):
    """Ranked hits for `query` across the given type names (all types by default)."""
    query = normalise(query)
    if not query:
        return []
    search_types = [search_type for search_type in SEARCH_TYPES if not types or search_type.name in types]
    if not search_types:
        return []
    if connections[router.db_for_read(search_types[0].model)].vendor == "postgresql":
        hits = _postgres_search(search_types, query, limit_per_type)
    else:
        hits = [hit for search_type in search_types for hit in _portable_hits(search_type, query, limit_per_type)]
    hits.sort(key=lambda hit: (-hit.rank, hit.type, hit.title))
    return hits


def _nearest_names_sql():
    """Per suggestion model, the SUGGESTION_CANDIDATES names nearest %(query)s: a name whose words hold
    most of the query's trigrams (`<%`, at the word-similarity threshold the caller sets) or which shares
    enough trigrams with it as a whole (`%`). Rows: (model index, closeness, id, name, slug)."""
    selects = []
    for index, (model, field) in enumerate(SUGGESTION_FIELDS):
        table, column = model._meta.db_table, model._meta.get_field(field).column
        closeness = f"greatest(word_similarity(%(query)s, {column}), similarity({column}, %(query)s))"
        selects.append(
            f"(SELECT {index} AS model, {closeness} AS closeness, id, {column}::text, slug::text "  # noqa: S608  # nosec B608
            f"FROM {table} WHERE %(query)s <%% {column} OR {column} %% %(query)s "
            f"ORDER BY closeness DESC, id LIMIT {SUGGESTION_CANDIDATES})"
        )
    return " UNION ALL ".join(selects)


def _nearest_names(connection, query):
    """(name, model, slug) of the names nearest `query` by trigrams, model by model, nearest first."""
    for attempt in range(2):
        try:
            with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                # SET LOCAL ends with the transaction, so search's own trigram pass keeps the default. (Inside
                # a caller's transaction it lasts until that one ends: only tests search inside one. Rolling
                # back instead would also undo the generic-plan setting execute_prepared relies on.)
                cursor.execute("SET LOCAL pg_trgm.word_similarity_threshold = %s", [SUGGESTION_WORD_SIMILARITY])
                execute_prepared(cursor, "lore_suggest", _nearest_names_sql(), {"query": query}, {"query": "text"})
                rows = cursor.fetchall()
            break
        except DatabaseError:
            # Inside a transaction a session that lost its prepared statements cannot prepare them again
            # (execute_prepared has forgotten them by now): the second attempt, in a new block, does.
            if attempt:
                raise
    rows.sort(key=lambda row: (row[0], -row[1], row[2]))
    return [(name, SUGGESTION_FIELDS[index][0], slug) for index, _, _, name, slug in rows]


def _first_names():
    """(name, model, slug) of the first SUGGESTION_POOL names of each suggestion model."""
    return [
        (name, model, slug)
        for model, field in SUGGESTION_FIELDS
        for name, slug in model.objects.order_by("pk").values_list(field, "slug")[:SUGGESTION_POOL]
    ]


def suggestions(query, limit=3):
    """(name, page path) of the records whose names are spelled closest to `query`, for a search that
    found nothing: at most `limit`, closest first, none when nothing is close.

    On PostgreSQL trigram indexes pick a few candidates from every name; elsewhere the first names of
    each model are read. Either way difflib judges them against the whole name and against each word.
    """
    query = normalise(query)
    if not query:
        return []
    connection = connections[router.db_for_read(SUGGESTION_FIELDS[0][0])]
    records = _nearest_names(connection, query) if connection.vendor == "postgresql" else _first_names()
    candidates = {}
    for record in records:
        name = record[0].lower()
        for key in (name, *name.split()):
            candidates.setdefault(key, record)
    matches = difflib.get_close_matches(query.lower(), list(candidates), n=limit * 3, cutoff=SUGGESTION_CUTOFF)
    # Addresses only for the few suggested: building one for each name read was most of the cost.
    found = list(dict.fromkeys(candidates[key] for key in matches))[:limit]
    return [(name, page_path(model, slug)) for name, model, slug in found]
