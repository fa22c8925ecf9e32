"""Which citations belong to a franchise's file, and how a citation is identified in one."""

from django.db.models import Q

from lore.interchange import format as fmt
from lore.models import Citation


def franchise_citations(franchise):
    """A condition for the citations of the franchise's own records (not of people, who are shared)."""
    condition = Q(franchise=franchise)
    for name in ("film", "character", "location", "organization"):
        condition |= Q(**{f"{name}__franchise": franchise})
    return condition | Q(credit__film__franchise=franchise) | Q(appearance__film__franchise=franchise)


def citations(condition):
    """Citations matching the condition, with everything citation_key() reads."""
    return Citation.objects.filter(condition).select_related(
        "source",
        *fmt.SLUG_TARGETS,
        "credit__film",
        "credit__person",
        "credit__character",
        "appearance__film",
        "appearance__character",
    )


def citation_key(citation):
    """(source slug, target kind, target slug or natural key): the key validate.key_of() gives it in a file."""
    kind, target = citation.target_kind, citation.target
    return citation.source.slug, kind, target.natural_key() if kind in fmt.TARGET_KEYS else target.slug
