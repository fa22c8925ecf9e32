"""Query parameters of the API lists: django-filter FilterSets, plus stricter `search` and `ordering`.

Relations are filtered by slug (`?franchise=john-wick`); a slug that names nothing matches nothing. A value
that cannot be right (an unknown choice, a malformed number, an unknown ordering field) is a 400 naming
the parameter, never silently ignored.
"""

import re

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django_filters import rest_framework as filters
from django_filters.constants import EMPTY_VALUES
from drf_spectacular.utils import extend_schema_field
from rest_framework import filters as drf_filters
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from lore.models import Character, Credit, Film, Location, Organization, Person, ProductionNote, Source
from lore.querysets import order_terms, with_related
from lore.search import MAX_QUERY_LENGTH, SEARCH_TYPES

MAX_SEARCH_LENGTH = 200
MAX_SLUG_LENGTH = 200  # as long as any slug field


class AnyTextField(forms.CharField):
    """Text of at most MAX_SLUG_LENGTH characters, NUL included: a value no slug has simply matches nothing."""

    def __init__(self, **kwargs):
        super().__init__(max_length=MAX_SLUG_LENGTH, **kwargs)
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]


class OncePerRecord:
    """A filter declared `distinct=True`, through a to-many relation: each matching record listed once, by a
    subquery on the related table rather than a join and DISTINCT (lore.querysets.with_related)."""

    def filter(self, qs, value):
        if self.distinct and value not in EMPTY_VALUES:
            return with_related(qs, f"{self.field_name}__{self.lookup_expr}", value)
        return super().filter(qs, value)


@extend_schema_field({"type": "string", "maxLength": MAX_SLUG_LENGTH})
class SlugFilter(OncePerRecord, filters.CharFilter):
    """Records related to the one with this slug."""

    field_class = AnyTextField

    def filter(self, qs, value):
        if value and "\x00" in value:
            return qs.none()  # no slug holds a NUL, and PostgreSQL refuses one in a query
        return super().filter(qs, value)


class RelatedChoiceFilter(OncePerRecord, filters.ChoiceFilter):
    """A choice of a related record's field, such as a person's credits' role."""


class WholeNumberField(forms.IntegerField):
    """An integer written as one: Django's own field would also take "2020.0" or " 2020 "."""

    def to_python(self, value):
        if value not in self.empty_values and not re.fullmatch(r"-?[0-9]{1,9}", str(value)):
            raise forms.ValidationError("Enter a whole number, such as 2023.", code="invalid")
        return super().to_python(value)


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 9999})
class YearFilter(filters.NumberFilter):
    field_class = WholeNumberField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=9999, **kwargs)


STRICT_FILTERS = (filters.ChoiceFilter, filters.NumberFilter, filters.DateFilter)


class StrictFilterSet(filters.FilterSet):
    """A FilterSet where a choice, number or date parameter given with no value is an error, not "no filter"."""

    def is_valid(self):
        super().is_valid()
        for name, value in self.data.items():
            if value == "" and isinstance(self.filters.get(name), STRICT_FILTERS):
                self.form.add_error(name, "Give a value, or leave the parameter out.")
        return self.form.is_valid()


class FilterBackend(filters.DjangoFilterBackend):
    """django-filter's backend, which leaves a request naming none of the view's filters alone.

    Building the FilterSet and validating its form to filter nothing was a twelfth of an unfiltered API
    list's work. Every filter here takes one parameter named as the filter (none is a range or another
    multi-widget filter, whose parameters carry suffixes), so "named none" is exact.
    """

    def filter_queryset(self, request, queryset, view):
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is None or request.query_params.keys().isdisjoint(filterset_class.base_filters):
            return queryset
        return super().filter_queryset(request, queryset, view)


class FilmFilter(StrictFilterSet):
    franchise = SlugFilter(field_name="franchise__slug", help_text="Franchise slug.")
    kind = filters.ChoiceFilter(choices=Film.Kind.choices)
    status = filters.ChoiceFilter(choices=Film.Status.choices)
    spun_off_from = SlugFilter(field_name="spun_off_from__slug", help_text="Slug of the film spun off from.")
    release_year_min = YearFilter(
        field_name="release_date__year", lookup_expr="gte", help_text="Released in this year or later."
    )
    release_year_max = YearFilter(
        field_name="release_date__year", lookup_expr="lte", help_text="Released in this year or earlier."
    )
    released_after = filters.DateFilter(
        field_name="release_date", lookup_expr="gte", help_text="Released on this date (YYYY-MM-DD) or later."
    )
    released_before = filters.DateFilter(
        field_name="release_date", lookup_expr="lte", help_text="Released on this date (YYYY-MM-DD) or earlier."
    )

    class Meta:
        model = Film
        fields = (
            "franchise",
            "kind",
            "status",
            "spun_off_from",
            "release_year_min",
            "release_year_max",
            "released_after",
            "released_before",
        )


class CharacterFilter(StrictFilterSet):
    franchise = SlugFilter(field_name="franchise__slug", help_text="Franchise slug.")
    film = SlugFilter(field_name="appearances__film__slug", distinct=True, help_text="Appears in this film (slug).")
    organization = SlugFilter(
        field_name="organizations__slug", distinct=True, help_text="Belongs to this organization (slug)."
    )
    portrayed_by = SlugFilter(
        field_name="credits__person__slug", distinct=True, help_text="Played by this person (slug)."
    )

    class Meta:
        model = Character
        fields = ("franchise", "film", "organization", "portrayed_by")


class PersonFilter(StrictFilterSet):
    film = SlugFilter(field_name="credits__film__slug", distinct=True, help_text="Credited on this film (slug).")
    role = RelatedChoiceFilter(
        field_name="credits__role", choices=Credit.Role.choices, distinct=True, help_text="Has a credit in this role."
    )

    class Meta:
        model = Person
        fields = ("film", "role")


class CreditFilter(StrictFilterSet):
    film = SlugFilter(field_name="film__slug", help_text="Film slug.")
    person = SlugFilter(field_name="person__slug", help_text="Person slug.")
    character = SlugFilter(field_name="character__slug", help_text="Character slug (acting credits).")
    role = filters.ChoiceFilter(choices=Credit.Role.choices)

    class Meta:
        model = Credit
        fields = ("film", "person", "character", "role")


class LocationFilter(StrictFilterSet):
    franchise = SlugFilter(field_name="franchise__slug", help_text="Franchise slug.")
    kind = filters.ChoiceFilter(choices=Location.Kind.choices)
    film = SlugFilter(field_name="films__slug", distinct=True, help_text="Seen in this film (slug).")
    parent = SlugFilter(field_name="parent__slug", help_text="Directly inside this location (slug).")

    class Meta:
        model = Location
        fields = ("franchise", "kind", "film", "parent")


class OrganizationFilter(StrictFilterSet):
    franchise = SlugFilter(field_name="franchise__slug", help_text="Franchise slug.")
    film = SlugFilter(field_name="films__slug", distinct=True, help_text="Features in this film (slug).")

    class Meta:
        model = Organization
        fields = ("franchise", "film")


class ProductionNoteFilter(StrictFilterSet):
    franchise = SlugFilter(field_name="film__franchise__slug", help_text="Franchise slug.")
    film = SlugFilter(field_name="film__slug", help_text="Film slug.")
    speaker = SlugFilter(field_name="speaker__slug", help_text="Slug of the person speaking.")
    topic = filters.ChoiceFilter(choices=ProductionNote.Topic.choices)
    source = SlugFilter(field_name="source__slug", help_text="Source slug.")

    class Meta:
        model = ProductionNote
        fields = ("franchise", "film", "speaker", "topic", "source")


class SourceFilter(StrictFilterSet):
    kind = filters.ChoiceFilter(choices=Source.Kind.choices)

    class Meta:
        model = Source
        fields = ("kind",)


class SearchFilter(drf_filters.SearchFilter):
    """DRF's `?search=`, bounded so a huge value cannot build a pathological query."""

    def get_search_terms(self, request):
        value = request.query_params.get(self.search_param, "")
        if len(value) > MAX_SEARCH_LENGTH:
            raise ValidationError({self.search_param: [f"At most {MAX_SEARCH_LENGTH} characters."]})
        return drf_filters.search_smart_split(value.replace("\x00", " "))

    def get_schema_operation_parameters(self, view):
        fields = ", ".join(f.lstrip("^=@$") for f in getattr(view, "search_fields", ()))
        return [
            {
                "name": self.search_param,
                "required": False,
                "in": "query",
                "description": f"Words to look for (case-insensitive) in: {fields}.",
                "schema": {"type": "string", "maxLength": MAX_SEARCH_LENGTH},
            }
        ]


class OrderingFilter(drf_filters.OrderingFilter):
    """`?ordering=field,-other` over the view's explicit `ordering_fields`; an unknown field is a 400.

    The order is completed as every list's is (lore.querysets.order_terms): records without a value last in
    either direction, then the primary key, so pages never overlap or skip rows.
    """

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        if not ordering:
            return queryset
        return queryset.order_by(*order_terms(queryset.model, ordering))

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if raw is None:
            return list(self.get_default_ordering(view) or queryset.model._meta.ordering)
        fields = raw.split(",")
        allowed = self.allowed_terms(view)
        unknown = [term for term in fields if term not in allowed]
        if unknown:
            choices = ", ".join(name for name, _ in self.get_valid_fields(queryset, view, {"request": request}))
            raise ValidationError(
                {self.ordering_param: [f"Cannot order by {unknown[0][:50]!r}. Choose from: {choices} (- to reverse)."]}
            )
        return fields

    def allowed_terms(self, view):
        names = list(view.ordering_fields)
        return names + [f"-{name}" for name in names]

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Comma-separated fields to sort by; prefix a field with - for descending order. "
                "Records without a value come last either way; ties are ordered by id, in the last field's direction.",
                "schema": {
                    "type": "array",
                    "minItems": 1,
                    "items": {"type": "string", "enum": self.allowed_terms(view)},
                },
                "style": "form",
                "explode": False,
            }
        ]


class SearchParameters(serializers.Serializer):
    """The query parameters of /api/v1/search/: `q`, and optionally `type=film,character`."""

    q = serializers.CharField(max_length=MAX_QUERY_LENGTH, trim_whitespace=False)
    type = serializers.CharField(required=False, trim_whitespace=False)

    def validate_type(self, value):
        names = value.split(",")
        known = [search_type.name for search_type in SEARCH_TYPES]
        unknown = [name for name in names if name not in known]
        if unknown:
            raise ValidationError(f"Unknown type {unknown[0][:50]!r}. Choose from: {', '.join(known)}.")
        return names
