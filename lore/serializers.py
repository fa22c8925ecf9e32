"""How the API shows each record: a summary serializer for lists, a detail serializer for one record.

Every record has `url` (its API address), `html_url` (its page), `slug`, `updated_at`, `references` (the
sources that back it) and `uncited_note`. Relations are small `{"slug", "name", "url"}` objects so a client
sees names without another request. Serializers only read what the view's QuerySet method fetched
(lore/querysets.py), so every endpoint runs a fixed number of queries.
"""

import copy
from collections import namedtuple

from django.utils.functional import cached_property
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject

from lore.links import absolute_detail_url, absolute_url, franchise_list_path
from lore.models import (
    CITABLE_MODELS,
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
from lore.querysets import FRANCHISE_DETAIL_FILMS
from lore.search import SEARCH_TYPES

CREDIT_SLUG_SEPARATOR = "~"


def credit_slug(credit):
    """A credit's identity in URLs, `film~person~role` (+ `~character` when acting): stable across databases."""
    parts = [credit.film.slug, credit.person.slug, credit.role]
    if credit.character_id:
        parts.append(credit.character.slug)
    return CREDIT_SLUG_SEPARATOR.join(parts)


def api_url(record, request):
    """The absolute API address of a record (an appearance has none of its own: its character's)."""
    if isinstance(record, Appearance):
        record = record.character
    slug = credit_slug(record) if isinstance(record, Credit) else record.slug
    return absolute_detail_url(request, f"api:{record._meta.model_name}-detail", slug)


def note_modified(serializer, record):
    """Remember when a record shown in the response last changed; Last-Modified is the newest of them."""
    seen = serializer.context.get("modified")
    updated_at = getattr(record, "updated_at", None)
    if seen is not None and updated_at is not None:
        seen.append(updated_at)


class RecordField(serializers.Field):
    """A read-only value computed from the whole record (or from the record at `source`)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        super().__init__(read_only=True, **kwargs)


@extend_schema_field(OpenApiTypes.URI)
class ApiUrlField(RecordField):
    """The record's absolute API address."""

    def to_representation(self, record):
        return api_url(record, self.context["request"])


@extend_schema_field(OpenApiTypes.URI)
class HtmlUrlField(RecordField):
    """The absolute address of the record's page on the site."""

    def to_representation(self, record):
        return absolute_url(self.context["request"], record.get_absolute_url())


@extend_schema_field(OpenApiTypes.STR)
class CreditSlugField(RecordField):
    def to_representation(self, credit):
        return credit_slug(credit)


class NullIfBlankURLField(serializers.URLField):
    """A URL that may be missing: null rather than an empty string."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, allow_null=True, **kwargs)

    def to_representation(self, value):
        return value or None


def _copier(field):
    """How to copy an unbound field so that binding the copy cannot touch the original.

    DRF deep-copies each field by building it again from its arguments: a film's detail rebuilt some fifty
    fields a request that way. Binding sets attributes on the field itself (its name, parent and source
    path), so a field holding no other field is copied shallowly, and so is a serializer, by
    _copy_serializer; a field with a child of another kind (ListField) still gets DRF's deep copy.
    """
    if isinstance(field, serializers.BaseSerializer):
        return _copy_serializer
    if any(isinstance(value, serializers.Field) for value in vars(field).values()):
        return copy.deepcopy
    return copy.copy


# What a serializer works out once bound and keeps on itself; a copy must work it out again for its own parent.
_BOUND_CACHES = ("fields", "_readable", "_root_context")


def _copy_serializer(serializer):
    """A copy of an unbound serializer that binding cannot reach back from: a shallow copy, with a list
    serializer's child copied the same way and made the copy's child (ListSerializer.__init__ bound the
    original's child to the original: the copy keeps that binding's name and source, with the copy as parent).

    DRF's deep copy builds a nested serializer again from its arguments, through ModelSerializer's,
    ListSerializer's and every Field's __init__: a film's detail built 24 that way per request. The copy
    shares only the arguments the original was built with, which nothing changes once built.
    """
    copied = copy.copy(serializer)
    for name in _BOUND_CACHES:
        copied.__dict__.pop(name, None)
    if isinstance(serializer, serializers.ListSerializer):
        copied.child = _copy_serializer(serializer.child)
        copied.child.parent = copied
    return copied


class LoreSerializer(serializers.ModelSerializer):
    """Base of every record serializer: read-only, and noting each record's `updated_at` for Last-Modified."""

    def get_fields(self):
        # ModelSerializer works a serializer's fields out from its Meta and the model for every instance: for
        # a film's detail, the fields of eight serializers on every request. Here they depend on the class
        # alone (no serializer changes its fields by request), so they are worked out once per class; each
        # instance still gets its own copy to bind, as DRF gives each its own copy of the declared fields.
        cls = type(self)
        if "_unbound_fields" not in cls.__dict__:
            cls._unbound_fields = [(name, field, _copier(field)) for name, field in super().get_fields().items()]
        return {name: copier(field) for name, field, copier in cls._unbound_fields}

    def get_extra_kwargs(self):
        extra = super().get_extra_kwargs()
        for name in self.Meta.fields:
            extra.setdefault(name, {})["read_only"] = True
        return extra

    @cached_property
    def _readable(self):
        return [(field.field_name, field) for field in self._readable_fields]

    @property
    def context(self):
        """The root serializer's context, as DRF's Field.context gives it, found once for a bound serializer:
        DRF walks up to the root on every access, and a film's detail asks some 320 times (each record's
        request, each record's Last-Modified list). Once bound, a serializer's root never changes."""
        try:
            return self.__dict__["_root_context"]
        except KeyError:
            context = super().context
            if self.parent is not None:
                self.__dict__["_root_context"] = context
            return context

    def to_representation(self, instance):
        """DRF's Serializer.to_representation, with the readable fields listed once per serializer.

        DRF walks a generator over its bound fields for every row; a list of credits or notes runs it for
        each row of each nested serializer. The fields are fixed once bound, so the list is made once.
        """
        note_modified(self, instance)
        row = {}
        for name, field in self._readable:
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            if attribute is None or (isinstance(attribute, PKOnlyObject) and attribute.pk is None):
                row[name] = None
            else:
                row[name] = field.to_representation(attribute)
        return row


class RefSerializer(LoreSerializer):
    """The small `{"slug", "name", "url"}` object by which records point at each other.

    Its fields describe it (for the schema); to_representation builds the object directly. These are the
    most numerous objects in the API (a film's detail has about 130), and DRF's field machinery for three
    plain values made a sixth of that response's Python function calls.
    """

    name_attribute = "name"

    def to_representation(self, record):
        note_modified(self, record)
        return {
            "slug": record.slug,
            "name": getattr(record, self.name_attribute),
            "url": api_url(record, self.context["request"]),
        }


def _ref_serializer(model, name_field):
    """The RefSerializer for `model`, whose name is its `name_field`."""
    name = serializers.CharField(source=None if name_field == "name" else name_field, read_only=True)
    return type(
        f"{model.__name__}RefSerializer",
        (RefSerializer,),
        {
            "__doc__": f"A {model._meta.verbose_name}, named and linked.",
            "Meta": type("Meta", (), {"model": model, "fields": ("slug", "name", "url")}),
            "name_attribute": name_field,
            "name": name,
            "url": ApiUrlField(),
        },
    )


FranchiseRefSerializer = _ref_serializer(Franchise, "name")
FilmRefSerializer = _ref_serializer(Film, "title")
PersonRefSerializer = _ref_serializer(Person, "name")
CharacterRefSerializer = _ref_serializer(Character, "name")
LocationRefSerializer = _ref_serializer(Location, "name")
OrganizationRefSerializer = _ref_serializer(Organization, "name")
SourceRefSerializer = _ref_serializer(Source, "title")


# A reference that is not a Citation row: a production note's source, or the source a source relays.
Cited = namedtuple("Cited", ["source", "claim"])


class ReferenceSerializer(serializers.Serializer):
    """A source backing a record, and what it supports."""

    # The docstring is the schema's description. The fields describe the object for the schema;
    # to_representation builds it directly, as RefSerializer does: most records carry a few references,
    # and DRF's fields, four of them reaching through `source.`, cost a tenth of the characters list's time.

    slug = serializers.CharField(source="source.slug", read_only=True)
    title = serializers.CharField(source="source.title", read_only=True)
    url = ApiUrlField(source="source")
    html_url = HtmlUrlField(source="source")
    external_url = NullIfBlankURLField(source="source.url", help_text="Where the source itself can be read.")
    claim = serializers.CharField(read_only=True, help_text="What the source supports; may be empty.")

    def to_representation(self, instance):
        source, request = instance.source, self.context["request"]
        note_modified(self, source)
        return {
            "slug": source.slug,
            "title": source.title,
            "url": api_url(source, request),
            "html_url": absolute_url(request, source.get_absolute_url()),
            "external_url": source.url or None,
            "claim": instance.claim,
        }


@extend_schema_field(ReferenceSerializer(many=True))
class OwnReferencesField(RecordField):
    """References a record holds in its own fields (a note's source, the source a source relays), not as
    Citation rows: `cited(record)` lists them as `Cited`.

    Its ReferenceSerializer is built once per response and reused for every record: building one per record,
    as a SerializerMethodField would, deep-copied its fields each time (an eighth of the notes list's time).
    """

    def __init__(self, cited, **kwargs):
        self.cited = cited
        super().__init__(**kwargs)

    @cached_property
    def _references(self):
        return ReferenceSerializer(many=True, context=self.context)

    def to_representation(self, record):
        return self._references.to_representation(self.cited(record))


def record_fields(*own):
    """A record's fields: its addresses and slug first, its provenance last."""
    return ("url", "html_url", "slug", *own, "updated_at", "uncited_note", "references")


class CitedRecordSerializer(LoreSerializer):
    """The fields of every record that citations point at."""

    url = ApiUrlField()
    html_url = HtmlUrlField()
    references = ReferenceSerializer(many=True, read_only=True)


class FranchiseSerializer(CitedRecordSerializer):
    """A franchise in a list."""

    film_count = serializers.IntegerField(read_only=True)
    character_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Franchise
        fields = record_fields("name", "summary", "film_count", "character_count")


class FranchiseFilmSerializer(LoreSerializer):
    """A film as its franchise lists it: enough to draw the franchise's filmography."""

    name = serializers.CharField(source="title", read_only=True)
    url = ApiUrlField()

    class Meta:
        model = Film
        fields = ("slug", "name", "url", "kind", "status", "release_date", "release_order")


@extend_schema_field(OpenApiTypes.URI)
class FranchiseFilmsUrlField(RecordField):
    """The film list filtered to this franchise: every film, paginated."""

    def to_representation(self, franchise):
        return self.context["request"].build_absolute_uri(franchise_list_path("api:film-list", franchise.slug))


class FranchiseDetailSerializer(FranchiseSerializer):
    """A franchise, with its first films in release order and where to find them all."""

    films = FranchiseFilmSerializer(
        source="first_films",
        many=True,
        read_only=True,
        help_text=f"The franchise's first {FRANCHISE_DETAIL_FILMS} films in release order; `film_count` says how "
        "many it has, `films_url` lists every one.",
    )
    films_url = FranchiseFilmsUrlField()

    class Meta(FranchiseSerializer.Meta):
        fields = (*FranchiseSerializer.Meta.fields, "films", "films_url")


class FilmSerializer(CitedRecordSerializer):
    """A film in a list."""

    franchise = FranchiseRefSerializer(read_only=True)
    spun_off_from = FilmRefSerializer(read_only=True, allow_null=True)
    chronology_order = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        coerce_to_string=False,
        read_only=True,
        allow_null=True,
        help_text="In-universe order; 3.5 falls between 3 and 4.",
    )

    class Meta:
        model = Film
        fields = record_fields(
            "title",
            "franchise",
            "kind",
            "status",
            "status_as_of",
            "release_date",
            "release_order",
            "chronology_order",
            "spun_off_from",
        )


class CreditBriefSerializer(LoreSerializer):
    """A credit listed on a film, person or character page: who, on what film, in what role, playing whom."""

    slug = CreditSlugField()
    url = ApiUrlField()
    film = FilmRefSerializer(read_only=True)
    person = PersonRefSerializer(read_only=True)
    character = CharacterRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Credit
        fields = ("slug", "url", "film", "person", "role", "character", "billing")


class AppearanceSerializer(LoreSerializer):
    """A character in a film, by how large the part is."""

    character = CharacterRefSerializer(read_only=True)
    film = FilmRefSerializer(read_only=True)

    class Meta:
        model = Appearance
        fields = ("character", "film", "type")


class NoteBriefSerializer(LoreSerializer):
    """A production note listed on another record."""

    name = serializers.CharField(source="headline", read_only=True)
    url = ApiUrlField()
    film = FilmRefSerializer(read_only=True)
    speaker = PersonRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ProductionNote
        fields = ("slug", "name", "url", "film", "topic", "speaker", "occurred_on", "occurred_precision")


class FilmDetailSerializer(FilmSerializer):
    """A film with everything on its page: spinoffs, credits, characters, places, organizations, notes."""

    # The lists come from FilmQuerySet.detail_lists(), which the view reads into these attributes.
    spinoffs = FilmRefSerializer(source="listed_spinoffs", many=True, read_only=True)
    credits = CreditBriefSerializer(source="listed_credits", many=True, read_only=True)
    characters = AppearanceSerializer(source="listed_appearances", many=True, read_only=True)
    locations = LocationRefSerializer(source="listed_locations", many=True, read_only=True)
    organizations = OrganizationRefSerializer(source="listed_organizations", many=True, read_only=True)
    production_notes = NoteBriefSerializer(source="listed_notes", many=True, read_only=True)

    class Meta(FilmSerializer.Meta):
        fields = (
            *FilmSerializer.Meta.fields,
            "chronology_note",
            "synopsis",
            "spinoffs",
            "credits",
            "characters",
            "locations",
            "organizations",
            "production_notes",
        )


class CharacterSerializer(CitedRecordSerializer):
    """A character in a list."""

    franchise = FranchiseRefSerializer(read_only=True)
    aliases = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Character
        fields = record_fields("name", "aliases", "franchise", "summary")


class CharacterDetailSerializer(CharacterSerializer):
    """A character, with organizations, appearances and who played it."""

    # The lists come from CharacterQuerySet.detail_lists(), which the view reads into these attributes.
    organizations = OrganizationRefSerializer(source="listed_organizations", many=True, read_only=True)
    appearances = AppearanceSerializer(source="listed_appearances", many=True, read_only=True)
    credits = CreditBriefSerializer(
        source="listed_credits", many=True, read_only=True, help_text="Who played the character, film by film."
    )

    class Meta(CharacterSerializer.Meta):
        fields = (*CharacterSerializer.Meta.fields, "organizations", "appearances", "credits")


class PersonSerializer(CitedRecordSerializer):
    """A person (cast or crew) in a list."""

    credit_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Person
        fields = record_fields("name", "birth_date", "summary", "credit_count")


class PersonDetailSerializer(CitedRecordSerializer):
    """A person, with every credit and the production notes quoting them."""

    # The lists come from PersonQuerySet.detail_lists(), which the view reads into these attributes.
    credits = CreditBriefSerializer(source="listed_credits", many=True, read_only=True)
    production_notes = NoteBriefSerializer(
        source="listed_notes", many=True, read_only=True, help_text="Notes in which the person speaks."
    )

    class Meta:
        model = Person
        fields = (*record_fields("name", "birth_date", "summary"), "credits", "production_notes")


class CreditSerializer(CitedRecordSerializer):
    """A person's credit on a film; for actors, the character played."""

    slug = CreditSlugField(help_text="film~person~role, with ~character for acting credits.")
    film = FilmRefSerializer(read_only=True)
    person = PersonRefSerializer(read_only=True)
    character = CharacterRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Credit
        fields = record_fields("film", "person", "role", "character", "billing")


class LocationSerializer(CitedRecordSerializer):
    """A place in a list."""

    franchise = FranchiseRefSerializer(read_only=True)
    parent = LocationRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Location
        fields = record_fields("name", "kind", "franchise", "parent", "summary")


class LocationDetailSerializer(LocationSerializer):
    """A place, with the places inside it and the films it appears in."""

    # The lists come from LocationQuerySet.detail_lists(), which the view reads into these attributes.
    children = LocationRefSerializer(source="listed_children", many=True, read_only=True)
    films = FilmRefSerializer(source="listed_films", many=True, read_only=True)

    class Meta(LocationSerializer.Meta):
        fields = (*LocationSerializer.Meta.fields, "children", "films")


class OrganizationSerializer(CitedRecordSerializer):
    """An organization in a list."""

    franchise = FranchiseRefSerializer(read_only=True)

    class Meta:
        model = Organization
        fields = record_fields("name", "franchise", "summary")


class OrganizationDetailSerializer(OrganizationSerializer):
    """An organization, with its members and films."""

    # The lists come from OrganizationQuerySet.detail_lists(), which the view reads into these attributes.
    members = CharacterRefSerializer(source="listed_members", many=True, read_only=True)
    films = FilmRefSerializer(source="listed_films", many=True, read_only=True)

    class Meta(OrganizationSerializer.Meta):
        fields = (*OrganizationSerializer.Meta.fields, "members", "films")


class ProductionNoteSerializer(LoreSerializer):
    """A production note in a list: one statement about the making of a film."""

    url = ApiUrlField()
    html_url = HtmlUrlField()
    film = FilmRefSerializer(read_only=True)
    speaker = PersonRefSerializer(read_only=True, allow_null=True)
    references = OwnReferencesField(
        lambda note: [Cited(note.source, note.headline)] if note.source_id else [],
        help_text="The note's source, if it has one.",
    )

    class Meta:
        model = ProductionNote
        fields = record_fields("headline", "film", "topic", "speaker", "summary", "occurred_on", "occurred_precision")


class ProductionNoteDetailSerializer(ProductionNoteSerializer):
    """A production note, with its quote (if any) and source."""

    source = SourceRefSerializer(read_only=True, allow_null=True)

    class Meta(ProductionNoteSerializer.Meta):
        fields = (*ProductionNoteSerializer.Meta.fields, "quote", "source")


class SourceSerializer(LoreSerializer):
    """A source in a list."""

    url = ApiUrlField()
    html_url = HtmlUrlField()
    external_url = NullIfBlankURLField(source="url", help_text="Where the source itself can be read.")
    relays = SourceRefSerializer(read_only=True, allow_null=True, help_text="The original this source reports on.")
    citation_count = serializers.IntegerField(read_only=True)
    references = OwnReferencesField(
        lambda source: [Cited(source.relays, "")] if source.relays_id else [],
        help_text="The source this one relays, if any.",
    )

    class Meta:
        model = Source
        fields = record_fields(
            "title",
            "kind",
            "publisher",
            "author",
            "published_on",
            "date_precision",
            "external_url",
            "relays",
            "citation_count",
        )


class CitedRecordLinkSerializer(serializers.ModelSerializer):
    """A record a source backs, and what the source supports about it."""

    type = serializers.ChoiceField(choices=list(CITABLE_MODELS), source="target_kind", read_only=True)
    name = serializers.CharField(source="target", read_only=True)
    url = ApiUrlField(source="target")
    html_url = HtmlUrlField(source="target")

    class Meta:
        model = Citation
        fields = ("type", "name", "url", "html_url", "claim")

    def to_representation(self, citation):
        note_modified(self, citation.target)
        return super().to_representation(citation)


class SourceDetailSerializer(SourceSerializer):
    """A source, with every record it backs and the notes drawn from it."""

    # The lists come from SourceQuerySet.detail_lists(), which the view reads into these attributes.
    cites = CitedRecordLinkSerializer(source="listed_citations", many=True, read_only=True)
    production_notes = NoteBriefSerializer(source="listed_notes", many=True, read_only=True)
    relayed_by = SourceRefSerializer(source="listed_relayed_by", many=True, read_only=True)

    class Meta(SourceSerializer.Meta):
        fields = (*SourceSerializer.Meta.fields, "summary", "cites", "production_notes", "relayed_by")


class SearchHitSerializer(serializers.Serializer):
    """One search result."""

    type = serializers.ChoiceField(choices=[t.name for t in SEARCH_TYPES], read_only=True)
    title = serializers.CharField(read_only=True)
    slug = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField()
    html_url = serializers.SerializerMethodField()
    snippet = serializers.CharField(read_only=True, help_text="The matching text.")
    franchise = serializers.CharField(read_only=True, allow_null=True, help_text="The franchise's name.")
    rank = serializers.FloatField(read_only=True, help_text="Higher is a better match.")

    def to_representation(self, hit):
        note_modified(self, hit)
        return super().to_representation(hit)

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, hit):
        return absolute_detail_url(self.context["request"], f"api:{hit.type}-detail", hit.slug)

    @extend_schema_field(OpenApiTypes.URI)
    def get_html_url(self, hit):
        return absolute_url(self.context["request"], hit.url)


@extend_schema_serializer(many=False)  # the search is a "list" action, but answers one object
class SearchResultsSerializer(serializers.Serializer):
    """Search results, best first."""

    query = serializers.CharField(read_only=True, help_text="The query as searched (whitespace collapsed).")
    count = serializers.IntegerField(read_only=True)
    results = SearchHitSerializer(many=True, read_only=True)


class ErrorSerializer(serializers.Serializer):
    """Every error response."""

    status = serializers.IntegerField(read_only=True, help_text="The HTTP status code.")
    detail = serializers.CharField(read_only=True)
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="On a 400: each invalid parameter, with what is wrong with it.",
    )
