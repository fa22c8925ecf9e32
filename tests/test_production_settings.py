"""DJANGO_DEBUG=0 is production: Django's deployment checks pass with the environment the README documents,
every HTTPS switch is on, and a missing secret or host list stops start-up naming the variable."""

import json
import subprocess
import sys

from tests.production import ROOT, clean_env, production_env

PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
names = [
    "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SECURE_PROXY_SSL_HEADER",
    "X_FRAME_OPTIONS", "SECURE_CONTENT_TYPE_NOSNIFF", "ADMIN_PATH", "AXES_FAILURE_LIMIT", "SESSION_ENGINE",
    "LORE_PREPARE_QUERIES", "LORE_CACHE_COMPILED_SQL", "LORE_VERIFY_COMPILED_SQL",
]
values = {name: getattr(settings, name, None) for name in names}
values["static_storage"] = settings.STORAGES["staticfiles"]["BACKEND"]
values["connect_timeout"] = settings.DATABASES["default"].get("OPTIONS", {}).get("connect_timeout")
print(json.dumps(values))
"""


def run(args, env):
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)  # noqa: S603 - our own commands


def production_settings(**env):
    result = run(
        [sys.executable, "-c", PRINT_SETTINGS],
        {**production_env(**env), "DJANGO_SETTINGS_MODULE": "franchise_site.settings"},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_deployment_checks_pass_at_warning_level_with_the_documented_production_environment():
    env = production_env(DJANGO_ALLOWED_HOSTS="lore.example")
    env.pop("DJANGO_BEHIND_TLS_PROXY")

    result = run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_turns_on_https_secure_cookies_hsts_and_hashed_compressed_static_files():
    values = production_settings()

    assert values["DEBUG"] is False
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and values["SECURE_HSTS_PRELOAD"]
    assert values["SESSION_COOKIE_SECURE"] and values["CSRF_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"]
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["X_FRAME_OPTIONS"] == "DENY" and values["SECURE_CONTENT_TYPE_NOSNIFF"]
    assert values["static_storage"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_each_https_switch_can_be_turned_off_by_its_variable_for_a_staging_host_without_tls():
    values = production_settings(
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_HSTS_SECONDS="0",
        DJANGO_SESSION_COOKIE_SECURE="no",
        DJANGO_CSRF_COOKIE_SECURE="off",
    )

    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SESSION_COOKIE_SECURE"] is False and values["CSRF_COOKIE_SECURE"] is False


def test_sessions_live_in_the_database_so_no_worker_holds_state():
    assert production_settings()["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"


def test_production_reuses_compiled_sql_unchecked_and_each_switch_has_its_variable():
    values = production_settings()
    assert (values["LORE_PREPARE_QUERIES"], values["LORE_CACHE_COMPILED_SQL"]) == (True, True)
    assert values["LORE_VERIFY_COMPILED_SQL"] is False  # a fresh compile of every reuse is for tests and staging
    values = production_settings(LORE_PREPARE_QUERIES="0", LORE_CACHE_COMPILED_SQL="0", LORE_VERIFY_COMPILED_SQL="1")
    assert (values["LORE_PREPARE_QUERIES"], values["LORE_CACHE_COMPILED_SQL"]) == (False, False)
    assert values["LORE_VERIFY_COMPILED_SQL"] is True


def test_a_postgresql_connection_attempt_gives_up_after_a_few_seconds():
    values = production_settings(DATABASE_URL="postgres://postgres@db.example:5432/lore")

    assert values["connect_timeout"] == 5


def test_production_without_allowed_hosts_refuses_to_start_naming_the_variable():
    env = production_env()
    env.pop("DJANGO_ALLOWED_HOSTS")

    result = run([sys.executable, "manage.py", "check"], env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_production_without_a_secret_key_refuses_to_serve_under_gunicorn_naming_the_variable():
    env = production_env()
    env.pop("DJANGO_SECRET_KEY")

    result = run([sys.executable, "-c", "import franchise_site.wsgi"], env)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_the_admin_path_is_set_by_django_admin_path(tmp_path):
    script = (
        "import django; django.setup(); from django.test import Client; c = Client();"
        "print(c.get('/backstage/login/').status_code, c.get('/admin/login/').status_code)"
    )
    env = {
        **clean_env(),
        "DJANGO_SETTINGS_MODULE": "franchise_site.settings",
        "DJANGO_ADMIN_PATH": "/backstage/",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
    }

    result = run([sys.executable, "-c", script], env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["200", "404"]  # after the two request log lines
