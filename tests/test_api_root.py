"""/api/v1/, unknown API addresses, and writes: the API lists itself, answers JSON, and never writes."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from rest_framework import exceptions

from lore.api_errors import exception_handler
from tests.api_helpers import api_get, assert_error, fresh_address

RESOURCES = [
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


def test_the_root_lists_every_resource_the_search_the_schema_and_the_docs(client, db):
    root = api_get(client, "/api/v1/").json()

    assert root == {
        **{name: f"http://testserver/api/v1/{name}/" for name in RESOURCES},
        "search": "http://testserver/api/v1/search/",
        "schema": "http://testserver/api/schema/",
        "docs": "http://testserver/api/docs/",
    }


def test_api_addresses_are_named_in_the_api_namespace(db):
    assert reverse("api:film-list") == "/api/v1/films/"
    assert reverse("api:film-detail", kwargs={"slug": "ballerina"}) == "/api/v1/films/ballerina/"
    assert reverse("api:productionnote-list") == "/api/v1/production-notes/"
    assert reverse("api:search-list") == "/api/v1/search/"
    assert (reverse("api:api-root"), reverse("api:schema"), reverse("api:docs")) == (
        "/api/v1/",
        "/api/schema/",
        "/api/docs/",
    )


def test_every_listed_resource_answers(client, db):
    for name in RESOURCES:
        assert api_get(client, f"/api/v1/{name}/").json()["count"] >= 0


@pytest.mark.parametrize(
    "path", ["/api/", "/api/v2/films/", "/api/v1/films/ballerina/credits/", "/api/v1/films/a b/", "/api/v1/films/%0A/"]
)
def test_an_unknown_api_address_is_a_json_404(client, db, path):
    assert_error(client.get(path), 404)


def test_an_api_address_without_its_trailing_slash_redirects_to_it(client, db):
    response = client.get("/api/v1/films")

    assert response.status_code == 301 and response["Location"] == "/api/v1/films/"


WRITES = [
    ("post", "/api/v1/films/"),
    ("put", "/api/v1/films/ballerina/"),
    ("patch", "/api/v1/films/ballerina/"),
    ("delete", "/api/v1/films/ballerina/"),
    ("post", "/api/v1/search/"),
    ("post", "/api/v1/"),
    ("delete", "/api/v1/credits/ballerina~erica-lee~producer/"),
]


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_writes_are_refused_to_anonymous_clients(client, read_only_john_wick, method, path):
    response = getattr(client, method)(path, {"title": "Renamed"}, content_type="application/json")

    assert_error(response, 405)
    assert response["Allow"] == "GET, HEAD, OPTIONS"


@pytest.mark.parametrize(("method", "path"), WRITES)
def test_writes_are_refused_even_to_a_logged_in_superuser(client, read_only_john_wick, method, path):
    client.force_login(User.objects.create_superuser("root", "root@example.com", "a long enough password"))

    response = getattr(client, method)(
        path, {"title": "Renamed"}, content_type="application/json", REMOTE_ADDR=fresh_address()
    )

    assert_error(response, 405)
    assert api_get(client, "/api/v1/films/ballerina/").json()["title"] == "Ballerina"


@pytest.mark.parametrize(
    ("exception", "status"),
    [
        (exceptions.NotAuthenticated(), 401),
        (exceptions.PermissionDenied(), 403),
        (exceptions.NotFound(), 404),
        (exceptions.MethodNotAllowed("POST"), 405),
        (exceptions.NotAcceptable(), 406),
        (exceptions.Throttled(wait=30), 429),
    ],
)
def test_every_api_error_has_the_same_json_shape(exception, status):
    response = exception_handler(exception, {})

    assert response.status_code == status
    assert set(response.data) == {"status", "detail"} and response.data["status"] == status
    if status == 429:
        assert response["Retry-After"] == "30"
