"""prebuilt(): QuerySets built once per process, copied for each request, never their results."""

import pytest

from lore.models import Film, Franchise, Person
from lore.querysets import _built, prebuilt
from tests.factories import make_films

pytestmark = pytest.mark.django_db


def test_each_caller_gets_its_own_copy_of_one_build():
    before = _built.cache_info()
    first, second = prebuilt(Franchise, "with_latest_films", 3), prebuilt(Franchise, "with_latest_films", 3)
    assert first is not second and str(first.query) == str(second.query)
    assert _built.cache_info().hits >= before.hits + 1
    # each argument has its own build (the number of films is in the prefetch's query)
    other = prebuilt(Franchise, "with_latest_films", 4)._prefetch_related_lookups[0].queryset
    assert other is not first._prefetch_related_lookups[0].queryset


def test_filtering_ordering_or_slicing_a_copy_leaves_the_build_alone():
    original = str(prebuilt(Person, "for_list").query)
    narrowed = prebuilt(Person, "for_list").filter(name="Nobody").order_by("-name")[:2]
    assert '"lore_person"."name" = Nobody' in str(narrowed.query) and "Nobody" not in original
    assert str(prebuilt(Person, "for_list").query) == original


def test_a_copy_reads_the_rows_as_they_are_now_not_as_they_were_at_the_build():
    franchise = make_films(2, name="Short Saga")
    (shown,) = prebuilt(Franchise, "with_latest_films", 5).filter(pk=franchise.pk)
    assert [film.title for film in shown.latest_films] == ["Short Saga 1", "Short Saga 2"]
    assert shown.film_count == 2
    Film.objects.create(franchise=franchise, title="Short Saga 3", slug="short-saga-3", release_order=3)
    (shown,) = prebuilt(Franchise, "with_latest_films", 5).filter(pk=franchise.pk)
    assert [film.title for film in shown.latest_films] == ["Short Saga 1", "Short Saga 2", "Short Saga 3"]
    assert shown.film_count == 3
