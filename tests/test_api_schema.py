"""/api/schema/ and /api/docs/: an OpenAPI 3 schema that validates and documents every filter and error,
and Swagger UI served from the site's own static files under the site's CSP."""

import json
import re

from django.contrib.staticfiles import finders
from django.core.management import call_command
from openapi_spec_validator import validate

from tests.api_helpers import fresh_address, openapi_schema


def schema_of(client):
    response = client.get("/api/schema/", {"format": "json"}, REMOTE_ADDR=fresh_address())
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_served_schema_is_valid_openapi_3(client, db):
    schema = schema_of(client)

    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert schema == json.loads(json.dumps(openapi_schema()))  # the one the test suite checks responses against


def test_the_schema_generates_without_warnings(db, tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))


def test_the_yaml_schema_is_the_default(client, db):
    response = client.get("/api/schema/", REMOTE_ADDR=fresh_address())

    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.oai.openapi")


def parameters(schema, path):
    return {p["name"]: p for p in schema["paths"][path]["get"]["parameters"]}


def test_the_schema_documents_every_filter_with_its_enumeration(client, db):
    schema = schema_of(client)
    films = parameters(schema, "/api/v1/films/")

    assert {"franchise", "kind", "status", "release_year_min", "release_year_max", "search", "ordering"} <= set(films)
    assert films["kind"]["schema"]["enum"] == ["main", "series", "short", "spinoff"]
    assert films["release_year_min"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 9999}
    assert "-release_date" in films["ordering"]["schema"]["items"]["enum"]
    assert {"franchise", "film", "organization", "portrayed_by"} <= set(parameters(schema, "/api/v1/characters/"))
    assert {"film", "person", "role"} <= set(parameters(schema, "/api/v1/credits/"))
    assert {"film", "speaker", "topic", "source"} <= set(parameters(schema, "/api/v1/production-notes/"))
    assert parameters(schema, "/api/v1/search/")["q"]["required"] is True


def test_the_schema_documents_errors_and_validators_on_every_operation(client, db):
    schema = schema_of(client)

    for path, item in schema["paths"].items():
        responses = item["get"]["responses"]
        assert {"200", "304", "400", "404", "429"} <= set(responses), path
        assert responses["404"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
        assert responses["200"]["headers"]["ETag"]["required"] is True
        assert "Retry-After" in responses["429"]["headers"]
        assert set(item) == {"get"}, path  # the API is read-only


def test_the_schema_types_dates_and_enumerations(client, db):
    film = schema_of(client)["components"]["schemas"]["Film"]["properties"]

    assert film["release_date"] == {"type": "string", "format": "date", "nullable": True, "readOnly": True}
    assert film["kind"]["allOf"] == [{"$ref": "#/components/schemas/FilmKindEnum"}]


def test_the_docs_page_loads_swagger_ui_from_local_static_files_and_a_separate_script(client, db):
    page = client.get("/api/docs/", REMOTE_ADDR=fresh_address())

    assert page.status_code == 200
    html = page.content.decode()
    scripts = re.findall(r'<script src="([^"]+)"', html)
    assert "<script>" not in html  # nothing inline: CSP allows only scripts from the site itself
    assert "script-src 'self'" in page["Content-Security-Policy"]
    assert "unsafe-inline" not in page["Content-Security-Policy"]
    for url in [*scripts, *re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)]:
        if "?script" in url:
            continue
        assert url.startswith("/static/"), url  # no CDN
        assert finders.find(url.removeprefix("/static/")), url

    init = next(url for url in scripts if "script" in url.split("?")[-1])
    script = client.get(init.replace("&amp;", "&"), REMOTE_ADDR=fresh_address())
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()
