import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from lore.models import (
    Appearance,
    Character,
    Citation,
    Credit,
    Film,
    Franchise,
    Location,
    Person,
    ProductionNote,
    Source,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def franchise():
    return Franchise.objects.create(name="Saga", slug="saga")


def _film(franchise, slug="first", **fields):
    return Film.objects.create(franchise=franchise, title=slug.title(), slug=slug, **fields)


def test_released_film_without_release_date_is_refused_by_the_database(franchise):
    with pytest.raises(IntegrityError), transaction.atomic():
        _film(franchise, status=Film.Status.RELEASED)


def test_released_film_without_release_date_fails_validation_with_a_message(franchise):
    film = Film(franchise=franchise, title="X", slug="x", status=Film.Status.RELEASED)
    with pytest.raises(ValidationError, match="A released film needs a release date"):
        film.full_clean()


def test_film_slugs_are_unique_across_franchises(franchise):
    other = Franchise.objects.create(name="Other", slug="other")
    _film(franchise, slug="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        _film(other, slug="same")


def test_spinoff_must_share_the_franchise_of_its_parent(franchise):
    parent = _film(franchise)
    other = Franchise.objects.create(name="Other", slug="other")
    spinoff = Film(franchise=other, title="Spin", slug="spin", kind=Film.Kind.SPINOFF, spun_off_from=parent)
    with pytest.raises(ValidationError) as error:
        spinoff.full_clean()
    assert "spun_off_from" in error.value.message_dict


def test_only_a_spinoff_can_name_what_it_spun_off_from(franchise):
    parent = _film(franchise)
    with pytest.raises(IntegrityError), transaction.atomic():
        _film(franchise, slug="second", kind=Film.Kind.MAIN, spun_off_from=parent)


def test_acting_credit_needs_a_character_and_crew_credit_cannot_have_one(franchise):
    film, person = _film(franchise), Person.objects.create(name="P", slug="p")
    character = Character.objects.create(franchise=franchise, name="C", slug="c")
    with pytest.raises(IntegrityError), transaction.atomic():
        Credit.objects.create(film=film, person=person, role=Credit.Role.ACTOR)
    with pytest.raises(IntegrityError), transaction.atomic():
        Credit.objects.create(film=film, person=person, role=Credit.Role.DIRECTOR, character=character)


def test_acting_credit_must_name_a_character_of_the_films_franchise(franchise):
    film, person = _film(franchise), Person.objects.create(name="P", slug="p")
    other = Franchise.objects.create(name="Other", slug="other")
    stranger = Character.objects.create(franchise=other, name="Stranger", slug="stranger")
    credit = Credit(film=film, person=person, role=Credit.Role.ACTOR, character=stranger)
    with pytest.raises(ValidationError, match="character of the film's franchise"):
        credit.full_clean()


def test_the_same_crew_credit_cannot_be_entered_twice(franchise):
    film, person = _film(franchise), Person.objects.create(name="P", slug="p")
    Credit.objects.create(film=film, person=person, role=Credit.Role.PRODUCER)
    with pytest.raises(IntegrityError), transaction.atomic():
        Credit.objects.create(film=film, person=person, role=Credit.Role.PRODUCER)


def test_a_quote_needs_a_speaker_and_a_source(franchise):
    film = _film(franchise)
    note = ProductionNote(film=film, slug="n", headline="H", topic="story", summary="S", quote="Said it.")
    with pytest.raises(ValidationError) as error:
        note.full_clean()
    assert set(error.value.message_dict) >= {"speaker", "source"}
    with pytest.raises(IntegrityError), transaction.atomic():
        note.save()


def test_a_citation_points_at_exactly_one_record(franchise):
    source = Source.objects.create(title="S", slug="s")
    film = _film(franchise)
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.create(source=source)
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.create(source=source, film=film, franchise=franchise)
    citation = Citation.objects.create(source=source, film=film)
    assert citation.target == film and citation.target_kind == "film"


def test_deleting_a_cited_source_or_record_is_refused(franchise):
    source = Source.objects.create(title="S", slug="s")
    film = _film(franchise)
    Citation.objects.create(source=source, film=film)
    with pytest.raises(ProtectedError):
        source.delete()
    with pytest.raises(ProtectedError):
        film.delete()


def test_location_cannot_be_its_own_ancestor(franchise):
    europe = Location.objects.create(franchise=franchise, name="Europe", slug="europe")
    paris = Location.objects.create(franchise=franchise, name="Paris", slug="paris", parent=europe)
    europe.parent = paris
    with pytest.raises(ValidationError, match="inside itself"):
        europe.full_clean()


def test_aliases_must_be_a_list_of_names(franchise):
    character = Character(franchise=franchise, name="C", slug="c", aliases="Baba Yaga")
    with pytest.raises(ValidationError, match="list"):
        character.full_clean()


@pytest.mark.parametrize(
    "model",
    [Franchise, Film, Person, Character, Location, Source, ProductionNote, Credit, Appearance, Citation],
)
def test_every_record_round_trips_through_its_natural_key(john_wick, model):
    for record in model.objects.all():
        assert model.objects.get_by_natural_key(*record.natural_key()) == record


def test_every_record_has_a_string_and_a_page(john_wick):
    for model in [Franchise, Film, Person, Character, Location, Source, ProductionNote, Credit, Appearance]:
        record = model.objects.first()
        assert str(record)
        assert record.get_absolute_url().startswith("/")


def test_saving_a_record_moves_its_updated_at(franchise):
    before = franchise.updated_at
    franchise.summary = "Changed."
    franchise.save(update_fields=["summary"])
    franchise.refresh_from_db()
    assert franchise.updated_at > before


def test_appearances_answer_who_is_in_a_film_and_where_a_character_appears(john_wick):
    in_ballerina = set(Character.objects.filter(appearances__film__slug="ballerina").values_list("slug", flat=True))
    assert {"eve-macarro", "john-wick", "winston"} <= in_ballerina
    wick_films = Film.objects.filter(appearances__character__slug="john-wick").values_list("slug", flat=True)
    assert set(wick_films) == {
        "john-wick-2014",
        "john-wick-chapter-2",
        "john-wick-chapter-3-parabellum",
        "john-wick-chapter-4",
        "ballerina",
    }
    assert datetime.date(2023, 3, 24) == Film.objects.get(slug="john-wick-chapter-4").release_date
