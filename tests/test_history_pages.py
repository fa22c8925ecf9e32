"""The public revision list of a record: /history/<model>/<slug>/."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from simple_history.utils import update_change_reason

from lore.history import HISTORY_MODELS, REVISIONS_PER_PAGE
from lore.models import Character, Film, Franchise, Organization, Source

pytestmark = pytest.mark.django_db


def history_url(record):
    return reverse("lore:history", kwargs={"model": record._meta.model_name, "slug": record.slug})


def edited_by(user, record, **changes):
    """Save `changes` to `record` as `user` would through admin."""
    for field, value in changes.items():
        setattr(record, field, value)
    record._history_user = user
    record.save()
    return record


@pytest.fixture
def franchise():
    return Franchise.objects.create(name="John Wick", slug="john-wick")


@pytest.fixture
def winston(franchise):
    return Character.objects.create(franchise=franchise, name="Winston", slug="winston", summary="Runs a hotel.")


@pytest.fixture
def editor():
    return User.objects.create_user("eddie", "eddie.private@example.com", is_staff=True)


def test_history_lists_each_revision_with_its_type_date_and_author(client, winston, editor):
    edited_by(editor, winston, summary="Manages the Continental.")
    response = client.get(history_url(winston))
    assert response.status_code == 200
    revisions = response.context["revisions"]
    assert [(r.type, r.author) for r in revisions] == [("changed", "eddie"), ("created", "system")]
    content = response.content.decode()
    assert "Created" in content and "Changed" in content
    assert "eddie" in content
    assert "Last edited on" in content


def test_history_never_shows_an_editors_email_address(client, winston, editor):
    edited_by(editor, winston, summary="Manages the Continental.")
    mailer = User.objects.create_user("mae@example.com", "mae@example.com", is_staff=True)
    edited_by(mailer, winston, summary="Manages the New York Continental.")
    content = client.get(history_url(winston)).content.decode()
    assert "@example.com" not in content
    assert "eddie.private" not in content
    assert "mae" in content


def test_changes_without_a_user_are_credited_to_import_or_system(client, winston):
    winston.summary = "Loaded from a file."
    winston._change_reason = "import lore-format file"
    winston.save()
    authors = [revision.author for revision in client.get(history_url(winston)).context["revisions"]]
    assert authors == ["import", "system"]


def test_history_shows_what_changed_from_old_to_new_escaped(client, winston, editor):
    edited_by(editor, winston, summary="<script>alert('x')</script> Manages the Continental.")
    response = client.get(history_url(winston))
    [change] = response.context["revisions"][0].changes
    assert (change.field, change.old) == ("Summary", "Runs a hotel.")
    assert change.new.startswith("<script>")
    content = response.content.decode()
    assert "<script>alert" not in content
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Manages the Continental." in content
    assert "Runs a hotel." in content


def test_related_records_choices_dates_and_memberships_are_shown_by_name(client, franchise, editor):
    film = Film.objects.create(franchise=franchise, title="Ballerina", slug="ballerina")
    parent = Film.objects.create(franchise=franchise, title="John Wick", slug="john-wick-film")
    edited_by(
        editor,
        film,
        kind=Film.Kind.SPINOFF,
        spun_off_from=parent,
        status=Film.Status.RELEASED,
        release_date=datetime.date(2025, 6, 6),
    )
    changes = {c.field: (c.old, c.new) for c in client.get(history_url(film)).context["revisions"][0].changes}
    assert changes == {
        "Kind": ("Main film", "Spinoff"),
        "Spun off from": ("", "John Wick"),
        "Status": ("Announced", "Released"),
        "Release date": ("", "2025-06-06"),
    }

    character = Character.objects.create(franchise=franchise, name="Eve", slug="eve")
    character.organizations.set([Organization.objects.create(franchise=franchise, name="Ruska Roma", slug="rr")])
    newest = client.get(history_url(character)).context["revisions"][0]
    assert [(c.field, c.old, c.new) for c in newest.changes] == [("Organizations", "", "Ruska Roma")]


def test_history_of_a_record_never_edited_since_loading_says_so(client, john_wick):
    film = Film.objects.get(slug="ballerina")
    response = client.get(history_url(film))
    assert response.status_code == 200
    assert response.context["revisions"] == []
    assert "No change to this film has been recorded" in response.content.decode()


@pytest.mark.parametrize("model", ["credit", "citation", "user", "historicalfilm", "nonsense"])
def test_unknown_kinds_of_record_are_not_found(client, winston, model):
    assert client.get(f"/history/{model}/winston/").status_code == 404


def test_unknown_slugs_are_not_found(client, winston):
    assert client.get("/history/character/nobody/").status_code == 404
    assert client.get("/history/film/winston/").status_code == 404


def test_every_record_with_a_public_page_has_a_history_page(client, world):
    world(1)
    assert set(HISTORY_MODELS) == {
        "franchise",
        "film",
        "character",
        "person",
        "location",
        "organization",
        "productionnote",
        "source",
    }
    for model in HISTORY_MODELS.values():
        assert client.get(history_url(model.objects.first())).status_code == 200


def test_query_count_does_not_grow_with_the_number_of_revisions(client, franchise, editor):
    # The record, the paginator's count, one page of revisions with users and foreign keys joined, and the
    # organization memberships of those revisions: the same four queries for 3 revisions or 40.
    guilds = [Organization.objects.create(franchise=franchise, name=f"Guild {i}", slug=f"g{i}") for i in range(3)]
    few = Character.objects.create(franchise=franchise, name="Few", slug="few")
    many = Character.objects.create(franchise=franchise, name="Many", slug="many")
    edited_by(editor, few, summary="Once.")
    for i in range(40):
        edited_by(editor, many, summary=f"Edit {i}.")
        many.organizations.set(guilds[: i % 3])

    client.get(history_url(few))
    with CaptureQueriesContext(connection) as small:
        client.get(history_url(few))
    with CaptureQueriesContext(connection) as large:
        response = client.get(history_url(many))
    assert len(large) == len(small)
    assert len(response.context["revisions"]) == REVISIONS_PER_PAGE


def test_long_histories_are_paginated_and_each_page_diffs_its_oldest_revision(client, franchise, editor):
    source = Source.objects.create(title="Article", slug="article", publisher="Outlet 0")
    for i in range(1, REVISIONS_PER_PAGE + 5):
        edited_by(editor, source, publisher=f"Outlet {i}")
    first_page = client.get(history_url(source)).context["revisions"]
    last_on_first_page = first_page[-1]
    assert len(first_page) == REVISIONS_PER_PAGE
    assert [(c.old, c.new) for c in last_on_first_page.changes] == [("Outlet 4", "Outlet 5")]

    second = client.get(history_url(source) + "?page=2")
    revisions = second.context["revisions"]
    assert [r.type for r in revisions] == ["changed"] * 4 + ["created"]
    assert [(c.old, c.new) for c in revisions[0].changes] == [("Outlet 3", "Outlet 4")]
    assert 'href="?page=1"' in second.content.decode()


def test_the_admins_change_reason_is_shown(client, winston, editor):
    edited_by(editor, winston, summary="Fixed.")
    update_change_reason(winston, "Corrected after a reader's report")
    assert "Corrected after a reader&#x27;s report" in client.get(history_url(winston)).content.decode()


@pytest.mark.parametrize("model", sorted(HISTORY_MODELS))
def test_every_public_detail_page_links_to_its_history(client, world, model):
    world(1)
    record = HISTORY_MODELS[model].objects.first()
    page = client.get(record.get_absolute_url())
    assert page.status_code == 200
    assert f'href="{history_url(record)}"' in page.content.decode()
