"""Lore's one settings module, read from the environment.

With no environment at all it runs for local development: debug on, SQLite in the project folder,
an in-process cache. Production sets DJANGO_DEBUG=0 and the variables documented in the README.
A malformed value stops start-up with ImproperlyConfigured naming the variable.
"""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}.")


def env_int(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer; got {raw!r}.") from None


def env_list(name, default):
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_str(name, default=""):
    return os.environ.get(name, default)


def database_from_url(name, url, conn_max_age):
    """Parse one database URL, accepting only the engines Lore is tested on."""
    scheme = urlsplit(url).scheme
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(f"{name} must start with sqlite:// or postgres://; got scheme {scheme!r}.")
    try:
        config = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    except Exception as exc:  # dj-database-url raises several types for bad URLs
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {exc}") from None
    if scheme != "sqlite" and not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} must name a database, e.g. postgres://user@host/lore.")
    return config


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (production).")
    SECRET_KEY = "insecure-local-development-key-only"  # noqa: S105 - never used with debug off  # nosec B105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"] if DEBUG else [])
if not ALLOWED_HOSTS and not DEBUG:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must name the site's host(s) when DJANGO_DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "simple_history",
    "axes",
    "csp",
    "lore",
]

# Request logging is outermost so it times and logs every response. The security headers come before
# WhiteNoise so static files get them too; database outages become 503s just inside CORS.
MIDDLEWARE = [
    "lore.middleware.RequestLogMiddleware",
    # Whole-response cache of anonymous GETs (Redis only), outside every other middleware: a stored
    # response keeps the headers they added (security, clickjacking, CSP, CORS, session and CSRF), so a
    # hit runs none of them. Only the request log sees hits, to give each its own id. See lore/caching.py.
    "lore.caching.ResponseCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "lore.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    # Innermost: the script prefix and URLconf the response's links are written under (lore/links.py).
    "lore.links.LinkBaseMiddleware",
]

ROOT_URLCONF = "franchise_site.urls"
WSGI_APPLICATION = "franchise_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Databases: SQLite by default; DATABASE_URL selects PostgreSQL. DATABASE_REPLICA_URLS (comma separated)
# adds read replicas that the router sends reads to; writes always go to "default".
CONN_MAX_AGE = env_int("DJANGO_CONN_MAX_AGE", 0 if DEBUG else 60)
DATABASES = {
    "default": database_from_url(
        "DATABASE_URL",
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        CONN_MAX_AGE,
    )
}
for index, replica_url in enumerate(env_list("DATABASE_REPLICA_URLS", [])):
    DATABASES[f"replica{index + 1}"] = database_from_url("DATABASE_REPLICA_URLS", replica_url, CONN_MAX_AGE)
# An unreachable PostgreSQL must fail fast (and become a 503), not hold a worker until gunicorn kills it.
for _config in DATABASES.values():
    if _config["ENGINE"] == "django.db.backends.postgresql":
        # Django's backend, preparing the ORM's read queries once per session (lore/postgresql/base.py).
        _config["ENGINE"] = "lore.postgresql"
        _config.setdefault("OPTIONS", {}).setdefault("connect_timeout", env_int("DJANGO_DB_CONNECT_TIMEOUT", 5))
# Off where a pooler in transaction mode sits between Lore and PostgreSQL (see docs/DEPLOYMENT.md).
LORE_PREPARE_QUERIES = env_bool("LORE_PREPARE_QUERIES", True)
# The SQL of each query shape compiled once per process (lore/postgresql/compiler.py); 0 compiles every query.
LORE_CACHE_COMPILED_SQL = env_bool("LORE_CACHE_COMPILED_SQL", True)
# Compile every reused query in full as well and fail on a difference: for tests and staging, never production.
LORE_VERIFY_COMPILED_SQL = env_bool("LORE_VERIFY_COMPILED_SQL", False)
DATABASE_ROUTERS = ["franchise_site.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set (shared by every worker), otherwise a per-process memory cache.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    if urlsplit(REDIS_URL).scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(f"REDIS_URL must start with redis:// or rediss://; got {REDIS_URL!r}.")
    CACHES = {
        "default": {
            "BACKEND": "lore.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "lore",
            "TIMEOUT": env_int("LORE_CACHE_TIMEOUT", 600),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "lore",
            "TIMEOUT": env_int("LORE_CACHE_TIMEOUT", 600),
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
# Lore is written in English only. With translation on, every number and date a template prints asked
# the translation machinery for the active language: 5-15% of the film page's and timeline's render time.
USE_I18N = False
USE_TZ = True

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# WhiteNoise serves the collected files; hashed names get a ten-year, immutable Cache-Control. The
# settings are fixed when the module loads, so test runs (debug forced off later) keep finding app files.
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG

# The admin lives at a configurable path so it is not where password guessers look first.
ADMIN_PATH = env_str("DJANGO_ADMIN_PATH", "admin/").strip("/") + "/"

# Production security, each switch documented in the README; all on when debug is off.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
if env_bool("DJANGO_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Load balancers probe /healthz over plain HTTP; everything else is redirected to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Login throttling for the admin (django-axes): lock out after repeated failures.
AXES_FAILURE_LIMIT = env_int("DJANGO_AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_ENABLED = env_bool("DJANGO_AXES_ENABLED", True)
AXES_VERBOSE = False
# Behind the proxy every request comes from the proxy's address: lock out the visitor the proxy saw instead.
AXES_CLIENT_IP_CALLABLE = "lore.middleware.client_ip"

# The API is read-only and open to any origin for reading.
CORS_ALLOW_ALL_ORIGINS = True
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]

# The read-only API (lore/api.py). Anonymous clients are throttled per IP at LORE_API_ANON_RATE.
LORE_API_ANON_RATE = env_str("LORE_API_ANON_RATE", "600/minute").strip()
if not re.fullmatch(r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)", LORE_API_ANON_RATE):
    raise ImproperlyConfigured(
        f"LORE_API_ANON_RATE must be requests/period, e.g. 600/minute or 10/second; got {LORE_API_ANON_RATE!r}."
    )
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_FILTER_BACKENDS": [
        "lore.filters.FilterBackend",
        "lore.filters.SearchFilter",
        "lore.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "lore.pagination.LorePagination",
    "DEFAULT_SCHEMA_CLASS": "lore.api_schema.LoreAutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["lore.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": LORE_API_ANON_RATE},
    "EXCEPTION_HANDLER": "lore.api_errors.exception_handler",
    "COERCE_DECIMAL_TO_STRING": False,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Lore API",
    "DESCRIPTION": (
        "Read-only JSON API of the Lore franchise knowledge base. Every record cites its sources. "
        "Lists are paginated; every GET answers with an ETag (send it back in If-None-Match for a 304). "
        "Anonymous clients are throttled (429 with Retry-After)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "FilmKindEnum": "lore.models.Film.Kind",
        "FilmStatusEnum": "lore.models.Film.Status",
        "LocationKindEnum": "lore.models.Location.Kind",
        "SourceKindEnum": "lore.models.Source.Kind",
        "CreditRoleEnum": "lore.models.Credit.Role",
        "AppearanceTypeEnum": "lore.models.Appearance.Type",
        "NoteTopicEnum": "lore.models.ProductionNote.Topic",
        "DatePrecisionEnum": "lore.models.DatePrecision",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "lore.api_schema.document_http_headers",
    ],
}

LOG_LEVEL = env_str("DJANGO_LOG_LEVEL", "INFO").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "message": {"format": "%(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "requests": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "message"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # One JSON line per request on stdout (lore.middleware.RequestLogMiddleware).
        "lore.requests": {"handlers": ["requests"], "level": "INFO", "propagate": False},
    },
}
