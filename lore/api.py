"""The read-only REST API: one viewset per record type plus a cross-type search, on one router.

Mounted under /api/ (franchise_site/urls.py) as namespace `api`: `/api/v1/` (the root and resources, URL
names like `api:film-detail`), `/api/schema/` (OpenAPI 3) and `/api/docs/` (Swagger UI from the sidecar's
static files). Editing happens in the admin; every write method here answers 405.
"""

import base64
import hashlib
import re

from csp.decorators import csp_update
from django.http import Http404
from django.template.loader import get_template
from django.urls import include, path, re_path
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.utils.http import http_date
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import routers, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.schemas import DefaultSchema

from lore import api_errors, filters, serializers
from lore.models import Character, Credit, Film, Franchise, Location, Organization, Person, ProductionNote, Source
from lore.querysets import CitedQuerySet, detail_lists, prebuilt, with_lists
from lore.search import MAX_QUERY_LENGTH, SEARCH_TYPES, normalise, search

SLUG = r"[-a-zA-Z0-9_]+"
STARTED = timezone.now()  # the API root's content changes only when the code does


class ConditionalGetMixin:
    """ETag, Last-Modified and a short public Cache-Control on every successful GET; If-None-Match → 304.

    Serializers append the `updated_at` of each record they show to `self.modified`; Last-Modified is the
    newest. The ETag hashes the body itself, so it also changes when a related row is deleted.
    """

    max_age = 60

    def initial(self, request, *args, **kwargs):
        self.modified = []
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        response.render()
        set_response_etag(response)
        if getattr(self, "modified", None):
            response.headers["Last-Modified"] = http_date(max(self.modified).timestamp())
        patch_cache_control(response, public=True, max_age=self.max_age)
        return get_conditional_response(request, etag=response.headers["ETag"], response=response)


class RecordViewSet(ConditionalGetMixin, viewsets.ReadOnlyModelViewSet):
    """A record type: a summary serializer for the list, a detail serializer for one record.

    Both querysets come from the model's QuerySet methods, shared with the pages; lists also fetch each
    record's references.
    """

    model = None
    detail_serializer_class = None
    example_slug = None  # a slug from the seed data, shown in the schema
    lookup_field = "slug"
    lookup_value_regex = SLUG

    def get_queryset(self):
        if self.action == "retrieve":
            return prebuilt(self.model, "for_detail")
        queryset = prebuilt(self.model, "for_list")
        return queryset.with_references() if isinstance(queryset, CitedQuerySet) else queryset

    def get_serializer_class(self):
        return self.detail_serializer_class if self.action == "retrieve" else self.serializer_class

    def get_object(self):
        try:
            record = super().get_object()
        except Http404:
            raise NotFound(f"No {self.model._meta.verbose_name} has the slug {self.kwargs['slug']!r}.") from None
        return with_lists(record, detail_lists(self.model))

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "modified": self.modified}


class FranchiseViewSet(RecordViewSet):
    """Franchises, with how many films and characters each has; the detail lists its films."""

    model = Franchise
    example_slug = "john-wick"
    serializer_class = serializers.FranchiseSerializer
    detail_serializer_class = serializers.FranchiseDetailSerializer
    search_fields = ("name", "summary")
    ordering_fields = ("name", "film_count", "character_count", "updated_at")


class FilmViewSet(RecordViewSet):
    """Films, spinoffs, shorts and series. The detail embeds credits, characters, places and notes."""

    model = Film
    example_slug = "ballerina"
    serializer_class = serializers.FilmSerializer
    detail_serializer_class = serializers.FilmDetailSerializer
    filterset_class = filters.FilmFilter
    search_fields = ("title", "synopsis")
    ordering_fields = ("title", "release_date", "release_order", "chronology_order", "updated_at")


class CharacterViewSet(RecordViewSet):
    """In-universe characters. The detail embeds appearances, who played them, and organizations."""

    model = Character
    example_slug = "eve-macarro"
    serializer_class = serializers.CharacterSerializer
    detail_serializer_class = serializers.CharacterDetailSerializer
    filterset_class = filters.CharacterFilter
    search_fields = ("name", "summary")
    ordering_fields = ("name", "updated_at")


class PersonViewSet(RecordViewSet):
    """Real people, cast and crew. The detail embeds their credits and the notes quoting them."""

    model = Person
    example_slug = "erica-lee"
    serializer_class = serializers.PersonSerializer
    detail_serializer_class = serializers.PersonDetailSerializer
    filterset_class = filters.PersonFilter
    search_fields = ("name", "summary")
    ordering_fields = ("name", "birth_date", "credit_count", "updated_at")


class CreditViewSet(RecordViewSet):
    """Who worked on which film, in what role; for actors, which character.

    A credit's slug is `film~person~role`, plus `~character` for acting credits.
    """

    model = Credit
    example_slug = "ballerina~erica-lee~producer"
    serializer_class = serializers.CreditSerializer
    detail_serializer_class = serializers.CreditSerializer
    lookup_value_regex = rf"{SLUG}(?:{serializers.CREDIT_SLUG_SEPARATOR}{SLUG}){{2,3}}"
    filterset_class = filters.CreditFilter
    search_fields = ("person__name", "character__name", "film__title")
    ordering_fields = ("billing", "role", "updated_at")
    # By film id, not the model's film order (franchise name, release order, title): an index serves this.
    ordering = ("film_id", "billing", "pk")

    def get_object(self):
        film, person, role, *character = self.kwargs["slug"].split(serializers.CREDIT_SLUG_SEPARATOR)
        queryset = self.get_queryset().filter(film__slug=film, person__slug=person, role=role)
        if character:
            queryset = queryset.filter(character__slug=character[0])
        else:
            queryset = queryset.filter(character__isnull=True)
        credit = queryset.first()
        if credit is None:
            raise NotFound(f"No credit has the slug {self.kwargs['slug']!r}.")
        self.check_object_permissions(self.request, credit)
        return credit


class LocationViewSet(RecordViewSet):
    """Places, from regions down to single buildings; the detail lists the places inside and the films."""

    model = Location
    example_slug = "europe"
    serializer_class = serializers.LocationSerializer
    detail_serializer_class = serializers.LocationDetailSerializer
    filterset_class = filters.LocationFilter
    search_fields = ("name", "summary")
    ordering_fields = ("name", "kind", "updated_at")


class OrganizationViewSet(RecordViewSet):
    """In-universe organizations; the detail lists members and films."""

    model = Organization
    example_slug = "the-continental"
    serializer_class = serializers.OrganizationSerializer
    detail_serializer_class = serializers.OrganizationDetailSerializer
    filterset_class = filters.OrganizationFilter
    search_fields = ("name", "summary")
    ordering_fields = ("name", "updated_at")


class ProductionNoteViewSet(RecordViewSet):
    """Statements about the making of a film, each with its speaker and source."""

    model = ProductionNote
    example_slug = "not-rushed"
    serializer_class = serializers.ProductionNoteSerializer
    detail_serializer_class = serializers.ProductionNoteDetailSerializer
    filterset_class = filters.ProductionNoteFilter
    search_fields = ("headline", "summary", "quote")
    ordering_fields = ("headline", "occurred_on", "topic", "updated_at")
    ordering = ("film_id", "slug")  # as for credits: an index serves it, the model's film order could not


class SourceViewSet(RecordViewSet):
    """The publications facts come from; the detail lists every record each one backs."""

    model = Source
    example_slug = "ballerina-producer-article"
    serializer_class = serializers.SourceSerializer
    detail_serializer_class = serializers.SourceDetailSerializer
    filterset_class = filters.SourceFilter
    search_fields = ("title", "publisher", "author")
    ordering_fields = ("title", "published_on", "citation_count", "updated_at")


SEARCH_TYPE_NAMES = [search_type.name for search_type in SEARCH_TYPES]


@extend_schema_view(
    list=extend_schema(
        summary="Search every record type",
        parameters=[
            OpenApiParameter(
                "q",
                {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_LENGTH},
                required=True,
                description="What to look for.",
            ),
            OpenApiParameter(
                "type",
                {"type": "array", "minItems": 1, "items": {"type": "string", "enum": SEARCH_TYPE_NAMES}},
                style="form",
                explode=False,
                description="Only these record types (comma-separated).",
            ),
        ],
        responses=serializers.SearchResultsSerializer,
    )
)
class SearchViewSet(ConditionalGetMixin, viewsets.ViewSet):
    """Ranked hits across every record type, each with its type, title, addresses and matching text."""

    def list(self, request):
        parameters = filters.SearchParameters(
            data={name: value.replace("\x00", " ") for name, value in request.query_params.items()}
        )
        parameters.is_valid(raise_exception=True)
        query = parameters.validated_data["q"]
        hits = search(query, types=parameters.validated_data.get("type"))
        results = {"query": normalise(query), "count": len(hits), "results": hits}
        context = {"request": request, "modified": self.modified}
        return Response(serializers.SearchResultsSerializer(results, context=context).data)


ROOT_SCHEMA = {
    "type": "object",
    "description": "The address of every resource's list, the search, the schema and the docs.",
    "additionalProperties": {"type": "string", "format": "uri"},
}


class RootView(ConditionalGetMixin, routers.APIRootView):
    """The API root: where every resource lives."""

    schema = DefaultSchema()  # DRF leaves its root out of schemas; Lore documents it

    @extend_schema(summary="List the API's resources", responses={200: ROOT_SCHEMA})
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response.data["schema"] = reverse("api:schema", request=request)
        response.data["docs"] = reverse("api:docs", request=request)
        self.modified.append(STARTED)
        return response


router = routers.DefaultRouter()
router.APIRootView = RootView
router.include_format_suffixes = False  # ?format=json still works; .json paths would double the schema
router.register("franchises", FranchiseViewSet, basename="franchise")
router.register("films", FilmViewSet, basename="film")
router.register("characters", CharacterViewSet, basename="character")
router.register("people", PersonViewSet, basename="person")
router.register("credits", CreditViewSet, basename="credit")
router.register("locations", LocationViewSet, basename="location")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("production-notes", ProductionNoteViewSet, basename="productionnote")
router.register("sources", SourceViewSet, basename="source")
router.register("search", SearchViewSet, basename="search")


def _swagger_inline_style_hash():
    """The CSP hash of the one inline <style> in drf-spectacular's Swagger UI page, so it may apply."""
    source = get_template("drf_spectacular/swagger_ui.html").template.source
    style = re.search(r"<style>(.*?)</style>", source, re.DOTALL)
    digest = hashlib.sha256(style.group(1).encode()).digest() if style else b""
    return f"'sha256-{base64.b64encode(digest).decode()}'"


# Swagger UI's init script is served by the same view at ?script, so `script-src 'self'` still holds.
docs_view = csp_update({"style-src": [_swagger_inline_style_hash()]})(
    SpectacularSwaggerSplitView.as_view(url_name="api:schema")
)


urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs_view, name="docs"),
    re_path(r"^(?:[\s\S]*/)?$", api_errors.not_found),  # any other address ending in /, even with a newline
]
