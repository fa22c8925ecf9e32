"""The cache and database-connection settings production gets from the environment."""

import json
import os
import subprocess
import sys

BASE_ENV = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "LORE_"))}
PRODUCTION = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "s" * 50, "DJANGO_ALLOWED_HOSTS": "lore.example"}
SHOW = """
import json
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({"conn_max_age": db["CONN_MAX_AGE"], "health_checks": db["CONN_HEALTH_CHECKS"],
                  "cache": settings.CACHES["default"], "middleware": settings.MIDDLEWARE}))
"""


def settings_with(**env):
    result = subprocess.run(  # noqa: S603 - this interpreter running our own snippet
        [sys.executable, "-c", SHOW],
        env={**BASE_ENV, "DJANGO_SETTINGS_MODULE": "franchise_site.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_keeps_database_connections_open_and_checks_them_before_reuse():
    shown = settings_with(**PRODUCTION, DATABASE_URL="postgres://lore@db.example/lore")
    assert shown["conn_max_age"] == 60
    assert shown["health_checks"] is True


def test_persistent_connections_can_be_tuned_or_turned_off():
    assert settings_with(**PRODUCTION, DJANGO_CONN_MAX_AGE="0")["conn_max_age"] == 0
    assert settings_with(**PRODUCTION, DJANGO_CONN_MAX_AGE="300")["conn_max_age"] == 300


def test_development_opens_a_connection_per_request():
    assert settings_with()["conn_max_age"] == 0


def test_redis_url_selects_the_fail_open_redis_cache_with_short_timeouts():
    cache = settings_with(REDIS_URL="redis://127.0.0.1:6379/0")["cache"]
    assert cache["BACKEND"] == "lore.cache.FailOpenRedisCache"
    assert cache["LOCATION"] == "redis://127.0.0.1:6379/0"
    assert cache["OPTIONS"]["socket_connect_timeout"] <= 1 and cache["OPTIONS"]["socket_timeout"] <= 1


def test_without_redis_the_cache_is_in_process():
    assert settings_with()["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_the_response_cache_is_outermost_but_the_request_log():
    # Hits skip every header middleware, so what those add must be stored with the response; the request
    # log alone stays outside, to give every response its own id.
    middleware = settings_with()["middleware"]
    assert middleware[:2] == ["lore.middleware.RequestLogMiddleware", "lore.caching.ResponseCacheMiddleware"]
