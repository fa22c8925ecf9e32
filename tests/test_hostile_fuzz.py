"""Hypothesis explores the page and API URL space: every route, with known and random slugs, known and
random parameters, arbitrary text and raw bytes. Whatever it sends, the answer is below 500."""

from urllib.parse import quote, quote_from_bytes, urlencode

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

PAGE_LISTS = ["franchises", "films", "characters", "people", "locations", "organizations", "notes", "sources"]
API_RESOURCES = [
    "franchises",
    "films",
    "characters",
    "people",
    "credits",
    "locations",
    "organizations",
    "production-notes",
    "sources",
]
# Every route, with {} where a slug goes.
ROUTES = [
    "/",
    "/timeline/",
    "/search/",
    "/sitemap.xml",
    "/robots.txt",
    "/healthz",
    *[f"/{plural}/" for plural in PAGE_LISTS],
    *[f"/{plural}/{{}}/" for plural in PAGE_LISTS],
    "/history/film/{}/",
    "/history/{}/john-wick-2014/",
    "/api/v1/",
    "/api/v1/search/",
    *[f"/api/v1/{resource}/" for resource in API_RESOURCES],
    *[f"/api/v1/{resource}/{{}}/" for resource in API_RESOURCES],
    "/api/v1/{}/",
    "/api/schema/",
]
SLUGS = ["john-wick", "john-wick-2014", "ballerina", "keanu-reeves", "john-wick-character", "the-continental"]
PARAMETERS = [
    "q",
    "type",
    "role",
    "topic",
    "release_year_min",
    "release_year_max",
    "portrayed_by",
    "page",
    "page_size",
    "search",
    "ordering",
    "sort",
    "franchise",
    "kind",
    "status",
    "film",
    "format",
    "release_date",
    "release_date__gte",
    "updated_after",
]

raw_bytes = st.binary(max_size=24).map(quote_from_bytes)
text = st.text(max_size=60)
numbers = st.integers(min_value=-(10**30), max_value=10**30).map(str)
slugs = st.one_of(st.sampled_from(SLUGS), text.map(lambda t: quote(t, safe="")), raw_bytes)
values = st.one_of(text, numbers, raw_bytes, st.sampled_from(["", "\x00", "-title", "true", "1e309", "..", "x" * 3000]))
queries = st.lists(st.tuples(st.one_of(st.sampled_from(PARAMETERS), text), values), max_size=4).map(
    lambda pairs: urlencode(pairs, safe="%")
)


@pytest.fixture
def fresh_cache():
    """Hundreds of requests would spend the API throttle budget of the tests that run after these."""
    cache.clear()
    yield
    cache.clear()


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(route=st.sampled_from(ROUTES), slug=slugs, query=queries)
def test_no_request_to_any_page_or_endpoint_gets_a_server_error(client, john_wick, fresh_cache, route, slug, query):
    path = route.format(slug)
    response = client.get(f"{path}?{query}" if query else path)
    event(f"status {response.status_code}")  # --hypothesis-show-statistics shows how much was found

    assert response.status_code < 500, f"{path}?{query} -> {response.status_code}"
