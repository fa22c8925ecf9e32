"""Helpers for the admin tests: an account for each role, and the data an admin form posts."""

import importlib

from django.apps import apps
from django.contrib.auth.models import Group, User
from django.urls import reverse

editors_migration = importlib.import_module("lore.migrations.0002_editors_group")


# Accounts are made without a password (tests sign in with force_login): hashing one takes a good part of
# a second.
def make_superuser(username="root"):
    return User.objects.create_superuser(username, f"{username}@example.com", None)


def make_editor(username="eddie"):
    """A staff user in the Editors group. The group comes from the data migration; tests that flush the
    database (the live-server ones) remove it, so it is made again here by the migration's own code."""
    editors_migration.create_editors_group(apps, None)
    user = User.objects.create_user(username, f"{username}@example.com", None, is_staff=True)
    user.groups.add(Group.objects.get(name=editors_migration.EDITORS))
    return user


def admin_url(model, view, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def form_data(response):
    """What the admin add/change form in `response` posts if the editor changes nothing."""
    data = {}
    _add_form(data, response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets", []):
        _add_form(data, inline.formset.management_form)
        for form in inline.formset.forms:
            _add_form(data, form)
    return data


def add_inline_row(data, prefix, **fields):
    """Append one new row to the inline formset `prefix` (e.g. "credits") in posted `data`."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    for name, value in fields.items():
        data[f"{prefix}-{index}-{name}"] = value
    return index


def _add_form(data, form):
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if value is True:
            value = "on"
        elif isinstance(value, list | tuple):
            value = [str(item) for item in value]
        data[form.add_prefix(name)] = value


def error_messages(response):
    """Every error the admin form in `response` shows, on the form, its fields and its inlines."""
    messages = []
    for errors in response.context["adminform"].form.errors.values():
        messages.extend(errors)
    for inline in response.context.get("inline_admin_formsets", []):
        messages.extend(inline.formset.non_form_errors())
        for form_errors in inline.formset.errors:
            for errors in form_errors.values():
                messages.extend(errors)
    return messages
