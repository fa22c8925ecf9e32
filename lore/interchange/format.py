"""The lore file format, version 1: one franchise as a JSON document whose records refer to each other by slug.

One table, SECTIONS, says which fields each kind of record has and which are required; the JSON Schema
(docs/lore-format.schema.json), the importer and the exporter are all built from it, and the rest (types,
lengths, enumerations, defaults) is read from the models, so none of them can drift from the database.
docs/FORMAT.md explains the format for people.
"""

import datetime
import decimal
import json
from dataclasses import dataclass

from django.core.validators import MinValueValidator
from django.db import models

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

FORMAT = "lore"
VERSION = 1
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"


@dataclass(frozen=True)
class Section:
    """One kind of record in the file: a top-level list (or, for the franchise, an object)."""

    name: str
    model: type[models.Model]
    fields: tuple[str, ...]
    required: tuple[str, ...]
    key: tuple[str, ...] = ("slug",)
    shared: bool = False  # site-wide records (people, sources): may also be referred to from the database
    description: str = ""

    @property
    def noun(self):
        return str(self.model._meta.verbose_name)

    @property
    def item(self):
        """The name of one record's definition in the schema: "film", "production_note"."""
        return self.noun.replace(" ", "_")

    def field(self, name):
        return self.model._meta.get_field(name)

    def target(self, name):
        """The section a reference field points into, or None for a plain value."""
        field = self.field(name)
        return SECTION_OF_MODEL[field.related_model] if field.is_relation else None

    def default(self, name):
        field = self.field(name)
        return [] if field.many_to_many else field.get_default()


FRANCHISE = Section(
    "franchise",
    Franchise,
    ("slug", "name", "summary", "uncited_note"),
    ("slug", "name"),
    description="The franchise the file describes. Every film, character, location and organization in the "
    "file belongs to it.",
)
SOURCES = Section(
    "sources",
    Source,
    (
        "slug",
        "title",
        "kind",
        "publisher",
        "author",
        "published_on",
        "date_precision",
        "url",
        "relays",
        "summary",
        "uncited_note",
    ),
    ("slug", "title"),
    shared=True,
    description="Publications facts come from. Site-wide: created or updated by slug, never deleted.",
)
PEOPLE = Section(
    "people",
    Person,
    ("slug", "name", "birth_date", "summary", "uncited_note"),
    ("slug", "name"),
    shared=True,
    description="Real people, cast and crew. Site-wide: created or updated by slug, never deleted.",
)
ORGANIZATIONS = Section(
    "organizations",
    Organization,
    ("slug", "name", "summary", "films", "uncited_note"),
    ("slug", "name"),
    description="In-universe organizations.",
)
LOCATIONS = Section(
    "locations",
    Location,
    ("slug", "name", "kind", "parent", "summary", "films", "uncited_note"),
    ("slug", "name"),
    description="In-universe places; `parent` is the place it lies in.",
)
FILMS = Section(
    "films",
    Film,
    (
        "slug",
        "title",
        "kind",
        "spun_off_from",
        "status",
        "status_as_of",
        "release_date",
        "release_order",
        "chronology_order",
        "chronology_note",
        "synopsis",
        "uncited_note",
    ),
    ("slug", "title"),
    description="Films and series of the franchise.",
)
CHARACTERS = Section(
    "characters",
    Character,
    ("slug", "name", "aliases", "summary", "organizations", "uncited_note"),
    ("slug", "name"),
    description="In-universe characters.",
)
CREDITS = Section(
    "credits",
    Credit,
    ("film", "person", "role", "character", "billing", "uncited_note"),
    ("film", "person", "role"),
    key=("film", "person", "role", "character"),
    description="A person's work on a film; an actor's credit names the character played.",
)
APPEARANCES = Section(
    "appearances",
    Appearance,
    ("character", "film", "type", "uncited_note"),
    ("character", "film"),
    key=("character", "film"),
    description="A character's presence in a film.",
)
PRODUCTION_NOTES = Section(
    "production_notes",
    ProductionNote,
    (
        "slug",
        "film",
        "headline",
        "speaker",
        "topic",
        "summary",
        "quote",
        "source",
        "occurred_on",
        "occurred_precision",
        "uncited_note",
    ),
    ("slug", "film", "headline", "topic", "summary"),
    description="Statements about the making of a film, in our own words; `source` is where they were made.",
)
CITATIONS = Section(
    "citations",
    Citation,
    ("source", "claim", *CITABLE_MODELS),
    ("source",),
    key=("source", "target"),
    description="A source backing one record. Names the source and exactly one cited record.",
)

# File order, which is also a safe order to write in: every section refers only to sections before it,
# or to itself (films, locations and sources, which the importer writes parents first).
SECTIONS = (
    FRANCHISE,
    SOURCES,
    PEOPLE,
    FILMS,
    ORGANIZATIONS,
    LOCATIONS,
    CHARACTERS,
    CREDITS,
    APPEARANCES,
    PRODUCTION_NOTES,
    CITATIONS,
)
LIST_SECTIONS = SECTIONS[1:]
SECTION_OF_MODEL = {section.model: section.name for section in SECTIONS}
BY_NAME = {section.name: section for section in SECTIONS}
# Sections whose records belong to the file's franchise: the import deletes those the file no longer lists.
OWNED = ("films", "organizations", "locations", "characters", "credits", "appearances", "production_notes")
# Citation targets that are one slug; credits and appearances are cited by their natural key instead.
SLUG_TARGETS = ("franchise", "film", "person", "character", "location", "organization")
TARGET_KEYS = {"credit": CREDITS.key, "appearance": APPEARANCES.key}
TARGET_SECTION = {
    "franchise": "franchise",
    "film": "films",
    "person": "people",
    "character": "characters",
    "location": "locations",
    "organization": "organizations",
    "credit": "credits",
    "appearance": "appearances",
}


DESCRIPTIONS = {
    "slug": "Unique among records of its kind across the whole site; other records refer to this one by it.",
    "name": "Display name.",
    "title": "Display title.",
    "summary": "A few sentences in our own words.",
    "synopsis": "The story in a few sentences, in our own words.",
    "headline": "What the note says, in one line.",
    "url": "Web address, if the source has one.",
    "published_on": "Publication date, YYYY-MM-DD; date_precision says how much of it is known.",
    "birth_date": "YYYY-MM-DD.",
    "release_date": "First release, YYYY-MM-DD. Required when status is released.",
    "status_as_of": "YYYY-MM-DD. " + Film._meta.get_field("status_as_of").help_text,
    "occurred_on": "YYYY-MM-DD. " + ProductionNote._meta.get_field("occurred_on").help_text,
    "date_precision": "How much of published_on is known.",
    "occurred_precision": "How much of occurred_on is known.",
    ("credits", "character"): "The character played: required for an actor, absent or null for anyone else.",
    ("production_notes", "speaker"): "Who said it. Required when there is a quote.",
    ("production_notes", "source"): "Where it was said. Required when there is a quote.",
    ("films", "spun_off_from"): "For a spinoff, the film it spun off from.",
    ("locations", "parent"): "The larger place this one lies in.",
    ("characters", "organizations"): "Slugs of the organizations the character belongs to.",
    ("sources", "relays"): "The original source this one reports on, e.g. the interview an article quotes.",
}


def to_python(field, value):
    """A plain JSON value (already checked against the schema) as the model field holds it."""
    if value is None:
        return None
    if isinstance(field, models.DateField):
        return datetime.date.fromisoformat(value)
    if isinstance(field, models.DecimalField):
        return decimal.Decimal(str(value))
    return value


def to_json(field, value):
    """A model value as the file writes it. Decimals become numbers: 2 decimal places survive a float."""
    if value is None:
        return None
    if isinstance(field, models.DateField):
        return value.isoformat()
    if isinstance(field, models.DecimalField):
        return float(value)
    return value


def _slug():
    return {"$ref": "#/$defs/slug"}


def _nullable(schema):
    types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    return {**schema, "type": [*types, "null"]}


def _value_schema(section, name):
    field = section.field(name)
    if field.many_to_many:
        return {"type": "array", "items": _slug(), "uniqueItems": True}
    if field.is_relation:
        schema = {"type": "string", "pattern": SLUG_PATTERN, "maxLength": 200}
        return _nullable(schema) if field.null else schema
    if isinstance(field, models.SlugField):
        return _slug()
    if field.choices:
        return {"enum": [value for value, _ in field.choices]}
    if isinstance(field, models.JSONField):  # Character.aliases, the only JSON field
        return {"type": "array", "items": {"type": "string", "pattern": r"\S"}}
    if isinstance(field, models.CharField):
        return {"type": "string", "maxLength": field.max_length}
    if isinstance(field, models.TextField):
        return {"type": "string"}
    if isinstance(field, models.DateField):
        schema = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
        return _nullable(schema) if field.null else schema
    if isinstance(field, models.DecimalField):
        limit = float(10 ** (field.max_digits - field.decimal_places)) - 10**-field.decimal_places
        schema = {"type": "number", "minimum": -limit, "maximum": limit}
        return _nullable(schema) if field.null else schema
    if isinstance(field, models.PositiveSmallIntegerField):
        minimum = max([0, *(v.limit_value for v in field.validators if isinstance(v, MinValueValidator))])
        schema = {"type": "integer", "minimum": minimum, "maximum": 32767}
        return _nullable(schema) if field.null else schema
    raise TypeError(f"No file representation for {section.model.__name__}.{name}")


def _description(section, name):
    field = section.field(name)
    text = DESCRIPTIONS.get((section.name, name)) or DESCRIPTIONS.get(name)
    if field.many_to_many:
        text = text or f"Slugs of the {field.related_model._meta.verbose_name_plural} it appears in."
    elif field.is_relation:
        text = f"Slug of a {field.related_model._meta.verbose_name}. {text or ''}".strip()
    elif field.choices:
        values = ", ".join(
            value if label.lower() == value.replace("_", " ") else f"{value} ({label.lower()})"
            for value, label in field.choices
        )
        text = f"{text or field.verbose_name.capitalize() + '.'} One of: {values}."
    return text or str(field.help_text or field.verbose_name.capitalize() + ".")


def _property(section, name):
    field = section.field(name)
    schema = {"description": _description(section, name), **_value_schema(section, name)}
    if name in section.required and schema.get("type") == "string":
        schema["minLength"] = 1
    if name not in section.required:
        schema["default"] = to_json(field, section.default(name))
    return schema


def _record_schema(section):
    return {
        "type": "object",
        "description": section.description,
        "required": list(section.required),
        "additionalProperties": False,
        "properties": {name: _property(section, name) for name in section.fields},
    }


def _key_schema(section):
    """A credit or appearance named by its natural key, as a citation target."""
    properties = {name: _property(section, name) for name in section.key}
    return {
        "type": "object",
        "description": f"The {section.noun} cited, by its natural key.",
        "required": list(section.required),
        "additionalProperties": False,
        "properties": properties,
    }


def _citation_schema():
    properties = {
        "source": {"description": "Slug of the source.", **_slug()},
        "claim": _property(CITATIONS, "claim"),
    }
    for name in SLUG_TARGETS:
        properties[name] = {"description": f"Slug of the cited {name}.", **_slug()}
    properties["credit"] = _key_schema(CREDITS)
    properties["appearance"] = _key_schema(APPEARANCES)
    return {
        "type": "object",
        "description": CITATIONS.description,
        "required": ["source"],
        "additionalProperties": False,
        "properties": properties,
        "oneOf": [{"required": [name]} for name in CITABLE_MODELS],
    }


def json_schema():
    """The JSON Schema (draft 2020-12) of a version 1 lore file."""
    defs = {"slug": {"type": "string", "pattern": SLUG_PATTERN, "maxLength": 200}}
    properties = {
        "format": {"description": 'Always "lore".', "const": FORMAT},
        "version": {"description": "The format version this file is written in.", "const": VERSION},
        "franchise": {"$ref": "#/$defs/franchise"},
    }
    defs["franchise"] = _record_schema(FRANCHISE)
    for section in LIST_SECTIONS:
        defs[section.item] = _citation_schema() if section is CITATIONS else _record_schema(section)
        properties[section.name] = {"type": "array", "items": {"$ref": f"#/$defs/{section.item}"}, "default": []}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"Lore franchise file, format version {VERSION}",
        "description": "One franchise with its films, people, characters, places, organizations, production "
        "notes, sources and citations, referring to each other by slug. See docs/FORMAT.md.",
        "type": "object",
        "required": ["format", "version", "franchise"],
        "additionalProperties": False,
        "properties": properties,
        "$defs": defs,
    }


def schema_text():
    """The schema as docs/lore-format.schema.json holds it."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
