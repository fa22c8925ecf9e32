"""The whole-response cache (lore.caching) on a real Redis, and the fail-open Redis backend (lore.cache).

Every test gets its own key prefix, so runs never see each other's entries. Saves bump the generation
when their transaction commits; tests run in a transaction that never commits, so `committed()` runs the
commit's callbacks itself.
"""

import gc
import runpy
import uuid
from contextlib import contextmanager

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from lore.cache import FailOpenRedisCache, _down_until
from lore.caching import GENERATION_KEY, STATUS_HEADER, bump_generation, current_generation
from lore.models import Film, Organization
from tests.admin_helpers import admin_url, error_messages, form_data
from tests.production import GUNICORN_CONFIG

pytestmark = pytest.mark.django_db

CLOSED_PORT = "redis://127.0.0.1:1/0"


def redis_caches(location):
    return {
        "default": {
            "BACKEND": "lore.cache.FailOpenRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": f"lore-test-{uuid.uuid4().hex}",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.fixture
def redis_cache(redis_url):
    with override_settings(CACHES=redis_caches(redis_url)):
        yield caches["default"]
        caches["default"].clear()


@pytest.fixture
def unreachable_cache():
    _down_until.clear()
    with override_settings(CACHES=redis_caches(CLOSED_PORT)):
        yield caches["default"]
    _down_until.clear()


@contextmanager
def committed():
    """Run what would run when the test's transaction commits (the generation bump), at the block's end.

    A bump already pending from earlier in the test's transaction counts too: it would run at the same
    commit, so it is not registered twice.
    """
    yield
    for _, callback, _ in list(connection.run_on_commit):
        callback()


def pending_bumps():
    return [callback for _, callback, _ in connection.run_on_commit if callback is bump_generation]


@pytest.fixture
def continental(john_wick):
    return Organization.objects.get(slug="the-continental")


def test_an_anonymous_page_is_served_from_the_cache_the_second_time(redis_cache, continental, client):
    url = continental.get_absolute_url()
    first, second = client.get(url), client.get(url)
    assert (first.status_code, first[STATUS_HEADER]) == (200, "miss")
    assert (second.status_code, second[STATUS_HEADER]) == (200, "hit")
    assert second.content == first.content


def test_a_cached_page_carries_every_header_the_rendered_one_had(redis_cache, continental, client):
    url = continental.get_absolute_url()
    rendered, cached = client.get(url), client.get(url)
    per_request = {STATUS_HEADER.lower(), "x-request-id"}
    assert {k.lower() for k in cached.headers} - per_request == {k.lower() for k in rendered.headers} - per_request
    for header in ("Content-Type", "Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"):
        assert cached.headers.get(header) == rendered.headers.get(header), header


def test_a_cached_page_keeps_the_header_changes_its_view_asked_for(redis_cache, client):
    # The API docs view widens its Content-Security-Policy (csp_update) for Swagger UI's inline style.
    url = reverse("api:docs")
    rendered, cached = client.get(url), client.get(url)
    assert cached[STATUS_HEADER] == "hit"
    assert "sha256-" in rendered["Content-Security-Policy"]
    assert cached["Content-Security-Policy"] == rendered["Content-Security-Policy"]


def test_an_orm_edit_shows_on_the_next_request(redis_cache, continental, client):
    url = continental.get_absolute_url()
    client.get(url)
    with committed():
        continental.name = "The Continental Hotel Group"
        continental.save()
    response = client.get(url)
    assert response[STATUS_HEADER] == "miss"
    assert "The Continental Hotel Group" in response.content.decode()


def test_an_edit_in_the_admin_shows_on_the_next_anonymous_request(redis_cache, continental, client, admin_client):
    url = continental.get_absolute_url()
    client.get(url)
    change = admin_url(Organization, "change", continental.pk)
    data = {**form_data(admin_client.get(change)), "name": "The Continental, Renamed"}
    with committed():
        response = admin_client.post(change, data)
    assert response.status_code == 302, error_messages(response)
    assert "The Continental, Renamed" in client.get(url).content.decode()


def test_a_deletion_and_a_relation_change_make_cached_pages_stale(redis_cache, continental, client):
    url = continental.get_absolute_url()
    client.get(url)
    before = current_generation()
    film = Film.objects.get(slug="ballerina")
    with committed():
        continental.films.remove(film)
    assert current_generation() > before
    generation = current_generation()
    with committed():
        Organization.objects.create(franchise=continental.franchise, name="Doomed", slug="doomed").delete()
    assert current_generation() > generation
    assert client.get(url)[STATUS_HEADER] == "miss"


def test_many_saves_in_one_transaction_bump_the_generation_once_at_commit(redis_cache, continental):
    before = current_generation()
    with committed():
        for name in ("One", "Two", "Three"):
            continental.name = name
            continental.save()
        assert current_generation() == before  # nobody sees a new generation before the commit
        assert len(pending_bumps()) == 1
    assert current_generation() == before + 1


def test_a_new_release_makes_every_cached_response_stale(redis_cache, continental, client, monkeypatch):
    # A release restarts gunicorn's master, which runs when_ready once before forking its workers.
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)  # keep the test's transaction open
    url = continental.get_absolute_url()
    assert [client.get(url)[STATUS_HEADER] for _ in range(2)] == ["miss", "hit"]
    try:
        runpy.run_path(str(GUNICORN_CONFIG))["when_ready"](server=None)
    finally:
        gc.unfreeze()
    assert client.get(url)[STATUS_HEADER] == "miss"


def test_api_responses_are_cached_per_accept_header(redis_cache, continental, client):
    url = reverse("api:organization-detail", kwargs={"slug": "the-continental"})
    assert client.get(url)[STATUS_HEADER] == "miss"
    assert client.get(url)[STATUS_HEADER] == "hit"
    assert client.get(url, HTTP_ACCEPT="application/json; indent=4")[STATUS_HEADER] == "miss"


def test_a_cached_api_response_still_answers_if_none_match_with_304(redis_cache, continental, client):
    url = reverse("api:organization-detail", kwargs={"slug": "the-continental"})
    etag = client.get(url)["ETag"]
    revalidated = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert revalidated.status_code == 304


def test_cached_api_responses_keep_cors_headers_for_cross_origin_requests_only(redis_cache, continental, client):
    url = reverse("api:organization-list")
    cross_origin = [client.get(url, HTTP_ORIGIN="https://example.org") for _ in range(2)]
    same_origin = [client.get(url) for _ in range(2)]
    assert [response[STATUS_HEADER] for response in cross_origin + same_origin] == ["miss", "hit", "miss", "hit"]
    assert [response.get("Access-Control-Allow-Origin") for response in cross_origin + same_origin] == [
        "*",
        "*",
        None,
        None,
    ]


@override_settings(SECURE_SSL_REDIRECT=True, SECURE_HSTS_SECONDS=3600)
def test_cached_responses_keep_the_https_redirect_and_hsts_apart(redis_cache, continental, client):
    url = continental.get_absolute_url()
    plain = [client.get(url) for _ in range(2)]
    secure = [client.get(url, secure=True) for _ in range(2)]
    assert [(response.status_code, response[STATUS_HEADER]) for response in plain + secure] == [
        (301, "miss"),
        (301, "hit"),
        (200, "miss"),
        (200, "hit"),
    ]
    assert plain[1]["Location"] == "https://testserver" + url
    assert "Strict-Transport-Security" not in plain[1]
    assert secure[1]["Strict-Transport-Security"] == "max-age=3600"


def test_a_request_for_another_host_gets_its_400_with_every_security_header(redis_cache, continental, client):
    # The cache is outside the header middleware; a request it cannot key must still pass through them.
    response = client.get(continental.get_absolute_url(), HTTP_HOST="elsewhere.example")
    assert response.status_code == 400
    assert STATUS_HEADER not in response
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_every_hit_gets_its_own_request_id(redis_cache, continental, client):
    url = continental.get_absolute_url()
    responses = [client.get(url) for _ in range(3)]
    assert [response[STATUS_HEADER] for response in responses] == ["miss", "hit", "hit"]
    assert len({response["X-Request-ID"] for response in responses}) == 3


def test_a_response_whose_policy_holds_a_nonce_is_not_cached(redis_cache, continental, client):
    from lore import caching

    response = client.get(continental.get_absolute_url())
    assert caching._response_is_cacheable(response.wsgi_request, response)
    response["Content-Security-Policy"] = "script-src 'self' 'nonce-abc123'"
    assert not caching._response_is_cacheable(response.wsgi_request, response)


def test_logged_in_users_admin_pages_posts_and_health_checks_are_never_cached(
    redis_cache, continental, client, admin_client
):
    url = continental.get_absolute_url()
    admin_client.get(url)
    assert STATUS_HEADER not in admin_client.get(url)
    assert STATUS_HEADER not in admin_client.get(reverse("admin:index"))
    assert STATUS_HEADER not in client.get(reverse("healthz"))
    assert STATUS_HEADER not in client.post(url)


def test_a_response_setting_a_cookie_is_not_cached(redis_cache, continental, client):
    from lore import caching

    response = client.get(continental.get_absolute_url())
    response.cookies["flavour"] = "oat"
    assert not caching._response_is_cacheable(response.wsgi_request, response)


def test_the_site_serves_uncached_without_errors_when_redis_is_unreachable(unreachable_cache, continental, client):
    url = continental.get_absolute_url()
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert STATUS_HEADER not in response
    assert client.get(reverse("api:organization-list")).status_code == 200
    bump_generation()  # an edit while Redis is down must not fail either


def test_the_fail_open_cache_answers_like_an_empty_cache_when_redis_is_down(unreachable_cache):
    cache = unreachable_cache
    assert isinstance(cache, FailOpenRedisCache)
    assert cache.get("key", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set_many({"a": 1}) == ["a"]
    assert cache.add("key", 1) is False
    assert cache.set("key", 1) is None
    assert cache.has_key("key") is False
    assert cache.incr(GENERATION_KEY) is None
    assert cache.delete("key") is False
    assert current_generation(cache) is None


def test_after_a_failure_reads_skip_redis_for_a_while(unreachable_cache, monkeypatch):
    cache = unreachable_cache
    cache.get("key")
    calls = []
    monkeypatch.setattr("django.core.cache.backends.redis.RedisCache.get", lambda *a, **k: calls.append(a))
    assert cache.get("key") is None
    assert calls == []


def test_a_healthy_cache_stores_and_counts(redis_cache):
    redis_cache.set("answer", {"value": 42})
    assert redis_cache.get("answer") == {"value": 42}
    assert redis_cache.get_many(["answer", "missing"]) == {"answer": {"value": 42}}
    generation = current_generation(redis_cache)
    bump_generation()
    assert current_generation(redis_cache) == generation + 1


def test_the_backend_reuses_one_client_per_connection_pool(redis_cache):
    # Django builds a redis.Redis per call; building one cost more than a cached page's round trip.
    client = redis_cache._cache
    assert client.get_client(write=True) is client.get_client("key", write=True)
    redis_cache.set("answer", 42)
    assert redis_cache.get("answer") == 42
    assert client.get_client(write=True).connection_pool is client._get_connection_pool(write=True)


def test_with_read_replicas_reads_and_writes_keep_their_own_servers(redis_url):
    # Django reads from any server after the first; reusing clients must not route writes to a replica.
    server, db = redis_url.rsplit("/", 1)
    replica = f"{server}/{14 if db == '15' else 15}"  # another database of the same Redis stands in
    both = {"default": {**redis_caches(redis_url)["default"], "LOCATION": [redis_url, replica]}}
    with override_settings(CACHES=both):
        client = caches["default"]._cache
        writer, reader = client.get_client(write=True), client.get_client()
        assert writer is not reader
        assert writer.connection_pool.connection_kwargs["db"] != reader.connection_pool.connection_kwargs["db"]
        assert client.get_client() is reader


def test_the_generation_starts_afresh_when_redis_lost_it(redis_cache):
    bump_generation()  # no generation yet: starts one rather than failing
    first = current_generation()
    redis_cache.delete(GENERATION_KEY)
    assert current_generation() > first


def test_without_redis_the_per_process_cache_is_not_used_for_pages(continental, client):
    # Each gunicorn worker would hold its own copy, which an edit in another worker could not invalidate.
    assert STATUS_HEADER not in client.get(continental.get_absolute_url())
