"""Addresses of detail pages and API resources without a reverse() per link.

reverse() matches the URL pattern anew each time (about 50 µs); a film's API detail carries some 150
links and its page as many. Every detail URL is a fixed head, the slug, and a fixed tail, so each URL name
is reversed once with a placeholder slug and split there; a link is then a concatenation, the same string
reverse() gives (the slug quoted the same way) for any slug its URL pattern accepts.
"""

import re
from contextvars import ContextVar
from functools import lru_cache
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.encoding import iri_to_uri
from django.utils.http import RFC3986_SUBDELIMS

# A placeholder for the slug, accepted by the plain slug pattern and by the credit pattern (film~person~role).
PLACEHOLDERS = ("lore0slug0", "lore0slug0~lore0slug0~lore0slug0")
SAFE = RFC3986_SUBDELIMS + "/~:@"  # what reverse() leaves unquoted
PLAIN = re.compile(r"[-\w~]+", re.ASCII).fullmatch  # slugs that quoting leaves as they are: nearly all
SLUG = re.compile(r"[-a-zA-Z0-9_]+").fullmatch  # what Django's <slug:...> path converter accepts


@lru_cache(maxsize=128)
def _head_and_tail(url_name, script_prefix, urlconf, fixed=()):
    """The URL around the slug, for `url_name` with the other arguments `fixed` ((name, value) pairs)."""
    for placeholder in PLACEHOLDERS:
        kwargs = {**dict(fixed), "slug": placeholder}
        try:
            head, tail = reverse(url_name, kwargs=kwargs, urlconf=urlconf).split(placeholder)
        except NoReverseMatch:
            continue
        return head, tail
    raise NoReverseMatch(f"{url_name!r} takes no slug")


@lru_cache(maxsize=128)
def _named(url_name, script_prefix, urlconf):
    return reverse(url_name, urlconf=urlconf)


@receiver(setting_changed)
def _forget_on_new_urls(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _head_and_tail.cache_clear()
        _named.cache_clear()


# The script prefix and URLconf of the request being answered, read once by LinkBaseMiddleware. Django keeps
# both in asgiref Locals, and reading the two cost 4.3 of the 5.7 µs a link took: a tenth of the timeline.
_request_base = ContextVar("lore_link_base", default=None)


def _current_base(request=None):
    urlconf = getattr(request, "urlconf", None) or get_urlconf() or settings.ROOT_URLCONF
    return get_script_prefix(), urlconf


def _base():
    return _request_base.get() or _current_base()


def _parts(url_name, fixed=()):
    return _head_and_tail(url_name, *_base(), fixed)


class LinkBaseMiddleware:
    """The innermost middleware: notes the request's script prefix and URLconf for the links its response
    writes, and forgets them once the response is made. Innermost, so that a request.urlconf set by any
    other middleware is the one noted, as Django resolves the request with it right after. Links written
    anywhere else (commands, tests, an error page of an outer middleware) read both from Django each time.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request_base.set(_current_base(request))
        try:
            return self.get_response(request)
        finally:
            _request_base.reset(token)


def _quoted(slug):
    return slug if PLAIN(slug) else iri_to_uri(quote(slug, safe=SAFE))


def named_path(url_name):
    """`reverse(url_name)` for a URL that takes no arguments, e.g. "/films/": reversed once per process (and
    script prefix). Every page's header and footer link to thirteen of these; reversing them on each request
    was a twentieth of the film page."""
    return _named(url_name, *_base())


def detail_path(url_name, slug):
    """`reverse(url_name, kwargs={"slug": slug})`, e.g. "/films/ballerina/"."""
    head, tail = _parts(url_name)
    return f"{head}{_quoted(slug)}{tail}"


def history_path(record):
    """The path of a record's edit history, e.g. "/history/film/ballerina/"; "" for a slug that its URL
    pattern does not accept (what `{% url ... as name %}` gives when reverse() fails)."""
    if not SLUG(record.slug):
        return ""
    head, tail = _parts("lore:history", (("model", record._meta.model_name),))
    return f"{head}{record.slug}{tail}"


def page_path(model, slug):
    """The path of a record's page from its model and slug, e.g. page_path(Film, "ballerina")."""
    return detail_path(f"lore:{model._meta.model_name}-detail", slug)


def franchise_list_path(url_name, franchise_slug):
    """A list (page or API) filtered to one franchise, e.g. "/films/?franchise=john-wick"."""
    return f"{named_path(url_name)}?{urlencode({'franchise': franchise_slug})}"


def absolute_detail_url(request, url_name, slug):
    """`request.build_absolute_uri(detail_path(url_name, slug))`, the absolute head built once per request
    and URL name and kept on the request."""
    heads = vars(request).setdefault("_lore_absolute_heads", {})
    if url_name not in heads:
        head, tail = _parts(url_name)
        heads[url_name] = (absolute_url(request, head), tail)
    head, tail = heads[url_name]
    return f"{head}{_quoted(slug)}{tail}"


def absolute_url(request, path):
    """`request.build_absolute_uri(path)` for a path this site built (already quoted, starting with "/"), the
    scheme and host built once per request: pages and API responses carry dozens of these."""
    origin = vars(request).get("_lore_origin")
    if origin is None:
        origin = request._lore_origin = request.build_absolute_uri("/")[:-1]
    return origin + path
