"""with_lists(): what a record's detail lists beside it, read in one query per list instead of prefetched."""

import pytest

from lore.models import Character, Film, Franchise, Location, Organization, Person, ProductionNote, Source
from lore.querysets import (
    _PLACEHOLDER_PK,
    PREFETCHED_CITATIONS,
    _filtered_once,
    _of_record,
    detail_lists,
    prebuilt,
    with_lists,
)

# For each model: each list's attribute and the relation Django would have prefetched into it.
RELATIONS = {
    Film: {
        "listed_credits": "credits",
        "listed_appearances": "appearances",
        "listed_locations": "locations",
        "listed_organizations": "organizations",
        "listed_notes": "production_notes",
        "listed_spinoffs": "spinoffs",
        PREFETCHED_CITATIONS: "citations",
    },
    Character: {
        "listed_organizations": "organizations",
        "listed_appearances": "appearances",
        "listed_credits": "credits",
        PREFETCHED_CITATIONS: "citations",
    },
    Person: {"listed_credits": "credits", "listed_notes": "production_notes", PREFETCHED_CITATIONS: "citations"},
    Location: {"listed_films": "films", "listed_children": "children", PREFETCHED_CITATIONS: "citations"},
    Organization: {"listed_members": "members", "listed_films": "films", PREFETCHED_CITATIONS: "citations"},
    Source: {"listed_citations": "citations", "listed_notes": "production_notes", "listed_relayed_by": "relayed_by"},
}


def detail(model, record):
    return with_lists(prebuilt(model, "for_detail").get(pk=record.pk), detail_lists(model))


@pytest.mark.parametrize("model", RELATIONS, ids=lambda model: model.__name__)
def test_every_list_holds_what_its_relation_holds_in_one_query_each(
    read_only_john_wick, model, django_assert_num_queries
):
    lists = detail_lists(model)
    assert {listed.to_attr for listed in lists} == set(RELATIONS[model])
    shown = 0
    for record in model.objects.all():
        with django_assert_num_queries(1 + len(lists)):
            loaded = detail(model, record)
        for to_attr, relation in RELATIONS[model].items():
            rows = getattr(loaded, to_attr)
            assert sorted(row.pk for row in rows) == sorted(getattr(record, relation).values_list("pk", flat=True))
            shown += len(rows)
    assert shown  # the fixture gives every model's lists something to hold


def test_a_film_s_lists_come_in_the_order_its_page_shows_them(read_only_john_wick):
    film = detail(Film, Film.objects.get(slug="john-wick-2014"))
    billing = [(credit.billing, credit.person.name, credit.role) for credit in film.listed_credits]
    assert billing == sorted(billing) and len(billing) > 5
    types = [(appearance.type, appearance.character.name) for appearance in film.listed_appearances]
    assert types == sorted(types) and len(types) > 5
    assert [place.name for place in film.listed_locations] == sorted(place.name for place in film.listed_locations)
    dates = [note.occurred_on for note in film.listed_notes]
    assert None not in dates and dates == sorted(dates)


def test_each_row_points_back_at_the_record_without_a_query(read_only_john_wick, django_assert_num_queries):
    film = detail(Film, Film.objects.get(slug="john-wick-2014"))
    with django_assert_num_queries(0):
        assert {credit.film for credit in film.listed_credits} == {film}
        assert all(credit.film is film for credit in film.listed_credits)
        assert all(note.film is film for note in film.listed_notes)
        assert all(citation.film is film for citation in film.references)
    spinoff = Film.objects.get(slug="ballerina")
    parent = detail(Film, spinoff.spun_off_from)
    with django_assert_num_queries(0):
        assert [film.spun_off_from for film in parent.listed_spinoffs] == [parent]


def test_the_lists_are_built_once_per_process_and_most_models_have_none():
    # Built once, the lists' QuerySets keep their expressions between requests: the compiled SQL of their
    # shapes is then reused (lore/postgresql/compiler.py).
    assert detail_lists(Film) is detail_lists(Film)
    assert detail_lists(Film)[0].queryset is detail_lists(Film)[0].queryset
    assert detail_lists(Franchise) == () and detail_lists(ProductionNote) == ()


def test_a_list_reads_the_rows_as_they_are_now(john_wick):
    film = Film.objects.get(slug="john-wick-2014")
    before = len(detail(Film, film).listed_locations)
    film.locations.add(Location.objects.exclude(films=film).first())
    assert len(detail(Film, film).listed_locations) == before + 1


@pytest.mark.parametrize("model", RELATIONS, ids=lambda model: model.__name__)
def test_each_list_is_the_query_filter_would_build_from_one_built_once(read_only_john_wick, model):
    """_of_record() copies a QuerySet filtered once on a placeholder and puts the record's key in its
    condition: the SQL and values must be filter()'s, and the QuerySet built once must stay as it was."""
    records = list(model.objects.order_by("pk")[:2])
    for listed in detail_lists(model):
        built = _filtered_once(listed)
        assert built.lookup is not None, f"{listed.to_attr}: the condition was not found, filter() runs instead"
        for record in records:
            expected = listed.queryset.filter(**{listed.lookup: record.pk}).query.sql_with_params()
            assert _of_record(listed, built, record.pk).query.sql_with_params() == expected
        assert built.queryset.query.where.children[-1] is built.lookup
        assert built.lookup.rhs == _PLACEHOLDER_PK
