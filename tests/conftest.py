import os

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from tests.factories import make_world


@pytest.fixture
def john_wick(db):
    """The article's franchise, as the README's first command loads it."""
    call_command("loaddata", "john_wick", verbosity=0)


@pytest.fixture(scope="module")
def john_wick_module(django_db_setup, django_db_blocker):
    """The article's franchise loaded once for a whole test module, inside a transaction rolled back after
    the module's last test. Once a test has used it, every later test of that module sees the franchise."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        call_command("loaddata", "john_wick", verbosity=0)
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)
        # Close it too: otherwise an idle connection can outlive the session and block dropping the test database.
        connection.close()


@pytest.fixture
def read_only_john_wick(john_wick_module, db):
    """The article's franchise for tests that only read it: loading it once per module keeps the suite fast.
    Each test still runs in its own savepoint, so what it writes is undone."""


@pytest.fixture
def world(db):
    """Build a synthetic franchise of a given size: `world(size)` returns its Franchise."""
    return make_world


@pytest.fixture
def redis_url():
    """The Redis that cache tests use; CI starts one, and only CI insists on it being there."""
    url = os.environ.get("LORE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.exceptions.RedisError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"Redis is not reachable at {url}")
    return url


@pytest.fixture(autouse=True, scope="session")
def verify_compiled_sql():
    """Every query whose SQL the PostgreSQL compiler reuses is compiled in full as well, and must agree
    (lore/postgresql/compiler.py): the whole suite checks that a query shape never stands for another."""
    from django.conf import settings

    settings.LORE_VERIFY_COMPILED_SQL = True
