"""/healthz, for load balancers and monitoring: 200 when every database and the shared cache answer,
503 naming what did not. It is never cached, so each probe asks the services afresh."""

import logging

import redis
from django.conf import settings
from django.db import DatabaseError, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger("lore.health")

OK, UNREACHABLE, NOT_CONFIGURED = "ok", "unreachable", "not configured"


def check_database(alias):
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        logger.warning("health check: database %s unreachable: %s", alias, exc)
        return UNREACHABLE
    return OK


def check_cache():
    """Ping Redis itself: the cache backend fails open, so asking it through Django would always pass."""
    if not settings.REDIS_URL:
        return NOT_CONFIGURED
    try:
        with redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5) as client:
            client.ping()
    except (redis.RedisError, OSError) as exc:
        logger.warning("health check: cache unreachable: %s", exc)
        return UNREACHABLE
    return OK


@never_cache
@require_safe
def healthz(request):
    checks = {"database" if alias == "default" else f"database:{alias}": check_database(alias) for alias in connections}
    checks["cache"] = check_cache()
    failed = [name for name, result in checks.items() if result == UNREACHABLE]
    body = {"status": "unavailable" if failed else "ok", "failed": failed, "checks": checks}
    return JsonResponse(body, status=503 if failed else 200)
