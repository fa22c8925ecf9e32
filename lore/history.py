"""Public, read-only revision lists: `/history/<model>/<slug>/` shows who changed what on a record, and when.

Revisions come from django-simple-history. Editors are named by username only, never by e-mail address;
changes made without a signed-in user (imports, management commands) are credited to "import" or "system".
One page of revisions costs a fixed number of queries: the related rows each revision shows (foreign keys,
many-to-many sets) are joined or prefetched, and the diffs are computed in Python.
"""

import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import ForeignKey, Prefetch
from django.http import Http404
from django.utils.text import capfirst
from django.views.generic import DetailView

from lore.models import Character, Film, Franchise, Location, Organization, Person, ProductionNote, Source
from lore.views import PageMixin, crumbs, list_crumb

# The records that have a public page, by the lower-case model name URLs use.
HISTORY_MODELS = {
    model._meta.model_name: model
    for model in (Franchise, Film, Character, Person, Location, Organization, ProductionNote, Source)
}
REVISION_TYPES = {"+": "created", "~": "changed", "-": "deleted"}
REVISIONS_PER_PAGE = 50


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class Revision:
    date: datetime.datetime
    type: str
    author: str
    reason: str
    changes: list[Change]
    earliest: bool  # no earlier revision is recorded to compare it with


def author_of(historical):
    """Who made a revision, as the public may see it."""
    user = historical.history_user
    if user is None:
        return "import" if "import" in (historical.history_change_reason or "").lower() else "system"
    # Usernames may be e-mail addresses; the part before "@" names the editor without exposing the address.
    return user.get_username().split("@", 1)[0]


class _Differ:
    """Compares consecutive revisions of one model's records, field by field."""

    def __init__(self, model):
        history_model = model.history.model
        self.fields = [field for field in history_model.tracked_fields if field.editable and not field.primary_key]
        # Per many-to-many field: the field, the accessor from a revision to its rows, their model, and the
        # name of the related record on a row.
        self.m2m = []
        for field in history_model._history_m2m_fields:
            rows = getattr(history_model, field.name).model
            accessor = rows._meta.get_field("history").remote_field.get_accessor_name()
            self.m2m.append((field, accessor, rows, field.m2m_reverse_field_name()))

    def queryset(self, record):
        """The record's revisions, newest first, with everything a diff shows loaded alongside."""
        return record.history.select_related(
            "history_user", *[field.name for field in self.fields if isinstance(field, ForeignKey)]
        ).prefetch_related(
            *[
                Prefetch(accessor, queryset=rows.objects.select_related(target))
                for _, accessor, rows, target in self.m2m
            ]
        )

    def changes(self, new, old):
        changes = []
        for field in self.fields:
            if getattr(new, field.attname) != getattr(old, field.attname):
                changes.append(Change(capfirst(field.verbose_name), _shown(old, field), _shown(new, field)))
        for field, accessor, _, target in self.m2m:
            old_rows, new_rows = getattr(old, accessor).all(), getattr(new, accessor).all()
            if related_ids(old_rows, target) != related_ids(new_rows, target):
                label = capfirst(field.verbose_name)
                changes.append(Change(label, _listed(old_rows, target), _listed(new_rows, target)))
        return changes


def _shown(historical, field):
    """A field's value on a revision as the page shows it: related records by name, choices by label."""
    if isinstance(field, ForeignKey):
        related = getattr(historical, field.name)
        if related is None and getattr(historical, field.attname) is not None:
            return f"(deleted {field.related_model._meta.verbose_name})"
        return "" if related is None else str(related)
    value = getattr(historical, field.attname)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)


def related_ids(rows, target):
    """The ids of the records a revision's many-to-many rows link to (`target`: their field naming them)."""
    return {row.serializable_value(target) for row in rows}


def _listed(rows, target):
    names = []
    for row in rows:
        related = getattr(row, target)
        names.append(str(related) if related is not None else f"(deleted #{row.serializable_value(target)})")
    return ", ".join(sorted(names))


def revisions(record, page):
    """The revisions on one page of a record's history, each with its diff against the one before it."""
    differ = _Differ(type(record))
    start = (page.number - 1) * page.paginator.per_page
    # One revision beyond the page: the oldest one shown is compared with it.
    rows = list(differ.queryset(record)[start : start + page.paginator.per_page + 1]) if page.paginator.count else []
    result = []
    for index, new in enumerate(rows[: page.paginator.per_page]):
        old = rows[index + 1] if index + 1 < len(rows) else None
        changes = differ.changes(new, old) if old is not None and new.history_type == "~" else []
        result.append(
            Revision(
                date=new.history_date,
                type=REVISION_TYPES.get(new.history_type, "changed"),
                author=author_of(new),
                reason=new.history_change_reason or "",
                changes=changes,
                earliest=old is None,
            )
        )
    return result


class HistoryView(PageMixin, DetailView):
    """A record's revisions, newest first; read-only and public."""

    template_name = "lore/history.html"
    context_object_name = "record"

    def get_queryset(self):
        model = HISTORY_MODELS.get(self.kwargs["model"])
        if model is None:
            raise Http404("No such kind of record.")
        return model.objects.all()

    def get_page_title(self):
        return f"History of {self.object} ({self.object._meta.verbose_name})"

    def get_page_description(self):
        return f"Every recorded change to {self.object} on Lore: when, by whom, and what changed."

    def get_breadcrumbs(self):
        record = self.object
        return crumbs(list_crumb(type(record)), (str(record), record.get_absolute_url()), ("History", None))

    def get_context_data(self, **kwargs):
        page = Paginator(self.object.history.all(), REVISIONS_PER_PAGE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            kind=self.object._meta.verbose_name,
            page_obj=page,
            is_paginated=page.has_other_pages(),
            revisions=revisions(self.object, page),
            **kwargs,
        )
