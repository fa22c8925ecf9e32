"""Every admin page of every lore model opens for a superuser and for an editor, and changelists run a
fixed number of queries whatever the number of rows."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lore.models import (
    Appearance,
    Character,
    Citation,
    Credit,
    Film,
    Franchise,
    Location,
    Organization,
    Person,
    ProductionNote,
    Source,
)
from tests.admin_helpers import admin_url, make_editor, make_superuser

LORE_MODELS = [
    Franchise,
    Film,
    Person,
    Credit,
    Character,
    Appearance,
    Location,
    Organization,
    Source,
    ProductionNote,
    Citation,
]


@pytest.fixture(params=["superuser", "editor"])
def staff_client(request, client, db):
    client.force_login(make_superuser() if request.param == "superuser" else make_editor())
    return client


def test_every_lore_model_is_registered_with_the_history_admin():
    from simple_history.admin import SimpleHistoryAdmin

    for model in LORE_MODELS:
        assert isinstance(admin.site._registry[model], SimpleHistoryAdmin), model


@pytest.mark.parametrize("model", LORE_MODELS, ids=lambda model: model.__name__)
def test_every_admin_lists_searches_filters_orders_and_picks_related_records_by_autocomplete(model):
    model_admin = admin.site._registry[model]
    assert model_admin.list_display and model_admin.search_fields and model_admin.list_filter
    assert model_admin.ordering
    related = [f.name for f in model._meta.get_fields() if (f.many_to_one or f.many_to_many) and f.concrete]
    assert set(related) <= set(model_admin.autocomplete_fields)
    if any(field.name == "slug" for field in model._meta.fields):
        assert "slug" in model_admin.prepopulated_fields


@pytest.mark.parametrize("model", LORE_MODELS, ids=lambda model: model.__name__)
def test_changelist_add_change_history_and_revert_pages_open(staff_client, world, model):
    world(2)
    record = model.objects.first()
    revision = record.history.first()
    pages = [
        admin_url(model, "changelist"),
        admin_url(model, "changelist") + "?q=1",
        admin_url(model, "add"),
        admin_url(model, "change", record.pk),
        admin_url(model, "history", record.pk),
        admin_url(model, "simple_history", record.pk, revision.history_id),
        admin_url(model, "delete", record.pk),
    ]
    for url in pages:
        response = staff_client.get(url)
        assert response.status_code == 200, url


@pytest.mark.parametrize("model", LORE_MODELS, ids=lambda model: model.__name__)
def test_view_on_site_leads_to_the_public_page(staff_client, world, model):
    world(1)
    record = model.objects.first()
    response = staff_client.get(admin_url(model, "change", record.pk))
    assert response.context["has_absolute_url"]
    target = staff_client.get(response.context["absolute_url"])
    assert target.status_code == 302
    assert target["Location"].endswith(record.get_absolute_url())


def test_admin_index_lists_the_lore_models_for_an_editor(client, db):
    client.force_login(make_editor())
    response = client.get(reverse("admin:index"))
    content = response.content.decode()
    for model in LORE_MODELS:
        assert str(model._meta.verbose_name_plural).capitalize() in content
    assert "Users" not in content and "Groups" not in content


def test_changelist_query_counts_do_not_grow_with_rows(client, world):
    # Per changelist: the session, the user, one count for the paginator, one page of rows with their related
    # records joined (list_select_related), and one query per related-record filter in the sidebar.
    client.force_login(make_superuser())
    urls = {model.__name__: admin_url(model, "changelist") for model in LORE_MODELS}

    def query_counts():
        counts = {}
        for name, url in urls.items():
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts[name] = len(queries)
        return counts

    world(2)
    query_counts()  # the first requests fill the content-type and permission caches
    small = query_counts()
    world(8)
    assert query_counts() == small


def test_source_change_page_query_count_does_not_grow_with_the_records_citing_it(client, world):
    # The "records citing this source" inline loads the citations with every cited record joined: one query
    # however many citations the source has (the read-only inline renders no widget that queries per row).
    client.force_login(make_superuser())
    small = Source.objects.get(citations__franchise=world(2))
    client.get(admin_url(Source, "change", small.pk))
    with CaptureQueriesContext(connection) as small_queries:
        assert client.get(admin_url(Source, "change", small.pk)).status_code == 200
    large = Source.objects.get(citations__franchise=world(8))
    with CaptureQueriesContext(connection) as large_queries:
        response = client.get(admin_url(Source, "change", large.pk))
    assert response.content.decode().count("Character: Character") == 8
    assert len(large_queries) == len(small_queries), "\n".join(q["sql"][:300] for q in large_queries)
