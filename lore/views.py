"""Server-rendered pages: generic list and detail views over the QuerySet methods in querysets.py.

Every view runs a fixed number of queries: its rows come from `for_list()` / `for_detail()` (and what a
detail lists beside its record from `detail_lists()`), and what the templates show is grouped here in
Python from what those methods already loaded.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import Truncator
from django.views.decorators.http import require_GET
from django.views.generic import DetailView, ListView, TemplateView

from lore.links import absolute_url, franchise_list_path
from lore.models import (
    CITABLE_MODELS,
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
from lore.paging import LorePaginator, record_counts
from lore.querysets import RELEASE_ORDER, detail_lists, order_terms, prebuilt, with_lists, with_related
from lore.search import SEARCH_TYPES, normalise, suggestions
from lore.search import search as search_records
from lore.timeline import TIMELINE_FILMS, build_timeline

SITE_NAME = "Lore"
# Films a franchise shows on the home and franchise pages, the latest in release order; the film list has all.
FILMS_SHOWN = 12
# A page that shows every franchise would grow with the number of franchises. The home page shows the
# biggest few (the franchise list, sorted the same way, has them all); the timeline pages through them.
HOME_FRANCHISES = 6
TIMELINE_FRANCHISES = 5


def crumbs(*trail):
    """Breadcrumbs from (label, url) pairs; the current page comes last, with no url."""
    return [{"label": label, "url": url} for label, url in (("Home", reverse("lore:home")), *trail)]


def list_crumb(model):
    return (model._meta.verbose_name_plural.capitalize(), reverse(f"lore:{model._meta.model_name}-list"))


class PageMixin:
    """Title, description, Open Graph type and breadcrumbs, which base.html shows on every page."""

    og_type = "website"

    def get_page_title(self):
        return SITE_NAME

    def get_page_description(self):
        return "Lore: a franchise knowledge base where every fact says where it comes from."

    def get_breadcrumbs(self):
        return crumbs()

    def numbered(self, title):
        """`title`, naming the page of a paged list past the first."""
        page = self.request.GET.get("page")
        return f"{title} (page {page})" if page and page != "1" else title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            page_title=self.get_page_title(),
            page_description=self.get_page_description(),
            og_type=self.og_type,
            breadcrumbs=self.get_breadcrumbs(),
        )
        return context


# Records a list filter offers at most: a select of thousands of options is a page of its own. Any other
# record's slug still filters when it comes in the query string (a link from its page, say).
FILTER_OPTIONS = 100


@dataclass(frozen=True)
class ListFilter:
    """A `?param=value` filter of a list page. Unknown values are ignored, never an error."""

    param: str
    label: str
    lookup: str
    options: "ChoiceOptions | RecordOptions"
    distinct: bool = False  # through a to-many relation, where a join would list a record once per match


@dataclass(frozen=True)
class ChoiceOptions:
    """The values of an enumeration: all of them, no query."""

    choices: type

    def __call__(self, selected):
        return [(str(value), label) for value, label in self.choices.choices]

    def label(self, value):
        return None


@dataclass(frozen=True)
class RecordOptions:
    """Records by slug: the first FILTER_OPTIONS, narrowed to the selected franchise where the list filters
    by franchise too (`franchise_lookup`), in one query."""

    queryset: Callable[[], object]
    label_field: str
    order_by: tuple = ()
    franchise_lookup: str = ""

    def __call__(self, selected):
        records = self.queryset().order_by(*(self.order_by or [self.label_field]))
        if self.franchise_lookup and selected.get("franchise"):
            records = records.filter(**{self.franchise_lookup: selected["franchise"]})
        return list(records.values_list("slug", self.label_field)[:FILTER_OPTIONS])

    def label(self, value):
        """The label of a record the options left out, or None if there is no such record: one query."""
        return self.queryset().filter(slug=value).values_list(self.label_field, flat=True).first()


FRANCHISE_FILTER = ListFilter("franchise", "Franchise", "franchise__slug", RecordOptions(Franchise.objects.all, "name"))
FILM_OPTIONS = RecordOptions(
    Film.objects.all,
    "title",
    ("franchise__name", *RELEASE_ORDER),
    franchise_lookup="franchise__slug",
)


class LoreListView(PageMixin, ListView):
    """A paginated list, sortable by `?sort=` (one of `sorts`) and narrowed by its `filters`."""

    paginate_by = 24
    paginator_class = LorePaginator
    sorts = {"name": ("Name", ("name",))}
    filters = ()
    intro = ""

    def get_queryset(self):
        queryset = prebuilt(self.model, "for_list")
        self.filter_controls, self.active_filters = [], []
        selected = {}
        for list_filter in self.filters:
            options = list_filter.options(selected)
            value = self.request.GET.get(list_filter.param, "")
            labels = dict(options)
            label = labels.get(value) or (value and list_filter.options.label(value))
            if label:
                selected[list_filter.param] = value
                if list_filter.distinct:  # through a to-many relation: each record once, without DISTINCT
                    queryset = with_related(queryset, list_filter.lookup, value)
                else:
                    queryset = queryset.filter(**{list_filter.lookup: value})
                self.active_filters.append({"label": list_filter.label, "value": label})
                if value not in labels:
                    options = [*options, (value, label)]  # so the select shows what filters the list
            else:
                value = ""
            self.filter_controls.append(
                {"param": list_filter.param, "label": list_filter.label, "options": options, "selected": value}
            )
        self.sort = self.request.GET.get("sort", "")
        if self.sort not in self.sorts:
            self.sort = next(iter(self.sorts))
        return queryset.order_by(*order_terms(self.model, self.sorts[self.sort][1]))

    def get_page_title(self):
        title = self.model._meta.verbose_name_plural.capitalize()
        if self.active_filters:
            title += ": " + ", ".join(f["value"] for f in self.active_filters)
        return self.numbered(title)

    def get_page_description(self):
        return self.intro or super().get_page_description()

    def get_breadcrumbs(self):
        return crumbs((self.model._meta.verbose_name_plural.capitalize(), None))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            heading=self.model._meta.verbose_name_plural.capitalize(),
            intro=self.intro,
            filter_controls=self.filter_controls,
            active_filters=self.active_filters,
            sort_options=[(key, label) for key, (label, _) in self.sorts.items()],
            current_sort=self.sort,
        )
        return context


@dataclass(frozen=True)
class Reference:
    source: Source
    claim: str


class LoreDetailView(PageMixin, DetailView):
    og_type = "article"
    no_references = "No source is cited for this record: treat what it says as unverified."

    def get_queryset(self):
        return prebuilt(self.model, "for_detail")

    def get_object(self, queryset=None):
        return with_lists(super().get_object(queryset), detail_lists(self.model))

    def get_references(self):
        return [Reference(citation.source, citation.claim) for citation in self.object.references]

    def get_page_title(self):
        return f"{self.object} ({self.model._meta.verbose_name})"

    def get_page_description(self):
        text = getattr(self.object, "synopsis", "") or getattr(self.object, "summary", "")
        return Truncator(text).chars(200) or super().get_page_description()

    def get_breadcrumbs(self):
        return crumbs(list_crumb(self.model), (str(self.object), None))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(references=self.get_references(), no_references=self.no_references)
        return context


def grouped(items, key, order):
    """[(label, [items])] in the order of the (value, label) pairs `order`, skipping empty groups."""
    groups = {value: [] for value, _ in order}
    for item in items:
        groups.setdefault(key(item), []).append(item)
    labels = dict(order)
    return [(labels.get(value, value), rows) for value, rows in groups.items() if rows]


def grouped_by_record(items, key):
    """[(record, [items])] in first-seen order, grouping on a related record."""
    groups = {}
    for item in items:
        record = key(item)
        groups.setdefault(record.pk, (record, []))[1].append(item)
    return list(groups.values())


@dataclass(frozen=True)
class FranchiseFilms:
    """A franchise's latest films, in release order, and how many films it has in all."""

    franchise: Franchise
    films: list
    total: int

    @property
    def all_films_url(self):
        return franchise_list_path("lore:film-list", self.franchise.slug)


def film_shelves(franchises):
    """[FranchiseFilms] for each franchise (from with_latest_films) that has films, in the given order."""
    return [
        FranchiseFilms(franchise, franchise.latest_films, franchise.film_count)
        for franchise in franchises
        if franchise.latest_films
    ]


def absolute(request, record):
    return absolute_url(request, record.get_absolute_url())


def person_ref(request, person):
    return {"@type": "Person", "name": person.name, "url": absolute(request, person)}


# schema.org properties of a CreativeWork for each crew role; acting credits become PerformanceRoles.
ROLE_PROPERTIES = {
    Credit.Role.DIRECTOR: "director",
    Credit.Role.PRODUCER: "producer",
    Credit.Role.EXECUTIVE_PRODUCER: "producer",
    Credit.Role.WRITER: "author",
    Credit.Role.COMPOSER: "musicBy",
    Credit.Role.EDITOR: "editor",
    Credit.Role.CINEMATOGRAPHER: "contributor",
    Credit.Role.STUNT_COORDINATOR: "contributor",
}


def film_json_ld(request, film):
    data = {
        "@context": "https://schema.org",
        "@type": "Movie",
        "name": film.title,
        "url": absolute(request, film),
        "description": film.synopsis,
        "isPartOf": {
            "@type": "CreativeWorkSeries",
            "name": film.franchise.name,
            "url": absolute(request, film.franchise),
        },
    }
    if film.release_date:
        data["datePublished"] = film.release_date.isoformat()
    for credit in film.listed_credits:
        if credit.role == Credit.Role.ACTOR:
            role = {"@type": "PerformanceRole", "actor": person_ref(request, credit.person)}
            role["characterName"] = credit.character.name
            data.setdefault("actor", []).append(role)
        else:
            data.setdefault(ROLE_PROPERTIES[credit.role], []).append(person_ref(request, credit.person))
    places = [
        {"@type": "Place", "name": place.name, "url": absolute(request, place)} for place in film.listed_locations
    ]
    if places:
        data["contentLocation"] = places
    return data


def person_json_ld(request, person):
    data = {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": person.name,
        "url": absolute(request, person),
        "description": person.summary,
    }
    if person.birth_date:
        data["birthDate"] = person.birth_date.isoformat()
    # The person's credits, said from the films' side: "this Movie has this person as actor/director/...".
    works = {}
    for credit in person.listed_credits:
        prop = "actor" if credit.role == Credit.Role.ACTOR else ROLE_PROPERTIES[credit.role]
        movie = {"@type": "Movie", "name": credit.film.title, "url": absolute(request, credit.film)}
        if movie not in works.setdefault(prop, []):
            works[prop].append(movie)
    if works:
        data["@reverse"] = works
    return data


HOME_COUNTS = (
    ("Films", Film),
    ("Characters", Character),
    ("People", Person),
    ("Locations", Location),
    ("Organizations", Organization),
    ("Notes", ProductionNote),
    ("Sources", Source),
)


class HomeView(PageMixin, TemplateView):
    template_name = "lore/home.html"

    def get_page_title(self):
        return f"{SITE_NAME}: the franchise wiki that cites its sources"

    def get_context_data(self, **kwargs):
        numbers = record_counts([Franchise, *(model for _, model in HOME_COUNTS)])
        counts = [(label, numbers[model], f"lore:{model._meta.model_name}-list") for label, model in HOME_COUNTS]
        biggest = FranchiseListView.sorts["films"][1]
        franchises = prebuilt(Franchise, "with_latest_films", FILMS_SHOWN).order_by(*order_terms(Franchise, biggest))
        franchises = list(franchises[:HOME_FRANCHISES])
        return super().get_context_data(
            franchises=franchises,
            franchise_count=numbers[Franchise],
            film_shelves=film_shelves(franchises),
            counts=counts,
            recent_notes=ProductionNote.objects.recent()[:6],
            **kwargs,
        )


class FranchiseListView(LoreListView):
    model = Franchise
    sorts = {"name": ("Name", ("name",)), "films": ("Most films", ("-film_count", "name"))}
    intro = "Each franchise is a fictional world with its own films, characters and places."


class FranchiseDetailView(LoreDetailView):
    model = Franchise

    def get_queryset(self):
        return prebuilt(Franchise, "for_page", FILMS_SHOWN)

    def get_context_data(self, **kwargs):
        franchise = self.object
        sections = [
            (model._meta.verbose_name_plural.capitalize(), f"lore:{model._meta.model_name}-list")
            for model in (Character, Location, Organization)
        ]
        shelf = FranchiseFilms(franchise, franchise.latest_films, franchise.film_count)
        return super().get_context_data(sections=sections, shelf=shelf, **kwargs)


class FilmListView(LoreListView):
    model = Film
    sorts = {
        "release": ("Release order", ("franchise__name", "release_order", "title")),
        "story": ("In-universe order", ("chronology_order", "title")),
        "newest": ("Newest release first", ("-release_date", "title")),
        "title": ("Title", ("title",)),
    }
    filters = (
        FRANCHISE_FILTER,
        ListFilter("status", "Status", "status", ChoiceOptions(Film.Status)),
        ListFilter("kind", "Kind", "kind", ChoiceOptions(Film.Kind)),
    )
    intro = "Every film, spinoff and series, with its production status."


class FilmDetailView(LoreDetailView):
    model = Film
    og_type = "video.movie"

    def get_context_data(self, **kwargs):
        film = self.object
        credits = film.listed_credits
        crew = [credit for credit in credits if credit.role != Credit.Role.ACTOR]
        crew_roles = [choice for choice in Credit.Role.choices if choice[0] != Credit.Role.ACTOR]
        return super().get_context_data(
            cast=[credit for credit in credits if credit.role == Credit.Role.ACTOR],
            crew=grouped(crew, lambda credit: credit.role, crew_roles),
            directors=[credit.person for credit in crew if credit.role == Credit.Role.DIRECTOR],
            producers=[credit.person for credit in crew if credit.role == Credit.Role.PRODUCER],
            appearances=grouped(film.listed_appearances, lambda a: a.type, Appearance.Type.choices),
            json_ld=film_json_ld(self.request, film),
            **kwargs,
        )


class CharacterListView(LoreListView):
    model = Character
    sorts = {"name": ("Name", ("name",)), "-name": ("Name, Z to A", ("-name",))}
    filters = (
        FRANCHISE_FILTER,
        ListFilter("film", "Appears in", "appearances__film__slug", FILM_OPTIONS),
        ListFilter(
            "organization",
            "Organization",
            "organizations__slug",
            RecordOptions(Organization.objects.all, "name", franchise_lookup="franchise__slug"),
        ),
    )
    intro = "The people of the stories: who they are, who plays them and where they turn up."


class CharacterDetailView(LoreDetailView):
    model = Character

    def get_context_data(self, **kwargs):
        character = self.object
        return super().get_context_data(
            played_by=grouped_by_record(character.listed_credits, lambda credit: credit.person),
            **kwargs,
        )


class PersonListView(LoreListView):
    model = Person
    sorts = {"name": ("Name", ("name",)), "credits": ("Most credits", ("-credit_count", "name"))}
    filters = (
        ListFilter("role", "Role", "credits__role", ChoiceOptions(Credit.Role), distinct=True),
        ListFilter("film", "Worked on", "credits__film__slug", FILM_OPTIONS, distinct=True),
    )
    intro = "The cast and crew behind the films."


class PersonDetailView(LoreDetailView):
    model = Person
    og_type = "profile"

    def get_context_data(self, **kwargs):
        person = self.object
        return super().get_context_data(
            credits_by_film=grouped_by_record(person.listed_credits, lambda credit: credit.film),
            json_ld=person_json_ld(self.request, person),
            **kwargs,
        )


class LocationListView(LoreListView):
    model = Location
    sorts = {"name": ("Name", ("name",)), "kind": ("Kind", ("kind", "name"))}
    filters = (FRANCHISE_FILTER, ListFilter("kind", "Kind", "kind", ChoiceOptions(Location.Kind)))
    intro = "Regions, cities, hotels and buildings where the stories happen."


class LocationDetailView(LoreDetailView):
    model = Location


class OrganizationListView(LoreListView):
    model = Organization
    sorts = {"name": ("Name", ("name",)), "-name": ("Name, Z to A", ("-name",))}
    filters = (FRANCHISE_FILTER,)
    intro = "The councils, hotels and families that run the stories' hidden world."


class OrganizationDetailView(LoreDetailView):
    model = Organization


class ProductionNoteListView(LoreListView):
    model = ProductionNote
    sorts = {
        "recent": ("Most recent events", ("-occurred_on", "slug")),
        "film": ("Film", ("film__title", "slug")),
        "headline": ("Headline", ("headline",)),
    }
    filters = (
        ListFilter("film", "Film", "film__slug", FILM_OPTIONS),
        ListFilter("speaker", "Speaker", "speaker__slug", RecordOptions(Person.objects.speakers, "name")),
        ListFilter("topic", "Topic", "topic", ChoiceOptions(ProductionNote.Topic)),
    )
    intro = "What the filmmakers said about making the films, in our words, each with its source."


class ProductionNoteDetailView(LoreDetailView):
    model = ProductionNote
    no_references = "No source is recorded for this note: treat it as unverified."

    def get_references(self):
        note = self.object
        return [Reference(note.source, "")] if note.source else []

    def get_page_description(self):
        return Truncator(self.object.summary).chars(200)


class SourceListView(LoreListView):
    model = Source
    sorts = {
        "title": ("Title", ("title",)),
        "newest": ("Newest first", ("-published_on", "title")),
        "citations": ("Most cited", ("-citation_count", "title")),
    }
    filters = (ListFilter("kind", "Kind", "kind", ChoiceOptions(Source.Kind)),)
    intro = "The articles, interviews and other publications every fact on Lore comes from."


class SourceDetailView(LoreDetailView):
    model = Source
    no_references = "Lore holds this source first-hand: it does not report on another source."

    def get_references(self):
        source = self.object
        return [Reference(source.relays, "The original this source reports on.")] if source.relays else []

    def get_context_data(self, **kwargs):
        citations = self.object.listed_citations
        kinds = [(kind, model._meta.verbose_name_plural.capitalize()) for kind, model in CITABLE_MODELS.items()]
        return super().get_context_data(
            cited_records=grouped(citations, lambda citation: citation.target_kind, kinds), **kwargs
        )


class TimelineView(PageMixin, ListView):
    """The timelines of the franchises that have films, TIMELINE_FRANCHISES to a page, in name order."""

    template_name = "lore/timeline.html"
    paginate_by = TIMELINE_FRANCHISES
    paginator_class = LorePaginator

    def get_queryset(self):
        franchises = prebuilt(Franchise, "for_timeline", TIMELINE_FILMS)
        return franchises.order_by(*order_terms(Franchise, ("name",)))

    def get_page_title(self):
        return self.numbered("Timeline: release order, story order and how the films were made")

    def get_page_description(self):
        return "The films in the order they came out beside the order their stories happen, and the making of them."

    def get_breadcrumbs(self):
        return crumbs(("Timeline", None))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["timelines"] = build_timeline(context["object_list"])
        return context


@require_GET
def search(request):
    query = normalise(request.GET.get("q", ""))
    type_names = {search_type.name for search_type in SEARCH_TYPES}
    only = request.GET.get("type", "")
    only = only if only in type_names else ""
    hits = search_records(query, types={only} if only else None) if query else []
    groups = [
        {"type": t, "hits": [hit for hit in hits if hit.type == t.name]}
        for t in SEARCH_TYPES
        if any(hit.type == t.name for hit in hits)
    ]
    context = {
        "query": query,
        "only": only,
        "groups": groups,
        "hit_count": len(hits),
        "page_title": f"Search results for “{query}”" if query else "Search",
        "page_description": "Search every film, character, person, place, organization, note and source.",
        "og_type": "website",
        "breadcrumbs": crumbs(("Search", None)),
    }
    if query and not hits:
        context["suggestions"] = suggestions(query)
        context["first_films"] = Film.objects.first_in_each_franchise(6)
    return render(request, "lore/search.html", context)


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /search/",
        "Disallow: /api/",
        f"Sitemap: {request.build_absolute_uri(reverse('lore:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
