"""lore/links.py builds detail addresses from one reversed head and tail per URL name: the same strings
reverse() gives, on the site's root or under a script prefix, for pages and the API alike."""

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_started
from django.db import close_old_connections
from django.test import RequestFactory
from django.urls import NoReverseMatch, include, path, reverse, set_script_prefix
from rest_framework.reverse import reverse as api_reverse

from lore import links
from lore.links import absolute_detail_url, absolute_url, detail_path, history_path, named_path
from lore.models import Character, Film

# A second URLconf, which SwitchUrlconf gives a request: the pages under /wiki/ instead of the root.
urlpatterns = [path("wiki/", include("lore.urls"))]


class SwitchUrlconf:
    """A middleware that answers a request with this module's URLconf, as a multi-site middleware might."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.headers.get("X-Wiki"):
            request.urlconf = __name__
        return self.get_response(request)


PAGE_NAMES = [
    f"lore:{model}-detail"
    for model in ("franchise", "film", "character", "person", "location", "organization", "productionnote", "source")
]
API_NAMES = [name.replace("lore:", "api:") for name in PAGE_NAMES] + ["api:credit-detail"]
SLUGS = ["ballerina", "john-wick-chapter-3-parabellum", "x", "under_score", "MiXeD-42"]
CREDIT_SLUGS = ["ballerina~erica-lee~producer", "ballerina~ana-de-armas~actor~eve-macarro"]


# The URLs without arguments that the pages' header, footer and sections link to.
NAMED = [
    "lore:home",
    "lore:timeline",
    "lore:search",
    *(f"lore:{model}-list" for model in ("franchise", "film", "character", "person", "location", "organization")),
    "lore:productionnote-list",
    "lore:source-list",
    "api:film-list",
]


def slugs_for(url_name):
    return CREDIT_SLUGS if url_name == "api:credit-detail" else SLUGS


@pytest.fixture
def script_prefix():
    yield set_script_prefix
    set_script_prefix("/")


@pytest.mark.parametrize("prefix", ["/", "/wiki/"])
def test_a_detail_path_is_exactly_what_reverse_gives(script_prefix, prefix):
    script_prefix(prefix)
    for url_name in PAGE_NAMES + API_NAMES:
        for slug in slugs_for(url_name):
            assert detail_path(url_name, slug) == reverse(url_name, kwargs={"slug": slug})


@pytest.mark.parametrize("prefix", ["/", "/wiki/"])
def test_a_named_path_is_exactly_what_reverse_gives(script_prefix, prefix):
    script_prefix(prefix)
    for url_name in NAMED:
        assert named_path(url_name) == reverse(url_name)
        assert named_path(url_name).startswith(prefix)


@pytest.mark.parametrize("prefix", ["/", "/wiki/"])
def test_a_history_path_is_exactly_what_reverse_gives(script_prefix, prefix):
    script_prefix(prefix)
    for record in [Film(slug="ballerina"), Character(slug="eve-macarro"), Film(slug="under_score-42")]:
        expected = reverse("lore:history", kwargs={"model": record._meta.model_name, "slug": record.slug})
        assert history_path(record) == expected


@pytest.mark.parametrize("slug", ["café", "a~b", "with space"])
def test_a_history_path_of_a_slug_its_pattern_refuses_is_empty_as_the_url_tag_leaves_it(slug):
    with pytest.raises(NoReverseMatch):
        reverse("lore:history", kwargs={"model": "film", "slug": slug})
    assert history_path(Film(slug=slug)) == ""


@pytest.mark.parametrize("secure", [False, True])
def test_an_absolute_api_url_is_exactly_what_drfs_reverse_gives(secure):
    request = RequestFactory().get("/api/v1/films/", secure=secure, HTTP_HOST="testserver")
    for url_name in API_NAMES:
        for slug in slugs_for(url_name):
            expected = api_reverse(url_name, kwargs={"slug": slug}, request=request)
            assert absolute_detail_url(request, url_name, slug) == expected


def test_a_url_name_without_a_slug_is_an_error():
    with pytest.raises(NoReverseMatch, match="takes no slug"):
        detail_path("lore:home", "anything")


def test_a_slug_with_characters_to_quote_is_quoted_as_reverse_quotes_it():
    slug = "café"  # what the unicode slug converter would accept
    assert detail_path("lore:film-detail", slug) == "/films/caf%C3%A9/"


@pytest.mark.parametrize("secure", [False, True])
def test_an_absolute_page_url_is_exactly_what_build_absolute_uri_gives(script_prefix, settings, secure):
    settings.ALLOWED_HOSTS = ["lore.example"]
    script_prefix("/wiki/")
    request = RequestFactory().get("/films/", secure=secure, HTTP_HOST="lore.example:8443")
    for slug in [*SLUGS, "café"]:
        path = detail_path("lore:film-detail", slug)
        assert absolute_url(request, path) == request.build_absolute_uri(path)
    assert absolute_url(request, "/films/?franchise=john-wick") == request.build_absolute_uri(
        "/films/?franchise=john-wick"
    )


def test_a_page_s_links_follow_the_script_prefix_it_is_served_under(script_prefix, read_only_john_wick):
    # Through Django's WSGI handler, which sets the script prefix from SCRIPT_NAME (the test client does not),
    # keeping the test's database connection open as the test client does.
    environ = RequestFactory().get("/films/ballerina/", SCRIPT_NAME="/lore").environ
    request_started.disconnect(close_old_connections)
    try:
        page = b"".join(WSGIHandler()(environ, lambda status, headers: None)).decode()
    finally:
        request_started.connect(close_old_connections)
    assert 'href="/lore/characters/eve-macarro/"' in page
    assert 'href="/characters/eve-macarro/"' not in page
    # The header's links and the page history's too, though each is reversed once per process and prefix.
    assert 'href="/lore/films/"' in page
    assert 'href="/lore/history/film/ballerina/"' in page
    assert 'href="/films/"' not in page
    # Noted for that request only: a link written afterwards, outside a request, reads Django's prefix again.
    assert links._request_base.get() is None
    script_prefix("/wiki/")
    assert detail_path("lore:character-detail", "eve-macarro") == "/wiki/characters/eve-macarro/"


def test_a_page_s_links_follow_a_urlconf_another_middleware_gives_the_request(client, read_only_john_wick, settings):
    settings.MIDDLEWARE = [
        name if name != "lore.links.LinkBaseMiddleware" else "tests.test_links.SwitchUrlconf"
        for name in settings.MIDDLEWARE
    ] + ["lore.links.LinkBaseMiddleware"]
    page = client.get("/wiki/films/ballerina/", HTTP_X_WIKI="1").content.decode()
    assert 'href="/wiki/characters/eve-macarro/"' in page
    assert 'href="/wiki/timeline/"' in page
    assert 'href="/wiki/history/film/ballerina/"' in page
    page = client.get("/films/ballerina/").content.decode()
    assert 'href="/characters/eve-macarro/"' in page
    assert 'href="/timeline/"' in page
    assert 'href="/history/film/ballerina/"' in page
