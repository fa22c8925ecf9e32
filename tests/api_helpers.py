"""Requests for the API tests, each answer checked against the API's own OpenAPI schema.

`api_get()` is how every API test talks to the API, so every response the suite sees must match what
/api/schema/ documents for its operation and status (schemathesis does the matching). Each call comes
from its own IP address, so the anonymous throttle only trips in the test that means to trip it.
"""

import functools
import itertools

import requests
import schemathesis
from django.db import connection
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

_addresses = itertools.count(1)


@functools.cache
def openapi_schema():
    """The schema /api/schema/ serves, as a dict."""
    return SchemaGenerator().get_schema(request=None, public=True)


@functools.cache
def _checker():
    return schemathesis.openapi.from_dict(openapi_schema())


def count_queries():
    """Queries a list spends counting its rows: on PostgreSQL the paginator asks the planner's estimate first
    (lore/paging.py), then counts exactly when the table is small."""
    return 2 if connection.vendor == "postgresql" else 1


def fresh_address():
    n = next(_addresses)
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


def url_of(name, **kwargs):
    """A URL name (`"film-list"`, `"film-detail"` with `slug=...`) in the API namespace, or a path as is."""
    return name if name.startswith("/") else reverse(f"api:{name}", kwargs=kwargs or None)


def api_get(client, url, params=None, *, status=200, headers=None, address=None):
    """GET `url` (a path, or an API URL name without kwargs) and check the answer against the schema."""
    response = client.get(url_of(url), params or {}, headers=headers or {}, REMOTE_ADDR=address or fresh_address())
    assert response.status_code == status, (response.status_code, response.content[:1000])
    assert_matches_schema(response)
    return response


def assert_matches_schema(response):
    """The response is documented for its operation and status, and its body matches the documented schema."""
    request = response.wsgi_request
    operation = _checker().find_operation_by_path(request.method, request.path)
    assert operation is not None, f"{request.method} {request.path} is not in the OpenAPI schema"
    assert operation.responses.find_by_status_code(response.status_code) is not None, (
        f"{response.status_code} is not documented for {operation.label}"
    )
    if response.status_code == 304:
        assert not response.content
        return
    assert response["Content-Type"] == "application/json"
    prepared = requests.Request(request.method, request.build_absolute_uri()).prepare()
    checked = schemathesis.Response(
        status_code=response.status_code,
        headers={name: [value] for name, value in response.headers.items()},
        content=response.content,
        request=prepared,
        elapsed=0.0,
        verify=True,
    )
    operation.validate_response(checked)


def assert_error(response, status, parameter=None):
    """An error body in the API's one shape; on a 400, `errors` names the bad parameter."""
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == status and body["detail"]
    if parameter is not None:
        assert parameter in body["errors"], body
        assert parameter in body["detail"]
        assert all(message for message in body["errors"][parameter])
    return body
