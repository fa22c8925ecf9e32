"""Every response carries the security headers: pages, the API, error pages, /healthz, and the static
files WhiteNoise serves (checked on a real production server, where the static files are hashed)."""

import json

import pytest
from django.db import OperationalError

from lore.views import LoreListView
from tests.production import running_server, seeded_sqlite_url, static_root

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def assert_security_headers(headers):
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value, name
    policy = dict(directive.strip().split(" ", 1) for directive in headers["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'"  # no inline script, no eval, no other origin
    assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe" not in headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/films/", 200),
        ("/films/john-wick-2014/", 200),
        ("/search/?q=wick", 200),
        ("/api/v1/films/", 200),
        ("/api/v1/films/john-wick-2014/", 200),
        ("/films/no-such-film/", 404),
        ("/no-such-page/", 404),
        ("/api/v1/no-such-endpoint/", 404),
        ("/healthz", 200),
    ],
)
def test_pages_api_errors_and_healthz_carry_every_security_header(client, john_wick, path, status):
    response = client.get(path)

    assert response.status_code == status
    assert_security_headers(response)


def test_the_database_outage_page_carries_every_security_header(client, db, monkeypatch):
    def unreachable(self, *args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(LoreListView, "get_queryset", unreachable)
    response = client.get("/films/")

    assert response.status_code == 503
    assert_security_headers(response)


@pytest.fixture(scope="module")
def production_server():
    with running_server(DATABASE_URL=seeded_sqlite_url()) as server:
        yield server


def hashed_name(original):
    manifest = json.loads((static_root() / "staticfiles.json").read_text())
    return manifest["paths"][original]


def test_a_hashed_static_file_is_cached_for_ten_years_and_carries_every_security_header(production_server):
    response = production_server.get(f"/static/{hashed_name('lore/site.css')}")

    assert response.status == 200
    assert response.headers["Content-Type"].startswith("text/css")
    cache_control = response.headers["Cache-Control"]
    assert "immutable" in cache_control and "public" in cache_control
    assert int(cache_control.split("max-age=")[1].split(",")[0]) >= 10 * 365 * 24 * 3600
    assert_security_headers(response.headers)
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_static_files_are_served_compressed_to_clients_that_accept_it(production_server):
    path = f"/static/{hashed_name('lore/site.css')}"
    plain = production_server.get(path)

    brotli = production_server.get(path, **{"Accept-Encoding": "br"})
    gzip = production_server.get(path, **{"Accept-Encoding": "gzip"})

    assert brotli.headers["Content-Encoding"] == "br" and len(brotli.body) < len(plain.body)
    assert gzip.headers["Content-Encoding"] == "gzip" and len(gzip.body) < len(plain.body)


def test_an_unhashed_static_name_is_cached_only_briefly(production_server):
    response = production_server.get("/static/lore/site.css")

    assert response.status == 200
    assert "immutable" not in response.headers["Cache-Control"]


@pytest.mark.parametrize("path", ["/films/john-wick-2014/", "/api/v1/films/", "/static/lore/no-such-file.css"])
def test_the_production_server_sends_the_headers_and_hsts_on_pages_api_and_missing_files(production_server, path):
    response = production_server.get(path)

    assert response.status in (200, 404)
    assert_security_headers(response.headers)
    assert "includeSubDomains" in response.headers["Strict-Transport-Security"]


def test_the_production_server_redirects_plain_http_to_https_except_for_healthz(production_server):
    redirected = production_server.get("/films/", **{"X-Forwarded-Proto": "http"})
    health = production_server.get("/healthz", **{"X-Forwarded-Proto": "http"})

    assert redirected.status == 301
    assert redirected.headers["Location"] == "https://lore.example/films/"
    assert health.status == 200
