"""Settings are read from the environment; a bad value stops start-up naming the variable."""

import os
import subprocess
import sys

import pytest

BASE_ENV = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_"))}


def run_check(**env):
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        env={**BASE_ENV, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_defaults_run_locally_on_sqlite_with_no_environment():
    result = run_check()
    assert result.returncode == 0, result.stderr


def test_production_without_a_secret_key_refuses_to_start_naming_the_variable():
    result = run_check(DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="lore.example")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "mysql://root@localhost/lore"),
        ("DATABASE_URL", "postgres://"),
        ("REDIS_URL", "http://localhost:6379"),
        ("DJANGO_DEBUG", "maybe"),
        ("DJANGO_CONN_MAX_AGE", "forever"),
    ],
)
def test_a_malformed_value_fails_at_start_and_names_the_variable(variable, value):
    result = run_check(**{variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and variable in result.stderr


def test_database_url_selects_postgresql_through_psycopg2():
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"],
        env={
            **BASE_ENV,
            "DJANGO_SETTINGS_MODULE": "franchise_site.settings",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/lore",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    # Django's PostgreSQL backend (psycopg2), extended to prepare the ORM's read queries
    assert result.stdout.strip() == "lore.postgresql"
