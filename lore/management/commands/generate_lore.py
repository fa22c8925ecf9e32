"""Build a synthetic franchise of about N lore records, for load tests and benchmarks."""

import datetime
import random
import re
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.text import slugify

from lore.caching import bump_generation
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

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_RELEASE_ORDER = 32767  # PositiveSmallIntegerField
MAX_CHRONOLOGY = 9999  # DecimalField(max_digits=6, decimal_places=2)

# Share of the N records each type gets, from the shape of the real franchise scaled up: a film has
# about 30 credits and 15 appearances, and most facts carry a citation.
SHARES = {
    "films": 0.01,
    "people": 0.06,
    "characters": 0.06,
    "locations": 0.02,
    "organizations": 0.005,
    "sources": 0.01,
    "notes": 0.04,
    "credits": 0.30,
    "appearances": 0.15,
}
CREW_ROLES = (
    [Credit.Role.DIRECTOR]
    + [Credit.Role.WRITER] * 2
    + [Credit.Role.PRODUCER] * 3
    + [Credit.Role.EXECUTIVE_PRODUCER] * 3
    + [Credit.Role.CINEMATOGRAPHER, Credit.Role.COMPOSER]
    + [Credit.Role.EDITOR] * 2
    + [Credit.Role.STUNT_COORDINATOR] * 3
)


def _words(text):
    return tuple(text.split())


FIRST_NAMES = _words(
    "Adrian Alma Anton Ava Bruno Camila Cassian Dara Dmitri Elena Emil Esme Felix Freya Gideon Greta Hugo Ilse "
    "Ines Ivan Jonah Kaito Katya Leon Lidia Luca Mara Marek Mila Nadia Nico Nora Oskar Petra Quinn Rafael Rosa "
    "Ruben Sasha Selma Silas Sofia Tariq Tessa Theo Uma Vera Viktor Wren Yara Yusuf Zara Zeno"
)
SURNAME_STARTS = _words("Vor Kal Mar Bel Dra Sev Lin Oro Tal Ves Kas Mor Ari Zan Cor Fen Hal Ren Sol Tor Yar Gra Nik")
SURNAME_ENDS = _words("ov ski ez ani ova son berg etti ard enko ic ura ins ley wood mont ssi quist ane ero")
PLACE_STARTS = _words("Val Mor Kes Ast Bri Cal Dun Esk Fal Gor Hav Isk Kor Lum Nar Orv Pra Ros Sar Tev Ulm Vel Zar")
PLACE_ENDS = _words("oria grad haven mouth ville stad burg ona ara heim port ica ovo enza ford")
ADJECTIVES = _words(
    "Crimson Silent Iron Gilded Hollow Black Pale Broken Last Velvet Ashen Scarlet Quiet Burning Frozen "
    "Sworn Golden Grey Midnight Shattered Hidden Eternal Bitter Sacred"
)
NOUNS = _words(
    "Accord Oath Marker Debt Sanction Covenant Requiem Vendetta Ledger Tribunal Crown Blade Wolf Raven "
    "Serpent Dancer Ghost Harbinger Exile Sentinel Reckoning Bargain Protocol Parable"
)
ORG_NOUNS = _words("Table Guild Syndicate Brotherhood Camorra Directorate Circle Assembly Order Consortium Court")
EPITHETS = _words("Adjudicator Marquis Elder Tracker Harbinger Broker Concierge Sommelier Cartographer Archivist")
OUTLETS = ("Screen Ledger", "Reel Report", "The Cutting Room", "Frame Weekly", "Stunt Quarterly", "Premiere Daily")
VERBS = _words("guards hunts betrays protects serves defies owes avenges shelters trains")
TOPIC_HEADLINES = {
    ProductionNote.Topic.SETTING: "The {adj} look of {place}",
    ProductionNote.Topic.STORY: "How {character} changed in rewrites",
    ProductionNote.Topic.DEVELOPMENT: "The long road to {film}",
    ProductionNote.Topic.ACTION: "Staging the {place} fight",
    ProductionNote.Topic.CONTINUITY: "Where {film} sits in the timeline",
    ProductionNote.Topic.RELEASE: "{film} opens in cinemas",
}


def plan(size):
    """How many rows of each type make about `size` records; citations take what the others leave."""
    counts = {name: max(1, round(size * share)) for name, share in SHARES.items()}
    counts["films"] = max(2, counts["films"])
    counts["characters"] = max(2, counts["characters"])
    counts["people"] = max(2 * len(CREW_ROLES), counts["people"])
    counts["citations"] = max(1, size - sum(counts.values()) - 1)  # - 1: the franchise itself
    return counts


@dataclass
class Ids:
    """Primary keys of what has been created so far, for the rows that point at it."""

    franchise: int = 0
    sources: list = field(default_factory=list)
    actors: list = field(default_factory=list)
    crew: list = field(default_factory=list)
    organizations: list = field(default_factory=list)
    locations: list = field(default_factory=list)
    films: list = field(default_factory=list)
    characters: list = field(default_factory=list)
    credits: list = field(default_factory=list)
    appearances: list = field(default_factory=list)


class Progress:
    """A progress bar on stderr: redrawn in place on a terminal, one line per stage otherwise."""

    def __init__(self, stream, total, enabled):
        self.stream, self.total, self.enabled = stream, total, enabled
        self.done, self.started = 0, time.monotonic()
        self.tty = enabled and stream.isatty()

    def advance(self, rows, label):
        self.done += rows
        if self.tty:
            filled = int(30 * min(1, self.done / self.total))
            bar = "#" * filled + "." * (30 - filled)
            self.stream.write(f"\r[{bar}] {self.done:>9,}/{self.total:,} {label:<14}", ending="")
            self.stream.flush()

    def stage_done(self, label, rows):
        if self.enabled and not self.tty:
            self.stream.write(f"{label}: {rows:,} rows ({self.done:,}/{self.total:,}, {self.elapsed():.1f} s)")

    def finish(self):
        if self.tty:
            self.stream.write("")

    def elapsed(self):
        return time.monotonic() - self.started


class Command(BaseCommand):
    help = (
        "Build a synthetic franchise of about --size lore records (films, people, characters, credits, "
        "appearances, locations, organizations, production notes, sources, citations) with generated names, "
        "the same for the same --seed. It never touches another franchise: it refuses if --franchise-slug "
        "exists, unless --replace, which first deletes that franchise's rows (and the people and sources "
        "generated for it). Rows are written with bulk_create, so they have no django-simple-history "
        "revisions: fine for synthetic data, which nobody edits."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", type=int, required=True, help="About how many lore records to create.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed; the same seed gives the same data.")
        parser.add_argument("--franchise-slug", default="synthetic", help="Slug of the franchise to create.")
        parser.add_argument("--franchise-name", default="", help="Its name (default: generated from the seed).")
        parser.add_argument("--replace", action="store_true", help="Delete that franchise first if it exists.")
        parser.add_argument("--batch-size", type=int, default=5000, help="Rows per INSERT.")

    def handle(self, *args, size, seed, franchise_slug, franchise_name, replace, batch_size, **options):
        if size < 20:
            raise CommandError("--size must be at least 20.")
        if not 1 <= batch_size <= 50000:
            raise CommandError("--batch-size must be between 1 and 50000.")
        if not SLUG_PATTERN.match(franchise_slug) or len(franchise_slug) > 60:
            raise CommandError("--franchise-slug must be lower-case letters, digits and single hyphens (max 60).")
        counts = plan(size)
        progress = Progress(self.stderr, sum(counts.values()) + 1, options["verbosity"] > 0)
        rng = random.Random(seed)  # noqa: S311 - reproducible synthetic data, not security  # nosec B311
        generator = Generator(rng, franchise_slug, batch_size, progress)
        try:
            with transaction.atomic():
                existing = Franchise.objects.filter(slug=franchise_slug).first()
                if existing and not replace:
                    raise CommandError(f"Franchise {franchise_slug!r} already exists; pass --replace to rebuild it.")
                if existing:
                    deleted = delete_generated_franchise(existing, generator.prefix)
                    self.stdout.write(f"Deleted {deleted:,} rows of the previous {franchise_slug!r}.")
                generator.run(counts, franchise_name)
        except IntegrityError as error:  # e.g. a hand-made record already holds one of the generated slugs
            raise CommandError(f"Nothing was written: {error}") from None
        progress.finish()
        # bulk_create sends no signals, so the page cache has to be told about the new rows.
        bump_generation()
        self.stdout.write(
            f"Created franchise {franchise_slug!r}: {generator.created:,} records in {progress.elapsed():.1f} s "
            f"({', '.join(f'{n:,} {name}' for name, n in generator.created_by_type.items())})."
        )


class Generator:
    def __init__(self, rng, franchise_slug, batch_size, progress):
        self.rng, self.batch_size, self.progress = rng, batch_size, progress
        # A double hyphen cannot occur in a generated franchise slug, so no other franchise shares the prefix.
        self.prefix = f"{franchise_slug}--"
        self.franchise_slug = franchise_slug
        self.ids = Ids()
        self.created, self.created_by_type = 0, {}
        self.serial = 0

    def slug(self, text):
        self.serial += 1
        return f"{self.prefix}{slugify(text)[:80]}-{self.serial}"

    def insert(self, model, rows, label):
        """bulk_create `rows` (any iterable) in batches; returns the primary keys, in order."""
        ids, batch = [], []
        for row in rows:
            batch.append(row)
            if len(batch) >= self.batch_size:
                ids += self._flush(model, batch, label)
                batch = []
        if batch:
            ids += self._flush(model, batch, label)
        self.created_by_type[label] = self.created_by_type.get(label, 0) + len(ids)
        return ids

    def _flush(self, model, batch, label):
        created = model.objects.bulk_create(batch)
        self.created += len(created)
        self.progress.advance(len(created), label)
        return [row.pk for row in created]

    def insert_links(self, through, rows):
        for start in range(0, len(rows), self.batch_size):
            through.objects.bulk_create(rows[start : start + self.batch_size])

    def person_name(self):
        r = self.rng
        return f"{r.choice(FIRST_NAMES)} {r.choice(SURNAME_STARTS)}{r.choice(SURNAME_ENDS)}"

    def place_name(self):
        return self.rng.choice(PLACE_STARTS) + self.rng.choice(PLACE_ENDS)

    def title(self):
        r = self.rng
        pattern = r.randrange(4)
        if pattern == 0:
            return f"The {r.choice(ADJECTIVES)} {r.choice(NOUNS)}"
        if pattern == 1:
            return f"{r.choice(NOUNS)} of {self.place_name()}"
        if pattern == 2:
            return f"{self.place_name()}: {r.choice(ADJECTIVES)} {r.choice(NOUNS)}"
        return f"{r.choice(ADJECTIVES)} {r.choice(NOUNS)}"

    def sentence(self, subject):
        r = self.rng
        return (
            f"{subject} {r.choice(VERBS)} the {r.choice(ADJECTIVES).lower()} {r.choice(NOUNS).lower()} "
            f"in {self.place_name()}, and {r.choice(VERBS)} the {r.choice(ORG_NOUNS).lower()} that "
            f"{r.choice(VERBS)} the {r.choice(NOUNS).lower()}."
        )

    def run(self, counts, franchise_name):
        r = self.rng
        name = franchise_name or f"The {r.choice(ADJECTIVES)} {r.choice(NOUNS)} Saga"
        franchise = Franchise.objects.create(
            name=name, slug=self.franchise_slug, summary=f"A synthetic franchise. {self.sentence(name)}"
        )
        self.ids.franchise = franchise.pk
        self.created += 1
        self.created_by_type["franchises"] = 1
        self.progress.advance(1, "franchise")
        for stage, method in (
            ("sources", self.sources),
            ("people", self.people),
            ("organizations", self.organizations),
            ("locations", self.locations),
            ("films", self.films),
            ("characters", self.characters),
            ("appearances", self.appearances),
            ("credits", self.credits),
            ("notes", self.notes),
            ("citations", self.citations),
        ):
            method(counts[stage], counts)
            self.progress.stage_done(stage, self.created_by_type.get(stage, 0))

    def sources(self, count, counts):
        r = self.rng
        originals = max(1, count * 4 // 5)

        def row(i, relays=None):
            kind = r.choice(list(Source.Kind))
            outlet = r.choice(OUTLETS)
            title = (
                f"{self.person_name()} interview with {outlet}"
                if kind == Source.Kind.INTERVIEW
                else f"{self.title()}: {r.choice(['a retrospective', 'behind the scenes', 'the making of'])}"
            )
            return Source(
                title=title,
                slug=self.slug(title),
                kind=kind,
                publisher=outlet,
                published_on=datetime.date(1995, 1, 1) + datetime.timedelta(days=r.randrange(30 * 365)),
                relays_id=relays,
                summary=f"{outlet} on the making of the films. {self.sentence('The piece')}",
            )

        first = self.insert(Source, (row(i) for i in range(originals)), "sources")
        rest = self.insert(Source, (row(i, r.choice(first)) for i in range(count - originals)), "sources")
        self.ids.sources = first + rest

    def people(self, count, counts):
        r = self.rng

        def row():
            name = self.person_name()
            born = datetime.date(1930, 1, 1) + datetime.timedelta(days=r.randrange(70 * 365))
            return Person(
                name=name,
                slug=self.slug(name),
                summary=f"{name} works in film. {self.sentence(name.split()[0])}",
                birth_date=born if r.random() < 0.7 else None,
            )

        ids = self.insert(Person, (row() for _ in range(count)), "people")
        half = len(ids) // 2
        self.ids.actors, self.ids.crew = ids[:half], ids[half:]

    def organizations(self, count, counts):
        r = self.rng

        def row():
            name = r.choice(
                [
                    f"The {r.choice(ADJECTIVES)} {r.choice(ORG_NOUNS)}",
                    f"The {r.choice(SURNAME_STARTS)}{r.choice(SURNAME_ENDS)} Family",
                    f"The {self.place_name()} {r.choice(ORG_NOUNS)}",
                ]
            )
            return Organization(
                franchise_id=self.ids.franchise, name=name, slug=self.slug(name), summary=self.sentence(name)
            )

        self.ids.organizations = self.insert(Organization, (row() for _ in range(count)), "organizations")

    def locations(self, count, counts):
        """Three tiers, each inside the one before: countries, then cities, then hotels and buildings."""
        r = self.rng
        tiers = [max(1, count // 10), max(1, count * 3 // 10)]
        tiers.append(max(0, count - sum(tiers)))

        def row(kind, parent):
            if kind == Location.Kind.HOTEL:
                name = f"The {r.choice(ADJECTIVES)} Hotel, {self.place_name()}"
            elif kind == Location.Kind.BUILDING:
                name = f"{r.choice(SURNAME_STARTS)}{r.choice(SURNAME_ENDS)} {r.choice(['Tower', 'Opera', 'Baths'])}"
            else:
                name = self.place_name()
            return Location(
                franchise_id=self.ids.franchise,
                name=name,
                slug=self.slug(name),
                kind=kind,
                parent_id=parent,
                summary=self.sentence(name),
            )

        countries = self.insert(Location, (row(Location.Kind.COUNTRY, None) for _ in range(tiers[0])), "locations")
        cities = self.insert(
            Location, (row(Location.Kind.CITY, r.choice(countries)) for _ in range(tiers[1])), "locations"
        )
        kinds = [Location.Kind.HOTEL, Location.Kind.BUILDING, Location.Kind.OTHER]
        places = self.insert(Location, (row(r.choice(kinds), r.choice(cities)) for _ in range(tiers[2])), "locations")
        self.ids.locations = countries + cities + places

    def films(self, count, counts):
        r = self.rng
        unreleased = max(1, count // 50)
        hero = f"{r.choice(FIRST_NAMES)} {r.choice(SURNAME_STARTS)}{r.choice(SURNAME_ENDS)}"
        specs = []
        for i in range(count):
            order = i + 1
            kind = r.choices(list(Film.Kind), weights=[70, 15, 10, 5])[0] if i else Film.Kind.MAIN
            title = f"{hero}: Chapter {order}" if kind == Film.Kind.MAIN and r.random() < 0.2 else self.title()
            released = i < count - unreleased
            year = 1990 + (i * 35) // count
            specs.append(
                Film(
                    franchise_id=self.ids.franchise,
                    title=title,
                    slug=self.slug(title),
                    kind=kind,
                    status=Film.Status.RELEASED if released else r.choice(list(Film.Status)[:4]),
                    release_date=datetime.date(year, 1, 1) + datetime.timedelta(days=r.randrange(365))
                    if released
                    else None,
                    release_order=order if order <= MAX_RELEASE_ORDER else None,
                    chronology_order=Decimal(order) + Decimal(r.choice([0, 0, 0, 25, 50])) / 100
                    if order <= MAX_CHRONOLOGY
                    else None,
                    synopsis=f"{self.sentence(hero)} {self.sentence('A stranger')}",
                )
            )
        mains = [film for film in specs if film.kind != Film.Kind.SPINOFF]
        ids = dict(zip(map(id, mains), self.insert(Film, mains, "films"), strict=True))
        spinoffs = [film for film in specs if film.kind == Film.Kind.SPINOFF]
        main_ids = list(ids.values())
        for film in spinoffs:
            film.spun_off_from_id = r.choice(main_ids)
        ids.update(zip(map(id, spinoffs), self.insert(Film, spinoffs, "films"), strict=True))
        self.ids.films = [ids[id(film)] for film in specs]  # in release order
        self.insert_links(
            Location.films.through,
            [
                Location.films.through(film_id=film, location_id=location)
                for film in self.ids.films
                for location in r.sample(self.ids.locations, min(len(self.ids.locations), r.randint(3, 8)))
            ],
        )
        self.insert_links(
            Organization.films.through,
            [
                Organization.films.through(film_id=film, organization_id=org)
                for film in self.ids.films
                for org in r.sample(self.ids.organizations, min(len(self.ids.organizations), r.randint(1, 3)))
            ],
        )

    def characters(self, count, counts):
        r = self.rng

        def row(i):
            name = f"The {r.choice(EPITHETS)}" if r.random() < 0.05 else self.person_name()
            aliases = [f"The {r.choice(ADJECTIVES)} {r.choice(NOUNS)}" for _ in range(r.choice([0, 0, 0, 1, 2]))]
            return Character(
                franchise_id=self.ids.franchise,
                name=name,
                slug=self.slug(name),
                aliases=aliases,
                summary=self.sentence(name),
            )

        self.ids.characters = self.insert(Character, (row(i) for i in range(count)), "characters")
        per_film = max(1, counts["appearances"] // len(self.ids.films))
        self.casts = [self.cast(i, per_film) for i in range(len(self.ids.films))]
        self.insert_links(
            Character.organizations.through,
            [
                Character.organizations.through(character_id=character, organization_id=org)
                for character in self.ids.characters
                for org in r.sample(self.ids.organizations, min(len(self.ids.organizations), r.choice([0, 1, 1, 2])))
            ],
        )

    def cast(self, film_index, size):
        """The characters of one film: a few franchise regulars, the rest from nearby films' era."""
        characters = self.ids.characters
        films = len(self.ids.films)
        regulars = characters[: min(len(characters), 6)]
        base = film_index * len(characters) // films
        window = [characters[(base + k) % len(characters)] for k in range(-size, 2 * size)]
        picked = self.rng.sample(regulars, min(2, len(regulars))) + self.rng.sample(window, min(size, len(window)))
        return list(dict.fromkeys(picked))[:size]

    def appearances(self, count, counts):
        """Every character of each film's cast, as rows."""
        r = self.rng
        types = list(Appearance.Type)
        rows = (
            Appearance(character_id=character, film_id=film, type=r.choices(types, weights=[2, 8, 3, 1])[0])
            for film, cast in zip(self.ids.films, self.casts, strict=True)
            for character in cast
        )
        self.ids.appearances = self.insert(Appearance, rows, "appearances")

    def credits(self, count, counts):
        """Crew from a rolling pool (crews recur across nearby films); each character keeps one actor."""
        r = self.rng
        per_film = max(1, count // len(self.ids.films))
        actors, crew = self.ids.actors, self.ids.crew
        actor_of = {c: actors[(i * 7919) % len(actors)] for i, c in enumerate(self.ids.characters)}

        def rows():
            for index, (film, cast) in enumerate(zip(self.ids.films, self.casts, strict=True)):
                base = index * len(crew) // len(self.ids.films)
                pool = list(dict.fromkeys(crew[(base + k) % len(crew)] for k in range(len(CREW_ROLES) * 2)))
                roles = CREW_ROLES[: min(len(pool), max(1, per_film - len(cast)))]
                for billing, (role, person) in enumerate(zip(roles, r.sample(pool, len(roles)), strict=True)):
                    yield Credit(film_id=film, person_id=person, role=role, billing=50 + billing)
                for billing, character in enumerate(cast):
                    yield Credit(
                        film_id=film,
                        person_id=actor_of[character],
                        role=Credit.Role.ACTOR,
                        character_id=character,
                        billing=billing + 1,
                    )

        self.ids.credits = self.insert(Credit, rows(), "credits")

    def notes(self, count, counts):
        r = self.rng
        topics = list(ProductionNote.Topic)
        films = self.ids.films

        def row(i):
            topic = topics[i % len(topics)]
            film_index = r.randrange(len(films))
            headline = TOPIC_HEADLINES[topic].format(
                adj=r.choice(ADJECTIVES).lower(),
                place=self.place_name(),
                character=self.person_name(),
                film=f"film {film_index + 1}",
            )
            speaker = r.choice(self.ids.crew) if r.random() < 0.8 else None
            source = r.choice(self.ids.sources)
            return ProductionNote(
                film_id=films[film_index],
                slug=self.slug(headline),
                headline=headline,
                speaker_id=speaker,
                topic=topic,
                summary=self.sentence("The crew"),
                quote=f"We wanted it {r.choice(ADJECTIVES).lower()}." if speaker and r.random() < 0.3 else "",
                source_id=source,
                occurred_on=datetime.date(1990, 1, 1) + datetime.timedelta(days=r.randrange(35 * 365)),
            )

        self.insert(ProductionNote, (row(i) for i in range(count)), "notes")

    def citations(self, count, counts):
        """Each source cited at least once, then random targets weighted like the real franchise's."""
        r = self.rng
        ids = self.ids
        targets = {
            "film": ids.films,
            "person": ids.actors + ids.crew,
            "character": ids.characters,
            "location": ids.locations,
            "organization": ids.organizations,
            "credit": ids.credits,
            "appearance": ids.appearances,
        }
        kinds, weights = list(targets), [10, 15, 20, 8, 4, 28, 15]
        seen = set()

        def rows():
            made = 0
            if count:
                seen.add(("franchise", ids.franchise, ids.sources[0]))
                made += 1
                yield Citation(source_id=ids.sources[0], franchise_id=ids.franchise, claim="The franchise exists.")
            attempts = 0
            while made < count and attempts < count * 3:
                attempts += 1
                source = ids.sources[made] if made < len(ids.sources) else r.choice(ids.sources)
                kind = r.choices(kinds, weights=weights)[0]
                target = r.choice(targets[kind])
                if (kind, target, source) in seen:
                    continue
                seen.add((kind, target, source))
                made += 1
                yield Citation(source_id=source, claim=f"Supports this {kind}.", **{f"{kind}_id": target})

        self.insert(Citation, rows(), "citations")


def delete_generated_franchise(franchise, prefix):
    """Delete one franchise and everything generated for it, and nothing else; returns the row count.

    Raw deletes: Django's collector would load every row and django-simple-history would write a
    revision for each of them. People and sources have no franchise, so only those carrying the
    franchise's generated slug prefix and no longer used by any other franchise go.
    """
    # _raw_delete is QuerySet.delete() without the collector and its signals.
    in_franchise = Q(franchise=franchise)
    records = {
        "film": Q(film__franchise=franchise),
        "character": Q(character__franchise=franchise),
        "location": Q(location__franchise=franchise),
        "organization": Q(organization__franchise=franchise),
        "credit": Q(credit__film__franchise=franchise) | Q(credit__character__franchise=franchise),
        "appearance": Q(appearance__film__franchise=franchise) | Q(appearance__character__franchise=franchise),
    }
    cited = in_franchise
    for condition in records.values():
        cited |= condition
    deleted = 0

    def drop(queryset):
        nonlocal deleted
        deleted += queryset._raw_delete(queryset.db)

    drop(Citation.objects.filter(cited))
    drop(Character.organizations.through.objects.filter(Q(character__franchise=franchise)))
    drop(Location.films.through.objects.filter(Q(film__franchise=franchise) | Q(location__franchise=franchise)))
    drop(Organization.films.through.objects.filter(Q(film__franchise=franchise) | Q(organization__franchise=franchise)))
    drop(Credit.objects.filter(Q(film__franchise=franchise) | Q(character__franchise=franchise)))
    drop(Appearance.objects.filter(Q(film__franchise=franchise) | Q(character__franchise=franchise)))
    drop(ProductionNote.objects.filter(film__franchise=franchise))
    Film.objects.filter(in_franchise).update(spun_off_from=None)
    Location.objects.filter(in_franchise).update(parent=None)
    for model in (Film, Character, Location, Organization):
        drop(model.objects.filter(in_franchise))
    drop(Franchise.objects.filter(pk=franchise.pk))

    people = Person.objects.filter(slug__startswith=prefix).exclude(
        Exists(Credit.objects.filter(person=OuterRef("pk")))
        | Exists(ProductionNote.objects.filter(speaker=OuterRef("pk")))
    )
    drop(Citation.objects.filter(person__in=people))
    drop(people)
    sources = Source.objects.filter(slug__startswith=prefix).exclude(
        Exists(Citation.objects.filter(source=OuterRef("pk")))
        | Exists(ProductionNote.objects.filter(source=OuterRef("pk")))
        | Exists(Source.objects.filter(relays=OuterRef("pk")).exclude(slug__startswith=prefix))
    )
    Source.objects.filter(slug__startswith=prefix, relays__in=sources).update(relays=None)
    drop(sources)
    return deleted
