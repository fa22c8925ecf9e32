"""Every query shape Lore uses, one named QuerySet method each, shared by the pages and the API.

Only these methods call select_related / prefetch_related or declare the lists a record's detail reads
(detail_lists(), read by with_lists()), so the number of SQL queries a page or an endpoint runs is fixed
here, whatever the number of rows.
"""

import functools
from datetime import date
from typing import NamedTuple

from django.core.exceptions import FieldDoesNotExist
from django.db import connections, models
from django.db.models import Count, Exists, F, Func, OuterRef, Prefetch, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.db.models.lookups import Lookup
from django.db.models.sql.where import AND

from lore.links import detail_path

# A franchise's films in the order they came out; films with no place yet last, by title.
RELEASE_ORDER = (F("release_order").asc(nulls_last=True), "title")

# Films a franchise's API detail embeds; the film list, filtered by franchise, pages through the rest.
FRANCHISE_DETAIL_FILMS = 100


def prebuilt(model, method, *args):
    """`model.objects.<method>(*args)`, built once per process and copied for each caller.

    Building a QuerySet resolves every annotation and prefetch it names: for the franchises with their
    counts and latest films (home, franchise page, timeline) that took 0.7-0.8 ms of a 7 ms page, and for
    the people or sources with their counts 0.2-0.4 ms, before migration 0009 stored those. A QuerySet
    only describes its query until it is evaluated, and .all() copies it in microseconds, as Django's
    generic views copy their `queryset` attribute for every request; the copy can be filtered, ordered
    and sliced like the original.
    """
    return _built(model, method, args).all()


@functools.cache
def _built(model, method, args):
    return getattr(model.objects, method)(*args)


def _model(name):
    # Late lookup: models.py imports this module to build its managers.
    from django.apps import apps

    return apps.get_model("lore", name)


# The attribute citations_prefetch() and references_list() fill on each record; CitedRecord.references reads it.
PREFETCHED_CITATIONS = "prefetched_citations"


def with_sources(citations):
    """Citations as every record's References show them: with their sources, by source title."""
    return citations.select_related("source").order_by("source__title")


def citations_prefetch():
    """The references of a record: its citations with their sources, in one query, as a list on each record.

    A plain list (to_attr) rather than the related manager's cache: filling that cache builds a QuerySet for
    every record, which was a twentieth of a 20-row API list's work.
    """
    return Prefetch("citations", queryset=with_sources(_model("Citation").objects.all()), to_attr=PREFETCHED_CITATIONS)


class Listed(NamedTuple):
    """A list that a record's detail shows beside the record: the rows of `queryset` whose field `lookup`
    ("film", "films") points at the record, kept as a plain list in the record's attribute `to_attr`."""

    to_attr: str
    lookup: str
    queryset: models.QuerySet


def references_list(field):
    """The Listed for a record's references, where `field` is Citation's foreign key to the record's model:
    what citations_prefetch() fetches, into the same attribute."""
    return Listed(PREFETCHED_CITATIONS, field, with_sources(_model("Citation").objects.all()))


def detail_lists(model):
    """The lists `model`'s detail reads with with_lists(): its QuerySet's detail_lists(), built once per
    process like prebuilt()'s, or none (its for_detail() prefetches what it shows)."""
    if not hasattr(model.objects, "detail_lists"):
        return ()
    return _built(model, "detail_lists", ())


def with_lists(record, lists):
    """`record` with each of `lists` read into its attribute, in one query each.

    What prefetch_related(Prefetch(relation, queryset, to_attr=...)) gives, for the one record of a detail,
    without Django's prefetch machinery, which is made for many records: it filters each query by the list
    of them (IN) and sorts every row out to its record. For the film detail's seven lists that took about
    0.8 of the 4.5 ms its queries cost in all (docs/PERFORMANCE.md). As a prefetch does, each row's foreign key to
    the record is set to it, so that reading it back (a credit's film) runs no query.
    """
    for listed in lists:
        filtered = _filtered_once(listed)
        rows = list(_of_record(listed, filtered, record.pk))
        if filtered.many_to_one:
            for row in rows:
                setattr(row, listed.lookup, record)
        setattr(record, listed.to_attr, rows)
    return record


class _Filtered(NamedTuple):
    queryset: models.QuerySet  # the list's QuerySet filtered on a placeholder
    lookup: Lookup | None  # its condition, the last of the WHERE clause; None if it could not be found
    many_to_one: bool


_PLACEHOLDER_PK = 0


@functools.lru_cache(maxsize=128)  # detail_lists() are built once per process: a few dozen Listed in all
def _filtered_once(listed):
    """`listed`'s QuerySet filtered by its lookup, built once per process: filter() resolves the lookup's
    field, its joins and its value's conversion anew on every call (a film detail's seven lists spent
    about 0.35 ms of the page there; the copies _of_record() makes instead cost a tenth of that)."""
    queryset = listed.queryset.filter(**{listed.lookup: _PLACEHOLDER_PK})
    where = queryset.query.where
    condition = where.children[-1] if where.children else None
    found = (
        isinstance(condition, Lookup)
        and condition.rhs == _PLACEHOLDER_PK
        and where.connector == AND
        and not where.negated
    )
    many_to_one = listed.queryset.model._meta.get_field(listed.lookup).many_to_one
    return _Filtered(queryset, condition if found else None, many_to_one)


def _of_record(listed, filtered, pk):
    """listed.queryset.filter(**{listed.lookup: pk}), from `filtered`, what _filtered_once(listed) built: a
    copy of its QuerySet with a new condition, of the same lookup on the same column, in place of the
    placeholder's. The copy's WHERE clause is a new node with a new list of children, so the one built once
    is never changed."""
    if filtered.lookup is None:
        return listed.queryset.filter(**{listed.lookup: pk})
    queryset = filtered.queryset.all()
    queryset.query.where.children[-1] = type(filtered.lookup)(filtered.lookup.lhs, pk)
    return queryset


def count_of(model_name, field, **filters):
    """A correlated COUNT subquery: cheaper than joining several to-many relations and counting.

    COUNT(*), not COUNT(id): PostgreSQL can then count from the foreign key's index alone (an index-only
    scan), where counting ids read every row: 6,000 characters of a franchise took 2.3 ms, now 0.5.
    """
    rows = (
        _model(model_name)
        .objects.filter(**{field: OuterRef("pk")}, **filters)
        .order_by()
        .values(field)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=models.IntegerField()), 0)


def latest_ids(queryset, partition_by, newest_first, limit, where=None):
    """RawSQL for the ids of the first `limit` rows of each `partition_by` group of `queryset`'s table, in
    the order of `newest_first` (pairs of a field name and "DESC" or "DESC NULLS FIRST"), optionally only
    the rows `where` gives (a function of the quoted column names returning a condition and its params).

    Written out rather than built from Django's Window and Subquery expressions, whose compiling cost more
    than the query: the latest notes of the timeline's films took half as many Python calls again as the
    page's reading of them; the ranking of each franchise's latest films, compiled again for every request
    inside a prefetch, 7% of the home page's instructions and 11% of a franchise page's. Every name comes
    from the model; the values are parameters.
    """
    meta, quote = queryset.model._meta, connections[queryset.db].ops.quote_name

    def column(name):
        return quote(meta.get_field(name).column)

    condition, params = where(column) if where else ("", [])
    order = ", ".join(f"{column(name)} {direction}" for name, direction in newest_first)
    rank = f"ROW_NUMBER() OVER (PARTITION BY {column(partition_by)} ORDER BY {order})"
    rows = f"{quote(meta.db_table)} WHERE {condition}" if condition else quote(meta.db_table)
    ranked = f"SELECT {column('id')}, {rank} AS rank_from_latest FROM {rows}"  # noqa: S608  # nosec B608
    latest = f"SELECT {column('id')} FROM ({ranked}) AS ranked WHERE rank_from_latest <= %s"  # noqa: S608  # nosec B608
    return RawSQL(latest, [*params, limit])  # noqa: S611 - built above from the model's names  # nosec B611


class InSubquery(Func):
    """`column IN (subquery)`, written `column = ANY(ARRAY(subquery))` on PostgreSQL.

    For `IN`, PostgreSQL plans the join before it knows how many ids the subquery gives, and guesses a third
    of the rows its filter reads: for the latest films of each franchise (24 of 2,000) it hashed every film.
    ARRAY() is computed first, like a constant, so the films are then fetched by their ids through the
    primary key: 2.6-3.8 ms -> 0.9-1.0 ms of execution at 200,000 records (docs/PERFORMANCE.md).
    """

    conditional = True
    output_field = models.BooleanField()
    template = "%(expressions)s"
    arg_joiner = " IN "

    def __init__(self, column, queryset):
        # A QuerySet (a set of ids: no order to keep), or a RawSQL such as latest_ids() writes.
        super().__init__(column, queryset if isinstance(queryset, RawSQL) else Subquery(queryset.order_by()))

    def as_postgresql(self, compiler, connection, **extra_context):
        # The subquery compiles with its own parentheses: "id = ANY(ARRAY(SELECT ...))".
        extra_context.update(arg_joiner=" = ANY(ARRAY", template="%(expressions)s)")
        return self.as_sql(compiler, connection, **extra_context)


def with_related(queryset, lookup, value):
    """The records of `queryset` with at least one related record where `lookup` ("credits__role") is `value`.

    Through a to-many relation, a plain filter joins, and lists a record once per match; DISTINCT then had
    to be computed over every matching row before a page could be taken (the people with an acting credit:
    800 ms at 200,000 records). This asks the related table for the matching keys instead, `pk IN (SELECT
    person_id FROM credit WHERE role = ...)`, which PostgreSQL reads as a semi-join beside the list's own
    index (1 ms), and which lists each record once without DISTINCT.
    """
    name, _, rest = lookup.partition("__")
    relation = queryset.model._meta.get_field(name)
    if relation.many_to_many:
        field = relation if relation.concrete else relation.field  # the ManyToManyField, from either side
        own, other = field.m2m_field_name(), field.m2m_reverse_field_name()
        if not relation.concrete:
            own, other = other, own
        through = field.remote_field.through
        keys = through._base_manager.filter(**{f"{other}__{rest}": value}).values(through._meta.get_field(own).attname)
    else:  # the "one" side of a foreign key
        keys = relation.related_model._base_manager.filter(**{rest: value}).values(relation.field.attname)
    return queryset.filter(pk__in=keys)


def _nullable(model, path):
    """Whether the field at `path` ("name", "film__title") can be NULL, through a nullable relation too."""
    for name in path.split("__"):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return False  # an annotation: every one a list orders by is a count, never NULL
        if field.null:
            return True
        model = field.related_model
    return False


def order_terms(model, terms):
    """order_by() arguments for a list's `terms` ("name", "-birth_date", "franchise__name"), pk last.

    - Records without a value come last in either direction, on every database; NULLS LAST is written only
      for nullable fields, because PostgreSQL cannot read an index backwards for "name DESC NULLS LAST".
    - The primary key completes the order, so pages never overlap or skip rows, in the direction of the
      last term, so that one index on (field, id) serves the list both ways.
    """
    expressions = []
    for term in terms:
        name = term.removeprefix("-")
        if name in ("pk", "id"):
            return [*expressions, term]  # already complete
        direction = F(name).desc if term.startswith("-") else F(name).asc
        expressions.append(direction(nulls_last=True) if _nullable(model, name) else direction())
    return [*expressions, "-pk" if terms and terms[-1].startswith("-") else "pk"]


class CitedQuerySet(models.QuerySet):
    """QuerySets of records that citations point at."""

    def with_references(self):
        """Also fetch each record's references, for lists that show them (the API's)."""
        return self.prefetch_related(citations_prefetch())


class FranchiseQuerySet(CitedQuerySet):
    def for_list(self):
        return self.with_film_count().annotate(character_count=count_of("Character", "franchise"))

    def with_film_count(self):
        return self.annotate(film_count=count_of("Film", "franchise"))

    def for_detail(self, films=FRANCHISE_DETAIL_FILMS):
        """One franchise for the API: its first `films` films in release order (the film list, filtered by
        franchise, pages through any more), so the response stays the same size however many it has."""
        first = _model("Film").objects.for_list().order_by(*RELEASE_ORDER, "pk")[:films]
        # A sliced prefetch must go to its own attribute (Django cannot filter the related manager's cache).
        return self.for_list().prefetch_related(
            Prefetch("films", queryset=first, to_attr="first_films"), citations_prefetch()
        )

    def with_latest_films(self, films):
        """for_list(), with each franchise's latest `films` films in release order as `latest_films` (one more
        query, whatever the number of franchises or films): the home page, the franchise page, the timeline.

        The films are not joined to their franchise, nor sorted by its name: the prefetch hands each film its
        franchise (the one listed, with its counts) and groups them by franchise itself. The join built a
        second franchise instance per film only for Django to keep it.
        """
        return self.for_list()._latest_films(films)

    def for_timeline(self, films):
        """The franchises that have films, each with its latest `films` films as `latest_films` and its
        film_count: the timeline's. It shows no character counts, and counting the 12,000 characters of the
        biggest franchise was most of PostgreSQL's work for the page. Built once per process by
        lore.querysets.prebuilt, like the others: building the EXISTS anew cost each request a compile."""
        return self.with_film_count()._latest_films(films).with_films()

    def _latest_films(self, films):
        latest = (
            _model("Film")
            .objects.select_related("spun_off_from")
            .latest_in_each_franchise(films)
            .order_by(*RELEASE_ORDER)
        )
        return self.prefetch_related(Prefetch("films", queryset=latest, to_attr="latest_films"))

    def with_films(self):
        """Only franchises that have at least one film (EXISTS, so each franchise once)."""
        return self.filter(Exists(_model("Film").objects.filter(franchise=OuterRef("pk"))))

    def for_page(self, films):
        """The franchise page: like for_detail, but only its latest `films` films, as `latest_films`."""
        return self.with_latest_films(films).prefetch_related(citations_prefetch())


class FilmQuerySet(CitedQuerySet):
    def for_list(self):
        return self.select_related("franchise", "spun_off_from")

    def in_release_order(self):
        return self.order_by("franchise__name", *RELEASE_ORDER)

    def latest_in_each_franchise(self, limit):
        """The last `limit` films of each franchise, in release order: pages that show a franchise's films stay
        the same size however many it has, in one query.

        Only ids are ranked, in a subquery the index film_newest_in_franchise_idx serves alone (0.5 ms for
        2,000 films on PostgreSQL); the films and their joins are then read for the few ranked first. Ranking
        the joined rows themselves sorted all 2,000 of them (7.5 ms). How many films a franchise has in all
        comes from Franchise.for_list()'s film_count: a count window here would rank every row again.
        """
        newest_first = (("release_order", "DESC NULLS FIRST"), ("title", "DESC"))
        ranked = latest_ids(self, "franchise", newest_first, limit)
        return self.filter(InSubquery(F("pk"), ranked)).in_release_order()

    def first_in_each_franchise(self, franchises):
        """The first film in release order of each of the first `franchises` franchises by name: where to start.

        Each franchise's first film is one step down the index film_newest_in_franchise_idx (read backwards);
        sorting every film by its franchise's name took 6 ms for 2,000 films on PostgreSQL.
        """
        first = self.model.objects.filter(franchise=OuterRef("pk")).order_by(*RELEASE_ORDER).values("pk")[:1]
        starts = _model("Franchise").objects.order_by("name", "pk").annotate(first_film=Subquery(first))
        return self.filter(pk__in=starts.values("first_film")[:franchises]).order_by("franchise__name", "pk")

    def for_detail(self):
        """A film for its page and its API detail. What they list beside it is read afterwards, by
        with_lists(detail_lists(Film)), one query each as a prefetch would, but cheaper for one film."""
        return self.for_list()

    def detail_lists(self):
        """The lists a film's page and API detail show: its credits, characters, places, organizations,
        production notes, spinoffs and references."""
        Credit, Appearance = _model("Credit"), _model("Appearance")
        return (
            Listed(
                "listed_credits",
                "film",
                Credit.objects.select_related("person", "character").order_by("billing", "person__name", "role"),
            ),
            Listed(
                "listed_appearances",
                "film",
                Appearance.objects.select_related("character").order_by("type", "character__name"),
            ),
            Listed("listed_locations", "films", _model("Location").objects.order_by("name")),
            Listed("listed_organizations", "films", _model("Organization").objects.order_by("name")),
            Listed(
                "listed_notes",
                "film",
                _model("ProductionNote").objects.select_related("speaker", "source").order_by("occurred_on", "slug"),
            ),
            Listed("listed_spinoffs", "spun_off_from", self.model.objects.order_by("release_order", "title")),
            references_list("film"),
        )


class PersonQuerySet(CitedQuerySet):
    def for_list(self):
        return self.all()  # credit_count is stored (migration 0009)

    def speakers(self):
        """People quoted or paraphrased in production notes, for the notes list's speaker filter."""
        return self.filter(pk__in=_model("ProductionNote").objects.values("speaker")).order_by("name")

    def for_detail(self):
        """A person for their page and API detail; with_lists() reads detail_lists() afterwards."""
        return self.all()

    def detail_lists(self):
        """A person's credits, the production notes that quote them, and their references."""
        return (
            Listed(
                "listed_credits",
                "person",
                _model("Credit")
                .objects.select_related("film", "character")
                .order_by(models.F("film__release_date").asc(nulls_last=True), "film__title", "role"),
            ),
            Listed(
                "listed_notes",
                "speaker",
                _model("ProductionNote").objects.select_related("film", "source").order_by("slug"),
            ),
            references_list("person"),
        )


class CharacterQuerySet(CitedQuerySet):
    def for_list(self):
        return self.select_related("franchise")

    def for_detail(self):
        """A character for its page and API detail; with_lists() reads detail_lists() afterwards."""
        return self.for_list()

    def detail_lists(self):
        """A character's organizations, films (appearances), who played it (credits) and references."""
        return (
            Listed("listed_organizations", "members", _model("Organization").objects.order_by("name")),
            Listed(
                "listed_appearances",
                "character",
                _model("Appearance")
                .objects.select_related("film")
                .order_by(models.F("film__release_order").asc(nulls_last=True), "film__title"),
            ),
            Listed(
                "listed_credits",
                "character",
                _model("Credit")
                .objects.select_related("person", "film")
                .order_by(models.F("film__release_order").asc(nulls_last=True), "person__name"),
            ),
            references_list("character"),
        )


class LocationQuerySet(CitedQuerySet):
    def for_list(self):
        return self.select_related("franchise", "parent")

    def for_detail(self):
        """A location for its page and API detail; with_lists() reads detail_lists() afterwards."""
        return self.for_list()

    def detail_lists(self):
        """A location's films, the places within it and its references."""
        return (
            Listed("listed_films", "locations", _model("Film").objects.order_by("release_order", "title")),
            Listed("listed_children", "parent", self.model.objects.order_by("name")),
            references_list("location"),
        )


class OrganizationQuerySet(CitedQuerySet):
    def for_list(self):
        return self.select_related("franchise")

    def for_detail(self):
        """An organization for its page and API detail; with_lists() reads detail_lists() afterwards."""
        return self.for_list()

    def detail_lists(self):
        """An organization's members, films and references."""
        return (
            Listed("listed_members", "organizations", _model("Character").objects.order_by("name")),
            Listed("listed_films", "organizations", _model("Film").objects.order_by("release_order", "title")),
            references_list("organization"),
        )


class CreditQuerySet(CitedQuerySet):
    def for_list(self):
        return self.select_related("film", "person", "character")

    def for_detail(self):
        return self.for_list().prefetch_related(citations_prefetch())


class AppearanceQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("film", "character")


class ProductionNoteQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("film", "speaker", "source")

    def for_detail(self):
        return self.for_list()

    def recent(self):
        """Notes in the order the timeline tells them, newest events first."""
        return self.for_list().order_by(models.F("occurred_on").desc(nulls_last=True), "slug")

    def milestones(self, films, per_film):
        """The dated notes of `films`, oldest first, as DatedNote rows: the development events the timeline
        draws. At most the latest `per_film` + 1 of each film, so the page stays the same size however many
        notes a film has; the one more tells the timeline which films have more than it shows.

        The notes are ranked per film by latest_ids(). Only the columns the timeline shows are read, with the
        speaker's name, into plain rows: each note's model instance and its speaker's were two fifths of the
        model instances the page built. Each note's film is taken from `films` rather than joined again.
        """
        films_by_pk = {film.pk: film for film in films}
        if not films_by_pk:
            return []

        def dated(column):
            films_in = ", ".join(["%s"] * len(films_by_pk))
            return f"{column('occurred_on')} IS NOT NULL AND {column('film')} IN ({films_in})", list(films_by_pk)

        latest = latest_ids(self, "film", (("occurred_on", "DESC"), ("slug", "DESC")), per_film + 1, dated)
        rows = (
            self.filter(pk__in=latest)
            .order_by("occurred_on", "slug")
            .values_list("pk", "film", "slug", "headline", "occurred_on", "occurred_precision", "speaker__name")
        )
        return [DatedNote(note_pk, films_by_pk[film_pk], *rest) for note_pk, film_pk, *rest in rows]


class DatedNote(NamedTuple):
    """A production note as the timeline shows it (ProductionNoteQuerySet.milestones)."""

    pk: int
    film: models.Model
    slug: str
    headline: str
    occurred_on: date
    occurred_precision: str
    speaker_name: str | None

    @property
    def film_id(self):
        return self.film.pk

    def get_absolute_url(self):
        return detail_path("lore:productionnote-detail", self.slug)


class SourceQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("relays")  # citation_count is stored (migration 0009)

    def for_detail(self):
        """A source for its page and API detail; with_lists() reads detail_lists() afterwards."""
        return self.for_list()

    def detail_lists(self):
        """The citations of a source, with the records they point at, its production notes, and the sources
        that report on it."""
        targets = ["franchise", "film", "person", "character", "location", "organization"]
        return (
            Listed(
                "listed_citations",
                "source",
                _model("Citation")
                .objects.select_related(
                    *targets,
                    "credit__film",
                    "credit__person",
                    "credit__character",
                    "appearance__film",
                    "appearance__character",
                )
                .order_by("id"),
            ),
            Listed(
                "listed_notes",
                "source",
                _model("ProductionNote").objects.select_related("film", "speaker").order_by("slug"),
            ),
            Listed("listed_relayed_by", "relays", self.model.objects.order_by("title")),
        )


class CitationQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related(
            "source", "franchise", "film", "person", "character", "location", "organization", "credit", "appearance"
        )
