"""/healthz tells a load balancer whether this process can serve: 200 when the database and the cache
answer, 503 naming what failed. Real outages are in test_failure_*.py; here the failures are simulated."""

import pytest
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper


def test_healthz_answers_200_json_when_the_database_answers_and_no_cache_is_configured(client, db, settings):
    settings.REDIS_URL = ""

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "failed": [],
        "checks": {"database": "ok", "cache": "not configured"},
    }


def test_healthz_is_never_cached(client, db):
    response = client.get("/healthz")

    assert "no-store" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]


def test_healthz_checks_the_configured_redis(client, db, settings, redis_url):
    settings.REDIS_URL = redis_url

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["checks"]["cache"] == "ok"


def test_healthz_answers_503_naming_the_cache_when_redis_is_unreachable(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["failed"] == ["cache"]


def test_healthz_answers_503_naming_the_database_when_it_fails(client, db, settings, monkeypatch):
    settings.REDIS_URL = ""

    def refuse(self):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(BaseDatabaseWrapper, "cursor", refuse)
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["failed"] == ["database"]


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
def test_healthz_only_answers_reads(client, db, method):
    assert client.generic(method, "/healthz").status_code == 405
