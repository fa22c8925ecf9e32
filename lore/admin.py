"""Django admin for editors: every lore model, with inlines where editors think in one place, validation
that explains itself, and simple-history's revision list (with a diff per revision and a revert button).

Validation lives on the models (clean() and Meta constraints). This module only adds what a model cannot
check on its own when rows are edited inline: on an add page the parent has no primary key yet, and Django
leaves the parent's foreign key out of each inline row's validation.
"""

from django import forms
from django.contrib import admin
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import to_historic

from lore.history import related_ids
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

admin.site.site_header = "Lore administration"
admin.site.site_title = "Lore admin"
admin.site.index_title = "Edit the knowledge base"

CITATION_TARGETS = (
    *CITABLE_MODELS,
    "credit__film",
    "credit__person",
    "credit__character",
    "appearance__film",
    "appearance__character",
)


class LoreAdmin(SimpleHistoryAdmin):
    list_per_page = 50
    # Counting a whole big table on every changelist page costs more than it tells the editor.
    show_full_result_count = False
    save_on_top = True
    readonly_fields = ("updated_at",)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        # The public lists' query shape: related rows joined, counts annotated, so __str__ and the
        # autocomplete results run no query per row.
        return super().get_queryset(request).for_list()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        revision = to_historic(obj) if obj is not None else None
        return form if revision is None else _revision_form(form, revision)

    def get_fields(self, request, obj=None):
        # The shared "uncited note" comes first in model order; editors fill it in after the facts it qualifies.
        fields = super().get_fields(request, obj)
        last = [name for name in ("uncited_note", "updated_at") if name in fields]
        return [name for name in fields if name not in last] + last


def _revision_form(form, revision):
    """`form` for simple-history's revision page, showing the many-to-many links the revision recorded.

    The page builds its form from `revision.instance`, which has the record's primary key, so a plain
    ModelForm would read the links the record has now: pressing Revert would restore the fields and keep
    today's links.
    """
    initial = {
        field.name: related_ids(getattr(revision, field.name).all(), field.m2m_reverse_field_name())
        for field in revision._history_m2m_fields
    }

    class RevisionForm(form):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.initial.update((name, ids) for name, ids in initial.items() if name in self.fields)

    return RevisionForm


class ParentAwareFormSet(BaseInlineFormSet):
    """An inline formset that validates its rows against the parent as it is being edited on the page."""

    row_key = ()  # with the parent, these fields identify a row
    duplicate_message = ""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        # Each row's clean() then compares with the parent as edited on this page, not as stored.
        setattr(form.instance, self.fk.name, self.instance)
        return form

    def clean(self):
        seen = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or form.errors:
                continue
            self.clean_row(form, data)
            key = tuple(data.get(name) for name in self.row_key)
            if self.row_key and key in seen:
                form.add_error(None, self.duplicate_message)
            seen.add(key)
        super().clean()

    def clean_row(self, form, data):
        """Checks one row against the parent; add errors to `form`."""


def _same_franchise(form, data, field, parent, message):
    related = data.get(field)
    if related is not None and parent.franchise_id and related.franchise_id != parent.franchise_id:
        form.add_error(field, message)


class FilmCreditFormSet(ParentAwareFormSet):
    row_key = ("person", "role", "character")
    duplicate_message = "This person already has this credit on this film."

    def clean_row(self, form, data):
        _same_franchise(
            form, data, "character", self.instance, "An acting credit must name a character of the film's franchise."
        )


class FilmAppearanceFormSet(ParentAwareFormSet):
    row_key = ("character",)
    duplicate_message = "This character already has an appearance in this film."

    def clean_row(self, form, data):
        _same_franchise(
            form, data, "character", self.instance, "A character can only appear in films of its own franchise."
        )


class CharacterAppearanceFormSet(ParentAwareFormSet):
    row_key = ("film",)
    duplicate_message = "This character already has an appearance in this film."

    def clean_row(self, form, data):
        _same_franchise(form, data, "film", self.instance, "A character can only appear in films of its own franchise.")


class CitationFormSet(ParentAwareFormSet):
    row_key = ("source",)
    duplicate_message = "This source already cites this record."


class RowsForList:
    """Inline rows loaded like the public lists load them, so each row's label costs no query."""

    def get_queryset(self, request):
        return super().get_queryset(request).for_list()


class CreditInline(RowsForList, admin.TabularInline):
    model = Credit
    formset = FilmCreditFormSet
    fields = ("person", "role", "character", "billing")
    autocomplete_fields = ("person", "character")
    extra = 0


class FilmAppearanceInline(RowsForList, admin.TabularInline):
    model = Appearance
    formset = FilmAppearanceFormSet
    fields = ("character", "type")
    autocomplete_fields = ("character",)
    extra = 0


class CharacterAppearanceInline(FilmAppearanceInline):
    formset = CharacterAppearanceFormSet
    fields = ("film", "type")
    autocomplete_fields = ("film",)


class ProductionNoteInline(RowsForList, admin.StackedInline):
    model = ProductionNote
    formset = ParentAwareFormSet
    fields = (
        ("headline", "slug"),
        ("topic", "occurred_on", "occurred_precision"),
        "summary",
        ("quote", "speaker", "source"),
        "uncited_note",
    )
    prepopulated_fields = {"slug": ("headline",)}
    autocomplete_fields = ("speaker", "source")
    extra = 0


class CitationInline(RowsForList, admin.TabularInline):
    """The sources backing the record being edited."""

    model = Citation
    formset = CitationFormSet
    fields = ("source", "claim")
    autocomplete_fields = ("source",)
    extra = 0


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CitedByInline(ReadOnlyInline):
    """What a source backs: every record citing it, linked to its admin page."""

    model = Citation
    fk_name = "source"
    verbose_name = "citation of this source"
    verbose_name_plural = "records citing this source"
    fields = ("cited_record", "claim")
    readonly_fields = ("cited_record", "claim")

    def get_queryset(self, request):
        # Each row is labelled with str(citation), which names the source as well as the cited record.
        return super().get_queryset(request).select_related("source", *CITATION_TARGETS)

    @admin.display(description="Record")
    def cited_record(self, citation):
        return admin_link(citation.target)


class NotesFromSourceInline(ReadOnlyInline):
    model = ProductionNote
    fk_name = "source"
    verbose_name_plural = "production notes from this source"
    fields = ("headline", "film", "speaker")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("film", "speaker")


def admin_link(record):
    """A link to a record's admin change page, labelled with its kind and name."""
    if record is None:
        return "-"
    opts = record._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
    return format_html('<a href="{}">{}: {}</a>', url, capfirst(opts.verbose_name), record)


class FranchiseMoveForm(forms.ModelForm):
    """Refuses to move a record to another franchise while rows of its current franchise depend on it."""

    # (related manager, lookup of the franchise on its rows, message)
    franchise_dependents = ()

    def clean(self):
        cleaned_data = super().clean()
        franchise = cleaned_data.get("franchise")
        if self.instance.pk and franchise and "franchise" in self.changed_data:
            for related, lookup, message in self.franchise_dependents:
                if getattr(self.instance, related).exclude(**{lookup: franchise}).exists():
                    self.add_error("franchise", message)
        return cleaned_data


class FilmForm(FranchiseMoveForm):
    franchise_dependents = (
        ("spinoffs", "franchise", "This film has spinoffs in its current franchise: move or unlink them first."),
    )


class CharacterForm(FranchiseMoveForm):
    franchise_dependents = (
        (
            "credits",
            "film__franchise",
            "This character is credited in films of its current franchise: change those credits first.",
        ),
    )


class LocationForm(FranchiseMoveForm):
    franchise_dependents = (
        ("children", "franchise", "Places inside this one belong to its current franchise: move them first."),
    )


@admin.register(Franchise)
class FranchiseAdmin(LoreAdmin):
    list_display = ("name", "slug", "film_count", "character_count", "updated_at")
    search_fields = ("name", "slug")
    list_filter = ("updated_at",)
    ordering = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = (CitationInline,)

    @admin.display(description="films", ordering="film_count")
    def film_count(self, franchise):
        return franchise.film_count

    @admin.display(description="characters", ordering="character_count")
    def character_count(self, franchise):
        return franchise.character_count


@admin.register(Film)
class FilmAdmin(LoreAdmin):
    form = FilmForm
    list_display = ("title", "franchise", "kind", "status", "release_date", "release_order", "updated_at")
    list_select_related = ("franchise", "spun_off_from")
    search_fields = ("title", "slug")
    list_filter = ("franchise", "kind", "status")
    ordering = ("franchise__name", "release_order", "title")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("franchise", "spun_off_from")
    inlines = (CreditInline, FilmAppearanceInline, ProductionNoteInline, CitationInline)


@admin.register(Person)
class PersonAdmin(LoreAdmin):
    list_display = ("name", "slug", "birth_date", "credit_count", "updated_at")
    search_fields = ("name", "slug")
    list_filter = ("credits__role", ("birth_date", admin.EmptyFieldListFilter))
    ordering = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    inlines = (CitationInline,)


@admin.register(Character)
class CharacterAdmin(LoreAdmin):
    form = CharacterForm
    list_display = ("name", "franchise", "slug", "updated_at")
    list_select_related = ("franchise",)
    search_fields = ("name", "slug", "aliases")
    list_filter = ("franchise",)
    ordering = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("franchise", "organizations")
    inlines = (CharacterAppearanceInline, CitationInline)


@admin.register(Location)
class LocationAdmin(LoreAdmin):
    form = LocationForm
    list_display = ("name", "kind", "franchise", "parent", "updated_at")
    list_select_related = ("franchise", "parent")
    search_fields = ("name", "slug")
    list_filter = ("franchise", "kind")
    ordering = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("franchise", "parent", "films")
    inlines = (CitationInline,)


@admin.register(Organization)
class OrganizationAdmin(LoreAdmin):
    list_display = ("name", "franchise", "slug", "updated_at")
    list_select_related = ("franchise",)
    search_fields = ("name", "slug")
    list_filter = ("franchise",)
    ordering = ("name",)
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("franchise", "films")
    inlines = (CitationInline,)


@admin.register(Credit)
class CreditAdmin(LoreAdmin):
    list_display = ("person", "role", "character", "film", "billing")
    list_select_related = ("film", "person", "character")
    search_fields = ("person__name", "character__name", "film__title")
    list_filter = ("role", "film__franchise")
    ordering = ("film__title", "billing", "person__name")
    autocomplete_fields = ("film", "person", "character")
    inlines = (CitationInline,)


@admin.register(Appearance)
class AppearanceAdmin(LoreAdmin):
    list_display = ("character", "film", "type")
    list_select_related = ("film", "character")
    search_fields = ("character__name", "film__title")
    list_filter = ("type", "film__franchise")
    ordering = ("film__title", "character__name")
    autocomplete_fields = ("character", "film")
    inlines = (CitationInline,)


@admin.register(Source)
class SourceAdmin(LoreAdmin):
    list_display = ("title", "kind", "publisher", "published_on", "citation_count", "updated_at")
    list_select_related = ("relays",)
    search_fields = ("title", "slug", "publisher", "author", "url")
    list_filter = ("kind", "date_precision")
    ordering = ("title",)
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("relays",)
    inlines = (CitedByInline, NotesFromSourceInline)


@admin.register(ProductionNote)
class ProductionNoteAdmin(LoreAdmin):
    list_display = ("headline", "film", "topic", "speaker", "source", "occurred_on")
    list_select_related = ("film", "speaker", "source")
    search_fields = ("headline", "slug", "summary", "quote")
    list_filter = ("topic", "film__franchise")
    ordering = ("film__title", "slug")
    prepopulated_fields = {"slug": ("headline",)}
    autocomplete_fields = ("film", "speaker", "source")


class CitationTargetFilter(admin.SimpleListFilter):
    title = "cited record type"
    parameter_name = "target"

    def lookups(self, request, model_admin):
        return [(name, capfirst(model._meta.verbose_name)) for name, model in CITABLE_MODELS.items()]

    def queryset(self, request, queryset):
        if self.value() in CITABLE_MODELS:
            return queryset.filter(**{f"{self.value()}__isnull": False})
        return queryset


@admin.register(Citation)
class CitationAdmin(LoreAdmin):
    list_display = ("source", "cited_record", "claim")
    list_select_related = ("source", *CITATION_TARGETS)
    search_fields = ("source__title", "claim")
    list_filter = (CitationTargetFilter, "source__kind")
    ordering = ("source__title", "id")
    autocomplete_fields = ("source", *CITABLE_MODELS)
    readonly_fields = ()
    fieldsets = (
        (None, {"fields": ("source", "claim")}),
        ("Cited record (exactly one)", {"fields": tuple(CITABLE_MODELS)}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*CITATION_TARGETS)

    @admin.display(description="Record")
    def cited_record(self, citation):
        return admin_link(citation.target)
