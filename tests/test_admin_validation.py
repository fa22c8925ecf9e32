"""Invalid edits through admin are refused with the rule's message on the form, and change nothing: not the
record, not its inline rows, not its history."""

import datetime

import pytest
from django.utils.html import escape

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
from tests.admin_helpers import add_inline_row, admin_url, error_messages, form_data, make_editor


@pytest.fixture
def saga(db):
    saga = Franchise.objects.create(name="Saga", slug="saga")
    other = Franchise.objects.create(name="Other", slug="other")
    film = Film.objects.create(franchise=saga, title="First", slug="first", release_order=1)
    return {
        "franchise": saga,
        "other": other,
        "film": film,
        "foreign_film": Film.objects.create(franchise=other, title="Elsewhere", slug="elsewhere"),
        "person": Person.objects.create(name="Pat Actor", slug="pat-actor"),
        "hero": Character.objects.create(franchise=saga, name="Hero", slug="hero"),
        "stranger": Character.objects.create(franchise=other, name="Stranger", slug="stranger"),
        "source": Source.objects.create(title="Interview", slug="interview"),
    }


@pytest.fixture
def editor_client(client, db):
    client.force_login(make_editor())
    return client


def edit(client, model, record, **changes):
    """GET the record's change form, apply `changes` to what it would post, and POST it."""
    data = form_data(client.get(admin_url(model, "change", record.pk)))
    data.update(changes)
    return client.post(admin_url(model, "change", record.pk), data)


def add(client, model, **fields):
    data = form_data(client.get(admin_url(model, "add")))
    data.update(fields)
    return data, admin_url(model, "add")


def assert_refused(response, message):
    assert response.status_code == 200, "the form should be shown again, not saved"
    assert message in error_messages(response)
    assert escape(message) in response.content.decode()


def history_counts():
    return {model: model.history.count() for model in (Film, Credit, Appearance, ProductionNote, Citation, Character)}


def test_a_released_film_without_a_release_date_is_refused(editor_client, saga):
    before = history_counts()
    response = edit(editor_client, Film, saga["film"], status=Film.Status.RELEASED, release_date="")
    assert_refused(response, "A released film needs a release date.")
    assert Film.objects.get(pk=saga["film"].pk).status == Film.Status.ANNOUNCED
    assert history_counts() == before


def test_a_spinoff_of_a_film_of_another_franchise_is_refused(editor_client, saga):
    spinoff = Film.objects.create(franchise=saga["other"], title="Spin", slug="spin", kind=Film.Kind.SPINOFF)
    response = edit(editor_client, Film, spinoff, spun_off_from=saga["film"].pk)
    assert_refused(response, "A spinoff belongs to the franchise of the film it spun off from.")
    assert Film.objects.get(pk=spinoff.pk).spun_off_from is None


def test_only_a_spinoff_can_name_the_film_it_spun_off_from(editor_client, saga):
    second = Film.objects.create(franchise=saga["franchise"], title="Second", slug="second")
    response = edit(editor_client, Film, second, spun_off_from=saga["film"].pk)
    assert_refused(response, "Only a spinoff can name the film it spun off from.")
    assert Film.objects.get(pk=second.pk).spun_off_from is None


def test_a_duplicate_slug_is_refused(editor_client, saga):
    data, url = add(editor_client, Film, franchise=saga["franchise"].pk, title="Copy", slug="first")
    response = editor_client.post(url, data)
    assert_refused(response, "Film with this Slug already exists.")
    assert Film.objects.filter(slug="first").count() == 1


def test_an_acting_credit_naming_a_character_of_another_franchise_is_refused_in_the_film_form(editor_client, saga):
    film = saga["film"]
    data = form_data(editor_client.get(admin_url(Film, "change", film.pk)))
    add_inline_row(data, "credits", person=saga["person"].pk, role="actor", character=saga["stranger"].pk, billing=1)
    response = editor_client.post(admin_url(Film, "change", film.pk), data)
    assert_refused(response, "An acting credit must name a character of the film's franchise.")
    assert not Credit.objects.exists()


def test_an_acting_credit_naming_a_character_of_another_franchise_is_refused_when_adding_the_film(editor_client, saga):
    data, url = add(editor_client, Film, franchise=saga["franchise"].pk, title="New", slug="new")
    add_inline_row(data, "credits", person=saga["person"].pk, role="actor", character=saga["stranger"].pk, billing=1)
    response = editor_client.post(url, data)
    assert_refused(response, "An acting credit must name a character of the film's franchise.")
    assert not Film.objects.filter(slug="new").exists()
    assert not Credit.objects.exists()


def test_an_acting_credit_naming_a_character_of_another_franchise_is_refused_in_the_credit_form(editor_client, saga):
    data, url = add(
        editor_client,
        Credit,
        film=saga["film"].pk,
        person=saga["person"].pk,
        role="actor",
        character=saga["stranger"].pk,
        billing=1,
    )
    response = editor_client.post(url, data)
    assert_refused(response, "An acting credit must name a character of the film's franchise.")
    assert not Credit.objects.exists()


def test_an_acting_credit_without_a_character_is_refused(editor_client, saga):
    data = form_data(editor_client.get(admin_url(Film, "change", saga["film"].pk)))
    add_inline_row(data, "credits", person=saga["person"].pk, role="actor", billing=1)
    response = editor_client.post(admin_url(Film, "change", saga["film"].pk), data)
    assert_refused(response, "An acting credit must name the character played.")
    assert not Credit.objects.exists()


def test_the_same_crew_credit_twice_on_one_film_is_refused_not_a_server_error(editor_client, saga):
    film = saga["film"]
    Credit.objects.create(film=film, person=saga["person"], role=Credit.Role.DIRECTOR)
    data = form_data(editor_client.get(admin_url(Film, "change", film.pk)))
    add_inline_row(data, "credits", person=saga["person"].pk, role="director", billing=5)
    response = editor_client.post(admin_url(Film, "change", film.pk), data)
    assert_refused(response, "This person already has this credit on this film.")
    assert Credit.objects.count() == 1


def test_a_character_appearing_in_a_film_of_another_franchise_is_refused_in_the_character_form(editor_client, saga):
    hero = saga["hero"]
    data = form_data(editor_client.get(admin_url(Character, "change", hero.pk)))
    add_inline_row(data, "appearances", film=saga["foreign_film"].pk, type="main")
    response = editor_client.post(admin_url(Character, "change", hero.pk), data)
    assert_refused(response, "A character can only appear in films of its own franchise.")
    assert not Appearance.objects.exists()


def test_a_character_of_another_franchise_is_refused_when_adding_a_character_with_appearances(editor_client, saga):
    data, url = add(editor_client, Character, franchise=saga["other"].pk, name="Newcomer", slug="newcomer")
    add_inline_row(data, "appearances", film=saga["film"].pk, type="main")
    response = editor_client.post(url, data)
    assert_refused(response, "A character can only appear in films of its own franchise.")
    assert not Character.objects.filter(slug="newcomer").exists()


def test_the_same_appearance_twice_is_refused_when_adding_a_film(editor_client, saga):
    data, url = add(editor_client, Film, franchise=saga["franchise"].pk, title="New", slug="new")
    add_inline_row(data, "appearances", character=saga["hero"].pk, type="main")
    add_inline_row(data, "appearances", character=saga["hero"].pk, type="cameo")
    response = editor_client.post(url, data)
    assert_refused(response, "This character already has an appearance in this film.")
    assert not Film.objects.filter(slug="new").exists()


def test_moving_a_film_to_another_franchise_with_its_cast_is_refused(editor_client, saga):
    film = saga["film"]
    Credit.objects.create(film=film, person=saga["person"], role=Credit.Role.ACTOR, character=saga["hero"])
    response = edit(editor_client, Film, film, franchise=saga["other"].pk)
    assert_refused(response, "An acting credit must name a character of the film's franchise.")
    assert Film.objects.get(pk=film.pk).franchise == saga["franchise"]


def test_moving_a_character_credited_in_its_franchises_films_is_refused(editor_client, saga):
    hero = saga["hero"]
    Credit.objects.create(film=saga["film"], person=saga["person"], role=Credit.Role.ACTOR, character=hero)
    response = edit(editor_client, Character, hero, franchise=saga["other"].pk)
    assert_refused(
        response, "This character is credited in films of its current franchise: change those credits first."
    )
    assert Character.objects.get(pk=hero.pk).franchise == saga["franchise"]


def test_moving_a_film_away_from_its_spinoffs_franchise_is_refused(editor_client, saga):
    film = saga["film"]
    Film.objects.create(franchise=saga["franchise"], title="Spin", slug="spin", kind="spinoff", spun_off_from=film)
    response = edit(editor_client, Film, film, franchise=saga["other"].pk)
    assert_refused(response, "This film has spinoffs in its current franchise: move or unlink them first.")
    assert Film.objects.get(pk=film.pk).franchise == saga["franchise"]


def test_moving_a_place_away_from_the_franchise_of_the_places_inside_it_is_refused(editor_client, saga):
    city = Location.objects.create(franchise=saga["franchise"], name="City", slug="city")
    Location.objects.create(franchise=saga["franchise"], name="Hotel", slug="hotel", parent=city)
    response = edit(editor_client, Location, city, franchise=saga["other"].pk)
    assert_refused(response, "Places inside this one belong to its current franchise: move them first.")
    assert Location.objects.get(pk=city.pk).franchise == saga["franchise"]


def test_a_quote_without_speaker_or_source_is_refused_in_the_note_form(editor_client, saga):
    data, url = add(
        editor_client,
        ProductionNote,
        film=saga["film"].pk,
        slug="said",
        headline="Something was said",
        topic="story",
        summary="Someone said something.",
        quote="Words.",
        occurred_precision="year",
    )
    response = editor_client.post(url, data)
    assert_refused(response, "A quote needs a speaker: who said it?")
    assert_refused(response, "A quote needs a source: where was it said?")
    assert not ProductionNote.objects.exists()


def test_a_quote_without_a_source_is_refused_in_the_film_form(editor_client, saga):
    film = saga["film"]
    data = form_data(editor_client.get(admin_url(Film, "change", film.pk)))
    add_inline_row(
        data,
        "production_notes",
        slug="said",
        headline="Something was said",
        topic="story",
        summary="Someone said something.",
        quote="Words.",
        speaker=saga["person"].pk,
        occurred_precision="year",
    )
    response = editor_client.post(admin_url(Film, "change", film.pk), data)
    assert_refused(response, "A quote needs a source: where was it said?")
    assert not ProductionNote.objects.exists()


def test_a_citation_must_point_at_exactly_one_record(editor_client, saga):
    data, url = add(editor_client, Citation, source=saga["source"].pk, claim="Everything.")
    response = editor_client.post(url, data)
    assert_refused(response, "A citation must point at exactly one record.")
    data.update(film=saga["film"].pk, character=saga["hero"].pk)
    response = editor_client.post(url, data)
    assert_refused(response, "A citation must point at exactly one record.")
    assert not Citation.objects.exists()


def test_the_same_source_cited_twice_on_a_film_is_refused(editor_client, saga):
    film = saga["film"]
    Citation.objects.create(source=saga["source"], film=film)
    data = form_data(editor_client.get(admin_url(Film, "change", film.pk)))
    add_inline_row(data, "citations", source=saga["source"].pk, claim="Again.")
    response = editor_client.post(admin_url(Film, "change", film.pk), data)
    assert_refused(response, "This source already cites this record.")
    assert Citation.objects.count() == 1


def test_a_location_inside_itself_is_refused(editor_client, saga):
    city = Location.objects.create(franchise=saga["franchise"], name="City", slug="city")
    hotel = Location.objects.create(franchise=saga["franchise"], name="Hotel", slug="hotel", parent=city)
    response = edit(editor_client, Location, city, parent=hotel.pk)
    assert_refused(response, "A location cannot be inside itself.")
    assert Location.objects.get(pk=city.pk).parent is None


def test_a_valid_film_with_inline_rows_is_saved_when_adding_it(editor_client, saga):
    data, url = add(
        editor_client,
        Film,
        franchise=saga["franchise"].pk,
        title="Second",
        slug="second",
        status="released",
        release_date="2024-06-07",
    )
    add_inline_row(data, "credits", person=saga["person"].pk, role="actor", character=saga["hero"].pk, billing=1)
    add_inline_row(data, "credits", person=saga["person"].pk, role="director", billing=2)
    add_inline_row(data, "appearances", character=saga["hero"].pk, type="main")
    response = editor_client.post(url, data)
    assert response.status_code == 302, error_messages(response)
    film = Film.objects.get(slug="second")
    assert film.release_date == datetime.date(2024, 6, 7)
    assert sorted(film.credits.values_list("role", flat=True)) == ["actor", "director"]
    assert film.appearances.get().character == saga["hero"]


def test_a_record_and_its_citations_are_added_on_one_page(editor_client, saga):
    data, url = add(editor_client, Character, franchise=saga["franchise"].pk, name="Newcomer", slug="newcomer")
    add_inline_row(data, "citations", source=saga["source"].pk, claim="Introduced in the interview.")
    response = editor_client.post(url, data)
    assert response.status_code == 302, error_messages(response)
    citation = Citation.objects.get(character__slug="newcomer")
    assert (citation.source, citation.claim) == (saga["source"], "Introduced in the interview.")


def test_the_same_source_twice_on_a_new_record_is_refused_and_nothing_is_added(editor_client, saga):
    data, url = add(editor_client, Character, franchise=saga["franchise"].pk, name="Newcomer", slug="newcomer")
    add_inline_row(data, "citations", source=saga["source"].pk, claim="Once.")
    add_inline_row(data, "citations", source=saga["source"].pk, claim="Twice.")
    response = editor_client.post(url, data)
    assert_refused(response, "This source already cites this record.")
    assert not Character.objects.filter(slug="newcomer").exists()
    assert not Citation.objects.exists()
