"""Small builders for test data. `make_world(size)` makes a franchise where every to-many relation has
`size` rows, so a query-count test run at two sizes shows any N+1."""

import datetime
import itertools

from lore.models import (
    Appearance,
    Character,
    Citation,
    Credit,
    Film,
    Franchise,
    Location,
    Organization,
    Person,
    ProductionNote,
    Source,
)

_counter = itertools.count(1)


def make_world(size, *, name=None):
    n = next(_counter)
    tag = f"w{n}"
    franchise = Franchise.objects.create(name=name or f"World {n}", slug=f"world-{n}", summary="A test world.")
    source = Source.objects.create(title=f"Source {tag}", slug=f"source-{tag}", published_on=datetime.date(2020, 1, 1))
    Citation.objects.create(source=source, franchise=franchise, claim="Exists.")
    orgs = [
        Organization.objects.create(franchise=franchise, name=f"Org {tag}-{i}", slug=f"org-{tag}-{i}")
        for i in range(size)
    ]
    films, people, characters = [], [], []
    for i in range(size):
        film = Film.objects.create(
            franchise=franchise,
            title=f"Film {tag}-{i}",
            slug=f"film-{tag}-{i}",
            status=Film.Status.RELEASED,
            release_date=datetime.date(2000 + i, 1, 1),
            release_order=i + 1,
        )
        films.append(film)
        people.append(Person.objects.create(name=f"Person {tag}-{i}", slug=f"person-{tag}-{i}"))
        character = Character.objects.create(
            franchise=franchise, name=f"Character {tag}-{i}", slug=f"character-{tag}-{i}", aliases=[f"Alias {i}"]
        )
        character.organizations.set(orgs)
        characters.append(character)
        location = Location.objects.create(
            franchise=franchise, name=f"Place {tag}-{i}", slug=f"place-{tag}-{i}", kind=Location.Kind.CITY
        )
        Citation.objects.create(source=source, film=film)
        Citation.objects.create(source=source, character=character)
        Citation.objects.create(source=source, person=people[-1])
        Citation.objects.create(source=source, location=location)
    for film in films:
        film.locations.set(Location.objects.filter(franchise=franchise))
        film.organizations.set(orgs)
        for i, (person, character) in enumerate(zip(people, characters, strict=True)):
            Credit.objects.create(film=film, person=person, role=Credit.Role.ACTOR, character=character, billing=i)
            Credit.objects.create(film=film, person=person, role=Credit.Role.PRODUCER, billing=50 + i)
            Appearance.objects.create(film=film, character=character, type=Appearance.Type.SUPPORTING)
            ProductionNote.objects.create(
                film=film,
                slug=f"note-{film.slug}-{i}",
                headline=f"Note {i} on {film.title}",
                speaker=person,
                topic=ProductionNote.Topic.STORY,
                summary="Something said.",
                quote="Something.",
                source=source,
                occurred_on=datetime.date(2010, 1, 1),
            )
    return franchise


def make_films(count, *, name="Long Saga"):
    """A franchise with `count` released films, #1 to #count in release order, each with a dated note:
    enough rows to show whether a page that lists a franchise's films stays the same size."""
    slug = name.lower().replace(" ", "-")
    franchise = Franchise.objects.create(name=name, slug=slug)
    films = Film.objects.bulk_create(
        Film(
            franchise=franchise,
            title=f"{name} {i}",
            slug=f"{slug}-{i}",
            status=Film.Status.RELEASED,
            release_date=datetime.date(1900 + i, 1, 1),
            release_order=i,
        )
        for i in range(1, count + 1)
    )
    ProductionNote.objects.bulk_create(
        _dated_note(film, f"note-{film.slug}", f"Shooting {film.title}", film.release_date - datetime.timedelta(200))
        for film in films
    )
    return franchise


EVENTS_START = datetime.date(1800, 1, 1)


def add_dated_notes(film, count):
    """`count` more dated notes for `film`, "Event 1 of <title>" the oldest, all older than make_films' note."""
    ProductionNote.objects.bulk_create(
        _dated_note(film, f"{film.slug}-event-{i}", f"Event {i} of {film.title}", EVENTS_START + datetime.timedelta(i))
        for i in range(1, count + 1)
    )


def _dated_note(film, slug, headline, occurred_on):
    return ProductionNote(
        film=film,
        slug=slug,
        headline=headline,
        topic=ProductionNote.Topic.DEVELOPMENT,
        summary="It happened.",
        occurred_on=occurred_on,
    )
