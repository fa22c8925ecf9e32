"""HTTP behaviour every API GET shares: validators and conditional GET, caching, CORS, throttling."""

import os
import subprocess
import sys

from django.utils.http import http_date, parse_http_date

from lore.models import Film
from tests.api_helpers import api_get, assert_error, fresh_address


def test_a_record_carries_an_etag_its_last_change_and_a_short_public_cache_lifetime(client, read_only_john_wick):
    response = api_get(client, "/api/v1/films/ballerina/")

    assert response["ETag"].startswith('"')
    assert response["Cache-Control"] == "public, max-age=60"
    film = Film.objects.get(slug="ballerina")
    # the film's page shows its credits and notes too: Last-Modified is the newest of them all
    assert parse_http_date(response["Last-Modified"]) >= int(film.updated_at.timestamp())


def test_last_modified_follows_the_newest_record_shown(client, read_only_john_wick):
    film = Film.objects.get(slug="john-wick-chapter-2")
    film.save()

    detail = api_get(client, "/api/v1/films/john-wick-chapter-2/")
    listing = api_get(client, "/api/v1/films/")

    assert detail["Last-Modified"] == http_date(film.updated_at.timestamp())
    assert listing["Last-Modified"] == http_date(film.updated_at.timestamp())


def test_etag_round_trip_answers_304_until_the_record_changes(client, read_only_john_wick):
    first = api_get(client, "/api/v1/films/ballerina/")
    etag = first["ETag"]

    unchanged = api_get(client, "/api/v1/films/ballerina/", headers={"If-None-Match": etag}, status=304)
    assert unchanged["ETag"] == etag and unchanged.content == b""
    assert unchanged["Cache-Control"] == "public, max-age=60"

    Film.objects.get(slug="ballerina").save(update_fields=["synopsis"])
    changed = api_get(client, "/api/v1/films/ballerina/", headers={"If-None-Match": etag})
    assert changed["ETag"] != etag and changed.json()["slug"] == "ballerina"


def test_lists_searches_and_the_root_answer_conditional_gets_too(client, read_only_john_wick):
    for path, params in [
        ("/api/v1/credits/", {"film": "ballerina"}),
        ("/api/v1/search/", {"q": "wick"}),
        ("/api/v1/", {}),
    ]:
        etag = api_get(client, path, params)["ETag"]
        api_get(client, path, params, headers={"If-None-Match": etag}, status=304)


def test_a_head_request_gives_the_headers_without_the_body(client, read_only_john_wick):
    get = api_get(client, "/api/v1/films/ballerina/")
    head = client.head("/api/v1/films/ballerina/", REMOTE_ADDR=fresh_address())

    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] == get["ETag"]


def test_any_origin_may_read_the_api(client, read_only_john_wick):
    response = api_get(client, "/api/v1/films/", headers={"Origin": "https://fan-site.example"})

    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_cors_preflight_allows_reading_only(client, db):
    response = client.options(
        "/api/v1/films/",
        headers={"Origin": "https://fan-site.example", "Access-Control-Request-Method": "GET"},
    )

    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert set(response["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_pages_outside_the_api_send_no_cors_header(client, db):
    response = client.get("/films/", headers={"Origin": "https://fan-site.example"})

    assert "Access-Control-Allow-Origin" not in response


def test_an_anonymous_client_over_the_rate_gets_a_429_with_retry_after(client, db, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/minute"}}
    address = fresh_address()

    api_get(client, "/api/v1/films/", address=address)
    api_get(client, "/api/v1/", address=address)
    throttled = api_get(client, "/api/v1/films/", address=address, status=429)

    body = assert_error(throttled, 429)
    assert 0 < int(throttled["Retry-After"]) <= 60
    assert "throttled" in body["detail"].lower()
    api_get(client, "/api/v1/films/", address=fresh_address())  # others are not held back


def test_an_invented_forwarded_for_header_does_not_dodge_the_throttle(client, db, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "1/minute"}}
    address = fresh_address()

    api_get(client, "/api/v1/films/", address=address, headers={"X-Forwarded-For": "192.0.2.1"})
    api_get(client, "/api/v1/films/", address=address, headers={"X-Forwarded-For": "192.0.2.2"}, status=429)


def test_a_malformed_throttle_rate_stops_start_up_naming_the_variable():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env={**env, "LORE_API_ANON_RATE": "lots"},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "LORE_API_ANON_RATE" in result.stderr
