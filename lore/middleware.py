"""Middleware for running on the public internet: one JSON log line per request, and a 503 answer instead
of a 500 when the database cannot be reached.
"""

import json
import logging
import re
import sys
import time
import uuid

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.timezone import now

request_log = logging.getLogger("lore.requests")
logger = logging.getLogger("lore.middleware")

REQUEST_ID_HEADER = "X-Request-ID"
# An incoming id is kept only if it is short and plain, so it cannot smuggle anything into logs or headers.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def client_ip(request):
    """The visitor's address. Behind the one TLS proxy Lore supports, that is the last X-Forwarded-For
    entry (the one the proxy appended); anything before it came from the client and proves nothing."""
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if settings.SECURE_PROXY_SSL_HEADER and forwarded:
        return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "")


class RequestLogMiddleware:
    """Outermost middleware: gives each request an id, echoes it in X-Request-ID, and writes one JSON line
    to the `lore.requests` log when the response is ready, static files and error pages included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request.request_id = incoming if SANE_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        status = 500
        try:
            response = self.get_response(request)
            status = response.status_code
            response[REQUEST_ID_HEADER] = request.request_id
            return response
        finally:
            request_log.info(
                json.dumps(
                    {
                        "time": now().isoformat(timespec="milliseconds"),
                        "request_id": request.request_id,
                        "method": request.method,
                        "path": request.path,
                        "status": status,
                        "duration_ms": round((time.monotonic() - started) * 1000, 1),
                    }
                )
            )


class DatabaseUnavailableMiddleware:
    """Turns a database outage into a 503: a friendly page, or JSON under /api/. Django reconnects on the
    next request (CONN_HEALTH_CHECKS), so service resumes by itself when the database is back.

    A view's error arrives in process_exception. An error raised by an inner middleware or an error page
    has already become a 500 by the time it reaches us; the got_request_exception signal marks it."""

    def __init__(self, get_response):
        self.get_response = get_response
        got_request_exception.connect(_mark_database_error, dispatch_uid="lore.middleware.database_error")

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 500 and getattr(request, "_lore_database_error", False):
            return unavailable_response(request)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.warning("database unavailable on %s %s: %s", request.method, request.path, exception)
            return unavailable_response(request)
        return None


def _mark_database_error(sender, request=None, **kwargs):
    if request is not None and isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        request._lore_database_error = True


def unavailable_response(request):
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"status": 503, "detail": "The database is unavailable. Please try again shortly."}, status=503
        )
    else:
        response = HttpResponse(_unavailable_page(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def _unavailable_page():
    # Rendered without a request, so no context processor can touch the database.
    try:
        return render_to_string("503.html")
    except Exception:  # the page of last resort must not fail (e.g. a static manifest entry missing)
        logger.exception("could not render 503.html")
        return (
            "<!doctype html><html lang=en><title>Lore is unavailable</title>"
            "<h1>Lore is briefly unavailable</h1><p>Please try again in a minute.</p></html>"
        )
