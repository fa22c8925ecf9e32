"""Whole-response caching of anonymous GETs (pages and the API), invalidated by a "lore generation".

Every cached response is stored with the generation number it was rendered under; any saved, deleted
or re-linked lore row bumps the number once its transaction commits, so a stored response from an older
generation no longer counts and the next request renders fresh data and replaces it. One Redis round
trip (MGET) fetches both the generation and the stored response. Writes that send no signals
(bulk_create, QuerySet.update, raw SQL) must call `bump_generation()` themselves, as generate_lore does.

The middleware only caches when the default cache is Redis: a per-process memory cache could not be
invalidated across gunicorn workers. It is the outermost but one (only the request log, which gives every
response its own id, is outside it), so a stored response carries the headers every other middleware
added (security, clickjacking, CSP, CORS) and a hit runs none of them: a hit then costs a worker less
than a view that does nothing. The key therefore holds what those headers depend on: the scheme (HSTS,
the HTTPS redirect) and the Origin (CORS); a response whose policy carries a CSP nonce is never stored.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import DisallowedHost
from django.db import connections, router, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import cc_delim_re, get_conditional_response

GENERATION_KEY = "lore:generation"
STATUS_HEADER = "X-Lore-Cache"
CACHEABLE_STATUSES = {200, 301, 404}
MAX_CACHED_BYTES = 2 * 1024 * 1024
UNCACHED_PREFIXES = ("/healthz", "/bench/", "/static/")
# Besides the session cookie (a logged-in editor), cookies that mean the page may be personal: flash messages.
PERSONAL_COOKIES = ("messages",)
PERSONAL_CACHE_CONTROL = {"private", "no-store", "no-cache"}
# Version 2 stores the headers of every middleware and keys on the Origin; entries of version 1, which a
# worker of the previous release may still read or write, live under other keys.
RESPONSE_KEY_PREFIX = "lore:response:v2:"


def _cache():
    return caches["default"]


def current_generation(cache=None):
    """The generation responses are cached under now, or None when the cache cannot say (Redis down)."""
    cache = cache or _cache()
    generation = cache.get(GENERATION_KEY)
    if generation is None and cache.add(GENERATION_KEY, time.time_ns(), timeout=None):
        # A fresh clock-based start: never equal to a generation from before a Redis restart or eviction.
        generation = cache.get(GENERATION_KEY)
    return generation


def bump_generation():
    """Make every cached response stale. Safe to call at any time; a no-op if Redis is unreachable."""
    cache = _cache()
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet (or evicted): start one, or bump the one a request just started
        if not cache.add(GENERATION_KEY, time.time_ns(), timeout=None):
            cache.incr(GENERATION_KEY)


def _bump_after_commit(sender, using=None, **kwargs):
    """Schedule one bump for when the current transaction commits (at once outside a transaction).

    Bumping before the commit would let a request render the old rows under the new generation.
    """
    if sender._meta.app_label != "lore":
        return
    if kwargs.get("action", "post_").startswith("pre_"):
        return  # m2m_changed fires before and after; the "post_" one is enough
    using = using or router.db_for_write(sender)
    connection = connections[using]
    if connection.in_atomic_block and any(entry[1] is bump_generation for entry in connection.run_on_commit):
        return  # a bump is already due when this transaction commits
    transaction.on_commit(bump_generation, using=using, robust=True)


def connect_signals():
    """Called from LoreConfig.ready(), so edits from admin, commands and imports all invalidate."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_bump_after_commit, dispatch_uid=f"lore-caching-{id(signal)}")


def _is_api(request):
    return request.path.startswith("/api/")


def _request_is_cacheable(request):
    if request.method != "GET" or "Authorization" in request.headers:
        return False
    if any(name in request.COOKIES for name in (settings.SESSION_COOKIE_NAME, *PERSONAL_COOKIES)):
        return False  # a logged-in editor (or anyone with a session) always sees a fresh page
    path = request.path
    return not path.startswith(("/" + settings.ADMIN_PATH, *UNCACHED_PREFIXES))


def _response_is_cacheable(request, response):
    if response.status_code not in CACHEABLE_STATUSES or response.streaming or response.cookies:
        return False
    if len(response.content) > MAX_CACHED_BYTES:
        return False
    cache_control = {part.split("=")[0].strip().lower() for part in response.get("Cache-Control", "").split(",")}
    if cache_control & PERSONAL_CACHE_CONTROL:
        return False
    if "'nonce-" in response.get("Content-Security-Policy", ""):
        return False  # a nonce is good for one response only
    vary = {header.strip().lower() for header in cc_delim_re.split(response.get("Vary", "")) if header.strip()}
    allowed_vary = {"accept", "accept-encoding", "origin"} if _is_api(request) else {"accept-encoding", "origin"}
    return vary <= allowed_vary


def _key(request):
    headers = request.headers
    accept = headers.get("Accept", "") if _is_api(request) else ""
    identity = "\n".join(
        (request.method, request.scheme, request.get_host(), request.get_full_path(), accept, headers.get("Origin", ""))
    )
    return RESPONSE_KEY_PREFIX + hashlib.sha256(identity.encode("utf-8", "surrogateescape")).hexdigest()


def _freeze(response):
    return (response.status_code, list(response.items()), response.content)


def _thaw(frozen):
    status, headers, content = frozen
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response


class ResponseCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cache = _cache()
        if not isinstance(cache, RedisCache) or not _request_is_cacheable(request):
            return self.get_response(request)
        try:
            key = _key(request)
        except DisallowedHost:
            # Not a host Lore serves: the middleware inside answer it (a 400) with their headers, as
            # they would any request this one does not serve.
            return self.get_response(request)
        # One round trip for both: the current generation and what is stored for this request.
        found = cache.get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY)
        if generation is None:
            generation = current_generation(cache)
            if generation is None:
                return self.get_response(request)  # the cache is unreachable: serve uncached
        stored = found.get(key)
        if stored is not None and stored[0] == generation:
            response = _thaw(stored[1])
            response[STATUS_HEADER] = "hit"
            # A client revalidating its copy (If-None-Match) gets a 304, as the view itself would answer.
            return get_conditional_response(request, etag=response.get("ETag"), response=response)
        response = self.get_response(request)
        if _response_is_cacheable(request, response):
            cache.set(key, (generation, _freeze(response)))
            response[STATUS_HEADER] = "miss"
        return response
