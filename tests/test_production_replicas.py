"""With read replicas configured, pages and the API read from a replica, but sign-in state is always read
from the primary, where it was just written."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session

from franchise_site.db_router import ReplicaRouter
from lore.models import Film, HistoricalFilm


@pytest.fixture
def router(monkeypatch):
    monkeypatch.setattr(ReplicaRouter, "_replicas", lambda self: ["replica1"])
    return ReplicaRouter()


def test_lore_reads_go_to_a_replica_and_writes_to_the_primary(router):
    assert router.db_for_read(Film) == "replica1"
    assert router.db_for_read(HistoricalFilm) == "replica1"
    assert router.db_for_write(Film) == "default"


@pytest.mark.parametrize("model", [Session, User, AccessAttempt])
def test_sign_in_state_is_read_from_the_primary(router, model):
    assert router.db_for_read(model) == "default"


def test_only_the_primary_is_migrated(router):
    assert router.allow_migrate("default", "lore")
    assert not router.allow_migrate("replica1", "lore")
