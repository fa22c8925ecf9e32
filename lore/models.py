"""Lore's data model: franchises, films, people and credits, characters, places, organizations,
production notes, and the sources every fact comes from.

Every slug is unique per model across the whole site, so URLs stay short (`/films/<slug>/`), and every
model has a natural key so fixtures and dumps never carry primary keys.
"""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from lore import querysets
from lore.links import detail_path
from lore.loading import LeanLoading


class DatePrecision(models.TextChoices):
    DAY = "day", "Exact day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class LoreRecord(LeanLoading):
    """Fields every lore record shares: when it last changed, and what on it is uncited."""

    updated_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    uncited_note = models.TextField(
        blank=True,
        help_text="Facts on this record that come from general knowledge rather than a cited source.",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.updated_at = timezone.now()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "updated_at"}
        super().save(*args, **kwargs)


class SlugNaturalKey:
    """Mixin for models whose natural key is their site-wide unique slug."""

    def natural_key(self):
        return (self.slug,)


class CitedRecord:
    """Mixin for the records Citation rows point at (each through a foreign key named "citations")."""

    @property
    def references(self):
        """The record's citations with their sources: as citations_prefetch() or references_list() fetched
        them, else in one query."""
        try:
            return getattr(self, querysets.PREFETCHED_CITATIONS)
        except AttributeError:
            return list(querysets.with_sources(self.citations.all()))


class SlugManagerMixin:
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


def _manager(queryset_class):
    """A manager with get_by_natural_key(slug) over the model's own QuerySet."""
    return type(
        f"{queryset_class.__name__}Manager",
        (SlugManagerMixin, models.Manager.from_queryset(queryset_class)),
        {},
    )()


class Franchise(CitedRecord, SlugNaturalKey, LoreRecord):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.TextField(blank=True)

    objects = _manager(querysets.FranchiseQuerySet)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return detail_path("lore:franchise-detail", self.slug)


class Person(CitedRecord, SlugNaturalKey, LoreRecord):
    """A real person: cast or crew."""

    name = models.CharField(max_length=200, db_index=True)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.TextField(blank=True)
    birth_date = models.DateField(null=True, blank=True)
    credit_count = models.PositiveIntegerField(
        "credits", default=0, editable=False, help_text="Kept by the database itself: see migration 0009."
    )

    objects = _manager(querysets.PersonQuerySet)
    history = HistoricalRecords(excluded_fields=["credit_count"])  # a count, not an edit

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "people"
        # Lists order by name, then id: the index picks a deep page's ids alone (lore/paging.py). The API's
        # ?ordering=birth_date reads the second; migration 0008 adds the one for -birth_date (DESC NULLS LAST,
        # which SQLite's indexes cannot declare). By credits: the API's order both ways, the page's "Most
        # credits" (namesakes in name order).
        indexes = [
            models.Index(fields=["name", "id"], name="person_name_id_idx"),
            models.Index(fields=["birth_date", "id"], name="person_birth_date_id_idx"),
            models.Index(fields=["credit_count", "id"], name="person_credit_count_id_idx"),
            models.Index(fields=["-credit_count", "name", "id"], name="person_most_credits_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return detail_path("lore:person-detail", self.slug)


class Organization(CitedRecord, SlugNaturalKey, LoreRecord):
    """An in-universe organization, such as the High Table or the Continental."""

    franchise = models.ForeignKey(Franchise, on_delete=models.PROTECT, related_name="organizations")
    name = models.CharField(max_length=200, db_index=True)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.TextField(blank=True)
    films = models.ManyToManyField("Film", blank=True, related_name="organizations")

    objects = _manager(querysets.OrganizationQuerySet)
    history = HistoricalRecords(m2m_fields=[films])

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return detail_path("lore:organization-detail", self.slug)


class Film(CitedRecord, SlugNaturalKey, LoreRecord):
    class Kind(models.TextChoices):
        MAIN = "main", "Main film"
        SPINOFF = "spinoff", "Spinoff"
        SHORT = "short", "Short film"
        SERIES = "series", "Television series"

    class Status(models.TextChoices):
        ANNOUNCED = "announced", "Announced"
        IN_DEVELOPMENT = "in_development", "In development"
        IN_PRODUCTION = "in_production", "In production"
        POST_PRODUCTION = "post_production", "Post-production"
        RELEASED = "released", "Released"

    franchise = models.ForeignKey(Franchise, on_delete=models.PROTECT, related_name="films")
    title = models.CharField(max_length=200, db_index=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.MAIN)
    spun_off_from = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="spinoffs")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ANNOUNCED)
    status_as_of = models.DateField(
        null=True, blank=True, help_text="The date the production status was last known to hold."
    )
    release_date = models.DateField(null=True, blank=True, db_index=True)
    release_order = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="Position in the franchise's release sequence, counting unreleased films too.",
    )
    chronology_order = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="In-universe order; fractions place a film between two others (3.5 is between 3 and 4).",
    )
    chronology_note = models.CharField(
        max_length=300, blank=True, help_text='Relative placement in words, e.g. "Between Chapter 3 and Chapter 4".'
    )
    synopsis = models.TextField(blank=True)

    objects = _manager(querysets.FilmQuerySet)
    history = HistoricalRecords()

    class Meta:
        ordering = ["franchise__name", "release_order", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="released") | Q(release_date__isnull=False),
                name="film_released_has_release_date",
                violation_error_message="A released film needs a release date.",
            ),
            models.CheckConstraint(
                condition=Q(kind="spinoff") | Q(spun_off_from__isnull=True),
                name="film_only_spinoffs_spin_off",
                violation_error_message="Only a spinoff can name the film it spun off from.",
            ),
            models.UniqueConstraint(
                fields=["franchise", "release_order"],
                name="film_unique_release_order_per_franchise",
                violation_error_message="Another film of this franchise already has this release order.",
            ),
        ]
        indexes = [
            # A franchise's films newest first (DESC puts NULLs first, as latest_in_each_franchise orders),
            # with the id, so ranking them reads only this index (PostgreSQL; SQLite ignores `include`).
            models.Index(
                fields=["franchise", "-release_order", "-title"], include=["id"], name="film_newest_in_franchise_idx"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return detail_path("lore:film-detail", self.slug)

    def clean(self):
        errors = {}
        if self.spun_off_from_id:
            if self.spun_off_from_id == self.pk:
                errors["spun_off_from"] = "A film cannot spin off from itself."
            elif self.franchise_id and self.spun_off_from.franchise_id != self.franchise_id:
                errors["spun_off_from"] = "A spinoff belongs to the franchise of the film it spun off from."
        if errors:
            raise ValidationError(errors)


class Character(CitedRecord, SlugNaturalKey, LoreRecord):
    franchise = models.ForeignKey(Franchise, on_delete=models.PROTECT, related_name="characters")
    name = models.CharField(max_length=200, db_index=True)
    slug = models.SlugField(max_length=200, unique=True)
    aliases = models.JSONField(default=list, blank=True, help_text="Other names, as a list of strings.")
    summary = models.TextField(blank=True)
    organizations = models.ManyToManyField(Organization, blank=True, related_name="members")

    objects = _manager(querysets.CharacterQuerySet)
    history = HistoricalRecords(m2m_fields=[organizations])

    class Meta:
        ordering = ["name"]
        # Lists order by name, then id: the index picks a deep page's ids alone (lore/paging.py).
        indexes = [models.Index(fields=["name", "id"], name="character_name_id_idx")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return detail_path("lore:character-detail", self.slug)

    def clean(self):
        if not isinstance(self.aliases, list) or not all(
            isinstance(alias, str) and alias.strip() for alias in self.aliases
        ):
            raise ValidationError({"aliases": "Aliases must be a list of non-empty names."})


class Location(CitedRecord, SlugNaturalKey, LoreRecord):
    class Kind(models.TextChoices):
        REGION = "region", "Region"
        COUNTRY = "country", "Country"
        CITY = "city", "City"
        HOTEL = "hotel", "Hotel"
        BUILDING = "building", "Building"
        OTHER = "other", "Other"

    franchise = models.ForeignKey(Franchise, on_delete=models.PROTECT, related_name="locations")
    name = models.CharField(max_length=200, db_index=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.OTHER)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    summary = models.TextField(blank=True)
    films = models.ManyToManyField(Film, blank=True, related_name="locations")

    objects = _manager(querysets.LocationQuerySet)
    history = HistoricalRecords(m2m_fields=[films])

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return detail_path("lore:location-detail", self.slug)

    def clean(self):
        ancestor, seen = self.parent, set()
        while ancestor is not None:
            if ancestor.pk == self.pk or ancestor.pk in seen:
                raise ValidationError({"parent": "A location cannot be inside itself."})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent
        if self.parent and self.franchise_id and self.parent.franchise_id != self.franchise_id:
            raise ValidationError({"parent": "A location's parent must belong to the same franchise."})


class CreditManager(models.Manager.from_queryset(querysets.CreditQuerySet)):
    def get_by_natural_key(self, film_slug, person_slug, role, character_slug=None):
        return self.get(
            film__slug=film_slug,
            person__slug=person_slug,
            role=role,
            character__slug=character_slug,
        )


class Credit(CitedRecord, LoreRecord):
    """A person's work on a film; for actors, the character played."""

    class Role(models.TextChoices):
        ACTOR = "actor", "Actor"
        DIRECTOR = "director", "Director"
        PRODUCER = "producer", "Producer"
        EXECUTIVE_PRODUCER = "executive_producer", "Executive producer"
        WRITER = "writer", "Writer"
        CINEMATOGRAPHER = "cinematographer", "Cinematographer"
        COMPOSER = "composer", "Composer"
        EDITOR = "editor", "Editor"
        STUNT_COORDINATOR = "stunt_coordinator", "Stunt coordinator"

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="credits")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="credits")
    role = models.CharField(max_length=30, choices=Role.choices)
    character = models.ForeignKey(Character, on_delete=models.PROTECT, null=True, blank=True, related_name="credits")
    billing = models.PositiveSmallIntegerField(default=100, help_text="Lower numbers are listed first.")

    objects = CreditManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["film", "billing", "person__name"]
        indexes = [
            # The API's credit list order (lore.api.CreditViewSet.ordering): the default one joins four tables.
            models.Index(fields=["film", "billing", "id"], name="credit_film_billing_idx"),
            # Its client orderings, each completed by the id (lore.querysets.order_terms), read either way;
            # the second also serves ?role=.
            models.Index(fields=["billing", "id"], name="credit_billing_id_idx"),
            models.Index(fields=["role", "id"], name="credit_role_id_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(role="actor") | Q(character__isnull=True),
                name="credit_only_actors_play_characters",
                violation_error_message="Only an acting credit can name a character.",
            ),
            models.CheckConstraint(
                condition=~Q(role="actor") | Q(character__isnull=False),
                name="credit_actor_plays_character",
                violation_error_message="An acting credit must name the character played.",
            ),
            models.UniqueConstraint(
                fields=["film", "person", "role", "character"],
                name="credit_unique_per_character",
                violation_error_message="This person already has this credit on this film.",
            ),
            models.UniqueConstraint(
                fields=["film", "person", "role"],
                condition=Q(character__isnull=True),
                name="credit_unique_crew_role",
                violation_error_message="This person already has this credit on this film.",
            ),
        ]

    def __str__(self):
        if self.character_id:
            return f"{self.person} as {self.character} in {self.film}"
        return f"{self.person}, {self.get_role_display().lower()} of {self.film}"

    def natural_key(self):
        return (self.film.slug, self.person.slug, self.role, self.character.slug if self.character_id else None)

    natural_key.dependencies = ["lore.film", "lore.person", "lore.character"]

    def get_absolute_url(self):
        return self.film.get_absolute_url()

    def clean(self):
        if self.character_id and self.film_id and self.character.franchise_id != self.film.franchise_id:
            raise ValidationError({"character": "An acting credit must name a character of the film's franchise."})


class AppearanceManager(models.Manager.from_queryset(querysets.AppearanceQuerySet)):
    def get_by_natural_key(self, character_slug, film_slug):
        return self.get(character__slug=character_slug, film__slug=film_slug)


class Appearance(CitedRecord, LoreRecord):
    """A character's presence in a film, by how large it is."""

    class Type(models.TextChoices):
        MAIN = "main", "Main"
        SUPPORTING = "supporting", "Supporting"
        CAMEO = "cameo", "Cameo"
        MENTIONED = "mentioned", "Mentioned only"

    character = models.ForeignKey(Character, on_delete=models.CASCADE, related_name="appearances")
    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="appearances")
    type = models.CharField(max_length=20, choices=Type.choices, default=Type.SUPPORTING)

    objects = AppearanceManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["film", "type", "character__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["character", "film"],
                name="appearance_unique_per_film",
                violation_error_message="This character already has an appearance in this film.",
            )
        ]

    def __str__(self):
        return f"{self.character} in {self.film} ({self.get_type_display().lower()})"

    def natural_key(self):
        return (self.character.slug, self.film.slug)

    natural_key.dependencies = ["lore.film", "lore.character"]

    def get_absolute_url(self):
        return self.character.get_absolute_url()

    def clean(self):
        if self.character_id and self.film_id and self.character.franchise_id != self.film.franchise_id:
            raise ValidationError({"film": "A character can only appear in films of its own franchise."})


class Source(SlugNaturalKey, LoreRecord):
    """A publication that facts come from."""

    class Kind(models.TextChoices):
        ARTICLE = "article", "Article"
        INTERVIEW = "interview", "Interview"
        OFFICIAL = "official", "Official material"
        BOOK = "book", "Book"
        FILM = "film", "Film"

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ARTICLE)
    publisher = models.CharField(max_length=200, blank=True, help_text="Publisher or outlet.")
    author = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    date_precision = models.CharField(max_length=10, choices=DatePrecision.choices, default=DatePrecision.DAY)
    url = models.URLField(blank=True, max_length=500)
    relays = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="relayed_by",
        help_text="The original source this one reports on, e.g. the interview an article quotes.",
    )
    summary = models.TextField(blank=True)
    citation_count = models.PositiveIntegerField(
        "citations", default=0, editable=False, help_text="Kept by the database itself: see migration 0009."
    )

    objects = _manager(querysets.SourceQuerySet)
    history = HistoricalRecords(excluded_fields=["citation_count"])  # a count, not an edit

    class Meta:
        ordering = ["title"]
        indexes = [
            models.Index(fields=["title"], name="source_title_idx"),  # the default ordering
            # Oldest first; migration 0009 adds newest first (DESC NULLS LAST), for the API and the page.
            models.Index(fields=["published_on", "id"], name="source_published_on_id_idx"),
            models.Index(fields=["citation_count", "id"], name="source_citation_count_id_idx"),
            models.Index(fields=["-citation_count", "title", "id"], name="source_most_cited_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return detail_path("lore:source-detail", self.slug)


class ProductionNote(SlugNaturalKey, LoreRecord):
    """One statement about the making of a film, summarised in our own words."""

    class Topic(models.TextChoices):
        SETTING = "setting", "Setting and aesthetics"
        STORY = "story", "Story and character"
        DEVELOPMENT = "development", "Development history"
        ACTION = "action", "Action and craft"
        CONTINUITY = "continuity", "Continuity and cameos"
        RELEASE = "release", "Release"

    film = models.ForeignKey(Film, on_delete=models.CASCADE, related_name="production_notes")
    slug = models.SlugField(max_length=200, unique=True)
    headline = models.CharField(max_length=200)
    speaker = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="production_notes"
    )
    topic = models.CharField(max_length=20, choices=Topic.choices)
    summary = models.TextField(help_text="What the source says, in our own words.")
    quote = models.TextField(blank=True, help_text="An optional short verbatim quote; needs a speaker and a source.")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, null=True, blank=True, related_name="production_notes")
    occurred_on = models.DateField(
        null=True, blank=True, help_text="When the event the note describes happened, for the timeline."
    )
    occurred_precision = models.CharField(max_length=10, choices=DatePrecision.choices, default=DatePrecision.YEAR)

    objects = _manager(querysets.ProductionNoteQuerySet)
    history = HistoricalRecords()

    class Meta:
        ordering = ["film", "slug"]
        indexes = [
            # The API's note list order (lore.api.ProductionNoteViewSet.ordering): the default one joins films.
            models.Index(fields=["film", "slug"], name="note_film_slug_idx"),
            # Client orderings (the API's ?ordering=, the list page's ?sort=), each completed by the id and
            # read either way; the topic one also serves ?topic=. Newest events first (occurred_on DESC NULLS
            # LAST) has its own index, lore_productionnote_recent (migration 0003).
            models.Index(fields=["headline", "id"], name="note_headline_id_idx"),
            models.Index(fields=["occurred_on", "id"], name="note_occurred_on_id_idx"),
            models.Index(fields=["topic", "id"], name="note_topic_id_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(quote="") | (Q(speaker__isnull=False) & Q(source__isnull=False)),
                name="note_quote_needs_speaker_and_source",
                violation_error_message="A quote needs a speaker and a source.",
            )
        ]

    def __str__(self):
        return self.headline

    def get_absolute_url(self):
        return detail_path("lore:productionnote-detail", self.slug)

    def clean(self):
        if self.quote.strip():
            errors = {}
            if not self.speaker_id:
                errors["speaker"] = "A quote needs a speaker: who said it?"
            if not self.source_id:
                errors["source"] = "A quote needs a source: where was it said?"
            if errors:
                raise ValidationError(errors)


# The records a Citation can point at: name -> model. Production notes carry their source directly.
CITABLE_MODELS = {
    "franchise": Franchise,
    "film": Film,
    "person": Person,
    "character": Character,
    "location": Location,
    "organization": Organization,
    "credit": Credit,
    "appearance": Appearance,
}


def _exactly_one_target():
    """A check that exactly one of the citation's target foreign keys is set."""
    names = list(CITABLE_MODELS)
    alternatives = Q()
    for name in names:
        only_this = Q(**{f"{name}__isnull": False})
        for other in names:
            if other != name:
                only_this &= Q(**{f"{other}__isnull": True})
        alternatives |= only_this
    return alternatives


class CitationManager(models.Manager.from_queryset(querysets.CitationQuerySet)):
    def get_by_natural_key(self, source_slug, target_kind, *target_key):
        if target_kind not in CITABLE_MODELS:
            raise self.model.DoesNotExist(f"Unknown citation target {target_kind!r}.")
        target = CITABLE_MODELS[target_kind]._default_manager.get_by_natural_key(*target_key)
        return self.get(source__slug=source_slug, **{target_kind: target})


class Citation(LeanLoading):
    """A source backing one lore record, with what it supports."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="citations")
    claim = models.CharField(max_length=300, blank=True, help_text="What the source supports, briefly.")
    franchise = models.ForeignKey(Franchise, on_delete=models.PROTECT, null=True, blank=True, related_name="citations")
    film = models.ForeignKey(Film, on_delete=models.PROTECT, null=True, blank=True, related_name="citations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="citations")
    character = models.ForeignKey(Character, on_delete=models.PROTECT, null=True, blank=True, related_name="citations")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, null=True, blank=True, related_name="citations")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="citations"
    )
    credit = models.ForeignKey(Credit, on_delete=models.PROTECT, null=True, blank=True, related_name="citations")
    appearance = models.ForeignKey(
        Appearance, on_delete=models.PROTECT, null=True, blank=True, related_name="citations"
    )

    objects = CitationManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["source", "id"]
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one_target(),
                name="citation_has_exactly_one_target",
                violation_error_message="A citation must point at exactly one record.",
            ),
            *[
                models.UniqueConstraint(
                    fields=["source", name],
                    name=f"citation_unique_{name}",
                    violation_error_message="This source already cites this record.",
                )
                for name in CITABLE_MODELS
            ],
        ]

    def __str__(self):
        return f"{self.source} cited by {self.target}"

    @property
    def target_kind(self):
        for name in CITABLE_MODELS:
            if getattr(self, f"{name}_id"):
                return name
        return None

    @property
    def target(self):
        kind = self.target_kind
        return getattr(self, kind) if kind else None

    def _target_object(self, name):
        field = self._meta.get_field(name)
        return field.get_cached_value(self) if field.is_cached(self) else None

    def natural_key(self):
        return (self.source.slug, self.target_kind, *self.target.natural_key())

    natural_key.dependencies = ["lore.source", *[f"lore.{m._meta.model_name}" for m in CITABLE_MODELS.values()]]

    def get_absolute_url(self):
        return self.source.get_absolute_url()

    def clean(self):
        # A target may still be unsaved (a citation added on the same admin page as its record), so count
        # the related objects set, not only the ids.
        targets = [name for name in CITABLE_MODELS if getattr(self, f"{name}_id") or self._target_object(name)]
        if len(targets) != 1:
            raise ValidationError("A citation must point at exactly one record.")
