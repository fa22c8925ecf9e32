"""Export one franchise as a lore file.

Everything is sorted by slug or natural key in Python (not by the database's collation) and written with
fixed formatting, so exporting the same data twice, on SQLite or PostgreSQL, gives the same bytes.
The file holds the franchise's own records, and the people and sources they refer to, with those people's
citations: enough to rebuild the franchise in an empty database.
"""

import json

from django.db.models import Q

from lore.interchange import format as fmt
from lore.interchange.scope import citations, franchise_citations
from lore.models import (
    Appearance,
    Character,
    Credit,
    Film,
    Franchise,
    Location,
    Organization,
    Person,
    ProductionNote,
    Source,
)


def export_franchise(*, slug):
    """The lore document (a dict) for the franchise with this slug. Raises Franchise.DoesNotExist."""
    franchise = Franchise.objects.get(slug=slug)
    credits = list(Credit.objects.filter(film__franchise=franchise).select_related("film", "person", "character"))
    notes = list(ProductionNote.objects.filter(film__franchise=franchise).select_related("film", "speaker", "source"))
    people = list(
        Person.objects.filter(
            pk__in={credit.person_id for credit in credits} | {note.speaker_id for note in notes if note.speaker_id}
        )
    )
    cited = list(citations(franchise_citations(franchise) | Q(person__in=people)))
    sources = _with_relayed({citation.source_id for citation in cited} | {note.source_id for note in notes})
    return {
        "format": fmt.FORMAT,
        "version": fmt.VERSION,
        "franchise": _record(fmt.FRANCHISE, franchise),
        "sources": _records(fmt.SOURCES, sources),
        "people": _records(fmt.PEOPLE, people),
        "films": _records(fmt.FILMS, Film.objects.filter(franchise=franchise).select_related("spun_off_from")),
        "organizations": _records(
            fmt.ORGANIZATIONS, Organization.objects.filter(franchise=franchise).prefetch_related("films")
        ),
        "locations": _records(
            fmt.LOCATIONS,
            Location.objects.filter(franchise=franchise).select_related("parent").prefetch_related("films"),
        ),
        "characters": _records(
            fmt.CHARACTERS, Character.objects.filter(franchise=franchise).prefetch_related("organizations")
        ),
        "credits": _records(fmt.CREDITS, credits),
        "appearances": _records(
            fmt.APPEARANCES, Appearance.objects.filter(film__franchise=franchise).select_related("film", "character")
        ),
        "production_notes": _records(fmt.PRODUCTION_NOTES, notes),
        "citations": sorted((_citation(citation) for citation in cited), key=_citation_order),
    }


def render(document):
    """The document as file text: two-space indents, keys in format order, UTF-8, a final newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _record(section, instance):
    record = {}
    for name in section.fields:
        field = section.field(name)
        if field.many_to_many:
            record[name] = sorted(row.slug for row in getattr(instance, name).all())
        elif field.is_relation:
            related = getattr(instance, name)
            record[name] = related.slug if related is not None else None
        else:
            record[name] = fmt.to_json(field, getattr(instance, name))
    return record


def _records(section, instances):
    records = [_record(section, instance) for instance in instances]
    return sorted(records, key=lambda record: tuple(record[name] or "" for name in section.key))


def _citation(citation):
    kind, target = citation.target_kind, citation.target
    if kind in fmt.TARGET_KEYS:
        value = dict(zip(fmt.TARGET_KEYS[kind], target.natural_key(), strict=True))
    else:
        value = target.slug
    return {"source": citation.source.slug, kind: value, "claim": citation.claim}


def _citation_order(record):
    kind = next(name for name in fmt.TARGET_SECTION if name in record)
    target = record[kind]
    target = tuple(value or "" for value in target.values()) if isinstance(target, dict) else (target,)
    return record["source"], kind, target


def _with_relayed(source_ids):
    """The sources with these ids and every source they relay, however long the chain."""
    found, wanted = {}, {pk for pk in source_ids if pk}
    while wanted:
        for source in Source.objects.filter(pk__in=wanted).select_related("relays"):
            found[source.pk] = source
        wanted = {source.relays_id for source in found.values() if source.relays_id} - found.keys()
    return list(found.values())
