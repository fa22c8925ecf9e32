"""The Editors group: its members edit every lore record and cannot open accounts."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse

from lore.models import Film
from tests.admin_helpers import admin_url, editors_migration, make_editor, make_superuser

ACCOUNT_PAGES = [
    ("auth_user_changelist", ()),
    ("auth_user_add", ()),
    ("auth_user_change", ("self",)),
    ("auth_user_password_change", ("self",)),
    ("auth_group_changelist", ()),
    ("auth_group_add", ()),
    ("auth_group_change", ("editors",)),
]


def _account_url(name, args, user):
    resolved = [user.pk if arg == "self" else Group.objects.get(name="Editors").pk for arg in args]
    return reverse(f"admin:{name}", args=resolved)


@pytest.mark.parametrize(("name", "args"), ACCOUNT_PAGES, ids=[name for name, _ in ACCOUNT_PAGES])
def test_an_editor_cannot_open_the_user_and_group_admin(client, db, name, args):
    editor = make_editor()
    client.force_login(editor)
    assert client.get(_account_url(name, args, editor)).status_code == 403


def test_an_editor_cannot_make_themself_a_superuser(client, db):
    editor = make_editor()
    client.force_login(editor)
    url = reverse("admin:auth_user_change", args=[editor.pk])
    response = client.post(url, {"username": editor.username, "is_superuser": "on", "is_staff": "on"})
    assert response.status_code == 403
    editor.refresh_from_db()
    assert not editor.is_superuser


@pytest.mark.parametrize(("name", "args"), ACCOUNT_PAGES, ids=[name for name, _ in ACCOUNT_PAGES])
def test_a_superuser_keeps_djangos_user_and_group_admin(client, db, name, args):
    root = make_superuser()
    make_editor()
    client.force_login(root)
    assert client.get(_account_url(name, args, root)).status_code == 200


def test_staff_outside_the_editors_group_cannot_edit_lore(client, db):
    client.force_login(User.objects.create_user("visitor", is_staff=True))
    assert client.get(admin_url(Film, "changelist")).status_code == 403


def test_the_editors_group_may_do_everything_to_lore_records_and_nothing_to_accounts(db):
    make_editor()
    granted = set(Group.objects.get(name="Editors").permissions.values_list("content_type__app_label", "codename"))
    assert {app for app, _ in granted} == {"lore"}
    for model in apps.get_app_config("lore").get_models():
        name = model._meta.model_name
        if model.__name__.startswith("Historical"):
            assert {codename for _, codename in granted if codename.endswith(f"_{name}")} == {f"view_{name}"}
        else:
            for action in ("add", "change", "delete", "view"):
                assert ("lore", f"{action}_{name}") in granted


def test_the_editors_group_migration_is_reversible_and_can_run_again(db):
    editors_migration.create_editors_group(apps, None)
    permissions = set(Group.objects.get(name="Editors").permissions.all())
    assert editors_migration.Migration.operations[0].reversible

    editors_migration.delete_editors_group(apps, None)
    assert not Group.objects.filter(name="Editors").exists()
    assert Permission.objects.filter(content_type__app_label="lore").exists(), "permissions themselves stay"

    editors_migration.create_editors_group(apps, None)
    editors_migration.create_editors_group(apps, None)
    assert set(Group.objects.get(name="Editors").permissions.all()) == permissions


def test_the_migration_creates_the_permissions_it_grants_when_none_exist_yet(db):
    Permission.objects.filter(content_type__app_label="lore").delete()
    editors_migration.create_editors_group(apps, None)
    assert Group.objects.get(name="Editors").permissions.filter(codename="change_film").exists()
