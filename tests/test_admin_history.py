"""Edits through admin are saved, recorded in history with their author, visible on the public pages, and
can be undone from the record's history page."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from lore.models import Character, Credit, Film, Franchise, Location, Organization, Person
from tests.admin_helpers import add_inline_row, admin_url, error_messages, form_data, make_editor, make_superuser


@pytest.fixture(params=["superuser", "editor"])
def staff(request, client, db):
    user = make_superuser() if request.param == "superuser" else make_editor()
    client.force_login(user)
    return user


@pytest.fixture
def winston(db):
    franchise = Franchise.objects.create(name="John Wick", slug="john-wick")
    return Character.objects.create(
        franchise=franchise, name="Winston", slug="winston", summary="Manager of the New York Continental."
    )


def edit(client, model, record, **changes):
    data = form_data(client.get(admin_url(model, "change", record.pk)))
    data.update(changes)
    response = client.post(admin_url(model, "change", record.pk), data)
    assert response.status_code == 302, error_messages(response)
    return response


def test_an_edit_is_saved_and_recorded_with_its_author(client, staff, winston):
    edit(client, Character, winston, summary="Owner of the New York Continental.")

    winston.refresh_from_db()
    assert winston.summary == "Owner of the New York Continental."
    revision = winston.history.first()
    assert revision.history_type == "~"
    assert revision.history_user == staff
    assert revision.diff_against(revision.prev_record).changed_fields == ["summary"]


def test_an_edit_is_shown_on_the_public_history_and_record_pages(client, staff, winston):
    edit(client, Character, winston, summary="Owner of the New York Continental.")
    client.logout()

    history = client.get(reverse("lore:history", kwargs={"model": "character", "slug": "winston"}))
    content = history.content.decode()
    assert "Manager of the New York Continental." in content
    assert "Owner of the New York Continental." in content
    assert staff.username in content
    assert staff.email not in content

    page = client.get(winston.get_absolute_url())
    assert page.status_code == 200
    assert "Owner of the New York Continental." in page.content.decode()


def test_the_admin_history_page_shows_what_each_revision_changed(client, staff, winston):
    guild = Organization.objects.create(franchise=winston.franchise, name="High Table", slug="high-table")
    edit(client, Character, winston, summary="Owner of <the> Continental.", organizations=[str(guild.pk)])

    response = client.get(admin_url(Character, "history", winston.pk))
    content = response.content.decode()
    assert response.status_code == 200
    assert escape("Owner of <the> Continental.") in content
    assert "Manager of the New York Continental." in content
    assert "High Table" in content
    assert staff.username in content


def test_reverting_to_an_earlier_revision_restores_it_and_records_the_revert(client, staff, winston):
    original = winston.history.get()
    edit(client, Character, winston, summary="Vandalised.")

    revert_url = admin_url(Character, "simple_history", winston.pk, original.history_id)
    form = client.get(revert_url)
    assert form.status_code == 200
    assert "Manager of the New York Continental." in form.content.decode()
    assert "Revert" in form.content.decode()
    response = client.post(revert_url, form_data(form))
    assert response.status_code == 302, error_messages(response)

    winston.refresh_from_db()
    assert winston.summary == "Manager of the New York Continental."
    assert winston.history.count() == 3
    assert winston.history.first().history_user == staff


@pytest.mark.parametrize(
    ("model", "links", "target"),
    [(Character, "organizations", Organization), (Location, "films", Film), (Organization, "films", Film)],
)
def test_reverting_restores_the_many_to_many_links_the_revision_had(client, staff, winston, model, links, target):
    franchise = winston.franchise
    if target is Film:
        kept, dropped, added = (
            Film.objects.create(franchise=franchise, title=f"Chapter {n}", slug=f"chapter-{n}") for n in (1, 2, 3)
        )
        record = model.objects.create(franchise=franchise, name="The Continental", slug="continental")
    else:
        kept, dropped, added = (
            Organization.objects.create(franchise=franchise, name=name, slug=name.lower())
            for name in ("Continental", "Camorra", "Ruska")
        )
        record = winston
    getattr(record, links).set([kept, dropped])  # recorded as a revision of its own
    revision = record.history.first()
    edit(client, model, record, **{links: [str(kept.pk), str(added.pk)]})

    revert_url = admin_url(model, "simple_history", record.pk, revision.history_id)
    form = client.get(revert_url)
    assert sorted(form.context["adminform"].form[links].value()) == sorted([kept.pk, dropped.pk])
    response = client.post(revert_url, form_data(form))
    assert response.status_code == 302, error_messages(response)

    assert set(getattr(record, links).all()) == {kept, dropped}
    assert set(getattr(record.history.first(), links).values_list(target._meta.model_name, flat=True)) == {
        kept.pk,
        dropped.pk,
    }


def test_rows_added_inline_are_recorded_with_their_author(client, staff, winston):
    film = Film.objects.create(franchise=winston.franchise, title="John Wick", slug="john-wick-film")
    person = Person.objects.create(name="Ian McShane", slug="ian-mcshane")
    data = form_data(client.get(admin_url(Film, "change", film.pk)))
    add_inline_row(data, "credits", person=person.pk, role="actor", character=winston.pk, billing=3)
    response = client.post(admin_url(Film, "change", film.pk), data)
    assert response.status_code == 302, error_messages(response)

    credit = Credit.objects.get()
    assert (credit.person, credit.character) == (person, winston)
    assert credit.history.get().history_user == staff


def test_a_record_added_in_admin_is_recorded_as_created_by_its_author(client, staff, db):
    data = form_data(client.get(admin_url(Person, "add")))
    data.update(name="Ana de Armas", slug="ana-de-armas", summary="Plays Eve.")
    response = client.post(admin_url(Person, "add"), data)
    assert response.status_code == 302, error_messages(response)

    revision = Person.objects.get(slug="ana-de-armas").history.get()
    assert (revision.history_type, revision.history_user) == ("+", staff)
