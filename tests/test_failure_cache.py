"""When Redis is unreachable the site keeps serving from the database, with no error for the visitor; the
operator sees the cache failure in the log and in /healthz. A real gunicorn with REDIS_URL on a closed port."""

import pytest

from tests.production import CLOSED_PORT, HOST, running_server, seeded_sqlite_url

PATHS = ["/", "/films/", "/films/john-wick-2014/", "/search/?q=ballerina", "/api/v1/films/", "/api/v1/characters/"]


@pytest.fixture(scope="module")
def server_without_redis():
    with running_server(DATABASE_URL=seeded_sqlite_url(), REDIS_URL=f"redis://{HOST}:{CLOSED_PORT}/0") as server:
        yield server


@pytest.mark.parametrize("path", PATHS)
def test_pages_and_the_api_serve_normally_from_the_database_when_redis_is_unreachable(server_without_redis, path):
    response = server_without_redis.get(path)

    assert response.status == 200
    assert b"John Wick" in response.body


def test_the_cache_failure_is_logged_for_the_operator(server_without_redis):
    server_without_redis.get("/films/")

    _, stderr = server_without_redis.output()
    assert "WARNING lore.cache: cache" in stderr and "failed" in stderr


def test_healthz_names_the_cache_when_redis_is_unreachable(server_without_redis):
    response = server_without_redis.get("/healthz")

    assert response.status == 503
    assert response.json()["failed"] == ["cache"]
    assert response.json()["checks"]["database"] == "ok"
